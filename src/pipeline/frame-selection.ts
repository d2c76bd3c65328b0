/**
 * `--frames a:b[:step]`: which output frames a render writes, in Python's slice rules.
 */
import { OptionError } from '../spec/errors.js';
import { pipelineMessage } from './messages.js';

const FRAME_SLICE = /^(-?\d*):(-?\d*)(?::(\d+))?$/;

/** The step of `a:b[:step]` (1 when there is none, or no selection). */
export function frameStep(spec: string | undefined): number {
  const m = spec ? FRAME_SLICE.exec(spec.trim()) : null;
  return m?.[3] ? Number(m[3]) : 1;
}

/** Parses `a:b[:step]` into frame indices (Python slice semantics, negatives from the end). */
export function selectFrames(spec: string | undefined, count: number): number[] {
  const all = Array.from({ length: count }, (_, i) => i);
  if (!spec) return all;
  const m = FRAME_SLICE.exec(spec.trim());
  if (!m) throw new OptionError(pipelineMessage.framesNotSlice(spec));
  const norm = (s: string, dflt: number) => {
    if (s === '') return dflt;
    const v = Number(s);
    return Math.max(0, Math.min(count, v < 0 ? count + v : v));
  };
  const step = m[3] ? Number(m[3]) : 1;
  if (step < 1) throw new OptionError(pipelineMessage.framesStep(spec));
  const out: number[] = [];
  for (let i = norm(m[1], 0); i < norm(m[2], count); i += step) out.push(i);
  if (out.length === 0) throw new OptionError(pipelineMessage.framesSelectNone(spec, count));
  return out;
}
