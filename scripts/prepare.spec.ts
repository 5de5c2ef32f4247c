import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { depsMismatch } = require('./prepare.js') as { depsMismatch: (root?: string) => string | null };

const otherOs = process.platform === 'linux' ? 'darwin' : 'linux';

/** A project folder with this lockfile and these installed packages (path → version). */
function project(installed: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'prepare-'));
  const lock = {
    lockfileVersion: 3,
    packages: {
      '': { name: 'p' },
      'node_modules/a': { version: '1.2.3' },
      'node_modules/a/node_modules/b': { version: '2.0.0' },
      'node_modules/binding-elsewhere': { version: '1.0.0', optional: true, os: [otherOs] },
      'node_modules/linked': { link: true, resolved: 'libs/linked' },
    },
  };
  writeFileSync(join(root, 'package-lock.json'), JSON.stringify(lock));
  mkdirSync(join(root, 'node_modules'));
  for (const [key, version] of Object.entries(installed)) {
    const file = join(root, key, 'package.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ version }));
  }
  return root;
}

describe('prepare: do the installed dependencies match the lockfile?', () => {
  const roots: string[] = [];
  const make = (installed: Record<string, string>) => {
    const r = project(installed);
    roots.push(r);
    return r;
  };
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('matches when every package for this platform is there at its locked version', () => {
    expect(depsMismatch(make({ 'node_modules/a': '1.2.3', 'node_modules/a/node_modules/b': '2.0.0' }))).toBeNull();
  });

  it('names a package installed at another version', () => {
    expect(depsMismatch(make({ 'node_modules/a': '1.2.2', 'node_modules/a/node_modules/b': '2.0.0' }))).toBe(
      'a 1.2.2 is installed, the lockfile has 1.2.3',
    );
  });

  it('names a nested package that is missing', () => {
    expect(depsMismatch(make({ 'node_modules/a': '1.2.3' }))).toBe('b 2.0.0 is not installed');
  });

  it('reports a missing node_modules', () => {
    const root = make({});
    rmSync(join(root, 'node_modules'), { recursive: true });
    expect(depsMismatch(root)).toBe('node_modules is missing');
  });

  it('passes on the real project once `npm ci` has run', () => {
    expect(depsMismatch()).toBeNull();
  });
});
