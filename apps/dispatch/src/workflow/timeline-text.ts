import { EscalationTarget, flagsLabel, LEVEL_LABELS, supervisionReasonLabel, TicketFlag } from '@app/contracts';

/**
 * The notes dispatch writes on an order's timeline for what the system did (not a person's words),
 * read by dispatchers, handlers and leaders in the console: Chinese first, then a short English
 * gloss, with the console's names for flags, levels and reasons (libs/contracts' labels), never the
 * codes.
 */

/** 双交办 before dispatch: the order waits for the district leader (`holdForLeader`). */
export function leaderHoldNote(flags: readonly TicketFlag[], suggestedUnit: string | null, merged = false): string {
  const f = flagsLabel(flags);
  const why = merged ? { zh: '合并后', en: ' after a merge' } : { zh: '', en: '' };
  const zh = `双交办（${f.zh}）${why.zh}待区领导签批派单${suggestedUnit ? `；建议派至${suggestedUnit}` : merged ? '' : '；无匹配的派单规则'}`;
  const en = `flagged order (${f.en})${why.en}: awaiting the district leader${suggestedUnit ? `; suggested unit ${suggestedUnit}` : merged ? '' : '; no routing rule matched'}`;
  return `${zh} ${en}`;
}

/** 双交办 by a merge while a unit has the order: it keeps it, its reply waits (`holdInHand`). */
export function inHandHoldNote(flags: readonly TicketFlag[]): string {
  const f = flagsLabel(flags);
  return `双交办（${f.zh}）：承办单位继续办理，答复须经区领导签批 flagged order (${f.en}): the unit keeps the order; its reply waits for the district leader's sign-off`;
}

/** sla put the order on the supervision list (督办清单); sla's own summary follows. */
export function supervisedNote(reason: string, level: EscalationTarget, summary: string): string {
  const r = supervisionReasonLabel(reason);
  const l = LEVEL_LABELS[level];
  return `列入督办清单（${r.zh}，${l.zh}）：${summary}`;
}
