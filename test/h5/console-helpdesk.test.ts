import type { Page } from 'playwright-core';
import { staffSession } from '../factories';
import { useH5App } from '../harness/browser';
import { contact, said } from '../bot/helpers';
import { createEngine } from '../../bots/engine';
import { findResidentByIdentity } from '../../src/modules/residents/residents.service';
import { OutboxMessage } from '../../src/modules/outbox/outbox.model';

const h5 = useH5App();
const engine = createEngine();

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(h5.url('/console/login?next=%2Fconsole%2Fhelp'));
  await page.getByPlaceholder('请输入用户名').fill(username);
  await page.getByPlaceholder('请输入密码').fill('password-123');
  await page.getByRole('button', { name: '登录' }).click();
}

/** A resident asks for a person in chat; returns the request number. */
async function askForPerson(contactId: string, words: string): Promise<string> {
  const c = contact(engine, contactId);
  await c.say('你好');
  await c.say('我的');
  return said(await c.say(words)).match(/编号 (R\d{6}[A-Z0-9]{6})/)![1]!;
}

describe('人工服务 in the console', () => {
  h5.it(
    'shows the request with what was said before, and the reply reaches the resident (1366×900)',
    async ({ page, app }) => {
      const id = await askForPerson('help-console', '我要投诉小区物业乱收停车费');
      const office = await staffSession(app, 'office');
      await signIn(page, office.username);
      const row = page.locator('[data-test="help-table"] .el-table__row', { hasText: id });
      await row.waitFor();
      expect(await row.textContent()).toContain('我要投诉小区物业乱收停车费');
      await row.click();
      const drawer = page.locator('.el-drawer');
      await drawer.getByText('此前的对话').waitFor();
      expect(await drawer.locator('.transcript').textContent()).toMatch(/居民：我的/);
      await drawer.getByRole('textbox', { name: '回复内容' }).fill('您好，已转物业主管部门核查，3 个工作日内答复。');
      await drawer.getByRole('button', { name: '回复并办结' }).click();
      await drawer.locator('h3', { hasText: '已回复' }).waitFor();
      const resident = (await findResidentByIdentity('chat', 'help-console'))!;
      const sent = await OutboxMessage.findById(`${resident._id}:help:${id}:1`).lean();
      expect(sent!.text).toMatch(/^【人工回复】您好，已转物业主管部门核查/);
      await drawer.getByRole('button', { name: '回复并办结' }).waitFor({ state: 'detached' });
      expect(await (await app.get(`/api/v1/help-requests/${id}`, { token: office.token })).body.status).toBe('closed');
    },
    { desktop: true, timeout: 60_000 },
  );

  h5.it(
    'is usable at phone width: the list, the request and a reply (375×667)',
    async ({ page, app }) => {
      const id = await askForPerson('help-phone', '客服，志愿时长少算了 2 小时');
      const office = await staffSession(app, 'office');
      await signIn(page, office.username);
      const row = page.locator('[data-test="help-table"] .el-table__row', { hasText: id });
      await row.waitFor();
      await row.click();
      const drawer = page.locator('.el-drawer');
      await drawer.getByRole('textbox', { name: '回复内容' }).fill('已为您核对并补录。');
      await drawer.getByRole('button', { name: '回复', exact: true }).click();
      await drawer.locator('h3', { hasText: '已回复' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    },
    { timeout: 60_000 },
  );
});
