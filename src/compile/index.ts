/**
 * The compiler: a vega-frames spec → a FramePlan (one Vega spec + what changes per frame).
 *
 *   spec ──1 extract──▶ VL spec without frame channels, named data sources
 *        ──2 params────▶ + frame, frame_index, frame_count, progress, …; {frame} templates
 *        ──3 Vega-Lite─▶ one Vega spec (compiled once, never per frame)
 *   + tables ──4 plan──▶ frame clock and per-source partitions by frame
 *
 * Pure and synchronous: loading data and running Vega happen in data/ and render/.
 */
import * as vl from 'vega-lite';
import type { AnimationParams } from '../spec/types.js';
import { type ResolvedAnimation, hasInBetweens, resolveAnimation } from './animation.js';
import { type SourceRef, extractSources } from './extract.js';
import { type Messages, createMessages, message } from './messages.js';
import { FRAME_PARAMS, FRAME_TEXT, applyTemplates, checkTemplates } from './templates.js';
import { checkExpressions, checkSignals } from './expressions.js';
import { checkFormats } from './formats.js';
import { checkFields } from './fields.js';
import { quote } from '../spec/errors.js';
import { checkEffects, scaleChannel } from './motion.js';
import { type SpecUnit, checkMarkOptions, specUnits, withoutMarkOptions } from './units.js';
import { type Json, isObject } from '../support/json.js';
import { type StyleOptions, sizeSpec, styledConfig } from './theme.js';

export { CompileError } from './messages.js';
export type { ResolvedAnimation, ResolvedTrail } from './animation.js';
export { hasMotion } from './animation.js';
export type { OutputFrame } from './timeline.js';
export { buildTimeline } from './timeline.js';
export { FRAME_TEXT } from './templates.js';
export type { ColorMix } from './motion.js';
export {
  MOTION_COLUMNS,
  colorColumn,
  domainSignal,
  dropJoinKeys,
  rangeSignal,
  rewriteForMotion,
  scaleChannel,
} from './motion.js';
export type { Easing } from './easing.js';
export { channelEasing, easingByName } from './easing.js';
export type { SourceMotion } from './extract.js';
export type { SourceRef } from './extract.js';
export { type StyleOptions, THEME_NAMES, themeConfig } from './theme.js';
export { FONT_KEY, SHIPPED_FAMILIES, fontList, unregisteredFamilies } from './font-families.js';

/** The font vega-frames ships and registers, so text lays out the same on every machine. */
export const DEFAULT_FONT = 'DejaVu Sans';

export interface CompiledSpec {
  /** The Vega spec, parsed once per View. */
  vega: Json;
  sources: SourceRef[];
  animation: ResolvedAnimation;
  /** Whether any unit has a frame channel (else the spec is one static frame). */
  animated: boolean;
  temporalFrames: boolean;
  /** The spec's title as written (templates unexpanded), for output metadata. */
  title?: string;
  /** The spec's units (nodes with a mark): where each Vega mark is written. */
  units: SpecUnit[];
  warnings: string[];
}

export function compileSpec(
  input: Json,
  log: Messages = createMessages(),
  style: StyleOptions = {},
): CompiledSpec {
  // 0. Expressions, field names and formats Vega would refuse or misread, and templates
  // naming no frame variable, with their JSON path.
  const signalReads = checkExpressions(input, log);
  checkFields(input, log);
  checkFormats(input, log);
  checkTemplates(input, log);

  // 1. Frame channels out, data sources named.
  const { spec, sources } = extractSources(input, log);
  const framed = sources.filter((s) => s.frame);
  const temporalFrames = framed.some((s) => s.frame!.type === 'temporal' || s.frame!.timeUnit);

  // 2. Frame params for every expression, and {frame} templates.
  const params = Array.isArray(spec.params) ? (spec.params as Json[]) : [];
  for (const p of params) {
    if ([...FRAME_PARAMS, FRAME_TEXT].includes(p.name as string))
      throw log.error(message.reservedParam(String(p.name)), '$.params');
  }
  spec.params = [
    ...params,
    { name: 'frame', value: 0 },
    { name: 'frame_index', value: 0 },
    { name: 'frame_count', value: 1 },
    { name: 'progress', value: 0 },
    { name: 'previous_frame', value: 0 },
    { name: 'next_frame', value: 0 },
    { name: FRAME_TEXT, value: '0' },
  ];
  applyTemplates(spec, temporalFrames);
  // The theme and the config option under the spec's own config.
  const styled = styledConfig(spec, style, log);
  if (styled) spec.config = styled;
  sizeSpec(spec, style);
  const config = (spec.config ??= {}) as Json;
  config.font ??= DEFAULT_FONT;
  const animation = resolveAnimation(input.animation as AnimationParams | undefined);
  checkTween(animation, framed, log);
  if (animation.background) spec.background = animation.background;

  // 3. Vega-Lite, once. Its warnings go to our logger, not the console.
  const logger = {
    level: () => logger,
    warn: (...args: unknown[]) => (log.warn(args.map(String).join(' ')), logger),
    info: () => logger,
    debug: () => logger,
    error: (...args: unknown[]) => (log.warn(args.map(String).join(' ')), logger),
  };
  // The spec's own mark options travel in the units; Vega-Lite is given its own spec.
  const units = specUnits(spec);
  checkMarkOptions(units, log);
  withoutMarkOptions(spec);
  let vega: Json;
  try {
    vega = vl.compile(spec as never, { logger: logger as never }).spec as unknown as Json;
  } catch (error) {
    // A spec the schema accepts can still be one Vega-Lite's compiler fails on (a channel
    // combination it does not handle): the spec's fault to fix, not a crash of ours.
    throw log.error(message.vegaLiteFailed((error as Error).message ?? String(error)), '$');
  }
  // Signals the expressions read: the spec's params and what Vega-Lite made of them.
  checkSignals(signalReads, vega, input, log);
  checkMotion(vega, sources, animation, log);
  checkEffects(input.animation, vega, sources, animation, units, log);
  // Reveal draws every row up to the frame: cumulative frames, everywhere frames are read.
  if (animation.reveal)
    for (const s of sources) if (s.frame) s.frame = { ...s.frame, cumulative: true };
  return {
    vega,
    sources,
    animation,
    animated: framed.length > 0,
    temporalFrames,
    title: titleOf(input.title),
    units,
    warnings: log.warnings,
  };
}

/** The fields data-driven scale domains read: only their extremes and values matter. */
export function domainFields(scales: Json[]): Set<string> {
  const fields = new Set<string>();
  for (const s of scales) {
    const d = s.domain as Json;
    if (typeof d.field === 'string') fields.add(d.field);
    for (const f of (Array.isArray(d.fields) ? d.fields : []) as unknown[]) {
      if (typeof f === 'string') fields.add(f);
      else if (isObject(f) && typeof f.field === 'string') fields.add(f.field);
    }
  }
  return fields;
}

export function isDataDomain(domain: unknown): boolean {
  return isObject(domain) && ('data' in domain || 'fields' in domain);
}

/** Fields any data-driven top-level scale of a compiled spec reads (see fixScaleDomains). */
export function dataDomainFields(vega: Json): Set<string> {
  const scales = (Array.isArray(vega.scales) ? vega.scales : []) as Json[];
  return domainFields(scales.filter((s) => isDataDomain(s.domain)));
}

export type { SpecUnit } from './units.js';
export { unitOfMark } from './units.js';
export { FacetError, PANEL_FIELD, defaultColumns, smallMultiplesSpec } from './facet.js';

/** Motion options that name what the spec does not have, and tweens matched by row order. */
/**
 * Tween options that cannot apply: time spacing asked of frames with no gaps (ordinal or
 * nominal), and wrap with rewind, which returns to the first frame already.
 */
function checkTween(animation: ResolvedAnimation, framed: SourceRef[], log: Messages): void {
  const tween = animation.tween;
  const continuous = framed.some(
    (s) => s.frame!.type === 'quantitative' || s.frame!.type === 'temporal' || s.frame!.timeUnit,
  );
  if (tween?.spacing === 'time' && framed.length > 0 && !continuous)
    log.warn(message.spacingNotContinuous(), '$.animation.tween.spacing');
  if (tween?.wrap && animation.rewind) {
    log.warn(message.wrapWithRewind(), '$.animation.tween.wrap');
    tween.wrap = false;
  }
}

function checkMotion(
  vega: Json,
  sources: SourceRef[],
  animation: ResolvedAnimation,
  log: Messages,
): void {
  const scales = new Set(
    ((Array.isArray(vega.scales) ? vega.scales : []) as Json[]).map((s) =>
      scaleChannel(String(s.name)),
    ),
  );
  const scaleDefs = (Array.isArray(vega.scales) ? vega.scales : []) as Json[];
  animation.rescale.forEach((channel, i) => {
    if (!scales.has(channel))
      throw log.error(
        message.rescaleWithoutScale(channel, [...scales]),
        `$.animation.rescale[${i}]`,
      );
    const fromData = scaleDefs.some(
      (s) =>
        scaleChannel(String(s.name)) === channel &&
        typeof s.domain === 'object' &&
        s.domain !== null &&
        !Array.isArray(s.domain),
    );
    if (!fromData) log.warn(message.rescaleFixedDomain(channel), `$.animation.rescale[${i}]`);
  });
  if (!hasInBetweens(animation)) return;
  for (const s of sources) {
    if (s.frame && !s.motion?.key && !s.frame.cumulative && !animation.reveal)
      log.warn(
        `tweens match the rows of ${s.data.url ? quote(s.data.url) : 'the inline data'} across frames by their order in each frame; add encoding.key (e.g. key: {field: id}) to match them by identity`,
      );
  }
}

function titleOf(title: unknown): string | undefined {
  const text = typeof title === 'object' && title !== null ? (title as Json).text : title;
  if (typeof text === 'string') return text;
  if (Array.isArray(text)) return text.map(String).join(' ');
  return undefined;
}
