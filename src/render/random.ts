/**
 * Seeded randomness, so a chart that jitters or samples renders the same bytes every time.
 * Vega's `random()` expression function, `sample` transform, bootstrap confidence intervals
 * (`ci0`, `ci1`) and word clouds all draw from one generator, Math.random unless replaced
 * (vega-statistics' setRandom). Every dataflow run here replaces it with one seeded by what
 * that run evaluates: the parts no frame changes by a fixed seed, an output frame by its
 * place in the timeline (its data frames and tween position, not its index, so a hold or a
 * rewind shows its frame again exactly). Frame k's values then depend neither on the thread
 * that renders it nor on which frames that thread rendered before.
 *
 * That holds when every run of a frame evaluates the same operators from the same state,
 * which the renderer ensures for specs that use randomness (see `usesRandomness`): it
 * re-sends the frame params even when unchanged, and evaluates a frame only after another
 * frame's rows were in place (Vega's sample transform takes another path on its first rows).
 */
import * as vega from 'vega';
import type { OutputFrame } from '../compile/index.js';

/** Mixed into every seed: change it and every random value changes. */
const SALT = 'vega-frames 1';

/** The seed of a view's first run: the static parts (and frame params at their defaults). */
export const STATIC_SEED = seedOf('static');

/** The seed of an output frame: data frame `from`, or a tween from `from` to `to` at `t`. */
export function frameSeed(f: Pick<OutputFrame, 'from' | 'to' | 't'>): number {
  return seedOf(f.t === 0 ? `frame ${f.from}` : `tween ${f.from} ${f.to} ${f.t}`);
}

/** FNV-1a (32 bits) of the salted key. */
function seedOf(key: string): number {
  let h = 0x811c9dc5;
  for (const c of `${SALT}|${key}`) {
    h ^= c.codePointAt(0)!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Mulberry32: uniform numbers in [0, 1) from a 32-bit seed, in integer arithmetic only, so
 * the same on every machine. The HTML player has a copy (player/runtime.ts): keep the two
 * the same, or the player's random values differ from the rendered files'.
 */
export function seededRandom(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const setRandom = (vega as unknown as { setRandom(r: () => number): void }).setRandom;

/**
 * Runs the view's dataflow drawing random numbers from a generator seeded with `seed`. It
 * is installed in the run's prerun callback, right before the operators are evaluated, as
 * the generator is one per thread.
 */
export async function runSeeded(view: vega.View, seed: number): Promise<void> {
  const run = view.runAsync as unknown as (
    this: vega.View,
    encode: undefined,
    prerun: () => void,
  ) => Promise<unknown>;
  await run.call(view, undefined, () => setRandom(seededRandom(seed)));
}

/** Sets a signal; `force` sends it even unchanged, so what reads it runs again. */
export function setSignal(view: vega.View, name: string, value: unknown, force: boolean): void {
  const set = view.signal as unknown as (
    this: vega.View,
    name: string,
    value: unknown,
    options: { force: boolean },
  ) => unknown;
  set.call(view, name, value, { force });
}

/**
 * Whether a Vega spec may draw random numbers: an expression calling `random()` or one of
 * the `sample…` distributions, a sample transform, a confidence interval, a word cloud. It
 * may say yes for a field merely named so: that costs a dataflow run or two, nothing else.
 */
export function usesRandomness(spec: unknown): boolean {
  return /random|sample|"ci[01]"|wordcloud/i.test(JSON.stringify(spec) ?? '');
}
