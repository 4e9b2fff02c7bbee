import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { h5BuildState } from '../../src/modules/h5/h5.build';

/** `npm start` and the test run rebuild the H5 pages only when the build is missing or stale. */
describe('H5 build state', () => {
  let root: string;
  const touch = (file: string, secondsAgo: number) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'x');
    const t = new Date(Date.now() - secondsAgo * 1000);
    fs.utimesSync(file, t, t);
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'wenming-h5-build-'));
    touch(path.join(root, 'src/h5/src/main.ts'), 100);
    touch(path.join(root, 'package-lock.json'), 100);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is missing without dist/index.html', () => {
    expect(h5BuildState(root)).toBe('missing');
  });

  it('is fresh when the build is newer than every source', () => {
    touch(path.join(root, 'src/h5/dist/index.html'), 10);
    expect(h5BuildState(root)).toBe('fresh');
  });

  it('is stale when a page changed after the build', () => {
    touch(path.join(root, 'src/h5/dist/index.html'), 10);
    touch(path.join(root, 'src/h5/src/pages/quiz/QuizPage.vue'), 1);
    expect(h5BuildState(root)).toBe('stale');
  });

  it('ignores the build output and temporary build directories', () => {
    touch(path.join(root, 'src/h5/dist/index.html'), 10);
    touch(path.join(root, 'src/h5/dist/assets/index-abc.js'), 1);
    touch(path.join(root, 'src/h5/.dist-123-abc/index.html'), 1);
    expect(h5BuildState(root)).toBe('fresh');
  });
});
