/**
 * 通知 in a real browser (issue 18's screens): the seven built apps on the real Postgres and NATS, notify
 * sending SMS to a real HTTP server on loopback standing in for the provider (a number ending 0000 is
 * refused as invalid), Debian's Chromium at 1366×768.
 * - the administrator gives Shengli Road's handler and head their work mobiles (the head's is invalid);
 * - an order dispatched to Shengli Road's street office: the handler's one bell shows it unread, the inbox
 *   lists it, opening it marks it read and opens the order on the worklist; a second order's toast opens
 *   it the same way;
 * - the administrator's 投递记录 shows the handler's SMS sent with the provider's answer, and the head's
 *   as a dead end (highlighted), filterable by state and channel;
 * - the administrator turns a district's 到期回访 on, and the change log shows it.
 */
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, loginAs, newContext, screenshot, watchErrors } from './browser';
import { ConsoleClient, DEMO_PASSWORD, demoLoginName, Harness, sleep, startHarness } from '../harness';

jest.setTimeout(300_000);

const HANDLER_MOBILE = '13900000001';
const HEAD_MOBILE = '13900000000'; // refused by the provider: a dead end

interface SmsCall {
  to: string;
  text: string;
}
const sms: SmsCall[] = [];

const smsServer: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
  let raw = '';
  req.on('data', (c: Buffer) => (raw += c.toString()));
  req.on('end', () => {
    const body = JSON.parse(raw) as SmsCall;
    sms.push(body);
    if (body.to.endsWith('0000')) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":"isv.MOBILE_NUMBER_ILLEGAL"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(`{"code":"OK","bizId":"${randomUUID()}"}`);
  });
});

let h: Harness;
let browser: Browser;
const contexts: BrowserContext[] = [];
const errors: string[] = [];

beforeAll(async () => {
  const port = await new Promise<number>((resolve) =>
    smsServer.listen(0, '127.0.0.1', () => resolve((smsServer.address() as AddressInfo).port)),
  );
  h = await startHarness({
    appEnv: {
      notify: {
        NOTIFY_SMS_ADAPTER: 'http',
        NOTIFY_SMS_HTTP_URL: `http://127.0.0.1:${port}/sms`,
        NOTIFY_TICK_MS: '300',
        NOTIFY_MAX_ATTEMPTS: '2',
        NOTIFY_RETRY_BASE_MS: '200',
        NOTIFY_RETRY_MAX_MS: '400',
        // the test runs at any hour: nobody is in quiet hours
        NOTIFY_QUIET_START: '00:00',
        NOTIFY_QUIET_END: '00:00',
      },
    },
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await h?.stop();
  await new Promise((resolve) => smsServer.close(resolve));
});

afterEach(() => {
  expect(errors).toEqual([]);
});

const api = (key: string) => ConsoleClient.login(h.consoleUrl, demoLoginName(key), DEMO_PASSWORD);

async function desk(key: string): Promise<Page> {
  const context = await newContext(browser, h.consoleUrl);
  contexts.push(context);
  const page = await loginAs(context, demoLoginName(key), DEMO_PASSWORD);
  errors.push(...watchErrors(page));
  return page;
}

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await fn();
    if (ok(last)) return last;
    await sleep(250);
  }
  throw new Error(`${what}: still ${JSON.stringify(last)}`);
}

/** Shengli Road's own matters (直派街乡镇): each dispatch tells the street's handler, on the live stream too. */
async function call(categoryCode: string, content: string, phone: string, address: string, urgency = 'ordinary') {
  const operator = await api('operator');
  const r = await operator.post<{ id: string; orderNo: string }>('/api/intake/tickets', {
    channel: 'phone_12345',
    requestType: 'complaint',
    categoryCode,
    urgency,
    content,
    citizen: { name: '赵女士', phone },
    location: { address, districtCode: '630104', streetCode: '630104004' },
  });
  if (r.status !== 201) throw new Error(`intake answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** The administrator gives a demo person a work mobile on their staff account. */
async function giveMobile(key: string, mobile: string): Promise<void> {
  const admin = await api('admin');
  const login = demoLoginName(key);
  const found = await admin.get<{ items: { id: string; loginName: string }[] }>(`/admin/accounts?q=${encodeURIComponent(login)}`);
  const account = found.body.items.find((a) => a.loginName === login);
  if (!account) throw new Error(`no account ${login}: ${JSON.stringify(found.body)}`);
  const r = await admin.patch(`/admin/accounts/${account.id}`, { mobile });
  if (r.status !== 200) throw new Error(`PATCH account answered ${r.status}: ${JSON.stringify(r.body)}`);
}

interface DeliveryRow {
  id: string;
  ticketId: string | null;
  channel: string;
  state: string;
  personName: string | null;
  to: string;
}

let order: { id: string; orderNo: string };

describe('a handler is told of an order dispatched to their unit', () => {
  let page: Page;

  test('the one bell shows the unread notification', async () => {
    await giveMobile('handlerStreet', HANDLER_MOBILE);
    await giveMobile('headStreet', HEAD_MOBILE);
    page = await desk('handlerStreet');
    await page.goto('/handling/worklist');
    await page.getByTestId('worklist').waitFor();
    // The bell comes once the browser is idle after the page (ShellLayout); then one bell in the header: the inbox's.
    await page.getByRole('button', { name: '实时', exact: true }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: '消息（0 条未读）' }).waitFor();
    expect(await page.locator('header .anticon-bell').count()).toBe(1);

    const operator = await api('operator');
    const r = await operator.post<{ id: string; orderNo: string }>('/api/intake/tickets', {
      channel: 'phone_12345',
      requestType: 'complaint',
      categoryCode: 'noise',
      content: '楼下烧烤店每晚噪声扰民到凌晨，请处理',
      citizen: { name: '马先生', phone: '13897001002' },
      // Shengli Road's own matter: the rules send it straight to the street office (直派街乡镇).
      location: { address: '西宁市城西区胜利路12号', districtCode: '630104', streetCode: '630104004' },
    });
    expect(r.status).toBe(201);
    order = r.body;

    await page.getByRole('button', { name: '消息（1 条未读）' }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'notifications-bell-unread');
  });

  test('the inbox lists it; opening it marks it read and opens the order', async () => {
    // the toast that came with it, closed (the inbox's picture shows the inbox alone)
    for (const close of await page.locator('.ant-notification-notice-close').all()) await close.click();
    await page.locator('.ant-notification-notice').first().waitFor({ state: 'detached' });
    await page.getByTestId('notification-bell').click();
    const item = page.locator('[data-testid^="notification-"][data-read]').filter({ hasText: order.orderNo });
    await item.first().waitFor({ timeout: 15_000 });
    expect(await item.first().getAttribute('data-read')).toBe('false');
    await screenshot(page, 'notifications-inbox');

    const told = await item.first().innerText();

    await item.first().click();
    await page.waitForURL(`**/handling/worklist?order=${order.id}`);
    const drawer = page.locator('.ant-drawer-section:visible').filter({ hasText: order.orderNo }).first();
    await drawer.waitFor({ timeout: 15_000 });
    // notify names the category as the console does (one catalogue, libs/contracts): 噪音扰民 in both.
    const category = drawer.locator('.ant-descriptions-item-label', { hasText: /^分类$/ }).locator('xpath=following-sibling::td[1]');
    await category.filter({ hasText: '噪音扰民' }).waitFor();
    expect(told).toContain(`类别：${await category.innerText()}`);
    await page.getByRole('button', { name: '消息（0 条未读）' }).waitFor({ timeout: 15_000 });
    const handler = await api('handlerStreet');
    const inbox = await handler.get<{ items: { ticketId: string | null; readAt: string | null }[]; unread: number }>('/api/notify/inbox');
    expect(inbox.body.unread).toBe(0);
    expect(inbox.body.items.find((n) => n.ticketId === order.id)?.readAt).toBeTruthy();
  });

  test('a toast opens its order too, and marks it read', async () => {
    await page.goto('/handling/worklist');
    await page.getByTestId('worklist').waitFor();
    await page.getByRole('button', { name: '实时', exact: true }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: '消息（0 条未读）' }).waitFor();

    const second = await call('noise', '胜利路15号楼下KTV深夜音响声音过大，影响休息', '13897001003', '西宁市城西区胜利路15号');

    const toast = page.locator('.ant-notification-notice').filter({ hasText: second.orderNo });
    await toast.waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: '消息（1 条未读）' }).waitFor();
    const cursor = await toast.evaluate(
      (el) => (globalThis as unknown as { getComputedStyle(e: unknown): { cursor: string } }).getComputedStyle(el).cursor,
    );
    expect(cursor).toBe('pointer');
    await toast.getByRole('button', { name: '查看工单' }).click();

    await page.waitForURL(`**/handling/worklist?order=${second.id}`);
    await page.locator('.ant-drawer-section:visible').filter({ hasText: second.orderNo }).first().waitFor({ timeout: 15_000 });
    await toast.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '消息（0 条未读）' }).waitFor({ timeout: 15_000 });
    const handler = await api('handlerStreet');
    const inbox = await handler.get<{ items: { ticketId: string | null; readAt: string | null }[] }>('/api/notify/inbox');
    expect(inbox.body.items.find((n) => n.ticketId === second.id)?.readAt).toBeTruthy();
  });
});

describe('the administrator', () => {
  let page: Page;

  test('sees the delivery on 投递记录: the handler’s SMS sent, the head’s a dead end', async () => {
    const admin = await api('admin');
    await until(
      'the SMS deliveries of the order',
      async () =>
        (await admin.get<DeliveryRow[]>('/api/notify/admin/deliveries?state=sent,failed,dead&channel=sms')).body.filter(
          (d) => d.ticketId === order.id,
        ),
      (rows) => rows.some((d) => d.state === 'sent') && rows.some((d) => d.state === 'dead' || d.state === 'failed'),
    );
    expect(sms.some((s) => s.to === HANDLER_MOBILE)).toBe(true);
    // The SMS names the category as the console does, too.
    expect(sms.find((s) => s.to === HANDLER_MOBILE && s.text.includes(order.orderNo))?.text).toContain('类别：噪音扰民');

    page = await desk('admin');
    await page.getByRole('navigation').getByRole('menuitem', { name: '投递记录', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '投递记录' }).waitFor();
    const table = page.getByTestId('deliveries');
    // this order's rows (the toast test's order has its own)
    const sent = table
      .locator('.ant-table-row[data-state="sent"]')
      .filter({ hasText: '胜利路街道承办人' })
      .filter({ hasText: order.orderNo });
    await sent.first().waitFor({ timeout: 15_000 });
    expect(await sent.first().textContent()).toContain('短信');
    const dead = table
      .locator('.ant-table-row[data-state="dead"], .ant-table-row[data-state="failed"]')
      .filter({ hasText: '胜利路街道负责人' })
      .filter({ hasText: order.orderNo });
    await dead.first().waitFor();
    // why, in Chinese, over notify's reading of it and the provider's own answer
    expect(await dead.first().getByTestId('delivery-answer-reason').innerText()).toBe('服务商拒收（号码、模板或地址无效）');
    expect(await sent.first().getByTestId('delivery-answer-reason').count()).toBe(0);
    expect(await dead.first().textContent()).toContain('400');
    expect(await dead.first().textContent()).toContain('MOBILE_NUMBER_ILLEGAL');
    expect(await dead.first().getAttribute('style')).toContain('background');
    // Read whole at 1366×768: the message with the order number and the provider's answer wrap, no cell cuts its text.
    expect(await sent.first().getByTestId('delivery-title').innerText()).toContain(order.orderNo);
    expect(await dead.first().getByTestId('delivery-answer').innerText()).toContain('MOBILE_NUMBER_ILLEGAL');
    for (const row of [sent.first(), dead.first()]) {
      const cut = await row
        .locator('td')
        .evaluateAll(
          (
            cells: { classList: { contains(c: string): boolean }; scrollWidth: number; clientWidth: number; textContent: string | null }[],
          ) =>
            cells
              .filter((td) => td.classList.contains('ant-table-cell-ellipsis') || td.scrollWidth > td.clientWidth + 1)
              .map((td) => td.textContent),
        );
      expect(cut).toEqual([]);
    }
    await screenshot(page, 'admin-deliveries');

    // the dead row opened: its one attempt, with the reason in Chinese and the provider's answer
    await dead.first().locator('.ant-table-row-expand-icon').click();
    const attempt = table.locator('.ant-table-expanded-row:visible .ant-table-row').first();
    await attempt.waitFor();
    expect(await attempt.textContent()).toContain('无法送达');
    expect(await attempt.textContent()).toContain('服务商拒收（号码、模板或地址无效）');
    expect(await attempt.textContent()).toContain('MOBILE_NUMBER_ILLEGAL');
    await screenshot(page, 'admin-deliveries-attempt');
    await dead.first().locator('.ant-table-row-expand-icon').click();

    // filtered to the dead ends: the sent one goes
    await page.getByLabel('状态', { exact: true }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '无法送达' }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '失败' }).click();
    await page.keyboard.press('Escape');
    await until(
      'the sent row filtered out',
      () => sent.count(),
      (n) => n === 0,
    );
    expect(await dead.count()).toBeGreaterThan(0);
    // and to e-mail: nobody here has one
    await page.getByLabel('渠道', { exact: true }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '邮件' }).click();
    await until(
      'the SMS rows filtered out',
      () => dead.count(),
      (n) => n === 0,
    );
  });

  test('turns a district’s 到期回访 on, and the change log shows it', async () => {
    await page.getByRole('navigation').getByRole('menuitem', { name: '到期回访', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '到期回访' }).waitFor();
    const row = page.getByTestId('expiry-policies').locator('.ant-table-row[data-district="630104"]');
    await row.waitFor({ timeout: 15_000 });
    const toggle = row.getByRole('switch');
    const before = (await toggle.getAttribute('aria-checked')) === 'true';
    await page.getByLabel('原因', { exact: true }).fill('北京规则：到期未答复即回访');
    await toggle.click();
    await page
      .locator('.ant-alert-success')
      .filter({ hasText: before ? '已关闭' : '已开启' })
      .waitFor({ timeout: 15_000 });
    expect(await toggle.getAttribute('aria-checked')).toBe(String(!before));
    const change = page.getByTestId('expiry-changes').locator('.ant-table-row').filter({ hasText: '北京规则：到期未答复即回访' });
    await change.first().waitFor({ timeout: 15_000 });
    await screenshot(page, 'admin-expiry-policies');

    const admin = await api('admin');
    const policies = (await admin.get<{ districtCode: string; enabled: boolean }[]>('/api/callback/admin/expiry-policies')).body;
    expect(policies.find((p) => p.districtCode === '630104')?.enabled).toBe(!before);
  });
});

describe('a handler working an order while notifications arrive (1366×768)', () => {
  /**
   * Watches the page's toasts from now on: how many came, and the most shown at once (a toast on its
   * way out, in its leave motion, is not counted), sampled every frame.
   */
  const WATCH_TOASTS = `(() => {
    const w = window;
    w.__toasts = { seen: 0, most: 0 };
    const shown = () => document.querySelectorAll('.ant-notification-notice:not(.ant-notification-fade-leave)').length;
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes)
          if (n.nodeType === 1) w.__toasts.seen += (n.matches('.ant-notification-notice') ? 1 : 0) + n.querySelectorAll('.ant-notification-notice').length;
    }).observe(document.body, { childList: true, subtree: true });
    const frame = () => {
      w.__toasts.most = Math.max(w.__toasts.most, shown());
      requestAnimationFrame(frame);
    };
    frame();
  })()`;
  const toasts = (page: Page) => page.evaluate(() => (globalThis as unknown as { __toasts: { seen: number; most: number } }).__toasts);
  /** The page's DOM as far as these checks use it (the tests compile without the DOM's types). */
  type Box = { x: number; y: number; width: number; height: number };
  type El = { getBoundingClientRect(): Box; contains(other: unknown): boolean; className?: string };
  type Dom = { innerHeight: number; document: { elementFromPoint(x: number, y: number): El | null } };

  test('three at once: at most two toasts, and none over the order drawer’s fields, actions or timeline', async () => {
    const page = await desk('handlerStreet');
    await page.goto('/handling/worklist');
    await page.getByTestId('worklist').waitFor();
    await page.getByRole('button', { name: '实时', exact: true }).waitFor({ timeout: 15_000 });

    // The order the handler has open.
    const open = await call('property', '小区电梯旁消防通道被物业堆放杂物，多次反映未清理', '13897001101', '西宁市城西区胜利路21号');
    // Its own dispatch's toast is watched for from now on: it shows for 4.5 s, and may come and go
    // while the drawer below loads (a loaded CI machine: the wait began after it had gone).
    const itsToast = page.locator('.ant-notification-notice').filter({ hasText: open.orderNo });
    const itsToastShown = itsToast.waitFor({ timeout: 30_000 }).then(
      () => null,
      (e: Error) => e,
    );
    const openRow = page.getByTestId('worklist').locator('.ant-table-row', { hasText: open.orderNo });
    await openRow.waitFor({ timeout: 20_000 });
    await openRow.click();
    const drawer = page.locator('.ant-drawer-content-wrapper:visible').filter({ hasText: open.orderNo });
    const section = drawer.locator('.ant-drawer-section');
    await section.getByTestId('order-header').waitFor();
    await section.getByTestId('order-timeline').getByTestId('timeline-entry').first().waitFor();
    await section.getByRole('button', { name: /下派/ }).waitFor();
    // its own dispatch's toast come and gone, so what follows is only the three
    const notShown = await itsToastShown;
    if (notShown) throw notShown;
    await itsToast.waitFor({ state: 'detached', timeout: 15_000 });

    await page.evaluate(WATCH_TOASTS);
    // Three at once, as when an order is urged and put on the supervision list together.
    await Promise.all([
      call('noise', '楼上住户凌晨装修电钻噪音，影响休息', '13897001102', '西宁市城西区胜利路33号', 'urgent'),
      call('parking', '胜利路口人行道上长期停放僵尸车，行人无法通行', '13897001103', '西宁市城西区胜利路口'),
      call('neighbourhood', '邻居在楼道饲养家禽，气味难闻', '13897001104', '西宁市城西区胜利路58号'),
    ]);
    await until(
      'the three toasts',
      () => toasts(page),
      (s) => s.seen >= 3,
    );

    const notices = page.locator('.ant-notification-notice:not(.ant-notification-fade-leave)');
    expect((await toasts(page)).most).toBeLessThanOrEqual(2);
    expect(await notices.count()).toBeGreaterThan(0);
    expect(await notices.count()).toBeLessThanOrEqual(2);

    // No toast over any part of the drawer.
    const panel = (await drawer.boundingBox())!;
    const boxes = await notices.evaluateAll((els: El[]) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }),
    );
    for (const box of boxes) {
      const apart =
        box.x + box.width <= panel.x || panel.x + panel.width <= box.x || box.y + box.height <= panel.y || panel.y + panel.height <= box.y;
      expect({ toast: box, apart }).toEqual({ toast: box, apart: true });
    }

    // And what the handler works with is on top where they would click or read it: the action row to
    // its last button, the order's fields (分类's value too), the timeline's entries in view.
    const targets = [
      ...(await section
        .locator('.ant-card')
        .filter({ has: page.locator('.ant-card-head-title', { hasText: /^办理$/ }) })
        .getByRole('button')
        .all()),
      section.locator('.ant-descriptions-item-label', { hasText: /^分类$/ }).locator('xpath=following-sibling::td[1]'),
      section.getByTestId('order-content'),
      ...(await section.getByTestId('timeline-entry').all()),
    ];
    expect(targets.length).toBeGreaterThan(6);
    const hidden: string[] = [];
    let checked = 0;
    for (const target of targets) {
      // its centre, and a point just inside its top (a tall entry's first line)
      const seen = await target.evaluate((el: El) => {
        const w = globalThis as unknown as Dom;
        const r = el.getBoundingClientRect();
        const x = r.x + r.width / 2;
        return [r.y + r.height / 2, r.y + Math.min(r.height / 2, 8)]
          .filter((y) => y < w.innerHeight)
          .map((y) => {
            const top = w.document.elementFromPoint(x, y);
            return top && (el === top || el.contains(top)) ? 'seen' : `under ${top?.className ?? 'nothing'}`;
          });
      });
      if (seen.length) checked += 1;
      const under = seen.find((v) => v.startsWith('under'));
      if (under) hidden.push(`${(await target.innerText()).slice(0, 20)}: ${under}`);
    }
    expect(checked).toBeGreaterThan(6);
    expect(hidden).toEqual([]);
    await screenshot(page, 'handling-toasts');

    // The bell keeps them all, unread: the open order's own and the three.
    await page.getByRole('button', { name: /^消息（[4-9] 条未读）$/ }).waitFor({ timeout: 15_000 });
  });
});
