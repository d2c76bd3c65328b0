/**
 * Golden-image comparison (after Observable Plot's snapshot tests): the golden is named
 * after the test, compared with pixelmatch under a tolerance. A golden that differs, or that
 * does not exist yet, fails the test and the actual image is written beside where the golden
 * belongs as `<name>-changed.png`, to look at; `UPDATE_GOLDEN=1` (npm run
 * test:update-golden) writes the goldens instead. A missing golden fails everywhere, so a
 * test can never pass by writing the image it compares with.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

/** test/golden/, where the goldens are committed. */
export const GOLDEN_DIR = fileURLToPath(new URL('../golden/', import.meta.url));

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

export interface GoldenPlace {
  /** The folder of the goldens (default test/golden/). */
  dir?: string;
  /** Write `actual` as the golden instead of comparing (default: UPDATE_GOLDEN is set). */
  update?: boolean;
}

/**
 * Asserts `actual` matches golden `name` within `maxFraction` of differing pixels.
 * Returns the measured fraction.
 */
export function expectGolden(
  name: string,
  actual: Rgba,
  maxFraction = 0.002,
  { dir = GOLDEN_DIR, update = !!process.env.UPDATE_GOLDEN }: GoldenPlace = {},
): number {
  const file = path.join(dir, `${name}.png`);
  const changed = path.join(dir, `${name}-changed.png`);
  if (update) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, encodePng(actual));
    rmSync(changed, { force: true });
    return 0;
  }
  const updateHint =
    'if the new image is right, npm run test:update-golden writes it as the golden';
  if (!existsSync(file)) {
    mkdirSync(path.dirname(changed), { recursive: true });
    writeFileSync(changed, encodePng(actual));
    throw new Error(
      `${name}: golden ${file} is missing; the image is in ${changed}; ${updateHint}`,
    );
  }
  const golden = decodePng(readFileSync(file));
  const fraction = diffFraction(golden, actual);
  // Another size is another image, whatever the tolerance.
  const resized = golden.width !== actual.width || golden.height !== actual.height;
  if (fraction > maxFraction || resized) {
    writeFileSync(changed, encodePng(actual));
    throw new Error(
      `${name}: ${(fraction * 100).toFixed(3)}% of pixels differ from the golden (allowed ${(maxFraction * 100).toFixed(2)}%); see ${changed}` +
        (resized
          ? ` (size ${actual.width}×${actual.height}, golden ${golden.width}×${golden.height})`
          : '') +
        `; ${updateHint}`,
    );
  }
  // A passing image leaves no stale -changed.png from an earlier failure.
  rmSync(changed, { force: true });
  return fraction;
}
