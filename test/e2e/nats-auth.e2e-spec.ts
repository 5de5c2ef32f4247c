/**
 * NATS authorisation, production-shaped: a nats-server of the test's own runs the accounts block
 * that deploy/nats holds (natsAccountsConfig, generated from the contracts' tables), every service
 * connects as its own user, and an order goes its whole way — intake → dispatch → sla → callback
 * (with the citizen's number revealed over the intake query) → analytics. Then each user tries what
 * it must not: anonymous connections, reading another service's subjects or inbox, answering
 * intake's queries, publishing another service's or another district's events, opening a consumer
 * on subjects it does not consume, deleting or purging the stream.
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { BUS_SERVICES, EventEnvelope, RequestType, subjectFor, Urgency } from '@app/contracts';
import { natsAccountsConfig } from '@app/platform';
import { waitFor } from '@app/platform/testing';
import { connect, ErrorCode, NatsConnection, NatsError, StringCodec } from 'nats';
import { OwnNatsServer } from '../../libs/platform/test/fixtures/nats-server';
import {
  bootPlatform,
  eventually,
  handleAndApprove,
  newTicket,
  pendingCallbackTask,
  Platform,
  ServiceName,
  submitTicket,
} from './platform';

jest.setTimeout(240_000);

const DISTRICT_NODE = '630104';
// Letters and digits, a letter first: nats-server parses an environment value as a config value (a leading digit makes a number).
const password = () => `p${randomBytes(16).toString('hex')}`;
const users = [...BUS_SERVICES, `dispatch-${DISTRICT_NODE}`, `leaf-${DISTRICT_NODE}`, 'ops', 'sys'];
const passwords: Record<string, string> = Object.fromEntries(users.map((u) => [u, password()]));
const envVar = (u: string) =>
  u.startsWith('leaf-') ? `LEAF_PASSWORD_${u.slice(5)}` : `NATS_PASSWORD_${u.toUpperCase().replace(/-/g, '_')}`;

let nats: OwnNatsServer;
let p: Platform;
const open: NatsConnection[] = [];

/** A connection as `user`, with the inbox prefix its permissions allow (as the services connect). */
async function as(user: string): Promise<NatsConnection> {
  const nc = await connect({ servers: nats.url, user, pass: passwords[user], inboxPrefix: `_INBOX_${user}`, reconnect: false });
  open.push(nc);
  return nc;
}

/** The permission error the server sends a connection after an operation it refused. */
function nextPermissionError(nc: NatsConnection): Promise<string> {
  return (async () => {
    for await (const s of nc.status()) {
      if (s.data === ErrorCode.PermissionsViolation) {
        const ctx = (s as { permissionContext?: { operation: string; subject: string } }).permissionContext;
        return `${ctx?.operation} ${ctx?.subject}`;
      }
    }
    return 'closed';
  })();
}

async function refusedPublish(user: string, subject: string): Promise<void> {
  const nc = await as(user);
  const seen = nextPermissionError(nc);
  nc.publish(subject, StringCodec().encode('{}'));
  await nc.flush();
  await expect(seen).resolves.toBe(`publish ${subject}`);
}

async function refusedSubscribe(user: string, subject: string, queue?: string): Promise<void> {
  const nc = await as(user);
  const seen = nextPermissionError(nc);
  nc.subscribe(subject, queue ? { queue } : {});
  await nc.flush();
  await expect(seen).resolves.toBe(`subscription ${subject}`);
}

beforeAll(async () => {
  // The test's own prefix and stream (bootPlatform's testBus) are not known before boot: render
  // the accounts for the ones it will use by booting with fixed ones.
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const stream = prefix.toUpperCase();
  nats = await OwnNatsServer.start({
    extraConfig: natsAccountsConfig({ prefix, stream, districts: [DISTRICT_NODE] }),
    env: Object.fromEntries(users.map((u) => [envVar(u), passwords[u]])),
    probe: { user: 'ops', pass: passwords.ops },
  });
  const extraEnv = Object.fromEntries(
    (['intake', 'dispatch', 'sla', 'callback', 'analytics'] as ServiceName[]).map((s) => [
      s,
      { NATS_USER: s, NATS_PASSWORD: passwords[s], BUS_PREFIX: prefix, BUS_STREAM: stream },
    ]),
  );
  p = await bootPlatform({ natsUrl: nats.url, natsAdmin: { user: 'ops', pass: passwords.ops }, extraEnv });
  p.env.BUS_PREFIX = prefix;
  p.env.BUS_STREAM = stream;
});

afterEach(async () => {
  for (const nc of open.splice(0)) await nc.close().catch(() => undefined);
});

afterAll(async () => {
  await p?.close();
  await nats?.dispose();
});

test('every service works as its own user: an order goes from intake to a satisfied close, with the number revealed over the query', async () => {
  const created = await p.as('operator', 'intake').post('/tickets', newTicket()).expect(201);
  const id = (created.body as { id: string }).id;
  // Routed by the demo rules (the lift category goes to the market-regulation bureau): intake →
  // dispatch over the bus; sla sets the clocks.
  await eventually(
    () => p.as('dispatcher', 'dispatch').get(`/orders/${id}`),
    (o) => o.state === 'dispatched',
    'the order dispatched',
  );
  await handleAndApprove(p, 'handlerMarket', id, '已联系维保公司维修电梯');
  const task = await pendingCallbackTask(p, id, 1);
  await p.as('callbackAgent', 'callback').post(`/tasks/${task.id}/claim`).expect(200);
  // The reveal travels callback → intake on the query subject, answered on callback's own inbox.
  const contact = await p.as('callbackAgent', 'callback').get(`/tasks/${task.id}/contact`).expect(200);
  expect(contact.body).toEqual({ name: '刘晓梅', phone: '13897001234' });
  await p
    .as('callbackAgent', 'callback')
    .post(`/tasks/${task.id}/complete`, { contacted: true, resolved: true, satisfaction: 'satisfied' })
    .expect(200);
  await eventually(
    () => p.as('dispatcher', 'dispatch').get(`/orders/${id}`),
    (o) => o.state === 'closed',
    'the order closed',
  );
  await eventually(
    () => p.as('operator', 'intake').get(`/tickets/${id}`),
    (t) => t.progress === 'closed',
    'intake to learn the order closed',
  );
});

test('no connection without a user and password', async () => {
  await expect(connect({ servers: nats.url, reconnect: false })).rejects.toMatchObject({ code: ErrorCode.AuthorizationViolation });
  await expect(connect({ servers: nats.url, user: 'intake', pass: 'wrong-password-123', reconnect: false })).rejects.toBeInstanceOf(
    NatsError,
  );
});

test("a service cannot read another's events nor anyone's inbox; only the console reads the live feed", async () => {
  await refusedSubscribe('callback', `${p.env.BUS_PREFIX}.>`);
  await refusedSubscribe('sla', `${p.env.BUS_PREFIX}.${DISTRICT_NODE}.ticket.accepted.v1`);
  await refusedSubscribe('dispatch', '_INBOX_intake.>');
  await refusedSubscribe('callback', '_INBOX.>');
  const live = await as('console');
  live.subscribe(`${p.env.BUS_PREFIX}.>`);
  await live.flush();
});

test("nobody but intake answers intake's queries: joining its queue group or listening in is refused", async () => {
  const subject = `${p.env.BUS_PREFIX}-q.intake.citizen-contact.reveal.v2`;
  for (const user of ['callback', 'dispatch', 'analytics', 'console', `dispatch-${DISTRICT_NODE}`]) {
    await refusedSubscribe(user, subject, `${p.env.BUS_PREFIX}-intake-queries`);
  }
  // ...and only dispatch and callback may ask.
  await refusedPublish('analytics', subject);
  await refusedPublish('sla', subject);
});

test("a service cannot publish another service's events; a district node cannot publish another district's", async () => {
  const prefix = p.env.BUS_PREFIX;
  await refusedPublish('callback', subjectFor(prefix, DISTRICT_NODE, 'ticket.accepted.v1'));
  await refusedPublish('intake', subjectFor(prefix, DISTRICT_NODE, 'ticket.closed.v1'));
  await refusedPublish('analytics', subjectFor(prefix, DISTRICT_NODE, 'sla.breached.v1'));
  await refusedPublish(`dispatch-${DISTRICT_NODE}`, subjectFor(prefix, '630105', 'ticket.dispatched.v1'));
  await refusedPublish(`dispatch-${DISTRICT_NODE}`, subjectFor(prefix, '630105', 'ticket.closed.v1'));
  // Its own district's, it may: the stream acknowledges the message.
  const node = await as(`dispatch-${DISTRICT_NODE}`);
  const ack = await node.jetstream().publish(subjectFor(prefix, DISTRICT_NODE, 'ticket.signed.v1'), StringCodec().encode('{}'));
  expect(ack.stream).toBe(p.env.BUS_STREAM);
});

test("a district node cannot move another district's order: a hand-over travels under the district the order leaves", async () => {
  const prefix = p.env.BUS_PREFIX;
  const node = `dispatch-${DISTRICT_NODE}`;
  // Chengbei's order (630105), which the Chengxi node (630104) would take for itself.
  const { id, orderNo } = await submitTicket(p, { location: { address: '西宁市城北区小桥大街1号', districtCode: '630105' } });
  const envelope = (district: string): EventEnvelope<'ticket.redistricted.v1'> => ({
    id: randomUUID(),
    type: 'ticket.redistricted.v1',
    version: 1,
    occurredAt: new Date().toISOString(),
    district,
    ticketId: id,
    producer: 'dispatch',
    data: {
      fromDistrictCode: '630105',
      districtCode: DISTRICT_NODE,
      reason: '抢单',
      redistrictedBy: randomUUID(),
      redistrictedAt: new Date().toISOString(),
      order: {
        orderNo,
        categoryCode: 'lift',
        requestType: RequestType.Complaint,
        urgency: Urgency.Ordinary,
        flags: [],
        content: '电梯故障',
        address: '西宁市城北区小桥大街1号',
        identityHidden: false,
        proactive: false,
        cycle: 1,
        reworkCount: 0,
        returnable: true,
        acceptedAt: new Date().toISOString(),
      },
    },
  });
  // As the sending district's event (where a hand-over of a 630105 order travels): NATS refuses it.
  await refusedPublish(node, subjectFor(prefix, '630105', 'ticket.redistricted.v1'));
  // Under its own district, claiming the other district's order: NATS takes it (its own subject), and
  // every consumer dead-letters it, since the subject's district is not the one the order leaves.
  const forged = envelope(DISTRICT_NODE);
  const nc = await as(node);
  await nc.jetstream().publish(subjectFor(prefix, DISTRICT_NODE, 'ticket.redistricted.v1'), JSON.stringify(forged));
  for (const schema of ['intake', 'dispatch', 'sla', 'callback']) {
    await waitFor(
      async () => (await p.db.query<{ reason: string }>(`SELECT reason FROM ${schema}.dead_letter WHERE event_id = $1`, [forged.id])).rows,
      (rows) => rows.length === 1 && rows[0].reason === 'type_mismatch',
      { what: `${schema} to dead-letter the forged hand-over`, timeoutMs: 20_000 },
    );
  }
  // The order stays Chengbei's.
  const rows = await p.db.query<{ d: string }>('SELECT district_code AS d FROM intake.ticket WHERE id = $1', [id]);
  expect(rows.rows).toEqual([{ d: '630105' }]);
});

test('a service cannot open a consumer on what it does not consume, nor delete, purge or edit the stream', async () => {
  const { BUS_PREFIX: prefix, BUS_STREAM: stream } = p.env;
  const callback = await as('callback');
  const jsm = await callback.jetstreamManager();
  // A consumer of its own name on subjects it does not consume (sla's breaches).
  await expect(
    jsm.consumers.add(stream, { durable_name: 'callback__ticket_accepted_v1', filter_subject: `${prefix}.*.sla.breached.v1` }),
  ).rejects.toThrow();
  // The legacy create subject without the filter in it, which could read anything.
  await refusedPublish('callback', `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.callback__ticket_accepted_v1`);
  for (const user of ['intake', 'dispatch', 'sla', 'callback', 'analytics', 'console', `dispatch-${DISTRICT_NODE}`]) {
    await refusedPublish(user, `$JS.API.STREAM.DELETE.${stream}`);
  }
  await refusedPublish('intake', `$JS.API.STREAM.PURGE.${stream}`);
  await refusedPublish('dispatch', `$JS.API.STREAM.UPDATE.${stream}`);
  await refusedPublish('sla', `$JS.API.STREAM.MSG.DELETE.${stream}`);
  // The stream is still there, with every event of the order above.
  const ops = await as('ops');
  const info = await (await ops.jetstreamManager()).streams.info(stream);
  expect(info.state.messages).toBeGreaterThan(5);
});
