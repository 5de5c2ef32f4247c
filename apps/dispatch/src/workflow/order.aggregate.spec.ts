import 'reflect-metadata';
import { CloseReason, ContactMethod, ReopenSource, ReplyOutcome, ReviewDecision, RequestType, Satisfaction, Urgency } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { AssignedUnit, newOrder, Order } from './order.aggregate';
import { OrderState } from './order-state';

const at = new Date('2026-12-01T02:00:00Z');
const unit = (nameZh: string): AssignedUnit => ({ id: randomUUID(), nameZh, nameEn: nameZh });

function unroutedOrder(): Order {
  const row = newOrder(randomUUID(), OrderState.Unrouted, {
    orderNo: '20261201-000001',
    districtCode: '630104',
    streetCode: '630104001',
    communityCode: null,
    categoryCode: 'noise',
    requestType: RequestType.Complaint,
    urgency: Urgency.Ordinary,
    flags: [],
    content: '夜间施工噪音',
    address: '胜利路1号',
    identityHidden: false,
    proactive: false,
    acceptedAt: at,
  });
  return new Order(row, at);
}

describe('the order aggregate', () => {
  describe('ruleId: the routing rule that chose the unit the order is with', () => {
    it('is the rule when routing dispatched it, and null after 重办并改派 to another unit (a person chose that unit)', () => {
      const order = unroutedOrder();
      const street = unit('胜利路街道办事处');
      const ruleId = randomUUID();
      order.dispatch('dispatch', street, ruleId, 'system:dispatch', null);
      expect(order.row.ruleId).toBe(ruleId);
      order.row.state = OrderState.AwaitingCallback;

      const bureau = unit('城西区住建局');
      order.reopen('disp-630104', ReopenSource.Dispatcher, '原承办单位无权处置', bureau);
      expect(order.row.unitId).toBe(bureau.id);
      expect(order.row.ruleId).toBeNull();
    });

    it('stays when the order is reopened to the same unit (the rule is still why it is there)', () => {
      const order = unroutedOrder();
      const ruleId = randomUUID();
      order.dispatch('dispatch', unit('胜利路街道办事处'), ruleId, 'system:dispatch', null);
      order.row.state = OrderState.Closed;
      order.reopen('system:dispatch', ReopenSource.Callback, '回访不满意');
      expect(order.row.ruleId).toBe(ruleId);
    });

    it('is what the dispatcher’s step says on a re-dispatch (null: a person chose the unit)', () => {
      const order = unroutedOrder();
      order.dispatch('dispatch', unit('胜利路街道办事处'), randomUUID(), 'system:dispatch', null);
      order.dispatch('redispatch', unit('城西区住建局'), null, 'disp-630104', null);
      expect(order.row.ruleId).toBeNull();
    });
  });

  describe('timeline entries: the facts the console words them from, and only typed words as the remark', () => {
    it('every entry of an order’s life carries a remark (typed text or null) and no id in it; ids sit in data', () => {
      const order = unroutedOrder();
      const street = unit('胜利路街道办事处');
      const community = unit('胜利社区');
      const [p1, p2] = [randomUUID(), randomUUID()];
      order.awaitDispatcher();
      order.dispatch('dispatch', street, null, 'disp-630104', '请尽快处置');
      order.sign('h1');
      order.assign('h1', { subUnit: community, assignees: [p1, p2] });
      order.contact('h1', { method: ContactMethod.Phone, note: '已电话告知' });
      order.requestExtension('h1', randomUUID(), 3, '需等待配件');
      order.reply('h1', { outcome: ReplyOutcome.Resolved, replyText: '已修复' }, false);
      order.review('disp-630104', ReviewDecision.Approved, undefined);
      order.reopen('system:dispatch', ReopenSource.Callback, '回访不满意 callback', null, {
        resolved: false,
        satisfaction: Satisfaction.Unsatisfied,
      });
      order.row.state = OrderState.AwaitingCallback;
      order.close(CloseReason.CallbackUnreachable, '回访未接通', undefined, 3);
      const by = (action: string) => order.entries.find((e) => e.action === action)!.data;
      for (const e of order.entries) {
        expect(e.data).toHaveProperty('remark');
        expect(String(e.data.remark ?? '')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      }
      expect(by('dispatch')).toMatchObject({ unitId: street.id, remark: '请尽快处置' });
      expect(by('assign')).toMatchObject({ subUnitId: community.id, assignees: `${p1},${p2}`, remark: null });
      expect(by('contact')).toMatchObject({ method: 'phone', remark: '已电话告知' });
      expect(by('extension_requested')).toMatchObject({ days: 3, remark: '需等待配件' });
      expect(by('reply')).toMatchObject({ outcome: 'resolved', remark: '已修复' });
      expect(by('reopen')).toMatchObject({ source: 'callback', resolved: false, satisfaction: 'unsatisfied', remark: null });
      expect(by('close')).toMatchObject({ closeReason: 'callback_unreachable', attempts: 3, remark: null });
    });
  });
});
