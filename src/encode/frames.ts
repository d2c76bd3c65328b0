/**
 * The raster frame type shared by every encoder, and the streaming sink interface they implement.
 * encode/ knows nothing about Vega: it only ever sees straight RGBA pixels.
 */

export interface RasterFrame {
  width: number;
  height: number;
  /** Straight (non-premultiplied) RGBA, row-major, 4 bytes per pixel. */
  rgba: Uint8Array | Uint8ClampedArray;
  /**
   * The same pixels already mapped to the GIF's palette (one index per pixel), when a render
   * worker did the mapping; the encoder then skips it and `rgba` may be empty.
   */
  indexed?: Uint8Array;
}

/**
 * Streaming encoder: frames arrive in order, one at a time, and the encoder never holds more than
 * the current frame's pixels. `finish()` makes the output visible; `abort()` leaves no trace.
 */
export interface FrameSink {
  write(frame: RasterFrame, index: number): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}
