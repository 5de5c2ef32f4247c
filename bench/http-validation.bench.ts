/**
 * The validation of a POST /tickets body (intake's CreateTicketDto, the bench's own orders) through
 * the services' pipe (PlatformValidationPipe: the compiled check, class-validator only for what it
 * does not pass) against Nest's ValidationPipe with the same options (class-validator for every
 * body), µs per body, alternating rounds:
 * `node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/http-validation.bench.ts`.
 */
import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { STRICT_VALIDATION, validationPipe } from '@app/platform';
import { CreateTicketDto } from '../apps/intake/src/tickets/create-ticket.dto';
import { OrderFactory } from './lib/orders';

const N = 20_000;
const orders = new OrderFactory(1);
const bodies = Array.from({ length: 1_000 }, () => orders.next());
const meta = { type: 'body' as const, metatype: CreateTicketDto, data: '' };

async function perBody(pipe: ValidationPipe): Promise<number> {
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await pipe.transform(structuredClone(bodies[i % bodies.length]), meta);
  return Number(process.hrtime.bigint() - t) / 1_000 / N;
}

async function main(): Promise<void> {
  const ours = validationPipe();
  const nests = new ValidationPipe({ ...STRICT_VALIDATION, transform: true });
  // warm-up, and every body valid for both (a refusal throws), as the bench sends them
  for (const b of bodies) {
    await nests.transform(structuredClone(b), meta);
    await ours.transform(structuredClone(b), meta);
  }
  const rows: Record<string, string[]> = { 'ValidationPipe (class-validator)': [], PlatformValidationPipe: [] };
  for (let r = 0; r < 3; r++) {
    rows['ValidationPipe (class-validator)'].push((await perBody(nests)).toFixed(1));
    rows['PlatformValidationPipe'].push((await perBody(ours)).toFixed(1));
  }
  console.log(`node ${process.version}: µs per POST /tickets body validated (structuredClone included), ${N} a round`);
  for (const [k, v] of Object.entries(rows)) console.log(`  ${k.padEnd(34)} ${v.join('  ')}`);
}

main().catch((e: Error) => {
  console.error(e);
  process.exit(1);
});
