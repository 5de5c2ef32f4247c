/**
 * A district dispatch node behind a real NATS leaf node, laid out as deploy/k8s lays it out: the
 * city's hub runs JetStream as domain `city` and accepts leaf nodes; the district's leaf node runs
 * no JetStream and holds one link to the hub; the Chengxi (630104) dispatch node, on a database of
 * its own, connects only to the leaf, with BUS_JS_DOMAIN=city. Intake runs on the hub. Both NATS
 * servers are the test's own (loopback ports, config files in temp dirs).
 *
 * An order taken by intake reaches the node through the leaf and is dispatched; the node's events
 * go back through the leaf into the hub's stream, and intake shows the unit; a step taken on the
 * node lands in the hub's stream. With the leaf link cut, the node's outbox holds its events, and
 * publishes them (once each) when the leaf is back.
 *
 * Without BUS_JS_DOMAIN the node does not even boot: across a leaf the plain $JS.API is not there
 * (and every other test here fails with it).
 */
import { INestApplication } from '@nestjs/common';
import { NATS_CONNECTION } from '@app/platform';
import { waitFor } from '@app/platform/testing';
import { connect, JetStreamManager, NatsConnection } from 'nats';
import { Client } from 'pg';
import { OwnNatsServer } from '../../libs/platform/test/fixtures/nats-server';
import { DEMO_USERS } from '../../scripts/demo-users';
import { bootDispatchNode, createNodeDatabase, NodeDatabase, Order, U } from './dispatch-helpers';
import { agentFor, bootPlatform, eventually, Platform, submitTicket } from './platform';

jest.setTimeout(60_000);

const DISTRICT = '630104';
const DOMAIN = 'city';

let hub: OwnNatsServer | undefined;
let leaf: OwnNatsServer | undefined;
let p: Platform | undefined;
let db: NodeDatabase | undefined;
let node: INestApplication | undefined;
let hubNc: NatsConnection | undefined;
let hubJsm: JetStreamManager;

beforeAll(async () => {
  hub = await OwnNatsServer.start({ jetstream: { domain: DOMAIN }, leafnodes: true });
  leaf = await OwnNatsServer.start({ jetstream: false, hub });
  p = await bootPlatform({ only: ['intake'], natsUrl: hub.url });
  db = await createNodeDatabase(p.env, DISTRICT);
  node = await bootDispatchNode({ ...p.env, NATS_URL: leaf.url, BUS_JS_DOMAIN: DOMAIN }, db.url, DISTRICT);
  hubNc = await connect({ servers: hub.url });
  hubJsm = await hubNc.jetstreamManager();
});

afterAll(async () => {
  const steps: [string, () => Promise<unknown> | undefined][] = [
    // A node whose leaf is down would wait for it to drain its connection.
    ['restart the leaf', async () => leaf && !leaf.running && (await leaf.restart())],
    ['close the node', async () => node?.close()],
    ['close the hub connection', async () => hubNc?.close()],
    ['close intake', async () => p?.close()],
    ['drop the node database', async () => db?.drop()],
    ['stop the leaf', async () => leaf?.dispose()],
    ['stop the hub', async () => hub?.dispose()],
  ];
  for (const [what, step] of steps) {
    await Promise.resolve()
      .then(step)
      .catch((e: Error) => console.warn(`cleanup: could not ${what}: ${e.message}`));
  }
});

const operator = () => p!.as('operator', 'intake');
const onNode = (user: keyof typeof DEMO_USERS) => agentFor(node!, DEMO_USERS[user]);

async function submit(phone: string): Promise<string> {
  return (await submitTicket(p!, { citizen: { name: '李四', phone }, location: { address: '西宁市城西区一小区', districtCode: DISTRICT } }))
    .id;
}

const dispatched = (id: string) =>
  eventually<Order>(
    () => onNode('dispatcher').get(`/orders/${id}`),
    (o) => o.state === 'dispatched',
    `order ${id} dispatched by the node behind the leaf`,
  );

interface Ticket {
  progress: string;
  unitName: string | null;
  publicReply: string | null;
}
const ticket = async (id: string) => (await operator().get(`/tickets/${id}`).expect(200)).body as Ticket;

interface Envelope {
  id: string;
  type: string;
  ticketId: string;
  district: string;
  producer: string;
}
const subject = (type: string) => `${p!.env.BUS_PREFIX}.${DISTRICT}.${type}`;

/** The last event of a type in the hub's stream (read on the hub itself, not through the leaf). */
const lastOnHub = (type: string) =>
  waitFor(
    async () => (await hubJsm.streams.getMessage(p!.env.BUS_STREAM, { last_by_subj: subject(type) })).json<Envelope>(),
    () => true,
    { what: `a ${type} in the hub's stream` },
  );

/** How many messages of a type the hub's stream holds. */
async function countOnHub(type: string): Promise<number> {
  const info = await hubJsm.streams.info(p!.env.BUS_STREAM, { subjects_filter: subject(type) });
  return info.state.subjects?.[subject(type)] ?? 0;
}

/** The node's outbox rows for an order: type and whether the relay has published it. */
async function outboxOf(ticketId: string): Promise<{ type: string; published: boolean }[]> {
  const c = new Client({ connectionString: db!.url });
  await c.connect();
  try {
    const r = await c.query<{ type: string; published: boolean }>(
      `SELECT type, published_at IS NOT NULL AS published FROM dispatch.outbox WHERE envelope->>'ticketId' = $1 ORDER BY seq`,
      [ticketId],
    );
    return r.rows;
  } finally {
    await c.end();
  }
}

let id: string;

it('without BUS_JS_DOMAIN a node behind the leaf finds no JetStream, and does not start', async () => {
  // The same node, but addressing the plain $JS.API, which never crosses a leaf connection.
  await expect(bootDispatchNode({ ...p!.env, NATS_URL: leaf!.url }, db!.url, DISTRICT)).rejects.toThrow(
    /JetStream \(no BUS_JS_DOMAIN\) did not answer .*503 no responders/,
  );
});

it('an order taken by intake on the hub reaches the node through the leaf, is dispatched, and intake learns the unit back', async () => {
  // The node's one NATS connection is to the leaf.
  expect(node!.get<NatsConnection>(NATS_CONNECTION).getServer()).toBe(`127.0.0.1:${leaf!.port}`);
  id = await submit('13971000001');
  const o = await dispatched(id);
  expect(o).toMatchObject({ districtCode: DISTRICT, unitId: U.market });

  // ticket.dispatched.v1 went from the node through the leaf into the hub's stream...
  expect(await lastOnHub('ticket.dispatched.v1')).toMatchObject({ ticketId: id, district: DISTRICT, producer: 'dispatch' });
  // ...where intake, on the hub, consumed it.
  const unit = (await onNode('admin').get(`/org/units/${U.market}`).expect(200)).body as { nameZh: string };
  const t = await eventually<Ticket>(
    () => operator().get(`/tickets/${id}`),
    (x) => x.progress === 'processing',
    'intake showing the order being handled',
  );
  expect(t.unitName).toBe(unit.nameZh);
});

it("a step taken on the node (the bureau signs for the order) is published through the leaf into the hub's stream", async () => {
  await onNode('handlerMarket').post(`/orders/${id}/sign`).expect(200);
  const e = await waitFor(
    () => lastOnHub('ticket.signed.v1'),
    (x) => x.ticketId === id,
    { what: `ticket.signed.v1 of ${id} in the hub's stream` },
  );
  expect(e).toMatchObject({ district: DISTRICT, producer: 'dispatch' });
  expect(await outboxOf(id)).toEqual([
    { type: 'ticket.dispatched.v1', published: true },
    { type: 'ticket.signed.v1', published: true },
  ]);
});

it('with the leaf down the outbox holds the node’s events; they are published once each when the leaf is back', async () => {
  await leaf!.kill('SIGTERM');
  const handler = onNode('handlerMarket');
  await handler.post(`/orders/${id}/contact`, { method: 'phone', note: '已电话联系诉求人' }).expect(200);
  await handler.post(`/orders/${id}/reply`, { outcome: 'resolved', replyText: '已责令物业公司检修电梯' }).expect(200);

  // Longer than the relay's 5 s publish timeout: its passes have tried and failed by now.
  await new Promise((r) => setTimeout(r, 6000));
  const held = [
    { type: 'ticket.dispatched.v1', published: true },
    { type: 'ticket.signed.v1', published: true },
    { type: 'ticket.contacted.v1', published: false },
    { type: 'ticket.replied.v1', published: false },
  ];
  expect(await outboxOf(id)).toEqual(held);
  expect(await countOnHub('ticket.replied.v1')).toBe(0);
  expect(await ticket(id)).toMatchObject({ progress: 'processing', publicReply: null });

  await leaf!.restart();
  const t = await eventually<Ticket>(
    () => operator().get(`/tickets/${id}`),
    (x) => x.progress === 'replied',
    'intake showing the reply sent while the leaf was down',
  );
  expect(t.publicReply).toBe('已责令物业公司检修电梯');
  await waitFor(
    () => outboxOf(id),
    (rows) => rows.every((r) => r.published),
    { what: 'the outbox emptied' },
  );
  // The relay's failed attempts were re-sent under the same msgID: one message per event.
  expect(await countOnHub('ticket.contacted.v1')).toBe(1);
  expect(await countOnHub('ticket.replied.v1')).toBe(1);

  // The node's consumers carry on through the restored link.
  const next = await submit('13971000002');
  expect((await dispatched(next)).unitId).toBe(U.market);
});
