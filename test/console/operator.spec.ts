/**
 * The operator's screens in a real browser (Debian Chromium) against the six built apps on real
 * Postgres and NATS: login lands on each role's home; Ms Liu's lift call (the suggestion offers the
 * lift category, the address places her in Chengxi, she gets an order number and token); a merge
 * offered while the second caller about the same lift is typed; a refusal read out; an inquiry
 * answered at first contact from the knowledge base; the search by number, phone and a word.
 * Screenshots at 1366×768 go to docs/console/.
 */
import { Client } from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ConsoleClient, DEMO_PASSWORD, demoLoginName, Harness, startHarness } from '../harness';
import { launchBrowser, loginAs, newContext, screenshot, watchErrors } from './browser';

jest.setTimeout(180_000);

let h: Harness;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  h = await startHarness();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const login = async (key: string): Promise<Page> => {
  context = await newContext(browser, h.consoleUrl);
  const p = await loginAs(context, demoLoginName(key), DEMO_PASSWORD);
  errors = watchErrors(p);
  return p;
};

describe('login lands on the role’s home', () => {
  test('the login page, and a wrong password said in Chinese next to the button, keeping what was typed', async () => {
    const ctx = await newContext(browser, h.consoleUrl);
    const p = await ctx.newPage();
    await p.goto('/intake/desk');
    await p.waitForURL(/\/login\?returnTo=/);
    await p.getByLabel('登录名').fill('operator');
    await p.getByLabel('密码', { exact: true }).fill('wrong-password');
    await p.getByRole('button', { name: /登\s*录/ }).click();
    await expectText(p.getByRole('alert'), '登录名或密码不正确');
    expect(await p.getByLabel('登录名').inputValue()).toBe('operator');
    await screenshot(p, 'login');
    await ctx.close();
  });

  test.each([
    ['operator', '受理台', '/intake/desk'],
    ['dispatcher', '待派工单', '/dispatch/queues'],
    ['handlerStreet', '我的待办', '/handling/worklist'],
    ['unitHead', '待签批', '/handling/sign-off'],
    ['callbackAgent', '待回访', '/callback/tasks'],
    ['supervisor', '督办清单', '/supervision/list'],
    ['analyst', '数据看板', '/analytics/dashboard'],
  ])('%s → %s', async (key, title, path) => {
    const p = await login(key);
    await p.waitForURL(`**${path}`);
    await expectText(p.getByRole('heading', { level: 1 }), title);
    if (key === 'callbackAgent') await p.getByTestId('take-next').waitFor();
    await context.close();
  });
});

describe('a screen of another role', () => {
  test('answers 403 in Chinese, naming whose screen it is; English by the switch; the API says the same by code', async () => {
    const p = await login('operator');
    await p.waitForURL('**/intake/desk');
    await p.goto('/dispatch/queues');
    await p.locator('.ant-result').waitFor({ timeout: 30_000 });
    await expectText(p.locator('.ant-result-title'), '无权访问此页面');
    await expectText(p.locator('.ant-result-subtitle'), '此页面供派单员使用，您的角色是话务员');
    await screenshot(p, 'forbidden');
    await p.getByLabel('语言').click();
    await p.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'English' }).click();
    await expectText(p.locator('.ant-result-title'), 'You may not open this page');
    await expectText(p.locator('.ant-result-subtitle'), 'This page is for: Dispatcher. Your roles: Operator.');
    // The console's own role guard and a service's both refuse with the roles by code, for the screen to name them.
    const refusals = await p.evaluate(async () =>
      Promise.all(
        ['/admin/accounts', '/api/dispatch/routing/rules?districtCode=630104'].map(async (url) => {
          const r = await fetch(url, { credentials: 'same-origin' });
          return { status: r.status, body: await r.json() };
        }),
      ),
    );
    expect(refusals).toMatchObject([
      { status: 403, body: { code: 'role_required', roles: ['admin'] } },
      { status: 403, body: { code: 'role_required', roles: ['dispatcher', 'supervisor', 'analyst'] } },
    ]);
    await context.close();
  });
});

async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout: 15_000 });
}

describe('the operator takes calls (受理台)', () => {
  let liuOrderNo = '';

  beforeAll(async () => {
    page = await login('operator');
    await page.waitForURL('**/intake/desk');
  });

  afterAll(async () => {
    await context.close();
  });

  test("Ms Liu's lift: suggested category, placed in Chengxi, order number and token", async () => {
    // The live stream (GET /events) is open: the header says 实时.
    await expectText(page.locator('.ant-layout-header'), '实时');
    const phone = page.getByLabel('来电号码');
    await phone.fill('13997005555');
    await page.getByLabel('诉求人姓名').fill('刘晓梅');
    await page.getByLabel('诉求内容').fill('我家楼里的电梯忽上忽下，突然下坠又升起，很危险');
    await page.getByLabel('事发地址').fill('西宁市城西区胜利路社区12号楼3单元');
    await expectText(page.getByTestId('category-suggestions'), '电梯');
    // The address places itself down to the community (社区/村), and the pickers show it.
    await expectText(page.getByTestId('placed'), '城西区 · 胜利路街道 · 胜利路社区');
    await expectText(page.locator('.ant-form-item').filter({ hasText: '社区/村' }), '胜利路社区');
    await screenshot(page, 'operator-desk-lift');
    await page.keyboard.press('Control+Enter');
    const orderNo = page.getByTestId('order-no');
    await orderNo.waitFor({ state: 'visible', timeout: 20_000 });
    liuOrderNo = (await orderNo.innerText()).trim();
    expect(liuOrderNo).toMatch(/^\d{8}-\d{6}$/);
    // The status token reads aloud in groups of four, on one line (monospace, no wrap at 1366×768).
    const token = page.getByTestId('status-token');
    expect(await token.getAttribute('aria-label')).toMatch(/^(\S{4} )+\S{1,4}$/);
    expect((await token.boundingBox())!.height).toBeLessThan(36);
    await expectText(page.locator('.ant-result'), '受理成功');
    await expectText(page.getByTestId('result-place'), '胜利路社区');
    await screenshot(page, 'operator-result');
    expect(errors).toEqual([]);
  });

  test('a second caller about the same lift: the merge is offered while typing', async () => {
    await page.keyboard.press('Alt+N');
    await page.getByLabel('来电号码').waitFor();
    await page.getByLabel('来电号码').fill('13997006666');
    await page.getByLabel('诉求人姓名').fill('张建国');
    await page.getByLabel('诉求内容').fill('我们楼里的电梯忽上忽下，还突然下坠，太危险了');
    await page.getByLabel('事发地址').fill('西宁市城西区胜利路社区12号楼3单元');
    const offered = page.getByTestId('duplicates').locator('.ant-list-item').filter({ hasText: liuOrderNo });
    await offered.getByRole('button', { name: /合\s*并/ }).click({ timeout: 20_000 });
    await expectText(page.getByRole('alert'), liuOrderNo);
    await screenshot(page, 'operator-merge-offered');
    await page.keyboard.press('Control+Enter');
    await expectText(page.locator('.ant-result'), '已合并到在办工单');
  });

  test('a refusal read out to the caller (不予受理)', async () => {
    await page.keyboard.press('Alt+N');
    await page.getByLabel('来电号码').fill('13997007777');
    await page.getByLabel('诉求人姓名').fill('赵敏');
    await page.getByLabel('诉求内容').fill('我和公司的劳动合同纠纷已经在法院起诉了，想让热线催一下法院');
    await page.getByLabel('事发地址').fill('西宁市城西区胜利路20号');
    // Placed to the street only: the operator picks the community by keyboard (type to search, Enter).
    await expectText(page.getByTestId('placed'), '胜利路街道');
    const community = page.getByLabel('社区/村');
    await community.focus();
    await community.pressSequentially('公园');
    await page.locator('.ant-select-item-option').filter({ hasText: '公园巷社区' }).waitFor();
    await page.keyboard.press('Enter');
    await expectText(page.locator('.ant-form-item').filter({ hasText: '社区/村' }), '公园巷社区');
    const refusal = page.getByTestId('refusal');
    await refusal.getByRole('combobox').click();
    await page.locator('.ant-select-item-option[title="已进入诉讼程序"]').click();
    await refusal.getByRole('button', { name: /不予受理/ }).click();
    await expectText(page.locator('.ant-result'), '不予受理');
    await expectText(page.getByTestId('public-answer'), '诉讼');
    await expectText(page.getByTestId('result-place'), '城西区 · 胜利路街道 · 公园巷社区');
    await screenshot(page, 'operator-refusal');
  });

  test('an inquiry answered at first contact from the knowledge base', async () => {
    const supervisor = await ConsoleClient.login(h.consoleUrl, demoLoginName('supervisor'), DEMO_PASSWORD);
    const created = await supervisor.post('/api/intake/kb/articles', {
      title: '供暖期和采暖费缴纳',
      body: '西宁市城区供暖期为每年10月15日至次年4月15日。采暖费可在供热公司营业厅或网上缴纳。',
      categoryCodes: ['heating.fee'],
      validFrom: '2020-01-01',
    });
    expect(created.status).toBe(201);
    await page.keyboard.press('Alt+N');
    await page.getByLabel('来电号码').fill('13997008888');
    await page.getByLabel('诉求人姓名').fill('孙丽');
    await page.getByLabel('诉求内容').fill('请问今年供暖从哪天开始');
    await page.getByLabel('事发地址').fill('西宁市城西区胜利路30号');
    const articles = page.getByTestId('articles');
    await expectText(articles, '供暖期和采暖费缴纳');
    await screenshot(page, 'operator-knowledge');
    await articles.getByRole('button', { name: '已直接答复' }).first().click();
    await expectText(page.locator('.ant-result'), '已直接答复');
    await expectText(page.getByTestId('public-answer'), '10月15日');
  });

  test('a caller who does not want the order on the public wall: 不上问题墙 ticked, the order recorded with it', async () => {
    await page.keyboard.press('Alt+N');
    await page.getByLabel('来电号码').fill('13997009999');
    await page.getByLabel('诉求人姓名').fill('马文');
    await page.getByLabel('诉求内容').fill('小区门口的井盖松动，踩上去会晃，请尽快修理');
    await page.getByLabel('事发地址').fill('西宁市城西区胜利路40号');
    await page.getByTestId('wall-opt-out').check();
    await page.keyboard.press('Control+Enter');
    const orderNo = page.getByTestId('order-no');
    await orderNo.waitFor({ state: 'visible', timeout: 20_000 });
    const no = (await orderNo.innerText()).trim();
    const db = new Client({ connectionString: h.database.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ public_wall_opt_out: boolean | null }>(
        `SELECT public_wall_opt_out FROM intake.ticket WHERE order_no = $1`,
        [no],
      );
      expect(rows).toEqual([{ public_wall_opt_out: true }]);
    } finally {
      await db.end();
    }
    expect(errors).toEqual([]);
  });

  test('the search finds the order by number, by phone and by a word of its content', async () => {
    await page.getByRole('menuitem', { name: '工单查询' }).click();
    await page.waitForURL('**/intake/search');
    const search = async (label: string, value: string) => {
      await page.getByRole('button', { name: /重\s*置/ }).click();
      await page.getByLabel(label).fill(value);
      await page.getByRole('button', { name: /查\s*询/ }).click();
      await expectText(page.locator('.ant-table-tbody'), liuOrderNo);
    };
    await search('工单号', liuOrderNo);
    await search('来电号码', '13997005555');
    await search('内容关键词', '下坠');
    await screenshot(page, 'operator-search');
  });
});
