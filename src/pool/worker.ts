/**
 * A render worker: one FrameRenderer (one parsed Vega View) for the whole animation. Frames
 * are rendered one at a time in the order asked, mapped to the GIF palette here when it is
 * known (so the main thread only LZW-encodes), and sent back as transferred buffers.
 */
import type { MessagePort } from 'node:worker_threads';
import { FrameRenderer } from '../render/frame-renderer.js';
import { type Palette, indexedFrame, paletteFromColors } from '../encode/palette.js';
import type { ErrorKind, FromWorker, ToWorker, WorkerInit } from './messages.js';
import { LimitError } from '../spec/limits.js';
import { DataAccessError } from '../data/access.js';
import { VegaRuntimeError } from '../render/view.js';
import { scanPart } from '../data/frame-stream.js';

const errorKind = (e: unknown): ErrorKind | undefined =>
  e instanceof LimitError
    ? 'limit'
    : e instanceof VegaRuntimeError
      ? 'vega'
      : e instanceof DataAccessError
        ? 'access'
        : e instanceof TypeError ||
            e instanceof RangeError ||
            e instanceof ReferenceError ||
            e instanceof SyntaxError
          ? 'internal'
          : undefined;

/** How often a render worker says it is alive (pool.ts measures stalls against it). */
export const ALIVE_MS = 1000;

/** Serves render requests from the main thread on `port` until the worker is terminated. */
export function serveRenderWorker(port: MessagePort): void {
  const post = (msg: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

  let palette: Palette | undefined;
  let queue: Promise<void> = Promise.resolve();
  // A thread stuck in one evaluation sends nothing: the main thread stops it (pool.ts).
  setInterval(() => post({ type: 'alive' }), ALIVE_MS).unref();

  async function handle(
    renderer: FrameRenderer,
    msg: Exclude<ToWorker, { type: 'init' | 'scan' }>,
  ): Promise<void> {
    if (msg.type === 'setup') {
      palette =
        msg.palette &&
        paletteFromColors(msg.palette.colors, msg.palette.background, msg.palette.dither);
      renderer.setFrameSize(msg.width, msg.height);
      return;
    }
    try {
      const f = await renderer.render(msg.frame);
      if (msg.indexed && palette) {
        const { indexed } = indexedFrame(palette, f);
        post({ type: 'frame', id: msg.id, width: f.width, height: f.height, indexed }, [
          indexed!.buffer as ArrayBuffer,
        ]);
      } else {
        const rgba = Uint8Array.from(f.rgba);
        post({ type: 'frame', id: msg.id, width: f.width, height: f.height, rgba }, [rgba.buffer]);
      }
    } catch (e) {
      post({
        type: 'error',
        id: msg.id,
        message: (e as Error).message,
        kind: errorKind(e),
      });
    }
  }

  // The worker starts (and loads Vega) while the main thread still reads the data; the plan
  // follows in an 'init' message. Later messages wait in the queue behind it.
  let renderer: Promise<FrameRenderer> | undefined;
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'scan') {
      // Now, not behind the plan: the main thread waits for it to have one.
      scanPart(msg.request).then(
        (part) => post({ type: 'scanned', id: msg.id, part }),
        (e: Error) => post({ type: 'scanned', id: msg.id, message: e.message }),
      );
      return;
    }
    if (msg.type === 'init') {
      renderer = start(msg.init);
      return;
    }
    queue = queue
      .then(async () => {
        await handle(await renderer!, msg);
        // Let the event loop turn between frames: the canvas's pixel copies are freed by
        // N-API finalizers that run there, not in a chain of promises, and would otherwise
        // pile up while frames are queued.
        await new Promise((resolve) => setImmediate(resolve));
      })
      .catch(() => undefined);
  });

  async function start(init: WorkerInit): Promise<FrameRenderer> {
    try {
      const r = await FrameRenderer.create(init.drawing, {
        scale: init.scale,
        maxPixels: init.maxPixels,
      });
      post({ type: 'ready', scaleColors: r.scaleColors(), background: r.background() });
      return r;
    } catch (e) {
      post({ type: 'error', message: (e as Error).message, kind: errorKind(e) });
      throw e;
    }
  }
}
