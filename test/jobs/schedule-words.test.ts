import { scheduleInWords } from '../../src/modules/jobs/schedule-words';
import { modules } from '../../src/modules';

describe('a cron schedule in words', () => {
  it.each([
    ['*/5 * * * *', '每 5 分钟'],
    ['*/15 * * * *', '每 15 分钟'],
    ['* * * * *', '每分钟'],
    ['5 * * * *', '每小时第 5 分'],
    ['0 */2 * * *', '每 2 小时（第 0 分）'],
    ['30 2 * * *', '每天 02:30'],
    ['30 8,12 * * *', '每天 08:30、12:30'],
    ['0 9 * * 1', '每周一 09:00'],
    ['0 9 * * 0', '每周日 09:00'],
    ['0 18 * * 1,3,5', '每周一、三、五 18:00'],
    ['0 9 * * 1-5', '每周一至周五 09:00'],
    ['0 10 1 * *', '每月 1 日 10:00'],
    ['0 0 9 * * 1', '每周一 09:00'],
  ])('reads %s as %s', (expr, words) => {
    expect(scheduleInWords(expr)).toBe(words);
  });

  it.each(['0 9 1 1 *', '15,45 9 * * *', '0 9 * * MON', 'not a schedule'])('shows %s as the plan itself rather than guess', (expr) => {
    expect(scheduleInWords(expr)).toBe(`按计划：${expr}`);
  });

  it('gives every declared job a schedule in words, a Chinese title and a Chinese summary of empty counts', () => {
    for (const job of modules.flatMap((m) => m.jobs ?? [])) {
      expect(scheduleInWords(job.schedule)).not.toMatch(/^按计划/);
      expect(job.title).toMatch(/[\u4e00-\u9fa5]/);
      expect(job.summarize({})).toMatch(/[\u4e00-\u9fa5]。$/);
    }
  });
});
