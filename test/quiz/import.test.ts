import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../harness/app';
import { residentSession, staffSession } from '../factories';
import { createQuiz } from './factories';

let app: TestApp;
let office: string;
beforeAll(async () => {
  app = await startTestApp();
  office = (await staffSession(app, 'office')).token;
});
afterAll(() => app.close());

const HEADER = ['编号', '题型', '题目', '选项A', '选项B', '选项C', '选项D', '答案', '解析', '主题', '指标'];
const GOOD_ROWS = [
  [
    'imp-1',
    '单选',
    '废电池中的纽扣电池属于哪类垃圾？',
    '可回收物',
    '有害垃圾',
    '厨余垃圾',
    '其他垃圾',
    'B',
    '含重金属。',
    '垃圾分类',
    'aw-garbage',
  ],
  ['imp-2', '多选', '文明用餐的好习惯有？', '公筷公勺', '适量点餐', '剩菜打包', '多点显面子', 'A,B,C', '', '文明餐桌', ''],
  ['imp-3', '判断', '室内公共场所禁止吸烟。', '', '', '', '', '对', '', '公共卫生', 'aw-health'],
];

const csvOf = (rows: string[][]) =>
  rows.map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\n');

async function xlsxOf(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('题库');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function upload(quizId: string, file: Buffer | string, name: string, query = '', token = office) {
  const form = new FormData();
  form.append('file', new Blob([typeof file === 'string' ? file : new Uint8Array(file)]), name);
  return app.request('POST', `/api/v1/quizzes/${quizId}/questions:import${query}`, undefined, { token, raw: form });
}

const bank = async (quizId: string) =>
  (await app.get(`/api/v1/quizzes/${quizId}/questions`, { token: office })).body.items as Array<{
    id: string;
    status: string;
    answer: string[];
    type: string;
    options: unknown[];
  }>;

describe('importing a question bank', () => {
  it('imports every row of a CSV file', async () => {
    const quiz = await createQuiz(app, { questions: [], token: office });
    const res = await upload(quiz.id, csvOf([HEADER, ...GOOD_ROWS]), 'bank.csv');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: 3, created: 3, updated: 0, retired: 0 });
    const items = await bank(quiz.id);
    expect(items.map((q) => [q.id, q.type, q.answer])).toEqual([
      ['imp-1', 'single', ['B']],
      ['imp-2', 'multiple', ['A', 'B', 'C']],
      ['imp-3', 'judge', ['A']],
    ]);
    expect(items[2]!.options).toEqual([
      { key: 'A', text: '对' },
      { key: 'B', text: '错' },
    ]);
    // the imported bank is what residents are now asked
    expect((await app.get(`/api/v1/quizzes/${quiz.id}`)).body.questionCount).toBe(3);
  });

  it('imports an XLSX file the same way', async () => {
    const quiz = await createQuiz(app, { questions: [], token: office });
    const res = await upload(quiz.id, await xlsxOf([HEADER, ...GOOD_ROWS]), 'bank.xlsx');
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(3);
    expect((await bank(quiz.id)).find((q) => q.id === 'imp-2')!.answer).toEqual(['A', 'B', 'C']);
  });

  it('reads a CSV saved by Excel on Chinese Windows (GBK)', async () => {
    const quiz = await createQuiz(app, { questions: [], token: office });
    // a header and one judge row, encoded in GBK
    const text = '题型,题目,答案\n判断,烟头属于可回收物。,错\n';
    const res = await upload(quiz.id, encodeGbk(text), 'gbk.csv');
    expect(res.status).toBe(200);
    const items = await bank(quiz.id);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: 'judge', answer: ['B'] });
    expect((await app.get(`/api/v1/quizzes/${quiz.id}/questions`, { token: office })).body.items[0].text).toBe('烟头属于可回收物。');
  });

  it('updates rows whose id exists and, in replace mode, retires the questions the file leaves out', async () => {
    const quiz = await createQuiz(app, { token: office }); // s1, m1, j1
    const rows = [
      HEADER,
      ['s1', '单选', '废荧光灯管属于哪类垃圾？（修订）', '可回收物', '有害垃圾', '厨余垃圾', '其他垃圾', 'B', '', '', ''],
      ...GOOD_ROWS.slice(0, 1),
    ];
    const res = await upload(quiz.id, csvOf(rows), 'bank.csv', '?mode=replace');
    expect(res.body).toEqual({ total: 2, created: 1, updated: 1, retired: 2 });
    const items = await bank(quiz.id);
    expect(
      items
        .filter((q) => q.status === 'active')
        .map((q) => q.id)
        .sort(),
    ).toEqual(['imp-1', 's1']);
    expect(
      items
        .filter((q) => q.status === 'retired')
        .map((q) => q.id)
        .sort(),
    ).toEqual(['j1', 'm1']);
  });

  describe('a file with bad rows', () => {
    const badRows = [
      HEADER,
      GOOD_ROWS[0]!,
      ['b-2', '单选', '两个答案的单选题？', '甲', '乙', '', '', 'AB', '', '', ''],
      ['b-3', '问答', '不支持的题型', '甲', '乙', '', '', 'A', '', '', ''],
      ['b-4', '多选', '答案不在选项里？', '甲', '乙', '丙', '', 'AE', '', '', ''],
      ['b-5', '单选', '没有答案？', '甲', '乙', '', '', '', '', '', ''],
      ['imp-1', '判断', '编号与第 2 行重复。', '', '', '', '', '对', '', '', ''],
      ['b-7', '判断', '指标不存在。', '', '', '', '', '对', '', '', 'aw-nothing'],
    ];

    for (const format of ['csv', 'xlsx'] as const) {
      it(`reports row, column and problem for every bad row and imports nothing (${format.toUpperCase()})`, async () => {
        const quiz = await createQuiz(app, { token: office });
        const before = await bank(quiz.id);
        const file = format === 'csv' ? csvOf(badRows) : await xlsxOf(badRows);
        const res = await upload(quiz.id, file, `bank.${format}`);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
        expect(res.body.error.message).toMatch(/导入失败，共 6 处错误，未导入任何题目/);
        const problems = res.body.error.details.map((d: { row: number; column: string; message: string }) => [d.row, d.column, d.message]);
        expect(problems).toEqual([
          [3, '答案', '单选题/判断题只有一个答案'],
          [4, '题型', '题型“问答”无效，应为 单选、多选 或 判断'],
          [5, '答案', '答案 E 不在选项中'],
          [6, '答案', '请填写答案'],
          [7, '编号', '与第 2 行的题目编号重复'],
          [8, '指标', '指标 aw-nothing 不存在'],
        ]);
        expect(res.body.error.details[0].path).toBe('第 3 行 答案');
        expect(await bank(quiz.id)).toEqual(before);
      });
    }

    it('names a missing required column', async () => {
      const quiz = await createQuiz(app, { token: office });
      const res = await upload(
        quiz.id,
        csvOf([
          ['题型', '题目'],
          ['单选', '没有答案列'],
        ]),
        'bank.csv',
      );
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ row: 1, column: '答案', path: '第 1 行 答案', message: '缺少这一列（表头）' }]);
    });
  });

  it('refuses an old .xls file, a missing file and non-office callers', async () => {
    const quiz = await createQuiz(app, { token: office });
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(100)]);
    const old = await upload(quiz.id, xls, 'bank.xls');
    expect(old.status).toBe(400);
    expect(old.body.error.message).toMatch(/另存为 \.xlsx 或 CSV/);
    const form = new FormData();
    form.append('note', 'no file');
    expect((await app.request('POST', `/api/v1/quizzes/${quiz.id}/questions:import`, undefined, { token: office, raw: form })).status).toBe(
      400,
    );
    const resident = await residentSession(app);
    expect((await upload(quiz.id, csvOf([HEADER, ...GOOD_ROWS]), 'bank.csv', '', resident.token)).status).toBe(403);
    expect((await upload('no-such-quiz', csvOf([HEADER, ...GOOD_ROWS]), 'bank.csv')).status).toBe(404);
  });
});

describe('exporting a question bank', () => {
  for (const format of ['csv', 'xlsx'] as const) {
    it(`exports the bank as ${format.toUpperCase()} that imports back unchanged`, async () => {
      const source = await createQuiz(app, { token: office });
      const res = await fetch(`${app.baseUrl}/api/v1/quizzes/${source.id}/questions:export?format=${format}`, {
        headers: { authorization: `Bearer ${office}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toContain(`${source.id}.${format}`);
      const file = Buffer.from(await res.arrayBuffer());
      if (format === 'csv') expect(file.toString('utf8')).toContain('编号,题型,题目,选项A');
      const target = await createQuiz(app, { questions: [], token: office });
      const imported = await upload(target.id, file, `bank.${format}`);
      expect(imported.status).toBe(200);
      const strip = (items: Awaited<ReturnType<typeof bank>>) =>
        items.map(({ id, type, answer, options }) => ({ id, type, answer, options }));
      expect(strip(await bank(target.id))).toEqual(strip(await bank(source.id)));
    });
  }
});

/** GBK for the few characters the test uses (Node encodes only UTF-8; codes from Python's gbk codec). */
function encodeGbk(text: string): Buffer {
  const table: Record<string, number[]> = {
    题: [0xcc, 0xe2],
    型: [0xd0, 0xcd],
    目: [0xc4, 0xbf],
    答: [0xb4, 0xf0],
    案: [0xb0, 0xb8],
    判: [0xc5, 0xd0],
    断: [0xb6, 0xcf],
    烟: [0xd1, 0xcc],
    头: [0xcd, 0xb7],
    属: [0xca, 0xf4],
    于: [0xd3, 0xda],
    可: [0xbf, 0xc9],
    回: [0xbb, 0xd8],
    收: [0xca, 0xd5],
    物: [0xce, 0xef],
    '。': [0xa1, 0xa3],
    错: [0xb4, 0xed],
  };
  const bytes: number[] = [];
  for (const ch of text) bytes.push(...(table[ch] ?? [ch.charCodeAt(0)]));
  return Buffer.from(bytes);
}
