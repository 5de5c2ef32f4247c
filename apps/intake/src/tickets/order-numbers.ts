import { createHmac, createSecretKey, hkdfSync, KeyObject } from 'node:crypto';
import { TicketsRepository } from './tickets.repository';

/** Six digits after the day: numbers 0 … 999,999. */
const DOMAIN = 1_000_000;
const HALF_BITS = 10; // a 20-bit Feistel network (1,048,576 values), walked down to the six-digit domain
const HALF = 1 << HALF_BITS;
const ROUNDS = 4;

/**
 * The six-digit part of an order number: the day's sequence number put through a keyed permutation
 * of 0 … 999,999 (a balanced Feistel network on 20 bits, HMAC-SHA256 rounds keyed per day, walked
 * until the value is below a million). A permutation, so two sequence numbers of one day never
 * share a suffix; keyed, so one order's number tells nothing about the next one's or how many came
 * between.
 */
export function orderSuffix(key: KeyObject, day: string, seq: number): string {
  if (!Number.isInteger(seq) || seq < 0 || seq >= DOMAIN) throw new Error(`order sequence ${seq} is out of range for a day`);
  const rounds = roundsOf(key, day);
  const round = (r: number, half: number) => {
    const i = r * HALF + half;
    let v = rounds[i];
    if (v < 0) v = rounds[i] = createHmac('sha256', key).update(`${day}:${r}:${half}`).digest().readUInt32BE(0) & (HALF - 1);
    return v;
  };
  let x = seq;
  do {
    let left = x >> HALF_BITS;
    let right = x & (HALF - 1);
    for (let r = 0; r < ROUNDS; r++) [left, right] = [right, left ^ round(r, right)];
    x = (left << HALF_BITS) | right;
  } while (x >= DOMAIN); // cycle-walking: a permutation of 2^20 restricted to the first million
  return String(x).padStart(6, '0');
}

/**
 * The round function's values of one key and day, filled in as they are first needed (−1: not yet):
 * it takes only ROUNDS × HALF = 4,096 inputs a day, so a day costs at most that many HMACs, where
 * every order cost four or more. The last few days are kept per key.
 */
function roundsOf(key: KeyObject, day: string): Int16Array {
  let days = ROUND_TABLES.get(key);
  if (!days) ROUND_TABLES.set(key, (days = new Map<string, Int16Array>()));
  let table = days.get(day);
  if (!table) {
    if (days.size >= 3) days.delete(days.keys().next().value!);
    days.set(day, (table = new Int16Array(ROUNDS * HALF).fill(-1)));
  }
  return table;
}

const ROUND_TABLES = new WeakMap<KeyObject, Map<string, Int16Array>>();

/**
 * Sequence numbers a process reserves at a time. One autocommit statement (`last = last + 32`) per
 * 32 orders instead of one per order: the day's counter row is locked that much less often, and an
 * order costs no extra transaction (and WAL flush) for its number. The rest of a block is lost when
 * the process stops, a gap in the day's numbers like a rolled-back order's; a day has a million.
 */
export const ORDER_SEQUENCE_BLOCK = 32;

/**
 * Order numbers as staff and citizens read them out on the phone: `YYYYMMDD-NNNNNN`, the city's day
 * and six digits that are not sequential (orderSuffix). Unique: the day's counter gives each process
 * its own blocks of sequence numbers, each sequence number goes to one order, and the suffix is a
 * permutation of it. A number already taken (an order of the day the scheme changed, numbered
 * sequentially) is refused by the ticket's insert (`TicketsRepository.insert` answers false), and the
 * submission takes the next one. The key is derived from PII_HASH_KEY (HKDF-SHA256, its own info string).
 */
export class OrderNumbers {
  /** A KeyObject, made once (a Buffer costs Node 24 a thrown and caught check per HMAC; see PiiCipher). */
  private readonly key: KeyObject;
  /** The reserved block: `next` … `last` of `day` are still free. */
  private block: { day: string; next: number; last: number } | null = null;
  /** The reservation in flight: concurrent requests that find the block used up wait for one. */
  private reserving: Promise<void> | null = null;

  constructor(
    private readonly tickets: Pick<TicketsRepository, 'reserveOrderSequence'>,
    secret: string,
    private readonly blockSize = ORDER_SEQUENCE_BLOCK,
  ) {
    this.key = createSecretKey(
      Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'base64'), Buffer.alloc(0), 'jiesu intake order-number v1', 32)),
    );
  }

  /** A number of `day` no other call (in this process or another) has been given. */
  async next(day: string): Promise<string> {
    const seq = await this.sequence(day);
    return `${day.replaceAll('-', '')}-${orderSuffix(this.key, day, seq)}`;
  }

  private async sequence(day: string): Promise<number> {
    for (;;) {
      const b = this.block;
      if (b && b.day === day && b.next <= b.last) return b.next++;
      await (this.reserving ??= this.reserve(day).finally(() => (this.reserving = null)));
    }
  }

  private async reserve(day: string): Promise<void> {
    const last = await this.tickets.reserveOrderSequence(day, this.blockSize);
    this.block = { day, next: last - this.blockSize + 1, last };
  }
}
