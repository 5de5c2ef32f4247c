/**
 * A loopback port for a child process to listen on, shared by the bench and the test harness.
 *
 * The port is chosen below the kernel's ephemeral range (net.ipv4.ip_local_port_range, 32768–60999 on
 * Linux by default). A port taken with `listen(0)` comes from that range, and between closing the probe
 * and the child's own `listen` any outgoing connection (a Postgres or NATS client of the same run) can be
 * given the same port, so the child failed with EADDRINUSE now and then. Below the range only another
 * listener can hold the port, and the probe sees it.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const FALLBACK_RANGE_START = 32768;
/** Lowest port handed out: above the well-known and the usual fixed service ports (5432, 4222, 8222, 9090). */
const LOW = 20000;
const handedOut = new Set<number>();

function ephemeralStart(): number {
  try {
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(first) && first > LOW + 1000 ? first : FALLBACK_RANGE_START;
  } catch {
    return FALLBACK_RANGE_START;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** A loopback port nothing listens on now, outside the ephemeral range, and not handed out before by this process. */
export async function freePort(): Promise<number> {
  const high = ephemeralStart();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (high - LOW));
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free loopback port found in ${LOW}–${high - 1}`);
}
