import 'reflect-metadata';
import { EscalationTarget, TicketFlag } from '@app/contracts';
import { inHandHoldNote, leaderHoldNote, supervisedNote } from './timeline-text';

describe('dispatch timeline notes', () => {
  it('name the flags as the console does, Chinese first, never the codes', () => {
    expect(leaderHoldNote([TicketFlag.Repeat, TicketFlag.Concentrated], '城西区胜利路街道')).toBe(
      '双交办（重复件、集中件）待区领导签批派单；建议派至城西区胜利路街道 flagged order (repeat, concentrated): awaiting the district leader; suggested unit 城西区胜利路街道',
    );
    expect(leaderHoldNote([TicketFlag.Concentrated], null)).toBe(
      '双交办（集中件）待区领导签批派单；无匹配的派单规则 flagged order (concentrated): awaiting the district leader; no routing rule matched',
    );
    expect(leaderHoldNote([TicketFlag.Repeat], null, true)).toBe(
      '双交办（重复件）合并后待区领导签批派单 flagged order (repeat) after a merge: awaiting the district leader',
    );
    expect(inHandHoldNote([TicketFlag.Concentrated])).toMatch(/^双交办（集中件）：承办单位继续办理，答复须经区领导签批 /);
  });

  it('say why and at what level sla listed the order, then sla’s own summary', () => {
    expect(supervisedNote('overdue', EscalationTarget.District, '办结超时：应于 12月5日 16:00 前办结（第1轮） finish overdue')).toBe(
      '列入督办清单（超时，区级督办）：办结超时：应于 12月5日 16:00 前办结（第1轮） finish overdue',
    );
    // A reason a newer sla sends, unknown here: its code, not nothing.
    expect(supervisedNote('brand_new', EscalationTarget.Unit, 's')).toBe('列入督办清单（brand_new，单位级督办）：s');
  });
});
