/** Compile stages in isolation: templates, frame extraction, clock, slices. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateExpr } from '../../src/compile/templates.js';
import { extractSources } from '../../src/compile/extract.js';
import { createMessages } from '../../src/compile/messages.js';
import { compileSpec } from '../../src/compile/index.js';
import { planFromTables, withoutUnreadFrameColumns } from '../../src/data/plan.js';
import { frameRows } from '../../src/data/partition.js';
import { tableFromRows } from '../../src/data/table.js';
import { selectFrames } from '../../src/api.js';

test('templates: placeholders, formats and escapes', () => {
  // `{frame}` shows the param holding its text at the data's precision; a format reads it raw.
  assert.equal(templateExpr('epoch {frame}', false), "'epoch ' + '' + vf_frame_text");
  assert.equal(templateExpr('{frame:.1f}', false), "format(frame, '.1f')");
  assert.equal(
    templateExpr('{previous_frame} → {next_frame}', false),
    "'' + previous_frame + ' → ' + '' + next_frame",
  );
  assert.equal(templateExpr('{next_frame}', true), "timeFormat(next_frame, '%Y-%m-%d')");
  assert.equal(templateExpr('{progress:.0%} done', false), "format(progress, '.0%') + ' done'");
  assert.equal(templateExpr('{frame:%Y}', true), "timeFormat(frame, '%Y')");
  assert.equal(templateExpr('no placeholder {x}', false), undefined);
  assert.equal(
    templateExpr("{{literal}} {frame_index}/{frame_count} it's", false),
    "'{literal} ' + '' + frame_index + '/' + '' + frame_count + ' it\\'s'",
  );
});

test('extract: frame in a shared layer encoding reaches every layer; time is an alias', () => {
  const log = createMessages();
  const { spec, sources } = extractSources(
    {
      data: { values: [{ t: 1 }] },
      encoding: { frame: { field: 't' } },
      layer: [{ mark: 'point' }, { mark: 'text', encoding: { time: { field: 't' } } }],
    },
    log,
  );
  assert.equal(sources.length, 1);
  assert.deepEqual(sources[0].frame, { field: 't' });
  assert.deepEqual(spec.data, { name: 'vf_data_0' });
  assert.equal(JSON.stringify(spec).includes('"frame"'), false);
});

test('extract: a unit without the frame channel sharing framed data stays static', () => {
  const { spec, sources } = extractSources(
    {
      data: { values: [{ t: 1 }] },
      layer: [{ mark: 'point', encoding: { frame: { field: 't' } } }, { mark: 'rule' }],
    },
    createMessages(),
  );
  assert.equal(sources.length, 2);
  assert.equal(sources[1].frame, undefined);
  assert.deepEqual((spec.layer as { data?: unknown }[])[1].data, { name: 'vf_data_1' });
});

test('clock: sort orders, cumulative prefixes, reserved params', () => {
  const rows = [
    { k: 'b', v: 1 },
    { k: 'a', v: 2 },
    { k: 'c', v: 3 },
    { k: 'a', v: 4 },
  ];
  const plan = (frame: Record<string, unknown>) => {
    const compiled = compileSpec({
      data: { values: rows },
      mark: 'point',
      encoding: { x: { field: 'v', type: 'quantitative' }, frame: { field: 'k', ...frame } },
    });
    return planFromTables(compiled, [tableFromRows(rows)]);
  };
  assert.deepEqual(plan({}).clock.values, ['a', 'b', 'c']);
  assert.deepEqual(plan({ sort: 'descending' }).clock.values, ['c', 'b', 'a']);
  assert.deepEqual(plan({ sort: null }).clock.values, ['b', 'a', 'c']);
  assert.deepEqual(plan({ sort: ['c'] }).clock.values, ['c', 'a', 'b']);
  const p = plan({ cumulative: true }).planned[0].partition!;
  assert.deepEqual([...p.offsets], [0, 2, 3, 4]);
  assert.throws(
    () => compileSpec({ params: [{ name: 'progress', value: 1 }], mark: 'point' }),
    /"progress" is a name vega-frames defines/,
  );
});

test('partition: rows already in frame order need no order array; others are sorted', () => {
  const part = (rows: { k: number; v: number }[], cumulative = false) => {
    const compiled = compileSpec({
      data: { values: rows },
      mark: 'point',
      encoding: { x: { field: 'v', type: 'quantitative' }, frame: { field: 'k', cumulative } },
    });
    return planFromTables(compiled, [tableFromRows(rows)]).planned[0];
  };
  const inOrder = [1, 1, 2, 3, 3, 3].map((k, v) => ({ k, v }));
  const sorted = part(inOrder);
  assert.equal(sorted.partition!.order, undefined);
  assert.deepEqual([...sorted.partition!.offsets], [0, 2, 3, 6]);
  assert.deepEqual([...frameRows(sorted, 2)!], [3, 4, 5]);
  assert.deepEqual([...frameRows(sorted, 0)!], [0, 1]);
  assert.deepEqual([...frameRows(part(inOrder, true), 1)!], [0, 1, 2]);
  // Out of order, or with a row in no frame: a counting sort, rows in table order per frame.
  const shuffled = part([3, 1, 2, 1].map((k, v) => ({ k, v })));
  assert.deepEqual([...shuffled.partition!.order!], [1, 3, 2, 0]);
  assert.deepEqual([...frameRows(shuffled, 0)!], [1, 3]);
  const gap = part([
    { k: 1, v: 0 },
    { k: NaN, v: 1 },
    { k: 2, v: 2 },
  ]);
  assert.deepEqual([...gap.partition!.order!], [0, 2]);
});

test('selectFrames: python slice rules', () => {
  assert.deepEqual(selectFrames('0:10:3', 20), [0, 3, 6, 9]);
  assert.deepEqual(selectFrames('-2:', 5), [3, 4]);
  assert.deepEqual(selectFrames(':2', 5), [0, 1]);
  assert.throws(() => selectFrames('5:1', 10), /selects no frame/);
  assert.throws(() => selectFrames('abc', 10), /is not a:b/);
});

test('the frame column is freed once partitioned, unless the rendered spec reads it', () => {
  const rows = [0, 0, 1, 1].map((t, i) => ({ t, x: i, y: i * 2 }));
  const plan = (encoding: Record<string, unknown>, mark: unknown = 'point') => {
    const compiled = compileSpec({
      data: { values: rows },
      mark,
      encoding: { x: { field: 'x' }, y: { field: 'y' }, frame: { field: 't' }, ...encoding },
    });
    return planFromTables(compiled, [tableFromRows(rows)]);
  };
  const unread = withoutUnreadFrameColumns(plan({}));
  assert.deepEqual(unread.planned[0].table.names, ['x', 'y']);
  assert.equal(unread.planned[0].table.length, 4);
  assert.deepEqual([...frameRows(unread.planned[0], 1)!], [2, 3]);
  // Read by the chart (a tooltip of the field; every field), or by a computed key: kept.
  const everyField = withoutUnreadFrameColumns(
    plan({}, { type: 'point', tooltip: { content: 'data' } }),
  );
  assert.deepEqual(everyField.planned[0].table.names, ['t', 'x', 'y']);
  for (const encoding of [
    { tooltip: { field: 't' } },
    { opacity: { condition: { test: "datum['x' + ''] > 1", value: 1 }, value: 0.5 } },
    { opacity: { condition: { test: 'datum.t > 0', value: 1 }, value: 0.5 } },
  ]) {
    const p = withoutUnreadFrameColumns(plan(encoding));
    assert.deepEqual(p.planned[0].table.names, ['t', 'x', 'y'], JSON.stringify(encoding));
  }
  // Expressions that read it other ways: spaces around the dot, another dataset's rows.
  for (const expr of ['datum .t * 10', 'datum. t * 10', "datum['t']", 'datum["t"]']) {
    const compiled = compileSpec({
      data: { values: rows },
      transform: [{ calculate: expr, as: 'c' }],
      mark: 'point',
      encoding: { x: { field: 'x' }, y: { field: 'c' }, frame: { field: 't' } },
    });
    const p = withoutUnreadFrameColumns(planFromTables(compiled, [tableFromRows(rows)]));
    assert.deepEqual(p.planned[0].table.names, ['t', 'x', 'y'], expr);
  }
  // Reading a dataset's rows in an expression (a signal of the compiled spec here).
  for (const expr of [
    "data('source')[0].t",
    "pluck(data('source'), 't')[0]",
    "indata('source', 't', 1)",
  ]) {
    const read = plan({});
    (read.vega.signals as unknown[]).push({ name: 'probe', update: expr });
    const p = withoutUnreadFrameColumns(read);
    assert.deepEqual(p.planned[0].table.names, ['t', 'x', 'y'], expr);
  }
});
