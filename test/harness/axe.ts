import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/**
 * Accessibility checks with axe-core (the engine of Lighthouse and of the MIIT 适老化 audits'
 * usual tooling) on a page as it is now. Only `critical` and `serious` violations fail: they are
 * what blocks a screen-reader or low-vision user; `moderate`/`minor` are reported in the message
 * of a failure but do not fail by themselves.
 *
 *   await expectNoSeriousA11yViolations(page, '首页');
 */
export interface A11yViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

export interface A11yOptions {
  /** CSS selectors axe leaves out; the caller says why beside each one */
  exclude?: string[];
}

export async function seriousA11yViolations(page: Page, opts: A11yOptions = {}): Promise<A11yViolation[]> {
  const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  for (const selector of opts.exclude ?? []) builder.exclude(selector);
  const result = await builder.analyze();
  return result.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => ({
      id: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
}

export async function expectNoSeriousA11yViolations(page: Page, label: string, opts: A11yOptions = {}): Promise<void> {
  const violations = await seriousA11yViolations(page, opts);
  if (violations.length === 0) return;
  const lines = violations.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n      ${v.targets.join('\n      ')}`);
  throw new Error(`axe-core on ${label}: ${violations.length} critical/serious violation(s)\n${lines.join('\n')}`);
}
