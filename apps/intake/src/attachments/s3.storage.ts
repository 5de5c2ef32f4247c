import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  NoSuchKey,
  NotFound,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash, randomUUID } from 'node:crypto';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { assertStorageKey, ObjectTooLargeError, StagedObject, StoragePort } from './storage.port';

export interface S3StorageOptions {
  bucket: string;
  /** Every key is stored under this prefix (`attachments/`); staged uploads under `<prefix>.staging/`. */
  prefix: string;
  region: string;
  /** An S3-compatible server (MinIO, Ceph RGW, a cloud's object store); unset: AWS. */
  endpoint?: string;
  /** Path-style URLs (`http://host/bucket/key`), which most S3-compatible servers need. */
  forcePathStyle: boolean;
  /** Unset: the SDK's default chain (environment, web identity of the pod, instance profile). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Attachments in an S3-compatible object store, behind the same port as the local disk. An upload
 * streams (multipart above 5 MiB, through `@aws-sdk/lib-storage`) to a staging key while it is
 * measured and hashed; `commit` copies it server-side to its final key and removes the staged copy,
 * so an object is visible under its key only once the row that names it is committed.
 */
export class S3Storage implements StoragePort {
  private constructor(
    private readonly client: S3Client,
    private readonly options: S3StorageOptions,
  ) {}

  /** Checks at boot that the bucket is there and reachable with the credentials, so a bad configuration fails the start. */
  static async open(options: S3StorageOptions): Promise<S3Storage> {
    const client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials: options.credentials,
      // The SDK's default CRC checksums (trailing, aws-chunked) are not understood by every
      // S3-compatible server; checksums only where the API requires them. Integrity is our SHA-256.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    try {
      await client.send(new HeadBucketCommand({ Bucket: options.bucket }));
    } catch (e) {
      client.destroy();
      const status = (e as S3ServiceException).$metadata?.httpStatusCode;
      throw new Error(
        `attachment store: bucket ${JSON.stringify(options.bucket)} at ${options.endpoint ?? 'AWS'} is not usable` +
          `${status ? ` (HTTP ${status})` : ''}: ${(e as Error).name} ${(e as Error).message}`,
        { cause: e },
      );
    }
    return new S3Storage(client, options);
  }

  private objectKey(key: string): string {
    assertStorageKey(key);
    return `${this.options.prefix}${key}`;
  }

  async put(key: string, body: Readable, maxBytes: number): Promise<StagedObject> {
    const final = this.objectKey(key);
    const staged = `${this.options.prefix}.staging/${randomUUID()}`;
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
    // As on disk: on overflow the request must still be answered, so the source is only unpiped and drained.
    body.pipe(meter);
    body.once('error', (e) => meter.destroy(e));
    let failed: Error | undefined;
    meter.once('error', (e) => (failed = e));
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.options.bucket, Key: staged, Body: meter },
      leavePartsOnError: false,
    });
    try {
      await upload.done();
      if (failed) throw failed;
    } catch (e) {
      body.unpipe(meter);
      body.resume();
      await this.deleteObject(staged).catch(() => undefined);
      throw failed ?? e;
    }
    return {
      key,
      size,
      sha256: hash.digest('hex'),
      commit: async () => {
        await this.client.send(
          new CopyObjectCommand({
            Bucket: this.options.bucket,
            Key: final,
            CopySource: `${this.options.bucket}/${staged.split('/').map(encodeURIComponent).join('/')}`,
          }),
        );
        await this.deleteObject(staged);
      },
      discard: () => this.deleteObject(staged),
    };
  }

  async get(key: string): Promise<{ size: number; body: Readable } | null> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key) }));
      if (!(r.Body instanceof Readable)) throw new Error('attachment store: the object body is not a Node stream');
      return { size: r.ContentLength ?? 0, body: r.Body };
    } catch (e) {
      if (e instanceof NoSuchKey || e instanceof NotFound || (e as S3ServiceException).$metadata?.httpStatusCode === 404) return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await this.deleteObject(this.objectKey(key));
  }

  private async deleteObject(objectKey: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: objectKey }));
  }

  /** Close the client's sockets (module shutdown). */
  close(): void {
    this.client.destroy();
  }
}
