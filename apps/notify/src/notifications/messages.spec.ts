import 'reflect-metadata';
import { CATEGORY_CATALOGUE } from '@app/contracts';
import { OrderInfo } from '../orders/order-info.entity';
import { render } from './messages';

const order = (categoryCode: string | null): OrderInfo =>
  Object.assign(new OrderInfo(), { ticketId: 't', districtCode: '630104', orderNo: '20261205-000001', categoryCode });

const categoryOf = (code: string | null) =>
  render({ kind: 'dispatched', urgent: false, order: order(code) }, 'Asia/Shanghai').params.category;

describe('a notification names the category as the console does (the catalogue in libs/contracts)', () => {
  it.each(CATEGORY_CATALOGUE.map((c) => [c.code, c.zh]))('%s → %s', (code, zh) => {
    expect(categoryOf(code)).toBe(zh);
    expect(render({ kind: 'dispatched', urgent: false, order: order(code) }, 'Asia/Shanghai').body).toContain(`类别：${zh}`);
  });

  it('names a code an administrator added under a seeded one by its nearest catalogued ancestor', () => {
    expect(categoryOf('lift.trapped.night')).toBe('电梯困人');
  });

  it('shows an unknown code as it is, and no category when there is none', () => {
    expect(categoryOf('not_a_category')).toBe('not_a_category');
    expect(categoryOf(null)).toBe('');
  });
});
