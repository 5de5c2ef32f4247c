import { Channel, NotAcceptedReason, TicketFlag } from '@app/contracts';
import { BusOptions, FieldValidationException, loadConfig, Outbox, PgListener, TransactionHost } from '@app/platform';
import { ServiceTier, serviceTier, waitFor } from '@app/platform/testing';
import { ForbiddenException } from '@nestjs/common';
import { createSecretKey, hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { join } from 'node:path';
import { PiiCipher } from '../../apps/intake/src/citizens/pii.service';
import { ClassifierRepository } from '../../apps/intake/src/classification/classifier.repository';
import { ClassifierService } from '../../apps/intake/src/classification/classifier.service';
import { cosine } from '../../apps/intake/src/classification/text';
import { DuplicatesRepository, MatchRow } from '../../apps/intake/src/duplicates/duplicates.repository';
import { distanceM, DuplicatesService, MatterProbe } from '../../apps/intake/src/duplicates/duplicates.service';
import { IntakeConfig } from '../../apps/intake/src/intake.config';
import { INTAKE_PERSISTENCE } from '../../apps/intake/src/intake.persistence';
import { INTAKE_CONFIG } from '../../apps/intake/src/intake.tokens';
import { KnowledgeRepository } from '../../apps/intake/src/knowledge/knowledge.repository';
import { KnowledgeService } from '../../apps/intake/src/knowledge/knowledge.service';
import { TaxonomyRepository } from '../../apps/intake/src/taxonomy/taxonomy.repository';
import { rootOf } from '../../apps/intake/src/taxonomy/taxonomy.data';
import { TaxonomyService } from '../../apps/intake/src/taxonomy/taxonomy.service';
import { Submission, Submitter } from '../../apps/intake/src/tickets/submission';
import { SubmissionService } from '../../apps/intake/src/tickets/submission.service';
import { orderSuffix } from '../../apps/intake/src/tickets/order-numbers';
import { TicketsRepository } from '../../apps/intake/src/tickets/tickets.repository';

/** 受理 (SubmissionService): what is stored and what is published for each kind of submission. */
let tier: ServiceTier;
let submissions: SubmissionService;
const config = loadConfig(IntakeConfig, {
  PII_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  PII_HASH_KEY: randomBytes(32).toString('base64'),
  CONCENTRATED_MIN_CITIZENS: '3',
});
const operator: Submitter = { id: 'op-001', districts: null, staff: true };
const chengxiOperator: Submitter = { id: 'op-630104', districts: ['630104'], staff: true };

beforeAll(async () => {
  tier = await serviceTier({
    service: 'intake',
    persistence: INTAKE_PERSISTENCE,
    providers: [
      { provide: INTAKE_CONFIG, useValue: config },
      { provide: PiiCipher, useFactory: () => new PiiCipher(config.PII_KEYS, config.PII_HASH_KEY) },
      TicketsRepository,
      TaxonomyRepository,
      TaxonomyService,
      ClassifierRepository,
      ClassifierService,
      DuplicatesRepository,
      DuplicatesService,
      KnowledgeRepository,
      KnowledgeService,
      SubmissionService,
    ],
  });
  submissions = tier.get(SubmissionService);
});
afterAll(() => tier?.close());
beforeEach(() => tier.outbox.clear());

let phoneSeq = 0;
/** A phone complaint about a lift in Chengxi, from a caller of its own unless `phone` is given. */
function call(over: Partial<Submission> = {}): Submission {
  return {
    channel: Channel.Phone,
    categoryCode: 'lift',
    content: '胜利路12号小区电梯忽上忽下，多次困人',
    citizen: { name: '刘晓梅', phone: `1389700${String(++phoneSeq).padStart(4, '0')}` },
    location: { address: '西宁市城西区胜利路12号', districtCode: '630104' },
    ...over,
  };
}

async function countTickets(): Promise<number> {
  const [{ n }] = await tier.ds.query<{ n: string }[]>(`SELECT count(*) AS n FROM intake.ticket`);
  return Number(n);
}

it('accepts a phone complaint: stored with the citizen encrypted and masked, ticket.accepted.v1 without the identity', async () => {
  const r = await submissions.submit(operator, call());
  expect(r.replayed).toBe(false);
  expect(r.ticket).toMatchObject({ location: { districtCode: '630104' }, categoryCode: 'lift', disposition: 'dispatch', flags: [] });
  expect(r.ticket.orderNo).toMatch(/^20260302-\d{6}$/);
  const [row] = await tier.ds.query<{ citizen_phone_enc: string; citizen_phone_masked: string }[]>(
    `SELECT citizen_phone_enc, citizen_phone_masked FROM intake.ticket WHERE id = $1`,
    [r.ticket.id],
  );
  expect(row.citizen_phone_enc).not.toContain('13897');
  expect(row.citizen_phone_masked).toMatch(/^138\*{4}\d{4}$/);
  const e = tier.outbox.only('ticket.accepted.v1');
  expect(e).toMatchObject({ ticketId: r.ticket.id, district: '630104', producer: 'intake' });
  expect(e.data).toMatchObject({ orderNo: r.ticket.orderNo, categoryCode: 'lift', flags: [], smsReachable: true, proactive: false });
  expect(JSON.stringify(e)).not.toContain('刘晓梅');
});

it('flags the same caller about the same matter again as a repeat (重复件)', async () => {
  const first = call();
  await submissions.submit(operator, first);
  tier.outbox.clear();
  const r = await submissions.submit(operator, call({ citizen: first.citizen }));
  expect(r.ticket.flags).toEqual([TicketFlag.Repeat]);
  expect(tier.outbox.only('ticket.accepted.v1').data.flags).toEqual([TicketFlag.Repeat]);
});

it('flags a matter many citizens raise as concentrated (集中件) once CONCENTRATED_MIN_CITIZENS call', async () => {
  const content = '城北区朝阳街道供暖管道漏水，整栋楼暖气不热';
  const at = { address: '西宁市城北区朝阳东路8号', districtCode: '630105' };
  await submissions.submit(operator, call({ content, categoryCode: 'heating', location: at }));
  await submissions.submit(operator, call({ content, categoryCode: 'heating', location: at }));
  tier.outbox.clear();
  const r = await submissions.submit(operator, call({ content, categoryCode: 'heating', location: at }));
  expect(r.ticket.flags).toContain(TicketFlag.Concentrated);
  expect(tier.outbox.only('ticket.accepted.v1').data.flags).toContain(TicketFlag.Concentrated);
});

it('counts the contacts merged into a similar order and every anonymous citizen towards concentrated, a repeated phone once', async () => {
  const content = '城中区南关街道路灯整条街不亮，夜里行人摔倒';
  const at = { address: '西宁市城中区南关街18号', districtCode: '630103' };
  const matter = (over: Partial<Submission> = {}) => call({ content, categoryCode: 'street_light', location: at, ...over });
  const anonymousWeb = () => matter({ channel: Channel.Web, citizen: undefined, anonymous: true });
  const first = matter();
  const order = await submissions.submit(operator, first);
  // The same caller again, merged into the order: still one citizen.
  await submissions.submit(operator, matter({ citizen: first.citizen, mergeInto: order.ticket.id }));
  expect((await submissions.submit(operator, matter({ citizen: first.citizen }))).ticket.flags).not.toContain(TicketFlag.Concentrated);
  // An anonymous contact merged into the order is a second citizen; this third caller makes three.
  await submissions.submit(operator, { ...anonymousWeb(), mergeInto: order.ticket.id });
  const third = await submissions.submit(operator, anonymousWeb());
  expect(third.ticket.flags).toContain(TicketFlag.Concentrated);
});

it("decides repeat from the caller's orders and concentrated from the open similar ones, read in one statement (none by phone without a phone)", async () => {
  const duplicates = tier.get(DuplicatesService);
  const pii = tier.get(PiiCipher);
  const content = '大通县桥头镇八一路路面塌陷，车辆无法通行';
  const there = { address: '西宁市大通县桥头镇八一路', districtCode: '630121' };
  const matter = (over: Partial<Submission> = {}) => call({ content, categoryCode: 'road', location: there, ...over });
  // The caller raised the matter in another district (so only their phone finds it); two other
  // callers raised it here: with this caller, three citizens on one matter.
  const caller = matter().citizen!;
  await submissions.submit(operator, matter({ citizen: caller, location: { address: '西宁市湟中区鲁沙尔镇', districtCode: '630106' } }));
  await submissions.submit(operator, matter());
  await submissions.submit(operator, matter());
  const probe = (phone: string | null, over: Partial<MatterProbe> = {}): MatterProbe => ({
    content,
    categoryCode: 'road',
    districtCode: '630121',
    phoneHash: phone === null ? null : pii.phoneHash(phone),
    ...over,
  });
  const spy = jest.spyOn(EntityManager.prototype, 'query');
  const flagsOf = async (p: MatterProbe) => {
    spy.mockClear();
    const flags = await duplicates.flagsFor(p);
    expect(spy).toHaveBeenCalledTimes(1);
    return { flags, byPhone: /citizen_phone_hash = \$/.test(String(spy.mock.calls[0][0])) };
  };
  try {
    // The same phone on the same matter (another district's order): repeat; with the two here: concentrated.
    expect(await flagsOf(probe(caller.phone))).toEqual({ flags: [TicketFlag.Repeat, TicketFlag.Concentrated], byPhone: true });
    // Another caller: the two here and this one make three, and no order of theirs.
    expect(await flagsOf(probe('13897099999'))).toEqual({ flags: [TicketFlag.Concentrated], byPhone: true });
    // No phone (an anonymous citizen counts as one): concentrated, and nothing read by phone.
    expect(await flagsOf(probe(null))).toEqual({ flags: [TicketFlag.Concentrated], byPhone: false });
    // The caller on another matter: not a repeat, nothing similar.
    expect(await flagsOf(probe(caller.phone, { content: '大通县桥头镇公园里的健身器材损坏' }))).toEqual({ flags: [], byPhone: true });
    // The caller in the other district, on the same matter: a repeat, and only one citizen there.
    expect(await flagsOf(probe(caller.phone, { districtCode: '630106' }))).toEqual({ flags: [TicketFlag.Repeat], byPhone: true });
    // Another category root: neither half is the same matter.
    expect(await flagsOf(probe(caller.phone, { categoryCode: 'lift' }))).toEqual({ flags: [], byPhone: true });
  } finally {
    spy.mockRestore();
  }
  // The rows of the one statement are those of the two reads it replaces (by id: the test clock
  // stands still, so their accepted_at ties).
  const repo = tier.get(DuplicatesRepository);
  const byId = (rows: MatchRow[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
  const hash = pii.phoneHash(caller.phone);
  const words = duplicates.wordsOf(content);
  const scope = { districtCode: '630121', categoryRoot: 'road' };
  const both = await repo.similarAndByPhone(scope, new Date(0), words, 500, 0.499, { hash, limit: 50 });
  expect(both.similar).toHaveLength(2);
  expect(byId(both.similar)).toEqual(byId(await repo.openSimilar(scope, new Date(0), words, 500, 0.499, { citizens: true })));
  expect(both.byPhone).toHaveLength(1);
  expect(both.byPhone).toEqual(await repo.byPhoneHash(hash, new Date(0), 50));
});

it('merges a contact into an open order: ticket.merged.v1 on the order, with the citizens counted', async () => {
  const target = await submissions.submit(operator, call());
  tier.outbox.clear();
  const r = await submissions.submit(operator, call({ mergeInto: target.ticket.id }));
  expect(r.ticket.disposition).toBe('merged');
  expect(tier.outbox.types()).toEqual(['ticket.merged.v1']);
  expect(tier.outbox.only('ticket.merged.v1')).toMatchObject({
    ticketId: target.ticket.id,
    data: { contactId: r.ticket.id, citizenCount: 2 },
  });
});

it('refuses a matter the hotline does not take (不予受理): stored with its guidance, ticket.not-accepted.v1 for the counts, no citizen', async () => {
  const refused = call({
    disposition: 'not_accepted',
    notAcceptedReason: NotAcceptedReason.Litigation,
    location: { address: '西宁市城西区胜利路12号', districtCode: '630104', streetCode: '630104004' },
  });
  const r = await submissions.submit(operator, refused);
  expect(r.ticket.disposition).toBe('not_accepted');
  expect(r.ticket.publicAnswer).toContain('诉讼');
  expect(tier.outbox.types()).toEqual(['ticket.not-accepted.v1']);
  const e = tier.outbox.only('ticket.not-accepted.v1');
  expect(e).toMatchObject({ ticketId: r.ticket.id, district: '630104', producer: 'intake', occurredAt: r.ticket.acceptedAt });
  expect(e.data).toEqual({
    orderNo: r.ticket.orderNo,
    channel: Channel.Phone,
    requestType: 'complaint',
    categoryCode: 'lift',
    reason: NotAcceptedReason.Litigation,
    streetCode: '630104004',
    notAcceptedAt: r.ticket.acceptedAt,
  });
  // Neither the citizen nor the words or the address travel (the event is for the counts).
  const text = JSON.stringify(e);
  for (const s of [refused.citizen!.name, refused.citizen!.phone, refused.content, refused.location.address]) expect(text).not.toContain(s);
  // The same submission again under its Idempotency-Key: the stored refusal, no second event.
  tier.outbox.clear();
  const idem = { key: `refusal-${r.ticket.id}`, requestHash: 'h' };
  const first = await submissions.submit(operator, refused, idem);
  expect(tier.outbox.types()).toEqual(['ticket.not-accepted.v1']);
  tier.outbox.clear();
  const again = await submissions.submit(operator, refused, idem);
  expect(again).toMatchObject({ replayed: true, ticket: { id: first.ticket.id } });
  expect(tier.outbox.types()).toEqual([]);
});

it('answers at first contact: ticket.answered.v1, not accepted for dispatch', async () => {
  const r = await submissions.submit(operator, call({ disposition: 'answered', answer: '请拨打96333电梯应急救援电话' }));
  expect(r.ticket.disposition).toBe('answered');
  expect(tier.outbox.types()).toEqual(['ticket.answered.v1']);
  expect(tier.outbox.only('ticket.answered.v1').data).toMatchObject({ answer: '请拨打96333电梯应急救援电话' });
});

it('refuses an invalid submission with every field and reason, storing and publishing nothing', async () => {
  const before = await countTickets();
  const bad = call({
    citizen: undefined,
    anonymous: false,
    categoryCode: 'no_such_category',
    location: { address: 'x', districtCode: '110101' },
  });
  const err = await submissions.submit(operator, bad).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(FieldValidationException);
  const fields = ((err as FieldValidationException).getResponse() as { errors: { field: string }[] }).errors.map((x) => x.field).sort();
  expect(fields).toEqual(['categoryCode', 'citizen', 'location.districtCode']);
  expect(await countTickets()).toBe(before);
  expect(tier.outbox.types()).toEqual([]);
});

it('refuses a phone caller who wants to stay fully anonymous (400 on anonymous)', async () => {
  await expect(submissions.submit(operator, call({ citizen: undefined, anonymous: true }))).rejects.toThrow(
    /does not allow a fully anonymous/,
  );
});

it('refuses an operator an order of a district outside their scope (403)', async () => {
  const at = { address: '西宁市城北区朝阳东路8号', districtCode: '630105' };
  await expect(submissions.submit(chengxiOperator, call({ location: at }))).rejects.toBeInstanceOf(ForbiddenException);
  expect(tier.outbox.types()).toEqual([]);
});

it('replays a submission under the same Idempotency-Key without a second order or event', async () => {
  const idem = { key: 'k-1', requestHash: 'h-1' };
  const first = await submissions.submit(operator, call(), idem);
  tier.outbox.clear();
  const again = await submissions.submit(operator, call(), idem);
  expect(again).toMatchObject({ replayed: true, ticket: { id: first.ticket.id } });
  expect(tier.outbox.types()).toEqual([]);
  await expect(submissions.submit(operator, call(), { key: 'k-1', requestHash: 'h-2' })).rejects.toThrow(/different request/);
});

it('scores duplicate candidates in Postgres exactly as cosine() does, and finds the same candidates as comparing every order', async () => {
  const labelled = readFileSync(join(__dirname, '../../apps/intake/src/classification/eval/labelled.zh.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { text: string; category: string });
  const at = { address: '西宁市城东区东关大街1号', districtCode: '630102' };
  const texts = labelled.slice(0, 60);
  // Each text twice (a near-duplicate pair), so that many pairs reach the threshold.
  for (const x of [...texts, ...texts.map((t) => ({ ...t, text: `${t.text}，请尽快处理` }))]) {
    await submissions.submit(operator, call({ content: x.text, categoryCode: rootOf(x.category), location: at }));
  }
  const duplicates = tier.get(DuplicatesService);
  const repo = tier.get(DuplicatesRepository);
  const open = await tier.ds.query<{ id: string; words: string[]; category_code: string }[]>(
    `SELECT id, match_words AS words, category_code FROM intake.ticket WHERE district_code = '630102' AND disposition = 'dispatch'`,
  );
  expect(open.length).toBe(120);
  let scored = 0;
  let matched = 0;
  for (const x of labelled.slice(0, 80)) {
    const words = duplicates.wordsOf(x.text);
    // Every order sharing a word (floor 0): the similarity Postgres computed is cosine()'s, to the bit.
    const rows = await repo.openSimilar({ districtCode: '630102' }, new Date(0), words, 500, 0);
    for (const r of rows) expect(r.similarity).toBe(cosine(words, r.words!));
    const sharing = open.filter((o) => o.words.some((w) => words.includes(w)));
    expect(rows.map((r) => r.id).sort()).toEqual(sharing.map((o) => o.id).sort());
    scored += rows.length;
    // The check itself: the same candidates, with the same similarities, as comparing every open order here.
    const probe = { content: x.text, categoryCode: rootOf(x.category), districtCode: '630102' };
    const expected = open
      .filter((o) => rootOf(o.category_code) === probe.categoryCode)
      .map((o) => ({ id: o.id, similarity: Math.round(cosine(words, o.words) * 1000) / 1000 }))
      .filter((o) => o.similarity >= config.DUPLICATE_MIN_SIMILARITY)
      .sort((a, b) => a.id.localeCompare(b.id));
    const found = (await duplicates.candidates(probe, 500)).map((c) => ({ id: c.id, similarity: c.similarity }));
    expect(found.sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected);
    matched += found.length;
  }
  expect(scored).toBeGreaterThan(500);
  expect(matched).toBeGreaterThan(80);
}, 120_000);

it('filters the duplicate scan by category root and place before scoring, and still finds what comparing every order finds', async () => {
  // One matter reported around one point in Huangyuan: points up to 1.5 km away (some just inside and
  // just outside the radius), some without a point, on two streets or none, in two category roots.
  const [lat0, lng0] = [36.65, 101.75];
  const mPerDeg = (6_371_000 * Math.PI) / 180;
  const at = (m: number, bearing: number) => ({
    lat: lat0 + (m * Math.cos(bearing)) / mPerDeg,
    lng: lng0 + (m * Math.sin(bearing)) / (mPerDeg * Math.cos((lat0 * Math.PI) / 180)),
  });
  const content = '朝阳西路小区门口下水道堵塞，污水外溢，气味很大';
  const streets = ['630123001', '630123002', undefined];
  const distances = [0, 120, 300, 480, 495, 505, 520, 800, 1500];
  let i = 0;
  for (const m of distances) {
    for (const street of streets) {
      const p = at(m, i * 0.7);
      const withPoint = i % 4 !== 3;
      await submissions.submit(
        operator,
        call({
          content,
          categoryCode: i % 5 === 4 ? 'road' : 'drainage',
          location: { address: '西宁市湟源县', districtCode: '630123', streetCode: street, ...(withPoint ? p : {}) },
        }),
      );
      i++;
    }
  }
  const open = await tier.ds.query<
    { id: string; words: string[]; category_code: string; street_code: string | null; lat: number | null; lng: number | null }[]
  >(
    `SELECT id, match_words AS words, category_code, street_code, lat, lng FROM intake.ticket
      WHERE district_code = '630123' AND disposition = 'dispatch' AND progress <> 'closed'`,
  );
  expect(open.length).toBe(distances.length * streets.length);
  const duplicates = tier.get(DuplicatesService);
  const words = duplicates.wordsOf(content);
  const probes = [
    { ...at(0, 0), streetCode: '630123001' },
    { ...at(10, 2), streetCode: null },
    { ...at(250, 1), streetCode: '630123002' },
    { lat: null, lng: null, streetCode: '630123001' },
    { lat: null, lng: null, streetCode: '630123002' },
    { lat: null, lng: null, streetCode: null },
  ];
  let found = 0;
  for (const place of probes) {
    for (const categoryCode of ['drainage', 'road']) {
      const probe = { content, categoryCode, districtCode: '630123', ...place };
      const expected = open
        .filter((o) => rootOf(o.category_code) === categoryCode)
        .filter((o) => Math.round(cosine(words, o.words) * 1000) / 1000 >= config.DUPLICATE_MIN_SIMILARITY)
        .filter((o) =>
          place.lat != null && o.lat !== null && o.lng !== null
            ? distanceM(place.lat, place.lng, o.lat, o.lng) <= config.DUPLICATE_RADIUS_M
            : place.streetCode && o.street_code
              ? o.street_code === place.streetCode
              : true,
        )
        .map((o) => o.id)
        .sort();
      const got = (await duplicates.candidates(probe, 500)).map((c) => c.id).sort();
      expect(got).toEqual(expected);
      found += got.length;
    }
  }
  expect(found).toBeGreaterThan(20);
  // The repository scores only the scope (root and place), not every open order of the district.
  const repo = tier.get(DuplicatesRepository);
  const near = { ...at(0, 0), radiusM: config.DUPLICATE_RADIUS_M };
  const scoped = await repo.openSimilar({ districtCode: '630123', categoryRoot: 'drainage', near }, new Date(0), words, 500, 0);
  const all = await repo.openSimilar({ districtCode: '630123' }, new Date(0), words, 500, 0);
  expect(all).toHaveLength(open.length);
  expect(scoped.length).toBeGreaterThan(0);
  expect(scoped.length).toBeLessThan(open.length);
});

/** The generic plan Postgres keeps for the first statement `run` sends whose text contains `marker`, as a prepared statement (seqscans off: the test data is small). */
async function genericPlan(marker: string, run: () => Promise<unknown>): Promise<string> {
  const spy = jest.spyOn(EntityManager.prototype, 'query');
  await run();
  const [text, params] = spy.mock.calls.find(([q]) => String(q).includes(marker))! as [string, unknown[]];
  spy.mockRestore();
  const c = new Client({ connectionString: tier.db.url });
  await c.connect();
  try {
    await c.query(`SET search_path = intake, public`);
    await c.query(`SET plan_cache_mode = force_generic_plan`);
    await c.query(`SET enable_seqscan = off`);
    await c.query(`PREPARE scan AS ${text}`);
    // EXPLAIN EXECUTE takes no bind parameters: the values go as literals.
    const literal = (v: unknown): string =>
      v === null
        ? 'NULL'
        : Array.isArray(v)
          ? `ARRAY[${v.map(literal).join(', ')}]::text[]`
          : v instanceof Date
            ? c.escapeLiteral(v.toISOString())
            : typeof v === 'number'
              ? String(v)
              : c.escapeLiteral(v as string);
    const plan = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE scan(${params.map(literal).join(', ')})`);
    return plan.rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await c.end();
  }
}

it("plans the duplicate scan on the scope index even as a prepared statement's generic plan", async () => {
  // A pooled connection keeps the statement prepared, and after five runs Postgres may plan it once for
  // any values. That plan must still find the scope through idx_ticket_match_scope: a condition like
  // `($n IS NULL OR root = $n)` cannot use it, and the generic plan then read the whole window.
  const words = tier.get(DuplicatesService).wordsOf('小区门口下水道堵塞');
  const plan = await genericPlan('WITH probe', () =>
    tier.get(DuplicatesRepository).openSimilar({ districtCode: '630123', categoryRoot: 'drainage' }, new Date(0), words, 500, 0.5),
  );
  expect(plan).toMatch(/idx_ticket_match_scope[\s\S]*Index Cond: .*split_part/);
});

it("plans the flags' one statement on the scope index and the phone's, as a generic plan too", async () => {
  const words = tier.get(DuplicatesService).wordsOf('小区门口下水道堵塞');
  const hash = tier.get(PiiCipher).phoneHash('13897000001');
  const plan = await genericPlan('UNION ALL', () =>
    tier
      .get(DuplicatesRepository)
      .similarAndByPhone({ districtCode: '630123', categoryRoot: 'drainage' }, new Date(0), words, 500, 0.5, { hash, limit: 50 }),
  );
  expect(plan).toMatch(/idx_ticket_match_scope[\s\S]*Index Cond: .*split_part/);
  expect(plan).toMatch(/idx_ticket_phone_hash[\s\S]*Index Cond: \(citizen_phone_hash = /);
});

it('writes a usual submission in one statement, no transaction: the order, its classifier sample and its event', async () => {
  const statements: string[] = [];
  const seen = jest.spyOn(tier.ds.logger, 'logQuery').mockImplementation((q: string) => void statements.push(q));
  let r: Awaited<ReturnType<SubmissionService['submit']>>;
  try {
    r = await submissions.submit(operator, call({ suggestedCategoryCode: 'lift' }));
  } finally {
    seen.mockRestore();
  }
  const writes = statements.filter((q) => /INSERT|UPDATE|DELETE/.test(q) && !/order_sequence/.test(q));
  expect(writes).toHaveLength(1);
  expect(writes[0]).toMatch(/^WITH w0 AS \(INSERT INTO "ticket"[\s\S]*w1 AS \(INSERT INTO classifier_sample/);
  expect(statements.filter((q) => /^(START TRANSACTION|BEGIN|COMMIT)/.test(q))).toEqual([]);
  const [{ n }] = await tier.ds.query<{ n: string }[]>(`SELECT count(*) AS n FROM intake.classifier_sample WHERE ticket_id = $1`, [
    r.ticket.id,
  ]);
  expect(Number(n)).toBe(1);
  expect(tier.outbox.only('ticket.accepted.v1').ticketId).toBe(r.ticket.id);
});

it('skips an order number taken already (an order numbered before the permutation): the order gets the next one, nothing half-written', async () => {
  const key = createSecretKey(
    Buffer.from(hkdfSync('sha256', Buffer.from(config.PII_HASH_KEY, 'base64'), Buffer.alloc(0), 'jiesu intake order-number v1', 32)),
  );
  const day = '2026-03-02';
  const numberOf = (seq: number) => `20260302-${orderSuffix(key, day, seq)}`;
  // The process's block ends at `last`; every number from the last one used up to two past the block
  // (the next block's first two, if this one is used up) is taken by an older order.
  const [{ last }] = await tier.ds.query<{ last: number }[]>(`SELECT last FROM intake.order_sequence WHERE day = $1`, [day]);
  const stored = new Set((await tier.ds.query<{ order_no: string }[]>(`SELECT order_no FROM intake.ticket`)).map((r) => r.order_no));
  let used = 0;
  for (let seq = 1; seq <= last; seq++) if (stored.has(numberOf(seq))) used = seq;
  const taken = Array.from({ length: last + 2 - used }, (_, i) => numberOf(used + 1 + i));
  for (const orderNo of taken) {
    await tier.ds.query(
      `INSERT INTO intake.ticket (id, order_no, channel, request_type, category_code, urgency, content, address, district_code,
                                  disposition, progress, created_by, accepted_at)
       VALUES (gen_random_uuid(), $1, 'phone_12345', 'complaint', 'lift', 'ordinary', '旧工单', '旧地址', '630103',
               'not_accepted', 'not_accepted', 'legacy', now())`,
      [orderNo],
    );
  }
  const before = await countTickets();
  const r = await submissions.submit(operator, call());
  expect(taken).not.toContain(r.ticket.orderNo);
  expect(r.ticket.orderNo).toMatch(/^20260302-\d{6}$/);
  expect(await countTickets()).toBe(before + 1);
  expect(tier.outbox.only('ticket.accepted.v1').data.orderNo).toBe(r.ticket.orderNo);
  const [{ n }] = await tier.ds.query<{ n: string }[]>(`SELECT count(*) AS n FROM intake.classifier_sample WHERE ticket_id = $1`, [
    r.ticket.id,
  ]);
  expect(Number(n)).toBe(1);
});

describe('the taxonomy, changed through another replica', () => {
  /** Another intake replica on the same database: its own TaxonomyService, reading every `reloadSeconds`. */
  async function replica(reloadSeconds: number): Promise<TaxonomyService> {
    const other = new TaxonomyService(
      tier.get(TaxonomyRepository),
      { ...config, TAXONOMY_RELOAD_SECONDS: reloadSeconds },
      tier.get(Outbox),
      tier.get(TransactionHost),
      tier.clock,
    );
    await other.onModuleInit();
    return other;
  }

  it('takes an order in a category another replica added, at once (read again on the miss)', async () => {
    const other = await replica(0);
    const code = `lift.r${Date.now() % 100000}`;
    await other.save({ code, nameZh: '电梯困人（新增）', nameEn: 'Lift: trapped (new)' });
    const r = await submissions.submit(operator, call({ categoryCode: code }));
    expect(r.ticket.categoryCode).toBe(code);
    expect(tier.outbox.only('ticket.accepted.v1').data.categoryCode).toBe(code);
    other.onModuleDestroy();
  });

  it('adds a category under a parent another replica added, at once', async () => {
    const here = await replica(0);
    const other = await replica(0);
    const parent = `p${Date.now() % 100000}`;
    await other.save({ code: parent, nameZh: '新大类', nameEn: 'New root' });
    await expect(here.save({ code: `${parent}.child`, nameZh: '新小类', nameEn: 'New child' })).resolves.toMatchObject({
      code: `${parent}.child`,
      parentCode: parent,
    });
    here.onModuleDestroy();
    other.onModuleDestroy();
  });

  it('learns a rename and a retirement made through another replica at once, from the table’s announcement', async () => {
    const code = `lift.l${Date.now() % 100000}`;
    // No timer (0): only the announcement can tell this replica of the change.
    const listener = new PgListener(tier.get(DataSource), { schema: 'intake' } as BusOptions);
    const here = new TaxonomyService(
      tier.get(TaxonomyRepository),
      { ...config, TAXONOMY_RELOAD_SECONDS: 0 },
      tier.get(Outbox),
      tier.get(TransactionHost),
      tier.clock,
      listener,
    );
    await here.onModuleInit();
    expect(listener.listening).toBe(true);
    const other = await replica(0);
    await other.save({ code, nameZh: '电梯异响', nameEn: 'Lift: noise' });
    await waitFor(
      async () => here.find(code),
      (c) => c?.active === true,
      { timeoutMs: 5_000, what: `${code} added here` },
    );
    await other.save({ code, nameZh: '电梯运行异响', nameEn: 'Lift: running noise', active: false });
    await waitFor(
      async () => here.find(code),
      (c) => c?.active === false,
      { timeoutMs: 5_000, what: `${code} retired here` },
    );
    expect(here.find(code)).toMatchObject({ nameZh: '电梯运行异响', nameEn: 'Lift: running noise', active: false });
    expect(here.list().some((c) => c.code === code)).toBe(false);
    here.onModuleDestroy();
    other.onModuleDestroy();
    await listener.onModuleDestroy();
  });

  it('learns a rename and a retirement made through another replica within TAXONOMY_RELOAD_SECONDS (no LISTEN)', async () => {
    const code = `lift.s${Date.now() % 100000}`;
    const here = await replica(1);
    const other = await replica(0);
    await other.save({ code, nameZh: '电梯异响', nameEn: 'Lift: noise' });
    expect(await here.isActive(code)).toBe(true);
    await other.save({ code, nameZh: '电梯运行异响', nameEn: 'Lift: running noise', active: false });
    await waitFor(
      async () => here.find(code),
      (c) => c?.active === false,
      { timeoutMs: 5_000, what: `${code} retired here` },
    );
    expect(here.find(code)).toMatchObject({ nameZh: '电梯运行异响', nameEn: 'Lift: running noise', active: false });
    expect(await here.isActive(code)).toBe(false);
    here.onModuleDestroy();
    other.onModuleDestroy();
  });
});

describe('the taxonomy announced to notify and analytics (category.changed.v1)', () => {
  it('publishes a saved category in the save’s transaction, under the city’s code; a refused save publishes nothing', async () => {
    const taxonomy = tier.get(TaxonomyService);
    const code = `lift.a${Date.now() % 100000}`;
    await taxonomy.save({ code, nameZh: '电梯异味', nameEn: 'Lift: smell' });
    const e = tier.outbox.only('category.changed.v1');
    expect(e).toMatchObject({ district: config.CITY_CODE, ticketId: null });
    expect(e.data).toMatchObject({ code, nameZh: '电梯异味', nameEn: 'Lift: smell', active: true });
    await taxonomy.save({ code, nameZh: '电梯内异味', nameEn: 'Lift: smell inside', active: false });
    expect(tier.outbox.of('category.changed.v1').map((x) => [x.data.nameZh, x.data.active])).toEqual([
      ['电梯异味', true],
      ['电梯内异味', false],
    ]);
    const [row] = await tier.ds.query<{ announced: boolean }[]>(`SELECT announced FROM intake.category WHERE code = $1`, [code]);
    expect(row.announced).toBe(true);

    tier.outbox.clear();
    await expect(taxonomy.save({ code: 'nothing_here.child', nameZh: '无', nameEn: 'None' })).rejects.toThrow(FieldValidationException);
    expect(tier.outbox.of('category.changed.v1')).toHaveLength(0);
  });

  it('announces, once, at start, the categories no event has named (a deployment from before the event); seed rows are not announced', async () => {
    // a fresh database: the seed, named as the catalogue names it, is marked announced without an event
    const [{ n }] = await tier.ds.query<{ n: string }[]>(`SELECT count(*) AS n FROM intake.category WHERE NOT announced`);
    expect(Number(n)).toBe(0);

    // categories an administrator renamed before the event existed: the migration leaves them unannounced
    await tier.ds.query(`UPDATE intake.category SET name_zh = '供暖', announced = false WHERE code = 'heating'`);
    await tier.ds.query(`UPDATE intake.category SET announced = false WHERE code = 'lift'`);
    // a seed row missing (as on a first start): inserted from the catalogue, and not announced
    await tier.ds.query(`DELETE FROM intake.category WHERE code = 'animal'`);
    const started = new TaxonomyService(tier.get(TaxonomyRepository), config, tier.get(Outbox), tier.get(TransactionHost), tier.clock);
    await started.onModuleInit();
    expect(tier.outbox.of('category.changed.v1').map((e) => [e.data.code, e.data.nameZh, e.district])).toEqual([
      ['heating', '供暖', config.CITY_CODE],
      ['lift', '电梯', config.CITY_CODE],
    ]);
    const [{ left }] = await tier.ds.query<{ left: string }[]>(`SELECT count(*) AS left FROM intake.category WHERE NOT announced`);
    expect(Number(left)).toBe(0);
    expect(started.find('animal')?.nameZh).toBe('动物管理');

    tier.outbox.clear();
    const again = new TaxonomyService(tier.get(TaxonomyRepository), config, tier.get(Outbox), tier.get(TransactionHost), tier.clock);
    await again.onModuleInit();
    expect(tier.outbox.of('category.changed.v1')).toHaveLength(0);
    started.onModuleDestroy();
    again.onModuleDestroy();
    await tier.ds.query(`UPDATE intake.category SET name_zh = '供热' WHERE code = 'heating'`);
  });
});
