/**
 * Repairs of Element Plus's and Vant's ARIA where no prop reaches it, applied to the live DOM while
 * the console shell is mounted (neither library is forked). axe-core flags each of these on the
 * console pages (test/h5/a11y-console.test.ts); a MutationObserver re-applies them whenever the
 * libraries render, including dialogs and pickers appended to <body>:
 *
 * - Element Plus puts `aria-checked="mixed"` on the <label> of a half-checked checkbox (a table's
 *   "select all"), where ARIA forbids it; the native input inside already says "mixed";
 * - the pager's page-size select has no name: "每页条数";
 * - Vant's dialog names itself with `aria-labelledby="<its title text>"`, an id that does not exist:
 *   the text becomes its `aria-label`;
 * - Vant's overlay is a role="button" (click to close) without a name: "关闭";
 * - a Vant picker column is a <ul> whose items are buttons, not list items: the list role goes;
 * - a tab's `aria-controls` names a panel that is not in the page (tabs used as a filter, without
 *   panels): the attribute goes, an id that does not exist helps nobody.
 *
 * Each repair removes or adds what its selector matches on, so a repaired node no longer matches and
 * the observer never loops.
 */
const REPAIRS: ReadonlyArray<[selector: string, repair: (el: HTMLElement) => void]> = [
  ['label.el-checkbox[aria-checked]', (el) => el.removeAttribute('aria-checked')],
  ['.el-pagination__sizes input:not([aria-label])', (el) => el.setAttribute('aria-label', '每页条数')],
  [
    '[role="dialog"][aria-labelledby]',
    (el) => {
      const named = el.getAttribute('aria-labelledby')!;
      if (named.split(/\s+/).every((id) => document.getElementById(id))) return;
      el.removeAttribute('aria-labelledby');
      el.setAttribute('aria-label', named);
    },
  ],
  ['.van-overlay[role="button"]:not([aria-label])', (el) => el.setAttribute('aria-label', '关闭')],
  ['ul.van-picker-column__wrapper:not([role])', (el) => el.setAttribute('role', 'none')],
  [
    '[role="tab"][aria-controls]',
    (el) => {
      if (!document.getElementById(el.getAttribute('aria-controls')!)) el.removeAttribute('aria-controls');
    },
  ],
];

function repair(): void {
  for (const [selector, fix] of REPAIRS) document.querySelectorAll<HTMLElement>(selector).forEach(fix);
}

/** Starts the repairs; returns the function that stops them (the shell's unmount). */
export function startA11yRepairs(): () => void {
  repair();
  const observer = new MutationObserver(repair);
  observer.observe(document.body, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['aria-checked', 'aria-label', 'aria-labelledby', 'aria-controls', 'role'],
  });
  return () => observer.disconnect();
}
