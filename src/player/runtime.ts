/// <reference lib="dom" />
/**
 * The HTML player's browser code. `playerMain` is embedded in the page as source text
 * (`playerMain.toString()`), so it must not refer to anything outside itself but the
 * browser's globals and `vega` (inlined before it).
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
  pauseStart: number;
  pauseEnd: number;
  /** The fonts the chart is laid out with: family, weight, base64 of gzip of the TTF. */
  fonts: { family: string; weight: string; data: string }[];
}

export async function playerMain(payload: PlayerPayload): Promise<void> {
  type Row = Record<string, unknown>;
  const w = window as unknown as {
    vega: {
      View: new (
        runtime: unknown,
        options: unknown,
      ) => {
        initialize(el: Element): unknown;
        data(name: string, rows: Row[]): unknown;
        signal(name: string, value: unknown): unknown;
        runAsync(): Promise<unknown>;
      };
      parse(spec: unknown): unknown;
    };
    vfPlayer?: unknown;
  };
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

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
    const face = new FontFace(f.family, await gunzip(f.data), { weight: f.weight });
    (document.fonts as unknown as Set<FontFace>).add(await face.load());
  }

  type Decoded = (row: number) => unknown;
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
          const row: Row = {};
          for (const c of cols) row[c.name] = c.get(r);
          rows[r - start] = row;
        }
        return rows;
      };
      return { ...s, rowsOf };
    }),
  );

  const view = new w.vega.View(w.vega.parse(payload.vega), {
    renderer: 'canvas',
    container: $('vf-chart'),
    hover: true,
  });
  // Sources without frames are the same in every frame: set once.
  for (const s of sources) {
    if (!s.offsets) view.data(s.name, s.rowsOf(0, s.length));
  }

  const count = payload.signals.length;
  let current = -1;
  let playing = false;
  let speed = 1;
  let loop = payload.loop !== false;
  let rendering: Promise<void> = Promise.resolve();

  const slider = $<HTMLInputElement>('vf-slider');
  const label = $('vf-value');
  const button = $<HTMLButtonElement>('vf-play');
  slider.max = String(count - 1);

  const show = (k: number): Promise<void> => {
    current = k;
    slider.value = String(k);
    label.textContent = payload.labels[k];
    for (const s of sources) {
      if (s.offsets) view.data(s.name, s.rowsOf(s.cumulative ? 0 : s.offsets[k], s.offsets[k + 1]));
    }
    for (const [name, value] of Object.entries(payload.signals[k])) view.signal(name, value);
    rendering = view.runAsync().then(() => undefined);
    return rendering;
  };

  const setPlaying = (on: boolean) => {
    playing = on;
    button.textContent = on ? 'Pause' : 'Play';
    button.setAttribute('aria-pressed', String(on));
    if (on && current === count - 1 && !loop) void show(0);
  };

  // The clock: each frame is due 1/fps after the last (scaled by speed), plus the pauses
  // on the first and last frame; a frame still rendering delays the next.
  let due = 0;
  const hold = (k: number) =>
    (1000 / payload.fps +
      (k === 0 ? payload.pauseStart * 1000 : 0) +
      (k === count - 1 ? payload.pauseEnd * 1000 : 0)) /
    speed;
  let busy = false;
  const tick = async (now: number) => {
    requestAnimationFrame(tick);
    if (!playing || busy || now < due) return;
    let next = current + 1;
    if (next >= count) {
      if (!loop) return setPlaying(false);
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
    void show(Number(slider.value));
  });
  $<HTMLSelectElement>('vf-speed').addEventListener('change', (e) => {
    speed = Number((e.target as HTMLSelectElement).value);
  });
  $<HTMLInputElement>('vf-loop').checked = loop;
  $<HTMLInputElement>('vf-loop').addEventListener('change', (e) => {
    loop = (e.target as HTMLInputElement).checked;
  });
  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement && e.target.type !== 'range') return;
    if (e.key === ' ') {
      e.preventDefault();
      setPlaying(!playing);
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      setPlaying(false);
      const step = e.key === 'ArrowRight' ? 1 : -1;
      void show(Math.min(count - 1, Math.max(0, current + step)));
    }
  });

  await show(0);
  w.vfPlayer = {
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
  };
  requestAnimationFrame(tick);
  setPlaying(true);
}
