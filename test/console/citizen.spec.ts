/**
 * 市民: a citizen on a phone (390×844) submits a request with a photo through the public pages, reads its
 * status, finds it on the problem wall, and answers the SMS survey after the street office has handled
 * it — against the six built apps (test/harness) on the real Postgres and NATS, in Debian's Chromium.
 * The staff steps in between go through the console's API as the people who take them. Every public
 * page's HTML (and the JSON they load, and the services' public JSON) is scanned for the citizen's
 * name, phone and address. Screenshots at 390×844 go to docs/console/.
 */
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext, PHONE, screenshot, watchErrors } from './browser';
import { ConsoleClient, DEMO_PASSWORD, demoLoginName, Harness, sleep, startHarness } from '../harness';

jest.setTimeout(300_000);

const NAME = '刘小梅';
const PHONE_NO = '13997005555';
const ADDRESS = '西宁市城西区胜利路12号3单元';
const CONTENT = '小区楼下广场舞音响太吵，每晚十点以后还在放，老人孩子都睡不好';
/** The street office's reply names her, her number and her door: the public pages must not. */
const REPLY = `已联系${NAME}女士（${PHONE_NO}），到胜利路12号3单元楼下查看，已与广场舞队约定晚九点前结束并调低音量。`;

let h: Harness;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let sms: Server;
const texts: { to: string; text: string }[] = [];
const seen: { url: string; body: string }[] = [];
const errors: string[] = [];

beforeAll(async () => {
  sms = createServer((req: IncomingMessage, res) => {
    let b = '';
    req.on('data', (c: Buffer) => (b += c.toString()));
    req.on('end', () => {
      texts.push(JSON.parse(b) as { to: string; text: string });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => sms.listen(0, '127.0.0.1', r));
  h = await startHarness({
    appEnv: {
      callback: {
        CALLBACK_SMS_ADAPTER: 'http',
        CALLBACK_SMS_HTTP_URL: `http://127.0.0.1:${(sms.address() as AddressInfo).port}/sms`,
      },
    },
    envFor: (urls) => ({ CALLBACK_SURVEY_BASE_URL: `${urls.console}/public` }),
  });
  browser = await launchBrowser();
  context = await newContext(browser, h.consoleUrl, PHONE);
  await context.grantPermissions(['geolocation'], { origin: h.consoleUrl });
  await context.setGeolocation({ latitude: 36.6171, longitude: 101.7663, accuracy: 20 });
  page = await context.newPage();
  errors.push(...watchErrors(page));
  // Everything the citizen's browser is sent from the public pages, to be scanned.
  page.on('response', (r) => {
    const url = r.url();
    if (!url.includes('/public')) return;
    const type = r.headers()['content-type'] ?? '';
    if (!/html|json/.test(type)) return;
    void r
      .text()
      .then((body) => seen.push({ url, body }))
      .catch(() => undefined);
  });
});
afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await h?.stop();
  await new Promise((r) => sms?.close(r));
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

/** Nothing that names the citizen or her door, in any form. */
function expectNothingPersonal(where: string, body: string): void {
  for (const secret of [NAME, PHONE_NO, '139****5555', '12号3单元', '12号', ADDRESS, '胜利路12号', CONTENT, '广场舞音响太吵']) {
    if (body.includes(secret)) throw new Error(`${where} shows "${secret}"`);
  }
}

let orderNo = '';
let token = '';
let ticketId = '';

describe('citizen pages (390×844)', () => {
  it('submits a request with a photo: category suggested, position by the phone, order number and token read back', async () => {
    await page.goto('/public');
    await page.getByRole('link', { name: '我要反映问题' }).waitFor();
    await screenshot(page, 'citizen-home');

    await page.goto('/public/report');
    await page.getByLabel('问题描述').fill(CONTENT);
    // The suggestion arrives while typing and preselects the category.
    await page.locator('#suggest button', { hasText: '噪音' }).first().waitFor({ timeout: 15_000 });
    expect(await page.getByLabel('问题分类').inputValue()).toMatch(/^noise/);
    await page.getByLabel('详细地址').fill(ADDRESS);
    await page.getByRole('button', { name: '使用手机定位' }).click();
    await page.getByText('已获取位置').waitFor();
    expect(await page.locator('#lat').inputValue()).toBe('36.617100');
    // A real picture: the phone's own screen.
    const photo = await page.screenshot({ type: 'png' });
    await page.locator('#photo').setInputFiles({ name: 'scene.png', mimeType: 'image/png', buffer: photo });
    await page.locator('#preview').waitFor({ state: 'visible' });
    await page.getByLabel('姓名', { exact: true }).fill(NAME);
    await page.getByLabel('手机号码', { exact: true }).fill(PHONE_NO);
    await page.getByText('对办理单位保密我的身份').isVisible();
    await screenshot(page, 'citizen-report-form-photo');
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'citizen-report-form');
    await page.getByLabel('同意在问题墙上公开').isChecked();

    await page.getByRole('button', { name: '提交' }).click();
    await page.getByText('已收到您的诉求').waitFor();
    orderNo = (await page.getByTestId('order-no').innerText()).trim();
    token = (await page.getByTestId('status-token').getAttribute('aria-label')) ?? '';
    expect(orderNo).toMatch(/^\d{8}-\d{6}$/);
    expect(token).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}( [0-9A-HJKMNP-TV-Z]{4}){3}$/);
    await page.getByText('照片已上传').waitFor();
    await page.getByText('逐字读出查询码').click();
    await screenshot(page, 'citizen-receipt');

    // The order as staff see it: the category suggested, the place, the photo from the public form.
    const operator = await api('operator');
    const found = await operator.get<{ items: { id: string; categoryCode: string; channel: string; location: { streetCode: string } }[] }>(
      `/api/intake/tickets/search?orderNo=${orderNo}`,
    );
    const t = found.body.items[0];
    expect(t).toMatchObject({ categoryCode: expect.stringMatching(/^noise/), channel: 'web', location: { streetCode: '630104004' } });
    ticketId = t.id;
    const files = await operator.get<{ uploadedBy: string; contentType: string; size: number }[]>(
      `/api/intake/tickets/${ticketId}/attachments`,
    );
    expect(files.body).toEqual([expect.objectContaining({ uploadedBy: 'public', contentType: 'image/png', size: photo.length })]);
  });

  it('reads its status with the order number and token, in Chinese and in English', async () => {
    await page.getByRole('button', { name: '查看办理进度' }).click();
    await page.getByTestId('status').waitFor();
    await expect(page.getByTestId('status-label').innerText()).resolves.toMatch(/已受理|办理中|已派/);
    await screenshot(page, 'citizen-status');

    // A wrong token is the same "not found" as an unknown number.
    await page.goto('/public/status');
    await page.getByLabel('工单号').fill(orderNo);
    await page.getByLabel('查询码').fill(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('没有找到这个工单').waitFor();

    await page.goto('/public/status?lang=en');
    await page.getByLabel('Order number').fill(orderNo);
    // As a caller types what was read out: small letters, dashes, an O for a zero and an l for a one.
    await page.getByLabel('Status code').fill(token.toLowerCase().replace(/ /g, '-').replace(/0/g, 'o').replace(/1/g, 'l'));
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByTestId('status').waitFor();
    await page.getByText('Handled by').waitFor();
    await screenshot(page, 'citizen-status-en');
    await page.goto('/public?lang=zh-CN');
  });

  it('is on the problem wall with the unit, the deadline and, once replied, the result — and nothing personal', async () => {
    const wall = async () => {
      await page.goto('/public/wall?district=630104&street=630104004');
      return page.locator(`[data-order="${orderNo}"]`).count();
    };
    await eventually(wall, (n) => n === 1, 'the order on the wall');
    const item = page.locator(`[data-order="${orderNo}"]`);
    await expect(item.innerText()).resolves.toContain('噪音');
    await screenshot(page, 'citizen-wall');

    // The street office handles it and writes a reply that names her; the dispatcher approves it.
    const street = await api('handlerStreet');
    await eventually(
      () => street.get<{ state: string }>(`/api/dispatch/orders/${ticketId}`),
      (r) => r.status === 200 && r.body.state === 'dispatched',
      'the order dispatched to the street',
    );
    expect((await street.post(`/api/dispatch/orders/${ticketId}/sign`)).status).toBe(200);
    expect((await street.post(`/api/dispatch/orders/${ticketId}/contact`, { method: 'phone', note: '已电话联系诉求人' })).status).toBe(200);
    expect((await street.post(`/api/dispatch/orders/${ticketId}/reply`, { outcome: 'resolved', replyText: REPLY })).status).toBe(200);
    const dispatcher = await api('dispatcher');
    expect((await dispatcher.post(`/api/dispatch/orders/${ticketId}/review`, { decision: 'approved' })).status).toBe(200);

    await eventually(
      async () => {
        await page.goto('/public/wall?district=630104&street=630104004');
        return item.innerText();
      },
      (text) => text.includes('广场舞队约定晚九点前结束'),
      'the reply on the wall',
    );
    const text = await item.innerText();
    expect(text).toContain('胜利路街道');
    expect(text).toContain('市民');
    expect(text).toContain('[已隐去]');
    await screenshot(page, 'citizen-wall-replied');
  });

  it('answers the SMS survey after the callback task is created', async () => {
    const agent = await api('callbackAgent');
    const tasks = await eventually(
      () => agent.get<{ id: string }[]>(`/api/callback/tasks?ticketId=${ticketId}&state=pending`),
      (r) => r.status === 200 && r.body.length === 1,
      'the callback task',
    );
    const taskId = tasks.body[0].id;
    expect((await agent.post(`/api/callback/tasks/${taskId}/claim`)).status).toBe(200);
    expect((await agent.post(`/api/callback/tasks/${taskId}/sms`)).status).toBe(200);
    const msg = texts.at(-1)!;
    expect(msg.to).toBe(PHONE_NO);
    const link = /(https?:\/\/[^\s]+\/public\/s\/[A-Za-z0-9_.-]+)/.exec(msg.text)![1];
    expect(link.startsWith(`${h.consoleUrl}/public/s/`)).toBe(true);

    await page.goto(link.slice(h.consoleUrl.length));
    await page.getByText('承办单位是否联系过您').waitFor();
    await screenshot(page, 'citizen-survey');
    await page.getByLabel('是', { exact: true }).check();
    await page.getByLabel('已解决', { exact: true }).check();
    await page.getByLabel('满意', { exact: true }).check();
    await page.getByLabel(/您还有什么意见/).fill('处理很及时，谢谢');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('感谢您的评价').waitFor();
    await screenshot(page, 'citizen-survey-thanks');

    const done = await eventually(
      () => agent.get<{ state: string; satisfaction: string | null; channel?: string }>(`/api/callback/tasks/${taskId}`),
      (r) => r.body.state === 'completed',
      'the task completed by the survey',
    );
    expect(done.body.satisfaction).toBe('satisfied');
    // The link is used up: a second visit is refused in Chinese.
    const again = await page.goto(link.slice(h.consoleUrl.length));
    expect(again?.status()).toBe(409);
    await page.getByText('已经使用过').waitFor();
  });

  it('refuses a forged form, and shows nothing personal on any public page or in the JSON behind them', async () => {
    // A POST from elsewhere has no form token (and no SameSite=Strict cookie): 403, nothing recorded.
    const forged = await fetch(`${h.consoleUrl}/public/report`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ content: '伪造', address: ADDRESS, name: NAME, phone: PHONE_NO }).toString(),
    });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('页面已过期');

    await sleep(500);
    expect(seen.length).toBeGreaterThan(8);
    for (const s of seen) expectNothingPersonal(s.url, s.body);
    // The services' public JSON the pages are built from, read directly.
    const wallJson = await (await fetch(`${h.urls.analytics}/wall?streetCode=630104004`)).text();
    expect(wallJson).toContain(orderNo);
    expectNothingPersonal('analytics /wall', wallJson);
    const statusJson = await (
      await fetch(`${h.urls.intake}/public/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderNo, token }),
      })
    ).text();
    expectNothingPersonal('intake /public/status', statusJson);
    const open311 = await (await fetch(`${h.urls.intake}/open311/v2/requests.json?service_request_id=${orderNo}`)).text();
    expect(open311).toContain(orderNo);
    expectNothingPersonal('Open311', open311);

    // intake's photo endpoint: the token authorises it, photos only, at most three per request.
    const photoUrl = (tk: string) => `${h.urls.intake}/public/requests/${orderNo}/attachments?token=${tk}&fileName=p.png`;
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
    const put = (tk: string, type = 'image/png') => fetch(photoUrl(tk), { method: 'POST', headers: { 'content-type': type }, body: png });
    expect((await put(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).status).toBe(404);
    expect((await put(token, 'application/pdf')).status).toBe(400);
    expect((await put(token)).status).toBe(201);
    expect((await put(token)).status).toBe(201);
    const fourth = await put(token);
    expect(fourth.status).toBe(409);
    expect(await fourth.text()).toContain('at most 3 photos');
    expect(errors).toEqual([]);
  });
});
