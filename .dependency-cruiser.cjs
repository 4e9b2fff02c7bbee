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
 * Server files the pages bundle on purpose, as values (the number formats, the tip-off status names): pure code with no imports (so nothing of the server
 * comes along), kept that way by the rule `browser-shared-imports-nothing`.
 */
const browserShared = ['^src/core/format\\.ts$', '^src/modules/tipoffs/tipoffs\\.names\\.ts$'];

module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-module',
      comment: 'src/core is the kernel every feature builds on: a feature is wired in from main.ts or modules/index.ts, never from core.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'modules-through-index',
      comment: "A feature reaches another only through that feature's index.ts, its public face; internals stay free to change.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'bots-through-index',
      comment: 'Bot flows are thin over services, like routes: they reach a feature only through its index.ts.',
      severity: 'error',
      from: { path: '^bots/' },
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
      comment:
        'A server file the pages bundle as a value (the number formats) stays pure: one import would bring the server into the browser.',
      severity: 'error',
      from: { path: browserShared },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes load order matter and hides which layer is on top: break it by moving the shared part down.',
      severity: 'error',
      from: {},
      to: { circular: true },
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
