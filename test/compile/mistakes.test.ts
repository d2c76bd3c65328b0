/**
 * Mistakes Vega-Lite draws without a word, each reported as a sentence at its JSON path
 * with its line and column (and "did you mean" where a name is close): fields the data
 * does not have, template placeholders that name no frame variable, number and time
 * formats d3 would refuse or misread, and expressions reading signals or calling
 * functions nothing defines. Then the other side: odd but valid specs, and every spec in
 * the repository, get none of these errors or warnings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compile } from '../../src/api.js';
import { CompileError } from '../../src/compile/messages.js';
import {
  writeLabelprop,
  writeMatrixNpy,
  writeUmap,
  writeUmapArrow,
  writeWeights,
} from '../../scripts/gen-data.js';
import { writeLabelpropGallery } from '../../scripts/gen-gallery-data.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(path.join(tmpdir(), 'vf-mistakes-'));
writeFileSync(path.join(dir, 'd.csv'), 'x,y,epoch,name,a.b\n0,0,0,p,1\n1,2,1,q,2\n');
const point = 'data: {url: d.csv}\nmark: point\n';

/** What the command prints for a spec: its error line, or its warnings (folder left out). */
async function outcome(file: string): Promise<string[]> {
  try {
    const plan = await compile(path.join(dir, file));
    return plan.warnings.map((w) => `warning: ${w.replaceAll(`${dir}/`, '')}`);
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    return [`${path.basename(e.file!)}:${e.line}:${e.col} error at ${e.path}: ${e.message}`];
  }
}

/** A warning of these checks: it names its place (`file:line:col at $.path: …`). */
const placed = (w: string) => /^(\S+:\d+:\d+ )?at \$/.test(w);

/** [what, file, spec (YAML), the error line or the warnings]. */
const cases: [string, string, string, string[]][] = [
  [
    'a misspelt field in an encoding: an error with the closest field',
    'enc-typo.yaml',
    point +
      'encoding:\n  x: {field: x, type: quantitative}\n  y: {field: epcoh, type: quantitative}\n',
    [
      'enc-typo.yaml:5:7 error at $.encoding.y.field: "epcoh" is not a field of "d.csv" (did you mean "epoch"?); its fields are "x", "y", "epoch", "name", "a.b"',
    ],
  ],
  [
    'a tooltip field the data lacks: a warning (a tooltip draws nothing)',
    'tooltip.yaml',
    point +
      'encoding:\n  x: {field: x, type: quantitative}\n  tooltip: [{field: x}, {field: nme}]\n',
    [
      'warning: tooltip.yaml:5:26 at $.encoding.tooltip[1].field: "nme" is not a field of "d.csv" (did you mean "name"?); its fields are "x", "y", "epoch", "name", "a.b"',
    ],
  ],
  [
    'a sort field the data lacks: a warning',
    'sort.yaml',
    'data: {url: d.csv}\nmark: bar\nencoding:\n  x: {field: name, type: nominal, sort: {field: yy, op: sum}}\n  y: {field: y, type: quantitative}\n',
    [
      'warning: sort.yaml:4:42 at $.encoding.x.sort.field: "yy" is not a field of "d.csv" (did you mean "y"?); its fields are "x", "y", "epoch", "name", "a.b"',
    ],
  ],
  [
    'a conditional field the data lacks',
    'condition.yaml',
    point +
      'encoding:\n  x: {field: x, type: quantitative}\n  color: {condition: {test: "datum.x > 0", field: nmae}, value: grey}\n',
    [
      'condition.yaml:5:44 error at $.encoding.color.condition.field: "nmae" is not a field of "d.csv" (did you mean "name"?); its fields are "x", "y", "epoch", "name", "a.b"',
    ],
  ],
  [
    'a field predicate: field names are case-sensitive',
    'filter-field.yaml',
    point +
      'transform:\n  - {filter: {field: epoch, gt: 0}}\n  - {filter: {field: Epoch, lt: 3}}\nencoding:\n  x: {field: x, type: quantitative}\n',
    [
      'filter-field.yaml:5:15 error at $.transform[1].filter.field: "Epoch" is not a field of "d.csv" (did you mean "epoch"?); its fields are "x", "y", "epoch", "name", "a.b"',
    ],
  ],
  [
    'an expression reading a field the data lacks',
    'filter-expr.yaml',
    point +
      'transform:\n  - {filter: "datum.x > 0 && datum.nme != \'p\'"}\nencoding:\n  x: {field: x, type: quantitative}\n',
    [
      'filter-expr.yaml:4:6 error at $.transform[0].filter: the expression "datum.x > 0 && datum.nme != \'p\'" reads the field "nme": "nme" is not a field of "d.csv" (did you mean "name"?); its fields are "x", "y", "epoch", "name", "a.b"',
    ],
  ],
  [
    'an expression reading a field a later transform makes',
    'made-later.yaml',
    point +
      'transform:\n  - {filter: "datum.x2 > 0"}\n  - {calculate: "datum.x * 2", as: x2}\nencoding:\n  x: {field: x2, type: quantitative}\n',
    [
      'made-later.yaml:4:6 error at $.transform[0].filter: the expression "datum.x2 > 0" reads the field "x2" before the transform at $.transform[1] makes it; move that transform before this one',
    ],
  ],
  [
    'an aggregate grouped by a field the data lacks',
    'groupby.yaml',
    'data: {url: d.csv}\nmark: bar\ntransform:\n  - {aggregate: [{op: mean, field: y, as: mean_y}], groupby: [nam]}\nencoding:\n  x: {field: mean_y, type: quantitative}\n',
    [
      'groupby.yaml:4:63 error at $.transform[0].groupby[0]: "nam" is not a field of "d.csv" (did you mean "name"?); its fields are "x", "y", "epoch", "name", "a.b"',
    ],
  ],
  [
    'a fold of a field neither the data nor a transform has',
    'fold.yaml',
    'data: {url: d.csv}\nmark: line\ntransform:\n  - {calculate: "datum.x * 2", as: x2}\n  - {fold: [x, y2]}\nencoding:\n  x: {field: value, type: quantitative}\n  color: {field: key}\n',
    [
      'fold.yaml:5:16 error at $.transform[1].fold[1]: "y2" is not a field of "d.csv" (did you mean "y"?); its fields are "x", "y", "epoch", "name", "a.b", and its transforms make "x2"',
    ],
  ],
  [
    'a window sorted by a field the data lacks',
    'window-sort.yaml',
    point +
      'transform:\n  - {window: [{op: rank, as: rank}], sort: [{field: epoc}]}\nencoding:\n  x: {field: rank, type: quantitative}\n',
    [
      'window-sort.yaml:4:46 error at $.transform[0].sort[0].field: "epoc" is not a field of "d.csv" (did you mean "epoch"?); its fields are "x", "y", "epoch", "name", "a.b"',
    ],
  ],
  [
    'a lookup keyed by a field the data lacks',
    'lookup.yaml',
    point +
      'transform:\n  - {lookup: nam, from: {data: {values: [{name: p, z: 1}]}, key: name, fields: [z]}}\nencoding:\n  x: {field: z, type: quantitative}\n',
    [
      'lookup.yaml:4:6 error at $.transform[0].lookup: "nam" is not a field of "d.csv" (did you mean "name"?); its fields are "x", "y", "epoch", "name", "a.b"',
    ],
  ],
  [
    "a lookup's key its own data lacks",
    'lookup-key.yaml',
    point +
      'transform:\n  - {lookup: name, from: {data: {url: d.csv}, key: nmae, fields: [x]}, as: [x0]}\nencoding:\n  x: {field: x0, type: quantitative}\n',
    [
      'lookup-key.yaml:4:47 error at $.transform[0].from.key: "nmae" is not a field of "d.csv" (did you mean "name"?); its fields are "x", "y", "epoch", "name", "a.b"',
    ],
  ],
  [
    "a lookup's field its own data lacks",
    'lookup-fields.yaml',
    point +
      'transform:\n  - {lookup: name, from: {data: {values: [{name: p, age: 1}]}, key: name, fields: [aeg]}}\nencoding:\n  x: {field: aeg, type: quantitative}\n',
    [
      'lookup-fields.yaml:4:84 error at $.transform[0].from.fields[0]: "aeg" is not a field of the inline data (did you mean "age"?); its fields are "name", "age"',
    ],
  ],
  [
    'a dotted field name, for a column whose name has a dot',
    'nested.yaml',
    point + 'encoding:\n  x: {field: a.b, type: quantitative}\n',
    [
      'nested.yaml:4:7 error at $.encoding.x.field: "a.b" reads into a field "a", which "d.csv" does not have; for its field "a.b", write "a\\\\.b" (a dot or bracket in a field name reaches into nested rows)',
    ],
  ],
  [
    'a facet row the data lacks',
    'facet.yaml',
    'data: {url: d.csv}\nfacet: {row: {field: nmae}}\nspec:\n  mark: point\n  encoding: {x: {field: x, type: quantitative}}\n',
    [
      'facet.yaml:2:15 error at $.facet.row.field: "nmae" is not a field of "d.csv" (did you mean "name"?); its fields are "x", "y", "epoch", "name", "a.b"',
    ],
  ],
  [
    'a repeated field the data lacks',
    'repeat.yaml',
    'data: {url: d.csv}\nrepeat: [x, yy]\nspec:\n  mark: point\n  encoding: {x: {field: {repeat: repeat}, type: quantitative}}\n',
    [
      'repeat.yaml:2:13 error at $.repeat[1]: "yy" is not a field of "d.csv" (did you mean "y"?); its fields are "x", "y", "epoch", "name", "a.b"',
    ],
  ],
  [
    'inline values: their keys are the fields',
    'inline.yaml',
    'data: {values: [{year: 2000, pop: 1}, {year: 2001, pop: 2}]}\nmark: line\nencoding:\n  x: {field: yaer, type: ordinal}\n  y: {field: pop, type: quantitative}\n',
    [
      'inline.yaml:4:7 error at $.encoding.x.field: "yaer" is not a field of the inline data (did you mean "year"?); its fields are "year", "pop"',
    ],
  ],
  [
    'a named dataset: its keys are the fields',
    'dataset.yaml',
    'datasets: {gdp: [{country: a, gdp: 1}]}\ndata: {name: gdp}\nmark: bar\nencoding:\n  x: {field: contry, type: nominal}\n',
    [
      'dataset.yaml:5:7 error at $.encoding.x.field: "contry" is not a field of the dataset "gdp" (did you mean "country"?); its fields are "country", "gdp"',
    ],
  ],
  [
    'a key the data lacks: tweens would match nothing',
    'key.yaml',
    point +
      'encoding:\n  x: {field: x, type: quantitative}\n  key: {field: nmae}\n  frame: {field: epoch}\n',
    [
      'key.yaml:5:9 error at $.encoding.key.field: "nmae" is not a field of "d.csv" (did you mean "name"?); its fields are "x", "y", "epoch", "name", "a.b"',
    ],
  ],
  [
    'a frame field the data lacks',
    'frame-typo.yaml',
    point + 'encoding: {x: {field: x, type: quantitative}, frame: {field: epcoh}}\n',
    [
      'frame-typo.yaml:3:55 error at $.encoding.frame.field: encoding.frame.field "epcoh" is not a field of "d.csv" (did you mean "epoch"?); its fields are "x", "y", "epoch", "name", "a.b".',
    ],
  ],
  [
    'a count of a field the data lacks: a warning (a count counts rows)',
    'count.yaml',
    'data: {url: d.csv}\nmark: bar\nencoding:\n  x: {field: name, type: nominal}\n  y: {aggregate: count, field: nmae}\n',
    [
      'warning: count.yaml:5:25 at $.encoding.y.field: "nmae" is not a field of "d.csv" (did you mean "name"?); its fields are "x", "y", "epoch", "name", "a.b"; a count counts rows whatever its field',
    ],
  ],
  [
    'a field in a layer, with no field close to it',
    'layer.yaml',
    'data: {url: d.csv}\nlayer:\n  - mark: line\n    encoding: {x: {field: x, type: quantitative}, y: {field: y, type: quantitative}}\n  - mark: rule\n    encoding: {y: {field: y, aggregate: mean}, size: {field: widht}}\n',
    [
      'layer.yaml:6:55 error at $.layer[1].encoding.size.field: "widht" is not a field of "d.csv"; its fields are "x", "y", "epoch", "name", "a.b"',
    ],
  ],
  [
    'a template placeholder close to a frame variable',
    'tpl-frme.yaml',
    point +
      'title: "epoch {frme}"\nencoding: {x: {field: x, type: quantitative}, frame: {field: epoch}}\n',
    [
      'tpl-frme.yaml:3:1 error at $.title: the placeholder "{frme}" in "epoch {frme}" is not a frame variable (did you mean "{frame}"?); templates show frame, frame_index, frame_count, progress, previous_frame, next_frame',
    ],
  ],
  [
    'a subtitle placeholder close to frame_index',
    'tpl-idx.yaml',
    point +
      'title: {text: "epoch", subtitle: "{frame_idx} of {frame_count}"}\nencoding: {x: {field: x, type: quantitative}, frame: {field: epoch}}\n',
    [
      'tpl-idx.yaml:3:24 error at $.title.subtitle: the placeholder "{frame_idx}" in "{frame_idx} of {frame_count}" is not a frame variable (did you mean "{frame_index}"?); templates show frame, frame_index, frame_count, progress, previous_frame, next_frame',
    ],
  ],
  [
    'a placeholder far from every frame variable: shown as written, with a warning',
    'tpl-other.yaml',
    point +
      'title: "value of {x}"\nencoding: {x: {field: x, type: quantitative}, frame: {field: epoch}}\n',
    [
      'warning: tpl-other.yaml:3:1 at $.title: "{x}" in "value of {x}" is not a frame variable (frame, frame_index, frame_count, progress, previous_frame, next_frame) and shows as written; write "{{x}}" to show braces',
    ],
  ],
  [
    'a template format d3 has no type for',
    'tpl-fmt.yaml',
    'data: {url: d.csv}\nmark: {type: text, text: "{progress:.0z}"}\nencoding: {frame: {field: epoch}}\n',
    [
      'tpl-fmt.yaml:2:20 error at $.mark.text: in the template "{progress:.0z}", the number format ".0z" has the type "z", which d3-format does not have: the types are e f g r s % p b o d x X c n (see https://d3js.org/d3-format)',
    ],
  ],
  [
    'an axis number format d3 has no type for',
    'fmt-axis.yaml',
    point + 'encoding:\n  x: {field: x, type: quantitative, axis: {format: ".9z"}}\n',
    [
      'fmt-axis.yaml:4:44 error at $.encoding.x.axis.format: the number format ".9z" has the type "z", which d3-format does not have: the types are e f g r s % p b o d x X c n (see https://d3js.org/d3-format)',
    ],
  ],
  [
    'a number format d3-format cannot read',
    'fmt-struct.yaml',
    point + 'encoding:\n  x: {field: x, type: quantitative, axis: {format: ".2.f"}}\n',
    [
      'fmt-struct.yaml:4:44 error at $.encoding.x.axis.format: the number format ".2.f" is not a d3-format specifier: [[fill]align][sign][symbol][0][width][,][.precision][~][type], e.g. ",.2f" or ".0%" (see https://d3js.org/d3-format)',
    ],
  ],
  [
    'a printf-style number format',
    'fmt-printf.yaml',
    'data: {url: d.csv}\nmark: text\nencoding:\n  text: {field: x, type: quantitative, format: "%.2f"}\n',
    [
      'fmt-printf.yaml:4:40 error at $.encoding.text.format: the number format "%.2f" is not a d3-format specifier: [[fill]align][sign][symbol][0][width][,][.precision][~][type], e.g. ",.2f" or ".0%"; d3 writes no "%" in front: ".2f" (see https://d3js.org/d3-format)',
    ],
  ],
  [
    'a time format on a quantitative field',
    'fmt-quant-time.yaml',
    'data: {url: d.csv}\nmark: text\nencoding:\n  text: {field: x, type: quantitative, format: "%Y"}\n',
    [
      'fmt-quant-time.yaml:4:40 error at $.encoding.text.format: the number format "%Y" is not a d3-format specifier: [[fill]align][sign][symbol][0][width][,][.precision][~][type], e.g. ",.2f" or ".0%" (see https://d3js.org/d3-format); for a time format, the field needs type: temporal (or formatType: "time")',
    ],
  ],
  [
    'a time format directive d3-time-format does not have',
    'fmt-time.yaml',
    point + 'encoding:\n  x: {field: epoch, type: temporal, axis: {format: "%Y-%K"}}\n',
    [
      'fmt-time.yaml:4:44 error at $.encoding.x.axis.format: the time format "%Y-%K" has "%K", which is not a d3-time-format directive: they are %a %A %b %B %c %d %e %f %g %G %H %I %j %L %m %M %p %q %Q %s %S %u %U %V %w %W %x %X %y %Y %Z %% (see https://d3js.org/d3-time-format)',
    ],
  ],
  [
    'a time format in config ending with a lone %',
    'fmt-config.yaml',
    point + 'encoding: {x: {field: x, type: quantitative}}\nconfig: {timeFormat: "%d %b %"}\n',
    [
      'fmt-config.yaml:4:10 error at $.config.timeFormat: the time format "%d %b %" ends with a lone "%"; write "%%" for a percent sign (see https://d3js.org/d3-time-format)',
    ],
  ],
  [
    'a tooltip number format',
    'fmt-tooltip.yaml',
    point +
      'encoding:\n  x: {field: x, type: quantitative}\n  tooltip: {field: y, type: quantitative, format: ",.2q"}\n',
    [
      'fmt-tooltip.yaml:5:43 error at $.encoding.tooltip.format: the number format ",.2q" has the type "q", which d3-format does not have: the types are e f g r s % p b o d x X c n (see https://d3js.org/d3-format)',
    ],
  ],
  [
    'an expression reading a signal nothing defines',
    'sig.yaml',
    point +
      'encoding:\n  x: {field: x, type: quantitative, axis: {labelExpr: "frme + datum.label"}}\n',
    [
      'sig.yaml:4:44 error at $.encoding.x.axis.labelExpr: the expression "frme + datum.label" reads "frme" (did you mean "frame"?), which is not a param of the spec, a frame param (frame, frame_index, frame_count, progress, previous_frame, next_frame) or a Vega signal (width, height, padding, autosize, background); a field of the row is datum.frme',
    ],
  ],
  [
    'an expression calling a function Vega does not have',
    'fn.yaml',
    point +
      'transform:\n  - {calculate: "tostring(datum.x)", as: s}\nencoding:\n  x: {field: x, type: quantitative}\n',
    [
      'fn.yaml:4:6 error at $.transform[0].calculate: the expression "tostring(datum.x)" calls "tostring", which is not a Vega expression function (did you mean "toString"?); see https://vega.github.io/vega/docs/expressions/',
    ],
  ],
  [
    'a misspelt param in a filter',
    'param.yaml',
    point +
      'params: [{name: cutoff, value: 1}]\ntransform:\n  - {filter: "datum.x < cutof"}\nencoding:\n  x: {field: x, type: quantitative}\n',
    [
      'param.yaml:5:6 error at $.transform[0].filter: the expression "datum.x < cutof" reads "cutof" (did you mean "cutoff"?), which is not a param of the spec, a frame param (frame, frame_index, frame_count, progress, previous_frame, next_frame) or a Vega signal (width, height, padding, autosize, background); a field of the row is datum.cutof',
    ],
  ],
  [
    'a misspelt selection in a condition test',
    'selection.yaml',
    point +
      'params: [{name: brush, select: interval}]\nencoding:\n  x: {field: x, type: quantitative}\n  color: {condition: {test: "vlSelectionTest(\'brush_store\', datum) && brsh", value: red}, value: grey}\n',
    [
      'selection.yaml:6:23 error at $.encoding.color.condition.test: the expression "vlSelectionTest(\'brush_store\', datum) && brsh" reads "brsh" (did you mean "brush"?), which is not a param of the spec, a frame param (frame, frame_index, frame_count, progress, previous_frame, next_frame) or a Vega signal (width, height, padding, autosize, background); a field of the row is datum.brsh',
    ],
  ],
  [
    'a field read without datum',
    'bare-field.yaml',
    point +
      'transform:\n  - {calculate: "x * 2", as: x2}\nencoding:\n  x: {field: x2, type: quantitative}\n',
    [
      'bare-field.yaml:4:6 error at $.transform[0].calculate: the expression "x * 2" reads "x", which is not a param of the spec, a frame param (frame, frame_index, frame_count, progress, previous_frame, next_frame) or a Vega signal (width, height, padding, autosize, background); a field of the row is datum.x',
    ],
  ],
];

for (const [what, file, yaml, expected] of cases) {
  test(`mistake: ${what}`, async () => {
    writeFileSync(path.join(dir, file), yaml);
    assert.deepEqual(await outcome(file), expected);
  });
}

/** [what, spec (YAML)]: odd but valid. */
const valid: [string, string][] = [
  [
    'a field whose name has a dot, escaped; the same read in an expression',
    point +
      'transform: [{calculate: "datum[\'a.b\'] * 2", as: ab2}]\nencoding:\n  x: {field: a\\.b, type: quantitative}\n  y: {field: ab2, type: quantitative}\n',
  ],
  [
    'nested fields of inline rows',
    'data: {values: [{p: {q: 1}, t: 0}, {p: {q: 2}, t: 1}]}\nmark: point\nencoding: {x: {field: p.q, type: quantitative}, y: {field: "p[\'q\']", type: quantitative}}\n',
  ],
  [
    "Vega-Lite's derived names (mean_y, bin_\u2026_end)",
    'data: {url: d.csv}\nmark: bar\nencoding:\n  x: {field: name, type: nominal, sort: {field: mean_y}}\n  y: {field: y, aggregate: mean, type: quantitative}\n  x2: {field: bin_maxbins_10_x_end}\n',
  ],
  [
    "fields a pivot makes (the data's values)",
    point +
      'transform:\n  - {pivot: name, value: y, groupby: [x]}\nencoding:\n  x: {field: x, type: quantitative}\n  y: {field: p, type: quantitative}\n  color: {field: q, type: quantitative}\n',
  ],
  [
    'a lookup of whole rows, fields unnamed',
    point +
      'transform:\n  - {lookup: name, from: {data: {values: [{name: p, z: 1}]}, key: name}}\nencoding:\n  x: {field: z, type: quantitative}\n',
  ],
  [
    'a lookup of whole rows under a name',
    point +
      'transform:\n  - {lookup: name, from: {data: {url: d.csv}, key: name}, as: other}\nencoding:\n  x: {field: other.x, type: quantitative}\n',
  ],
  [
    'frame variables, formats and escaped braces in templates',
    point +
      'title: "{{x}} at {frame:.1f}, {progress:.0%} {frame_index}/{frame_count}"\nencoding: {x: {field: x, type: quantitative}, text: {value: "{frame}"}, frame: {field: epoch}}\n',
  ],
  [
    'params, a bound param, selections and what Vega-Lite makes of them, an extent param, the frame params',
    point +
      'params:\n  - {name: k, value: 2, bind: {input: range, min: 0, max: 5}}\n  - {name: k2, expr: "k * 2 + width / height"}\n  - {name: brush, select: {type: interval, encodings: [x]}}\n  - {name: pick, select: {type: point, fields: [name]}}\ntransform:\n  - {filter: "datum.x < k2 + frame_index + progress + frame_count + frame"}\n  - {extent: x, param: xr}\nencoding:\n  x: {field: x, type: quantitative, axis: {labelExpr: "datum.label + (brush_x ? \'!\' : \'\') + xr[0]"}}\n  color: {condition: {param: pick, field: name}, value: grey}\n  size: {condition: {test: "brush.x && isValid(datum.y)", value: 50}, value: 10}\n',
  ],
  [
    'number and time formats wherever Vega-Lite takes them',
    point +
      'encoding:\n  x: {field: epoch, type: temporal, axis: {format: "%-d %b %Y, %H:%M %p %%"}}\n  y: {field: y, type: quantitative, axis: {format: "+,.2~f"}}\n  color: {field: x, type: quantitative, legend: {format: "$.3s"}}\n  tooltip: [{field: x, format: "%Y", formatType: time}, {field: y, format: "x"}]\nconfig: {numberFormat: ".2r", timeFormat: "%b %Y", axis: {format: ".1%"}, normalizedNumberFormat: ".0%"}\n',
  ],
  [
    'a generated sequence and its field',
    'data: {sequence: {start: 0, stop: 10, as: n}}\ntransform: [{calculate: "datum.n * datum.n", as: sq}]\nmark: line\nencoding: {x: {field: n, type: quantitative}, y: {field: sq, type: quantitative}}\n',
  ],
  [
    'fields transforms make, named and by default',
    point +
      'transform:\n  - {timeUnit: year, field: epoch, as: yr}\n  - {bin: true, field: x, as: xb}\n  - {bin: true, field: y, as: [y0, y1]}\n  - {fold: [x, y], as: [k, v]}\n  - {joinaggregate: [{op: max, field: v, as: max_v}], groupby: [k]}\n  - {window: [{op: count, as: n}, {op: lag, field: v, as: lag_v}], groupby: [k]}\n  - {stack: v, groupby: [k], as: s}\n  - {density: x, groupby: [name]}\n  - {impute: y, key: x}\n  - {quantile: x}\n  - {regression: y, on: x}\nencoding:\n  x: {field: yr, type: temporal}\n  x2: {field: yr_end}\n  y: {field: xb_end, type: quantitative}\n  color: {field: max_v, type: quantitative}\n  size: {field: lag_v, type: quantitative}\n  opacity: {field: s_end, type: quantitative}\n  shape: {field: k}\n  detail: [{field: density}, {field: prob}, {field: value}, {field: y1}, {field: n}]\n',
  ],
  [
    'a shared encoding reading a field a layer makes',
    'data: {url: d.csv}\nencoding: {y: {field: ymade, type: quantitative}}\nlayer:\n  - transform: [{calculate: "datum.y * 2", as: ymade}]\n    mark: line\n    encoding: {x: {field: x, type: quantitative}}\n',
  ],
  [
    'a repeat of fields the data has',
    'data: {url: d.csv}\nrepeat: {row: [x, y], column: [epoch]}\nspec:\n  mark: point\n  encoding: {x: {field: {repeat: row}, type: quantitative}, y: {field: {repeat: column}, type: quantitative}}\n',
  ],
  [
    'a facet field the data has',
    'data: {url: d.csv}\nfacet: {field: name, type: nominal}\nspec:\n  mark: point\n  encoding: {x: {field: x, type: quantitative}}\n',
  ],
  [
    'an argmax of a field the data has',
    'data: {url: d.csv}\nmark: point\nencoding:\n  x: {aggregate: max, field: x}\n  y: {aggregate: {argmax: x}, field: y}\n',
  ],
  [
    'empty data: nothing to check against',
    'data: {values: []}\nmark: point\nencoding: {x: {field: anything, type: quantitative}}\n',
  ],
  [
    'a template in small multiples',
    point +
      'title: "{frame}"\nencoding: {x: {field: x, type: quantitative}, frame: {field: epoch}}\nanimation: {as: facet}\n',
  ],
];

valid.forEach(([what, yaml], i) => {
  test(`not a mistake: ${what}`, async () => {
    const file = `valid-${i}.yaml`;
    writeFileSync(path.join(dir, file), yaml);
    const plan = await compile(path.join(dir, file));
    assert.deepEqual(plan.warnings.filter(placed), []);
  });
});

test('no spec in the repository gets any of these errors or warnings', async () => {
  // Each spec on its data: committed, or generated small where the repository leaves it out.
  const data = mkdtempSync(path.join(tmpdir(), 'vf-mistakes-data-'));
  mkdirSync(path.join(data, 'data'));
  cpSync(path.join(ROOT, 'specs/data'), path.join(data, 'data'), { recursive: true });
  writeLabelpropGallery(path.join(data, 'data/labelprop.csv'), 500, 2);
  await writeUmap(path.join(data, 'data/mnist-umap.csv'), 200, 2);
  await writeUmap(path.join(data, 'umap_epochs.csv'), 200, 2);
  await writeUmap(path.join(data, 'umap_epochs_40.csv'), 200, 2);
  await writeUmapArrow(path.join(data, 'umap_epochs.arrow'), 200, 2);
  await writeWeights(path.join(data, 'weights.csv'), 2, 3, 3);
  writeMatrixNpy(path.join(data, 'matrix_512x100.npy'), 2, 8);
  await writeLabelprop(path.join(data, 'labelprop.csv'), 500, 2);
  const datasets = path.join(ROOT, 'node_modules/vega-datasets');
  const specs: [string, string | undefined][] = [
    ...readdirSync(path.join(ROOT, 'specs'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f): [string, string] => [`specs/${f}`, data]),
    ...readdirSync(path.join(ROOT, 'bench'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f): [string, string] => [`bench/${f}`, data]),
    ...readdirSync(path.join(ROOT, 'test/fixtures/good')).map((f): [string, undefined] => [
      `test/fixtures/good/${f}`,
      undefined,
    ]),
    ...readdirSync(path.join(ROOT, 'test/fixtures/vega-lite'))
      .filter((f) => f.endsWith('.json'))
      .map((f): [string, string] => [`test/fixtures/vega-lite/${f}`, datasets]),
  ];
  assert.ok(specs.length >= 20, `${specs.length} specs`);
  for (const [spec, baseDir] of specs) {
    // layered.json is a schema fixture: its two layers' frame channels differ, and it has no data.
    if (spec.endsWith('layered.json')) {
      await assert.rejects(compile(path.join(ROOT, spec)), /differs from another unit/);
      continue;
    }
    const plan = await compile(path.join(ROOT, spec), { baseDir });
    assert.deepEqual(plan.warnings.filter(placed), [], spec);
  }
});

test("a spec Vega-Lite's compiler fails on is the spec's error, exit 2, not a crash", async () => {
  // Valid against the schema; Vega-Lite 6 throws a TypeError on a datum x with a field x2.
  writeFileSync(
    path.join(dir, 'vl-fails.yaml'),
    'data: {values: [{a: 1, b: 2}]}\nmark: rule\nencoding:\n  x: {datum: 0}\n  x2: {field: a}\n  y: {field: b, type: quantitative}\n',
  );
  const error = await compile(path.join(dir, 'vl-fails.yaml')).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof CompileError, String(error));
  assert.equal(error.exitCode, 2);
  assert.equal(error.path, '$');
  assert.match(error.message, /^Vega-Lite cannot compile this spec: "Cannot read properties/);
});
