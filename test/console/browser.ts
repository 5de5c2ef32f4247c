/**
 * Shared helpers for the console's browser tests: Debian's Chromium driven by playwright-core, kept off
 * the network (loopback only), 1366×768 by default; log in through the login page as a person; save a
 * screenshot into docs/console/ (committed; look at each one).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DESK = { width: 1366, height: 768 } as const;
export const PHONE = { width: 390, height: 844 } as const;
export const SCREENSHOTS = resolve(__dirname, '../../docs/console');
export const WEB_DIST = resolve(__dirname, '../../dist/console-web');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};
const BACKEND = /^\/(auth|api|admin|directory|events|health|metrics|\.well-known)(\/|$)/;

/**
 * Until the console serves dist/console-web itself, the browser is given the built files directly
 * (everything but the console's own paths); once `GET /` answers HTML, the console serves them.
 */
async function serveWebIfNeeded(context: BrowserContext, baseURL: string): Promise<void> {
  const home = await fetch(new URL('/login', baseURL)).catch(() => null);
  if (home?.ok && (home.headers.get('content-type') ?? '').includes('text/html')) return;
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error('dist/console-web is missing: run `npm run build` first');
  const origin = new URL(baseURL).origin;
  await context.route(
    (url) => url.origin === origin && !BACKEND.test(url.pathname),
    async (route) => {
      const path = new URL(route.request().url()).pathname;
      const file = path.startsWith('/assets/') ? join(WEB_DIST, path) : join(WEB_DIST, 'index.html');
      if (!file.startsWith(WEB_DIST) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
      await route.fulfill({ status: 200, body: readFileSync(file), contentType: TYPES[extname(file)] ?? 'application/octet-stream' });
    },
  );
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/** A fresh context (own cookies) in zh-CN, Asia/Shanghai, at the desk's screen size. */
export async function newContext(
  browser: Browser,
  baseURL: string,
  viewport: { width: number; height: number } = DESK,
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  // Nothing but the console under test: any other host is refused.
  const origin = new URL(baseURL).origin;
  await context.route(
    (url) => url.origin !== origin,
    (route) => route.abort(),
  );
  await serveWebIfNeeded(context, baseURL);
  return context;
}

/** Opens /login and signs in; resolves once the role's home has rendered its header. */
export async function loginAs(context: BrowserContext, loginName: string, password: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('登录名').fill(loginName);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('user-name').waitFor({ state: 'visible', timeout: 20_000 });
  return page;
}

/** Saves docs/console/<name>.png at the page's viewport (not the full page: what a person sees). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  // Let fonts and Ant Design's motion settle so the picture is what a person sees.
  await page.evaluate('document.fonts.ready');
  await page.waitForTimeout(400);
  await page.screenshot({ path, animations: 'disabled' });
  return path;
}

/** Collects console errors and failed requests, so a test can assert the page ran clean. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}
