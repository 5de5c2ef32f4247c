import { Channel, NotAcceptedReason } from '@app/contracts';
import { loadConfig, Principal, TokenVerifier } from '@app/platform';
import { ServiceTier, serviceTier } from '@app/platform/testing';
import { ConflictException, NotFoundException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { PiiCipher } from '../../apps/intake/src/citizens/pii.service';
import { ClassifierRepository } from '../../apps/intake/src/classification/classifier.repository';
import { ClassifierService } from '../../apps/intake/src/classification/classifier.service';
import { DuplicatesRepository } from '../../apps/intake/src/duplicates/duplicates.repository';
import { DuplicatesService } from '../../apps/intake/src/duplicates/duplicates.service';
import { IntakeConfig } from '../../apps/intake/src/intake.config';
import { INTAKE_PERSISTENCE } from '../../apps/intake/src/intake.persistence';
import { INTAKE_CONFIG } from '../../apps/intake/src/intake.tokens';
import { KnowledgeRepository } from '../../apps/intake/src/knowledge/knowledge.repository';
import { KnowledgeService } from '../../apps/intake/src/knowledge/knowledge.service';
import { SupplementsRepository } from '../../apps/intake/src/supplements/supplements.repository';
import { SupplementsService } from '../../apps/intake/src/supplements/supplements.service';
import { TaxonomyRepository } from '../../apps/intake/src/taxonomy/taxonomy.repository';
import { TaxonomyService } from '../../apps/intake/src/taxonomy/taxonomy.service';
import { idempotencyOf } from '../../apps/intake/src/tickets/idempotency';
import { Submission, Submitter } from '../../apps/intake/src/tickets/submission';
import { SubmissionService } from '../../apps/intake/src/tickets/submission.service';
import { TicketsRepository } from '../../apps/intake/src/tickets/tickets.repository';
import { TicketsService } from '../../apps/intake/src/tickets/tickets.service';

/** 补充诉求 (SupplementsService): the citizen's path beside the operator's, one rule and one transaction. */
let tier: ServiceTier;
let submissions: SubmissionService;
let supplements: SupplementsService;
let tickets: TicketsService;
const config = loadConfig(IntakeConfig, {
  PII_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  PII_HASH_KEY: randomBytes(32).toString('base64'),
  PUBLIC_SUPPLEMENT_MAX_PER_DAY: '3',
});
const operator: Submitter = { id: 'op-001', districts: null, staff: true };
const web: Submitter = { id: 'public', districts: null, staff: false };
const operatorPerson: Principal = { id: '6f1d3d58-8d0f-4b8e-9a51-2f6a3c1b9e01', roles: ['operator'], districts: ['630104'], units: [] };

beforeAll(async () => {
  tier = await serviceTier({
    service: 'intake',
    persistence: INTAKE_PERSISTENCE,
    providers: [
      { provide: INTAKE_CONFIG, useValue: config },
      { provide: PiiCipher, useFactory: () => new PiiCipher(config.PII_KEYS, config.PII_HASH_KEY) },
      // the reveal path only; nothing here verifies a token (a call would fail: it has no methods)
      { provide: TokenVerifier, useValue: {} },
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
      SupplementsRepository,
      TicketsService,
      SupplementsService,
    ],
  });
  submissions = tier.get(SubmissionService);
  supplements = tier.get(SupplementsService);
  tickets = tier.get(TicketsService);
});
afterAll(() => tier?.close());
beforeEach(() => tier.outbox.clear());

let phoneSeq = 0;
/** The citizen's web form: a leak in Chengxi, from a citizen of its own. */
function request(over: Partial<Submission> = {}): Submission {
  return {
    channel: Channel.Web,
    categoryCode: 'water',
    content: `胜利路${++phoneSeq}号楼地下室水管漏水`,
    citizen: { name: '刘晓梅', phone: `1389800${String(phoneSeq).padStart(4, '0')}` },
    location: { address: `西宁市城西区胜利路${phoneSeq}号`, districtCode: '630104' },
    ...over,
  };
}

async function submitted(over: Partial<Submission> = {}, who = web): Promise<{ id: string; orderNo: string; token: string }> {
  const r = await submissions.submit(who, request(over));
  tier.outbox.clear();
  return { id: r.ticket.id, orderNo: r.ticket.orderNo, token: r.statusToken };
}

async function refusal(p: Promise<unknown>): Promise<{ status: number; body: { code?: string; message: string } }> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!(e instanceof ConflictException)) throw new Error(`expected a 409, got ${String(e)}`);
  return { status: e.getStatus(), body: e.getResponse() as { code?: string; message: string } };
}

const rows = (ticketId: string) =>
  tier.ds.query<{ text: string; created_by: string; idempotency_key: string | null }[]>(
    `SELECT text, created_by, idempotency_key FROM intake.supplement WHERE ticket_id = $1 ORDER BY at`,
    [ticketId],
  );

it('the citizen adds to their order with its number and token: stored as the citizen’s, published, and offered on the status view', async () => {
  const o = await submitted();
  const before = await tickets.citizenStatus(o.orderNo, o.token);
  expect(before).toMatchObject({ canSupplement: true, supplementedAt: [] });

  const text = '漏水更严重了，楼道里也开始积水';
  const r = await supplements.addPublic(o.orderNo, o.token, text);
  expect(r).toEqual({ receipt: { orderNo: o.orderNo, supplementedAt: tier.clock.now().toISOString() }, replayed: false });
  expect(await rows(o.id)).toEqual([{ text, created_by: 'citizen', idempotency_key: null }]);
  const e = tier.outbox.only('ticket.supplemented.v1');
  expect(e).toMatchObject({ ticketId: o.id, district: '630104', data: { text, supplementedAt: r.receipt.supplementedAt } });

  // the status view has the time of it, never the words
  const after = await tickets.citizenStatus(o.orderNo, o.token);
  expect(after.supplementedAt).toEqual([r.receipt.supplementedAt]);
  expect(JSON.stringify(after)).not.toContain('积水');
});

it('a wrong token and an unknown number are the same 404, and nothing is stored', async () => {
  const o = await submitted();
  const other = await submitted();
  const wrong = await supplements.addPublic(o.orderNo, other.token, '补充').catch((x: unknown) => x);
  const unknown = await supplements.addPublic('20260302-999999', o.token, '补充').catch((x: unknown) => x);
  expect(wrong).toBeInstanceOf(NotFoundException);
  expect(unknown).toBeInstanceOf(NotFoundException);
  expect((wrong as NotFoundException).message).toBe((unknown as NotFoundException).message);
  expect(await rows(o.id)).toEqual([]);
  expect(tier.outbox.types()).toEqual([]);
});

it('a retry with the same Idempotency-Key adds nothing and answers the same; the key with another text is refused', async () => {
  const o = await submitted();
  const body = { orderNo: o.orderNo, token: o.token, text: '补充：下午三点后水更大' };
  const first = await supplements.addPublic(o.orderNo, o.token, body.text, idempotencyOf('k-1', body));
  tier.clock.advance(5_000);
  const again = await supplements.addPublic(o.orderNo, o.token, body.text, idempotencyOf('k-1', body));
  expect(again).toEqual({ receipt: first.receipt, replayed: true });
  expect(await rows(o.id)).toHaveLength(1);
  expect(tier.outbox.types()).toEqual(['ticket.supplemented.v1']);

  const changed = { ...body, text: '补充：另一件事' };
  const r = await refusal(supplements.addPublic(o.orderNo, o.token, changed.text, idempotencyOf('k-1', changed)));
  expect(r.body.code).toBe('idempotency_key_reused');
  // another key is another supplement
  await supplements.addPublic(o.orderNo, o.token, body.text, idempotencyOf('k-2', body));
  expect(await rows(o.id)).toHaveLength(2);
});

it('a closed order is refused in the citizen’s words, Chinese first; the status view stops offering the form', async () => {
  const o = await submitted();
  await tier.ds.query(`UPDATE intake.ticket SET progress = 'closed' WHERE id = $1`, [o.id]);
  const r = await refusal(supplements.addPublic(o.orderNo, o.token, '还是漏水'));
  expect(r.body.code).toBe('supplement_closed');
  expect(r.body.message).toMatch(/^工单已办结，不能再补充/);
  expect(r.body.message).toContain('the order is closed');
  expect((await tickets.citizenStatus(o.orderNo, o.token)).canSupplement).toBe(false);
  expect(tier.outbox.types()).toEqual([]);
  // the operator is refused by the same rule
  const staff = await refusal(supplements.add(operatorPerson, o.id, '还是漏水'));
  expect(staff.body.message).toContain('is closed');
});

it('a merged contact is told the number of the order it joined, and nothing else of it', async () => {
  const target = await submitted({ content: '胜利路小区地下室水管爆裂，大量积水' });
  const r0 = await submissions.submit(web, request({ mergeInto: target.id }));
  const contact = { orderNo: r0.ticket.orderNo, token: r0.statusToken };
  tier.outbox.clear();
  const r = await refusal(supplements.addPublic(contact.orderNo, contact.token, '我家也漏水'));
  expect(r.body.code).toBe('supplement_merged');
  expect(r.body.message).toMatch(new RegExp(`^您的诉求已并入工单 ${target.orderNo} 一并办理`));
  expect(r.body.message).not.toContain(target.id);
  expect(r.body.message).not.toContain('爆裂');
  const status = await tickets.citizenStatus(contact.orderNo, contact.token);
  expect(status).toMatchObject({ mergedIntoOrderNo: target.orderNo, canSupplement: false, supplementedAt: [] });
  expect(tier.outbox.types()).toEqual([]);
});

it('a request answered at first contact or not accepted takes no supplement', async () => {
  const answered = await submitted({ channel: Channel.Phone, disposition: 'answered', answer: '请拨打96333' }, operator);
  const refused = await submitted(
    { channel: Channel.Phone, disposition: 'not_accepted', notAcceptedReason: NotAcceptedReason.Litigation },
    operator,
  );
  expect((await refusal(supplements.addPublic(answered.orderNo, answered.token, '补充'))).body.code).toBe('supplement_answered');
  expect((await refusal(supplements.addPublic(refused.orderNo, refused.token, '补充'))).body.code).toBe('supplement_not_accepted');
  expect((await tickets.citizenStatus(answered.orderNo, answered.token)).canSupplement).toBe(false);
});

it('at most PUBLIC_SUPPLEMENT_MAX_PER_DAY from the citizen in any 24 hours; an operator’s do not count and are not shown to the citizen', async () => {
  const o = await submitted();
  await supplements.add(operatorPerson, o.id, '来电补充：三楼也漏水');
  for (const n of [1, 2, 3]) await supplements.addPublic(o.orderNo, o.token, `补充${n}`);
  const r = await refusal(supplements.addPublic(o.orderNo, o.token, '补充4'));
  expect(r.body.code).toBe('supplement_limit');
  expect(r.body.message).toContain('24 小时内最多在网上补充 3 次');
  expect((await tickets.citizenStatus(o.orderNo, o.token)).supplementedAt).toHaveLength(3);

  tier.clock.advance(24 * 3600_000);
  await supplements.addPublic(o.orderNo, o.token, '补充4');
  const stored = await rows(o.id);
  expect(stored.map((s) => s.created_by)).toEqual([operatorPerson.id, 'citizen', 'citizen', 'citizen', 'citizen']);
});
