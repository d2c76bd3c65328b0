// vega-canvas for the bundle: Node's build of vega-canvas loads `canvas` with a top-level
// `await import()`, which a CommonJS bundle cannot hold. Same behaviour, with a static import.
import * as NodeCanvas from 'canvas';

export function nodeCanvas(w, h, type) {
  try {
    return new NodeCanvas.Canvas(w, h, type);
  } catch {
    return null;
  }
}

export const canvas = nodeCanvas;
export const domCanvas = () => null;
export const image = () => NodeCanvas.Image || null;
