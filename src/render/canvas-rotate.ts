/**
 * A rotation the path keeps. Vega draws a symbol, arc or path mark with an angle as a
 * browser canvas expects: translate, rotate, build the path, rotate and translate back,
 * then fill, and the path keeps the transform it was built under. @napi-rs/canvas 1.0
 * applies the rotate back to the path too, so every rotated symbol came out unrotated (the
 * wind vectors' wedges all pointing up). `transform()` with the same matrix keeps the path
 * as a browser does; rotated text (saved and restored around the rotation) comes out
 * byte-identical either way. @napi-rs/canvas 1.1 fixes rotate itself.
 */
import type { SKRSContext2D } from 'canvas';

export function keepRotatedPaths(ctx: SKRSContext2D): SKRSContext2D {
  ctx.rotate = function (this: SKRSContext2D, angle: number) {
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    this.transform(cos, sin, -sin, cos, 0, 0);
  };
  return ctx;
}
