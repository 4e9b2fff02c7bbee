import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

/**
 * The layer rules of .dependency-cruiser.cjs, run by `npm run lint:deps` (part of `npm test`), tried on a
 * small tree laid out like this repository: each wrong-way import must fail, its right-way twin must pass.
 */
const root = path.resolve(__dirname, '../..');

/** The fixture: path → source. Each wrong-way file has a right-way twin beside it. */
const fixture: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }),
  'src/core/time.ts': 'export const now = () => new Date();\n',
  'src/core/format.ts': 'export const percent = (x: number) => `${x}%`;\n',
  'src/core/reaches-module.ts': "import { drawQuestion } from '../modules/quiz/quiz.service';\nexport const x = drawQuestion;\n",
  'src/modules/quiz/index.ts': "export { drawQuestion } from './quiz.service';\n",
  'src/modules/quiz/quiz.service.ts': "import { now } from '../../core/time';\nexport const drawQuestion = () => now();\n",
  'src/modules/quiz/quiz.schema.ts': 'export type Question = { id: string };\n',
  'src/modules/surveys/reaches-internals.ts': "import { drawQuestion } from '../quiz/quiz.service';\nexport const x = drawQuestion;\n",
  'src/modules/surveys/through-index.ts': "import { drawQuestion } from '../quiz';\nexport const x = drawQuestion;\n",
  'src/modules/loop/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
  'src/modules/loop/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
  'bots/flows/reaches-internals.ts':
    "import { drawQuestion } from '../../src/modules/quiz/quiz.service';\nexport const x = drawQuestion;\n",
  'bots/flows/through-index.ts': "import { drawQuestion } from '../../src/modules/quiz';\nexport const x = drawQuestion;\n",
  'src/h5/src/value-import.ts': "import { drawQuestion } from '../../modules/quiz/quiz.service';\nexport const x = drawQuestion;\n",
  'src/h5/src/type-import.ts': "import type { Question } from '../../modules/quiz/quiz.schema';\nexport const x: Question = { id: '1' };\n",
  'src/h5/src/shared-format.ts': "export { percent } from '../../core/format';\n",
};

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** Cruises the fixture with the repository's own rules and returns the violations found. */
function cruiseFixture(files: Record<string, string>): Violation[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-boundaries-'));
  try {
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    const res = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        'src',
        'bots',
        '--config',
        path.join(root, '.dependency-cruiser.cjs'),
        '--output-type',
        'json',
      ],
      { cwd: dir, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
    );
    if (!res.stdout) throw new Error(`depcruise printed nothing: ${res.stderr}`);
    return (JSON.parse(res.stdout) as { summary: { violations: Violation[] } }).summary.violations;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('layer rules (dependency-cruiser)', () => {
  let found: Violation[];
  const rulesFrom = (from: string) => found.filter((v) => v.from === from).map((v) => v.rule.name);

  beforeAll(() => {
    found = cruiseFixture(fixture);
  });

  describe('core', () => {
    it('fails when core imports a module', () => {
      expect(rulesFrom('src/core/reaches-module.ts')).toEqual(['core-imports-no-module']);
    });
  });

  describe('modules', () => {
    it("fails when a module imports another module's internals", () => {
      expect(rulesFrom('src/modules/surveys/reaches-internals.ts')).toEqual(['modules-through-index']);
    });

    it('passes when a module imports another through its index.ts, or its own files', () => {
      expect(rulesFrom('src/modules/surveys/through-index.ts')).toEqual([]);
      expect(rulesFrom('src/modules/quiz/index.ts')).toEqual([]);
    });

    it('fails on an import cycle', () => {
      expect(found.some((v) => v.rule.name === 'no-circular' && v.from.startsWith('src/modules/loop/'))).toBe(true);
    });
  });

  describe('bots', () => {
    it("fails when a bot flow imports a module's internals, passes through its index.ts", () => {
      expect(rulesFrom('bots/flows/reaches-internals.ts')).toEqual(['bots-through-index']);
      expect(rulesFrom('bots/flows/through-index.ts')).toEqual([]);
    });
  });

  describe('H5 pages', () => {
    it('fail when they import a server file as a value', () => {
      expect(rulesFrom('src/h5/src/value-import.ts')).toEqual(['h5-server-types-only']);
    });

    it('pass with `import type`, and with the pure formats they bundle on purpose', () => {
      expect(rulesFrom('src/h5/src/type-import.ts')).toEqual([]);
      expect(rulesFrom('src/h5/src/shared-format.ts')).toEqual([]);
    });

    it('fail once a file they bundle on purpose imports anything', () => {
      const impure = cruiseFixture({
        ...fixture,
        'src/core/format.ts': "import { now } from './time';\nexport const percent = (x: number) => `${x}% ${now()}`;\n",
      });
      expect(impure.filter((v) => v.from === 'src/core/format.ts').map((v) => v.rule.name)).toEqual(['browser-shared-imports-nothing']);
    });
  });
});
