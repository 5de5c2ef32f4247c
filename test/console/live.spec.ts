/**
 * GET /events against the six built apps: an order the operator records reaches, within two seconds,
 * the stream of the district's dispatcher (without its content or citizen), not another district's;
 * no session, no stream.
 */
import { ConsoleClient, DEMO_PASSWORD, demoLoginName, Harness, startHarness } from '../harness';

jest.setTimeout(180_000);

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

interface LiveEvent {
  type: string;
  district: string;
  ticketId: string | null;
  data?: Record<string, unknown>;
}

/** Opens /events as the client and collects the events (and the raw text) until stopped. */
async function open(client: ConsoleClient): Promise<{ events: LiveEvent[]; text: () => string; close: () => void }> {
  const res = await client.raw('GET', '/events', { headers: { accept: 'text/event-stream' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: LiveEvent[] = [];
  let text = '';
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) break;
      text += decoder.decode(value, { stream: true });
      let i: number;
      while ((i = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, i);
        text = text.slice(i + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n');
        if (data) events.push(JSON.parse(data) as LiveEvent);
      }
    }
  })();
  return {
    events,
    text: () => text,
    close: () => {
      stopped = true;
      void reader.cancel().catch(() => undefined);
    },
  };
}

async function until(ok: () => boolean, ms: number, what: string): Promise<number> {
  const start = Date.now();
  while (!ok()) {
    if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - start;
}

test("an order reaches its district's streams within two seconds, and only theirs", async () => {
  const login = (key: string) => ConsoleClient.login(h.consoleUrl, demoLoginName(key), DEMO_PASSWORD);
  const [operator, chengxi, chengbei] = await Promise.all([login('operator'), login('dispatcher'), login('dispatcherChengbei')]);
  const west = await open(chengxi);
  const north = await open(chengbei);
  try {
    const created = await operator.post<{ id: string; orderNo: string }>('/api/intake/tickets', {
      channel: 'phone_12345',
      requestType: 'complaint',
      categoryCode: 'lift',
      urgency: 'urgent',
      content: '楼里的电梯忽上忽下，很危险',
      citizen: { name: '刘晓梅', phone: '13997001234' },
      location: { address: '西宁市城西区胜利路12号', districtCode: '630104', streetCode: '630104004' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const ms = await until(() => west.events.some((e) => e.ticketId === id && e.type === 'ticket.accepted.v1'), 2_000, 'accepted event');
    const accepted = west.events.find((e) => e.ticketId === id)!;
    expect(accepted).toMatchObject({ district: '630104', data: { orderNo: created.body.orderNo, urgency: 'urgent' } });
    expect(JSON.stringify(accepted)).not.toContain('电梯');
    expect(JSON.stringify(accepted)).not.toContain('13997001234');
    console.log(`ticket.accepted.v1 reached the Chengxi dispatcher's stream in ${ms} ms`);
    await until(() => west.events.some((e) => e.ticketId === id && e.type === 'ticket.dispatched.v1'), 10_000, 'dispatched event');
    expect(north.events.filter((e) => e.ticketId === id)).toEqual([]);
  } finally {
    west.close();
    north.close();
  }
});

test('no session, no stream', async () => {
  const res = await fetch(`${h.consoleUrl}/events`);
  expect(res.status).toBe(401);
});
