/**
 * Registers the shipped DejaVu Sans (regular and bold) so text is measured and drawn the
 * same on every machine, whatever fonts the system has. Also under the generic names
 * Vega falls back to, so a spec that names no font still gets DejaVu Sans.
 */
import { GlobalFonts } from 'canvas';
import { fileURLToPath } from 'node:url';

const FONT_DIR = new URL('../../fonts/', import.meta.url);
const FACES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];
const FAMILIES = ['DejaVu Sans', 'sans-serif', 'Helvetica', 'Arial'];

let registered = false;

export function registerFonts(): void {
  if (registered) return;
  for (const face of FACES) {
    const file = fileURLToPath(new URL(face, FONT_DIR));
    for (const family of FAMILIES) {
      if (!GlobalFonts.registerFromPath(file, family)) {
        throw new Error(`could not register the shipped font ${file}`);
      }
    }
  }
  registered = true;
}

/** The shipped font files, for outputs that embed them (the HTML player). */
export function fontFiles(): { family: string; weight: string; path: string }[] {
  return FACES.map((face, i) => ({
    family: 'DejaVu Sans',
    weight: i === 0 ? 'normal' : 'bold',
    path: fileURLToPath(new URL(face, FONT_DIR)),
  }));
}
