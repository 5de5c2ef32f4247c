import 'reflect-metadata';
import { ClockKind, EscalationTarget, Satisfaction, TicketFlag } from '@app/contracts';
import {
  atRiskText,
  callbackText,
  escalationText,
  flaggedDispatchText,
  flaggedMergeText,
  overdueText,
  reassignedText,
} from './supervision-text';

const ZONE = 'Asia/Shanghai';
/** 5 December 2026, 16:00 in Xining (08:00 UTC). */
const DUE = new Date('2026-12-05T08:00:00.000Z');

describe('what a supervision item says (Chinese first, then a short English gloss, city time)', () => {
  it('an overdue clock: the kind in Chinese, the due time in the city zone, the cycle as 第N轮', () => {
    expect(overdueText({ kind: ClockKind.Finish, dueAt: DUE, cycle: 1 }, ZONE)).toBe(
      '办结超时：应于 12月5日 16:00 前办结（第1轮） finish overdue: due 2026-12-05 16:00 (cycle 1)',
    );
    expect(overdueText({ kind: ClockKind.Respond, dueAt: DUE, cycle: 2 }, ZONE)).toBe(
      '响应超时：应于 12月5日 16:00 前响应（第2轮） respond overdue: due 2026-12-05 16:00 (cycle 2)',
    );
  });

  it('reads the due time in the zone it is given, across midnight', () => {
    // 23:30 UTC on the 4th: 07:30 on the 5th in Xining, 05:30 in Urumqi, still the 4th in UTC.
    const late = new Date('2026-12-04T23:30:00.000Z');
    expect(overdueText({ kind: ClockKind.Finish, dueAt: late, cycle: 1 }, ZONE)).toContain('应于 12月5日 07:30 前办结');
    expect(overdueText({ kind: ClockKind.Finish, dueAt: late, cycle: 1 }, 'Asia/Urumqi')).toContain('due 2026-12-05 05:30');
    expect(overdueText({ kind: ClockKind.Finish, dueAt: late, cycle: 1 }, 'UTC')).toContain('应于 12月4日 23:30 前办结');
  });

  it('about to breach (临期督办)', () => {
    expect(atRiskText({ dueAt: DUE, cycle: 1 }, ZONE)).toBe(
      '临期督办：应于 12月5日 16:00 前办结（第1轮） about to breach: finish due 2026-12-05 16:00 (cycle 1)',
    );
  });

  it('an escalation step: the level and the clock in the console’s words', () => {
    expect(escalationText({ step: 2, target: EscalationTarget.District, kind: ClockKind.Finish })).toBe(
      '第2级升级：区级督办（办结超时） escalation step 2: district level (finish overdue)',
    );
    expect(escalationText({ step: 1, target: EscalationTarget.Unit, kind: ClockKind.Respond })).toBe(
      '第1级升级：单位级督办（响应超时） escalation step 1: unit level (respond overdue)',
    );
    expect(escalationText({ step: 3, target: EscalationTarget.City, kind: ClockKind.Finish })).toContain('市级督办');
  });

  it('a callback answer: resolved or not, and the satisfaction, in words', () => {
    expect(callbackText({ resolved: false, satisfaction: Satisfaction.Unsatisfied, cycle: 1 })).toBe(
      '回访：未解决、不满意（第1轮） callback: not resolved, unsatisfied (cycle 1)',
    );
    expect(callbackText({ resolved: true, satisfaction: Satisfaction.Unsatisfied, cycle: 2 })).toBe(
      '回访：已解决、不满意（第2轮） callback: resolved, unsatisfied (cycle 2)',
    );
    expect(callbackText({ resolved: false, satisfaction: Satisfaction.BasicallySatisfied, cycle: 1 })).toBe(
      '回访：未解决、基本满意（第1轮） callback: not resolved, basically satisfied (cycle 1)',
    );
  });

  it('双交办: the flags as 重复件 / 集中件, the unit or the merge', () => {
    expect(flaggedDispatchText({ flags: [TicketFlag.Repeat, TicketFlag.Concentrated], unitName: '城西区胜利路街道', cycle: 1 })).toBe(
      '双交办：重复件、集中件，派至城西区胜利路街道（第1轮） flagged order: repeat, concentrated; dispatched (cycle 1)',
    );
    expect(flaggedMergeText({ flags: [TicketFlag.Concentrated], citizenCount: 3, cycle: 1 })).toBe(
      '双交办：集中件，合并后共3位市民反映（第1轮） flagged order: concentrated; merged, 3 citizens (cycle 1)',
    );
  });

  it('an item moved with its order names the new unit, not account or unit ids, when the name is known', () => {
    const unitId = '7d1f6c2e-1f7e-5a53-9d7c-0c6d2f1f8b11';
    expect(reassignedText({ unitId, unitName: '城西区城市管理局', cycle: 1 })).toBe(
      '随工单转办至城西区城市管理局（第1轮） moved with the order to its new unit (cycle 1)',
    );
    expect(reassignedText({ unitId, unitName: null, cycle: 1 })).toBe(
      `随工单转办至其他承办单位（第1轮） moved with the order to unit ${unitId} (cycle 1)`,
    );
  });

  it('never shows the stored forms it replaced: ISO instants, key=value pairs, enum values', () => {
    const all = [
      overdueText({ kind: ClockKind.Finish, dueAt: DUE, cycle: 1 }, ZONE),
      atRiskText({ dueAt: DUE, cycle: 1 }, ZONE),
      escalationText({ step: 2, target: EscalationTarget.District, kind: ClockKind.Finish }),
      callbackText({ resolved: false, satisfaction: Satisfaction.BasicallySatisfied, cycle: 1 }),
      flaggedMergeText({ flags: [TicketFlag.Repeat], citizenCount: 2, cycle: 1 }),
    ].join('\n');
    expect(all).not.toMatch(/\d{4}-\d\d-\d\dT|\.000Z|=|basically_satisfied|cycle \d,/);
  });
});
