import { DateTime } from 'luxon';
import { OrderInfo } from '../orders/order-info.entity';
import { NotificationKind } from '../rules/rule.entity';

const WHAT: Record<NotificationKind, string> = {
  dispatched: '新派工单',
  urged: '催办',
  sent_back: '退回重办',
  reopened: '工单重办',
  warning: '即将超时预警',
  breached: '已超时',
  dual_hold: '双交办待区领导签批',
  escalated: '超时督办升级',
  callback_overdue: '回访任务逾期',
  supplemented: '诉求人补充诉求',
  supervised: '列入督办清单',
  supervision_closed: '督办销号',
};

const ASK: Record<NotificationKind, string> = {
  dispatched: '请及时签收办理。',
  urged: '请加快办理。',
  sent_back: '请按审核意见重新办理。',
  reopened: '请重新办理。',
  warning: '请在时限内答复。',
  breached: '请尽快办结并说明原因。',
  dual_hold: '请签批派单。',
  escalated: '请督促办理。',
  callback_overdue: '请安排回访。',
  supplemented: '请在工单中查看补充内容，一并办理。',
  supervised: '请按督办要求抓紧办理并及时答复。',
  supervision_closed: '销号说明请在工单中查看。',
};

export interface Message {
  title: string;
  body: string;
  /** The SMS template's parameters: the same facts, no more. */
  params: Record<string, string>;
}

export interface MessageFacts {
  kind: NotificationKind;
  urgent: boolean;
  order: OrderInfo | null;
  /**
   * The order's category as the console names it (intake's maintained name, else the catalogue's;
   * `categoryName` in @app/contracts); absent when nothing names the code, which is then shown as it is.
   */
  categoryName?: string;
  /** A deadline the event itself names (a clock's due time, a callback's due time). */
  dueAt?: Date | null;
  /** e.g. the escalation level, the warning rule. */
  note?: string;
}

/**
 * The text of a notification: what happened, the order number, category, place at street level and
 * the deadline (city time). It is built only from OrderInfo, which holds nothing about the citizen
 * and not the request's text or address, so no message can carry a name or phone.
 */
export function render(f: MessageFacts, zone: string): Message {
  const o = f.order;
  const orderNo = o?.orderNo ?? '';
  const category = f.categoryName ?? o?.categoryCode ?? '';
  const place = o?.placeName ?? '';
  const due = f.dueAt ?? o?.finishDueAt ?? null;
  const deadline = due ? DateTime.fromJSDate(due, { zone }).toFormat('M月d日 HH:mm') : '';
  const head = `${f.urgent ? '【紧急】' : ''}${WHAT[f.kind]}`;
  const parts = [
    orderNo && `工单${orderNo}`,
    category && `类别：${category}`,
    place && `地点：${place}`,
    deadline && `时限：${deadline}`,
    f.note,
  ].filter(Boolean);
  return {
    title: orderNo ? `${head} ${orderNo}` : head,
    body: `${head}：${parts.join('，')}。${ASK[f.kind]}`,
    params: { what: WHAT[f.kind], orderNo, category, place, deadline },
  };
}

/** One message for a day's notifications (the digest). */
export function renderDigest(items: { title: string }[]): Message {
  const lines = items.slice(0, 20).map((i) => i.title);
  const more = items.length > 20 ? `等${items.length}条` : `共${items.length}条`;
  return {
    title: `每日汇总 ${more}`,
    body: `每日汇总（${more}）：${lines.join('；')}。详情请登录工作台查看。`,
    params: { count: String(items.length), items: lines.join('；') },
  };
}
