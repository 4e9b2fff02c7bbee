import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { extraMiddleware, startTestApp, type TestApp } from './app';

/**
 * Browser tests of the H5 pages: real Chromium (Debian's, through playwright-core) on a 375×667
 * phone, against the real service from `startTestApp()` with the H5 pages mounted. The pages are
 * built once per run by jest's globalSetup (global-setup.ts), never by the test workers.
 *
 *   const h5 = useH5App();
 *   h5.it('shows the four entries on the home page', async ({ page }) => {
 *     await page.goto(h5.url('/'));
 *     await page.getByText('知识问答').waitFor();
 *   });
 *
 * Each `h5.it` gets a fresh browser context (own cookies); when it fails, a screenshot of every
 * page it opened is kept in test-artifacts/h5/. Uncaught page errors and CSP violations fail it.
 * WM_SCREENSHOTS=all keeps a screenshot of every test, to look at the pages.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.resolve(__dirname, '../../test-artifacts/h5');
const DIST_INDEX = path.resolve(__dirname, '../../src/h5/dist/index.html');

export const MOBILE_UA =
  'Mozilla/5.0 (Linux; Android 13; V2231A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36';
/** What WeChat's in-app browser (XWeb) sends: `MicroMessenger` is how the H5 knows it is inside WeChat. */
export const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 13; V2231A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2410 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
  });
}

export interface PhoneOptions {
  /** open as WeChat's in-app browser (user agent) */
  wechat?: boolean;
  /** an office desktop (1366×900, mouse, desktop Chrome) instead of the phone */
  desktop?: boolean;
}

export const DESKTOP_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

export async function newPhoneContext(browser: Browser, baseURL: string, opts: PhoneOptions = {}): Promise<BrowserContext> {
  if (opts.desktop) {
    const desktop = await browser.newContext({
      baseURL,
      viewport: { width: 1366, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      userAgent: DESKTOP_UA,
    });
    desktop.setDefaultTimeout(10_000);
    return desktop;
  }
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 375, height: 667 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    userAgent: opts.wechat ? WECHAT_UA : MOBILE_UA,
  });
  context.setDefaultTimeout(10_000);
  return context;
}

export interface H5TestInput {
  page: Page;
  context: BrowserContext;
  app: TestApp;
  /** another page in the same context (same cookies); kept in screenshots too */
  newPage(): Promise<Page>;
}

export interface H5Harness {
  readonly app: TestApp;
  readonly browser: Browser;
  /** the URL of an H5 route, e.g. url('/me') → http://127.0.0.1:port/h5/#/me */
  url(route?: string): string;
  it(name: string, fn: (t: H5TestInput) => Promise<void>, opts?: PhoneOptions & { timeout?: number }): void;
}

const slug = (s: string) =>
  s
    .replace(/[^\w\u4e00-\u9fa5-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 80);

async function keepScreenshots(pages: Page[], testName: string, suffix: string): Promise<string[]> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = slug(path.basename(expect.getState().testPath ?? 'h5').replace(/\.test\.ts$/, ''));
  const kept: string[] = [];
  for (const [i, page] of pages.entries()) {
    if (page.isClosed()) continue;
    const out = path.join(ARTIFACTS_DIR, `${file}--${slug(testName)}${pages.length > 1 ? `-${i + 1}` : ''}${suffix}.png`);
    await page.screenshot({ path: out, fullPage: true }).then(
      () => kept.push(out),
      () => undefined,
    );
  }
  return kept;
}

/** Starts the service with the H5 pages and a Chromium for this test file (beforeAll/afterAll). */
export function useH5App(): H5Harness {
  let app: TestApp | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!fs.existsSync(DIST_INDEX))
      throw new Error('H5 build missing: jest globalSetup builds it (test/harness/global-setup.ts); or run `npm run h5:build`');
    const { serveH5 } = await import('../../src/modules/h5/h5.static');
    extraMiddleware.push(serveH5(path.dirname(DIST_INDEX)));
    [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const harness: H5Harness = {
    get app() {
      if (!app) throw new Error('useH5App: the app starts in beforeAll');
      return app;
    },
    get browser() {
      if (!browser) throw new Error('useH5App: the browser starts in beforeAll');
      return browser;
    },
    url: (route = '/') => `${harness.app.baseUrl}/h5/#${route}`,
    it(name, fn, opts = {}) {
      it(
        name,
        async () => {
          const context = await newPhoneContext(harness.browser, harness.app.baseUrl, opts);
          const pages: Page[] = [];
          const problems: string[] = [];
          context.on('page', (p) => {
            pages.push(p);
            p.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
            p.on('console', (m) => {
              if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
            });
          });
          try {
            const page = await context.newPage();
            await fn({ page, context, app: harness.app, newPage: () => context.newPage() });
            if (problems.length) throw new Error(`the page reported problems:\n${problems.join('\n')}`);
            if (process.env.WM_SCREENSHOTS === 'all') await keepScreenshots(pages, name, '');
          } catch (err) {
            const kept = await keepScreenshots(pages, name, '-FAILED');
            const e = err as Error;
            e.message += `${problems.length ? `\n${problems.join('\n')}` : ''}${kept.length ? `\nscreenshot: ${kept.join(', ')}` : ''}`;
            throw e;
          } finally {
            await context.close();
          }
        },
        opts.timeout,
      );
    },
  };
  return harness;
}

/** The text of the Vant toast showing now (waits for one to appear). */
export async function toastText(page: Page): Promise<string> {
  // Read the text in the same in-page poll that sees the toast: a toast lasts two seconds, and
  // a wait followed by a separate read can miss it on a loaded machine.
  const handle = await page.waitForFunction(() => {
    const shown = Array.from(document.querySelectorAll<HTMLElement>('.van-toast .van-toast__text')).filter(
      (el) => el.offsetParent !== null || el.getClientRects().length > 0,
    );
    return shown.at(-1)?.textContent?.trim() || false;
  });
  return String(await handle.jsonValue());
}

/** Signs a staff account (password password-123, as the factories make them) in on the console login page; the caller waits for where it lands. */
export async function consoleSignIn(page: Page, h5: H5Harness, username: string): Promise<void> {
  await page.goto(h5.url('/console/login'));
  await page.getByPlaceholder('请输入用户名').fill(username);
  await page.getByPlaceholder('请输入密码').fill('password-123');
  await page.getByRole('button', { name: '登录' }).click();
}
