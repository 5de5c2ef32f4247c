/**
 * 补充诉求 by the citizen: on a phone (390×844) a citizen submits a request, and once the street office
 * is handling it adds to it from the status page (order number + status code); the words reach the
 * order's timeline for the unit. Once the order is closed, a supplement sent from a page still open is
 * refused in Chinese, with the words kept to copy into a new request. Against the built apps
 * (test/harness) on the real Postgres and NATS, in Debian's Chromium; screenshots at 390×844 and
 * 1366×768 go to docs/console/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DESK, launchBrowser, newContext, PHONE, screenshot, watchErrors } from './browser';
import { ConsoleClient, DEMO_PASSWORD, demoLoginName, Harness, sleep, startHarness } from '../harness';

jest.setTimeout(300_000);

const CONTENT = '楼下商铺每晚音响开到很晚，噪声扰民，老人孩子都睡不好';
const ADDRESS = '西宁市城西区胜利路20号';
const MORE = '情况更严重了：现在凌晨两点还在放音乐，整个楼道都能听到';

let h: Harness;
let browser: Browser;
let phone: BrowserContext;
let page: Page;
const errors: string[] = [];
let orderNo = '';
let token = '';
let ticketId = '';

beforeAll(async () => {
  h = await startHarness();
  browser = await launchBrowser();
  phone = await newContext(browser, h.consoleUrl, PHONE);
  page = await phone.newPage();
  errors.push(...watchErrors(page));
});
afterAll(async () => {
  await phone?.close().catch(() => undefined);
  await browser?.close();
  await h?.stop();
});

const api = (key: string) => ConsoleClient.login(h.consoleUrl, demoLoginName(key), DEMO_PASSWORD);

async function eventually<T>(f: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await sleep(300);
  }
}

/** The status page as the citizen reaches it: the lookup form, the number and the code. */
async function lookUp(p: Page, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<void> {
  await p.goto(`/public/status?lang=${lang}`);
  await p.getByLabel(lang === 'en' ? 'Order number' : '工单号').fill(orderNo);
  await p.getByLabel(lang === 'en' ? 'Status code' : '查询码').fill(token);
  await p.getByRole('button', { name: lang === 'en' ? 'Look up' : '查询', exact: true }).click();
  await p.getByTestId('status').waitFor();
}

describe('补充诉求 from the status page', () => {
  it('a citizen submits a request on the phone, and the street office is handling it', async () => {
    await page.goto('/public/report');
    await page.getByLabel('问题描述').fill(CONTENT);
    await page.getByLabel('详细地址').fill(ADDRESS);
    await page.getByLabel('姓名', { exact: true }).fill('钱进');
    await page.getByLabel('手机号码', { exact: true }).fill('13997006006');
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByText('已收到您的诉求').waitFor();
    orderNo = (await page.getByTestId('order-no').innerText()).trim();
    token = ((await page.getByTestId('status-token').getAttribute('aria-label')) ?? '').replace(/ /g, '');
    expect(orderNo).toMatch(/^\d{8}-\d{6}$/);

    const operator = await api('operator');
    const found = await operator.get<{ items: { id: string }[] }>(`/api/intake/tickets/search?orderNo=${orderNo}`);
    ticketId = found.body.items[0].id;
    const street = await api('handlerStreet');
    await eventually(
      () => street.get<{ state: string }>(`/api/dispatch/orders/${ticketId}`),
      (r) => r.status === 200 && r.body.state === 'dispatched',
      'the order dispatched to the street office',
    );
    expect((await street.post(`/api/dispatch/orders/${ticketId}/sign`)).status).toBe(200);
  });

  it('adds to it from the status page: an empty text is refused next to the box, then it is received and on the order’s timeline', async () => {
    await page.getByRole('button', { name: '查看办理进度' }).click();
    await page.getByTestId('status').waitFor();
    const form = page.getByTestId('supplement');
    await form.getByText('情况有变化或有新的线索').waitFor();
    await page.getByLabel('补充内容').fill(MORE);
    await form.scrollIntoViewIfNeeded();
    await screenshot(page, 'citizen-status-supplement-form');

    await page.getByLabel('补充内容').fill('');
    await form.getByRole('button', { name: '提交补充' }).click();
    await page.getByText('请填写补充内容').waitFor();

    await page.getByLabel('补充内容').fill(MORE);
    // the form as sent, to send it once more below
    const sent = await page.evaluate<[string, string][]>(`[...new FormData(document.querySelector('#supplement form'))]`);
    await page.getByRole('button', { name: '提交补充' }).click();
    await page.getByText(/已收到您的补充（.+），已转给办理单位。/).waitFor();
    // the box is empty again; the words are not shown back
    expect(await page.getByLabel('补充内容').inputValue()).toBe('');
    expect(await page.content()).not.toContain('凌晨两点');
    await screenshot(page, 'citizen-status-supplement');

    // the street office reads the words on the order's timeline (诉求人补充诉求)
    const street = await api('handlerStreet');
    const order = await eventually(
      () => street.get<{ timeline: { action: string; data: { remark?: string } }[] }>(`/api/dispatch/orders/${ticketId}`),
      (r) => r.status === 200 && r.body.timeline.some((e) => e.action === 'supplemented'),
      'the supplement on the order’s timeline',
    );
    expect(order.body.timeline.filter((e) => e.action === 'supplemented').map((e) => e.data.remark)).toEqual([MORE]);

    // the same page sent again (a double tap, or resent from the history): received, and nothing more is added
    const again = await page.evaluate<{ status: number; text: string }>(
      `fetch('/public/status/supplement', { method: 'POST', body: new URLSearchParams(${JSON.stringify(sent)}) })
        .then(async (r) => ({ status: r.status, text: await r.text() }))`,
    );
    expect(again.status).toBe(201);
    expect(again.text).toContain('已收到您的补充');
    const operator = await api('operator');
    const list = await operator.get<{ createdBy: string; text: string }[]>(`/api/intake/tickets/${ticketId}/supplements`);
    expect(list.body).toEqual([expect.objectContaining({ createdBy: 'citizen', text: MORE })]);
  });

  it('reads well on the desk (1366×768) and in English', async () => {
    const desk = await newContext(browser, h.consoleUrl, DESK);
    try {
      const p = await desk.newPage();
      errors.push(...watchErrors(p));
      await lookUp(p);
      await p.getByText('您已在网上补充 1 次').waitFor();
      await p.getByLabel('补充内容').fill('补充：商铺门口还堆了音箱，占了人行道');
      await p.getByTestId('supplement').scrollIntoViewIfNeeded();
      await screenshot(p, 'citizen-status-supplement-desk');
    } finally {
      await desk.close();
    }
    await lookUp(page, 'en');
    await page.getByText('Additions made online: 1; the latest on').waitFor();
    await page.getByTestId('supplement').scrollIntoViewIfNeeded();
    await screenshot(page, 'citizen-status-supplement-en');
    await page.goto('/public?lang=zh-CN');
  });

  it('once the order is closed, a supplement from a page still open is refused in Chinese, with the words kept to copy', async () => {
    await lookUp(page);
    await page.getByLabel('补充内容').fill('又开始吵了');

    // meanwhile the street office replies, the dispatcher approves, the callback agent closes it
    const street = await api('handlerStreet');
    expect((await street.post(`/api/dispatch/orders/${ticketId}/contact`, { method: 'phone', note: '已电话联系诉求人' })).status).toBe(200);
    expect(
      (await street.post(`/api/dispatch/orders/${ticketId}/reply`, { outcome: 'resolved', replyText: '已约谈商铺，晚十点后不再放音乐。' }))
        .status,
    ).toBe(200);
    const dispatcher = await api('dispatcher');
    expect((await dispatcher.post(`/api/dispatch/orders/${ticketId}/review`, { decision: 'approved' })).status).toBe(200);
    const agent = await api('callbackAgent');
    const tasks = await eventually(
      () => agent.get<{ id: string }[]>(`/api/callback/tasks?ticketId=${ticketId}&state=pending`),
      (r) => r.status === 200 && r.body.length === 1,
      'the callback task',
    );
    expect((await agent.post(`/api/callback/tasks/${tasks.body[0].id}/claim`)).status).toBe(200);
    expect(
      (await agent.post(`/api/callback/tasks/${tasks.body[0].id}/complete`, { contacted: true, resolved: true, satisfaction: 'satisfied' }))
        .status,
    ).toBe(200);
    await eventually(
      async () => {
        const r = await fetch(`${h.urls.intake}/public/status`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ orderNo, token }),
        });
        return ((await r.json()) as { status: string }).status;
      },
      (s) => s === 'closed',
      'intake to learn the order is closed',
    );

    const answer = page.waitForResponse((r) => r.url().endsWith('/public/status/supplement'));
    await page.getByRole('button', { name: '提交补充' }).click();
    expect((await answer).status()).toBe(409);
    await page.getByText('工单已办结，不能再补充').waitFor();
    expect(await page.getByLabel('您填写的补充内容（可复制后重新反映）').inputValue()).toBe('又开始吵了');
    await page.getByRole('link', { name: '重新反映问题' }).waitFor();
    expect(await page.getByRole('button', { name: '提交补充' }).count()).toBe(0);
    await page.getByTestId('supplement').scrollIntoViewIfNeeded();
    await screenshot(page, 'citizen-status-supplement-closed');
    expect(errors).toEqual([]);
  });
});
