import { Readable } from 'node:stream';

/** What a stored object is: its size and SHA-256 (hex). */
export interface StoredObject {
  key: string;
  size: number;
  sha256: string;
}

/**
 * An object written but not yet visible under its key. `commit` makes it so (atomically: a rename on
 * disk); `discard` removes it. Exactly one of the two must be called.
 */
export interface StagedObject extends StoredObject {
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/** The body was longer than the limit: nothing is kept. */
export class ObjectTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`object larger than ${maxBytes} bytes`);
  }
}

/**
 * Where attachments' bytes live (local disk by default; an object store later). Keys are
 * `/`-separated segments of `A-Z a-z 0-9 _ -`: never a path the caller chose.
 */
export interface StoragePort {
  /** Stream `body` to a staging place, hashing as it goes; rejects with ObjectTooLargeError past `maxBytes`. */
  put(key: string, body: Readable, maxBytes: number): Promise<StagedObject>;
  /** The object's bytes, or null when there is none under the key. */
  get(key: string): Promise<{ size: number; body: Readable } | null>;
  /** Remove the object (no error when it is already gone). */
  delete(key: string): Promise<void>;
}

const KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

export function assertStorageKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`invalid storage key ${JSON.stringify(key)}`);
}
