/** The `animation` block with its defaults resolved. */
import type { AnimationParams } from '../spec/types.js';

export interface ResolvedAnimation {
  fps: number;
  loop: boolean | number;
  pauseStart: number;
  pauseEnd: number;
  background?: string;
  as: 'animation' | 'facet';
  columns?: number;
}

export const DEFAULT_FPS = 10;

export function resolveAnimation(a: AnimationParams | undefined): ResolvedAnimation {
  return {
    fps: a?.fps ?? DEFAULT_FPS,
    loop: a?.loop ?? true,
    pauseStart: a?.pause?.start ?? 0,
    pauseEnd: a?.pause?.end ?? 0,
    background: a?.background,
    as: a?.as ?? 'animation',
    columns: a?.columns,
  };
}
