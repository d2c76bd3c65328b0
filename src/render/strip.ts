/**
 * Small multiples of an animation with motion: the output frames themselves (tweens,
 * trails, rescaled axes as the GIF shows them), rendered one at a time and tiled in a grid,
 * each headed by its frame value. A faceted Vega-Lite spec cannot show a tween's state, so
 * motion strips are raster.
 */
import { createCanvas } from 'canvas';
import { allocatingCanvas } from './allocate.js';
import { DEFAULT_FONT } from '../compile/index.js';
import { aliasingFonts } from './fonts.js';
import type { FrameRenderer, RenderedFrame } from './frame-renderer.js';

/** Device pixels between panels and around them. */
export const STRIP_GAP = 12;
const GAP = STRIP_GAP;
const HEADER = 22;

export async function renderFrameStrip(
  renderer: FrameRenderer,
  indices: number[],
  labels: string[],
  columns: number,
  /** Throws when the whole grid would be too large; called before its canvas is made. */
  checkSize: (width: number, height: number) => void = () => undefined,
): Promise<RenderedFrame> {
  const first = await renderer.render(indices[0]);
  renderer.setFrameSize(first.width, first.height);
  const cols = Math.min(columns, indices.length);
  const rows = Math.ceil(indices.length / cols);
  const cellW = first.width;
  const cellH = first.height + HEADER;
  const width = cols * cellW + (cols + 1) * GAP;
  const height = rows * cellH + (rows + 1) * GAP;
  checkSize(width, height);
  const canvas = allocatingCanvas(width, height, () => createCanvas(width, height));
  const ctx = aliasingFonts(canvas.getContext('2d'));
  ctx.fillStyle = renderer.background();
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000';
  ctx.font = `bold 13px "${DEFAULT_FONT}"`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (let p = 0; p < indices.length; p++) {
    const frame = p === 0 ? first : await renderer.render(indices[p]);
    const x = GAP + (p % cols) * (cellW + GAP);
    const y = GAP + Math.floor(p / cols) * (cellH + GAP);
    ctx.fillText(labels[indices[p]], x + cellW / 2, y + HEADER / 2);
    const image = ctx.createImageData(frame.width, frame.height);
    image.data.set(frame.rgba);
    ctx.putImageData(image, x, y + HEADER);
  }
  const rgba = new Uint8Array(ctx.getImageData(0, 0, width, height).data.buffer);
  return { width, height, rgba };
}
