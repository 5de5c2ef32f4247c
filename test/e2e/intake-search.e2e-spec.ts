/**
 * 工单查询 (GET /tickets/search): by order number, by the caller's phone, by a word of the content, by
 * state and district, paged, within the person's districts; bad filters are 400 naming the field.
 */
import { bootPlatform, Platform } from './platform';

jest.setTimeout(120_000);

let p: Platform;

beforeAll(async () => {
  p = await bootPlatform({ only: ['intake'] });
});

afterAll(async () => {
  await p?.close();
});

interface Ticket {
  id: string;
  orderNo: string;
  content: string;
  citizen: { phone: string } | null;
}
interface Page {
  items: Ticket[];
  total: number;
  page: number;
  pageSize: number;
}

const order = (over: object) => ({
  channel: 'phone_12345',
  requestType: 'complaint',
  categoryCode: 'lift',
  citizen: { name: '刘晓梅', phone: '13997002222' },
  location: { address: '西宁市城西区胜利路12号', districtCode: '630104', streetCode: '630104004' },
  ...over,
});

async function create(over: object): Promise<Ticket> {
  const res = await p.as('operator', 'intake').post('/tickets', order(over));
  expect(res.status).toBe(201);
  return res.body as Ticket;
}

async function search(query: string, user: 'operator' | 'dispatcherChengbei' = 'operator'): Promise<Page> {
  const res = await p.as(user, 'intake').get(`/tickets/search?${query}`);
  expect(res.status).toBe(200);
  return res.body as Page;
}

test('finds an order by number, by phone and by a word of its content; pages; keeps to the districts', async () => {
  const lift = await create({ content: '楼里的电梯忽上忽下，很危险' });
  const noise = await create({
    categoryCode: 'noise',
    content: '台球室晚上太吵闹，影响休息',
    citizen: { name: '王强', phone: '13997003333' },
  });

  const byNumber = await search(`orderNo=${lift.orderNo}`);
  expect(byNumber.items.map((t) => t.id)).toEqual([lift.id]);
  expect(byNumber.total).toBe(1);

  const byPhone = await search('phone=13997003333');
  expect(byPhone.items.map((t) => t.id)).toEqual([noise.id]);
  expect(byPhone.items[0].citizen?.phone).not.toContain('13997003333');

  const byWord = await search(`q=${encodeURIComponent('电梯')}`);
  expect(byWord.items.map((t) => t.id)).toEqual([lift.id]);

  const both = await search('districtCode=630104&status=accepted&pageSize=1');
  expect(both.total).toBe(2);
  expect(both.items).toHaveLength(1);
  expect(both.items[0].id).toBe(noise.id);
  const second = await search('districtCode=630104&status=accepted&pageSize=1&page=2');
  expect(second.items[0].id).toBe(lift.id);

  // A word with LIKE's wildcards is a word, not a pattern.
  expect((await search(`q=${encodeURIComponent('%')}`)).total).toBe(0);
  // Another district's dispatcher sees none of Chengxi's orders.
  expect((await search(`orderNo=${lift.orderNo}`, 'dispatcherChengbei')).total).toBe(0);
});

test('a bad filter is a 400 naming the field', async () => {
  const res = await p.as('operator', 'intake').get('/tickets/search?pageSize=500&phone=123');
  expect(res.status).toBe(400);
  const fields = (res.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
  expect(fields).toEqual(['pageSize', 'phone']);
});
