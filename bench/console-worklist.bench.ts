/**
 * The handling unit's worklist with 500 orders: how long from opening the page until the table shows its
 * rows, and until a click on another page of the table has rendered (usable). The built web
 * (dist/console-web, `npm run build:web`) in Debian's Chromium; the console's answers are stubbed in the
 * browser (a handler's session, 500 orders from GET /api/dispatch/orders), so only the web is measured.
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only bench/console-worklist.bench.ts [runs]
 *
 * Prints the median and worst of `runs` (default 5) cold loads. A figure, not an assertion.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const DIST = resolve(__dirname, '../dist/console-web');
const ORIGIN = 'http://console.bench.invalid';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function orders(n: number): object[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    ticketId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    orderNo: `20261205-${String(i + 1).padStart(6, '0')}`,
    districtCode: '630104',
    streetCode: '630104004',
    categoryCode: 'lift',
    requestType: 'complaint',
    urgency: i % 7 === 0 ? 'urgent' : 'ordinary',
    flags: i % 11 === 0 ? ['repeat'] : [],
    content: `第${i + 1}号诉求：小区电梯经常停运，老人上下楼困难，请尽快处理`,
    address: `西宁市城西区胜利路${i + 1}号`,
    identityHidden: false,
    proactive: false,
    transferredTo: null,
    state: ['dispatched', 'signed', 'contacted'][i % 3],
    unitId: '11111111-1111-4111-8111-111111111111',
    assignmentId: null,
    ruleId: null,
    cycle: 1,
    assignedAt: new Date(now - 3 * 86_400_000).toISOString(),
    returnable: true,
    suggestedUnitId: null,
    suggestedRuleId: null,
    assignees: [],
    subUnitId: null,
    attachments: [],
    repliedBy: null,
    reworkCount: 0,
    outcome: null,
    replyText: null,
    respondDueAt: new Date(now + (i - 100) * 3_600_000).toISOString(),
    finishDueAt: new Date(now + (i - 50) * 3 * 3_600_000).toISOString(),
    acceptedAt: new Date(now - 3 * 86_400_000).toISOString(),
    updatedAt: new Date(now).toISOString(),
  }));
}

async function main(): Promise<void> {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/console-web is missing: run `npm run build:web` first');
  const runs = Number(process.argv[2] ?? 5);
  const body = JSON.stringify(orders(500));
  const session = JSON.stringify({
    csrfToken: 'bench',
    user: {
      id: 'h-bench',
      loginName: 'handler-bench',
      displayName: '承办人',
      roles: ['handler'],
      districts: ['630104'],
      unitId: '11111111-1111-4111-8111-111111111111',
      unitName: '胜利路街道',
      mobileMasked: null,
      totpEnabled: false,
      mustChangePassword: false,
    },
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: FLAGS, headless: true });
  const shown: number[] = [];
  const usable: number[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      await context.route('**/*', async (route) => {
        const url = new URL(route.request().url());
        const p = url.pathname;
        if (p === '/auth/session') return route.fulfill({ contentType: 'application/json', body: session });
        if (p === '/api/dispatch/orders') return route.fulfill({ contentType: 'application/json', body });
        if (p.startsWith('/api/')) return route.fulfill({ contentType: 'application/json', body: '[]' });
        if (p === '/events') return route.abort();
        const file = p.startsWith('/assets/') ? join(DIST, p) : join(DIST, 'index.html');
        if (!existsSync(file)) return route.fulfill({ status: 404, body: '' });
        return route.fulfill({ body: readFileSync(file), contentType: TYPES[extname(file)] ?? 'application/octet-stream' });
      });
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(`${ORIGIN}/handling/worklist`);
      const tNav = Date.now();
      await page.getByTestId('worklist').waitFor({ timeout: 30_000 });
      if (r === 0) console.log(`  (first run: document loaded ${tNav - t0} ms, table frame ${Date.now() - t0} ms)`);
      await page.getByTestId('worklist').locator('tr', { hasText: '20261205-000001' }).waitFor({ timeout: 30_000 });
      const t1 = Date.now();
      await page.locator('.ant-pagination-item-10').click();
      await page.getByTestId('worklist').locator('tr', { hasText: '20261205-000451' }).waitFor({ timeout: 30_000 });
      const t2 = Date.now();
      shown.push(t1 - t0);
      usable.push(t2 - t0);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`worklist of 500 orders, ${runs} cold loads at 1366×768:`);
  console.log(`  rows shown        median ${median(shown)} ms, worst ${Math.max(...shown)} ms`);
  console.log(`  page 10 rendered  median ${median(usable)} ms, worst ${Math.max(...usable)} ms (from navigation)`);
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
