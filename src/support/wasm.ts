/**
 * The WebAssembly kernels: src/encode/lzw.wat, src/encode/palette.wat and
 * src/data/csv/csv.wat, assembled by the build (scripts/build-wasm.ts) into dist/wasm/ and
 * compiled here once per thread. Each has a JavaScript twin that writes the same output,
 * used when this returns null: a Node without WebAssembly (`--jitless`) or a tree built
 * without the .wasm files.
 */
import { readFileSync } from 'node:fs';

export type WasmKernel = 'lzw' | 'palette' | 'csv';

const compiled = new Map<WasmKernel, WebAssembly.Module | null>();

const switchedOff = new Set<WasmKernel>();

/**
 * Turns a kernel off (its JavaScript twin runs) or back on, for what is made from now on;
 * tests compare the two. Returns whether it was on.
 */
export function useWasmKernel(kernel: WasmKernel, on: boolean): boolean {
  const was = !switchedOff.has(kernel);
  if (on) switchedOff.delete(kernel);
  else switchedOff.add(kernel);
  return was;
}

/** The kernel's compiled module (found from src/ and dist/ alike), or null. */
export function wasmModule(kernel: WasmKernel): WebAssembly.Module | null {
  if (switchedOff.has(kernel)) return null;
  let module = compiled.get(kernel);
  if (module !== undefined) return module;
  try {
    const bytes = readFileSync(new URL(`../../dist/wasm/${kernel}.wasm`, import.meta.url));
    module = new WebAssembly.Module(bytes);
  } catch {
    module = null;
  }
  compiled.set(kernel, module);
  return module;
}
