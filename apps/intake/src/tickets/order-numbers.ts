import { createHmac, hkdfSync } from 'node:crypto';
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
export function orderSuffix(key: Buffer, day: string, seq: number): string {
  if (!Number.isInteger(seq) || seq < 0 || seq >= DOMAIN) throw new Error(`order sequence ${seq} is out of range for a day`);
  const round = (r: number, half: number) => createHmac('sha256', key).update(`${day}:${r}:${half}`).digest().readUInt32BE(0) & (HALF - 1);
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
 * Order numbers as staff and citizens read them out on the phone: `YYYYMMDD-NNNNNN`, the city's day
 * and six digits that are not sequential (orderSuffix). Unique: the day's counter gives each order
 * its own sequence number, and the suffix is a permutation of it; a number already taken (an order of
 * the day the scheme changed, numbered sequentially) is skipped. The key is derived from
 * PII_HASH_KEY (HKDF-SHA256, its own info string).
 */
export class OrderNumbers {
  private readonly key: Buffer;

  constructor(
    private readonly tickets: TicketsRepository,
    secret: string,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'base64'), Buffer.alloc(0), 'jiesu intake order-number v1', 32));
  }

  async next(day: string): Promise<string> {
    for (;;) {
      const seq = await this.tickets.nextOrderSequence(day);
      const orderNo = `${day.replaceAll('-', '')}-${orderSuffix(this.key, day, seq)}`;
      if (!(await this.tickets.orderNoTaken(orderNo))) return orderNo;
    }
  }
}
