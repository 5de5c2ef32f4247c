/**
 * The urgent ring in a real browser: a handler keeps the worklist open with browser notifications
 * allowed (Playwright grants the permission); a new urgent order dispatched to their street office
 * rings (the tone starts) and shows a notification naming the order; an ordinary order does neither.
 * The six built apps (test/harness) on the real Postgres and NATS; Debian's Chromium. The sound and the
 * notification are observed through an init script that records every `new Notification(...)` and
 * every oscillator or <audio> started, before calling the browser's own.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, loginAs, newContext, screenshot, watchErrors } from './browser';
import { ConsoleClient, DEMO_PASSWORD, demoLoginName, Harness, startHarness } from '../harness';

jest.setTimeout(240_000);

let h: Harness;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  h = await startHarness();
  browser = await launchBrowser();
});
afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await h?.stop();
});

interface Rang {
  notifications: { title: string; body: string; tag: string }[];
  tones: number;
}

/**
 * Runs in the page before its scripts (plain JS: the tests compile without the DOM's types): wraps
 * Notification and the two ways a page can make a sound, recording each into window.__rang.
 */
const HOOK_RING = `
  window.__rang = { notifications: [], tones: 0 };
  const Native = window.Notification;
  class Recorded extends Native {
    constructor(title, options) {
      super(title, options);
      window.__rang.notifications.push({ title, body: (options && options.body) || '', tag: (options && options.tag) || '' });
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Native.permission });
  window.Notification = Recorded;
  const start = AudioScheduledSourceNode.prototype.start;
  AudioScheduledSourceNode.prototype.start = function (...args) {
    window.__rang.tones += 1;
    return start.apply(this, args);
  };
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    window.__rang.tones += 1;
    return play.call(this);
  };
`;

const rang = (page: Page) => page.evaluate<Rang>('window.__rang');

async function takeCall(urgency: 'urgent' | 'ordinary', content: string): Promise<{ id: string; orderNo: string }> {
  const operator = await ConsoleClient.login(h.consoleUrl, demoLoginName('operator'), DEMO_PASSWORD);
  const r = await operator.post<{ id: string; orderNo: string }>('/api/intake/tickets', {
    channel: 'phone_12345',
    requestType: 'complaint',
    categoryCode: 'noise',
    urgency,
    content,
    citizen: { name: '马先生', phone: urgency === 'urgent' ? '13897001001' : '13897001002' },
    // Shengli Road's own matter: the rules send it straight to the street office (直派街乡镇).
    location: { address: '西宁市城西区胜利路12号', districtCode: '630104', streetCode: '630104004' },
  });
  if (r.status !== 201) throw new Error(`intake answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

test('a new urgent order dispatched to the street office rings for its handler: a tone and a notification', async () => {
  context = await newContext(browser, h.consoleUrl);
  await context.grantPermissions(['notifications'], { origin: new URL(h.consoleUrl).origin });
  await context.addInitScript({ content: HOOK_RING });
  const page = await loginAs(context, demoLoginName('handlerStreet'), DEMO_PASSWORD);
  const errors = watchErrors(page);
  await page.goto('/handling/worklist');
  await page.getByTestId('worklist').waitFor();
  expect(await page.evaluate<string>('Notification.permission')).toBe('granted');
  // The live feed is open before the orders arrive.
  await page.getByRole('button', { name: '实时', exact: true }).waitFor({ timeout: 15_000 });

  const ordinary = await takeCall('ordinary', '楼下烧烤店每晚噪声扰民到凌晨，请处理');
  await page.getByTestId('worklist').locator('.ant-table-row', { hasText: ordinary.orderNo }).waitFor({ timeout: 15_000 });
  expect(await rang(page)).toEqual({ notifications: [], tones: 0 });

  const urgent = await takeCall('urgent', '工地深夜施工噪声极大，老人心脏病发作，请立即制止');
  await page.waitForFunction('window.__rang.notifications.length > 0', undefined, { timeout: 15_000 });
  const r = await rang(page);
  expect(r.tones).toBeGreaterThanOrEqual(1);
  expect(r.notifications).toHaveLength(1);
  expect(r.notifications[0]).toEqual({ title: '新的紧急工单', body: `工单 ${urgent.orderNo} 为紧急诉求，请立即处理`, tag: urgent.id });
  await page.getByTestId('worklist').locator('.ant-table-row', { hasText: urgent.orderNo }).waitFor({ timeout: 15_000 });
  await screenshot(page, 'handling-urgent-ring');
  expect(errors).toEqual([]);
});
