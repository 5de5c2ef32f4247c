import { EntitySql, lockInBatchOrder, roundsByKey, TransactionHost, TxHost, Write } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { IdempotencyKey, Progress, RevealAudit, Ticket } from './ticket.entity';

/**
 * The citizens of a `ticket` row, as an SQL expression (a text[]): the phone hash of its own citizen
 * and of every contact merged into it (through `idx_ticket_merged_into`), null for an anonymous
 * citizen; a citizen who left no phone and is not anonymous is not counted. The merge counts them
 * (`citizensOf`), and the duplicate check reads them with each similar order.
 */
export const CITIZENS_OF_TICKET = `(CASE WHEN ticket.citizen_phone_hash IS NOT NULL OR ticket.anonymous THEN ARRAY[ticket.citizen_phone_hash] ELSE '{}'::text[] END
  || ARRAY(SELECT m.citizen_phone_hash FROM ticket m WHERE m.merged_into = ticket.id AND (m.citizen_phone_hash IS NOT NULL OR m.anonymous)))`;

/** A progress step learnt from dispatch: applied only if (cycle, rank) is not behind the stored one. */
export interface ProgressStep {
  ticketId: string;
  cycle: number;
  rank: number;
  progress: Progress;
  at: Date;
  unitId?: string;
  unitName?: string;
  /** undefined: keep; null: clear (a reply sent back is no longer the answer). */
  publicReply?: string | null;
}

export interface Open311Filter {
  orderNos?: string[];
  categoryCodes?: string[];
  from: Date;
  to: Date;
  closed?: boolean;
  offset: number;
  limit: number;
}

/** Progress values that mean the matter is finished for the citizen (Open311 `closed`). */
export const CLOSED_PROGRESS: Progress[] = ['closed', 'answered', 'not_accepted', 'merged'];

export interface TicketSearch {
  orderNo?: string;
  phoneHash?: string;
  text?: string;
  from?: Date;
  to?: Date;
  progress?: Progress;
  districtCode?: string;
}

@Injectable()
export class TicketsRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /**
   * Reserves `count` sequence numbers of the day, atomically across replicas; answers the last of
   * them (the block is `last - count + 1` … `last`). Autocommit: the day's row is locked for one
   * statement, never for an order's transaction.
   */
  async reserveOrderSequence(day: string, count: number): Promise<number> {
    const rows: { last: number }[] = await this.txHost.tx.query(
      `INSERT INTO order_sequence (day, last) VALUES ($1, $2)
       ON CONFLICT (day) DO UPDATE SET last = order_sequence.last + $2
       RETURNING last`,
      [day, count],
    );
    return rows[0].last;
  }

  /**
   * Writes a new order (or merged contact) in one statement, plain SQL: a column whose value is
   * undefined keeps its default (as TypeORM's insert did). False, and nothing written, when its order
   * number is already taken (only orders numbered before the numbers were permuted can collide): the
   * caller takes another number.
   */
  async insert(ticket: Ticket): Promise<boolean> {
    return EntitySql.of(this.txHost.tx, Ticket).insert(this.txHost.tx, ticket, { ifAbsent: true, conflictOn: ['order_no'] });
  }

  /** The order's INSERT, not run: written with its sample and its event (`Outbox.publishWith`). A number taken fails it (unique violation). */
  insertWrite(ticket: Ticket): Write {
    return EntitySql.of(this.txHost.tx, Ticket).insertStatement(this.txHost.tx, [ticket]);
  }

  findById(id: string): Promise<Ticket | null> {
    return this.txHost.tx.getRepository(Ticket).findOneBy({ id });
  }

  findByOrderNo(orderNo: string): Promise<Ticket | null> {
    return this.txHost.tx.getRepository(Ticket).findOneBy({ orderNo });
  }

  /** The order, locked for the caller's transaction (merges onto one order queue up here). */
  lockById(id: string): Promise<Ticket | null> {
    return this.txHost.tx.getRepository(Ticket).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Newest first, within the districts given (null = all). */
  list(districts: string[] | null, districtCode: string | undefined, limit: number): Promise<Ticket[]> {
    const qb = this.txHost.tx.getRepository(Ticket).createQueryBuilder('t').orderBy('t.accepted_at', 'DESC').limit(limit);
    if (districts) qb.andWhere('t.district_code = ANY(:districts)', { districts });
    if (districtCode) qb.andWhere('t.district_code = :districtCode', { districtCode });
    return qb.getMany();
  }

  /**
   * 工单查询: every filter optional and combined; newest first, paged. Served by indexes: the order
   * number (unique), the phone hash, the content (trigram GIN, for words of the content), district + time.
   */
  search(f: TicketSearch, districts: string[] | null, offset: number, limit: number): Promise<[Ticket[], number]> {
    const qb = this.txHost.tx
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .orderBy('t.accepted_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .offset(offset)
      .limit(limit);
    if (districts) qb.andWhere('t.district_code = ANY(:districts)', { districts });
    if (f.orderNo) qb.andWhere('t.order_no = :orderNo', { orderNo: f.orderNo });
    if (f.phoneHash) qb.andWhere('t.citizen_phone_hash = :phoneHash', { phoneHash: f.phoneHash });
    if (f.text) qb.andWhere(`t.content ILIKE :text ESCAPE '\\'`, { text: `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    if (f.from) qb.andWhere('t.accepted_at >= :from', { from: f.from });
    if (f.to) qb.andWhere('t.accepted_at <= :to', { to: f.to });
    if (f.progress) qb.andWhere('t.progress = :progress', { progress: f.progress });
    if (f.districtCode) qb.andWhere('t.district_code = :districtCode', { districtCode: f.districtCode });
    return qb.getManyAndCount();
  }

  /** Orders (not contacts merged into one) accepted since `since` in a district, still open. */
  openInDistrict(districtCode: string, since: Date, limit: number): Promise<Ticket[]> {
    return this.txHost.tx
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .where('t.district_code = :districtCode AND t.accepted_at >= :since', { districtCode, since })
      .andWhere(`t.disposition = 'dispatch' AND t.progress <> 'closed'`)
      .orderBy('t.accepted_at', 'DESC')
      .limit(limit)
      .getMany();
  }

  /** Everything one phone number raised since `since` (orders and merged contacts). */
  byPhoneHash(hash: string, since: Date, limit: number): Promise<Ticket[]> {
    return this.txHost.tx
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .where('t.citizen_phone_hash = :hash AND t.accepted_at >= :since', { hash, since })
      .orderBy('t.accepted_at', 'DESC')
      .limit(limit)
      .getMany();
  }

  /** Phone hashes (null for an anonymous citizen) of the orders given and the contacts merged into them. */
  async citizensOf(ids: string[]): Promise<(string | null)[]> {
    if (!ids.length) return [];
    const rows: { h: string | null }[] = await this.txHost.tx.query(
      `SELECT unnest(${CITIZENS_OF_TICKET}) AS h FROM ticket WHERE id = ANY($1)`,
      [ids],
    );
    return rows.map((r) => r.h);
  }

  async updateMerged(id: string, citizenCount: number, flags: string[]): Promise<void> {
    await this.txHost.tx.query(`UPDATE ticket SET citizen_count = $2, flags = $3 WHERE id = $1`, [id, citizenCount, flags]);
  }

  /**
   * Apply progress steps, each unless a later one is already recorded (events arrive in any order).
   * A closed order is (cycle, 9): only a later cycle (a reopen) moves it. A step naming another unit
   * without its name clears the old unit's name rather than show it as handling the order.
   *
   * One statement for the steps of different orders; the steps of one order are applied one after
   * the other, in the order given (an UPDATE … FROM changes a row once, whatever joins it:
   * `roundsByKey`).
   */
  async advanceProgress(steps: readonly ProgressStep[]): Promise<void> {
    // The orders' locks in a batch's order first, not the join's (lockInBatchOrder).
    await lockInBatchOrder(
      this.txHost.tx,
      { table: 'ticket', key: 'id', district: 'district_code' },
      steps.map((s) => s.ticketId),
    );
    for (const round of roundsByKey(steps, (s) => s.ticketId.toLowerCase())) {
      await this.txHost.tx.query(
        `UPDATE ticket t
            SET progress = v.progress, progress_cycle = v.cycle, progress_rank = v.rank, progress_at = v.at,
                unit_name = CASE WHEN v.unit_name IS NOT NULL THEN v.unit_name WHEN v.unit_id <> t.unit_id THEN NULL ELSE t.unit_name END,
                unit_id = COALESCE(v.unit_id, t.unit_id),
                public_reply = CASE WHEN v.set_reply THEN v.reply ELSE t.public_reply END
           FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::timestamptz[], $6::text[], $7::bool[], $8::text[], $9::uuid[])
                AS v(id, progress, cycle, rank, at, unit_name, set_reply, reply, unit_id)
          WHERE t.id = v.id AND t.disposition = 'dispatch' AND (t.progress_cycle, t.progress_rank) <= (v.cycle, v.rank)`,
        [
          round.map((s) => s.ticketId),
          round.map((s) => s.progress),
          round.map((s) => s.cycle),
          round.map((s) => s.rank),
          round.map((s) => s.at),
          round.map((s) => s.unitName ?? null),
          round.map((s) => s.publicReply !== undefined),
          round.map((s) => s.publicReply ?? null),
          round.map((s) => s.unitId ?? null),
        ],
      );
    }
  }

  /** Record the handling unit's assignment unless a later one is recorded (the latest `assignedAt` wins). */
  async recordAssignment(a: {
    ticketId: string;
    unitId: string;
    subUnitId: string | null;
    assignees: string[];
    assignedAt: Date;
  }): Promise<void> {
    await this.txHost.tx.query(
      `UPDATE ticket SET assigned_unit_id = $2, sub_unit_id = $3, assignees = $4, assigned_at = $5
        WHERE id = $1 AND (assigned_at IS NULL OR assigned_at <= $5)`,
      [a.ticketId, a.unitId, a.subUnitId, a.assignees, a.assignedAt],
    );
  }

  /**
   * 转区: the order moved from district `from` to `to`. The street (and its community) stay only when
   * they lie in the new district; the unit is cleared until the new district dispatches it. Returns
   * the order's district after the call ('missing' when intake has no such order), so the caller can
   * tell an applied move from one already applied or one waiting for an earlier move.
   */
  async moveDistrict(ticketId: string, from: string, to: string, streetCode: string | null): Promise<string> {
    const res: unknown[] = await this.txHost.tx.query(
      `UPDATE ticket SET district_code = $3,
              street_code = CASE WHEN $4::text IS NOT NULL THEN $4::text WHEN street_code LIKE $3 || '%' THEN street_code END,
              community_code = CASE WHEN community_code LIKE COALESCE($4::text, $3) || '%' THEN community_code END,
              location_source = 'dispatcher', unit_id = NULL, unit_name = NULL
        WHERE id = $1 AND district_code = $2
        RETURNING district_code`,
      [ticketId, from, to, streetCode],
    );
    const rows = (Array.isArray(res[0]) ? res[0] : res) as { district_code: string }[];
    if (rows.length > 0) return to;
    const [row]: { district_code: string }[] = await this.txHost.tx.query('SELECT district_code FROM ticket WHERE id = $1', [ticketId]);
    return row?.district_code ?? 'missing';
  }

  async findIdempotent(scope: string, key: string): Promise<IdempotencyKey | null> {
    return this.txHost.tx.getRepository(IdempotencyKey).findOneBy({ scope, key });
  }

  /** Claims the key in the order's transaction; false if another submission holds it (committed or not yet). */
  async claimIdempotencyKey(row: IdempotencyKey): Promise<boolean> {
    const rows: unknown[] = await this.txHost.tx.query(
      `INSERT INTO idempotency_key (scope, key, request_hash, ticket_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (scope, key) DO NOTHING RETURNING 1`,
      [row.scope, row.key, row.requestHash, row.ticketId],
    );
    return rows.length === 1;
  }

  /** Open311 GET requests: orders and contacts, newest first, in a window, optionally filtered; never those kept off the public wall (opted out, or identity hidden when not asked). */
  open311(f: Open311Filter): Promise<Ticket[]> {
    const qb = this.txHost.tx
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .where('COALESCE(t.public_wall_opt_out, t.identity_hidden) = false')
      .orderBy('t.accepted_at', 'DESC')
      .offset(f.offset)
      .limit(f.limit);
    if (f.orderNos) {
      qb.andWhere('t.order_no = ANY(:orderNos)', { orderNos: f.orderNos });
      return qb.getMany();
    }
    qb.andWhere('t.accepted_at >= :from AND t.accepted_at <= :to', { from: f.from, to: f.to });
    if (f.categoryCodes) qb.andWhere('t.category_code = ANY(:codes)', { codes: f.categoryCodes });
    if (f.closed !== undefined) {
      qb.andWhere(f.closed ? 't.progress = ANY(:closed)' : 'NOT (t.progress = ANY(:closed))', { closed: CLOSED_PROGRESS });
    }
    return qb.getMany();
  }

  async audit(entry: RevealAudit): Promise<void> {
    await this.txHost.tx.getRepository(RevealAudit).insert(entry);
  }

  reveals(ticketId: string): Promise<RevealAudit[]> {
    return this.txHost.tx.getRepository(RevealAudit).find({ where: { ticketId }, order: { at: 'ASC' } });
  }
}
