import { parseSpecText } from './src/spec/load.ts';
import { validateSpec } from './src/spec/validate.ts';
import { formatSpecError, SpecError } from './src/spec/errors.ts';
const cases: [string, string][] = [
  ['root-colour.yaml', 'data: {values: []}\nmark: point\ncolour: red\nencoding:\n  row: {field: a}\n'],
  ['value-type.yaml', 'data: {values: []}\nmark: point\nencoding:\n  x: {value: 5, type: quantitative}\n'],
  ['fild.yaml', 'data: {values: []}\nmark: point\nencoding:\n  x: {fild: a, type: quantitative}\n'],
  ['scalar.yaml', 'just a string\n'],
  ['empty.yaml', ''],
  ['list.yaml', '- a\n- b\n'],
  ['single.json', "{'a': 1}"],
  ['trunc.json', '{"data": {"url": "x"}, "mark": "point"'],
  ['repeat.yaml', 'data: {values: []}\nrepeat: [a, b]\nspec:\n  mark: pointt\n  encoding:\n    x: {field: {repeat: repeat}, type: quantitative}\n'],
  ['facet.yaml', 'data: {values: []}\nfacet: {field: g}\nspec:\n  mark: point\n  encoding:\n    frame: {field: e, cumulatve: true}\n'],
  ['time-rescale.yaml', 'data: {values: []}\nmark: point\nencoding:\n  time: {field: e, rescale: true}\n'],
  ['both.yaml', 'data: {values: []}\nmark: point\nencoding:\n  time: {field: e}\n  frame: {field: e}\n'],
  ['bin.yaml', 'data: {values: []}\nmark: point\nencoding:\n  frame: {field: e, bin: yes}\n  x: {field: a, type: quantitative, scale: {type: lgo}}\n'],
  ['alias.yaml', 'data: {values: []}\nmark: *x\n'],
  ['dupjson.json', '{"mark": "point",\n "mark": "bar"}'],
  ['nodoc', 'mark: point\n---\nmark: bar\n'],
  ['multi.yaml', 'data: {values: []}\nmark: {type: point, size: big}\nencoding:\n  x: {field: a, type: quantitive}\nanimation: {fps: -1, loop: "no"}\nwidth: wide\n'],
];
for (const [f, t] of cases) {
  try { const l = parseSpecText(t, f); const errs = validateSpec(l.spec, l); console.log(`# ${f}`); for (const e of errs) console.log('  ' + formatSpecError(e)); }
  catch (e) { if (e instanceof SpecError) console.log(`# ${f}\n  THROWN ${formatSpecError(e)}`); else throw e; }
}
