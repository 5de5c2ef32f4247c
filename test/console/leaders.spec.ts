/**
 * Leaders and analysts (领导 / 分析员) in a real browser (Debian Chromium) against the six built apps on
 * the real Postgres and NATS. The orders behind the figures are made through the services' APIs, each
 * step as the person who takes it (operator, street handler, dispatcher, callback agent, through the
 * console's proxy); the analyst then logs in through the login page and drills down from the
 * district's satisfaction rate to the one unsatisfied order and its callback comment, reads the monthly
 * ranking with its red and black lists, confirms a hotspot on the map, and downloads the monthly report
 * as a PDF whose Chinese title `pdftotext` finds (and `pdftoppm` turns into a picture). Screenshots at
 * 1366×768 go to docs/console/.
 */
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { crc32, deflateSync } from 'node:zlib';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ConsoleClient, DEMO_PASSWORD, demoLoginName, Harness, sleep, startHarness } from '../harness';
import { launchBrowser, loginAs, newContext, SCREENSHOTS, screenshot, watchErrors } from './browser';

jest.setTimeout(300_000);

const CHENGXI = '630104';
const SHENGLI = '630104004';
const UNSATISFIED_COMMENT = '晚上十一点以后台球厅还在营业，噪音依旧，没有解决';
const TILES = 'http://tiles.jiesu.test';
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const MONTH_TITLE = `西宁市12345热线${today.slice(0, 4)}年${today.slice(5, 7)}月评比`;

let h: Harness;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[] = [];
let tmp: string;
const order: Record<'a' | 'b' | 'c' | 'd', { id: string; orderNo: string }> = {} as never;
/** A contact the operator does not accept (不予受理): the matter is before a court. */
let refused: { id: string; orderNo: string };

const api = (key: string) => ConsoleClient.login(h.consoleUrl, demoLoginName(key), DEMO_PASSWORD);

async function expectStatus<T>(r: Promise<{ status: number; body: T }>, status: number, what: string): Promise<T> {
  const x = await r;
  if (x.status !== status) throw new Error(`${what} answered ${x.status}: ${JSON.stringify(x.body)}`);
  return x.body;
}

async function eventually<T>(get: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < until) {
    last = await get();
    if (ok(last)) return last;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
}

/** A 256×256 PNG map tile: a pale ground, darker every other tile, with a grid line at its edges. */
function tile(x: number, y: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ground = (x + y) % 2 ? [236, 240, 232] : [226, 232, 222];
  const raw = Buffer.alloc(256 * (1 + 256 * 3));
  for (let r = 0; r < 256; r++) {
    raw[r * 769] = 0;
    for (let c = 0; c < 256; c++) {
      const edge = r === 0 || c === 0 || r % 64 === 0 || c % 64 === 0;
      const px = edge ? [200, 206, 214] : ground;
      raw.set(px, r * 769 + 1 + c * 3);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(256, 0);
  ihdr.writeUInt32BE(256, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let call = 0;
/** The operator records a call in Shengli Road, Chengxi (routed by the district's rules). */
async function takeCall(operator: ConsoleClient, categoryCode: string, content: string): Promise<{ id: string; orderNo: string }> {
  call += 1;
  return expectStatus(
    operator.post<{ id: string; orderNo: string }>('/api/intake/tickets', {
      channel: 'phone_12345',
      requestType: 'complaint',
      categoryCode,
      content,
      citizen: { name: `张先生${call}`, phone: `1389710${String(call).padStart(4, '0')}` },
      location: {
        address: `西宁市城西区胜利路${call * 2}号`,
        districtCode: CHENGXI,
        streetCode: SHENGLI,
        // A few metres apart: one cell of the hotspot grid.
        lat: 36.6219 + call * 0.0001,
        lng: 101.7583 + call * 0.0001,
      },
    }),
    201,
    'intake',
  );
}

async function dispatched(dispatcher: ConsoleClient, id: string): Promise<void> {
  await eventually(
    async () => (await dispatcher.get<{ state: string }>(`/api/dispatch/orders/${id}`)).body,
    (o) => o?.state === 'dispatched',
    `order ${id} dispatched`,
  );
}

/** The unit signs, calls the citizen, replies; the district dispatcher approves. */
async function handle(unit: ConsoleClient, dispatcher: ConsoleClient, id: string, replyText: string): Promise<void> {
  await expectStatus(unit.post(`/api/dispatch/orders/${id}/sign`), 200, 'sign');
  await expectStatus(unit.post(`/api/dispatch/orders/${id}/contact`, { method: 'phone', note: '已电话联系诉求人' }), 200, 'contact');
  await expectStatus(unit.post(`/api/dispatch/orders/${id}/reply`, { outcome: 'resolved', replyText }), 200, 'reply');
  await expectStatus(dispatcher.post(`/api/dispatch/orders/${id}/review`, { decision: 'approved' }), 200, 'review');
}

/** The callback agent takes the order's callback task and records the citizen's answers. */
async function callBack(
  agent: ConsoleClient,
  id: string,
  answers: { resolved: boolean; satisfaction: string; comment?: string },
): Promise<void> {
  const [task] = await eventually(
    async () => (await agent.get<{ id: string }[]>(`/api/callback/tasks?ticketId=${id}&state=pending`)).body,
    (b) => Array.isArray(b) && b.length === 1,
    `the callback task of ${id}`,
  );
  await expectStatus(agent.post(`/api/callback/tasks/${task.id}/claim`), 200, 'claim');
  await expectStatus(agent.post(`/api/callback/tasks/${task.id}/complete`, { contacted: true, ...answers }), 200, 'complete');
}

beforeAll(async () => {
  h = await startHarness({
    appEnv: {
      analytics: {
        RANKING_MIN_ORDERS: '1',
        RANKING_LIST_SIZE: '1',
        REPORT_SCHEDULE: 'off',
        // The city's tile server: answered below by the test's own tiles (the browser reaches no other host).
        MAP_TILE_URL: `${TILES}/{z}/{x}/{y}.png`,
        MAP_TILE_ATTRIBUTION: '测试底图',
      },
    },
  });
  browser = await launchBrowser();
  tmp = mkdtempSync(join(tmpdir(), 'jiesu-leaders-'));

  // The billiard room below Shengli Road (three neighbours), and a lift in the same block.
  const operator = await api('operator');
  order.a = await takeCall(operator, 'noise', '楼下台球厅每天营业到深夜，击球声和吵闹声很大，影响休息');
  order.b = await takeCall(operator, 'noise', '台球厅夜里噪音扰民，孩子没法睡觉，请管一管');
  order.c = await takeCall(operator, 'noise', '胜利路台球厅深夜喧哗，已经持续一个月');
  order.d = await takeCall(operator, 'lift', '单元楼电梯经常困人，物业不处理');
  refused = await expectStatus(
    operator.post<{ id: string; orderNo: string }>('/api/intake/tickets', {
      channel: 'phone_12345',
      requestType: 'complaint',
      categoryCode: 'wage_arrears',
      content: '工资纠纷已经起诉到法院，想让热线催法院快点判',
      citizen: { name: '钱先生', phone: '13897109999' },
      location: { address: '西宁市城西区胜利路40号', districtCode: CHENGXI, streetCode: SHENGLI },
      disposition: 'not_accepted',
      notAcceptedReason: 'litigation',
    }),
    201,
    'intake',
  );
  const dispatcher = await api('dispatcher');
  for (const o of Object.values(order)) await dispatched(dispatcher, o.id);

  const street = await api('handlerStreet');
  const market = await api('handlerMarket');
  await handle(street, dispatcher, order.a.id, '已约谈台球厅经营者，要求晚十点后停止营业，并安装隔音门帘');
  await handle(street, dispatcher, order.b.id, '已约谈台球厅经营者，要求晚十点后停止营业');
  await handle(market, dispatcher, order.d.id, '已责令维保单位更换电梯门锁装置，运行正常');
  const agent = await api('callbackAgent');
  await callBack(agent, order.a.id, { resolved: true, satisfaction: 'satisfied' });
  await callBack(agent, order.b.id, { resolved: false, satisfaction: 'unsatisfied', comment: UNSATISFIED_COMMENT });
  await callBack(agent, order.d.id, { resolved: true, satisfaction: 'satisfied' });

  // Analytics has counted the three callbacks and the contact not accepted.
  const analyst = await api('analyst');
  await eventually(
    async () =>
      (
        await analyst.get<{ volumes: { callbacks: number; notAccepted: number } }>(
          `/api/analytics/rates?period=day&from=${today}&districtCode=${CHENGXI}`,
        )
      ).body,
    (r) => r?.volumes?.callbacks === 3 && r.volumes.notAccepted === 1,
    'three callbacks and one contact not accepted in analytics',
  );

  context = await newContext(browser, h.consoleUrl);
  page = await loginAs(context, demoLoginName('analyst'), DEMO_PASSWORD);
  errors = watchErrors(page);
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await h?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const row = (scope: ReturnType<Page['locator']>, text: string) => scope.locator('tr.ant-table-row', { hasText: text });

describe('a leader reads the rates and drills down to the orders', () => {
  it('from the district’s satisfaction rate to the one unsatisfied order and its callback comment', async () => {
    await page.waitForURL('**/analytics/dashboard');
    const table = page.getByTestId('breakdown');
    await row(table, '城西区').waitFor();
    // The city: four accepted, three callbacks, two of them satisfied.
    await page.getByTestId('kpi-satisfaction-value').filter({ hasText: '66.67%' }).waitFor();
    await page.getByTestId('chart-trend').locator('canvas').waitFor();
    // The volumes and each district's row count the contact not accepted (不予受理).
    await page.getByTestId('volume-notAccepted').filter({ hasText: '不予受理 1' }).waitFor();
    const notAcceptedColumn = (await table.locator('th').allTextContents()).indexOf('不予受理');
    expect(notAcceptedColumn).toBeGreaterThan(0);
    expect(await row(table, '城西区').locator('td').nth(notAcceptedColumn).textContent()).toBe('1');
    await screenshot(page, 'analytics-dashboard');

    // City → district.
    await row(table, '城西区').getByTestId('drill').click();
    await page.getByTestId('drill-path').filter({ hasText: '城西区' }).waitFor();
    // The city's figures stay on screen, dimmed, until the district's arrive (the city's satisfaction is 66.67% too).
    await page.locator('[data-testid="figures"][aria-busy="false"]').waitFor();
    await page.getByTestId('kpi-satisfaction-value').filter({ hasText: '66.67%' }).waitFor();
    const street = row(table, '胜利路');
    await street.waitFor();
    // The street: A satisfied, B not, and the lift in the same block (D) satisfied.
    expect(await street.getByTestId('cell-satisfaction').textContent()).toBe('66.67%');
    await screenshot(page, 'analytics-drilldown-district');

    // District → street → the orders behind its satisfaction rate.
    await street.getByTestId('drill').click();
    await page.getByTestId('drill-path').filter({ hasText: '胜利路' }).waitFor();
    await page.getByTestId('kpi-satisfaction-value').filter({ hasText: '66.67%' }).waitFor();
    await page.getByTestId('kpi-satisfaction').click();
    const drawer = page.locator('.ant-drawer-section:visible');
    await drawer.getByTestId('orders-title').filter({ hasText: '满意率' }).waitFor();
    await drawer.getByTestId('orders-total').filter({ hasText: '共 3 件' }).waitFor();
    // Those pulling the figure down come first.
    await drawer.getByRole('switch', { name: '只看拉低指标的工单' }).click();
    await drawer.getByTestId('orders-total').filter({ hasText: '共 1 件' }).waitFor();
    const rows = drawer.getByTestId('figure-orders').locator('tr.ant-table-row');
    expect(await rows.count()).toBe(1);
    await expect(rows.first().textContent()).resolves.toContain(order.b.orderNo);
    expect(await rows.first().getByTestId('callback-comment').textContent()).toBe(UNSATISFIED_COMMENT);
    expect(await rows.first().getByTestId('outcome-satisfaction').textContent()).toBe('不满意');
    await screenshot(page, 'analytics-drilldown-orders');
    await page.keyboard.press('Escape');
  });

  it('from 不予受理 to the contact refused and its reason', async () => {
    // Still on 胜利路街道, where the contact was placed.
    await page.getByTestId('drill-path').filter({ hasText: '胜利路' }).waitFor();
    // Held until the drawer has opened: while its orders load, the drawer must not show the satisfaction
    // figure's orders (order B, 拉低指标) under the title 不予受理, as it once did.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const refusedOrders = (url: URL) => url.pathname.endsWith('/rates/orders') && url.searchParams.get('figure') === 'notAccepted';
    await page.route(refusedOrders, async (route) => {
      await held;
      await route.continue();
    });
    const answered = page.waitForResponse((r) => refusedOrders(new URL(r.url())));
    await page.getByTestId('volume-notAccepted').click();
    const drawer = page.locator('.ant-drawer-section:visible');
    await drawer.getByTestId('orders-title').filter({ hasText: '不予受理' }).waitFor();
    await drawer.locator('.ant-spin-spinning').waitFor();
    expect(await drawer.getByTestId('figure-orders').locator('tr.ant-table-row').count()).toBe(0);
    expect(await drawer.textContent()).not.toContain(order.b.orderNo);
    expect(await drawer.getByTestId('orders-total').count()).toBe(0);
    release();
    await answered;
    await page.unroute(refusedOrders);
    await drawer.getByTestId('orders-total').filter({ hasText: '共 1 件' }).waitFor();
    const rows = drawer.getByTestId('figure-orders').locator('tr.ant-table-row');
    await expect(rows.first().textContent()).resolves.toContain(refused.orderNo);
    expect(await rows.first().getByTestId('not-accepted-reason').textContent()).toBe('诉讼程序中');
    expect(await drawer.textContent()).not.toContain('钱先生');
    await screenshot(page, 'analytics-not-accepted');
    await page.keyboard.press('Escape');
  });
});

describe('the monthly ranking with its red and black lists', () => {
  it('puts market regulation on the red list and the street office on the black list, with its top problem', async () => {
    await page.getByRole('menuitem', { name: '月评比 · 红黑榜' }).click();
    await page.waitForURL('**/analytics/ranking');
    await page.getByTestId('red-list').filter({ hasText: '市场监督管理局' }).waitFor();
    await page.getByTestId('black-list').filter({ hasText: '胜利路' }).waitFor();
    const street = row(page.getByTestId('ranking'), '胜利路');
    await street.locator('.ant-table-row-expand-icon').click();
    await page.getByTestId('top-problems').locator('tr.ant-table-row', { hasText: '噪音扰民' }).waitFor();
    await screenshot(page, 'analytics-ranking');
  });
});

describe('hotspots on the map', () => {
  it('finds the billiard-room cluster, plots it without a base map, and confirms it', async () => {
    const tiles: string[] = [];
    await context.route(`${TILES}/**`, (route) => {
      const m = /\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(route.request().url());
      tiles.push(route.request().url());
      return m ? route.fulfill({ status: 200, contentType: 'image/png', body: tile(+m[2], +m[3]) }) : route.fulfill({ status: 404 });
    });
    await page.getByRole('menuitem', { name: '热点地图' }).click();
    await page.waitForURL('**/analytics/hotspots');
    await page.getByRole('button', { name: '发现热点' }).click();
    const hotspot = row(page.getByTestId('hotspots'), '噪音扰民');
    await hotspot.waitFor();
    expect(await hotspot.locator('td').nth(3).textContent()).toBe('3');
    await page.getByTestId('chart-hotspot-map').locator('canvas').waitFor();
    // On the city's base map: the tiles around the cluster at a street-level zoom.
    await eventually(
      async () => tiles.length,
      (n) => n > 0,
      'the map tiles requested',
    );
    expect(tiles.every((u) => /^http:\/\/tiles\.jiesu\.test\/1[4-7]\/\d+\/\d+\.png$/.test(u))).toBe(true);
    await screenshot(page, 'analytics-hotspots-base-map');
    // Without it (a tile server down, or none configured): the same points on longitude / latitude axes.
    await page.getByRole('switch', { name: '显示底图' }).click();
    await page.getByTestId('chart-hotspot-map').locator('canvas').waitFor();
    // The analyst sees why they cannot decide; the supervisor confirms it into a proactive order.
    await hotspot.getByText('仅督办员可确认或驳回').waitFor();
    expect(await hotspot.getByRole('button', { name: /确\s?认/ }).isDisabled()).toBe(true);
    await screenshot(page, 'analytics-hotspots');

    const supervisorContext = await newContext(browser, h.consoleUrl);
    try {
      const supervisor = await loginAs(supervisorContext, demoLoginName('supervisor'), DEMO_PASSWORD);
      errors.push(...watchErrors(supervisor));
      await supervisor.goto('/analytics/hotspots');
      const theirs = row(supervisor.getByTestId('hotspots'), '噪音扰民');
      await theirs.getByRole('button', { name: /确\s?认/ }).click();
      await theirs.getByTestId('hotspot-status').filter({ hasText: '已确认' }).waitFor();
      await screenshot(supervisor, 'analytics-hotspots-confirmed');
    } finally {
      await supervisorContext.close();
    }
  });
});

describe('reports', () => {
  it('generates the monthly ranking, opens it, downloads it as Excel and as a PDF with its Chinese title', async () => {
    await page.getByRole('menuitem', { name: '统计报表' }).click();
    await page.waitForURL('**/analytics/reports');
    await page.getByRole('button', { name: /生成报表/ }).click();
    await page.getByTestId('generated').filter({ hasText: MONTH_TITLE }).waitFor();
    const report = row(page.getByTestId('reports'), MONTH_TITLE);
    await report.waitFor();
    await screenshot(page, 'analytics-reports');

    await report.getByTestId('report-title').click();
    const frame = page.frameLocator('[data-testid=report-frame]');
    await frame.locator('h1', { hasText: MONTH_TITLE }).waitFor();
    await frame.locator('h2', { hasText: '红黑榜' }).waitFor();
    await screenshot(page, 'analytics-report-open');
    await page.keyboard.press('Escape');

    const [xlsx] = await Promise.all([page.waitForEvent('download'), report.getByTestId('download-xlsx').click()]);
    const xlsxPath = join(tmp, 'report.xlsx');
    await xlsx.saveAs(xlsxPath);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(xlsxPath));
    expect(wb.getWorksheet('概要')?.getCell('A1').value).toBe(MONTH_TITLE);
    expect(wb.getWorksheet('红榜')?.getRow(2).getCell(2).value).toContain('市场监督管理局');

    const [pdf] = await Promise.all([page.waitForEvent('download'), report.getByTestId('download-pdf').click()]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    const pdfPath = join(tmp, 'report.pdf');
    await pdf.saveAs(pdfPath);
    expect(readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(text).toContain(MONTH_TITLE);
    expect(text).toContain('红榜');
    // The first page as a picture (what a person sees when they open it), kept with the screenshots.
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdfPath, join(tmp, 'page')]);
    const png = readFileSync(join(tmp, 'page.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(10_000);
    copyFileSync(join(tmp, 'page.png'), join(SCREENSHOTS, 'analytics-report-pdf.png'));
  });

  it('ran clean in the browser', () => {
    expect(errors).toEqual([]);
  });
});
