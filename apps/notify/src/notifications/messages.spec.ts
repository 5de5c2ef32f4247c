import 'reflect-metadata';
import { CATEGORY_CATALOGUE, CategoryNames, categoryName } from '@app/contracts';
import { OrderInfo } from '../orders/order-info.entity';
import { render } from './messages';

const order = (categoryCode: string | null): OrderInfo =>
  Object.assign(new OrderInfo(), { ticketId: 't', districtCode: '630104', orderNo: '20261205-000001', categoryCode });

const rendered = (code: string | null, name: string | undefined) =>
  render({ kind: 'dispatched', urgent: false, order: order(code), categoryName: name }, 'Asia/Shanghai');

/** As NotificationsService does: the maintained names (category_name rows) before the catalogue's. */
const categoryOf = (code: string | null, maintained: ReadonlyMap<string, CategoryNames> = new Map()) =>
  rendered(code, categoryName(code, maintained)?.zh).params.category;

describe('a notification names the category as the console does (intake’s names, else the catalogue in libs/contracts)', () => {
  it.each(CATEGORY_CATALOGUE.map((c) => [c.code, c.zh]))('%s → %s', (code, zh) => {
    expect(categoryOf(code)).toBe(zh);
    expect(rendered(code, categoryName(code, new Map())?.zh).body).toContain(`类别：${zh}`);
  });

  it('names a category by the name it is given, not by the catalogue’s', () => {
    const msg = rendered('noise', '噪声污染');
    expect(msg.params.category).toBe('噪声污染');
    expect(msg.body).toContain('类别：噪声污染');
    expect(msg.body).not.toContain('噪音扰民');
  });

  it('names a renamed category by its new name, and a code added under a seeded one by its own', () => {
    const maintained = new Map<string, CategoryNames>([
      ['noise', { zh: '噪声污染', en: 'Noise pollution' }],
      ['lift.noise', { zh: '电梯噪声', en: 'Lift noise' }],
    ]);
    expect(categoryOf('noise', maintained)).toBe('噪声污染');
    expect(categoryOf('noise.business', maintained)).toBe('商业经营噪音'); // its own catalogue name comes first
    expect(categoryOf('noise.business.night', maintained)).toBe('商业经营噪音');
    expect(categoryOf('lift.noise', maintained)).toBe('电梯噪声');
    expect(categoryOf('lift.noise', new Map())).toBe('电梯'); // nothing maintained: its parent's name, as before
  });

  it('names a code nothing names by its nearest catalogued ancestor', () => {
    expect(categoryOf('lift.trapped.night')).toBe('电梯困人');
  });

  it('shows an unknown code as it is, and no category when there is none', () => {
    expect(categoryOf('not_a_category')).toBe('not_a_category');
    expect(rendered('not_a_category', undefined).body).toContain('类别：not_a_category');
    expect(categoryOf(null)).toBe('');
    expect(rendered(null, undefined).body).not.toContain('类别');
  });
});

describe('督办: the supervision list’s messages say what happened, why and at which level, and nothing of the citizen', () => {
  const o = Object.assign(order('noise'), { placeName: '城西区胜利路街道', finishDueAt: new Date('2026-12-14T02:00:00Z') });

  it('an order put on the list: the reason and the level, and what the unit is asked to do', () => {
    const msg = render(
      { kind: 'supervised', urgent: false, order: o, categoryName: '噪音扰民', note: '督办原因：回访不满意，督办级别：区级督办' },
      'Asia/Shanghai',
    );
    expect(msg.title).toBe('列入督办清单 20261205-000001');
    expect(msg.body).toBe(
      '列入督办清单：工单20261205-000001，类别：噪音扰民，地点：城西区胜利路街道，时限：12月14日 10:00，' +
        '督办原因：回访不满意，督办级别：区级督办。请按督办要求抓紧办理并及时答复。',
    );
    expect(msg.params).toEqual({
      what: '列入督办清单',
      orderNo: '20261205-000001',
      category: '噪音扰民',
      place: '城西区胜利路街道',
      deadline: '12月14日 10:00',
    });
  });

  it('the deadline as the console and the supervision list write it: no leading zeros in the month and day', () => {
    const early = Object.assign(order('noise'), { finishDueAt: new Date('2027-03-08T01:05:00Z') });
    const msg = render({ kind: 'dispatched', urgent: false, order: early }, 'Asia/Shanghai');
    expect(msg.params.deadline).toBe('3月8日 09:05');
    expect(msg.body).toContain('时限：3月8日 09:05');
  });

  it('an item closed (销号): the reason, and where the closing note is read', () => {
    const msg = render({ kind: 'supervision_closed', urgent: false, order: o, note: '督办原因：超时' }, 'Asia/Shanghai');
    expect(msg.title).toBe('督办销号 20261205-000001');
    expect(msg.body).toContain('督办销号：工单20261205-000001');
    expect(msg.body).toContain('督办原因：超时');
    expect(msg.body.endsWith('。销号说明请在工单中查看。')).toBe(true);
  });
});
