import { readdirSync } from 'node:fs';
import { loadSpecFile } from './src/spec/load.ts';
import { validateSpec } from './src/spec/validate.ts';
import { formatSpecError, SpecError } from './src/spec/errors.ts';
import { compileMilliseconds } from './src/spec/schema.ts';
for (const dir of ['test/fixtures/good', 'test/fixtures/bad']) for (const f of readdirSync(dir).sort()) {
  const p = `${dir}/${f}`;
  try { const l = await loadSpecFile(p); const t = performance.now(); const errs = validateSpec(l.spec, l); console.log(`# ${p} ${(performance.now()-t).toFixed(0)}ms`); for (const e of errs) console.log('  ' + formatSpecError(e)); }
  catch (e) { if (e instanceof SpecError) console.log(`# ${p}\n  THROWN ${formatSpecError(e)}`); else throw e; }
}
console.log('compile', compileMilliseconds);
