/**
 * Routing rules as an administrator keeps them: the tester answers with the rule and unit an order
 * would get now (the same match that routes arriving orders; nothing is written), an edit retires the
 * rule and adds its revision, and the next order follows the rule the tester named.
 */
import { Order, U } from './dispatch-helpers';
import { bootPlatform, eventually, Platform, submitTicket } from './platform';

jest.setTimeout(120_000);

let p: Platform;
beforeAll(async () => {
  p = await bootPlatform({ only: ['intake', 'dispatch'] });
});
afterAll(async () => {
  await p?.close();
});

interface Rule {
  id: string;
  unitId: string;
  priority: number;
  active: boolean;
  note: string | null;
}
interface Tested {
  rule: Rule | null;
  unit: { id: string; nameZh: string } | null;
  heldForLeader: boolean;
}

const admin = () => p.as('admin', 'dispatch');
const fumes = { districtCode: '630104', categoryCode: 'cooking_fumes', requestType: 'complaint', urgency: 'ordinary' };
const test = async (body: object) => (await admin().post('/routing/rules/test', body).expect(200)).body as Tested;

describe('the routing tester and rule edits', () => {
  let rule: Rule;

  it('answers with the rule and unit of today’s rule set, and with the new rule once it is added', async () => {
    const before = await test(fumes);
    expect(before.unit?.id).toBe(U.ecology);
    rule = (
      await admin()
        .post('/routing/rules', {
          districtCode: '630104',
          categoryPrefix: 'cooking_fumes',
          unitId: U.cityMgmt,
          priority: 300,
          note: '餐饮油烟由城管执法',
        })
        .expect(201)
    ).body as Rule;
    const after = await test(fumes);
    expect(after).toMatchObject({ rule: { id: rule.id, note: '餐饮油烟由城管执法' }, unit: { id: U.cityMgmt }, heldForLeader: false });
    // Another category is not touched.
    expect((await test({ ...fumes, categoryCode: 'pollution' })).unit?.id).toBe(U.ecology);
  });

  it('routes the next order by that rule', async () => {
    const { id } = await submitTicket(p, {
      categoryCode: 'cooking_fumes',
      content: '楼下烧烤店油烟太大',
      citizen: { name: '赵先生', phone: '13897003001' },
      location: { address: '西宁市城西区一小区', districtCode: '630104' },
    });
    const o = await eventually<Order>(
      () => p.as('dispatcher', 'dispatch').get(`/orders/${id}`),
      (x) => x.state === 'dispatched',
      'the order dispatched',
    );
    expect(o).toMatchObject({ unitId: U.cityMgmt, ruleId: rule.id });
  });

  it('edits a rule by retiring it and adding its revision, which the tester then names', async () => {
    const revised = (
      await admin()
        .post(`/routing/rules/${rule.id}/revise`, {
          districtCode: '630104',
          categoryPrefix: 'cooking_fumes',
          unitId: U.shengli,
          priority: 300,
          note: 'v2',
        })
        .expect(201)
    ).body as Rule;
    expect(revised.id).not.toBe(rule.id);
    const all = (await admin().get('/routing/rules?districtCode=630104&includeInactive=true').expect(200)).body as Rule[];
    expect(all.find((r) => r.id === rule.id)?.active).toBe(false);
    expect((await test(fumes)).rule?.id).toBe(revised.id);
    await admin()
      .post(`/routing/rules/${rule.id}/revise`, { districtCode: '630104', categoryPrefix: 'cooking_fumes', unitId: U.shengli, priority: 1 })
      .expect(409);
    const moved = await admin()
      .post(`/routing/rules/${revised.id}/revise`, { districtCode: '630105', unitId: U.xiaoqiao, priority: 1 })
      .expect(400);
    expect(JSON.stringify(moved.body)).toContain('districtCode');
  });

  it('refuses bad input naming the field, and another district’s tester', async () => {
    const bad = await admin()
      .post('/routing/rules/test', { ...fumes, urgency: 'soon' })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('urgency');
    await p.as('dispatcherChengbei', 'dispatch').post('/routing/rules/test', fumes).expect(403);
    await p.as('operator', 'dispatch').post('/routing/rules/test', fumes).expect(403);
  });
});
