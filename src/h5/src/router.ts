/**
 * The H5 routes (hash history: the service serves one index.html under /h5/, and the bot's signed
 * link lands on `/h5/#<next>`).
 *
 * ADDING A PAGE
 *
 *   Resident feature: write `pages/<feature>/<Name>Page.vue` (a `<script setup lang="ts">` SFC; call
 *   the API through `api` from '../../api'; the resident is `resident.me` from '../../session'),
 *   and list it in `pages/<feature>/feature.ts` (features.ts: its routes, its home-page entry and
 *   its count in 我的); the router collects every feature.ts, nothing here changes, e.g.
 *
 *     routes: [residentPage('/quiz', '知识问答', () => import('./QuizListPage.vue'))],
 *
 *   The guard opens a resident session first (bot link cookie, WeChat OAuth or anonymous).
 *   Add `{ tabbar: true }` as the 4th argument for a page that shows the bottom tab bar.
 *
 *   Console page: write `pages/console/<feature>/<Name>Page.vue` and add
 *
 *     consolePage('/console/tipoffs', '随手拍处置', () => import('./pages/console/tipoffs/TipoffListPage.vue'), { roles: OFFICE, icon: 'photograph' }),
 *
 *   The guard requires a staff login with one of `roles`; with an `icon` the page also appears as
 *   an entry on the console home and in the desktop shell's side navigation (both list the routes
 *   the signed-in role may open). Every console route shows inside the shell (ConsoleShell.vue,
 *   Element Plus, loaded with the first console page only).
 *
 * Lazy `() => import(...)` keeps each feature in its own chunk; the shell's pages load eagerly.
 */
import { createRouter, createWebHashHistory, type RouteComponent, type RouteRecordRaw } from 'vue-router';
import OAuthErrorPage from './pages/common/OAuthErrorPage.vue';
import ConsoleHomePage from './pages/console/ConsoleHomePage.vue';
import ConsoleLoginPage from './pages/console/ConsoleLoginPage.vue';
import HomePage from './pages/home/HomePage.vue';
import MePage from './pages/me/MePage.vue';
import { features } from './features';
import { residentPage } from './resident-feature';
import { installGuards } from './guards';
import type { Role } from './types';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    /** who may open it: a resident session is opened on demand; console pages need a staff login */
    area?: 'resident' | 'console' | 'public' | 'field';
    tabbar?: boolean;
    /** console: the roles that may open the page */
    roles?: readonly Role[];
    /** console: a Vant icon name; the page is then listed on the console home and side navigation */
    icon?: string;
  }
}

type Component = RouteComponent | (() => Promise<RouteComponent>);
export const OFFICE: readonly Role[] = ['office', 'admin'];
export const UNIT: readonly Role[] = ['unit'];
export const STAFF: readonly Role[] = ['office', 'admin', 'unit'];

const consolePage = (
  path: string,
  title: string,
  component: Component,
  meta: { roles?: readonly Role[]; icon?: string } = {},
): RouteRecordRaw => ({
  path,
  component,
  meta: { title, area: 'console', roles: STAFF, ...meta },
});

export const routes: RouteRecordRaw[] = [
  // residents: the shell
  residentPage('/', '首页', HomePage, { tabbar: true }),
  residentPage('/me', '我的', MePage, { tabbar: true }),
  residentPage('/me/privacy', '个人信息', () => import('./pages/me/PrivacyPage.vue')),
  // residents: every feature's pages (pages/<feature>/feature.ts)
  ...features.flatMap((f) => f.routes),
  residentPage('/messages', '消息', () => import('./pages/messages/MessagesPage.vue'), { tabbar: true }),
  { path: '/oauth-error', component: OAuthErrorPage, meta: { title: '微信授权', area: 'public' } },

  // staff console
  { path: '/console/login', component: ConsoleLoginPage, meta: { title: '工作人员登录', area: 'public' } },
  consolePage('/console', '工作台', ConsoleHomePage),
  consolePage('/console/tipoffs', '随手拍处置', () => import('./pages/console/tipoffs/TipoffTriagePage.vue'), {
    roles: OFFICE,
    icon: 'photograph',
  }),
  consolePage('/console/tipoffs-map', '随手拍地图', () => import('./pages/console/tipmap/TipoffMapPage.vue'), {
    roles: OFFICE,
    icon: 'location-o',
  }),
  consolePage('/console/tipoffs/:id', '随手拍详情', () => import('./pages/console/tipoffs/TipoffDetailPage.vue')),
  consolePage('/console/dashboard', '数据看板', () => import('./pages/console/dashboard/DashboardPage.vue'), {
    roles: OFFICE,
    icon: 'bar-chart-o',
  }),
  consolePage('/console/quizzes', '题库管理', () => import('./pages/console/quizzes/QuizAdminPage.vue'), {
    roles: OFFICE,
    icon: 'question-o',
  }),
  consolePage('/console/quizzes/:id', '题库', () => import('./pages/console/quizzes/QuizBankPage.vue'), { roles: OFFICE }),
  consolePage('/console/surveys', '问卷管理', () => import('./pages/console/surveys/SurveyAdminPage.vue'), {
    roles: OFFICE,
    icon: 'description-o',
  }),
  consolePage('/console/surveys/new', '新建问卷', () => import('./pages/console/surveys/SurveyBuilderPage.vue'), { roles: OFFICE }),
  consolePage('/console/surveys/:id/edit', '编辑问卷', () => import('./pages/console/surveys/SurveyBuilderPage.vue'), { roles: OFFICE }),
  consolePage('/console/surveys/:id', '问卷结果', () => import('./pages/console/surveys/SurveyResultsPage.vue'), { roles: OFFICE }),
  consolePage('/console/fieldwork', '入户调查', () => import('./pages/console/fieldwork/FieldworkPage.vue'), {
    roles: OFFICE,
    icon: 'home-o',
  }),
  consolePage('/console/activities', '活动管理', () => import('./pages/console/activities/ActivityAdminPage.vue'), {
    roles: OFFICE,
    icon: 'flag-o',
  }),
  consolePage('/console/activities/:id', '签到二维码', () => import('./pages/console/activities/ActivityCheckinPage.vue'), {
    roles: OFFICE,
  }),
  consolePage('/console/catalog', '类别与单位', () => import('./pages/console/catalog/CatalogPage.vue'), { roles: OFFICE, icon: 'apps-o' }),
  consolePage('/console/populations', '区域人口', () => import('./pages/console/regions/PopulationPage.vue'), {
    roles: OFFICE,
    icon: 'friends-o',
  }),
  consolePage('/console/todo', '我的待办', () => import('./pages/console/tipoffs/UnitQueuePage.vue'), { roles: UNIT, icon: 'todo-list-o' }),
  consolePage('/console/notices', '工作通知', () => import('./pages/console/notices/NoticesPage.vue'), { roles: STAFF, icon: 'bell' }),
  consolePage('/console/outbox', '消息发送', () => import('./pages/console/outbox/OutboxPage.vue'), { roles: OFFICE, icon: 'envelop-o' }),
  consolePage('/console/help', '人工服务', () => import('./pages/console/helpdesk/HelpdeskPage.vue'), { roles: OFFICE, icon: 'service-o' }),
  consolePage('/console/moderation', '内容审核', () => import('./pages/console/moderation/ModerationQueuePage.vue'), {
    roles: OFFICE,
    icon: 'shield-o',
  }),
  consolePage('/console/briefs', '工作简报', () => import('./pages/console/briefs/BriefsPage.vue'), {
    roles: OFFICE,
    icon: 'chart-trending-o',
  }),
  consolePage('/console/jobs', '定时任务', () => import('./pages/console/jobs/JobsPage.vue'), { roles: ['admin'], icon: 'clock-o' }),
  consolePage('/console/staff', '账号管理', () => import('./pages/console/staff/StaffAdminPage.vue'), {
    roles: ['admin'],
    icon: 'manager-o',
  }),
  consolePage('/console/audit', '操作日志', () => import('./pages/console/audit/AuditLogPage.vue'), {
    roles: ['admin'],
    icon: 'records-o',
  }),
  consolePage('/console/password', '修改密码', () => import('./pages/console/staff/PasswordPage.vue'), { roles: [...STAFF, 'enumerator'] }),
  // enumerators (调查员): a phone page of its own, outside the console shell, that works offline
  { path: '/field', component: () => import('./pages/field/FieldWorkPage.vue'), meta: { title: '入户调查', area: 'field' } },

  { path: '/:pathMatch(.*)*', redirect: '/' },
];

export const router = createRouter({
  history: createWebHashHistory(),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
});

installGuards(router);
