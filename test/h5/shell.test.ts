import http from 'node:http';
import { toastText, useH5App } from '../harness/browser';
import { signLinkToken } from '../../src/core/auth';
import { residentSession, staffSession } from '../factories';

const h5 = useH5App();

/** The resident the browser's cookie belongs to, asked from inside the page. */
async function meInPage(page: import('playwright-core').Page): Promise<{ id: string; nickname: string; regionCode: string | null }> {
  return page.evaluate(async () => (await fetch('/api/v1/me')).json());
}

describe('serving the pages', () => {
  it('redirects / to /h5/ and /h5 to /h5/', async () => {
    expect((await h5.app.get('/')).headers.get('location')).toBe('/h5/');
    expect((await h5.app.get('/h5')).headers.get('location')).toBe('/h5/');
  });

  it('serves index.html uncached and hashed assets cached for a year, precompressed', async () => {
    const index = await h5.app.get('/h5/');
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.body).toContain('lang="zh-CN"');
    const script = /src="(\/h5\/assets\/[^"]+\.js)"/.exec(index.body as string)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(h5.app.baseUrl + script, { headers: { 'accept-encoding': 'br' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('br');
    expect(asset.headers.get('content-type')).toContain('javascript');
  });

  it('answers a revalidation of index.html with 304', async () => {
    const first = await h5.app.get('/h5/');
    // node:http, not fetch: fetch adds `Cache-Control: no-cache` to a conditional request.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      http
        .get(`${h5.app.baseUrl}/h5/`, { headers: { 'if-modified-since': first.headers.get('last-modified')! } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        })
        .on('error', reject);
    });
    expect(status).toBe(304);
  });

  it('answers an unknown file under /h5/ with the JSON 404', async () => {
    const res = await h5.app.get('/h5/assets/nope.js');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

describe('resident shell', () => {
  h5.it('opens an anonymous session and shows the four entries on the home page', async ({ page }) => {
    await page.goto(h5.url('/'));
    for (const entry of ['知识问答', '志愿服务', '随手拍', '问卷调查']) await page.locator('.entry', { hasText: entry }).waitFor();
    await page.getByText('创建全国文明城市').waitFor();
    await page.getByText('明州市').waitFor();
    const me = await meInPage(page);
    expect(me.id).toMatch(/^[0-9a-f]{24}$/);
    await page.getByText(`您好，${me.nickname}`).waitFor();
    expect(await page.title()).toBe('文明城市创建');
  });

  h5.it('lets residents pinch to zoom (适老化: no maximum-scale, no user-scalable=no)', async ({ page }) => {
    await page.goto(h5.url('/'));
    const viewport = await page.locator('meta[name="viewport"]').getAttribute('content');
    expect(viewport).toContain('width=device-width');
    expect(viewport).not.toMatch(/user-scalable\s*=\s*(no|0)|maximum-scale/);
  });

  h5.it('keeps the same resident across reloads', async ({ page }) => {
    await page.goto(h5.url('/'));
    await page.locator('.entry').first().waitFor();
    const first = await meInPage(page);
    await page.reload();
    await page.locator('.entry').first().waitFor();
    expect((await meInPage(page)).id).toBe(first.id);
  });

  h5.it('routes an entry to its page and back home', async ({ page }) => {
    await page.goto(h5.url('/'));
    await page.locator('.entry', { hasText: '随手拍' }).click();
    await page.getByText('发现不文明现象？拍下来告诉我们').waitFor();
    expect(page.url()).toMatch(/#\/tipoff$/);
    expect(await page.title()).toBe('随手拍 · 文明城市创建');
    await page.locator('.van-nav-bar__left').click();
    await page.locator('.entry', { hasText: '知识问答' }).waitFor();
  });

  h5.it('picks district, street and community and shows it on 我的', async ({ page, app }) => {
    await page.goto(h5.url('/me'));
    await page.getByText('尚未选择社区').waitFor();
    await page.locator('.region-cell').click();
    const cascader = page.locator('.van-cascader');
    await cascader.getByText('东湖区', { exact: true }).click();
    await cascader.getByText('湖滨街道', { exact: true }).click();
    await cascader.getByText('望湖社区', { exact: true }).click();
    expect(await toastText(page)).toBe('已保存');
    await page.locator('.community', { hasText: '东湖区 湖滨街道 望湖社区' }).waitFor();
    expect((await meInPage(page)).regionCode).toBe('330201001002');
    // the home page stops asking for a community
    await page.locator('.van-tabbar-item', { hasText: '首页' }).click();
    await page.locator('.hero-region', { hasText: '望湖社区' }).waitFor();
    expect(await page.getByText('选择所在社区').count()).toBe(0);
    void app;
  });

  h5.it('edits the nickname on 我的', async ({ page }) => {
    await page.goto(h5.url('/me'));
    await page.locator('.nickname').click();
    const field = page.locator('.van-dialog input');
    await field.fill('文明小卫士');
    await page.locator('.van-dialog__confirm').click();
    expect(await toastText(page)).toBe('昵称已修改');
    await page.locator('.nickname', { hasText: '文明小卫士' }).waitFor();
    expect((await meInPage(page)).nickname).toBe('文明小卫士');
  });

  h5.it('refuses an invalid nickname with the API message and keeps the dialog open', async ({ page }) => {
    await page.goto(h5.url('/me'));
    await page.locator('.nickname').click();
    await page.locator('.van-dialog input').fill('<b>');
    await page.locator('.van-dialog__confirm').click();
    expect(await toastText(page)).toBe('昵称不能包含 < 或 >');
    await page.locator('.van-dialog input').waitFor();
  });

  h5.it('opens a bot link as the same resident, on the page it names', async ({ page, app }) => {
    const { id } = await residentSession(app, { nickname: '机器人用户', regionCode: '330201001001' });
    await page.goto(`/h5/link?t=${encodeURIComponent(signLinkToken(id, '/me'))}`);
    await page.locator('.nickname', { hasText: '机器人用户' }).waitFor();
    expect(page.url()).toMatch(/\/h5\/#\/me$/);
    await page.getByText('东湖区 湖滨街道 柳岸社区').first().waitFor();
    expect((await meInPage(page)).id).toBe(id);
  });

  h5.it('opens 消息 from 我的', async ({ page }) => {
    await page.goto(h5.url('/me'));
    await page.locator('.van-cell', { hasText: '消息' }).click();
    await page.getByText('暂无消息').waitFor();
  });
});

describe('staff console', () => {
  h5.it('sends an anonymous visitor to the login page', async ({ page }) => {
    await page.goto(h5.url('/console'));
    await page.getByText('文明城市创建工作台').waitFor();
    expect(page.url()).toMatch(/#\/console\/login\?next=\/console$/);
  });

  h5.it('rejects a bad password with a Chinese message', async ({ page, app }) => {
    const { username } = await staffSession(app, 'office');
    await page.goto(h5.url('/console/login'));
    await page.getByPlaceholder('请输入用户名').fill(username);
    await page.getByPlaceholder('请输入密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    expect(await toastText(page)).toBe('用户名或密码错误');
    expect(page.url()).toMatch(/#\/console\/login/);
  });

  h5.it('signs an office user in to the office entries, and out again', async ({ page, app }) => {
    const { username } = await staffSession(app, 'office');
    await page.goto(h5.url('/console'));
    await page.getByPlaceholder('请输入用户名').fill(username);
    await page.getByPlaceholder('请输入密码').fill('password-123');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('文明办', { exact: true }).waitFor();
    for (const entry of ['随手拍处置', '数据看板', '题库管理', '问卷管理', '活动管理'])
      await page.locator('.van-grid-item', { hasText: entry }).waitFor();
    expect(await page.locator('.van-grid-item', { hasText: '我的待办' }).count()).toBe(0);
    await page.locator('.van-grid-item', { hasText: '数据看板' }).click();
    await page.locator('.kpi[data-kpi="awareness"]').waitFor();
    await page.goto(h5.url('/console'));
    await page.getByRole('button', { name: '退出' }).click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.getByText('文明城市创建工作台').waitFor();
    // the cookie is gone: the console asks for a login again
    await page.goto(h5.url('/console'));
    await page.getByPlaceholder('请输入用户名').waitFor();
  });

  h5.it('shows a unit user only 我的待办 and 工作通知, and keeps it out of office pages', async ({ page, app }) => {
    const { username } = await staffSession(app, 'unit', 'cgj');
    await page.goto(h5.url('/console/login'));
    await page.getByPlaceholder('请输入用户名').fill(username);
    await page.getByPlaceholder('请输入密码').fill('password-123');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.van-grid-item', { hasText: '我的待办' }).waitFor();
    expect(await page.locator('.van-grid-item').allTextContents()).toEqual(['我的待办', '工作通知']);
    await page.goto(h5.url('/console/dashboard'));
    expect(await toastText(page)).toBe('无权访问该页面');
    await page.locator('.van-grid-item', { hasText: '我的待办' }).waitFor();
  });

  h5.it('asks a signed-in staff member before turning the browser into a resident', async ({ page, app }) => {
    const { username } = await staffSession(app, 'office');
    await page.goto(h5.url('/console/login'));
    await page.getByPlaceholder('请输入用户名').fill(username);
    await page.getByPlaceholder('请输入密码').fill('password-123');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.van-grid-item').first().waitFor();
    await page.goto(h5.url('/'));
    await page.getByText('当前为工作人员登录').waitFor();
    await page.getByRole('button', { name: '进入工作台' }).click();
    await page.locator('.van-grid-item').first().waitFor();
    await page.goto(h5.url('/me'));
    await page.getByRole('button', { name: '以居民身份继续' }).click();
    await page.locator('.stats').waitFor();
    expect((await meInPage(page)).id).toMatch(/^[0-9a-f]{24}$/);
  });
});
