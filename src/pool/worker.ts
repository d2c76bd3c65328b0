/**
 * A render worker: one FrameRenderer (one parsed Vega View) for the whole animation. Frames
 * are rendered one at a time in the order asked, mapped to the GIF palette here when it is
 * known (so the main thread only LZW-encodes), and sent back as transferred buffers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FrameRenderer } from '../render/frame-renderer.js';
import { type Palette, paletteFromColors } from '../encode/palette.js';
import type { FromWorker, ToWorker, WorkerInit } from './messages.js';

const port = parentPort!;
const init = workerData as WorkerInit;
const post = (msg: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

let palette: Palette | undefined;
let queue: Promise<void> = Promise.resolve();

async function handle(renderer: FrameRenderer, msg: ToWorker): Promise<void> {
  if (msg.type === 'palette') {
    palette = paletteFromColors(msg.colors, msg.background);
    return;
  }
  try {
    const f = await renderer.render(msg.frame);
    if (msg.indexed && palette) {
      const indexed = new Uint8Array(f.width * f.height);
      palette.indexFrame(f.rgba, indexed);
      post({ type: 'frame', id: msg.id, width: f.width, height: f.height, indexed }, [
        indexed.buffer,
      ]);
    } else {
      const rgba = Uint8Array.from(f.rgba);
      post({ type: 'frame', id: msg.id, width: f.width, height: f.height, rgba }, [rgba.buffer]);
    }
  } catch (e) {
    post({ type: 'error', id: msg.id, message: (e as Error).message });
  }
}

try {
  const renderer = await FrameRenderer.create(init.plan, {
    fixedVega: init.fixedVega,
    scale: init.scale,
    noFastPath: init.noFastPath,
  });
  // Messages are handled strictly in order: one View renders one frame at a time.
  port.on('message', (msg: ToWorker) => {
    queue = queue.then(() => handle(renderer, msg));
  });
  post({ type: 'ready', scaleColors: renderer.scaleColors(), background: renderer.background() });
} catch (e) {
  post({ type: 'error', message: (e as Error).message });
}
