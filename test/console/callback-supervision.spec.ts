/**
 * 回访 and 督办 in a real browser: the six built apps (test/harness) on the real Postgres and NATS, Debian's
 * Chromium, each step as the person who takes it, logged in through the login page. Steps that belong to
 * other screens (the operator's call, a dispatcher's review) are taken through the console's proxy as
 * their role. Screenshots at 1366×768 go to docs/console/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Client } from 'pg';
import { launchBrowser, loginAs, newContext, screenshot, watchErrors } from './browser';
import { ConsoleClient, DEMO_PASSWORD, demoLoginName, Harness, sleep, startHarness } from '../harness';
import { unitIdFor } from '../../apps/dispatch/src/org/unit-id';
import { unitCodes } from '../../scripts/demo/xining.seed';

jest.setTimeout(420_000);

const SHENGLI = unitIdFor(unitCodes.street('630104004'));
const ENVIRONMENT = '城西区生态环境局';
const CITY_MGMT = '城西区城市管理局';

let h: Harness;
let browser: Browser;
const contexts: BrowserContext[] = [];
const errors: string[] = [];

beforeAll(async () => {
  // One minute between two calls to the same citizen (so the test sees the task come back), and every
  // closed order spot-checked (so the supervisors' queue has one).
  h = await startHarness({ appEnv: { callback: { CALLBACK_ATTEMPT_GAP_MINUTES: '1', CALLBACK_SPOT_CHECK_PERCENT: '100' } } });
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await h?.stop();
});

const api = (key: string) => ConsoleClient.login(h.consoleUrl, demoLoginName(key), DEMO_PASSWORD);

async function desk(key: string, path?: string): Promise<Page> {
  const context = await newContext(browser, h.consoleUrl);
  contexts.push(context);
  const page = await loginAs(context, demoLoginName(key), DEMO_PASSWORD);
  errors.push(...watchErrors(page));
  if (path) await page.goto(path);
  return page;
}

async function eventually<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await read();
    if (ok(last)) return last;
    await sleep(300);
  }
  throw new Error(`${what}: not reached; last ${JSON.stringify(last)}`);
}

interface Order {
  ticketId: string;
  orderNo: string;
  state: string;
  unitId: string | null;
  cycle: number;
  finishDueAt: string | null;
}

async function order(client: ConsoleClient, id: string): Promise<Order> {
  return (await client.get<Order>(`/api/dispatch/orders/${id}`)).body;
}

/** The operator records a call at Shengli Road (through the console's proxy, as the operator). */
async function takeCall(body: {
  categoryCode: string;
  content: string;
  phone: string;
  urgency?: string;
}): Promise<{ id: string; orderNo: string }> {
  const operator = await api('operator');
  const r = await operator.post<{ id: string; orderNo: string }>('/api/intake/tickets', {
    channel: 'phone_12345',
    requestType: 'complaint',
    categoryCode: body.categoryCode,
    content: body.content,
    urgency: body.urgency ?? 'ordinary',
    citizen: { name: '王先生', phone: body.phone },
    location: { address: '西宁市城西区胜利路40号', districtCode: '630104', streetCode: '630104004' },
  });
  if (r.status !== 201) throw new Error(`intake answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

const drawer = (page: Page) => page.locator('.ant-drawer-section:visible');
const row = (page: Page, table: string, text: string) => page.getByTestId(table).locator('.ant-table-row', { hasText: text });
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

async function choose(page: Page, scope: ReturnType<Page['locator']>, label: string, option: string): Promise<void> {
  await scope.getByRole('combobox', { name: label }).click();
  await page.keyboard.type(option);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).first().click();
}

/** The street signs, contacts and replies; the district's dispatcher approves (API, as each of them). */
async function handleAndApprove(id: string, replyText: string, sign = true): Promise<void> {
  const street = await api('handlerStreet');
  if (sign) expect((await street.post(`/api/dispatch/orders/${id}/sign`)).status).toBe(200);
  expect((await street.post(`/api/dispatch/orders/${id}/contact`, { method: 'phone', note: '已电话联系王先生' })).status).toBe(200);
  const r = await street.post(`/api/dispatch/orders/${id}/reply`, { outcome: 'resolved', replyText });
  expect(r.status).toBe(200);
  await approve(id);
}

async function approve(id: string): Promise<void> {
  const dispatcher = await api('dispatcher');
  await eventually(
    'replied',
    () => order(dispatcher, id),
    (o) => o.state === 'replied',
  );
  expect((await dispatcher.post(`/api/dispatch/orders/${id}/review`, { decision: 'approved' })).status).toBe(200);
}

describe('the billiard room (domain.md): not resolved, reopened, joint handling, satisfied the second time', () => {
  it('goes round twice, through the callback agent’s screens, the street’s worklist and its head’s 吹哨报到', async () => {
    const call = await takeCall({
      categoryCode: 'noise',
      content: '楼下台球室每天营业到凌晨两点，噪音扰民，孩子无法休息',
      phone: '13897006001',
    });
    const dispatcherApi = await api('dispatcher');
    const routed = await eventually(
      'dispatched',
      () => order(dispatcherApi, call.id),
      (o) => o.state === 'dispatched',
    );
    expect(routed.unitId).toBe(SHENGLI);
    await handleAndApprove(call.id, '社区已约谈台球室经营者，要求每晚十点后停止营业');

    // The street's handler keeps the worklist open all along.
    const street = await desk('handlerStreet');
    await row(street, 'worklist', call.orderNo).filter({ hasText: '待回访' }).waitFor({ timeout: 15_000 });

    // The callback agent: the task in 待领取, take it, reveal the number (audited), no answer.
    const agent = await desk('callbackAgent');
    await row(agent, 'tasks-pending', call.orderNo).waitFor({ timeout: 15_000 });
    await screenshot(agent, 'callback-queue');
    await row(agent, 'tasks-pending', call.orderNo).click();
    await drawer(agent).getByTestId('task-reply').filter({ hasText: '十点后停止营业' }).waitFor();
    await drawer(agent).getByTestId('claim').click();
    await drawer(agent).getByTestId('reveal').click();
    await drawer(agent).getByTestId('revealed-contact').filter({ hasText: '13897006001' }).waitFor();
    await screenshot(agent, 'callback-task');
    await drawer(agent)
      .getByRole('button', { name: named('无人接听') })
      .click();
    await drawer(agent).getByTestId('comes-back').waitFor();
    await screenshot(agent, 'callback-comes-back');
    await agent.keyboard.press('Escape');
    await row(agent, 'tasks-pending', call.orderNo).getByTestId('callable-from').waitFor();

    // A minute later the task may be called again: take it, text the survey link, then the answers.
    await sleep(61_000);
    await row(agent, 'tasks-pending', call.orderNo).click();
    await drawer(agent).getByTestId('claim').click();
    await drawer(agent).getByTestId('send-sms').click();
    await drawer(agent).getByTestId('sms-sent').filter({ hasText: '6001' }).waitFor();
    await drawer(agent).getByText('未解决', { exact: true }).click();
    await drawer(agent).getByText('不满意', { exact: true }).click();
    await drawer(agent).getByLabel('诉求人意见').fill('台球室晚上十点后还在营业，噪音依旧');
    await screenshot(agent, 'callback-answers');
    await drawer(agent).getByRole('button', { name: '提交回访结果' }).click();
    await drawer(agent).getByTestId('task-outcome').filter({ hasText: '不满意' }).waitFor();
    await agent.keyboard.press('Escape');
    await drawer(agent).waitFor({ state: 'detached' });

    // The order is back in the street's worklist, reopened, without a reload.
    await row(street, 'worklist', call.orderNo).filter({ hasText: '重办' }).waitFor({ timeout: 10_000 });
    await screenshot(street, 'handling-reopened');

    // The street's head calls in the environment bureau and city management.
    const head = await desk('headStreet', '/handling/worklist');
    await row(head, 'worklist', call.orderNo).click();
    await drawer(head).getByTestId('order-header').filter({ hasText: call.orderNo }).waitFor();
    await step(head, '吹哨报到（协办单位）');
    await choose(head, drawer(head), '协办单位', ENVIRONMENT);
    await choose(head, drawer(head), '协办单位', CITY_MGMT);
    await head.keyboard.press('Escape');
    await drawer(head).getByLabel('协办说明').fill('联合执法：噪声检测与经营时间查处');
    await screenshot(head, 'handling-co-units');
    await confirm(head, '吹哨报到（协办单位）');
    await drawer(head).getByText(ENVIRONMENT).first().waitFor();

    // The street cannot reply before both parts are in: the refusal says why.
    await row(street, 'worklist', call.orderNo).click();
    await step(street, '办结答复');
    await drawer(street).getByLabel('答复内容（将告知诉求人）').fill('街道牵头，生态环境、城管联合执法，台球室已加装隔音并调整营业时间');
    await confirm(street, '办结答复');
    await drawer(street).getByRole('alert').filter({ hasText: '协办单位尚未提交' }).waitFor();
    await screenshot(street, 'handling-waits-for-co-units');

    // Each co-unit signs and submits its part.
    const environment = await desk('handlerEnvironment');
    await row(environment, 'worklist', call.orderNo).click();
    await step(environment, '协办签收');
    await step(environment, '提交协办反馈');
    await drawer(environment).getByLabel('本单位办理情况').fill('夜间噪声检测超标，已责令整改');
    await confirm(environment, '提交协办反馈');
    await drawer(environment).getByText('已反馈').first().waitFor();
    const cityMgmt = await api('handlerCityManagement');
    expect((await cityMgmt.post(`/api/dispatch/orders/${call.id}/co-sign`)).status).toBe(200);
    expect((await cityMgmt.post(`/api/dispatch/orders/${call.id}/co-submit`, { partText: '已查处超时经营，责令晚十点停业' })).status).toBe(
      200,
    );

    // Now the street's reply (kept as typed) goes through.
    await eventually(
      'both parts in',
      () => order(dispatcherApi, call.id),
      (o) => (o as unknown as { coUnits: { state: string }[] }).coUnits.every((c) => c.state === 'submitted'),
    );
    await confirm(street, '办结答复');
    await drawer(street).getByTestId('order-state').filter({ hasText: '已答复待审核' }).waitFor({ timeout: 15_000 });
    await approve(call.id);

    // The second callback: satisfied.
    await street.keyboard.press('Escape');
    await row(agent, 'tasks-pending', call.orderNo).filter({ hasText: '第2轮' }).waitFor({ timeout: 15_000 });
    await row(agent, 'tasks-pending', call.orderNo).click();
    await drawer(agent).getByTestId('task-reply').filter({ hasText: '联合执法' }).waitFor();
    await drawer(agent).getByTestId('claim').click();
    await drawer(agent).getByText('已解决', { exact: true }).click();
    await drawer(agent).getByText('满意', { exact: true }).click();
    await drawer(agent).getByRole('button', { name: '提交回访结果' }).click();
    await drawer(agent).getByTestId('task-outcome').filter({ hasText: '满意' }).waitFor();
    await row(street, 'worklist', call.orderNo).filter({ hasText: '已结案' }).waitFor({ timeout: 15_000 });
    await agent.keyboard.press('Escape');
    await agent.getByTestId('tab-completed').click();
    await row(agent, 'tasks-completed', call.orderNo).first().waitFor();
    await screenshot(agent, 'callback-done');

    // Analytics: the street's rework rate — orders sent back ÷ orders replied (domain.md): its one
    // replied order was sent back once by the callback.
    const supervisorApi = await api('supervisor');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    type Row = { key: string; rates: { rework: { numerator: number; denominator: number; percent: number | null } } };
    const rows = await eventually(
      'the street’s rework rate',
      async () =>
        (
          await supervisorApi.get<{ rows: Row[] }>(
            `/api/analytics/rates/breakdown?dimension=street&period=day&from=${today}&districtCode=630104`,
          )
        ).body.rows,
      (rs) => rs.some((r) => r.key === '630104004' && r.rates.rework.numerator === 1),
    );
    expect(rows.find((r) => r.key === '630104004')!.rates.rework).toEqual({ numerator: 1, denominator: 1, percent: 100 });

    // The closed order was sampled for the supervisors' spot check (抽查回访).
    const supervisor = await desk('supervisor', '/callback/spot-checks');
    await row(supervisor, 'tasks-pending', call.orderNo).waitFor({ timeout: 15_000 });
    await screenshot(supervisor, 'callback-spot-checks');
  });
});

describe('a supervisor urges an order about to breach; the urge reaches the unit’s order page', () => {
  it('shows it on the board by unit with working time left; the urge appears live on the street’s order', async () => {
    // Chengxi's urgent garbage orders: 2 h / 24 h, and the clock may stand while the citizen is awaited.
    const admin = await api('admin');
    const policy = await admin.post('/api/sla/policies', {
      name: '城西区 紧急垃圾清运 2小时/24小时',
      districtCode: '630104',
      categoryPrefix: 'garbage',
      urgency: 'urgent',
      respond: { value: 2, unit: 'hours' },
      finish: { value: 24, unit: 'hours' },
      warnPercent: 75,
      pauseOn: ['waiting_for_citizen', 'extension_pending'],
      priority: 30,
    });
    expect(policy.status).toBe(201);
    const call = await takeCall({
      categoryCode: 'garbage',
      content: '胜利路40号小区门口垃圾堆积三天无人清运，气味很大',
      phone: '13897006002',
      urgency: 'urgent',
    });
    const dispatcherApi = await api('dispatcher');
    await eventually(
      'dispatched with a due time',
      () => order(dispatcherApi, call.id),
      (o) => o.state === 'dispatched' && !!o.finishDueAt,
    );

    // The street has the order open.
    const street = await desk('handlerStreet');
    await row(street, 'worklist', call.orderNo).click();
    await drawer(street).getByTestId('order-header').filter({ hasText: call.orderNo }).waitFor();

    // The supervisor's board: the order under Shengli Road with the working time it has left.
    const supervisor = await desk('supervisor', '/supervision/board');
    const unitCard = supervisor.getByTestId('board-unit').filter({ hasText: '胜利路' });
    const finishRow = unitCard.locator('tr', { hasText: call.orderNo }).filter({ hasText: '办结时限' });
    await finishRow.waitFor({ timeout: 20_000 });
    await finishRow.getByTestId('working-left').waitFor();
    await screenshot(supervisor, 'supervision-board');
    await finishRow.click();
    await drawer(supervisor).getByTestId('clock-panel').getByTestId('working-left').first().waitFor();

    // Pause while waiting for the citizen, and resume.
    await drawer(supervisor).getByTestId('pause-clock').click();
    await drawer(supervisor).getByTestId('resume-clock').waitFor();
    await drawer(supervisor).getByTestId('clock-panel').getByText('等待诉求人').waitFor();
    await screenshot(supervisor, 'supervision-clock-paused');
    await drawer(supervisor).getByTestId('resume-clock').click();
    await drawer(supervisor).getByTestId('pause-clock').waitFor();

    await drawer(supervisor)
      .getByRole('textbox', { name: '催办意见（承办单位在工单上可见）' })
      .fill('该工单即将超时，请今日17:00前清运并答复诉求人');
    await drawer(supervisor)
      .getByRole('button', { name: named('催办') })
      .click();
    await drawer(supervisor).getByTestId('urged').waitFor();
    await screenshot(supervisor, 'supervision-urge');

    // On the street's open order page, without a reload.
    await drawer(street).getByTestId('urge-notice').filter({ hasText: '今日17:00前清运' }).waitFor({ timeout: 10_000 });
    await drawer(street).getByTestId('order-timeline').getByText('督办催办').waitFor();
    await screenshot(street, 'handling-urged');

    // On the supervision list: 临期督办, urged once; comment and close it.
    await supervisor.goto('/supervision/list');
    await supervisor.getByTestId('supervision-list').waitFor();
    await row(supervisor, 'supervision-list', call.orderNo)
      .waitFor({ timeout: 15_000 })
      .catch(async (e: unknown) => {
        await supervisor.screenshot({ path: '/tmp/c-callback-debug-list.png' });
        throw e;
      });
    await row(supervisor, 'supervision-list', call.orderNo).filter({ hasText: '临期督办' }).filter({ hasText: '催办1次' }).waitFor();
    await screenshot(supervisor, 'supervision-list');
    await row(supervisor, 'supervision-list', call.orderNo).click();
    await drawer(supervisor)
      .getByRole('textbox', { name: /^\*?\s*批注$/ })
      .fill('已电话督促街道，下午复核');
    await drawer(supervisor)
      .getByRole('button', { name: named('批注') })
      .click();
    await drawer(supervisor).getByTestId('item-record').getByText('已电话督促街道').waitFor();
    await screenshot(supervisor, 'supervision-item');
    await drawer(supervisor)
      .getByRole('button', { name: named('销号') })
      .click();
    await drawer(supervisor)
      .getByTestId('item-status')
      .filter({ hasText: '已销号' })
      .waitFor()
      .catch(async (e: unknown) => {
        await supervisor.screenshot({ path: '/tmp/c-callback-debug-close.png' });
        throw e;
      });

    // An extension request waits for the supervisor's decision.
    const streetApi = await api('handlerStreet');
    expect((await streetApi.post(`/api/dispatch/orders/${call.id}/sign`)).status).toBe(200);
    const x = await streetApi.post(`/api/dispatch/orders/${call.id}/extension`, { days: 3, reason: '需协调环卫公司调配车辆' });
    expect(x.status).toBe(202);
    await supervisor.goto('/supervision/extensions');
    await row(supervisor, 'extensions', call.orderNo).waitFor({ timeout: 15_000 });
    await screenshot(supervisor, 'supervision-extensions');
    await row(supervisor, 'extensions', call.orderNo)
      .getByRole('button', { name: named('审批') })
      .click();
    await supervisor.locator('.ant-modal').getByLabel('延期天数').fill('2');
    await supervisor
      .locator('.ant-modal')
      .getByRole('button', { name: named('审批') })
      .click();
    await row(supervisor, 'extensions', call.orderNo).waitFor({ state: 'detached', timeout: 10_000 });
    await drawer(street).getByTestId('order-timeline').getByText('同意延期', { exact: true }).waitFor({ timeout: 10_000 });
    expect(errors.filter((e) => !/401|404|409|422|favicon/.test(e))).toEqual([]);
  });
});

describe('the directory (通讯录): names behind account ids, people of a unit', () => {
  it('answers any person logged in, within their districts, with names and units only', async () => {
    const street = await api('handlerStreet');
    const people = await street.get<{ id: string; displayName: string; unitId: string; roles: string[] }[]>(
      `/directory/people?unitId=${SHENGLI}`,
    );
    expect(people.status).toBe(200);
    expect(people.body.map((p) => p.displayName).sort()).toEqual([
      '胜利路街道承办人 Shengli Road street handler',
      '胜利路街道负责人 Shengli Road street head',
    ]);
    expect(JSON.stringify(people.body)).not.toMatch(/loginName|mobile|password/);
    const ids = people.body.map((p) => p.id);
    const names = await (
      await api('supervisor')
    ).get<{ id: string; displayName: string }[]>(`/directory/names?ids=${ids.join(',')},system:sla`);
    expect(names.body.map((p) => p.id).sort()).toEqual([...ids].sort());
    // Another district's dispatcher learns nothing about Chengxi's people.
    expect((await (await api('dispatcherChengbei')).get(`/directory/names?ids=${ids.join(',')}`)).body).toEqual([]);
    const bad = await street.get<{ errors: { field: string }[] }>('/directory/people?unitId=shengli');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field)).toEqual(['unitId']);
    expect((await new ConsoleClient(h.consoleUrl).get(`/directory/people?unitId=${SHENGLI}`)).status).toBe(401);
  });
});

describe('到期回访: an expiry callback task reaches the callback agents’ queue', () => {
  it('lists it with its kind, and the agent claims it from the drawer', async () => {
    const call = await takeCall({ categoryCode: 'noise', content: '楼下烧烤店油烟扰民，多次反映无人处理', phone: '13897006031' });
    const dispatcher = await api('dispatcher');
    await eventually(
      'dispatched',
      () => order(dispatcher, call.id),
      (o) => o.state === 'dispatched',
    );
    // The expiry task is made by callback when sla reports the finish limit breached in a district whose
    // policy says so (test/e2e/notifications.e2e-spec.ts drives that with a manual clock); the built apps
    // here run on the real clock, so the row is written as callback writes it, for the order callback knows.
    const db = new Client({ connectionString: h.database.url });
    await db.connect();
    try {
      await eventually(
        'callback knows the order',
        async () => (await db.query('SELECT 1 FROM callback.callback_ticket WHERE ticket_id = $1', [call.id])).rowCount,
        (n) => n === 1,
      );
      await db.query(
        `INSERT INTO callback.callback_task (id, ticket_id, district_code, unit_id, cycle, kind, state, due_at)
         VALUES (gen_random_uuid(), $1, '630104', $2, 1, 'expiry', 'pending', now() + interval '1 day')`,
        [call.id, SHENGLI],
      );
    } finally {
      await db.end();
    }
    const agent = await desk('callbackAgent');
    const task = row(agent, 'tasks-pending', call.orderNo);
    await task.filter({ hasText: '到期回访' }).waitFor({ timeout: 15_000 });
    await task.click();
    await drawer(agent).getByTestId('claim').click();
    await drawer(agent).getByTestId('reveal').waitFor();
    await screenshot(agent, 'callback-expiry-task');
  });
});
