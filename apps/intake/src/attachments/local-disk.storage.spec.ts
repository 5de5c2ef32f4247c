import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { LocalDiskStorage } from './local-disk.storage';
import { ObjectTooLargeError } from './storage.port';

const read = async (r: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

describe('LocalDiskStorage', () => {
  let dir: string;
  let store: LocalDiskStorage;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jiesu-storage-'));
    store = await LocalDiskStorage.open(join(dir, 'nested', 'attachments'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const files = () =>
    readdirSync(store.root, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => d.name);

  it('creates its directory, stages, commits by rename, reads and deletes', async () => {
    const bytes = Buffer.from('照片 bytes');
    const staged = await store.put('t1/a1', Readable.from([bytes.subarray(0, 3), bytes.subarray(3)]), 1024);
    expect(staged.size).toBe(bytes.length);
    expect(staged.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await store.get('t1/a1')).toBeNull();
    expect(files()).toHaveLength(1);
    await staged.commit();
    const got = await store.get('t1/a1');
    expect(got?.size).toBe(bytes.length);
    expect(await read(got!.body)).toEqual(bytes);
    await store.delete('t1/a1');
    expect(await store.get('t1/a1')).toBeNull();
    await store.delete('t1/a1');
  });

  it('discards a staged object', async () => {
    const staged = await store.put('t1/a2', Readable.from([Buffer.from('x')]), 1024);
    await staged.discard();
    expect(files()).toEqual([]);
  });

  it('refuses past the limit and leaves nothing', async () => {
    await expect(store.put('t1/a3', Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), 1024)).rejects.toBeInstanceOf(
      ObjectTooLargeError,
    );
    expect(files()).toEqual([]);
    await expect((await store.put('t1/a4', Readable.from([Buffer.alloc(1024)]), 1024)).commit()).resolves.toBeUndefined();
  });

  it('refuses keys that are not plain segments', async () => {
    for (const key of ['../x', 't1/../../x', '/abs', 't1//a', 'a b', '']) {
      await expect(store.put(key, Readable.from([Buffer.from('x')]), 10)).rejects.toThrow('invalid storage key');
    }
  });
});
