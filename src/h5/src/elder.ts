import { resetToastDefaultOptions, setToastDefaultOptions } from 'vant';
import { reactive } from 'vue';

/**
 * 长辈模式 (MIIT 适老化, GB/T 37668): larger text, larger touch targets, darker secondary text, one
 * column and no step that runs out of time. The resident's choice is stored on the server (GET/PATCH
 * /api/v1/me `elderMode`, see session.ts) and mirrored here in localStorage, so the first paint of the
 * next visit is already right before the resident has been read.
 *
 * What it changes is CSS: the root class `wm-elder` overrides Vant's `--van-*` variables
 * (styles.css); the only behaviour is that toasts stay until tapped.
 */
const STORAGE_KEY = 'wm_elder';

export const elder = reactive({ on: storedElderMode() });

export function storedElderMode(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === '1';
  } catch {
    return false; // storage blocked (private mode): the server copy still holds the choice
  }
}

/** Records the choice in this browser (the server copy is written by session.setElderMode). */
export function rememberElderMode(on: boolean): void {
  elder.on = on;
  try {
    localStorage.setItem(STORAGE_KEY, on ? '1' : '0');
  } catch {
    // storage blocked: the mode still holds for this page view and on the server
  }
}

/**
 * Shows the pages in 长辈模式 or not. Console pages never are (App.vue passes false there): the
 * office's desktop tables are not what the mode is for.
 */
export function renderElderMode(active: boolean): void {
  document.documentElement.classList.toggle('wm-elder', active);
  // A toast that carries a number or a waitlist place must not vanish before it is read.
  if (active) setToastDefaultOptions({ duration: 0, closeOnClick: true });
  else resetToastDefaultOptions();
}

/** How long a page's own timed toast lasts: until tapped in 长辈模式. */
export const toastDuration = (ms: number): number => (elder.on ? 0 : ms);
