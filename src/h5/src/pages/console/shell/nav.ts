import {
  Bell,
  Clock,
  DataAnalysis,
  Document,
  Flag,
  Grid,
  House,
  List,
  Location,
  Message,
  OfficeBuilding,
  Picture,
  QuestionFilled,
  Service,
  Tickets,
  TrendCharts,
  User,
  UserFilled,
  View,
} from '@element-plus/icons-vue';
import type { Component } from 'vue';
import type { RouteRecordNormalized } from 'vue-router';
import type { Role } from '../../../types';

/**
 * The side navigation, built from the console routes' meta (title, icon, roles): the same list the
 * console home shows, so a new page appears in both by its one line in router.ts. Routes name Vant
 * icons (the phone home uses them); the desktop menu shows the Element Plus icon of the same idea.
 */
const desktopIcons: Record<string, Component> = {
  photograph: Picture,
  'location-o': Location,
  'bar-chart-o': DataAnalysis,
  'question-o': QuestionFilled,
  'description-o': Document,
  'flag-o': Flag,
  'todo-list-o': List,
  bell: Bell,
  'envelop-o': Message,
  'chart-trending-o': TrendCharts,
  'clock-o': Clock,
  'manager-o': User,
  'records-o': Tickets,
  'shield-o': View,
  'service-o': Service,
  'apps-o': Grid,
  'friends-o': UserFilled,
  'home-o': OfficeBuilding,
};

export interface NavEntry {
  path: string;
  title: string;
  icon: Component;
}

export function navEntries(routes: RouteRecordNormalized[], role: Role | undefined): NavEntry[] {
  if (!role) return [];
  const pages = routes
    .filter((r) => r.meta.area === 'console' && r.meta.icon && (!r.meta.roles || r.meta.roles.includes(role)))
    .map((r) => ({ path: r.path, title: r.meta.title ?? r.path, icon: desktopIcons[r.meta.icon!] ?? Document }));
  return [{ path: '/console', title: '工作台', icon: House }, ...pages];
}

/** The menu entry a route belongs to: itself, or the entry whose path it extends (/console/quizzes/7). */
export function activeEntry(entries: NavEntry[], path: string): string {
  const match = entries
    .filter((e) => e.path !== '/console' && (path === e.path || path.startsWith(`${e.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0];
  return match?.path ?? (path === '/console' ? '/console' : '');
}
