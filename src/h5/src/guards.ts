import { showFailToast } from 'vant';
import type { Router } from 'vue-router';
import { ensureResidentSession } from './session';
import { ensureStaffSession, PASSWORD_PAGE, staff } from './staff';

export const APP_NAME = '文明城市创建';

/** Opens the right session before a page shows, and names the page (WeChat shows document.title). */
export function installGuards(router: Router): void {
  router.beforeEach(async (to) => {
    if (to.meta.area === 'resident') return ensureResidentSession(to.fullPath);
    if (to.meta.area === 'field') return fieldGuard(to.fullPath);
    if (to.meta.area === 'console') {
      if (!(await ensureStaffSession())) return { path: '/console/login', query: { next: to.fullPath } };
      // A temporary password is changed before anything else (the API refuses other calls anyway).
      if (staff.me!.mustChangePassword && to.path !== PASSWORD_PAGE) return PASSWORD_PAGE;
      const role = staff.me!.role;
      // Enumerators have no console: their work page is the phone page /field.
      if (role === 'enumerator' && to.path !== PASSWORD_PAGE) return '/field';
      if (to.meta.roles && !to.meta.roles.includes(role)) {
        showFailToast('无权访问该页面');
        return '/console';
      }
    }
    return true;
  });
  router.afterEach((to) => {
    document.title = to.meta.title && to.path !== '/' ? `${to.meta.title} · ${APP_NAME}` : APP_NAME;
  });
}

/** The enumerators' work page opens offline too: the session check falls back to the phone's copy. */
async function fieldGuard(next: string): Promise<true | string | { path: string; query: { next: string } }> {
  const { ensureFieldSession } = await import('./pages/field/field-sync');
  if (!(await ensureFieldSession())) return { path: '/console/login', query: { next } };
  if (staff.me!.mustChangePassword) return PASSWORD_PAGE;
  if (staff.me!.role !== 'enumerator') {
    showFailToast('入户调查工作页仅供调查员使用');
    return '/console';
  }
  return true;
}
