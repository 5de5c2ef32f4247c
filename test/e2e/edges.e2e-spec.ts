/**
 * The edges of the platform over HTTP and the bus: bad input is refused with the field and the reason
 * and nothing is written; tokens, roles and district scope are enforced; a poisoned message lands in
 * the dead-letter table and the service carries on; health, metrics, OpenAPI and trace ids.
 */
import { EnvelopeDto } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { connect } from 'nats';
import { bootPlatform, eventually, Platform, ServiceName } from './platform';

jest.setTimeout(120_000);

let p: Platform;

beforeAll(async () => {
  p = await bootPlatform();
});

afterAll(async () => {
  await p?.close();
});

const validTicket = () => ({
  channel: 'phone_12345',
  requestType: 'help',
  categoryCode: 'heating',
  content: '家里暖气不热，室温只有十二度',
  citizen: { name: '张桂兰', phone: '13997001111' },
  location: { address: '西宁市城东区八一路5号', districtCode: '630102', streetCode: '630102006' },
});

async function ticketCount(): Promise<number> {
  const res = await p.as('operator', 'intake').get('/tickets?limit=500').expect(200);
  return (res.body as unknown[]).length;
}

describe('bad input', () => {
  it('names each failing field and writes nothing', async () => {
    const before = await ticketCount();
    const res = await p
      .as('operator', 'intake')
      .post('/tickets', {
        ...validTicket(),
        channel: 'carrier_pigeon',
        citizen: { name: '', phone: '12345' },
        location: { districtCode: '63' },
      })
      .expect(400);
    const fields = (res.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(fields).toEqual(
      expect.arrayContaining(['channel', 'citizen.name', 'citizen.phone', 'location.address', 'location.districtCode']),
    );
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(await ticketCount()).toBe(before);
  });

  it('refuses unknown fields, oversized text with the limit, and a citizen-less phone call', async () => {
    const unknown = await p
      .as('operator', 'intake')
      .post('/tickets', { ...validTicket(), priority: 'vip' })
      .expect(400);
    expect(unknown.body.errors).toEqual([{ field: 'priority', reason: 'property priority should not exist' }]);
    const long = await p
      .as('operator', 'intake')
      .post('/tickets', { ...validTicket(), content: '噪'.repeat(4001) })
      .expect(400);
    expect(long.body.errors).toEqual([{ field: 'content', reason: 'content is 4001 characters; the limit is 4000' }]);
    const noCitizen = await p
      .as('operator', 'intake')
      .post('/tickets', { ...validTicket(), citizen: undefined })
      .expect(400);
    expect(noCitizen.body.errors[0].field).toBe('citizen');
    const elsewhere = await p
      .as('operator', 'intake')
      .post('/tickets', { ...validTicket(), location: { address: '北京', districtCode: '110101' } })
      .expect(400);
    expect(elsewhere.body.errors[0]).toEqual({ field: 'location.districtCode', reason: '110101 is not a district of city 630100' });
  });

  it('accepts a proactive grid-worker order with no citizen', async () => {
    const res = await p
      .as('operator', 'intake')
      .post('/tickets', {
        ...validTicket(),
        channel: 'grid_worker',
        citizen: undefined,
        categoryCode: 'water',
        content: '巡查发现供水主管道爆裂',
      })
      .expect(201);
    expect(res.body).toMatchObject({ proactive: true, citizen: null });
  });

  it('refuses an inverted period for the rates', async () => {
    const res = await p.as('analyst', 'analytics').get('/rates?from=2026-11-30&to=2026-11-01').expect(400);
    expect(res.body.errors).toEqual([{ field: 'to', reason: 'to is before from' }]);
  });
});

describe('access', () => {
  let chengdongOrder: string;

  beforeAll(async () => {
    const res = await p.as('operator', 'intake').post('/tickets', validTicket()).expect(201);
    chengdongOrder = (res.body as { id: string }).id;
    await eventually(
      () => p.as('cityDispatcher', 'dispatch').get(`/orders/${chengdongOrder}`),
      (o: { state?: string }) => o.state === 'dispatched',
      'the Chengdong order dispatched',
    );
  });

  it('needs a valid token', async () => {
    await p.http('intake').post('/tickets').send(validTicket()).expect(401);
    await p.http('dispatch').get('/orders').set('Authorization', 'Bearer not-a-jwt').expect(401);
  });

  it('needs the role the endpoint declares', async () => {
    const res = await p.as('handlerMarket', 'intake').post('/tickets', validTicket()).expect(403);
    expect(res.body.message).toContain('operator');
    await p.as('operator', 'dispatch').post(`/orders/${chengdongOrder}/review`, { decision: 'approved' }).expect(403);
  });

  it('hides another district’s orders from a district dispatcher, and lets the city see them', async () => {
    await p.as('dispatcher', 'dispatch').get(`/orders/${chengdongOrder}`).expect(404);
    await p.as('dispatcher', 'dispatch').post(`/orders/${chengdongOrder}/review`, { decision: 'approved' }).expect(404);
    const mine = (await p.as('dispatcher', 'dispatch').get('/orders').expect(200)).body as { districtCode: string }[];
    expect(mine.every((o) => o.districtCode === '630104')).toBe(true);
    await p.as('cityDispatcher', 'dispatch').get(`/orders/${chengdongOrder}`).expect(200);
    await p.as('dispatcher', 'analytics').get('/rates?from=2026-01-01&to=2026-01-31&districtCode=630102').expect(403);
  });
});

describe('the bus under poison', () => {
  it('dead-letters a malformed event with its validation errors and keeps consuming', async () => {
    const nc = await connect({ servers: p.env.NATS_URL });
    const js = nc.jetstream();
    const bad = {
      id: randomUUID(),
      type: 'ticket.accepted.v1',
      version: 1,
      occurredAt: new Date().toISOString(),
      district: '630104',
      ticketId: randomUUID(),
      producer: 'intake',
      data: { orderNo: 'not-a-number', channel: 'phone_12345' },
    } satisfies Partial<EnvelopeDto>;
    await js.publish(`${p.env.BUS_PREFIX}.630104.ticket.accepted.v1`, JSON.stringify(bad));
    await js.publish(`${p.env.BUS_PREFIX}.630104.ticket.accepted.v1`, '{not json');
    await nc.close();

    const letters = await eventually<{ eventId: string | null; reason: string; errors: { field: string }[] }[]>(
      () => p.as('admin', 'dispatch').get('/admin/dead-letters'),
      (l) => l.length >= 2,
      'two dead letters in dispatch',
    );
    const invalid = letters.find((l) => l.eventId === bad.id)!;
    expect(invalid.reason).toBe('invalid_payload');
    expect(invalid.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['data.orderNo', 'data.requestType', 'data.location']));
    expect(letters.some((l) => l.reason === 'malformed_json')).toBe(true);

    // Still consuming: a good order after the poison is dispatched.
    const res = await p.as('operator', 'intake').post('/tickets', validTicket()).expect(201);
    await eventually(
      () => p.as('cityDispatcher', 'dispatch').get(`/orders/${(res.body as { id: string }).id}`),
      (o: { state?: string }) => o.state === 'dispatched',
      'an order after the poison dispatched',
    );
    // Replaying it still fails, with the reason.
    const replay = await p
      .as('admin', 'dispatch')
      .post(`/admin/dead-letters/${(invalid as unknown as { id: string }).id}/replay`)
      .expect(422);
    expect(replay.body.message).toContain('still cannot apply');
  });
});

describe('operations', () => {
  const services: ServiceName[] = ['intake', 'dispatch', 'sla', 'callback', 'analytics'];

  it.each(services)('%s is live and ready, serves metrics and its OpenAPI document', async (s) => {
    await p.http(s).get('/health/live').expect(200, { status: 'up' });
    const ready = await p.http(s).get('/health/ready').expect(200);
    expect(ready.body.checks).toMatchObject({ database: { status: 'up' }, nats: { status: 'up' } });
    const metrics = await p.http(s).get('/metrics').expect(200);
    expect(metrics.text).toContain('jiesu_bus_consumed_total');
    expect(metrics.text).toContain('process_cpu_user_seconds_total');
    const doc = await p.http(s).get('/docs-json').expect(200);
    expect(Object.keys((doc.body as { paths: object }).paths).length).toBeGreaterThan(0);
  });

  it('carries the caller’s trace id into the response and onto the event it publishes', async () => {
    const traceId = randomUUID().replace(/-/g, '');
    const res = await p
      .as('operator', 'intake')
      .post('/tickets', validTicket())
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`)
      .expect(201);
    expect(res.headers.traceparent).toContain(traceId);
    const rows = await p.db.query<{ headers: { traceparent: string } }>(
      `SELECT headers FROM intake.outbox WHERE envelope->>'ticketId' = $1`,
      [(res.body as { id: string }).id],
    );
    expect(rows.rows[0].headers.traceparent).toContain(traceId);
  });
});
