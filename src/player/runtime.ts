/// <reference lib="dom" />
/**
 * The HTML player's browser code. `playerMain` is embedded in the page as source text
 * (`playerMain.toString()`), so it must not refer to anything outside itself but the
 * browser's globals and its arguments. It finds its elements under its own root element
 * (no ids): a page may hold several players.
 */

/** Encoded column: see encodeColumn in html.ts. */
export interface PlayerColumn {
  name: string;
  kind: 'int' | 'f64' | 'str' | 'val';
  /** base64 of gzip of the column's bytes ('int': Int32 deltas; 'f64': Float64; 'str': Int32 codes). */
  data?: string;
  /** 'int': the values are the integers divided by this power of ten. */
  divisor?: number;
  /** 'int': deltas are taken against the value this many rows before. */
  stride?: number;
  dict?: string[];
  values?: unknown[];
}

export interface PlayerSource {
  name: string;
  length: number;
  columns: PlayerColumn[];
  /** Rows are stored grouped by frame: frame k's are offsets[k] up to offsets[k + 1]. */
  offsets?: number[];
  cumulative?: boolean;
}

export interface PlayerPayload {
  vega: unknown;
  sources: PlayerSource[];
  signals: Record<string, unknown>[];
  labels: string[];
  fps: number;
  loop: boolean | number;
  /** Seconds each frame is held beyond 1/fps (holds and pauses). */
  extraSeconds: number[];
  /** The stored frame (partition) each output frame shows: rewind repeats them. */
  frames: number[];
  /** The fonts the chart is laid out with: family, weight, base64 of gzip of the TTF. */
  fonts: { family: string; weight: string; style?: string; data: string }[];
  /** Every image the chart shows: its data: URL by the URL the chart gives it. */
  images: Record<string, string>;
  /**
   * When the chart draws random numbers: the seed of the static parts' run and of each
   * output frame's (render/random.ts), so the player shows the rendered files' values.
   */
  seeds?: { static: number; frames: number[] };
  /** The slider's positions, one per data frame (player/slider.ts). */
  slider: {
    /** Each data frame's value as its tick shows it. */
    labels: string[];
    /** The output frame each position shows. */
    frames: number[];
    /** The position each output frame puts the slider at. */
    steps: number[];
    /** Each output frame's place among the data frames (from + t), for the arrow keys. */
    places: number[];
  };
  /** Whether it starts playing once loaded. */
  autoplay: boolean;
}

/** What `vfPlayer` (on the player's root element, and on window in a page of its own) offers. */
export interface PlayerHandle {
  readonly frame: number;
  readonly playing: boolean;
  play(): void;
  pause(): void;
  seek(k: number): Promise<void>;
  rendered(): Promise<void>;
  view: unknown;
}

/**
 * Runs one player: `vega` is the page's copy (shared by every player on it), `root` the
 * element holding this player's chart and controls; `standalone` when the page is the
 * player's own (it then takes the keys pressed anywhere and sets `window.vfPlayer`).
 */
export async function playerMain(
  payload: PlayerPayload,
  vega: unknown,
  root: HTMLElement,
  standalone: boolean,
): Promise<void> {
  type Row = Record<string, unknown>;
  interface VegaChangeset {
    modify(tuples: (t: Row) => boolean, field: string, value: (t: Row) => unknown): VegaChangeset;
  }
  const w = { vega } as unknown as {
    vega: {
      View: new (
        runtime: unknown,
        options: unknown,
      ) => {
        initialize(el: Element): unknown;
        data(name: string, rows?: Row[]): unknown;
        change(name: string, changes: VegaChangeset): unknown;
        signal(name: string, value: unknown, options?: { force: boolean }): unknown;
        runAsync(encode?: null, prerun?: () => void): Promise<unknown>;
      };
      parse(spec: unknown): unknown;
      setRandom(random: () => number): void;
      changeset(): VegaChangeset;
      loader(): Record<string, unknown>;
      Marks: Record<string, { draw: (...args: unknown[]) => void }>;
    };
  };
  const $ = <T extends HTMLElement>(name: string) => root.querySelector(`.vf-${name}`) as T;

  const gunzip = async (b64: string): Promise<ArrayBuffer> => {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).arrayBuffer();
  };

  const undelta = (deltas: Int32Array, stride: number): Int32Array => {
    const out = new Int32Array(deltas.length);
    for (let i = 0; i < deltas.length; i++)
      out[i] = deltas[i] + (i >= stride ? out[i - stride] : 0);
    return out;
  };

  for (const f of payload.fonts) {
    const face = new FontFace(f.family, await gunzip(f.data), {
      weight: f.weight,
      style: f.style ?? 'normal',
    });
    (document.fonts as unknown as Set<FontFace>).add(await face.load());
  }

  type Decoded = (row: number) => unknown;
  const ROW = 'vf_row'; // each row's index within its frame, for in-place updates
  const all = () => true;
  const sources = await Promise.all(
    payload.sources.map(async (s) => {
      const cols: { name: string; get: Decoded }[] = [];
      for (const c of s.columns) {
        if (c.kind === 'val') {
          const values = c.values!;
          cols.push({ name: c.name, get: (r) => values[r] });
        } else if (c.kind === 'str') {
          const codes = new Int32Array(await gunzip(c.data!));
          const dict = c.dict!;
          cols.push({ name: c.name, get: (r) => (codes[r] < 0 ? null : dict[codes[r]]) });
        } else if (c.kind === 'f64') {
          const values = new Float64Array(await gunzip(c.data!));
          cols.push({ name: c.name, get: (r) => (Number.isNaN(values[r]) ? null : values[r]) });
        } else {
          const ints = undelta(new Int32Array(await gunzip(c.data!)), c.stride!);
          const values = new Float64Array(ints.length);
          for (let i = 0; i < ints.length; i++) values[i] = ints[i] / c.divisor!;
          cols.push({ name: c.name, get: (r) => values[r] });
        }
      }
      const rowsOf = (start: number, end: number): Row[] => {
        const rows = new Array<Row>(end - start);
        for (let r = start; r < end; r++) {
          const row: Row = { [ROW]: r - start };
          for (const c of cols) row[c.name] = c.get(r);
          rows[r - start] = row;
        }
        return rows;
      };
      // Every frame the same number of rows (a point per row, moving): the rows already in
      // the view are updated in place, so Vega re-encodes them instead of dropping and
      // re-creating 30,000 items a frame (far less garbage and dataflow work).
      const sizes = s.offsets?.slice(1).map((o, k) => o - s.offsets![k]);
      const sameSize = !!sizes && !s.cumulative && sizes.every((n) => n === sizes[0]);
      const modify = (start: number) => {
        let cs = w.vega.changeset();
        for (const c of cols) cs = cs.modify(all, c.name, (t) => c.get(start + (t[ROW] as number)));
        return cs;
      };
      return { ...s, rowsOf, sameSize, modify, loaded: false };
    }),
  );

  installPointRaster(w.vega.Marks);

  // The page loads nothing: images come from the payload (embedded by the access rule, as
  // every output reads them), and anything else Vega would fetch is refused.
  const loader = w.vega.loader();
  type Sanitize = (uri: string, options?: { context?: string }) => Promise<unknown>;
  const linkSanitize = (loader.sanitize as Sanitize).bind(loader);
  const refuse = (uri: string) =>
    Promise.reject(new Error(`"${uri}": the player loads nothing; it holds its data`));
  loader.load = loader.http = loader.file = refuse;
  loader.sanitize = ((uri, options) => {
    if (options?.context === 'href') return linkSanitize(uri, options); // a link, not a load
    const own = Object.prototype.hasOwnProperty.call(payload.images, uri);
    const href = /^data:image\//i.test(uri) ? uri : own ? payload.images[uri] : undefined;
    return href ? Promise.resolve({ href }) : refuse(uri);
  }) satisfies Sanitize;

  const view = new w.vega.View(w.vega.parse(payload.vega), {
    renderer: 'canvas',
    container: $('chart'),
    hover: true,
    loader,
  });
  // Sources without frames are the same in every frame: set once.
  for (const s of sources) {
    if (!s.offsets) view.data(s.name, s.rowsOf(0, s.length));
  }

  // Random numbers as render/random.ts draws them (a copy of its generator, mulberry32):
  // each run seeded, the static parts first in a run of their own, every frame's rows
  // replacing others' and its params re-sent.
  const seeds = payload.seeds;
  const seeded = (seed: number) => () => {
    let a = seed | 0;
    w.vega.setRandom(() => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    });
  };
  // Vega's random generator is one for the page's Vega, which every player on the page
  // shares: a seeded run waits for any other player's to finish, or the two would draw from
  // each other's generator.
  const shared = w.vega as unknown as { vfSeededRuns?: Promise<unknown> };
  const seededRun = (seed: number): Promise<unknown> => {
    const run = (shared.vfSeededRuns ?? Promise.resolve()).then(() =>
      view.runAsync(null, seeded(seed)),
    );
    shared.vfSeededRuns = run.catch(() => undefined);
    return run;
  };
  if (seeds) await seededRun(seeds.static);

  const count = payload.signals.length;
  let current = -1;
  let playing = false;
  let speed = 1;
  // true: forever; false or 1: once; n: n plays in all (the loop box turns looping off).
  let loop = payload.loop !== false && payload.loop !== 1;
  const plays = typeof payload.loop === 'number' ? payload.loop : Infinity;
  let played = 1;
  let rendering: Promise<void> = Promise.resolve();
  let due = 0;
  let busy = false;

  const slider = $<HTMLInputElement>('slider');
  const label = $('value');
  const button = $<HTMLButtonElement>('play');
  const steps = payload.slider;
  const positions = steps.frames.length;
  slider.max = String(positions - 1);

  const show = (k: number): Promise<void> => {
    current = k;
    slider.value = String(steps.steps[k]);
    slider.setAttribute('aria-valuetext', steps.labels[steps.steps[k]]);
    // The frame on screen: a tween's in-between value, as the chart's {frame} shows it.
    label.textContent = payload.labels[k];
    const p = payload.frames[k];
    for (const s of sources) {
      if (!s.offsets) continue;
      if (s.sameSize && s.loaded && !seeds) view.change(s.name, s.modify(s.offsets[p]));
      else view.data(s.name, s.rowsOf(s.cumulative ? 0 : s.offsets[p], s.offsets[p + 1]));
      s.loaded = true;
    }
    for (const [name, value] of Object.entries(payload.signals[k]))
      view.signal(name, value, { force: !!seeds });
    rendering = (seeds ? seededRun(seeds.frames[k]) : view.runAsync()).then(() => undefined);
    return rendering;
  };

  const setPlaying = (on: boolean) => {
    if (on && !playing) {
      played = 1;
      // Play at the end of a finished run: start again from the first frame.
      if (current === count - 1 && !loop) {
        busy = true;
        void show(0).then(() => {
          busy = false;
          due = performance.now() + hold(0);
        });
      } else due = performance.now() + hold(current);
    }
    playing = on;
    button.textContent = on ? 'Pause' : 'Play';
    button.setAttribute('aria-pressed', String(on));
  };

  // The clock: each frame is due 1/fps after the last (scaled by speed), plus its hold or
  // pause; a frame still rendering delays the next.
  const hold = (k: number) => (1000 / payload.fps + payload.extraSeconds[k] * 1000) / speed;
  const tick = async (now: number) => {
    requestAnimationFrame(tick);
    if (!playing || busy || now < due) return;
    let next = current + 1;
    if (next >= count) {
      if (!loop || played >= plays) return setPlaying(false);
      played++;
      next = 0;
    }
    busy = true;
    await show(next);
    busy = false;
    due = now + hold(next);
  };

  button.addEventListener('click', () => setPlaying(!playing));
  slider.addEventListener('input', () => {
    setPlaying(false);
    void show(steps.frames[Number(slider.value)]);
  });
  $<HTMLSelectElement>('speed').addEventListener('change', (e) => {
    speed = Number((e.target as HTMLSelectElement).value);
  });
  $<HTMLInputElement>('loop').checked = loop;
  $<HTMLInputElement>('loop').addEventListener('change', (e) => {
    loop = (e.target as HTMLInputElement).checked;
  });
  // Keys pressed in this player (its root takes focus when clicked); in a page of its
  // own, keys pressed anywhere outside another control too.
  document.addEventListener('keydown', (e) => {
    const target = e.target as Node | null;
    const mine =
      (!!target && root.contains(target)) ||
      (standalone && (target === document.body || target === document.documentElement));
    if (!mine) return;
    if (e.target instanceof HTMLInputElement && e.target.type !== 'range') return;
    if (e.key === ' ') {
      e.preventDefault();
      setPlaying(!playing);
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      setPlaying(false);
      // The next or previous data frame: from a tween, the one on either side of it.
      const place = steps.places[current];
      const next = e.key === 'ArrowRight' ? Math.floor(place) + 1 : Math.ceil(place) - 1;
      void show(steps.frames[Math.min(positions - 1, Math.max(0, next))]);
    }
  });

  if (seeds) await show(0); // frame 0's rows in place, so every frame replaces rows
  await show(0);
  // The ticks fit the slider's width, which the chart's sets: laid out again as it changes.
  new ResizeObserver(() => drawTicks()).observe($('ticks'));
  const handle: PlayerHandle = {
    get frame() {
      return current;
    },
    get playing() {
      return playing;
    },
    play: () => setPlaying(true),
    pause: () => setPlaying(false),
    seek: (k: number) => {
      setPlaying(false);
      return show(k);
    },
    rendered: () => rendering,
    /** The Vega View, for users who want its API (signals, data, toImageURL). */
    view,
  };
  (root as unknown as { vfPlayer: unknown }).vfPlayer = handle;
  if (standalone) (window as unknown as { vfPlayer: unknown }).vfPlayer = handle;
  requestAnimationFrame(tick);
  setPlaying(payload.autoplay);
  root.dispatchEvent(new CustomEvent('vf-ready', { detail: handle }));

  /**
   * A tick under the slider for each data frame, and its label under as many as fit
   * without overlapping: every 1st, 2nd, 5th, 10th, 20th… (the first always), each centred
   * under the thumb's place for it and kept within the track (the first and last may not
   * be centred). Laid out in pixels, again whenever the slider's width changes.
   */
  function drawTicks() {
    const ticks = $('ticks');
    const thumb = 14; // the thumb's width (the CSS's), which the track is short of at each end
    const full = ticks.clientWidth;
    const width = Math.max(1, full - thumb);
    const place = (d: number) => thumb / 2 + (positions > 1 ? d / (positions - 1) : 0) * width;
    ticks.textContent = '';
    let every = 1;
    for (let k = 0; ; k++) {
      every = [1, 2, 5][k % 3] * 10 ** Math.floor(k / 3);
      // Fewer than 12 px a label cannot fit: not worth laying out.
      if (every < positions && (positions / every) * 12 > width) continue;
      ticks.textContent = '';
      let end = -Infinity;
      let overlaps = false;
      for (let d = 0; d < positions && !overlaps; d += every) {
        const text = document.createElement('span');
        text.className = 'vf-tick-label';
        text.textContent = steps.labels[d];
        ticks.appendChild(text);
        const w = text.getBoundingClientRect().width;
        const left = Math.min(Math.max(0, place(d) - w / 2), Math.max(0, full - w));
        text.style.left = `${left}px`;
        overlaps = left < end + 12; // 12 px apart at least, so that values read apart
        end = left + w;
      }
      if (!overlaps || every >= positions) break;
    }
    // A mark for every data frame while they are 3 px apart or more; else the labelled ones.
    const marked = positions <= width / 3 ? 1 : every;
    const marks: string[] = [];
    for (let d = 0; d < positions; d += marked)
      marks.push(`<span class="vf-tick" style="left:${place(d)}px"></span>`);
    ticks.insertAdjacentHTML('afterbegin', marks.join(''));
  }

  /**
   * Large circle marks drawn as anti-aliased discs straight into pixels, composited at the
   * mark's place in Vega's draw order: a canvas fill per point is the slowest part of a
   * frame without a GPU.
   */
  function installPointRaster(marks: Record<string, { draw: (...args: unknown[]) => void }>) {
    interface Item {
      x?: number;
      y?: number;
      size?: number;
      shape?: unknown;
      fill?: unknown;
      stroke?: unknown;
      opacity?: number;
      fillOpacity?: number;
    }
    const symbol = marks.symbol as { draw: (...args: unknown[]) => void; vfRaster?: boolean };
    // Players on one page share one Vega: the first installs it for all.
    if (symbol.vfRaster) return;
    symbol.vfRaster = true;
    const original = symbol.draw;
    const colors = new Map<string, number[]>();
    // Read back once per colour: willReadFrequently keeps it in memory, where reads are cheap
    // (and Chromium does not warn).
    const probe = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
    const rgb = (css: string): number[] => {
      let c = colors.get(css);
      if (!c) {
        probe.clearRect(0, 0, 1, 1);
        probe.fillStyle = css;
        probe.fillRect(0, 0, 1, 1);
        const d = probe.getImageData(0, 0, 1, 1).data;
        c = [d[0], d[1], d[2], d[3] / 255];
        colors.set(css, c);
      }
      return c;
    };
    let acc = new Float32Array(0);
    const layer = document.createElement('canvas');
    const simple = (items: Item[]) =>
      items.length >= 2000 &&
      items.every(
        (it) =>
          (it.shape == null || it.shape === 'circle') &&
          it.stroke == null &&
          typeof it.fill === 'string',
      );
    symbol.draw = function (this: unknown, ...args: unknown[]) {
      const ctx = args[0] as CanvasRenderingContext2D;
      const scene = args[1] as { items: Item[] };
      if (!simple(scene.items)) return original.apply(this, args);
      const { width, height } = ctx.canvas;
      if (acc.length !== width * height * 4) acc = new Float32Array(width * height * 4);
      const t = ctx.getTransform();
      let x0 = width;
      let y0 = height;
      let x1 = -1;
      let y1 = -1;
      for (const it of scene.items) {
        const alpha = (it.opacity ?? 1) * (it.fillOpacity ?? 1);
        const [r, g, b, a0] = rgb(it.fill as string);
        const a = alpha * a0;
        if (!(a > 0)) continue;
        const cx = t.a * (it.x ?? 0) + t.e;
        const cy = t.d * (it.y ?? 0) + t.f;
        const rad = (Math.sqrt(it.size ?? 64) / 2) * t.a;
        const reach = Math.ceil(rad + 1);
        const px = Math.floor(cx);
        const py = Math.floor(cy);
        // Tiny discs: coverage from the distance estimate over-covers; scale to the area.
        const norm = rad < 1 ? Math.min(1, Math.PI * rad * rad) : 1;
        for (let y = Math.max(0, py - reach); y <= Math.min(height - 1, py + reach); y++) {
          for (let x = Math.max(0, px - reach); x <= Math.min(width - 1, px + reach); x++) {
            const dx = x + 0.5 - cx;
            const dy = y + 0.5 - cy;
            let cov = rad + 0.5 - Math.sqrt(dx * dx + dy * dy);
            if (cov <= 0) continue;
            if (cov > 1) cov = 1;
            const k = a * cov * norm;
            const i = (y * width + x) * 4;
            const keep = 1 - k;
            acc[i] = r * k + acc[i] * keep;
            acc[i + 1] = g * k + acc[i + 1] * keep;
            acc[i + 2] = b * k + acc[i + 2] * keep;
            acc[i + 3] = k + acc[i + 3] * keep;
            if (x < x0) x0 = x;
            if (x > x1) x1 = x;
            if (y < y0) y0 = y;
            if (y > y1) y1 = y;
          }
        }
      }
      if (x1 < x0) return;
      const w = x1 - x0 + 1;
      const h = y1 - y0 + 1;
      layer.width = w;
      layer.height = h;
      const lctx = layer.getContext('2d')!;
      const img = lctx.createImageData(w, h);
      const out = img.data;
      for (let y = 0; y < h; y++) {
        let i = ((y + y0) * width + x0) * 4;
        let o = y * w * 4;
        for (let x = 0; x < w; x++, i += 4, o += 4) {
          const a = acc[i + 3];
          if (a > 0) {
            // Uint8ClampedArray rounds on store.
            out[o] = acc[i] / a;
            out[o + 1] = acc[i + 1] / a;
            out[o + 2] = acc[i + 2] / a;
            out[o + 3] = a * 255;
            acc[i] = acc[i + 1] = acc[i + 2] = acc[i + 3] = 0;
          }
        }
      }
      lctx.putImageData(img, 0, 0);
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(layer, x0, y0);
      ctx.restore();
    };
  }
}
