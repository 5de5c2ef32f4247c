/**
 * The city's place list over HTTP, against the five real services: GET /places with its entity tag,
 * a community placed from the address or given (and refused when it is not in the street given), the
 * street office passing the order down to that community's unit (whose code is the community code),
 * and the problem wall by community code.
 */
import { bootPlatform, eventually, newTicket, Platform } from './platform';

jest.setTimeout(120_000);

let p: Platform;

beforeAll(async () => {
  p = await bootPlatform();
});

afterAll(async () => {
  await p?.close();
});

interface Ticket {
  id: string;
  orderNo: string;
  location: { districtCode: string; streetCode: string | null; communityCode: string | null; source: string };
}

interface Places {
  cityCode: string;
  districts: { code: string; nameZh: string; streets: { code: string; kind: string; communities: { code: string; nameZh: string }[] }[] }[];
}

const op = () => p.as('operator', 'intake');
const noise = (location: object) =>
  newTicket({
    categoryCode: 'noise',
    content: '楼下台球室每晚营业到凌晨，噪音扰民',
    citizen: { name: '王芳', phone: '13997002222' },
    location,
  });

describe('GET /places', () => {
  it('lists districts → streets → communities with twelve-digit codes, with an entity tag a client can send back', async () => {
    const res = await p.http('intake').get('/places').expect(200);
    const body = res.body as Places;
    expect(body.cityCode).toBe('630100');
    const shengli = body.districts.find((d) => d.code === '630104')!.streets.find((s) => s.code === '630104004')!;
    expect(shengli.kind).toBe('street');
    expect(shengli.communities.map((c) => c.nameZh)).toEqual(expect.arrayContaining(['胜利路社区', '东交通巷社区']));
    for (const c of shengli.communities) expect(c.code).toMatch(/^630104004\d{3}$/);
    const etag = String(res.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(res.headers['cache-control']).toContain('max-age');
    const again = await p.http('intake').get('/places').set('If-None-Match', etag).expect(304);
    expect(again.text ?? '').toBe('');
    await p.http('intake').get('/places').set('If-None-Match', '"something-else"').expect(200);
  });
});

describe('a community on the order', () => {
  it('is placed from the address: a lane that lies in one community places it, its street and district', async () => {
    const res = await op()
      .post('/tickets', noise({ address: '西宁市东交通巷12号3单元' }))
      .expect(201);
    const t = res.body as Ticket;
    expect(t.location).toMatchObject({
      districtCode: '630104',
      streetCode: '630104004',
      communityCode: '630104004002',
      source: 'gazetteer',
    });
  });

  it('is kept as given when it lies in the street given, and its street is filled in when only the district is given', async () => {
    const given = (
      await op()
        .post(
          '/tickets',
          noise({ address: '西宁市城西区某路1号', districtCode: '630104', streetCode: '630104004', communityCode: '630104004004' }),
        )
        .expect(201)
    ).body as Ticket;
    expect(given.location).toMatchObject({ streetCode: '630104004', communityCode: '630104004004', source: 'given' });
    const filled = (
      await op()
        .post('/tickets', noise({ address: '西宁市城西区某路2号', districtCode: '630104', communityCode: '630104005002' }))
        .expect(201)
    ).body as Ticket;
    expect(filled.location).toMatchObject({ districtCode: '630104', streetCode: '630104005', communityCode: '630104005002' });
  });

  it('is refused (400, field and reason) when it is not in the street or district given, or not on the place list', async () => {
    const wrongStreet = await op()
      .post(
        '/tickets',
        noise({ address: '西宁市城西区胜利路1号', districtCode: '630104', streetCode: '630104004', communityCode: '630104007001' }),
      )
      .expect(400);
    expect(wrongStreet.body.errors).toEqual([
      { field: 'location.communityCode', reason: expect.stringContaining('is not in street 630104004') },
    ]);
    const wrongDistrict = await op()
      .post('/tickets', noise({ address: '城北区', districtCode: '630105', communityCode: '630104004001' }))
      .expect(400);
    expect(wrongDistrict.body.errors).toEqual([
      { field: 'location.communityCode', reason: expect.stringContaining('is not in district 630105') },
    ]);
    const unknown = await op()
      .post('/tickets', noise({ address: '城西区', districtCode: '630104', communityCode: '630104004999' }))
      .expect(400);
    expect(unknown.body.errors).toEqual([{ field: 'location.communityCode', reason: expect.stringContaining('place list') }]);
    const oldForm = await op()
      .post('/tickets', noise({ address: '城西区', districtCode: '630104', communityCode: '630104004-c01' }))
      .expect(400);
    expect(oldForm.body.errors).toEqual([{ field: 'location.communityCode', reason: expect.stringContaining('twelve-digit') }]);
  });

  it('the street office finds the community unit by the order’s community code and passes the order down to it; the wall shows it by that code', async () => {
    const t = (
      await op()
        .post('/tickets', noise({ address: '西宁市城西区胜利路社区8号楼' }))
        .expect(201)
    ).body as Ticket;
    expect(t.location.communityCode).toBe('630104004001');
    const street = p.as('handlerStreet', 'dispatch');
    const o = await eventually<{ state: string; unitId: string; communityCode: string | null }>(
      () => street.get(`/orders/${t.id}`),
      (b) => b.state === 'dispatched',
      'the order at the street office',
    );
    const children = (await street.get(`/org/units?parentId=${o.unitId}`).expect(200)).body as { id: string; code: string; kind: string }[];
    // dispatch keeps the community intake placed the order in: the hand-down offers that unit first.
    expect(o.communityCode).toBe('630104004001');
    const community = children.find((u) => u.code === o.communityCode);
    expect(community).toMatchObject({ kind: 'community' });
    await street.post(`/orders/${t.id}/assign`, { subUnitId: community!.id }).expect(200);
    const mine = (await p.as('community630104004c01', 'dispatch').get('/orders').expect(200)).body as { ticketId: string }[];
    expect(mine.map((x) => x.ticketId)).toContain(t.id);

    const wall = await eventually<{ items: { orderNo: string; communityCode: string }[] }>(
      () => p.http('analytics').get(`/wall?communityCode=${t.location.communityCode}`),
      (b) => b.items.some((i) => i.orderNo === t.orderNo),
      'the order on the community’s problem wall',
    );
    expect(wall.items.find((i) => i.orderNo === t.orderNo)?.communityCode).toBe('630104004001');
  });
});
