/**
 * Canvases the native library may fail to allocate: a size that passes --max-pixels (raised
 * for a trusted spec) can still be more memory than there is, and the library then says
 * only "Create skia surface failed". That becomes a LimitError naming the size.
 */
import { LimitError } from '../spec/limits.js';
import { renderMessage } from './messages.js';

export function allocatingCanvas<T>(width: number, height: number, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (!/skia surface|allocat/i.test((e as Error).message)) throw e;
    const w = Math.ceil(width);
    const h = Math.ceil(height);
    throw new LimitError(renderMessage.canvasNotAllocated(w, h), { cause: e });
  }
}
