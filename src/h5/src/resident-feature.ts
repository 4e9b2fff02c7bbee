import type { RouteComponent, RouteRecordRaw } from 'vue-router';

/**
 * A resident feature's H5 face, declared in `pages/<feature>/feature.ts` beside its pages: the
 * router, the home page and 我的 collect every such file, so a new feature's pages touch nothing
 * outside their folder.
 */
export interface ResidentFeature {
  /** where the feature sits among the others on the home page (smaller first) */
  order: number;
  routes: RouteRecordRaw[];
  /** its entry on the home page */
  home?: { to: string; title: string; desc: string; icon: string; color: string };
  /** its count in 我的: the key of GET /me `participation` the server declares for it, a short label, its place */
  tallies?: Array<{ key: string; label: string; order: number }>;
}

type Component = RouteComponent | (() => Promise<RouteComponent>);

/** A resident page: the guard opens a resident session first (bot link cookie, WeChat OAuth or anonymous). */
export const residentPage = (path: string, title: string, component: Component, meta: { tabbar?: boolean } = {}): RouteRecordRaw => ({
  path,
  component,
  meta: { title, area: 'resident', ...meta },
});

export const defineFeature = (f: ResidentFeature): ResidentFeature => f;
