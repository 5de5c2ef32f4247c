import {
  callbackAnswerLabel,
  ClockKind,
  EscalationTarget,
  flagsLabel,
  Label,
  LEVEL_LABELS,
  Satisfaction,
  TicketFlag,
} from '@app/contracts';
import { DateTime } from 'luxon';

/**
 * The words sla stores on a supervision item (its `summary`, also carried by sla.supervision-opened.v1
 * onto the order's timeline) and on its action rows: read by supervisors and units on the console, so
 * Chinese first, then a short English gloss; times in the city's time zone; the cycle as 第N轮. The
 * Chinese names are the console's (levels, flags and answers from libs/contracts' labels: 单位级督办 / 区级督办 /
 * 市级督办, 重复件 / 集中件, 满意 / 基本满意 / 不满意).
 */

const CLOCK: Record<ClockKind, Label> = {
  [ClockKind.Respond]: { zh: '响应', en: 'respond' },
  [ClockKind.Finish]: { zh: '办结', en: 'finish' },
};
/** A due time as the city reads it: `12月5日 16:00` in the Chinese, `2026-12-05 16:00` in the gloss. */
function due(at: Date, zone: string): Label {
  const t = DateTime.fromJSDate(at, { zone });
  return { zh: t.toFormat('M月d日 HH:mm'), en: t.toFormat('yyyy-MM-dd HH:mm') };
}

const round = (cycle: number): Label => ({ zh: `（第${cycle}轮）`, en: `(cycle ${cycle})` });
/** An overdue clock (the tick's breach): `办结超时：应于 12月5日 16:00 前办结（第1轮） finish overdue: due 2026-12-05 16:00 (cycle 1)`. */
export function overdueText(c: { kind: ClockKind; dueAt: Date; cycle: number }, zone: string): string {
  const k = CLOCK[c.kind];
  const d = due(c.dueAt, zone);
  const r = round(c.cycle);
  return `${k.zh}超时：应于 ${d.zh} 前${k.zh}${r.zh} ${k.en} overdue: due ${d.en} ${r.en}`;
}

/** 临期督办, urged from the board before the finish clock breached. */
export function atRiskText(c: { dueAt: Date; cycle: number }, zone: string): string {
  const d = due(c.dueAt, zone);
  const r = round(c.cycle);
  return `临期督办：应于 ${d.zh} 前办结${r.zh} about to breach: finish due ${d.en} ${r.en}`;
}

/** An escalation step of an overdue clock raised (or met) the item's level. */
export function escalationText(s: { step: number; target: EscalationTarget; kind: ClockKind }): string {
  const l = LEVEL_LABELS[s.target];
  const k = CLOCK[s.kind];
  return `第${s.step}级升级：${l.zh}（${k.zh}超时） escalation step ${s.step}: ${l.en} (${k.en} overdue)`;
}

/** The citizen's callback answer that put the order on the list (unresolved, unsatisfied, or both). */
export function callbackText(d: { resolved: boolean; satisfaction: Satisfaction; cycle: number }): string {
  const a = callbackAnswerLabel(d.resolved, d.satisfaction);
  const r = round(d.cycle);
  return `回访：${a.zh}${r.zh} callback: ${a.en} ${r.en}`;
}

/** 双交办 from a flagged dispatch, naming the unit it went to. */
export function flaggedDispatchText(d: { flags: readonly TicketFlag[]; unitName: string; cycle: number }): string {
  const f = flagsLabel(d.flags);
  const r = round(d.cycle);
  return `双交办：${f.zh}，派至${d.unitName}${r.zh} flagged order: ${f.en}; dispatched ${r.en}`;
}

/** 双交办 from a merge that left the order flagged. */
export function flaggedMergeText(d: { flags: readonly TicketFlag[]; citizenCount: number; cycle: number }): string {
  const f = flagsLabel(d.flags);
  const r = round(d.cycle);
  return `双交办：${f.zh}，合并后共${d.citizenCount}位市民反映${r.zh} flagged order: ${f.en}; merged, ${d.citizenCount} citizens ${r.en}`;
}

/** 转办 moved the order within its cycle and the open item went with it (the order's timeline names both units). */
export function reassignedText(d: { unitId: string; unitName: string | null; cycle: number }): string {
  const r = round(d.cycle);
  return d.unitName
    ? `随工单转办至${d.unitName}${r.zh} moved with the order to its new unit ${r.en}`
    : `随工单转办至其他承办单位${r.zh} moved with the order to unit ${d.unitId} ${r.en}`;
}
