import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertStorageKey, ObjectTooLargeError, StagedObject, StoragePort } from './storage.port';

/** Attachments as files under one directory: `<dir>/<key>`, written as `<key>.<uuid>.part` then renamed. */
export class LocalDiskStorage implements StoragePort {
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /** The directory is created now, so a bad ATTACHMENT_DIR fails the boot, not the first upload. */
  static async open(dir: string): Promise<LocalDiskStorage> {
    const root = resolve(dir);
    await mkdir(root, { recursive: true });
    return new LocalDiskStorage(root);
  }

  private path(key: string): string {
    assertStorageKey(key);
    return join(this.root, ...key.split('/'));
  }

  async put(key: string, body: Readable, maxBytes: number): Promise<StagedObject> {
    const final = this.path(key);
    const temp = `${final}.${randomUUID()}.part`;
    await mkdir(dirname(final), { recursive: true });
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
        size += chunk.length;
        if (size > maxBytes) return done(new ObjectTooLargeError(maxBytes));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    // Not pipeline(body, …): on overflow the source must stay open (an HTTP request still has to
    // be answered), so it is only unpiped and drained.
    body.pipe(meter);
    body.once('error', (e) => meter.destroy(e));
    try {
      await pipeline(meter, createWriteStream(temp, { flags: 'wx' }));
    } catch (e) {
      body.unpipe(meter);
      body.resume();
      await rm(temp, { force: true });
      throw e;
    }
    return {
      key,
      size,
      sha256: hash.digest('hex'),
      commit: () => rename(temp, final),
      discard: () => rm(temp, { force: true }),
    };
  }

  async get(key: string): Promise<{ size: number; body: Readable } | null> {
    const file = this.path(key);
    try {
      const s = await stat(file);
      return { size: s.size, body: createReadStream(file) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
