/**
 * A timeline entry (流转记录) as staff read it: one sentence in the reader's language, built from the
 * entry's action and its `data` (units and people by id → names, districts by code → names, methods,
 * outcomes, verdicts, clocks translated), and the words a person typed (`data.remark`: a reason, a
 * note, the reply text, a routing rule's note). Entries dispatch wrote before `remark` existed carry
 * their log line in `note` (Chinese and English, ids included): for those the note is shown as it is.
 */
import type { Translate } from '../../api/error-text';

export interface TimelineEntryLike {
  action: string;
  note: string | null;
  data: Record<string, unknown>;
}

export interface Names {
  unit: (id: string | null | undefined) => string;
  person: (id: string) => string;
  district: (code: string | null | undefined) => string;
  time: (iso: string) => string;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const list = (v: unknown): string[] => (str(v) ?? '').split(',').filter(Boolean);

/** The ids of people an entry names (for one batched name lookup). */
export function peopleIn(e: TimelineEntryLike): string[] {
  return e.action === 'assign' ? list(e.data.assignees) : [];
}

/** The sentence of an entry (null when its action says it all) and the typed words under it. */
export function describeEntry(e: TimelineEntryLike, t: Translate, n: Names): { sentence: string | null; remark: string | null } {
  const d = e.data;
  const structured = 'remark' in d;
  const remark = structured ? str(d.remark) : e.note;
  if (!structured) return { sentence: null, remark };
  const k = (key: string, options?: Record<string, unknown>) => t(`handling.timelineText.${key}`, options);
  const clock = (kind: unknown) => t(kind === 'respond' ? 'handling.fields.respondClock' : 'handling.fields.finishClock');
  const sentence = ((): string | null => {
    switch (e.action) {
      case 'dispatch':
      case 'leader_dispatch':
      case 'redispatch':
      case 'return_accept':
        return d.ruleId ? k('dispatchedByRule', { unit: n.unit(str(d.unitId)) }) : k('dispatched', { unit: n.unit(str(d.unitId)) });
      case 'unrouted':
        return k('unrouted');
      case 'hold_for_leader':
        return d.suggestedUnitId ? k('heldSuggested', { unit: n.unit(str(d.suggestedUnitId)) }) : k('held');
      case 'contact':
        return k('contacted', { method: t(`handling.contact.methods.${str(d.method) ?? 'other'}`) });
      case 'reply':
      case 'submit_signoff':
        return k(e.action === 'reply' ? 'replied' : 'submittedForSignoff', { outcome: t(`handling.outcomes.${str(d.outcome) ?? ''}`) });
      case 'assign': {
        const parts: string[] = [];
        if (d.subUnitId) parts.push(k('passedTo', { unit: n.unit(str(d.subUnitId)) }));
        const people = list(d.assignees).map(n.person);
        if (people.length) parts.push(k('assignedTo', { people: people.join('、') }));
        return parts.join(t('handling.timelineText.separator')) || null;
      }
      case 'extension_requested':
      case 'extension_approved':
        return k(e.action === 'extension_requested' ? 'extensionAsked' : 'extensionGranted', { count: Number(d.days) });
      case 'co_units_added':
        return k('coUnits', { units: list(d.unitIds).map(n.unit).join('、') });
      case 'co_sign':
      case 'co_submit':
        return k(e.action === 'co_sign' ? 'coSigned' : 'coSubmitted', { unit: n.unit(str(d.unitId)) });
      case 'close':
        if (d.closeReason === 'callback_satisfied')
          return k('closedSatisfied', { verdict: t(`handling.timelineText.satisfaction.${str(d.satisfaction) ?? 'satisfied'}`) });
        if (d.closeReason === 'callback_unreachable') return k('closedUnreachable', { count: Number(d.attempts ?? 0) });
        return k('closedProactive');
      case 'reopen':
      case 'reopen_to': {
        const to = e.action === 'reopen_to' ? k('reopenedTo', { unit: n.unit(str(d.unitId)) }) : k('reopenedSame');
        if (d.source !== 'callback') return to;
        const verdict = [
          d.resolved === false ? k('unresolved') : null,
          d.satisfaction ? t(`handling.timelineText.satisfaction.${str(d.satisfaction)}`) : null,
        ].filter(Boolean);
        return `${k('callbackVerdict', { verdict: verdict.join('、') })}${t('handling.timelineText.separator')}${to}`;
      }
      case 'transfer_district':
        return k('transferred', { from: n.district(str(d.fromDistrict)), to: n.district(str(d.toDistrict)) });
      case 'receive_district':
        return k('received', { from: n.district(str(d.fromDistrict)) });
      case 'sla_warning':
        return k('warning', { clock: clock(d.kind), due: n.time(str(d.dueAt) ?? '') });
      case 'sla_breached':
        return k('breached', { clock: clock(d.kind), due: n.time(str(d.dueAt) ?? '') });
      case 'sla_escalated':
        return k('escalated', {
          clock: clock(d.kind),
          step: d.step,
          target: t(`handling.timelineText.targets.${str(d.target) ?? 'unit'}`),
        });
      case 'sla_urged':
        return k('urged', { count: Number(d.urgeCount ?? 1) });
      case 'sla_supervised':
        return k('supervised', {
          reason: t(`handling.timelineText.supervisionReasons.${str(d.reason) ?? 'overdue'}`),
          level: t(`handling.timelineText.targets.${str(d.level) ?? 'unit'}`),
        });
      case 'sla_supervision_closed':
        return k('supervisionClosed', { reason: t(`handling.timelineText.supervisionReasons.${str(d.reason) ?? 'overdue'}`) });
      case 'merged': {
        const count = Number(d.citizenCount ?? 1);
        const flags = list(d.addedFlags).map((f) => t(`handling.flags.${f}`));
        return flags.length ? k('mergedFlagged', { count, flags: flags.join('、') }) : k('merged', { count });
      }
      default:
        return null;
    }
  })();
  return { sentence, remark };
}
