import test from 'ava';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelError } from '../src/errors.ts';
import { ArrowRecorder } from '../src/monitor/arrowRecorder.ts';
import { makeOutputDir } from '../src/outputDir.ts';
import { normalizeDescription } from '../src/ir/normalize.ts';

test('makeOutputDir makes missing parents and accepts a directory that exists', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'spikegrid-outdir-'));
  makeOutputDir(join(root, 'a', 'b', 'c'), '--out');
  t.true(statSync(join(root, 'a', 'b', 'c')).isDirectory());
  t.notThrows(() => makeOutputDir(join(root, 'a', 'b', 'c'), '--out'));
});

test('a directory that cannot be made is a ModelError naming the setting and the path that is in the way', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'spikegrid-outdir-'));
  writeFileSync(join(root, 'file'), '');
  const underFile = t.throws(() => makeOutputDir(join(root, 'file', 'x'), 'plot dir'), { instanceOf: ModelError });
  t.is(underFile.message, `plot dir ${join(root, 'file', 'x')}: ${join(root, 'file')} is not a directory; give a directory that can be created and written to`);
  const isFile = t.throws(() => makeOutputDir(join(root, 'file'), '--out'), { instanceOf: ModelError });
  t.regex(isFile.message, /file is not a directory/);
});

test('an ArrowRecorder whose directory cannot be made says so when the run begins', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'spikegrid-outdir-'));
  writeFileSync(join(root, 'file'), '');
  const recorder = new ArrowRecorder(join(root, 'file', 'run'));
  const description = normalizeDescription({ populations: [{ name: 'n', model: 'LIF', size: 1, params: {} }] });
  const error = t.throws(() => recorder.begin({ description, steps: 10 }), { instanceOf: ModelError });
  t.regex(error.message, /^ArrowRecorder dir .*file\/run: .*file is not a directory/);
});
