import { TicketFlag, Urgency } from '@app/contracts';
import { EntitySql, lockInBatchOrder, roundsByKey, TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CoAssignment } from './co-assignment.entity';
import { OrderState } from './order-state';
import { TimelineEntry, WorkOrder } from './work-order.entity';

export interface OrderFilter {
  districts: string[] | null;
  /** A unit member's view: orders of these units (lead, sub-unit or co-unit) or assigned to `userId`. */
  member: { units: string[]; userId: string } | null;
  states?: OrderState[];
  /** With `states`: orders in those states, or held in hand for the district leader (`leader_hold_at`). */
  orLeaderHold?: boolean;
  /** Only these orders (a list naming orders fetches them in one call). */
  ticketIds?: string[];
  /** Only orders of this district code (`in`) or not of it (`notIn`): the city's triage queue and the rest. */
  district?: { code: string; in: boolean };
  unitId?: string;
  urgency?: Urgency;
  flag?: TicketFlag;
  dueBefore?: Date;
  /** Past a due time not yet met (true), or not (false), at `now`. */
  overdue?: { value: boolean; now: Date };
  assignee?: string;
  order?: 'asc' | 'desc';
  limit: number;
  offset?: number;
}

/** The due times of one cycle from `sla.clocks-set.v1`, and when sla set them. */
export interface DueTimes {
  cycle: number;
  setAt: Date;
  /** Null: the event has none (a new cycle without a respond clock clears the last cycle's). */
  respondDueAt: Date | null;
  finishDueAt: Date;
  respondWarnAt: Date | null;
  finishWarnAt: Date | null;
}

/** Orders waiting in each of the dispatcher's queues (see DISPATCH_QUEUES). */
export interface QueueCountRow {
  unrouted: number;
  returned: number;
  leader: number;
  review: number;
  city: number;
}

/** Before the citizen was contacted (the respond clock runs). */
const NOT_CONTACTED: OrderState[] = [OrderState.Dispatched, OrderState.Signed, OrderState.ReturnRequested];
/** Before the cycle's reply (the finish clock runs). */
const NOT_REPLIED: OrderState[] = [
  ...NOT_CONTACTED,
  OrderState.Contacted,
  OrderState.Rework,
  OrderState.Reopened,
  OrderState.SignoffRejected,
  OrderState.AwaitingSignoff,
];

@Injectable()
export class WorkflowRepository {
  /** Every method runs in the caller's transaction when there is one (`txHost.tx`), else on the pool. */
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /** The order, row-locked for the rest of the transaction so two transitions never interleave. */
  lock(ticketId: string): Promise<WorkOrder | null> {
    return EntitySql.of(this.txHost.tx, WorkOrder).lock(this.txHost.tx, ticketId);
  }

  /** Insert unless the order is already known; true if inserted. */
  insert(order: WorkOrder): Promise<boolean> {
    return EntitySql.of(this.txHost.tx, WorkOrder).insert(this.txHost.tx, order, { ifAbsent: true, conflictOn: ['ticket_id'] });
  }

  /**
   * New orders, each unless its order is known already, in one INSERT in the order given (every new
   * order holds a value for every column: `newOrder`). Returns those written.
   */
  insertAll(orders: readonly WorkOrder[]): Promise<WorkOrder[]> {
    return EntitySql.of(this.txHost.tx, WorkOrder).insertAll(this.txHost.tx, orders, { ifAbsent: true, conflictOn: ['ticket_id'] });
  }

  /**
   * Writes the order as it is now, in one UPDATE by its key (it is locked in this transaction, or was
   * just inserted in it): `EntitySql.update`, not TypeORM's `save`, which read the row back first.
   */
  async save(order: WorkOrder): Promise<void> {
    await EntitySql.of(this.txHost.tx, WorkOrder).update(this.txHost.tx, order);
  }

  /**
   * sla's due times for orders, each unless older than those its order holds: a later cycle always
   * wins, within a cycle the newer `setAt` (a new cycle without a respond due time clears the last
   * cycle's; the warning points are replaced as given). One UPDATE per round (`roundsByKey`: the due
   * times of one order in the order given). Returns the orders it does not know (nothing written for
   * them); an order known but holding newer due times is not among them.
   */
  async applyDueTimes(items: readonly { ticketId: string; due: DueTimes }[]): Promise<string[]> {
    const applied = new Set<string>();
    // First the orders' locks, in a batch's order: the UPDATE's join alone took them in plan order
    // and deadlocked with a batch of supervision events (lockInBatchOrder).
    await lockInBatchOrder(
      this.txHost.tx,
      { table: 'work_order', key: 'ticket_id', district: 'district_code' },
      items.map((i) => i.ticketId),
    );
    for (const round of roundsByKey(items, (i) => i.ticketId.toLowerCase())) {
      // TypeORM answers an UPDATE's query() with [rows, affected count].
      const [rows]: [{ ticket_id: string }[], number] = await this.txHost.tx.query(
        `UPDATE work_order w
            SET respond_due_at = CASE WHEN v.respond_due_at IS NOT NULL THEN v.respond_due_at
                                      WHEN v.cycle > w.due_cycle THEN NULL ELSE w.respond_due_at END,
                finish_due_at = v.finish_due_at, respond_warn_at = v.respond_warn_at, finish_warn_at = v.finish_warn_at,
                due_cycle = v.cycle, due_set_at = v.set_at, updated_at = now()
           FROM jsonb_to_recordset($1::jsonb) AS v(ticket_id uuid, cycle int, set_at timestamptz, respond_due_at timestamptz,
                finish_due_at timestamptz, respond_warn_at timestamptz, finish_warn_at timestamptz)
          WHERE w.ticket_id = v.ticket_id
            AND v.cycle >= w.due_cycle
            AND NOT (v.cycle = w.due_cycle AND w.due_set_at IS NOT NULL AND v.set_at < w.due_set_at)
         RETURNING w.ticket_id`,
        [
          JSON.stringify(
            round.map(({ ticketId, due: d }) => ({
              ticket_id: ticketId,
              cycle: d.cycle,
              set_at: d.setAt,
              respond_due_at: d.respondDueAt,
              finish_due_at: d.finishDueAt,
              respond_warn_at: d.respondWarnAt,
              finish_warn_at: d.finishWarnAt,
            })),
          ),
        ],
      );
      for (const r of rows) applied.add(r.ticket_id);
    }
    const rest = [...new Set(items.map((i) => i.ticketId.toLowerCase()))].filter((id) => !applied.has(id));
    if (rest.length === 0) return [];
    const known: { ticket_id: string }[] = await this.txHost.tx.query(
      `SELECT ticket_id FROM work_order WHERE ticket_id = ANY($1::uuid[])`,
      [rest],
    );
    const knownIds = new Set(known.map((r) => r.ticket_id));
    return rest.filter((id) => !knownIds.has(id));
  }

  async addTimeline(e: Omit<TimelineEntry, 'id' | 'seq'>): Promise<void> {
    await this.addTimelines([e]);
  }

  /**
   * Timeline entries in one statement, in the order given: `seq` is taken in that order (ORDER BY n
   * before the sequence's nextval), so steps of one instant stay in the order they were taken.
   */
  async addTimelines(entries: readonly Omit<TimelineEntry, 'id' | 'seq'>[]): Promise<void> {
    if (!entries.length) return;
    const rows = entries.map((e, n) => ({
      n,
      id: randomUUID(),
      ticket_id: e.ticketId,
      at: e.at.toISOString(),
      actor: e.actor,
      action: e.action,
      from_state: e.fromState,
      to_state: e.toState,
      note: e.note,
      data: e.data ?? {},
    }));
    await this.txHost.tx.query(
      `INSERT INTO timeline_entry (id, ticket_id, at, actor, action, from_state, to_state, note, data)
       SELECT r.id, r.ticket_id, r.at, r.actor, r.action, r.from_state, r.to_state, r.note, r.data
         FROM jsonb_to_recordset($1::jsonb) AS r(n int, id uuid, ticket_id uuid, at timestamptz, actor text, action text,
                                                 from_state text, to_state text, note text, data jsonb)
        ORDER BY r.n`,
      [JSON.stringify(rows)],
    );
  }

  find(ticketId: string): Promise<WorkOrder | null> {
    return this.txHost.tx.getRepository(WorkOrder).findOneBy({ ticketId });
  }

  timeline(ticketId: string): Promise<TimelineEntry[]> {
    return this.txHost.tx.getRepository(TimelineEntry).find({ where: { ticketId }, order: { at: 'ASC', seq: 'ASC' } });
  }

  list(f: OrderFilter): Promise<WorkOrder[]> {
    const qb = this.txHost.tx.getRepository(WorkOrder).createQueryBuilder('o');
    if (f.districts) qb.andWhere('o.district_code = ANY(:districts)', { districts: f.districts });
    if (f.member)
      qb.andWhere(
        // Each way of being on a unit's list by its own index (unit, sub-unit, assignee GIN, co-unit), the ids
        // gathered first (ARRAY(…): an init plan) and the orders read by primary key, so the worklist costs what
        // the unit has, not what the city has. An OR across the four scanned every order (200,000 orders: 287 ms
        // → 11 ms; `IN (… UNION …)` still chose a hash join over a scan, 74 ms).
        `o.ticket_id = ANY(ARRAY(
           SELECT ticket_id FROM work_order WHERE unit_id = ANY(:units)
           UNION SELECT ticket_id FROM work_order WHERE sub_unit_id = ANY(:units)
           UNION SELECT ticket_id FROM work_order WHERE assignees @> ARRAY[:userId]::text[]
           UNION SELECT ticket_id FROM co_assignment WHERE unit_id = ANY(:units)))`,
        { units: f.member.units, userId: f.member.userId },
      );
    if (f.states?.length)
      qb.andWhere(f.orLeaderHold ? '(o.state = ANY(:states) OR o.leader_hold_at IS NOT NULL)' : 'o.state = ANY(:states)', {
        states: f.states,
      });
    if (f.ticketIds) qb.andWhere('o.ticket_id = ANY(:ticketIds)', { ticketIds: f.ticketIds });
    if (f.district) qb.andWhere(f.district.in ? 'o.district_code = :dc' : 'o.district_code <> :dc', { dc: f.district.code });
    if (f.unitId) qb.andWhere('o.unit_id = :unitId', { unitId: f.unitId });
    if (f.urgency) qb.andWhere('o.urgency = :urgency', { urgency: f.urgency });
    if (f.flag) qb.andWhere(':flag = ANY(o.flags)', { flag: f.flag });
    if (f.dueBefore) qb.andWhere('o.finish_due_at <= :dueBefore', { dueBefore: f.dueBefore });
    if (f.overdue) {
      // COALESCE: an order without a due time (none yet, or no respond clock this cycle) is not late, so NOT late keeps it.
      const late = `COALESCE((o.respond_due_at < :now AND o.state = ANY(:unanswered)) OR (o.finish_due_at < :now AND o.state = ANY(:unreplied)), false)`;
      qb.andWhere(f.overdue.value ? late : `NOT ${late}`, { now: f.overdue.now, unanswered: NOT_CONTACTED, unreplied: NOT_REPLIED });
    }
    if (f.assignee) qb.andWhere('o.assignees @> ARRAY[:assignee]::text[]', { assignee: f.assignee });
    return qb
      .orderBy('o.finish_due_at', f.order === 'desc' ? 'DESC' : 'ASC', 'NULLS LAST')
      .addOrderBy('o.accepted_at', 'ASC')
      .addOrderBy('o.ticket_id', 'ASC') // a total order, so pages never repeat or skip a row
      .limit(f.limit)
      .offset(f.offset ?? 0)
      .getMany();
  }

  /**
   * The size of each dispatcher queue in `districts` (null: all) in one pass over the
   * (district_code, state) index; `cityCode` separates the city's triage queue from the districts'.
   * The leader's queue also counts the orders held in hand for them (idx_work_order_leader_hold;
   * never `awaiting_leader` as well).
   */
  async queueCounts(districts: string[] | null, cityCode: string): Promise<QueueCountRow> {
    const rows: Record<keyof QueueCountRow, string>[] = await this.txHost.tx.query(
      `SELECT count(*) FILTER (WHERE state = $1 AND district_code <> $6) AS unrouted,
              count(*) FILTER (WHERE state = $2) AS returned,
              count(*) FILTER (WHERE state = $3)
                + (SELECT count(*) FROM work_order h
                    WHERE h.leader_hold_at IS NOT NULL AND ($7::text[] IS NULL OR h.district_code = ANY($7))) AS leader,
              count(*) FILTER (WHERE state = $4) AS review,
              count(*) FILTER (WHERE state = $1 AND district_code = $6) AS city
         FROM work_order
        WHERE state = ANY($5) AND ($7::text[] IS NULL OR district_code = ANY($7))`,
      [
        OrderState.Unrouted,
        OrderState.ReturnRequested,
        OrderState.AwaitingLeader,
        OrderState.Replied,
        [OrderState.Unrouted, OrderState.ReturnRequested, OrderState.AwaitingLeader, OrderState.Replied],
        cityCode,
        districts,
      ],
    );
    const r = rows[0];
    return { unrouted: +r.unrouted, returned: +r.returned, leader: +r.leader, review: +r.review, city: +r.city };
  }

  // ── joint handling (协办) ─────────────────────────────────────────────────────────────────

  coAssignments(ticketId: string): Promise<CoAssignment[]> {
    return this.txHost.tx.getRepository(CoAssignment).find({ where: { ticketId }, order: { addedAt: 'ASC' } });
  }

  /** The caller holds the order's row lock, so no other transaction adds the same co-unit meanwhile. */
  async addCoAssignment(c: CoAssignment): Promise<void> {
    await this.txHost.tx.insert(CoAssignment, c);
  }

  async saveCoAssignment(c: CoAssignment): Promise<void> {
    await this.txHost.tx.getRepository(CoAssignment).save(c);
  }

  /** Release every co-unit of the order (the caller holds its row lock); the unit ids released. */
  async removeCoAssignments(ticketId: string): Promise<string[]> {
    const res = await this.txHost.tx
      .createQueryBuilder()
      .delete()
      .from(CoAssignment)
      .where('ticket_id = :ticketId', { ticketId })
      .returning('unit_id')
      .execute();
    return (res.raw as { unit_id: string }[]).map((r) => r.unit_id);
  }
}
