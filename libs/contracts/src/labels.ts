import { EscalationTarget, Satisfaction, TicketFlag } from './enums';

/**
 * What staff read for the values they see in stored texts (timeline notes, supervision summaries),
 * Chinese first and a short English gloss: the console's own words (its i18n) for the same values.
 */
export interface Label {
  zh: string;
  en: string;
}

export const FLAG_LABELS: Record<TicketFlag, Label> = {
  [TicketFlag.Repeat]: { zh: '重复件', en: 'repeat' },
  [TicketFlag.Concentrated]: { zh: '集中件', en: 'concentrated' },
};

export const SATISFACTION_LABELS: Record<Satisfaction, Label> = {
  [Satisfaction.Satisfied]: { zh: '满意', en: 'satisfied' },
  [Satisfaction.BasicallySatisfied]: { zh: '基本满意', en: 'basically satisfied' },
  [Satisfaction.Unsatisfied]: { zh: '不满意', en: 'unsatisfied' },
};

export const LEVEL_LABELS: Record<EscalationTarget, Label> = {
  [EscalationTarget.Unit]: { zh: '单位级督办', en: 'unit level' },
  [EscalationTarget.District]: { zh: '区级督办', en: 'district level' },
  [EscalationTarget.City]: { zh: '市级督办', en: 'city level' },
};

/** Why an order is on the supervision list (`reason` of sla.supervision-opened.v1 / -closed.v1). */
export const SUPERVISION_REASON_LABELS: Record<string, Label> = {
  overdue: { zh: '超时', en: 'overdue' },
  unsatisfied: { zh: '回访不满意', en: 'callback not resolved or unsatisfied' },
  repeat: { zh: '双交办', en: 'repeat or concentrated' },
  at_risk: { zh: '临期督办', en: 'about to breach' },
};

/** The reason's label; a reason this release does not know (a newer sla's) as its code. */
export function supervisionReasonLabel(reason: string): Label {
  return SUPERVISION_REASON_LABELS[reason] ?? { zh: reason, en: reason };
}

/** An order's flags as one label: `重复件、集中件` / `repeat, concentrated`. */
export function flagsLabel(flags: readonly TicketFlag[]): Label {
  return { zh: flags.map((f) => FLAG_LABELS[f].zh).join('、'), en: flags.map((f) => FLAG_LABELS[f].en).join(', ') };
}

/** A callback's answer: `未解决、不满意` / `not resolved, unsatisfied`. */
export function callbackAnswerLabel(resolved: boolean, satisfaction: Satisfaction): Label {
  const s = SATISFACTION_LABELS[satisfaction];
  return { zh: `${resolved ? '已解决' : '未解决'}、${s.zh}`, en: `${resolved ? 'resolved' : 'not resolved'}, ${s.en}` };
}
