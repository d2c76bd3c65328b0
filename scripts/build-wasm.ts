/**
 * Assembles the WebAssembly text of src/encode/lzw.wat into dist/encode/lzw.wasm (not
 * committed). The text is the source: wabt, a devDependency, turns it into bytes here, so
 * a fresh clone needs no WebAssembly toolchain.
 *
 *   tsx scripts/build-wasm.ts
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import wabtInit from 'wabt';

const source = new URL('../src/encode/lzw.wat', import.meta.url);
const target = new URL('../dist/encode/lzw.wasm', import.meta.url);

const wabt = await wabtInit();
const module = wabt.parseWat('lzw.wat', readFileSync(source, 'utf8'));
try {
  module.validate();
  const { buffer } = module.toBinary({});
  mkdirSync(new URL('.', target), { recursive: true });
  const temp = new URL(`${target.href}.tmp`);
  writeFileSync(temp, buffer);
  renameSync(temp, target);
  console.log(`build-wasm: dist/encode/lzw.wasm, ${buffer.length} bytes`);
} finally {
  module.destroy();
}
