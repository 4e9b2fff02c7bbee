// ESLint (`npm run lint:es`, part of `npm test`): the recommended rules of ESLint, typescript-eslint and
// eslint-plugin-vue (Vue 3); layout is Prettier's (eslint-config-prettier turns the clashing rules off), except
// a line length a person can read. docs/boundaries.md says how to run it and how to fix what it reports.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Lines stay readable at 160 characters; strings, templates, URLs and regexps may run on (breaking them hurts more). */
const maxLen = { code: 160, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true };

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      'src/h5/dist/**',
      'src/h5/.dist-*/**',
      'data/**',
      '.cache/**',
      'coverage/**',
      'test-artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src/h5/**'],
    languageOptions: { globals: { ...globals.browser } },
    // With verbatimModuleSyntax, `import { type X } from '…'` still loads the file: the pages write `import type`,
    // so a server file never reaches the bundle (dependency-cruiser counts both spellings as type-only).
    rules: { '@typescript-eslint/no-import-type-side-effects': 'error' },
  },
  {
    rules: {
      // `const { secret, ...rest } = doc` is how a field is left out of a copy; `_x` marks a parameter kept for its position.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // The ideographic space (U+3000) is a character of Chinese text: fine in strings, templates and patterns.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipRegExps: true, skipComments: true }],
    },
  },
  {
    // Tests (and the bench, which prepares its fixtures over HTTP) read raw response bodies and stored documents
    // whose shape is what they assert.
    files: ['test/**', 'scripts/bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
  // After eslint-config-prettier, which turns max-len off: Prettier wraps code, but not comments.
  // (max-len is deprecated in ESLint core and kept until ESLint 11; @stylistic/max-len then.)
  { rules: { 'max-len': ['error', maxLen] } },
  {
    files: ['**/*.vue'],
    rules: {
      'max-len': 'off',
      'vue/max-len': ['error', { ...maxLen, template: 160, ignoreHTMLAttributeValues: true, ignoreHTMLTextContents: true }],
    },
  },
);
