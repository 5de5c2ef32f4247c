/**
 * The leaf link's own permissions, production-shaped: the city's hub runs the generated accounts
 * (natsAccountsConfig, as deploy/nats/hub.conf includes them) and accepts leaf nodes with no users of
 * its own, so the district's leaf server links in as `leaf-630104` and carries that user's
 * permissions: the district node's. The leaf server's own local user is unrestricted on purpose, as a
 * stand-in for whoever reaches a district's leaf: what they can do in the city is only what the link
 * lets through.
 *
 * The Chengxi (630104) dispatch node behind the leaf still works (an order from intake on the hub is
 * dispatched there, its events reach the hub's stream); through the leaf, nobody reads other
 * districts' or other services' subjects, answers or reads intake's queries, publishes another
 * district's or another service's events, pulls another service's consumer, or deletes the stream.
 */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { BUS_SERVICES, subjectFor } from '@app/contracts';
import { natsAccountsConfig } from '@app/platform';
import { waitFor } from '@app/platform/testing';
import { connect, JetStreamManager, Msg, NatsConnection, StringCodec } from 'nats';
import { OwnNatsServer } from '../../libs/platform/test/fixtures/nats-server';
import { DEMO_USERS } from '../../scripts/demo-users';
import { bootDispatchNode, createNodeDatabase, NodeDatabase, Order } from './dispatch-helpers';
import { agentFor, bootPlatform, eventually, Platform, submitTicket } from './platform';

jest.setTimeout(120_000);

const DISTRICT = '630104';
const DOMAIN = 'city';
const prefix = `t${randomBytes(4).toString('hex')}`;
const stream = prefix.toUpperCase();
const password = () => `p${randomBytes(16).toString('hex')}`;
const users = [...BUS_SERVICES, `dispatch-${DISTRICT}`, 'ops', 'sys'];
const passwords: Record<string, string> = Object.fromEntries([...users, 'leaf', 'local'].map((u) => [u, password()]));
const envVar = (u: string) => `NATS_PASSWORD_${u.toUpperCase().replace(/-/g, '_')}`;

let hub: OwnNatsServer | undefined;
let leaf: OwnNatsServer | undefined;
let p: Platform | undefined;
let db: NodeDatabase | undefined;
let node: INestApplication | undefined;
const open: NatsConnection[] = [];

async function onHub(user: string): Promise<NatsConnection> {
  const nc = await connect({ servers: hub!.url, user, pass: passwords[user], inboxPrefix: `_INBOX_${user}` });
  open.push(nc);
  return nc;
}

/**
 * Anyone on the district's leaf server (its local user has every right there), with the node's inbox
 * prefix, so that answers could come back down the link if the hub let the request through.
 */
async function onLeaf(): Promise<NatsConnection> {
  const nc = await connect({ servers: leaf!.url, user: 'anyone', pass: passwords.local, inboxPrefix: `_INBOX_dispatch-${DISTRICT}` });
  open.push(nc);
  return nc;
}

/** The subjects a subscription receives, as they come. */
function collect(nc: NatsConnection, subject: string): { seen: string[]; ready: Promise<void> } {
  const seen: string[] = [];
  const sub = nc.subscribe(subject);
  void (async () => {
    for await (const m of sub) seen.push(m.subject);
  })();
  return { seen, ready: nc.flush() };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  hub = await OwnNatsServer.start({
    jetstream: { domain: DOMAIN },
    leafnodes: true,
    extraConfig: natsAccountsConfig({ prefix, stream, districts: [DISTRICT], domain: DOMAIN }),
    env: { ...Object.fromEntries(users.map((u) => [envVar(u), passwords[u]])), [`LEAF_PASSWORD_${DISTRICT}`]: passwords.leaf },
    probe: { user: 'ops', pass: passwords.ops },
  });
  leaf = await OwnNatsServer.start({
    jetstream: false,
    hub,
    hubUser: { user: `leaf-${DISTRICT}`, pass: passwords.leaf },
    extraConfig: [
      'authorization { users = [',
      `  { user: "dispatch-${DISTRICT}", password: "${passwords[`dispatch-${DISTRICT}`]}" }`,
      `  { user: "anyone", password: "${passwords.local}" }`,
      '] }',
    ].join('\n'),
    probe: { user: 'anyone', pass: passwords.local, inboxPrefix: `_INBOX_dispatch-${DISTRICT}` },
  });
  const bus = { BUS_PREFIX: prefix, BUS_STREAM: stream };
  p = await bootPlatform({
    only: ['intake'],
    natsUrl: hub.url,
    natsAdmin: { user: 'ops', pass: passwords.ops },
    extraEnv: { intake: { NATS_USER: 'intake', NATS_PASSWORD: passwords.intake, ...bus } },
  });
  Object.assign(p.env, bus);
  db = await createNodeDatabase(p.env, DISTRICT);
  node = await bootDispatchNode(
    {
      ...p.env,
      NATS_URL: leaf.url,
      BUS_JS_DOMAIN: DOMAIN,
      NATS_USER: `dispatch-${DISTRICT}`,
      NATS_PASSWORD: passwords[`dispatch-${DISTRICT}`],
    },
    db.url,
    DISTRICT,
  );
});

afterEach(async () => {
  for (const nc of open.splice(0)) await nc.close().catch(() => undefined);
});

afterAll(async () => {
  const steps: [string, () => Promise<unknown> | undefined][] = [
    ['close the node', async () => node?.close()],
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

it('the district node behind the leaf works within the link’s permissions: an order from intake is dispatched, its events reach the hub', async () => {
  const { id } = await submitTicket(p!, { location: { address: '西宁市城西区一小区', districtCode: DISTRICT } });
  await eventually<Order>(
    () => agentFor(node!, DEMO_USERS.dispatcher).get(`/orders/${id}`),
    (o) => o.state === 'dispatched',
    'the order dispatched by the node behind the leaf',
  );
  await eventually<{ progress: string }>(
    () => p!.as('operator', 'intake').get(`/tickets/${id}`),
    (t) => t.progress === 'processing',
    'intake to learn the dispatch from the node',
  );
});

it('nothing beyond the node’s own subjects comes down the link: no events, no other inbox, no query', async () => {
  const local = await onLeaf();
  const events = collect(local, `${prefix}.>`);
  const inboxes = collect(local, '_INBOX_intake.>');
  const queries = collect(local, `${prefix}-q.>`);
  const everything = collect(local, '>');
  await Promise.all([events.ready, inboxes.ready, queries.ready, everything.ready]);
  await pause(300); // the interest crosses the link

  const ops = await onHub('ops');
  for (const s of [
    subjectFor(prefix, DISTRICT, 'ticket.accepted.v1'),
    subjectFor(prefix, '630105', 'ticket.dispatched.v1'),
    `_INBOX_intake.stolen`,
    `${prefix}-q.intake.citizen-contact.reveal.v2`,
  ]) {
    ops.publish(s, StringCodec().encode('{}'));
  }
  // A reveal asked on the hub is answered by intake alone, never by a listener behind the leaf.
  const dispatch = await onHub('dispatch');
  await dispatch
    .request(`${prefix}-q.intake.citizen-contact.reveal.v2`, StringCodec().encode('{}'), { timeout: 3000 })
    .catch(() => undefined);
  await ops.flush();
  await pause(500);
  expect(events.seen).toEqual([]);
  expect(inboxes.seen).toEqual([]);
  expect(queries.seen).toEqual([]);
  // What the leaf does see is the node's own: its consumers' deliveries (of its district's events,
  // through its inbox) and its own acknowledgements, published on the leaf.
  const nodeOwn = (s: string) =>
    s.startsWith(`_INBOX_dispatch-${DISTRICT}.`) ||
    s.startsWith(`$JS.ACK.${stream}.dispatch-${DISTRICT}__`) ||
    s.startsWith(`${prefix}.${DISTRICT}.`);
  expect(everything.seen.filter((s) => !nodeOwn(s))).toEqual([]);
});

it('nothing beyond the node’s own events goes up the link: not another district’s, not another service’s; its own does', async () => {
  const ops = await onHub('ops');
  const upstream = collect(ops, `${prefix}.>`);
  await upstream.ready;
  await pause(300);
  const local = await onLeaf();
  const foreign = [
    subjectFor(prefix, '630105', 'ticket.dispatched.v1'),
    subjectFor(prefix, '630105', 'ticket.redistricted.v1'),
    subjectFor(prefix, DISTRICT, 'ticket.accepted.v1'),
    subjectFor(prefix, DISTRICT, 'sla.breached.v1'),
  ];
  for (const s of foreign) local.publish(s, StringCodec().encode('{}'));
  const own = subjectFor(prefix, DISTRICT, 'ticket.signed.v1');
  local.publish(own, StringCodec().encode('{}'));
  await local.flush();
  await waitFor(
    async () => upstream.seen,
    (seen) => seen.includes(own),
    { what: 'the node’s own event on the hub' },
  );
  await pause(300);
  expect(upstream.seen).toEqual([own]);
});

it('through the leaf nobody pulls another service’s consumer, opens one on other subjects, or deletes the stream', async () => {
  const local = await onLeaf();
  const api = `$JS.${DOMAIN}.API`;
  const ask = (subject: string, body: object = {}): Promise<Msg | string> =>
    local.request(subject, StringCodec().encode(JSON.stringify(body)), { timeout: 1500 }).catch((e: Error) => e.message);
  // Intake's durable on the hub exists (intake runs there); through the leaf it does not answer.
  for (const subject of [
    `${api}.CONSUMER.INFO.${stream}.intake__ticket_dispatched_v1`,
    `${api}.CONSUMER.MSG.NEXT.${stream}.intake__ticket_dispatched_v1`,
    `${api}.CONSUMER.CREATE.${stream}.dispatch-${DISTRICT}__ticket_accepted_v1.${prefix}.630105.ticket.accepted.v1`,
    `${api}.STREAM.DELETE.${stream}`,
    `${api}.STREAM.PURGE.${stream}`,
    `$JS.API.STREAM.DELETE.${stream}`,
  ]) {
    const r = await ask(subject, { batch: 1 });
    expect([subject, typeof r === 'string' ? 'no answer' : 'answered']).toEqual([subject, 'no answer']);
  }
  // Its own stream info it may read: the link works for what the node needs.
  const info = await ask(`${api}.STREAM.INFO.${stream}`);
  expect(typeof info === 'string' ? info : info.json<{ config: { name: string } }>().config.name).toBe(stream);
  // The stream is intact on the hub.
  const ops = await onHub('ops');
  const jsm: JetStreamManager = await ops.jetstreamManager();
  expect((await jsm.streams.info(stream)).state.messages).toBeGreaterThan(0);
});
