import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import S3rver from 's3rver';
import { loadConfig } from '@app/platform';
import { IntakeConfig } from '../intake.config';
import { attachmentStore } from './attachment-store';
import { S3Storage } from './s3.storage';
import { ObjectTooLargeError } from './storage.port';
import { freePort } from '@app/platform/testing';

/**
 * The S3 adapter against a real S3 HTTP server on a loopback port: s3rver (npm), the S3-compatible
 * server this machine can run (no MinIO or Ceph RGW package is installable here; see
 * docs/operations.md#attachments-in-object-storage). Path-style URLs, multipart uploads, server-side
 * copies and S3's XML errors are real; s3rver checks the access key id but not SigV4 signatures.
 */

const read = async (r: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

const BUCKET = 'jiesu-attachments';
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

describe('S3Storage on an S3-compatible server', () => {
  let dir: string;
  let server: S3rver;
  let endpoint: string;
  let store: S3Storage;
  let admin: S3Client;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jiesu-s3-'));
    const port = await freePort();
    server = new S3rver({ address: '127.0.0.1', port, silent: true, directory: dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
    await server.run();
    endpoint = `http://127.0.0.1:${port}`;
    admin = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
    store = await S3Storage.open({
      bucket: BUCKET,
      prefix: 'attachments/',
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials,
    });
  });

  afterAll(async () => {
    store?.close();
    admin?.destroy();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const keys = async () => ((await admin.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key).sort();

  it('stages, commits by a server-side copy, reads and deletes', async () => {
    const bytes = Buffer.from('照片 bytes');
    const staged = await store.put('t1/a1', Readable.from([bytes.subarray(0, 3), bytes.subarray(3)]), 1024);
    expect(staged.size).toBe(bytes.length);
    expect(staged.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    // Not visible under its key before the commit; only the staged copy exists.
    expect(await store.get('t1/a1')).toBeNull();
    expect(await keys()).toEqual([expect.stringMatching(/^attachments\/\.staging\/[0-9a-f-]{36}$/)]);
    await staged.commit();
    expect(await keys()).toEqual(['attachments/t1/a1']);
    const got = await store.get('t1/a1');
    expect(got?.size).toBe(bytes.length);
    expect(await read(got!.body)).toEqual(bytes);
    await store.delete('t1/a1');
    expect(await store.get('t1/a1')).toBeNull();
    await store.delete('t1/a1'); // already gone: no error
    expect(await keys()).toEqual([]);
  });

  it('discards a staged object, leaving nothing', async () => {
    const staged = await store.put('t2/a1', Readable.from([Buffer.from('x')]), 1024);
    await staged.discard();
    expect(await store.get('t2/a1')).toBeNull();
    expect(await keys()).toEqual([]);
  });

  it('streams a large body in parts (multipart upload) with the right size and hash', async () => {
    const bytes = randomBytes(11 * 1024 * 1024 + 17);
    const body = new PassThrough();
    const done = store.put('t3/big', body, 12 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 64 * 1024) body.write(bytes.subarray(i, i + 64 * 1024));
    body.end();
    const staged = await done;
    expect(staged.size).toBe(bytes.length);
    expect(staged.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    await staged.commit();
    const got = await store.get('t3/big');
    expect(got?.size).toBe(bytes.length);
    expect(
      createHash('sha256')
        .update(await read(got!.body))
        .digest('hex'),
    ).toBe(staged.sha256);
    await store.delete('t3/big');
  }, 60_000);

  it('refuses a body over the limit, keeps nothing and leaves the source readable to the end', async () => {
    const body = new PassThrough();
    const put = store.put('t4/a1', body, 1024);
    body.write(Buffer.alloc(800));
    body.write(Buffer.alloc(800));
    body.end(Buffer.alloc(100));
    await expect(put).rejects.toBeInstanceOf(ObjectTooLargeError);
    // The source was drained to its end without an error (not destroyed midway): an HTTP request can still be answered.
    await expect(finished(body)).resolves.toBeUndefined();
    expect(body.readableEnded).toBe(true);
    expect(await store.get('t4/a1')).toBeNull();
    expect(await keys()).toEqual([]);
  });

  it('refuses keys that are not key segments', async () => {
    await expect(store.put('../etc/passwd', Readable.from([Buffer.from('x')]), 10)).rejects.toThrow(/invalid storage key/);
    await expect(store.get('a//b')).rejects.toThrow(/invalid storage key/);
  });

  it('fails the boot on a missing bucket or an unknown access key, naming the bucket', async () => {
    await expect(
      S3Storage.open({ bucket: 'no-such-bucket', prefix: '', region: 'us-east-1', endpoint, forcePathStyle: true, credentials }),
    ).rejects.toThrow(/bucket "no-such-bucket" .* is not usable \(HTTP 404\)/);
    await expect(
      S3Storage.open({
        bucket: BUCKET,
        prefix: '',
        region: 'us-east-1',
        endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: 'NOT-A-KEY', secretAccessKey: 'S3RVER' },
      }),
    ).rejects.toThrow(/bucket "jiesu-attachments" .* is not usable \(HTTP 403\)/);
  });

  it('is what intake opens with ATTACHMENT_STORE=s3, and the configuration is checked', async () => {
    const base = { PII_KEYS: `k1:${randomBytes(32).toString('base64')}`, PII_HASH_KEY: randomBytes(32).toString('base64') };
    expect(() => loadConfig(IntakeConfig, { ...base, ATTACHMENT_STORE: 's3' })).toThrow(/ATTACHMENT_S3_BUCKET/);
    expect(() => loadConfig(IntakeConfig, { ...base, ATTACHMENT_STORE: 'nfs' })).toThrow(/ATTACHMENT_STORE must be disk or s3/);
    expect(() =>
      loadConfig(IntakeConfig, { ...base, ATTACHMENT_STORE: 's3', ATTACHMENT_S3_BUCKET: BUCKET, ATTACHMENT_S3_ACCESS_KEY_ID: 'x1234' }),
    ).toThrow(/ATTACHMENT_S3_SECRET_ACCESS_KEY/);
    const config = loadConfig(IntakeConfig, {
      ...base,
      ATTACHMENT_STORE: 's3',
      ATTACHMENT_S3_BUCKET: BUCKET,
      ATTACHMENT_S3_ENDPOINT: endpoint,
      ATTACHMENT_S3_PREFIX: 'intake/',
      ATTACHMENT_S3_ACCESS_KEY_ID: 'S3RVER',
      ATTACHMENT_S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
    const chosen = await attachmentStore(config);
    expect(chosen).toBeInstanceOf(S3Storage);
    const staged = await chosen.put('t5/a1', Readable.from([Buffer.from('pdf')]), 100);
    await staged.commit();
    expect(await keys()).toEqual(['intake/t5/a1']);
    await chosen.delete('t5/a1');
    (chosen as S3Storage).close();
  });
});
