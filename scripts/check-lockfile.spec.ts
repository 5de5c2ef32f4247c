import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unreadableEntries } = require('./check-lockfile.js') as {
  unreadableEntries: (lock: unknown) => string[];
};

const script = join(__dirname, 'check-lockfile.js');

function runOn(lock: unknown): { status: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lockfile-'));
  try {
    const file = join(dir, 'package-lock.json');
    writeFileSync(file, JSON.stringify(lock));
    try {
      const out = execFileSync(process.execPath, [script, file], { encoding: 'utf8', stdio: 'pipe' });
      return { status: 0, output: out };
    } catch (e) {
      const err = e as { status: number; stderr: string };
      return { status: err.status, output: err.stderr };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('check-lockfile', () => {
  const good = {
    lockfileVersion: 3,
    packages: {
      '': { name: 'x' },
      'node_modules/a': { version: '1.0.0' },
      'node_modules/b': { link: true, resolved: 'libs/b' },
    },
  };

  it('passes a lockfile whose entries all have a version or are links', () => {
    expect(unreadableEntries(good)).toEqual([]);
    expect(runOn(good).status).toBe(0);
  });

  it('fails on a version-less placeholder and names it', () => {
    const bad = {
      ...good,
      packages: {
        ...good.packages,
        'node_modules/@node-rs/jieba/node_modules/@node-rs/jieba-darwin-arm64': { optional: true },
      },
    };
    expect(unreadableEntries(bad)).toEqual(['node_modules/@node-rs/jieba/node_modules/@node-rs/jieba-darwin-arm64']);
    const run = runOn(bad);
    expect(run.status).toBe(1);
    expect(run.output).toContain('node_modules/@node-rs/jieba/node_modules/@node-rs/jieba-darwin-arm64');
  });

  it("passes the project's own lockfile", () => {
    const run = runOn(JSON.parse(readFileSync(join(__dirname, '..', 'package-lock.json'), 'utf8')));
    expect(run.output).toContain('all installable');
    expect(run.status).toBe(0);
  });
});
