import { TransactionHost, TxHost } from '@app/platform';
import { EscalationTarget } from '@app/contracts';
import { Injectable, Inject } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SupervisionAction, SupervisionItem, SupervisionReason, SupervisionStatus } from './supervision.entity';

export interface ItemFilter {
  districts: string[] | null;
  districtCode?: string;
  unitId?: string;
  level?: EscalationTarget;
  reason?: SupervisionReason;
  status?: SupervisionStatus;
  /** Opened at or before this instant (age filter). */
  openedBefore?: Date;
  limit: number;
}

@Injectable()
export class SupervisionRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /** Insert unless the order already has an open item for this reason; the item either way, locked. */
  async openOrGet(item: SupervisionItem): Promise<{ item: SupervisionItem; created: boolean }> {
    const r = await this.txHost.tx.createQueryBuilder().insert().into(SupervisionItem).values(item).orIgnore().returning(['id']).execute();
    if ((r.raw as unknown[]).length > 0) return { item, created: true };
    const existing = await this.txHost.tx
      .getRepository(SupervisionItem)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.ticket_id = :t AND i.reason = :r AND i.status = :s', { t: item.ticketId, r: item.reason, s: SupervisionStatus.Open })
      .getOne();
    if (!existing) throw new Error(`supervision item for ${item.ticketId}/${item.reason} neither inserted nor found; retrying`);
    return { item: existing, created: false };
  }

  /**
   * `openOrGet` for many items at once (at most one per order and reason): one INSERT of them all,
   * skipping those whose order already has an open item for the reason, then one locked read of
   * those. The item of each, in the order given.
   */
  async openOrGetMany(items: readonly SupervisionItem[]): Promise<{ item: SupervisionItem; created: boolean }[]> {
    if (!items.length) return [];
    const inserted = await this.txHost.tx.query<{ id: string }[]>(
      `INSERT INTO supervision_item (id, ticket_id, district_code, unit_id, reason, level, cycle, status, summary, opened_at, urge_count)
       SELECT r.id, r.ticket_id, r.district_code, r.unit_id, r.reason, r.level, r.cycle, r.status, r.summary, r.opened_at, r.urge_count
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, ticket_id uuid, district_code text, unit_id uuid, reason text, level text,
                                                 cycle int, status text, summary text, opened_at timestamptz, urge_count int)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
        JSON.stringify(
          items.map((i) => ({
            id: i.id,
            ticket_id: i.ticketId,
            district_code: i.districtCode,
            unit_id: i.unitId,
            reason: i.reason,
            level: i.level,
            cycle: i.cycle,
            status: i.status,
            summary: i.summary,
            opened_at: i.openedAt,
            urge_count: i.urgeCount,
          })),
        ),
      ],
    );
    const created = new Set(inserted.map((r) => r.id));
    const rest = items.filter((i) => !created.has(i.id));
    const existing = !rest.length
      ? []
      : await this.txHost.tx
          .getRepository(SupervisionItem)
          .createQueryBuilder('i')
          .setLock('pessimistic_write')
          .where('(i.ticket_id, i.reason) IN (SELECT t, r FROM unnest(CAST(:tickets AS uuid[]), CAST(:reasons AS text[])) AS x(t, r))', {
            tickets: rest.map((i) => i.ticketId),
            reasons: rest.map((i) => i.reason),
          })
          .andWhere('i.status = :s', { s: SupervisionStatus.Open })
          .getMany();
    const found = new Map(existing.map((e) => [`${e.ticketId}/${e.reason}`, e]));
    return items.map((i) => {
      if (created.has(i.id)) return { item: i, created: true };
      const e = found.get(`${i.ticketId}/${i.reason}`);
      if (!e) throw new Error(`supervision item for ${i.ticketId}/${i.reason} neither inserted nor found; retrying`);
      return { item: e, created: false };
    });
  }

  lock(id: string): Promise<SupervisionItem | null> {
    return this.txHost.tx
      .getRepository(SupervisionItem)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.id = :id', { id })
      .getOne();
  }

  /**
   * Whether the order has had an item for this reason in this cycle, open or closed (销号)
   * (`idx_supervision_item_ticket`).
   */
  async hadInCycle(ticketId: string, reason: SupervisionReason, cycle: number): Promise<boolean> {
    const rows: unknown[] = await this.txHost.tx.query(
      `SELECT 1 FROM supervision_item WHERE ticket_id = $1 AND reason = $2 AND cycle = $3 LIMIT 1`,
      [ticketId, reason, cycle],
    );
    return rows.length > 0;
  }

  openForTicket(ticketId: string): Promise<SupervisionItem[]> {
    return this.txHost.tx.getRepository(SupervisionItem).findBy({ ticketId, status: SupervisionStatus.Open });
  }

  async save(item: SupervisionItem): Promise<void> {
    await this.txHost.tx.getRepository(SupervisionItem).update(
      { id: item.id },
      {
        level: item.level,
        status: item.status,
        urgeCount: item.urgeCount,
        lastUrgedAt: item.lastUrgedAt,
        closedAt: item.closedAt,
        closedBy: item.closedBy,
      },
    );
  }

  /** The order's open items of one cycle that name another unit than `unitId`, locked. */
  openOfCycleNotFor(ticketId: string, cycle: number, unitId: string): Promise<SupervisionItem[]> {
    return this.txHost.tx
      .getRepository(SupervisionItem)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.ticket_id = :ticketId AND i.cycle = :cycle AND i.status = :s AND i.unit_id <> :unitId', {
        ticketId,
        cycle,
        s: SupervisionStatus.Open,
        unitId,
      })
      .orderBy('i.id', 'ASC')
      .getMany();
  }

  async moveToUnit(id: string, unitId: string): Promise<void> {
    await this.txHost.tx.getRepository(SupervisionItem).update({ id }, { unitId });
  }

  async addAction(a: Omit<SupervisionAction, 'id'>): Promise<void> {
    await this.txHost.tx.insert(SupervisionAction, { ...a, id: randomUUID() });
  }

  /** Many action rows in one INSERT. */
  async addActions(actions: readonly Omit<SupervisionAction, 'id'>[]): Promise<void> {
    if (!actions.length) return;
    await this.txHost.tx.query(
      `INSERT INTO supervision_action (id, item_id, at, actor, action, label, note)
       SELECT r.id, r.item_id, r.at, r.actor, r.action, r.label, r.note
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, item_id uuid, at timestamptz, actor text, action text, label text, note text)`,
      [
        JSON.stringify(
          actions.map((a) => ({
            id: randomUUID(),
            item_id: a.itemId,
            at: a.at,
            actor: a.actor,
            action: a.action,
            label: a.label,
            note: a.note,
          })),
        ),
      ],
    );
  }

  /** The levels of many items, in one UPDATE. */
  async saveLevels(items: readonly SupervisionItem[]): Promise<void> {
    if (!items.length) return;
    await this.txHost.tx.query(
      `UPDATE supervision_item i SET level = r.level FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, level text) WHERE i.id = r.id`,
      [JSON.stringify(items.map((i) => ({ id: i.id, level: i.level })))],
    );
  }

  find(id: string): Promise<SupervisionItem | null> {
    return this.txHost.tx.getRepository(SupervisionItem).findOneBy({ id });
  }

  actions(itemId: string): Promise<SupervisionAction[]> {
    return this.txHost.tx.getRepository(SupervisionAction).find({ where: { itemId }, order: { at: 'ASC' } });
  }

  list(f: ItemFilter): Promise<SupervisionItem[]> {
    const qb = this.txHost.tx.getRepository(SupervisionItem).createQueryBuilder('i');
    if (f.districts) qb.andWhere('i.district_code = ANY(:districts)', { districts: f.districts });
    if (f.districtCode) qb.andWhere('i.district_code = :d', { d: f.districtCode });
    if (f.unitId) qb.andWhere('i.unit_id = :u', { u: f.unitId });
    if (f.level) qb.andWhere('i.level = :l', { l: f.level });
    if (f.reason) qb.andWhere('i.reason = :r', { r: f.reason });
    if (f.status) qb.andWhere('i.status = :s', { s: f.status });
    if (f.openedBefore) qb.andWhere('i.opened_at <= :b', { b: f.openedBefore });
    return qb.orderBy('i.opened_at', 'ASC').limit(f.limit).getMany();
  }
}
