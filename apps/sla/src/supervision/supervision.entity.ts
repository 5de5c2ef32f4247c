import { EscalationTarget } from '@app/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Why an order is on the supervision list (督办清单). */
export enum SupervisionReason {
  /** 超时: a clock passed its due time; escalation raises the item's level. */
  Overdue = 'overdue',
  /** 回访不满意: the callback found it unresolved or the citizen unsatisfied. */
  Unsatisfied = 'unsatisfied',
  /** 重复/集中诉求 (双交办): a repeat or concentrated request. */
  Repeat = 'repeat',
  /** 临期督办: a supervisor urged the unit before the order went overdue (from the about-to-breach board). */
  AtRisk = 'at_risk',
}

export enum SupervisionStatus {
  Open = 'open',
  Closed = 'closed',
}

/** Levels in ascending order; an item only ever climbs. */
export const LEVELS: EscalationTarget[] = [EscalationTarget.Unit, EscalationTarget.District, EscalationTarget.City];

/** One entry of the supervision list: an order, why it is there, at which level, and what was done. */
@Entity('supervision_item')
@Index('uq_supervision_item_open', ['ticketId', 'reason'], { unique: true, where: `status = 'open'` })
@Index('idx_supervision_item_list', ['status', 'districtCode', 'openedAt'])
@Index('idx_supervision_item_ticket', ['ticketId', 'reason', 'cycle'])
export class SupervisionItem {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  @Column('uuid', { name: 'unit_id' })
  unitId: string;

  @Column('text')
  reason: SupervisionReason;

  @Column('text')
  level: EscalationTarget;

  @Column('int')
  cycle: number;

  @Column('text')
  status: SupervisionStatus;

  /** What put it on the list, for the supervisor (e.g. `finish clock due 2025-10-14T02:00:00Z`). */
  @Column('text')
  summary: string;

  @Column('timestamptz', { name: 'opened_at' })
  openedAt: Date;

  @Column('int', { name: 'urge_count', default: 0 })
  urgeCount: number;

  @Column('timestamptz', { name: 'last_urged_at', nullable: true })
  lastUrgedAt: Date | null;

  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt: Date | null;

  @Column('text', { name: 'closed_by', nullable: true })
  closedBy: string | null;
}

export enum SupervisionActionKind {
  Opened = 'opened',
  Escalated = 'escalated',
  /** 转办: the order moved to another unit, and the item with it. */
  Reassigned = 'reassigned',
  Urged = 'urge',
  Comment = 'comment',
  Closed = 'close',
}

/** 督办记录: what happened to an item, who did it, when. */
@Entity('supervision_action')
@Index('idx_supervision_action_item', ['itemId', 'at'])
export class SupervisionAction {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'item_id' })
  itemId: string;

  @Column('timestamptz')
  at: Date;

  /** User id, or `system:sla`. */
  @Column('text')
  actor: string;

  @Column('text')
  action: SupervisionActionKind;

  /** 中文 label first, English second, for the list. */
  @Column('text')
  label: string;

  @Column('text', { nullable: true })
  note: string | null;
}
