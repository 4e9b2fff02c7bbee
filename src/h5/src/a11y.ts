/**
 * Fixes to Vant's ARIA that no prop reaches, applied to the live DOM (Vant itself is not forked).
 * A MutationObserver re-applies them whenever Vant renders or re-renders one of these:
 *
 * - a tab's `aria-controls` names a panel id that is not in the page (lazily rendered panels, or
 *   tabs used without panels): the attribute is removed, an id that does not exist helps nobody;
 * - a readonly picker field (`is-link`) is a role="button" cell around its own input: two nested
 *   controls. The input, named by the field's label, stays the control; the cell loses the role;
 * - the uploader's file input has no name: "上传照片"; its previews have no alt: "已选照片 1/3";
 * - the stars of a rating are radios without names: "1 分" … "5 分".
 */
const FIXES: ReadonlyArray<[selector: string, fix: (el: HTMLElement) => void]> = [
  [
    '[role="tab"][aria-controls]',
    (el) => {
      if (!document.getElementById(el.getAttribute('aria-controls')!)) el.removeAttribute('aria-controls');
    },
  ],
  [
    '.van-field.van-cell--clickable[role="button"]',
    (el) => {
      el.removeAttribute('role');
      el.removeAttribute('tabindex');
    },
  ],
  ['.van-uploader__input:not([aria-label])', (el) => el.setAttribute('aria-label', '上传照片')],
  [
    '.van-uploader__preview img:not([alt])',
    (el) => {
      const all = Array.from(el.closest('.van-uploader')?.querySelectorAll('.van-uploader__preview img') ?? [el]);
      el.setAttribute('alt', `已选照片 ${all.indexOf(el) + 1}/${all.length}`);
    },
  ],
  [
    '.van-rate__item[role="radio"]:not([aria-label])',
    (el) => el.setAttribute('aria-label', `${el.getAttribute('aria-posinset') ?? ''} 分`),
  ],
];

function applyFixes(root: ParentNode): void {
  for (const [selector, fix] of FIXES) root.querySelectorAll<HTMLElement>(selector).forEach(fix);
}

export function installVantA11yFixes(): void {
  applyFixes(document);
  // Batched per microtask by the browser; the fixes only remove or add attributes the selectors
  // then no longer match, so they never loop.
  new MutationObserver(() => applyFixes(document)).observe(document.body, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['role', 'aria-controls', 'aria-label', 'id', 'alt'],
  });
}
