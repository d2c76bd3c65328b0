/**
 * Every message render/ gives the user, as a function returning the sentence (after
 * Vega-Lite's src/log/message.ts and compile/messages.ts): what Vega could not build or
 * evaluate, images and links the spec names, and the pixels a frame or canvas takes. The
 * bounds on expression functions (bounded-functions.ts) keep their sentences beside them:
 * that code also runs, as its own text, in the HTML player's page, where it imports nothing.
 */
import { quote } from '../spec/errors.js';

/** How each "the chart cannot be built" message begins. */
const notBuilt = 'the chart cannot be built: ';

export const renderMessage = {
  // Vega's own refusals and failures (view.ts, frame-renderer.ts).
  expressionBound: (reason: string) => `an expression in the spec: ${reason}`,
  /** `first`: the first error Vega logged, when it says anything a user can act on. */
  notEvaluated: (first: string | undefined) =>
    `Vega could not evaluate the chart with this data${first ? `: ${first}` : ''} (check the encodings' types and formats against the data)`,
  colourNotMapped: (scale: string, value: unknown) =>
    `Vega could not evaluate the chart with this data: the ${quote(scale)} scale cannot map ${quote(String(value), 40)} to a colour (check the encodings' types and formats against the data)`,
  undefinedParam: (name: string) =>
    `${notBuilt}the spec reads a param or selection named ${quote(name)} that it does not define`,
  undefinedDataSet: (name: string) =>
    `${notBuilt}the spec reads a data set named ${quote(name)} that it does not define`,
  duplicateName: (name: string) =>
    `${notBuilt}Vega-Lite gave two of its views one name (${quote(name)}): views repeated or layered on the same field need distinct fields or names`,
  paramCycle: () => `${notBuilt}params or expressions in the spec depend on each other in a cycle`,
  vegaRefuses: (said: string) => `${notBuilt}Vega refuses the compiled chart: ${quote(said)}`,

  gridTooLarge: (field: string, cap: number) =>
    `the grid of cells has more than ${cap.toLocaleString('en')} distinct values of ${quote(field)} along one axis, more than an image can show: aggregate or sample the matrix first`,

  // Pixels (frame-renderer.ts, allocate.ts).
  framePixels: (width: number, height: number, most: number) =>
    `a frame is ${width}×${height} = ${(width * height).toLocaleString('en')} pixels, over the limit of ${most.toLocaleString('en')}; raise it with --max-pixels if you trust this spec`,
  canvasNotAllocated: (width: number, height: number) =>
    `a canvas of ${width}×${height} = ${(width * height).toLocaleString('en')} pixels could not be allocated (too little memory for it): make the chart smaller (width, height, --scale)`,

  // Images and links the spec names (loader.ts).
  imagesNotLoaded: (uri: string) => `${quote(uri)}: images are not loaded here`,
  /** A data access message about an image: the policy's sentence, naming it an image. */
  imageAccess: (reason: string) => `image ${reason}`,
  imageNotFound: (uri: string, dir: string) => `image ${quote(uri)} not found (looked in ${dir})`,
  imageUnreadable: (uri: string, reason: string) => `image ${quote(uri)} cannot be read: ${reason}`,
  dataUrlMalformed: (uri: string) =>
    `image ${quote(uri.slice(0, 60))}: the data: URL is malformed (a % not followed by two hex digits)`,
  /** `formats`: the formats the canvas draws (image-size.ts, DRAWN_FORMATS). */
  notAnImage: (uri: string, formats: string) =>
    `image ${quote(uri)} is not an image the canvas draws (${formats}, read from its first bytes)`,
  imageSizeUnread: (uri: string, format: string) =>
    `image ${quote(uri)} cannot be drawn: its size cannot be read from its ${format} header (cut short or malformed)`,
  imagePixels: (uri: string, width: number, height: number, most: number) =>
    `image ${quote(uri)} is ${width}×${height} = ${(width * height).toLocaleString('en')} pixels when decoded, over the limit of ${most.toLocaleString('en')}; raise it with --max-pixels if you trust this spec`,
  imageNotDecoded: (uri: string, reason: string) =>
    `image ${quote(uri)} cannot be drawn: the canvas could not decode it (${reason})`,
  imageWithoutUrl: () => 'an image item without a URL',
  vegaMayNotLoad: (uri: string) =>
    `${quote(uri)}: Vega may not load files or URLs here; data is supplied by vega-frames`,
  linkRefused: (uri: string) =>
    `link ${quote(uri)} is refused: links may be web (http, https), mail or relative URLs`,
};
