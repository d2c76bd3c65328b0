/**
 * The headless renderer: one parsed Vega View and one canvas renderer for a whole
 * animation. Per frame only the datasets and the frame params change; large symbol marks
 * are drawn by the fast path. Only this folder touches Vega's View and the canvas.
 */
import { type Canvas, PDFDocument, type SKRSContext2D } from 'canvas';
import * as vega from 'vega';
import type { FramePlan } from '../data/plan.js';
import type { PlannedSource } from '../data/partition.js';
import { frameData } from '../data/partition.js';
import { hasMotion } from '../compile/index.js';
import { everyRow, rowsAt } from '../data/table.js';
import {
  type DirectLayer,
  type Draw,
  FastSymbolLayer,
  type ScaleLookup,
  withFastMarks,
} from './fast-symbols.js';
import { FastCellLayer, drawSnappedRects } from './fast-cells.js';
import { aliasingFonts, registerFontFiles, registerFonts, svgFontNames } from './fonts.js';
import { layoutDomains, rescaledDomains } from './scales.js';
import type { DrawingPlan } from './drawing.js';
import { outputFrameSignals } from './signals.js';
import { type FrameData, MotionData } from './tween.js';
import { parseColor } from './colors.js';
import { VegaRuntimeError, createView } from './view.js';
import { STATIC_SEED, frameSeed, runSeeded, setSignal, usesRandomness } from './random.js';
import { frameCopied } from './full-gc.js';
import { LimitError } from '../spec/limits.js';
import { allocatingCanvas } from './allocate.js';
import { renderMessage } from './messages.js';
import { keepRotatedPaths } from './canvas-rotate.js';
import type { Json } from '../support/json.js';

export interface RenderedFrame {
  width: number;
  height: number;
  /** RGBA bytes, opaque (the background is painted under every frame). */
  rgba: Uint8Array;
}

export interface RendererOptions {
  /** Device pixels per Vega pixel. */
  scale?: number;
  /** Most device pixels a frame may have; checked before the canvas is made. */
  maxPixels?: number;
}

interface CanvasRendererLike {
  initialize(
    el: null,
    w: number,
    h: number,
    origin: number[],
    scale: number,
    options?: { externalContext: SKRSContext2D },
  ): CanvasRendererLike;
  resize(w: number, h: number, origin: number[], scale: number): CanvasRendererLike;
  background(color: unknown): CanvasRendererLike;
  render(scene: unknown): CanvasRendererLike;
  canvas(): Canvas;
  _ready?: Promise<unknown> | null;
}

/** What the View exposes at runtime beyond its typings. */
interface ViewInternals {
  _viewWidth: number;
  _viewHeight: number;
  _origin: [number, number];
}

export class FrameRenderer {
  private renderer: CanvasRendererLike | undefined;
  /** The size the canvas was last made for. */
  private canvasSize = { width: NaN, height: NaN, origin: [NaN, NaN] };
  private size: { width: number; height: number } | undefined;
  private laidOut = false;
  private checkView: () => void = () => undefined;
  private imagesAs: (form: 'bytes' | 'data-url') => void = () => undefined;
  private maxPixels = Infinity;
  /** The sources' datasets the Vega spec has (one no mark draws is left out). */
  private inVega = new Set<string | undefined>();
  /** The spec draws random numbers: each frame's run must be the same wherever it runs. */
  private random = false;
  // Fixed for the whole animation: the sources Vega gets no rows of, the marks drawn here.
  private readonly fastSources: Set<number>;
  private readonly hooks: Map<string, Draw>;

  readonly plan: FramePlan;
  readonly vegaSpec: Json;

  private constructor(
    private readonly drawing: DrawingPlan,
    private readonly view: vega.View,
    private readonly fastLayers: DirectLayer[],
    private scale: number,
  ) {
    this.fastSources = new Set(
      fastLayers.filter((l) => l.mark.ownsSource).map((l) => l.mark.source),
    );
    this.hooks = new Map([
      ...drawing.snapped.map((name): [string, Draw] => [name, drawSnappedRects]),
      ...fastLayers.map((l): [string, Draw] => [l.mark.markName, l.draw]),
    ]);
    const plan = (this.plan = drawing.plan);
    this.vegaSpec = drawing.vega;
    this.rescaled = Object.keys(rescaledDomains(plan, drawing, 0)).length > 0;
    if (hasMotion(plan.animation)) {
      // A category scale that keeps its categories' colours (rescaled) knows every one's,
      // also a category the frame shown does not hold: a mix reads those.
      const kept = new Map(
        Object.entries(drawing.unionRanges).map(([scale, { domain, range }]) => [
          scale,
          new Map(domain.map((v, k) => [v, range[k]])),
        ]),
      );
      this.motion = new MotionData(plan, [...drawing.colorMixes], (scale, value) => {
        const union = kept.get(scale)?.get(value instanceof Date ? +value : value);
        if (typeof union === 'string') return union;
        const f = view.scale(scale) as unknown as ((v: unknown) => unknown) | undefined;
        let c: unknown;
        try {
          c = f ? f(value) : undefined;
        } catch {
          // Called here, not in Vega's dataflow (which logs such failures as check() reads
          // them): a domain that does not interpolate (empty strings, ±1e308) throws a
          // TypeError from inside d3.
          throw new VegaRuntimeError(renderMessage.colourNotMapped(scale, value));
        }
        return typeof c === 'string' ? c : undefined;
      });
    }
  }
  private readonly motion: MotionData | undefined;
  /** Whether some scale follows each frame's data (animation.rescale). */
  private readonly rescaled: boolean;

  /** A renderer of the drawing plan's frames (stage 7): one View for the whole animation. */
  static async create(drawing: DrawingPlan, options: RendererOptions = {}): Promise<FrameRenderer> {
    const { plan, fast, vega: vegaSpec } = drawing;
    registerFonts();
    const fonts = registerFontFiles(plan.fonts ?? []);
    const { view, check, imagesAs } = createView(vegaSpec, plan.access, fonts);
    const lookup: ScaleLookup = {
      scale: (name) => view.scale(name) as unknown as ReturnType<ScaleLookup['scale']>,
      signal: (name) => view.signal(name),
    };
    const fastLayers: DirectLayer[] = fast.map((m) =>
      m.kind === 'cells'
        ? new FastCellLayer(m, plan.planned[m.source], lookup)
        : new FastSymbolLayer(m, plan.planned[m.source], lookup),
    );
    // Sources only fast marks read get no rows (a fast mark sharing its data with other
    // marks reads a dataset of its own, and the source gets its rows as usual).
    const fastSources = new Set(fast.filter((m) => m.ownsSource).map((m) => m.source));
    // A source no mark draws (an empty layer) is left out of the Vega spec: nothing is sent.
    const inVega = new Set(((vegaSpec.data ?? []) as { name?: string }[]).map((d) => d.name));
    plan.planned.forEach((s, i) => {
      if (!inVega.has(s.name)) return;
      if (fastSources.has(i)) view.data(s.name, []);
      else if (!s.partition) view.data(s.name, everyRow(s.table));
    });
    // One run so the scales exist: the fast path reads them to pick each frame's bounds rows,
    // and scaleColors() reads their colours for the GIF palette. It runs for every chart: one
    // without a fast mark needs its scale colours too, or they would be quantized, not exact.
    await runSeeded(view, STATIC_SEED);
    check();
    const renderer = new FrameRenderer(drawing, view, fastLayers, options.scale ?? 1);
    renderer.maxPixels = options.maxPixels ?? Infinity;
    renderer.random = usesRandomness(vegaSpec);
    renderer.checkView = check;
    renderer.imagesAs = imagesAs;
    renderer.inVega = inVega;
    return renderer;
  }

  /** Output frames: data frames, tweens and rewind, in play order. */
  get frameCount(): number {
    return this.plan.timeline.length;
  }

  /**
   * What each framed source draws in output frame i (tweens, trails), for the player, which
   * ships every output frame's rows. Runs the dataflow once first: colour mixes read scales.
   */
  async outputFrameData(): Promise<(s: PlannedSource, i: number) => FrameData> {
    await this.update(0);
    const motion = this.motion;
    const f = (i: number) => this.plan.timeline[i].from;
    return motion ? (s, i) => motion.frame(s, i) : (s, i) => frameData(s, f(i));
  }

  /** Fast-path marks in use (by Vega mark name), for diagnostics and tests. */
  get fastMarks(): string[] {
    return this.fastLayers.map((l) => l.mark.markName);
  }

  /**
   * Items of each named mark in the frame last rendered, over all its groups (a facet's
   * panels); a fast mark's are the rows the fast path drew.
   */
  sceneItems(): Map<string, number> {
    const counts = new Map<string, number>();
    const visit = (node: unknown): void => {
      const n = node as { marktype?: string; name?: string; items?: unknown[] };
      if (n.marktype !== undefined && n.marktype !== 'group' && n.name !== undefined)
        counts.set(n.name, (counts.get(n.name) ?? 0) + (n.items?.length ?? 0));
      for (const child of n.items ?? []) visit(child);
    };
    visit((this.view.scenegraph() as unknown as { root: unknown }).root);
    for (const l of this.fastLayers) counts.set(l.mark.markName, l.rowCount);
    return counts;
  }

  /** Sets frame k's data and params and runs the dataflow. */
  private async update(k: number): Promise<void> {
    const grown = this.laidOut ? {} : layoutDomains(this.drawing);
    if (!this.laidOut && (k !== 0 || this.random || Object.keys(grown).length > 0)) {
      // Vega sizes the view once, on its first run with data ("pad" autosize does not
      // resize later): lay out with frame 0 whichever frame comes first, so every renderer
      // (worker, slice, --frame N) places the chart at the same origin, and with every
      // category a rescaled discrete scale shows over the frames, so a growing legend fits.
      // With fast marks there was an earlier run without their rows (to make the scales
      // the bounds rows are picked with), hence resize(). A spec drawing random numbers
      // runs frame 0 twice when it comes first: every frame then replaces rows already
      // there (random.ts).
      await this.setFrameData(0);
      for (const [name, value] of Object.entries(grown)) this.view.signal(name, value);
      (this.view as unknown as { resize(): void }).resize();
      await this.run(0);
      this.checkView();
    }
    if (!this.laidOut && k === 0 && !this.random && Object.keys(grown).length === 0)
      (this.view as unknown as { resize(): void }).resize();
    this.laidOut = true;
    await this.setFrameData(k);
    await this.run(k);
    this.checkView();
  }

  /** Runs the dataflow for output frame i, its random numbers seeded by the frame. */
  private run(i: number): Promise<void> {
    return runSeeded(this.view, frameSeed(this.plan.timeline[i]));
  }

  /** Sets output frame i's data, params and (rescaled) scale domains. */
  private async setFrameData(i: number): Promise<void> {
    const { plan, view } = this;
    const f = plan.timeline[i];
    if (this.rescaled) {
      for (const [name, domain] of Object.entries(rescaledDomains(plan, this.drawing, i)))
        view.signal(name, domain);
      if (this.fastLayers.length) {
        // The fast path reads the scales to pick its bounds rows: let the new domains in first.
        await this.run(i);
        this.checkView();
        for (const l of this.fastLayers) l.scalesChanged();
      }
    }
    const data = (s: PlannedSource) =>
      this.motion ? this.motion.frame(s, i) : frameData(s, f.from);
    plan.planned.forEach((s, n) => {
      if (s.partition && !this.fastSources.has(n) && this.inVega.has(s.name)) {
        const d = data(s);
        view.data(s.name, rowsAt(d.table, d.rows));
      }
    });
    // Randomness: re-sent even when unchanged (a hold, a tween within one frame value), so
    // what reads them runs, and draws its numbers, in every run of every frame.
    for (const [name, value] of Object.entries(outputFrameSignals(plan, i)))
      setSignal(view, name, value, this.random);
    // The fast path draws these rows; Vega gets the few that bound them, for its layout.
    for (const l of this.fastLayers) {
      // A source without frames: all of it, every frame.
      const d = l.source.partition
        ? data(l.source)
        : { table: l.source.table, rows: this.allRows(l.source) };
      l.setFrameData(d.table, d.rows);
      view.data(l.mark.dataset, rowsAt(l.frameTable, l.boundsRows()));
    }
  }

  /** Every row of a source without frames, by index (made once). */
  private allRows(s: PlannedSource): Uint32Array {
    let rows = this.unframedRows.get(s);
    if (!rows)
      this.unframedRows.set(s, (rows = Uint32Array.from({ length: s.table.length }, (_, i) => i)));
    return rows;
  }
  private readonly unframedRows = new Map<PlannedSource, Uint32Array>();

  private viewSize(): { width: number; height: number; origin: number[] } {
    const v = this.view as unknown as ViewInternals;
    const pad = this.view.padding() as { left: number; right: number; top: number; bottom: number };
    return {
      width: Math.max(0, v._viewWidth + pad.left + pad.right),
      height: Math.max(0, v._viewHeight + pad.top + pad.bottom),
      origin: [pad.left + v._origin[0], pad.top + v._origin[1]],
    };
  }

  /** Renders frame k onto the canvas and returns the canvas. */
  async renderCanvas(k: number): Promise<Canvas> {
    await this.update(k);
    const { width, height, origin } = this.viewSize();
    const pixels = Math.ceil(width * this.scale) * Math.ceil(height * this.scale);
    if (pixels > this.maxPixels) {
      throw new LimitError(
        renderMessage.framePixels(
          Math.ceil(width * this.scale),
          Math.ceil(height * this.scale),
          this.maxPixels,
        ),
      );
    }
    if (!this.renderer) {
      const CanvasRenderer = (
        vega as unknown as { CanvasRenderer: new (loader: unknown) => CanvasRendererLike }
      ).CanvasRenderer;
      this.renderer = allocatingCanvas(width * this.scale, height * this.scale, () =>
        new CanvasRenderer(this.view.loader()).initialize(null, width, height, origin, this.scale),
      );
      aliasingFonts(keepRotatedPaths(this.renderer.canvas().getContext('2d')));
    } else if (
      width !== this.canvasSize.width ||
      height !== this.canvasSize.height ||
      origin[0] !== this.canvasSize.origin[0] ||
      origin[1] !== this.canvasSize.origin[1]
    ) {
      // Only when the size changed: a resize sizes the canvas afresh (a new pixel buffer),
      // and each render clears and fills the background anyway.
      const renderer = this.renderer;
      allocatingCanvas(width * this.scale, height * this.scale, () =>
        renderer.resize(width, height, origin, this.scale),
      );
    }
    this.canvasSize = { width, height, origin: [origin[0], origin[1]] };
    const renderer = this.renderer.background(this.view.background() ?? 'white');
    const hooks = this.hooks;
    const scene = (this.view.scenegraph() as unknown as { root: unknown }).root;
    withFastMarks(hooks, () => renderer.render(scene));
    if (renderer._ready) {
      // Images still loading: wait, then draw once more with everything in place.
      await renderer._ready;
      withFastMarks(hooks, () => renderer.render(scene));
    }
    this.checkView(); // an image refused by the access rule is an error, not a gap
    return renderer.canvas();
  }

  /**
   * Renders frame k to RGBA. Every frame has the size of the first one (a GIF has one
   * size); a frame whose layout came out larger is cropped, smaller is padded.
   */
  async render(k: number): Promise<RenderedFrame> {
    // Raster output: fast marks may paint straight into the pixel copy below, when it is
    // opaque (a transparent background needs the canvas's own compositing).
    const opaque = parseColor(this.background())[3] === 255;
    this.fastLayers.forEach((l) => (l.allowDeferred = opaque));
    const canvas = await this.renderCanvas(k);
    this.fastLayers.forEach((l) => (l.allowDeferred = false));
    const size = (this.size ??= { width: canvas.width, height: canvas.height });
    let data: Uint8Array = canvas.data(); // premultiplied: straight RGBA only when opaque
    frameCopied(data.byteLength);
    for (const l of this.fastLayers) l.blendDeferred(data, canvas.width, canvas.height);
    if (!opaque) data = unpremultiplied(data);
    if (canvas.width === size.width && canvas.height === size.height) {
      return { ...size, rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
    }
    // Padding is the background: white on an opaque frame, transparent otherwise.
    const rgba = new Uint8Array(size.width * size.height * 4).fill(opaque ? 255 : 0);
    const rows = Math.min(size.height, canvas.height);
    const cols = Math.min(size.width, canvas.width) * 4;
    for (let y = 0; y < rows; y++)
      rgba.set(
        data.subarray(y * canvas.width * 4, y * canvas.width * 4 + cols),
        y * size.width * 4,
      );
    return { ...size, rgba };
  }

  /** The factor `fitWidth` scales the figure by (1 until it is called). */
  private fit = 1;

  /**
   * Scales the figure, as laid out for frame k, to `width` chart pixels (1/72 in): a
   * journal column. Raster output gets `width` × the renderer's scale device pixels, a PDF
   * page `width` points, an SVG `width` × scale pixels; the layout itself (font sizes,
   * line widths relative to the figure) is unchanged.
   */
  async fitWidth(k: number, width: number): Promise<void> {
    await this.update(k);
    const laidOut = this.viewSize().width;
    if (!(laidOut > 0)) return;
    // A hair over, so that the canvas (whose size is truncated to whole pixels) is not
    // a pixel short when the product rounds down.
    this.fit = (width * (1 + 1e-9)) / laidOut;
    this.scale *= this.fit;
  }

  /**
   * Frame k as a one-page PDF: vector marks and embedded fonts, by the canvas's PDF
   * backend. Needs a renderer made with `noFastPath` (every mark drawn by Vega).
   */
  async renderPdf(k: number, meta: { title?: string; creator?: string } = {}): Promise<Uint8Array> {
    this.assertVector();
    await this.update(k);
    const { width, height, origin } = this.viewSize();
    const doc = new PDFDocument({
      title: meta.title,
      creator: meta.creator,
      producer: meta.creator,
    });
    const ctx = doc.beginPage(width * this.fit, height * this.fit);
    const CanvasRenderer = (
      vega as unknown as { CanvasRenderer: new (loader: unknown) => CanvasRendererLike }
    ).CanvasRenderer;
    const renderer = new CanvasRenderer(this.view.loader())
      .initialize(null, width, height, origin, this.fit, {
        externalContext: aliasingFonts(keepRotatedPaths(ctx as unknown as SKRSContext2D)),
      })
      .background(this.background());
    const scene = (this.view.scenegraph() as unknown as { root: unknown }).root;
    renderer.render(scene);
    if (renderer._ready) {
      await renderer._ready;
      renderer.render(scene);
    }
    this.checkView();
    doc.endPage();
    return doc.close();
  }

  /**
   * Frame k as SVG markup. Needs a renderer made with `noFastPath`. Images are embedded as
   * data: URLs (the file shows them wherever it goes, and names no local path); one the
   * access rule refuses is an error, as in every other output.
   */
  async renderSvg(k: number): Promise<string> {
    this.assertVector();
    await this.update(k);
    this.imagesAs('data-url');
    try {
      const svg = await this.view.toSVG(this.scale);
      this.checkView();
      return svgFontNames(roundedSvgSize(svg));
    } finally {
      this.imagesAs('bytes');
    }
  }

  /**
   * The URL of every image any output frame shows (the player embeds them): each frame's
   * dataflow is run and its scenegraph read, so URLs computed by expressions count too.
   */
  async imageUrls(): Promise<Set<string>> {
    const urls = new Set<string>();
    const visit = (node: unknown, image: boolean): void => {
      const n = node as { marktype?: string; items?: unknown[]; url?: unknown };
      if (image && typeof n.url === 'string' && n.url !== '') urls.add(n.url);
      const inImage = n.marktype === undefined ? image : n.marktype === 'image';
      for (const child of n.items ?? []) visit(child, inImage);
    };
    for (let i = 0; i < this.frameCount; i++) {
      await this.update(i);
      visit((this.view.scenegraph() as unknown as { root: unknown }).root, false);
    }
    return urls;
  }

  /** Vector output has no raster fast path: Vega must hold and draw every row. */
  private assertVector(): void {
    if (this.fastLayers.length)
      throw new Error('SVG/PDF output needs a renderer created with noFastPath');
  }

  /** The colours the spec's colour scales can produce: exact palette entries for a GIF. */
  scaleColors(): string[] {
    const out = new Set<string>();
    for (const s of (this.vegaSpec.scales ?? []) as Json[]) {
      const scale = this.view.scale(s.name as string) as unknown as {
        range?: () => unknown[];
        domain?: () => unknown[];
      } & ((v: unknown) => unknown);
      if (!scale?.range || !scale.domain) continue;
      const range = scale.range();
      if (range.every((c) => typeof c === 'string' && /^#|^rgb/.test(c)))
        range.forEach((c) => out.add(c as string));
      else if (['ordinal'].includes(String(s.type)))
        scale.domain().forEach((d) => {
          const c = scale(d);
          if (typeof c === 'string') out.add(c);
        });
    }
    return [...out];
  }

  /**
   * Fixes the size every frame is cropped or padded to (a GIF has one size). Workers get
   * the size of the animation's first frame, whichever frame they render first.
   */
  setFrameSize(width: number, height: number): void {
    this.size = { width, height };
  }

  /** The colour painted under every frame. */
  background(): string {
    return (
      this.plan.animation.background ?? (this.vegaSpec.background as string | undefined) ?? 'white'
    );
  }

  finalize(): void {
    this.view.finalize();
  }
}

/** A straight-alpha copy of premultiplied RGBA (what encoders and PNG expect). */
function unpremultiplied(data: Uint8Array): Uint8Array {
  const out = Uint8Array.from(data);
  for (let i = 0; i < out.length; i += 4) {
    const a = out[i + 3];
    if (a === 0 || a === 255) continue;
    out[i] = Math.min(255, Math.round((out[i] * 255) / a));
    out[i + 1] = Math.min(255, Math.round((out[i + 1] * 255) / a));
    out[i + 2] = Math.min(255, Math.round((out[i + 2] * 255) / a));
  }
  return out;
}

/**
 * The root `<svg>`'s width and height to a thousandth of a pixel: Vega writes the laid-out
 * size times the scale, which a fitted width (a hair over, see `fitWidth`) or a fractional
 * scale leaves with float noise (252.00000025200004 for 3.5in); the viewBox keeps the
 * layout's exact units.
 */
export function roundedSvgSize(svg: string): string {
  const root = /^<svg\b[^>]*>/.exec(svg)?.[0];
  if (root === undefined) return svg;
  const rounded = root.replace(
    /(\s(?:width|height)=")([^"]*)"/g,
    (all, attr: string, value: string) => {
      const n = Number(value);
      return value.trim() !== '' && Number.isFinite(n) ? `${attr}${+n.toFixed(3)}"` : all;
    },
  );
  return rounded + svg.slice(root.length);
}
