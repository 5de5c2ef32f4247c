/**
 * A closed-loop load generator: `concurrency` workers, each with one POST in flight, over keep-alive
 * connections (node:http, lighter than fetch on a machine where the bench shares the CPU).
 */
import { Agent, request } from 'node:http';
import { OrderBody } from './orders';

export interface PostRecord {
  index: number;
  /**
   * performance.now() when the request was meant to be sent: in the open loop its slot in the fixed
   * schedule (latencies measured from here carry no coordinated omission); in the closed loop = sentAt.
   */
  scheduledAt: number;
  /** performance.now() when the request was sent and when its response was complete. */
  sentAt: number;
  doneAt: number;
  status: number;
  ticketId?: string;
  /** acceptedAt from the response, as epoch ms (the server's clock; same machine). */
  acceptedAtEpoch?: number;
  error?: string;
}

export function postJson(
  agent: Agent,
  port: number,
  path: string,
  token: string,
  body: unknown,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': payload.length, authorization: `Bearer ${token}` },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

async function postOrder(
  agent: Agent,
  port: number,
  token: string,
  body: OrderBody,
  timeoutMs: number,
  index: number,
  scheduledAt: number,
): Promise<PostRecord> {
  const rec: PostRecord = { index, scheduledAt, sentAt: performance.now(), doneAt: 0, status: 0 };
  try {
    const res = await postJson(agent, port, '/tickets', token, body, timeoutMs);
    rec.doneAt = performance.now();
    rec.status = res.status;
    if (res.status === 201) {
      const view = JSON.parse(res.text) as { id: string; acceptedAt: string };
      rec.ticketId = view.id;
      rec.acceptedAtEpoch = Date.parse(view.acceptedAt);
    } else {
      rec.error = res.text.slice(0, 500);
    }
  } catch (e) {
    rec.doneAt = performance.now();
    rec.error = (e as Error).message;
  }
  return rec;
}

export interface LoadResult {
  records: PostRecord[];
  startedAt: number;
  endedAt: number;
  /** Stopped by the time cap before all orders were sent. */
  truncated: boolean;
}

/**
 * Send `count` orders with at most `concurrency` in flight; stop sending at `deadline`
 * (performance.now() time). Every request is bounded by `timeoutMs`.
 */
export async function runLoad(opts: {
  port: number;
  token: string;
  count: number;
  concurrency: number;
  next: (i: number) => OrderBody;
  deadline: number;
  timeoutMs: number;
  /** Checked before each request: true stops sending (e.g. the bench was interrupted). */
  stop?: () => boolean;
  onRecord?: (r: PostRecord) => void;
}): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency, maxFreeSockets: opts.concurrency });
  const records: PostRecord[] = [];
  let nextIndex = 0;
  let truncated = false;
  const startedAt = performance.now();
  const worker = async () => {
    for (;;) {
      if (nextIndex >= opts.count) return;
      if (performance.now() > opts.deadline || opts.stop?.()) {
        truncated = true;
        return;
      }
      const index = nextIndex++;
      const body = opts.next(index);
      const now = performance.now();
      const rec = await postOrder(agent, opts.port, opts.token, body, opts.timeoutMs, index, now);
      records.push(rec);
      opts.onRecord?.(rec);
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return { records, startedAt, endedAt: performance.now(), truncated };
}

/**
 * An open-loop load: order i is due at `start + i ÷ rate` seconds and is sent then, whether or not
 * the earlier ones have been answered (no coordinated omission: a slow server does not slow the
 * arrivals, and every latency can be measured from the scheduled instant `scheduledAt`). If the
 * bench's own event loop falls behind, the overdue orders go out at once and keep their scheduled
 * instants, so the lag is counted against the system, not hidden. `maxInFlight` only guards the
 * machine (sockets); reaching it is reported as `saturated`.
 */
export async function runOpenLoop(opts: {
  port: number;
  token: string;
  rate: number;
  count: number;
  next: (i: number) => OrderBody;
  timeoutMs: number;
  maxInFlight: number;
  stop?: () => boolean;
  onRecord?: (r: PostRecord) => void;
}): Promise<LoadResult & { maxInFlight: number; saturated: number; maxSendLagMs: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.maxInFlight, maxFreeSockets: 256 });
  const records: PostRecord[] = [];
  const pending = new Set<Promise<void>>();
  let maxInFlight = 0;
  let saturated = 0;
  let maxSendLagMs = 0;
  let truncated = false;
  const startedAt = performance.now() + 20;
  const interval = 1000 / opts.rate;
  try {
    for (let i = 0; i < opts.count; i++) {
      if (opts.stop?.()) {
        truncated = true;
        break;
      }
      const due = startedAt + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      maxSendLagMs = Math.max(maxSendLagMs, performance.now() - due);
      if (pending.size >= opts.maxInFlight) saturated++;
      const p = postOrder(agent, opts.port, opts.token, opts.next(i), opts.timeoutMs, i, due).then((rec) => {
        records.push(rec);
        opts.onRecord?.(rec);
      });
      pending.add(p);
      void p.finally(() => pending.delete(p));
      maxInFlight = Math.max(maxInFlight, pending.size);
    }
    await Promise.all(pending);
  } finally {
    agent.destroy();
  }
  records.sort((a, b) => a.index - b.index);
  return { records, startedAt, endedAt: performance.now(), truncated, maxInFlight, saturated, maxSendLagMs };
}
