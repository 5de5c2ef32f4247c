import { EntitySql } from '@app/platform';
import { ServiceTier } from '@app/platform/testing';
import { randomUUID } from 'node:crypto';
import { TimelineEntry, WorkOrder } from '../../apps/dispatch/src/workflow/work-order.entity';
import { WorkflowRepository } from '../../apps/dispatch/src/workflow/workflow.repository';
import { accept, dispatchTier, orderOf, timelineOf } from './dispatch-factories';

/**
 * EntitySql (libs/platform/src/database/entity-sql.ts) on dispatch's real tables: the plain-SQL read,
 * lock and write that replaced TypeORM's QueryBuilder and `save` on every message. What TypeORM did,
 * it must still do: every column and its type, undefined keeping the stored value, the update date.
 */
let tier: ServiceTier;
beforeAll(async () => {
  tier = await dispatchTier();
});
afterAll(() => tier?.close());

describe('EntitySql', () => {
  it('reads a row locked into the entity as TypeORM reads it: every column, every type', async () => {
    const ticketId = await accept(tier, { flags: [] });
    const viaTypeorm = await tier.ds.getRepository(WorkOrder).findOneByOrFail({ ticketId });
    const locked = await tier.transaction(() => tier.get(WorkflowRepository).lock(ticketId));
    expect(locked).toBeInstanceOf(WorkOrder);
    expect(locked).toEqual(viaTypeorm);
    expect(locked!.acceptedAt).toBeInstanceOf(Date);
    expect(Array.isArray(locked!.attachments)).toBe(true);
    expect(await tier.transaction(() => tier.get(WorkflowRepository).lock(randomUUID()))).toBeNull();
  });

  it('writes every column in one UPDATE; undefined keeps the stored value; the update date moves and comes back', async () => {
    const ticketId = await accept(tier);
    const before = await orderOf(tier, ticketId);
    tier.clock.advance(60_000);
    await tier.transaction(async () => {
      const o = (await tier.get(WorkflowRepository).lock(ticketId))!;
      o.replyText = '已处理 handled';
      o.assignees = ['u-1', 'u-2'];
      o.attachments = [{ name: 'photo.jpg', url: 'https://files.example/a1' }];
      o.finishDueAt = new Date('2026-03-09T09:00:00Z');
      (o as Partial<WorkOrder>).content = undefined; // not loaded: must be left as it is
      await tier.get(WorkflowRepository).save(o);
      expect(o.updatedAt).toBeInstanceOf(Date);
    });
    const after = await orderOf(tier, ticketId);
    expect(after).toMatchObject({
      replyText: '已处理 handled',
      assignees: ['u-1', 'u-2'],
      attachments: [{ name: 'photo.jpg', url: 'https://files.example/a1' }],
      finishDueAt: new Date('2026-03-09T09:00:00Z'),
      content: before.content,
    });
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
  });

  it('inserts several rows in one statement; with ifAbsent, returns only those written', async () => {
    const known = await orderOf(tier, await accept(tier));
    const fresh = Object.assign(new WorkOrder(), { ...known, ticketId: randomUUID(), orderNo: '20260302-990001' });
    const sql = EntitySql.of(tier.ds.manager, WorkOrder);
    const written = await tier.transaction((m) => sql.insertAll(m, [known, fresh], { ifAbsent: true, conflictOn: ['ticket_id'] }));
    expect(written).toEqual([fresh]);
    expect(await orderOf(tier, fresh.ticketId)).toMatchObject({ orderNo: '20260302-990001', districtCode: known.districtCode });
    const short = Object.assign(new WorkOrder(), { ...known, ticketId: randomUUID(), replyText: undefined });
    await expect(tier.transaction((m) => sql.insertAll(m, [fresh, short]))).rejects.toThrow(/same columns/);
  });

  it('refuses to write an order that is not there (no silent upsert)', async () => {
    const ghost = Object.assign(new WorkOrder(), { ticketId: randomUUID(), state: 'dispatched' });
    await expect(tier.transaction(() => EntitySql.of(tier.ds.manager, WorkOrder).update(tier.ds.manager, ghost))).rejects.toThrow(
      /is not there to update/,
    );
  });

  it('keeps timeline entries of one instant in the order given', async () => {
    const ticketId = await accept(tier);
    const at = tier.clock.now();
    const entries = ['one', 'two', 'three', 'four'].map((action) => ({
      ticketId,
      at,
      actor: 'system:test',
      action,
      fromState: null,
      toState: null,
      note: null,
      data: { n: action },
    }));
    await tier.transaction(() => tier.get(WorkflowRepository).addTimelines(entries));
    const actions = (await timelineOf(tier, ticketId)).filter((e: TimelineEntry) => e.actor === 'system:test').map((e) => e.action);
    expect(actions).toEqual(['one', 'two', 'three', 'four']);
  });
});
