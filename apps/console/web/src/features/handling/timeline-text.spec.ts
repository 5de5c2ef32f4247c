/**
 * The timeline reads as sentences: every kind of entry dispatch writes (the actions the bundle names)
 * is described with names instead of ids and words instead of codes, in Chinese first and in English.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { i18n as I18n } from 'i18next';
import type { Translate } from '../../api/error-text';
import { webBundle, webI18n } from '../../i18n/bundles.testing';
import { describeEntry, peopleIn, type Names, type TimelineEntryLike } from './timeline-text';

const UNIT_A = '3f1c2a4e-0000-4000-8000-00000000000a';
const UNIT_B = '3f1c2a4e-0000-4000-8000-00000000000b';
const PERSON_1 = 'b0421e5a-41e9-41ea-918b-37d7aca54504';
const PERSON_2 = '74aabd7f-1220-4e14-b4c3-52a7ebef6a4a';
const RULE = '9d0e0000-0000-4000-8000-000000000001';

const zhNames: Names = {
  unit: (id) => ({ [UNIT_A]: '胜利路街道办事处', [UNIT_B]: '城西区住建局' })[id ?? ''] ?? '—',
  person: (id) => ({ [PERSON_1]: '王检查员', [PERSON_2]: '李检查员' })[id] ?? id,
  district: (code) => ({ '630104': '城西区', '630105': '城北区' })[code ?? ''] ?? code ?? '—',
  time: () => '2026-12-05 18:48',
};

/** One entry of each kind, with the data dispatch writes for it (order.aggregate.ts, workflow.service.ts). */
const ENTRIES: Record<string, TimelineEntryLike['data']> = {
  dispatch: { unitId: UNIT_A, previousUnitId: null, ruleId: RULE, cycle: 1, remark: '噪音 → 街道' },
  unrouted: { remark: null },
  hold_for_leader: { flags: 'repeat', suggestedUnitId: UNIT_A, cycle: 1, remark: null },
  leader_dispatch: { unitId: UNIT_A, ruleId: null, cycle: 1, remark: null },
  leader_hold: { flags: 'repeat', unitId: UNIT_A, cycle: 1, remark: null },
  leader_signoff: { cycle: 1, remark: '请三日内办结' },
  redispatch: { unitId: UNIT_B, previousUnitId: UNIT_A, ruleId: null, cycle: 1, remark: '属住建职责' },
  return_request: { deadline: '2026-12-08T10:00:00Z', cycle: 1, remark: '不属于本单位职责' },
  return_accept: { unitId: UNIT_B, ruleId: null, cycle: 1, remark: null },
  return_refuse: { cycle: 1, remark: '首接负责' },
  sign: { cycle: 1, remark: null },
  contact: { method: 'phone', cycle: 1, remark: '已电话告知刘女士：今天上午到场检查' },
  reply: { outcome: 'resolved', attachments: 1, cycle: 1, remark: '已修复' },
  submit_signoff: { outcome: 'explained', attachments: 0, cycle: 1, remark: '已解释' },
  head_approve: { repliedBy: PERSON_1, cycle: 1, remark: null },
  head_reject: { cycle: 1, remark: '答复不完整' },
  approve: { cycle: 1, remark: null },
  send_back: { cycle: 2, remark: '未说明完成时间' },
  close: { closeReason: 'callback_satisfied', satisfaction: 'basically_satisfied', attempts: null, cycle: 1, remark: null },
  reopen: {
    unitId: UNIT_A,
    previousUnitId: UNIT_A,
    source: 'callback',
    resolved: false,
    satisfaction: 'unsatisfied',
    cycle: 2,
    remark: null,
  },
  reopen_to: { unitId: UNIT_B, previousUnitId: UNIT_A, source: 'dispatcher', cycle: 2, remark: '改由住建局处理' },
  transfer_district: { fromDistrict: '630104', toDistrict: '630105', previousUnitId: null, cycle: 1, remark: '地址属城北区' },
  receive_district: { fromDistrict: '630104', toDistrict: '630105', cycle: 1, remark: '地址属城北区' },
  assign: { subUnitId: UNIT_B, assignees: `${PERSON_1},${PERSON_2}`, cycle: 1, remark: null },
  co_units_added: { unitIds: `${UNIT_A},${UNIT_B}`, cycle: 1, remark: '联合执法' },
  co_sign: { unitId: UNIT_B, remark: null },
  co_submit: { unitId: UNIT_B, remark: '已配合查处' },
  extension_requested: { requestId: RULE, days: 3, cycle: 1, remark: '需等待配件' },
  extension_approved: { requestId: RULE, days: 3, newFinishDueAt: '2026-12-10T10:00:00Z', cycle: 1, remark: null },
  extension_refused: { requestId: RULE, days: 3, newFinishDueAt: null, cycle: 1, remark: '理由不充分' },
  sla_warning: { unitId: UNIT_A, kind: 'finish', cycle: 1, rule: 'elapsed_75pct', dueAt: '2026-12-08T10:00:00Z', remark: null },
  sla_breached: { unitId: UNIT_A, kind: 'respond', cycle: 1, dueAt: '2026-12-08T10:00:00Z', remark: null },
  sla_escalated: { unitId: UNIT_A, kind: 'finish', step: 2, target: 'district', remark: null },
  sla_urged: { itemId: RULE, unitId: UNIT_A, urgeCount: 2, remark: '请今日内办结' },
  supplemented: { remark: '市民补充：楼道暖气也不热，已持续三天' },
  merged: { citizenCount: 3, addedFlags: 'concentrated', remark: null },
  sla_supervised: { itemId: RULE, reason: 'overdue', level: 'city', unitId: UNIT_A, cycle: 1, remark: '超时未办结，市级督办' },
  sla_supervision_closed: { itemId: RULE, reason: 'overdue', remark: '已办结' },
};

const entry = (action: string): TimelineEntryLike => ({ action, note: 'a log line that must not show', data: ENTRIES[action] });

let zh: Translate;
let en: Translate;
beforeAll(async () => {
  const tr =
    (i: I18n): Translate =>
    (key, options) =>
      i.t(key, options);
  zh = tr(await webI18n('zh-CN'));
  en = tr(await webI18n('en'));
});

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}/i;
/** A code or English word leaking into Chinese: a run of ASCII letters or an underscore. */
const CODE = /[A-Za-z_]{2,}/;

describe('the timeline in words', () => {
  test('every action the bundle names has an entry here (a new kind of entry needs its sentence)', () => {
    const actions = Object.keys((webBundle('zh-CN').handling as { actions: Record<string, string> }).actions);
    // callback_* / proactive_* are close reasons named for the old entries; the close entry carries them now.
    expect(actions.filter((a) => !ENTRIES[a] && !/^(callback|proactive)_/.test(a))).toEqual([]);
  });

  test.each(Object.keys(ENTRIES))('%s reads in Chinese with names, no ids, no codes', (action) => {
    const { sentence, remark } = describeEntry(entry(action), zh, zhNames);
    const text = `${sentence ?? ''} ${remark ?? ''}`;
    expect(text).not.toMatch(UUID);
    expect(text).not.toMatch(CODE);
    expect(text).not.toContain('a log line');
    expect(remark).toBe(ENTRIES[action].remark);
  });

  test('names the units and people (not their ids) and translates methods, outcomes, verdicts and clocks', () => {
    const zhOf = (a: string) => describeEntry(entry(a), zh, zhNames).sentence;
    expect(zhOf('dispatch')).toBe('按派单规则派至胜利路街道办事处');
    expect(zhOf('assign')).toBe('下派至城西区住建局；分派承办人：王检查员、李检查员');
    expect(zhOf('contact')).toBe('已通过电话联系诉求人');
    expect(zhOf('reply')).toBe('办理结果：已解决');
    expect(zhOf('close')).toBe('回访结果：基本满意，结案');
    expect(zhOf('reopen')).toBe('回访结果：未解决、不满意；由原承办单位重办');
    expect(zhOf('transfer_district')).toBe('由城西区转至城北区');
    expect(zhOf('sla_breached')).toBe('响应时限已于 2026-12-05 18:48 超时');
    expect(zhOf('co_units_added')).toBe('请协办单位报到：胜利路街道办事处、城西区住建局');
    expect(zhOf('merged')).toBe('又有市民反映此诉求，共 3 人；标记为集中');
    expect(
      describeEntry({ action: 'merged', note: null, data: { citizenCount: 2, addedFlags: '', remark: null } }, zh, zhNames).sentence,
    ).toBe('又有市民反映此诉求，共 2 人');
    expect(zhOf('sla_supervised')).toBe('列入督办清单（超时，市级督办）');
    expect(zhOf('sla_supervision_closed')).toBe('督办销号（超时）');
    expect(zhOf('supplemented')).toBeNull(); // the action's name says it; the citizen's words are the remark
    expect(describeEntry(entry('contact'), en, zhNames).sentence).toBe('Citizen contacted by phone');
    expect(peopleIn(entry('assign'))).toEqual([PERSON_1, PERSON_2]);
  });

  test('an entry written before the console built sentences (no remark in its data) shows its note as it is', () => {
    const old = { action: 'assign', note: '分派承办人 assigned to x', data: { cycle: 1, assignees: PERSON_1 } };
    expect(describeEntry(old, zh, zhNames)).toEqual({ sentence: null, remark: '分派承办人 assigned to x' });
  });
});
