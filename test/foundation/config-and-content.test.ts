import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { z } from 'zod';
import { ConfigError, configSchema, parseConfig } from '../../src/config';
import { loadContentFile } from '../../src/core/content';
import { regionsFileSchema } from '../../src/modules/regions/regions.schema';

const root = path.resolve(__dirname, '../..');

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const cfg = parseConfig({});
    expect(cfg).toMatchObject({ PORT: 3000, HOST: '0.0.0.0', DATA_DIR: './data', LOG_LEVEL: 'info' });
    expect(cfg.MONGODB_URI).toBeUndefined();
  });

  it('names the variable of a bad value in one line', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ MONGODB_URI: 'postgres://x' })).toThrow(/MONGODB_URI/);
    expect(() => parseConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET/);
  });

  it('documents every variable in .env.example', () => {
    const documented = new Set(
      [...fs.readFileSync(path.join(root, '.env.example'), 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]),
    );
    const missing = Object.keys(configSchema.shape).filter((k) => !documented.has(k));
    expect(missing).toEqual([]);
  });

  it('stops `npm start` with one line naming the variable', () => {
    const res = spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: 'not-a-port', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(res.status).toBe(1);
    const lines = res.stderr
      .trim()
      .split('\n')
      .filter((l) => !/nodedir|npm warn/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/环境变量 PORT 无效 .* PORT/);
  });
});

describe('content files', () => {
  function withContent(file: string, text: string): () => void {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-content-'));
    fs.writeFileSync(path.join(dir, file), text);
    process.env.WM_CONTENT_DIR = dir;
    return () => {
      delete process.env.WM_CONTENT_DIR;
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }

  it('names the file, the path inside it and the problem', () => {
    const restore = withContent(
      'regions.yaml',
      'city:\n  code: "10"\n  name: 城\n  districts:\n    - code: "1011"\n      name: 区\n      streets:\n        - code: "111"\n          name: 街\n          communities:\n            - { code: "1111", name: 社区, population: 多, center: { lat: 1, lng: 1 } }\n',
    );
    try {
      expect(() => loadContentFile('regions.yaml', regionsFileSchema)).toThrow(
        /regions\.yaml: city\.districts\.0\.streets\.0\.communities\.0\.population: /,
      );
    } finally {
      restore();
    }
  });

  it('reports YAML that does not parse', () => {
    const restore = withContent('bad.yaml', 'a: [1, 2\n');
    try {
      expect(() => loadContentFile('bad.yaml', z.object({ a: z.array(z.number()) }))).toThrow(/bad\.yaml: YAML 无法解析/);
    } finally {
      restore();
    }
  });

  it('ships a sample city of at least 3 districts, 6 streets and 12 communities with populations and centres', () => {
    const { city } = loadContentFile('regions.yaml', regionsFileSchema);
    const streets = city.districts.flatMap((d) => d.streets);
    const communities = streets.flatMap((s) => s.communities);
    expect(city.districts.length).toBeGreaterThanOrEqual(3);
    expect(streets.length).toBeGreaterThanOrEqual(6);
    expect(communities.length).toBeGreaterThanOrEqual(12);
    for (const c of communities) expect(c.population).toBeGreaterThan(1000);
  });
});
