/**
 * Assembles the WebAssembly text kernels (src/encode/lzw.wat, palette.wat,
 * src/data/csv/csv.wat) into dist/wasm/*.wasm (not committed). The text is the source:
 * wabt, a devDependency, turns it into bytes here, so a fresh clone needs no WebAssembly
 * toolchain.
 *
 *   tsx scripts/build-wasm.ts
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import wabtInit from 'wabt';

const KERNELS = { lzw: 'encode/lzw.wat', palette: 'encode/palette.wat', csv: 'data/csv/csv.wat' };

const wabt = await wabtInit();
const outDir = new URL('../dist/wasm/', import.meta.url);
mkdirSync(outDir, { recursive: true });
for (const [name, path] of Object.entries(KERNELS)) {
  const module = wabt.parseWat(
    path,
    readFileSync(new URL(`../src/${path}`, import.meta.url), 'utf8'),
  );
  try {
    module.validate();
    const { buffer } = module.toBinary({});
    const target = new URL(`${name}.wasm`, outDir);
    const temp = new URL(`${name}.wasm.tmp`, outDir);
    writeFileSync(temp, buffer);
    renameSync(temp, target);
    console.log(`build-wasm: dist/wasm/${name}.wasm, ${buffer.length} bytes`);
  } finally {
    module.destroy();
  }
}
