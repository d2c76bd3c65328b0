/**
 * Every message the pipeline gives the user, as a function returning the sentence (after
 * Vega-Lite's src/log/message.ts and compile/messages.ts): the render options that cannot
 * be honoured for this spec and this output (an OptionError, exit 2). The stages' own
 * messages live in their folders' catalogues.
 */
import { quote } from '../spec/errors.js';

export const pipelineMessage = {
  configNotObject: () => 'the config option must be an object (a Vega-Lite config)',
  configInvalid: (problems: string[]) =>
    `the config option is not a Vega-Lite config: ${problems.join('; ')}`,
  figureSize: (key: string, value: number) => `the figure ${key} ${value} must be a number > 0`,
  fitWidthIsStill: (format: string) =>
    `--fit-width scales a still figure (png, svg, pdf); ${format} is an animation: size it with --width`,
  // The output's format (formats.ts, index.ts).
  unknownFormat: (file: string) =>
    `cannot tell the output format from ${quote(file)}: use .gif, .apng, .mp4, .webm, .html, .png, .svg, .pdf, or a folder ending in "/" for PNG frames (or --format)`,
  facetIsStill: (format: string) =>
    `small multiples are a still figure: write .png, .svg or .pdf, not ${format}`,
  crfOverH264: (crf: number) => `--crf ${crf} is above 51, the most H.264 allows`,

  // Which frames (frame-selection.ts, still.ts, player.ts).
  framesNotSlice: (slice: string) => `--frames ${quote(slice)} is not a:b or a:b:step`,
  framesStep: (slice: string) => `--frames ${quote(slice)}: the step must be at least 1`,
  framesSelectNone: (slice: string, count: number) =>
    `--frames ${quote(slice)} selects no frame of ${count}`,
  frameOutOfRange: (frame: number, count: number) =>
    `--frame ${frame} is out of range: the spec has ${count} frames (0..${count - 1})`,
  playerHoldsEveryFrame: () => 'the HTML player holds every frame: drop --frames',
  playerOptionIgnored: (option: string, format: string) =>
    `${option} applies to the HTML player only: ${/^[aeiou]|^mp4|^svg/i.test(format) ? 'an' : 'a'} ${format} render ignores it`,
  pdfIgnoresScale: (option: string) =>
    `${option} sets pixels, and a PDF has none: its page is the figure's size in points; a pdf render ignores it (size the page with --width or --fit-width)`,
  ditherGifOnly: (format: string) =>
    `animation.dither applies to GIF only; ${format} output ignores it`,
  smoothIgnored: (why: string) =>
    `smooth applies to rect cells drawn as one image, and these are not: ${why}; it is ignored`,
  crfVideoOnly: (option: string, format: string) =>
    `${option} applies to MP4 and WebM only; ${format} output ignores it`,

  // Small multiples (small-multiples.ts).
  tooManyPanels: (panels: number, most: number) =>
    `${panels} panels are too many for small multiples (at most ${most}); pick frames with --frames a:b:step`,
  tweenedPanelsPng: (format: string) =>
    `small multiples of an animation with tweens, trails or reveal are its frames as rendered: write .png, not ${format}`,
};
