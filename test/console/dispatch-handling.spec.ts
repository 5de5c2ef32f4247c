/**
 * 派 and 办 in a real browser: the six built apps (test/harness) on the real Postgres and NATS, Debian's
 * Chromium, each step as the person who takes it, logged in through the login page. The operator's step
 * is taken through the API (`POST /api/intake/tickets` as the operator, through the console), so these
 * stories do not depend on the intake form. Screenshots at 1366×768 go to docs/console/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, loginAs, newContext, screenshot, watchErrors } from './browser';
import { ConsoleClient, DEMO_PASSWORD, demoLoginName, Harness, sleep, startHarness } from '../harness';
import { unitIdFor } from '../../apps/dispatch/src/org/unit-id';
import { unitCodes } from '../../scripts/demo/xining.seed';

jest.setTimeout(300_000);

const DESK = '市场监督管理局驻城西区中心专席';
const CITY_MGMT = '城西区城市管理局';
const MARKET = '城西区市场监督管理局';
const CHENGXI_CENTRE = unitIdFor(unitCodes.districtCentre('630104'));

let h: Harness;
let browser: Browser;
const contexts: BrowserContext[] = [];
const errors: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await h?.stop();
});

const api = (key: string) => ConsoleClient.login(h.consoleUrl, demoLoginName(key), DEMO_PASSWORD);

/** A person at their desk: a browser context of their own, logged in through the login page. */
async function desk(key: string): Promise<Page> {
  const context = await newContext(browser, h.consoleUrl);
  contexts.push(context);
  const page = await loginAs(context, demoLoginName(key), DEMO_PASSWORD);
  errors.push(...watchErrors(page));
  return page;
}

let phone = 0;
/** The operator records a call (through the console's proxy, as the operator). */
async function takeCall(body: { categoryCode: string; content: string; address: string; phone?: string; name?: string }): Promise<string> {
  phone += 1;
  const operator = await api('operator');
  const r = await operator.post<{ id: string; orderNo: string }>('/api/intake/tickets', {
    channel: 'phone_12345',
    requestType: 'complaint',
    categoryCode: body.categoryCode,
    content: body.content,
    citizen: { name: body.name ?? '刘女士', phone: body.phone ?? `1389700${String(phone).padStart(4, '0')}` },
    location: { address: body.address, districtCode: '630104' },
  });
  if (r.status !== 201) throw new Error(`intake answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.orderNo;
}

/** Picks an option of an Ant Design select by typing part of its label. */
async function choose(page: Page, scope: ReturnType<Page['locator']>, label: string, option: string): Promise<void> {
  await scope.getByLabel(label).click();
  await page.keyboard.type(option);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).first().click();
}

const drawer = (page: Page) => page.locator('.ant-drawer-section:visible');
const row = (page: Page, table: string, orderNo: string) => page.getByTestId(table).locator('.ant-table-row', { hasText: orderNo });

async function openOrder(page: Page, table: string, orderNo: string): Promise<void> {
  await row(page, table, orderNo).waitFor({ timeout: 15_000 });
  await row(page, table, orderNo).click();
  await drawer(page).getByTestId('order-header').filter({ hasText: orderNo }).waitFor();
}

/** A button's accessible name: Ant Design puts a space between the two characters of a two-character label. */
const named = (label: string) => new RegExp(`^${[...label].map((c) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('\\s?')}$`);

async function step(page: Page, button: string): Promise<void> {
  await drawer(page)
    .getByRole('button', { name: named(button) })
    .click();
}

async function confirm(page: Page, button: string): Promise<void> {
  await drawer(page)
    .getByRole('button', { name: `确认${button}` })
    .click();
}

const stateIs = (page: Page, state: string) =>
  drawer(page).getByTestId('order-state').filter({ hasText: state }).waitFor({ timeout: 15_000 });

describe('Ms Liu’s lift (domain.md, “The life of an order”)', () => {
  it('reaches the district dispatcher’s queue live, goes to the resident desk, two inspectors handle it, the dispatcher approves', async () => {
    // Chengxi's rules would send a lift complaint straight to the bureau; this district routes it by
    // hand, so its dispatcher sees it arrive (rule for lifts and the fallback set aside).
    const dispatcherApi = await api('dispatcher');
    const rules = await dispatcherApi.get<{ id: string; categoryPrefix: string | null; streetCode: string | null }[]>(
      '/api/dispatch/routing/rules?districtCode=630104',
    );
    for (const r of rules.body.filter((x) => x.categoryPrefix === 'lift' || (x.categoryPrefix === null && x.streetCode === null))) {
      expect((await dispatcherApi.post(`/api/dispatch/routing/rules/${r.id}/deactivate`)).status).toBe(200);
    }

    const dispatcher = await desk('dispatcher');
    await dispatcher.getByTestId('queue-unrouted').waitFor();
    const orderNo = await takeCall({
      categoryCode: 'lift',
      content: '我家楼里的电梯忽上忽下，突然下坠又升起，很危险，请尽快处理',
      address: '西宁市城西区五四大街5号',
    });
    const arrived = Date.now();
    await row(dispatcher, 'queue-unrouted', orderNo).waitFor({ timeout: 10_000 });
    const liveMs = Date.now() - arrived;
    expect(liveMs).toBeLessThan(5_000); // no reload: the SSE event refreshed the queue (target ≤ 2 s)
    await screenshot(dispatcher, 'dispatch-queues');

    await openOrder(dispatcher, 'queue-unrouted', orderNo);
    await drawer(dispatcher).getByTestId('suggestion').waitFor();
    await step(dispatcher, '派单');
    await choose(dispatcher, drawer(dispatcher), '承办单位', DESK);
    await drawer(dispatcher).getByLabel('派单说明').fill('电梯安全，请市场监管专席立即处置');
    await screenshot(dispatcher, 'dispatch-order');
    await confirm(dispatcher, '派单');
    await stateIs(dispatcher, '待签收');
    await dispatcher.keyboard.press('Escape');
    await row(dispatcher, 'queue-unrouted', orderNo).waitFor({ state: 'detached' });

    // The desk's liaison names two of the bureau's people, picked by name from the console's directory.
    const liaison = await desk('deskMarket');
    await openOrder(liaison, 'worklist', orderNo);
    await step(liaison, '下派 / 分派');
    const names = ['城西区市场监管局承办人', '城西区市场监管局负责人'];
    for (const name of names) await choose(liaison, drawer(liaison), '分派承办人', name);
    await liaison.keyboard.press('Escape');
    await screenshot(liaison, 'handling-desk-assign');
    await confirm(liaison, '下派 / 分派');
    // The order shows their names, not their account ids; so does the timeline.
    for (const name of names) await drawer(liaison).getByTestId('assignees').filter({ hasText: name }).waitFor();
    await drawer(liaison)
      .getByTestId('order-timeline')
      .getByText('市场监管局驻城西区中心专席 Market-regulation resident desk, Chengxi')
      .first()
      .waitFor();
    // Every entry reads as a sentence with names: the two inspectors by name, no account id, no rule id.
    const timeline = drawer(liaison).getByTestId('order-timeline');
    await timeline.getByText(/分派承办人：城西区市场监管局承办人.*、城西区市场监管局负责人/).waitFor();
    await timeline.getByText(/^派至市场监.*专席$/).waitFor();
    expect(await timeline.innerText()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}|assigned to|no routing rule/i);

    // An inspector signs, reveals the number and records the call, replies with a photo.
    const inspector = await desk('handlerMarket');
    await inspector.getByLabel('仅看派给我的').click();
    await openOrder(inspector, 'worklist', orderNo);
    // Where it is, by name, as intake placed it (district, street; a community when one was placed).
    await drawer(inspector).getByTestId('order-place').filter({ hasText: '城西区' }).waitFor();
    await step(inspector, '签收');
    await stateIs(inspector, '已签收');
    await step(inspector, '响应（联系诉求人）');
    await drawer(inspector).getByRole('button', { name: '显示号码 — 将被记录' }).click();
    await drawer(inspector)
      .getByTestId('revealed-contact')
      .filter({ hasText: /1389700\d{4}/ })
      .waitFor();
    await drawer(inspector).getByLabel('联系情况').fill('已电话告知刘女士：今天上午到场检查');
    await confirm(inspector, '响应（联系诉求人）');
    await stateIs(inspector, '已响应');
    const told = drawer(inspector).getByTestId('timeline-entry').filter({ hasText: '已通过电话联系诉求人' });
    await told.filter({ hasText: '已电话告知刘女士：今天上午到场检查' }).waitFor();
    expect(await told.innerText()).not.toContain('phone');
    await step(inspector, '办结答复');
    await drawer(inspector)
      .getByLabel('答复内容（将告知诉求人）')
      .fill('已到场停用该电梯，督促维保公司更换曳引机制动器，并检查同楼其余三部电梯，运行正常。');
    await drawer(inspector)
      .locator('input[type=file]')
      .setInputFiles({
        name: '现场照片.png',
        mimeType: 'image/png',
        buffer: Buffer.from(
          '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da6364f8cf00000301010018dd8db00000000049454e44ae426082',
          'hex',
        ),
      });
    await drawer(inspector).getByTestId('evidence-file').filter({ hasText: '现场照片.png' }).waitFor();
    await screenshot(inspector, 'handling-order');
    await confirm(inspector, '办结答复');
    await stateIs(inspector, '已答复待审核');

    // The dispatcher reviews and approves.
    await dispatcher.getByTestId('tab-review').click();
    await openOrder(dispatcher, 'queue-review', orderNo);
    await drawer(dispatcher).getByTestId('order-reply').filter({ hasText: '曳引机' }).waitFor();
    await step(dispatcher, '审核通过');
    await stateIs(dispatcher, '待回访');
    await screenshot(dispatcher, 'dispatch-review');
  });
});

describe('a mis-dispatched order: returned by the street, re-dispatched; the next unit may not return it (首接负责)', () => {
  it('the return is accepted and the order re-dispatched; the new unit’s return is refused with the reason shown', async () => {
    const dispatcherApi = await api('dispatcher');
    const orderNo = await takeCall({
      categoryCode: 'parking',
      content: '胜利路人行道上长期停放大货车，行人只能走机动车道',
      address: '西宁市城西区胜利路30号',
    });
    // Chengxi's parking rule sends it to Shengli Road's street office.
    const street = await desk('handlerStreet');
    await openOrder(street, 'worklist', orderNo);
    await step(street, '申请退单');
    await drawer(street).getByLabel('理由').fill('人行道大货车违停属城管执法职责，非街道职责');
    await confirm(street, '申请退单');
    await stateIs(street, '退单申请中');

    const dispatcher = await desk('dispatcher');
    await dispatcher.getByTestId('tab-returned').click();
    await openOrder(dispatcher, 'queue-returned', orderNo);
    await step(dispatcher, '同意退单并改派');
    await choose(dispatcher, drawer(dispatcher), '改派至', MARKET);
    await drawer(dispatcher).getByLabel('理由').fill('改派市场监管局核查');
    await confirm(dispatcher, '同意退单并改派');
    await stateIs(dispatcher, '待签收');

    // The new unit tries to return it too: the service refuses (decided returns bind the next unit).
    const market = await desk('handlerMarket');
    await openOrder(market, 'worklist', orderNo);
    const ret = drawer(market).getByRole('button', { name: named('申请退单') });
    await ret.waitFor();
    expect(await ret.isDisabled()).toBe(true);
    await ret.hover({ force: true });
    await market.getByRole('tooltip').filter({ hasText: '首接负责' }).waitFor();
    await screenshot(market, 'handling-first-receiver');
    // And the service itself says so, for anyone who calls it anyway.
    const id = (await dispatcherApi.get<{ ticketId: string; orderNo: string }[]>('/api/dispatch/orders?limit=500')).body.find(
      (o) => o.orderNo === orderNo,
    )!.ticketId;
    const marketApi = await api('handlerMarket');
    const refused = await marketApi.post<{ message: string }>(`/api/dispatch/orders/${id}/return`, { reason: '也不是我们的职责' });
    expect([403, 409]).toContain(refused.status);
    expect(refused.body.message).toMatch(/首接负责|first-receiver|returned once/i);
    void CITY_MGMT;
  });
});

describe('下派: the street office hands an order down to the community intake placed it in', () => {
  it('opens the hand-down with that community selected, and the order goes to it', async () => {
    // Intake places 胜利路社区8号楼 in Shengli Road's 胜利路社区 (630104004001); the street's rules send it to the street office.
    const orderNo = await takeCall({
      categoryCode: 'noise',
      content: '胜利路社区8号楼楼下广场舞音响太大，每晚到十点半',
      address: '西宁市城西区胜利路社区8号楼',
    });
    const street = await desk('handlerStreet');
    await openOrder(street, 'worklist', orderNo);
    await drawer(street).getByTestId('order-place').filter({ hasText: '胜利路社区' }).waitFor();
    await step(street, '下派 / 分派');
    const form = drawer(street).getByRole('form', { name: '下派 / 分派' });
    // Pre-selected: the community's unit, before the handler touches the picker.
    await form.locator('.ant-form-item').filter({ hasText: '下派至社区' }).filter({ hasText: '城西区胜利路街道胜利路社区' }).waitFor();
    await confirm(street, '下派 / 分派');
    await drawer(street)
      .locator('tr', { hasText: '下派社区' })
      .filter({ hasText: /胜利路社区/ })
      .waitFor({ timeout: 15_000 });
    // The community's handler has it in their worklist.
    const community = await desk('community630104004c01');
    await row(community, 'worklist', orderNo).waitFor({ timeout: 15_000 });
  });
});

describe('双交办: a repeat caller’s order waits for the district leader', () => {
  it('is held for the leader, shown in the dispatcher’s 双交办 queue, and released by the leader', async () => {
    const admin = await api('admin');
    expect((await admin.patch(`/api/dispatch/org/units/${CHENGXI_CENTRE}`, { dualSignoffRequired: true })).status).toBe(200);
    const caller = '13897005555';
    await takeCall({
      categoryCode: 'noise',
      content: '楼下台球室每天营业到凌晨两点，噪音扰民',
      address: '西宁市城西区胜利路40号',
      phone: caller,
      name: '张先生',
    });
    await sleep(500);
    const orderNo = await takeCall({
      categoryCode: 'noise',
      content: '再次反映：楼下台球室每天营业到凌晨两点，噪音扰民，问题没有解决',
      address: '西宁市城西区胜利路40号',
      phone: caller,
      name: '张先生',
    });
    const dispatcher = await desk('dispatcher');
    await dispatcher.getByTestId('tab-leader').click();
    await row(dispatcher, 'queue-leader', orderNo).waitFor({ timeout: 15_000 });
    await screenshot(dispatcher, 'dispatch-dual');

    const leader = await desk('districtLeader');
    await openOrder(leader, 'leader-queue', orderNo);
    // The leader sees only what is theirs to do: the release, none of the unit's steps (not even greyed out).
    const buttons = drawer(leader).locator('.ant-card').getByRole('button');
    await drawer(leader)
      .getByRole('button', { name: named('双交办签批派单') })
      .waitFor();
    expect(await buttons.allInnerTexts()).toEqual(['双交办签批派单']);
    expect(await drawer(leader).locator('button:disabled').count()).toBe(0);
    await step(leader, '双交办签批派单');
    await drawer(leader).getByLabel('签批意见').fill('限3个工作日办结，结果报区领导');
    await screenshot(leader, 'handling-leader');
    await confirm(leader, '双交办签批派单');
    await stateIs(leader, '待签收');
    // Now the street office's to handle: the leader's drawer is read-only, no greyed-out 签收 or 办结答复.
    await drawer(leader)
      .getByRole('button', { name: named('双交办签批派单') })
      .waitFor({ state: 'detached' });
    expect(
      await drawer(leader)
        .getByRole('button', { name: named('签收') })
        .count(),
    ).toBe(0);
    expect(await drawer(leader).locator('button:disabled').count()).toBe(0);
    await row(dispatcher, 'queue-leader', orderNo).waitFor({ state: 'detached', timeout: 10_000 });
    expect(errors.filter((e) => !/401|favicon/.test(e))).toEqual([]);
  });
});

describe('双交办 by a merge: a repeat call about an order the street office already has', () => {
  it('leaves the order with the office, holds its reply until the district leader signs it off', async () => {
    const admin = await api('admin');
    expect((await admin.patch(`/api/dispatch/org/units/${CHENGXI_CENTRE}`, { dualSignoffRequired: true })).status).toBe(200);
    const operator = await api('operator');
    const call = (extra: Record<string, unknown> = {}) =>
      operator.post<{ id: string; orderNo: string }>('/api/intake/tickets', {
        channel: 'phone_12345',
        requestType: 'complaint',
        categoryCode: 'noise',
        content: '胜利路55号楼下烧烤店油烟和噪音到深夜',
        citizen: { name: '赵女士', phone: '13897008181' },
        location: { address: '西宁市城西区胜利路55号', districtCode: '630104' },
        ...extra,
      });
    const first = await call();
    expect(first.status).toBe(201);
    const { id, orderNo } = first.body;

    // The street office signs for it and calls the citizen.
    const street = await desk('handlerStreet');
    await openOrder(street, 'worklist', orderNo);
    await step(street, '签收');
    await stateIs(street, '已签收');
    await step(street, '响应（联系诉求人）');
    await drawer(street).getByLabel('联系情况').fill('已电话联系赵女士，今晚到场查看');
    await confirm(street, '响应（联系诉求人）');
    await stateIs(street, '已响应');

    // The same citizen calls again: the operator merges the call into the order (重复件).
    expect((await call({ mergeInto: id })).status).toBe(201);
    const dispatcherApi = await api('dispatcher');
    for (let i = 0; ; i++) {
      const o = await dispatcherApi.get<{ leaderHoldAt: string | null }>(`/api/dispatch/orders/${id}`);
      if (o.body.leaderHoldAt) break;
      if (i > 50) throw new Error('the order was not held for the district leader');
      await sleep(200);
    }

    // The office still has it, in the same state; its reply waits, and the drawer says why.
    await street.reload();
    await openOrder(street, 'worklist', orderNo);
    await stateIs(street, '已响应');
    await drawer(street).getByText('双交办', { exact: true }).waitFor();
    const reply = drawer(street).getByRole('button', { name: named('办结答复') });
    await reply.waitFor();
    expect(await reply.isDisabled()).toBe(true);
    await reply.hover({ force: true });
    await street.getByRole('tooltip').filter({ hasText: '双交办：答复须经区领导签批' }).waitFor();
    await drawer(street).getByTestId('order-timeline').getByText('双交办：答复待区领导签批').waitFor();
    await screenshot(street, 'handling-held-in-hand');

    // The district leader finds it in the queue and signs it off.
    const leader = await desk('districtLeader');
    await openOrder(leader, 'leader-queue', orderNo);
    await step(leader, '双交办签批');
    await drawer(leader).getByLabel('签批意见').fill('同意街道继续办理，答复前报我');
    await confirm(leader, '双交办签批');
    await drawer(leader)
      .getByRole('button', { name: named('双交办签批') })
      .waitFor({ state: 'detached' });

    // The office may now reply.
    await street.reload();
    await openOrder(street, 'worklist', orderNo);
    await step(street, '办结答复');
    await drawer(street).getByLabel('答复内容（将告知诉求人）').waitFor();
    expect(errors.filter((e) => !/401|favicon/.test(e))).toEqual([]);
  });
});

describe('a screen opened by its address (a reload, a bookmark)', () => {
  it('asks for the session once, while the bundle loads, and the worklist’s orders before the page has rendered', async () => {
    const orderNo = await takeCall({
      categoryCode: 'garbage',
      content: '胜利路12号楼下垃圾桶满了两天没人清运',
      address: '西宁市城西区胜利路12号',
    });
    const street = await desk('handlerStreet');
    await row(street, 'worklist', orderNo).waitFor({ timeout: 15_000 });
    // Only what the reloaded page asks for, from the moment its document replaced the first one: until
    // then the first page's bell may still send its own query (once its browser is idle, or when a
    // notification arrives on its live stream, e.g. the supervision list's), even after the reload began.
    const seen: string[] = [];
    let reloaded = false;
    street.on('framenavigated', (f) => {
      if (f === street.mainFrame()) reloaded = true;
    });
    street.on('request', (r) => {
      if (reloaded) seen.push(new URL(r.url()).pathname);
    });
    const asked = () => seen;
    await street.reload();
    await row(street, 'worklist', orderNo).waitFor({ timeout: 15_000 });
    // index.html's boot script asks for the session while the bundle loads, and the app uses that answer:
    // one request, not a second one from the first render (preload-screens.mts, api/session.ts).
    const bootScript = "[...document.head.querySelectorAll('script:not([src])')].some((s) => s.textContent.includes('__jiesuSession'))";
    expect(await street.evaluate(bootScript)).toBe(true);
    expect(asked().filter((p) => p === '/auth/session')).toHaveLength(1);
    // The orders were asked for as soon as the session was known (nav.tsx `prefetch`), before the bell's
    // own query, which the shell makes once the browser is idle after the page.
    for (let i = 0; i < 100 && !asked().includes('/api/notify/inbox/unread-count'); i++) await sleep(100);
    const orders = asked().indexOf('/api/dispatch/orders');
    expect(orders).toBeGreaterThan(-1);
    expect(orders).toBeLessThan(asked().indexOf('/api/notify/inbox/unread-count'));
    // The page's chunks came as modulepreloads the boot script put in the head.
    expect(await street.locator('head link[rel="modulepreload"][href*="/assets/ShellLayout-"]').count()).toBeGreaterThan(0);
  });
});
