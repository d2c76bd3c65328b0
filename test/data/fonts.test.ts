/** The spec's font files: read through the access policy, their family, weight and style. */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { fontInfo, readFonts } from '../../src/data/fonts.js';
import { DataAccessError } from '../../src/data/access.js';
import { CompileError } from '../../src/compile/messages.js';
import { OptionError } from '../../src/spec/errors.js';

const SERIF = fileURLToPath(new URL('../fixtures/fonts/DejaVuSerif.ttf', import.meta.url));
const BOLD = fileURLToPath(new URL('../../fonts/DejaVuSans-Bold.ttf', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'vf-fonts-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const specDir = path.join(dir, 'paper');
mkdirSync(specDir);
copyFileSync(SERIF, path.join(specDir, 'serif.ttf'));
writeFileSync(path.join(specDir, 'notes.ttf'), 'not a font at all');
copyFileSync(SERIF, path.join(dir, 'outside.ttf'));
const access = { baseDir: specDir };

test("a font file's family, weight and style come from its name and OS/2 tables", () => {
  assert.deepEqual(fontInfo(readFileSync(SERIF)), {
    family: 'DejaVu Serif',
    weight: 400,
    style: 'normal',
  });
  assert.deepEqual(fontInfo(readFileSync(BOLD)), {
    family: 'DejaVu Sans',
    weight: 700,
    style: 'normal',
  });
  assert.equal(fontInfo(Buffer.from('GIF89a not a font')), undefined);
});

test('fonts: entries are read from the spec folder, named by the file or by family', async () => {
  const fonts = await readFonts(
    ['serif.ttf', { path: 'serif.ttf', family: 'Paper Serif' }],
    access,
  );
  assert.deepEqual(
    fonts.map((f) => [f.family, f.weight, f.style, f.bytes.length]),
    [
      ['DejaVu Serif', 400, 'normal', readFileSync(SERIF).length],
      ['Paper Serif', 400, 'normal', readFileSync(SERIF).length],
    ],
  );
});

test('a font outside the folder, not a font, or of another kind is refused', async () => {
  await assert.rejects(readFonts(['../outside.ttf'], access), DataAccessError);
  await assert.rejects(
    readFonts(['serif.ttf', 'notes.ttf'], access),
    (e: unknown) =>
      e instanceof CompileError && e.path === '$.fonts[1]' && /"notes.ttf"/.test(e.message),
  );
  await assert.rejects(
    readFonts([{ path: 'font.woff' }], access),
    (e: unknown) => e instanceof CompileError && e.path === '$.fonts[0].path',
  );
});

test('--font-dir folders: every .ttf/.otf in them; an empty one is refused', async () => {
  const fonts = await readFonts([], access, [path.dirname(BOLD)]);
  assert.deepEqual(
    fonts.map((f) => [f.family, f.weight]),
    [
      ['DejaVu Sans', 700],
      ['DejaVu Sans', 400],
      ['Noto Emoji', 400],
    ],
  );
  const empty = path.join(dir, 'empty');
  mkdirSync(empty);
  await assert.rejects(readFonts([], access, [empty]), OptionError);
});

test('a font file that is not there is an error at its entry, naming the folder looked in', async () => {
  await assert.rejects(
    readFonts(['serif.ttf', { path: 'fonts/missing.ttf', family: 'Paper' }], access),
    (e: unknown) =>
      e instanceof CompileError &&
      e.path === '$.fonts[1].path' &&
      e.message ===
        `font file "fonts/missing.ttf" not found (looked in ${path.join(specDir, 'fonts')})`,
  );
});

test('a --font-dir folder that is not there is refused in a sentence naming it', async () => {
  const missing = path.join(dir, 'no-such-folder');
  await assert.rejects(
    readFonts([], access, [missing]),
    (e: unknown) =>
      e instanceof OptionError &&
      e.message === `--font-dir ${JSON.stringify(missing)}: no such folder`,
  );
});
