/**
 * Property-based hostile specs: transforms whose numbers range from ordinary to enormous,
 * and expressions built from Vega's functions with hostile arguments (long strings,
 * huge sequences, regular expressions with nested quantifiers), rendered by the
 * `vega-frames` command under a watchdog. Each either renders or stops with a sentence for
 * the user (exit 2), within 10 s and 1 GiB, never an internal error, a signal or a hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { runWatched } from '../helpers/watchdog.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = path.join(ROOT, 'dist/cli/bin.js');

/** Numbers from the ordinary to the absurd: every bound sits somewhere in between. */
const size = fc.oneof(
  fc.integer({ min: 1, max: 50 }),
  fc.constantFrom(1e3, 1e5, 1e6, 5e6, 1e7, 1e9, 1e12),
);
const tiny = fc.constantFrom(1, 0.1, 1e-3, 1e-6, 1e-9);

const transform = fc.oneof(
  size.map((n) => ({ data: { sequence: { start: 0, stop: n, as: 'x' } } })),
  size.map((n) => ({ transform: [{ density: 'x', steps: n }] })),
  tiny.map((step) => ({ transform: [{ quantile: 'x', step }] })),
  size.map((n) => ({ transform: [{ impute: 'y', key: 'x', keyvals: { start: 0, stop: n } }] })),
  fc.tuple(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 })).map(([a, b]) => ({
    data: { sequence: { start: 0, stop: 2000, as: 'x' } },
    transform: [{ fold: Array(a).fill('x') }, { fold: Array(b).fill('key') }],
  })),
  size.map((n) => ({ encodingX: { bin: { maxbins: n } } })),
  tiny.map((step) => ({ encodingX: { bin: { step } } })),
  size.map((n) => ({ encodingX: { axis: { tickCount: n } } })),
  size.map((n) => ({ mark: { type: 'point', strokeWidth: n, size: n } })),
  size.map((n) => ({ padding: n })),
  size.map((n) => ({ animation: { tween: { frames: Math.min(n, 1000) }, pause: { end: n } } })),
);

/** Hostile arguments for Vega's own functions. */
const text = fc.oneof(
  fc.constantFrom("'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'", "'x'", "''"),
  size.map((n) => `pad('a', ${n}, 'a')`),
);
const pattern = fc.constantFrom(
  '/^(a+)+$/',
  '/(a|aa)+b/',
  '/(a*)*c/',
  '/((a+)|(b+))*c/',
  '/x/g',
  '/(?:a|a?)+$/',
);
const expression = fc.oneof(
  fc.tuple(pattern, text).map(([p, t]) => `test(${p}, ${t})`),
  fc.tuple(text, pattern).map(([t, p]) => `replace(${t}, ${p}, 'bb')`),
  fc.tuple(text, pattern).map(([t, p]) => `length(split(${t}, ${p}))`),
  size.map((n) => `length(sequence(0, ${n}))`),
  size.map((n) => `length(pad('', ${n}))`),
  size.map(
    (n) => `length(timeSequence('second', datetime(2000, 0, 1), datetime(2000, 0, 1) + ${n}))`,
  ),
  fc.tuple(text, size).map(([t, n]) => `length(replace(${t}, /a/g, pad('b', ${n}, 'b')))`),
);

function specOf(t: Record<string, unknown>, expr: string): object {
  const { encodingX, data, ...rest } = t;
  return {
    data: data ?? {
      values: [
        { x: 0, y: 1, t: 1 },
        { x: 1, y: 2, t: 2 },
      ],
    },
    mark: 'point',
    ...rest,
    transform: [...((rest.transform as object[]) ?? []), { calculate: expr, as: 'e' }],
    encoding: {
      x: { field: 'x', type: 'quantitative', ...(encodingX as object) },
      tooltip: { field: 'e' },
    },
  };
}

test('hostile property: generated transforms and expressions render or stop with a sentence', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vf-hostile-prop-'));
  try {
    await fc.assert(
      fc.asyncProperty(transform, expression, async (t, expr) => {
        const spec = specOf(t, expr);
        writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec));
        const run = await runWatched(
          process.execPath,
          [CLI, 'render', 'spec.json', '-o', 'out.gif', '--max-memory', '900m', '--timeout', '6'],
          { cwd: dir, killAfterSeconds: 30 },
        );
        const what = `${JSON.stringify(spec).slice(0, 300)}\n${run.stderr.slice(0, 400)}`;
        assert.equal(run.killed, false, `a hang: ${what}`);
        assert.ok(run.code === 0 || run.code === 2, `exit ${run.code} ${run.signal}: ${what}`);
        assert.doesNotMatch(
          run.stderr,
          /\n\s+at |FATAL|<--- |render failed|Maximum call stack/,
          what,
        );
        assert.ok(run.seconds < 10, `${run.seconds.toFixed(1)} s: ${what}`);
        assert.ok(run.peakBytes < 2 ** 30, `${(run.peakBytes / 2 ** 20).toFixed(0)} MiB: ${what}`);
      }),
      // A fixed seed keeps CI repeatable; VF_PROP_SEED and VF_PROP_RUNS explore further.
      {
        numRuns: Number(process.env.VF_PROP_RUNS ?? 24),
        seed: Number(process.env.VF_PROP_SEED ?? 20261206),
        endOnFailure: true,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
