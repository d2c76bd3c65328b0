/**
 * Golden-image comparison (after Observable Plot's snapshot tests): the golden is named
 * after the test, compared with pixelmatch under a tolerance; on mismatch the actual image
 * is written beside it as `<name>-changed.png`. `UPDATE_GOLDEN=1` rewrites goldens.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

const GOLDEN_DIR = new URL('../golden/', import.meta.url);

export interface Rgba {
  width: number;
  height: number;
  rgba: Uint8Array | Uint8ClampedArray;
}

export function encodePng(img: Rgba): Buffer {
  const png = new PNG({ width: img.width, height: img.height });
  png.data = Buffer.from(img.rgba.buffer, img.rgba.byteOffset, img.rgba.byteLength);
  return PNG.sync.write(png);
}

export function decodePng(bytes: Buffer): Rgba {
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, rgba: png.data };
}

/** Fraction of pixels that differ beyond pixelmatch's perceptual threshold. */
export function diffFraction(a: Rgba, b: Rgba, threshold = 0.1): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  const bad = pixelmatch(a.rgba, b.rgba, undefined, a.width, a.height, { threshold });
  return bad / (a.width * a.height);
}

/**
 * Asserts `actual` matches golden `name` within `maxFraction` of differing pixels.
 * Returns the measured fraction.
 */
export function expectGolden(name: string, actual: Rgba, maxFraction = 0.002): number {
  const file = path.join(GOLDEN_DIR.pathname, `${name}.png`);
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) {
    if (!process.env.UPDATE_GOLDEN && process.env.CI)
      throw new Error(`golden ${name}.png is missing; run npm run test:update-golden`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, encodePng(actual));
    return 0;
  }
  const golden = decodePng(readFileSync(file));
  const fraction = diffFraction(golden, actual);
  if (fraction > maxFraction) {
    const changed = file.replace(/\.png$/, '-changed.png');
    writeFileSync(changed, encodePng(actual));
    throw new Error(
      `${name}: ${(fraction * 100).toFixed(3)}% of pixels differ from the golden (allowed ${(maxFraction * 100).toFixed(2)}%); see ${changed}` +
        (golden.width !== actual.width || golden.height !== actual.height
          ? ` (size ${actual.width}×${actual.height}, golden ${golden.width}×${golden.height})`
          : ''),
    );
  }
  return fraction;
}
