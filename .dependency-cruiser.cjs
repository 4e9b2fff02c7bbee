/**
 * The layers, as rules `npm run lint:deps` (and so `npm test`) enforces; docs/boundaries.md explains them.
 *
 *   src/core     the kernel: HTTP, errors, database, time… knows no feature
 *   src/modules  one folder per feature; another feature is reached only through its index.ts
 *   bots/        chat flows over the modules' index.ts, like routes over services
 *   src/h5       the pages, bundled for the browser: server files only as `import type`
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */

/**
 * Server files the pages bundle on purpose, as values: pure code with no imports (so nothing of the server
 * comes along), kept that way by the rule `browser-shared-imports-nothing`.
 */
const browserShared = ['^src/core/format\\.ts$'];

/**
 * Today's violations that another slice of issue 20 removes, one entry per family, each naming that slice.
 * Delete this list once those slices are merged: whatever is left then is a real violation.
 * (Violations that no slice owns are in .dependency-cruiser-known-violations.json: see docs/boundaries.md.)
 */
const allowlist = {
  // i20-manifest: core/bootstrap.ts moves beside main.ts (it wires the modules in, so it is not kernel).
  coreFrom: ['^src/core/bootstrap\\.ts$'],
  // i20-manifest: bots import modules only through index.ts (these are the bot files that reach into internals today).
  botsFrom: [
    '^bots/(chat|engine|messages|mp|room-queue|send-queue|wechaty)\\.ts$',
    '^bots/flows/(daily-quiz|elder|flow|me|menu|quiz|region-choice|region|survey-chat|survey|tipoff|volunteer-register|volunteer)\\.ts$',
  ],
  // i20-manifest: maintenance asks each module for its retention rules instead of importing ten models.
  modulesFrom: ['^src/modules/maintenance/maintenance\\.retention\\.ts$'],
  // i20-counters: stats splits into a `counters` kernel (reached through its index.ts) and a read side
  // that reads features through their index.ts; these are the imports into and out of stats today.
  modulesTo: ['^src/modules/stats/'],
  modulesFromStats: ['^src/modules/stats/'],
  // i20-manifest: the import loop modules/index → jobs → jobs.service → modules/index.
  // (A cycle through jobs.service.ts is not reported, wherever depcruise starts reading it.)
  cycleVia: ['^src/modules/jobs/jobs\\.service\\.ts$'],
};

module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-module',
      comment: 'src/core is the kernel every feature builds on: a feature is wired in from main.ts or modules/index.ts, never from core.',
      severity: 'error',
      from: { path: '^src/core/', pathNot: allowlist.coreFrom },
      to: { path: '^src/modules/' },
    },
    {
      name: 'modules-through-index',
      comment: "A feature reaches another only through that feature's index.ts, its public face; internals stay free to change.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/', pathNot: [...allowlist.modulesFrom, ...allowlist.modulesFromStats] },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$', ...allowlist.modulesTo] },
    },
    {
      name: 'bots-through-index',
      comment: "Bot flows are thin over services, like routes: they reach a feature only through its index.ts.",
      severity: 'error',
      from: { path: '^bots/', pathNot: allowlist.botsFrom },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'h5-server-types-only',
      comment: 'The pages run in the browser: a server file imported as a value would be bundled into them. Use `import type`.',
      severity: 'error',
      from: { path: '^src/h5/' },
      to: { path: '^(src/(?!h5/)|bots/|scripts/)', pathNot: browserShared, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'browser-shared-imports-nothing',
      comment: 'A server file the pages bundle as a value (the number formats) stays pure: one import would bring the server into the browser.',
      severity: 'error',
      from: { path: browserShared },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes load order matter and hides which layer is on top: break it by moving the shared part down.',
      severity: 'error',
      from: {},
      to: { circular: true, viaNot: allowlist.cycleVia },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.dist-[^/]*|test-artifacts|\\.cache)/' },
    // `import type` edges are kept (and marked type-only), so the H5 rule can tell them from value imports.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mts', '.cts', '.vue', '.js', '.cjs', '.mjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
