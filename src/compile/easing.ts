/** Easing curves by name: d3-ease's family, as gganimate and Vega users know them. */
import * as d3 from 'd3-ease';
import type { EasingByChannel, EasingName } from '../spec/types.js';

export type Easing = (t: number) => number;

const FAMILIES: Record<string, [Easing, Easing, Easing]> = {
  quad: [d3.easeQuadIn, d3.easeQuadOut, d3.easeQuadInOut],
  cubic: [d3.easeCubicIn, d3.easeCubicOut, d3.easeCubicInOut],
  poly: [d3.easePolyIn, d3.easePolyOut, d3.easePolyInOut],
  sin: [d3.easeSinIn, d3.easeSinOut, d3.easeSinInOut],
  exp: [d3.easeExpIn, d3.easeExpOut, d3.easeExpInOut],
  circle: [d3.easeCircleIn, d3.easeCircleOut, d3.easeCircleInOut],
  elastic: [d3.easeElasticIn, d3.easeElasticOut, d3.easeElasticInOut],
  back: [d3.easeBackIn, d3.easeBackOut, d3.easeBackInOut],
  bounce: [d3.easeBounceIn, d3.easeBounceOut, d3.easeBounceInOut],
};

/** The easing function for a name such as `cubic-in-out`; undefined if unknown. */
export function easingByName(name: string): Easing | undefined {
  if (name === 'linear') return d3.easeLinear;
  const m = /^([a-z]+)(-in-out|-in|-out)?$/.exec(name);
  const family = m && FAMILIES[m[1]];
  if (!family) return undefined;
  const variant = m[2] === '-in' ? 0 : m[2] === '-out' ? 1 : 2;
  // d3's easings reach exactly 0 and 1 at the ends except exp (2^-10): pin them, so a
  // tween's last in-between never overshoots its data frame.
  const f = family[variant];
  return (t) => (t <= 0 ? 0 : t >= 1 ? 1 : f(t));
}

/** The easing for `channel` from `animation.tween.easing` (a name, or one per channel). */
export function channelEasing(
  spec: EasingName | EasingByChannel | undefined,
  channel: string | undefined,
): Easing {
  if (spec === undefined) return d3.easeLinear;
  if (typeof spec === 'string') return easingByName(spec) ?? d3.easeLinear;
  const name =
    (channel !== undefined
      ? (spec as Record<string, EasingName | undefined>)[channel]
      : undefined) ??
    spec.default ??
    'linear';
  return easingByName(name) ?? d3.easeLinear;
}
