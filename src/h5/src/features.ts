import type { ResidentFeature } from './resident-feature';

// The feature files import their helpers from resident-feature.ts, never from here: this file
// imports them (eagerly), so a cycle would run them before the helpers exist.

/** Every `pages/<feature>/feature.ts`, in their declared order (Vite resolves the glob at build time). */
export const features: ResidentFeature[] = Object.values(
  import.meta.glob<ResidentFeature>('./pages/*/feature.ts', { eager: true, import: 'default' }),
).sort((a, b) => a.order - b.order);
