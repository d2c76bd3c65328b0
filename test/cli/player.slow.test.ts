/** The command's HTML player options: --player-autoplay and --fragment, as a user runs them. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { playerPayload } from '../helpers/motion.js';
import { run } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'vf-cli-player-'));

test('--player-autoplay false and --fragment: a player that waits for Play, as a <div>', () => {
  const out = path.join(tmp, 'countries.html');
  const r = run(
    'render',
    'specs/motion-countries.yaml',
    '-o',
    out,
    '--player-autoplay',
    'false',
    '--fragment',
  );
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.err, /warning/);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /^<div class="vf-player"/);
  assert.doesNotMatch(html, /<html|<body/);
  assert.equal(playerPayload(out).autoplay, false);

  // Without them: a page that plays on load.
  const page = path.join(tmp, 'page.html');
  assert.equal(run('render', 'specs/motion-countries.yaml', '-o', page, '-q').code, 0);
  assert.match(readFileSync(page, 'utf8'), /^<!doctype html>/);
  assert.equal(playerPayload(page).autoplay, true);
  // --player-autoplay=true as well as a separate value.
  const on = path.join(tmp, 'on.html');
  const t = run('render', 'specs/motion-countries.yaml', '-o', on, '--player-autoplay=true', '-q');
  assert.equal(t.code, 0, t.err);
  assert.equal(playerPayload(on).autoplay, true);
});

test('--player-autoplay takes true or false; both options warn on another format', () => {
  const bad = run(
    'render',
    'specs/motion-countries.yaml',
    '-o',
    path.join(tmp, 'bad.html'),
    '--player-autoplay',
    'no',
  );
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--player-autoplay "no" is not true or false/);
  const gif = run(
    'render',
    'specs/coin-flips.yaml',
    '-o',
    path.join(tmp, 'flips.gif'),
    '--fragment',
    '--player-autoplay',
    'false',
  );
  assert.equal(gif.code, 0, gif.err);
  assert.match(
    gif.err,
    /--player-autoplay applies to the HTML player only: a gif render ignores it/,
  );
  assert.match(gif.err, /--fragment applies to the HTML player only: a gif render ignores it/);
  // --help lists them.
  const help = run('render', '--help');
  assert.match(help.out, /--player-autoplay true\|false\s+\.html: start playing once loaded/);
  assert.match(help.out, /--fragment\s+\.html: the player alone/);
});
