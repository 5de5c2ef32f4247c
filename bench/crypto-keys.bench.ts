/**
 * HMAC-SHA256 and AES-256-GCM keyed with a Buffer against the same key as a KeyObject, per call, in
 * this Node (run it under each Node you deploy: `node -r ts-node/register/transpile-only bench/crypto-keys.bench.ts`,
 * or with `$(bash scripts/node24.sh)` for Node 24). Why the services hold their keys as KeyObjects:
 * bench/README.md, "Node 24".
 */
import { createCipheriv, createHmac, createSecretKey, KeyObject, randomBytes } from 'node:crypto';

const N = 50_000;
const bytes = randomBytes(32);
const held = createSecretKey(bytes);
const iv = randomBytes(12);

function perCall(fn: (i: number) => void): number {
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) fn(i);
  return Number(process.hrtime.bigint() - t) / N / 1000;
}
const hmac = (k: Buffer | KeyObject) => (i: number) => void createHmac('sha256', k).update(`status-token:${i}`).digest();
const gcm = (k: Buffer | KeyObject) => (i: number) => {
  const c = createCipheriv('aes-256-gcm', k, iv);
  c.update(`1381234${i}`, 'utf8');
  c.final();
  c.getAuthTag();
};

console.log(`node ${process.version}, ${N} calls each, µs per call (3 rounds)`);
for (let r = 0; r < 3; r++) {
  const row = [hmac(bytes), hmac(held), gcm(bytes), gcm(held)].map((f) => perCall(f).toFixed(2));
  console.log(`HMAC Buffer ${row[0]}, KeyObject ${row[1]}; AES-GCM Buffer ${row[2]}, KeyObject ${row[3]}`);
}
