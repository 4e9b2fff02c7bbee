import { testEnv } from '../harness/env';

testEnv();
/* eslint-disable @typescript-eslint/no-require-imports */
const { modules } = require('../../src/modules') as typeof import('../../src/modules');
const manifest = require('../../src/modules/manifest') as typeof import('../../src/modules/manifest');
const { allFlows } = require('../../bots/flows') as typeof import('../../bots/flows');

beforeAll(() => manifest.installModules(modules));

describe('the module manifest', () => {
  it('lists the participation kinds the features declare, each with its Chinese name', () => {
    const kinds = manifest.participationKinds().map((k) => [k.kind, k.name]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['quiz', '知识问答'],
        ['survey', '问卷调查'],
        ['signup', '活动报名'],
        ['checkin', '活动签到'],
        ['tipoff', '随手拍'],
      ]),
    );
    expect(new Set(kinds.map(([k]) => k)).size).toBe(kinds.length);
    expect(manifest.kindName('tipoff')).toBe('随手拍');
  });

  it('gives the resident summary one key per counted kind', () => {
    const keys = manifest.participationKinds().flatMap((k) => (k.summary ? [k.summary.key] : []));
    expect(keys).toEqual(expect.arrayContaining(['activities', 'quizzes', 'surveys', 'tipoffs']));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('names every retention count once, in Chinese', () => {
    const keys = manifest.retentionRules().flatMap((r) => Object.keys(r.labels));
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of manifest.retentionRules()) for (const label of Object.values(r.labels)) expect(label).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('knows who may see a tip-off photo, and nobody for an owner no module declares', () => {
    expect(manifest.mediaAccessRule('tipoff')).toBeDefined();
    expect(manifest.mediaAccessRule('nothing')).toBeUndefined();
  });

  it("gives the bot a flow list with unique names, its own flows and the modules' flows", () => {
    const names = allFlows().map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['menu', 'quiz', 'volunteer', 'tipoff', 'survey', 'me']));
  });

  it("gives the job runner every module's jobs", () => {
    expect(manifest.declaredJobs().map((j) => j.name)).toEqual(
      expect.arrayContaining(['privacy.retention', 'stats.reconcile', 'briefs.weekly']),
    );
  });
});
