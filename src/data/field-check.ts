/**
 * Fields the spec reads that its data does not have. Vega reads a missing field as
 * undefined, so a typo (`epcoh`) draws an empty channel, filters every row out or sorts by
 * nothing, without a word: here it is an error at the field's JSON path, with the closest
 * field the data has. Where a missing field changes nothing that is drawn (a tooltip, a
 * link, a sort, a selection's fields, the field of a count), it is a warning.
 *
 * Columns are known once the data is read: a view's fields are its data's columns, the
 * fields its transforms and those of the views above it make (every `as`, and the names
 * Vega gives when there is none), and the names Vega-Lite derives from them (`mean_y`,
 * `bin_maxbins_10_x_end`). A nested field (`a.b`, as Vega reads field names) needs its
 * first part. Whatever cannot be known is not checked: data Vega makes (`graticule`,
 * a named data set given at run time), empty data, and what follows a `pivot` (its fields
 * are the data's values) or a `lookup` of whole rows. A shared `encoding` (a layer's, a
 * facet's) may read fields the views below make.
 */
import * as vega from 'vega';
import { closestMatch, quote } from '../spec/errors.js';
import type { ColumnTable } from './table.js';
import type { SourceRef } from '../compile/extract.js';
import type { Messages } from '../compile/messages.js';
import { type Json, isObject } from '../support/json.js';
import { dataMessage } from './messages.js';

interface Scope {
  /** The data's fields; undefined when they cannot be known (nothing is checked). */
  columns?: Set<string>;
  /** The data as a message names it. */
  source: string;
  /** Fields made by transforms, each with the path of the transform making it. */
  made: Map<string, string>;
  /** Whether transforms made fields whose names cannot be known (pivot, lookup). */
  open: boolean;
}

type Severity = 'error' | 'warning';

/** Channels whose field changes nothing drawn: a missing one is a warning. */
const UNDRAWN_CHANNELS = new Set(['tooltip', 'href', 'description']);

const CHILD_KEYS = ['layer', 'hconcat', 'vconcat', 'concat'] as const;

/** `a.b["c"]` → `a\.b\["c"\]`: the field whose name is the text itself. */
function escapeField(name: string): string {
  return name.replace(/[.[\]'"\\]/g, (c) => `\\${c}`);
}

/** The field a field name reads first: `a` of `a.b` or `a[0]`, `a.b` of `a\.b`. */
function headOf(name: string): string {
  try {
    return vega.splitAccessPath(name)[0] ?? name;
  } catch {
    return name; // refused with its reason by checkFields
  }
}

/** Every `as` a transform names (a list's too), outside its lookup's `from`. */
function asNames(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => asNames(n, out));
  else if (isObject(node))
    for (const [key, value] of Object.entries(node)) {
      if (key === 'as') out.push(...[value].flat().filter((n) => typeof n === 'string'));
      else if (key !== 'from') asNames(value, out);
    }
  return out;
}

/** The fields of the data at a JSON path (a view's, a lookup's `from`), when known. */
type ColumnsAt = (path: string) => readonly string[] | undefined;

/**
 * The fields the transform at `at` makes, as Vega-Lite and Vega name them; `open` when
 * they are not known.
 */
function madeBy(t: Json, at: string, columnsAt: ColumnsAt): { names: string[]; open: boolean } {
  const names = asNames(t);
  const as = t.as;
  if ('pivot' in t) return { names, open: true };
  if ('lookup' in t) {
    const from = isObject(t.from) ? t.from : {};
    const fields = Array.isArray(from.fields)
      ? from.fields.filter((f) => typeof f === 'string')
      : [];
    if (as !== undefined) return { names, open: false };
    if (fields.length) return { names: [...names, ...fields], open: false };
    // A selection's values come under its name; whole rows of data, field by field.
    if (typeof from.param === 'string') return { names: [from.param], open: false };
    const columns = columnsAt(`${at}.from`);
    return { names: [...names, ...(columns ?? [])], open: columns === undefined };
  }
  // A bin, a time unit and a stack make a start and an end.
  if (('bin' in t || 'timeUnit' in t || 'stack' in t) && typeof as === 'string')
    names.push(`${as}_end`);
  if ('fold' in t && as === undefined) names.push('key', 'value');
  if ('density' in t && as === undefined) names.push('value', 'density');
  if ('quantile' in t && as === undefined) names.push('prob', 'value');
  return { names, open: false };
}

/** The fields made by every transform at or below a view (for its shared encoding). */
function madeBelow(
  node: Json,
  path: string,
  made: Map<string, string>,
  columnsAt: ColumnsAt,
): boolean {
  let open = false;
  if (Array.isArray(node.transform))
    node.transform.forEach((t, i) => {
      if (!isObject(t)) return;
      const m = madeBy(t, `${path}.transform[${i}]`, columnsAt);
      for (const n of m.names) if (!made.has(n)) made.set(n, `${path}.transform[${i}]`);
      open ||= m.open;
    });
  for (const key of CHILD_KEYS) {
    const list = node[key];
    if (Array.isArray(list))
      list.forEach((c, i) => {
        if (isObject(c)) open = madeBelow(c, `${path}.${key}[${i}]`, made, columnsAt) || open;
      });
  }
  if (isObject(node.spec)) open = madeBelow(node.spec, `${path}.spec`, made, columnsAt) || open;
  return open;
}

/** Names in a message: each quoted, the first 20 of a long list. */
function quoteList(names: readonly string[]): string {
  const shown = names.slice(0, 20).map((n) => quote(n, 60));
  const rest = names.length - shown.length;
  return `${shown.join(', ')}${rest > 0 ? ` and ${rest.toLocaleString('en')} more` : ''}`;
}

/** The fields an expression reads from its row: `datum.a`, `datum['a b']`. */
function datumReads(expr: string): string[] {
  let ast: unknown;
  try {
    ast = vega.parseExpression(expr);
  } catch {
    return []; // refused with its reason by checkExpressions
  }
  const reads: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    if (
      node.type === 'MemberExpression' &&
      isObject(node.object) &&
      node.object.type === 'Identifier' &&
      node.object.name === 'datum' &&
      isObject(node.property)
    ) {
      const p = node.property;
      if (!node.computed && typeof p.name === 'string') reads.push(p.name);
      else if (node.computed && p.type === 'Literal' && typeof p.value === 'string')
        reads.push(p.value);
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'type') visit(value);
  };
  visit(ast);
  return reads;
}

/**
 * Throws a CompileError at the first field the data does not have where it matters to the
 * drawing, and warns of the others. `tables[i]` holds `sources[i]`.
 */
export function checkDataFields(
  input: Json,
  sources: readonly SourceRef[],
  tables: readonly ColumnTable[],
  log: Messages,
): void {
  const columnsOf = new Map<string, string[]>();
  sources.forEach((s, i) => {
    const t = tables[i];
    if (s.view === undefined || columnsOf.has(s.view) || !t) return;
    columnsOf.set(s.view, t.sourceNames ?? t.names);
  });
  const columnsAt: ColumnsAt = (path) => {
    const names = columnsOf.get(path);
    return names && names.length > 0 ? names : undefined;
  };
  const datasets = isObject(input.datasets) ? input.datasets : {};

  const EMPTY: Scope = { columns: undefined, source: 'the data', made: new Map(), open: false };

  /** The scope a view's own `data` starts (fields made above it stay, as Vega-Lite's may). */
  const dataScope = (data: Json, path: string, above: Scope): Scope => {
    const base = { made: new Map(above.made), open: above.open };
    const names = columnsOf.get(path);
    if (names && names.length > 0) {
      const source =
        typeof data.url === 'string'
          ? quote(data.url)
          : typeof data.name === 'string' && data.name in datasets
            ? `the dataset ${quote(data.name)}`
            : 'the inline data';
      return { ...base, columns: new Set(names), source };
    }
    if (isObject(data.sequence)) {
      const as = typeof data.sequence.as === 'string' ? data.sequence.as : 'data';
      return { ...base, columns: new Set([as]), source: 'data.sequence' };
    }
    return { ...base, columns: undefined, source: 'the data' };
  };

  const present = (name: string, scope: Scope): boolean => {
    if (!scope.columns || scope.open || name === '*') return true;
    const has = (n: string) => scope.columns!.has(n) || scope.made.has(n);
    if (has(headOf(name)) || scope.made.has(name)) return true;
    // Vega-Lite's derived names: `mean_y`, `year_date`, `bin_maxbins_10_x_end`, `__count`.
    if (name === '__count') return true;
    const base = name.replace(/_(end|start|range)$/, '');
    if (base !== name && has(headOf(base))) return true;
    for (const n of [...scope.columns, ...scope.made.keys()])
      if (base.length > n.length + 1 && base.endsWith(`_${n}`)) return true;
    return false;
  };

  const describeMissing = (name: string, scope: Scope): string => {
    const columns = [...scope.columns!];
    const made = [...scope.made.keys()];
    const head = headOf(name);
    const near =
      closestMatch(name, [...columns, ...made]) ??
      (head !== name ? closestMatch(head, [...columns, ...made]) : undefined);
    const hint = near === undefined ? '' : ` (did you mean ${quote(near)}?)`;
    const fields = `its fields are ${quoteList(columns)}${made.length ? `, and its transforms make ${quoteList(made)}` : ''}`;
    if (head !== name && scope.columns!.has(name))
      return dataMessage.nestedFieldNamed(name, head, scope.source, escapeField(name));
    if (head !== name)
      return dataMessage.nestedFieldMissing(name, head, scope.source, hint, fields);
    return dataMessage.fieldMissing(name, scope.source, hint, fields);
  };

  const report = (text: string, at: string, severity: Severity) => {
    if (severity === 'error') throw log.error(text, at);
    log.warn(text, at);
  };

  /** A field name read at `at`; `later` holds the fields transforms after this one make. */
  const checkField = (
    name: unknown,
    at: string,
    scope: Scope,
    severity: Severity,
    later?: Map<string, string>,
  ) => {
    if (typeof name !== 'string' || present(name, scope)) return;
    const madeLater = later?.get(name) ?? later?.get(headOf(name));
    if (madeLater) throw log.error(dataMessage.fieldMadeLater(name, madeLater), at);
    report(describeMissing(name, scope), at, severity);
  };

  const checkExpression = (
    expr: unknown,
    at: string,
    scope: Scope,
    later?: Map<string, string>,
  ) => {
    if (typeof expr !== 'string' || !scope.columns || scope.open) return;
    for (const name of datumReads(expr)) {
      // `datum['a.b']` reads the field named "a.b": a name, not a path.
      if (scope.columns.has(name) || scope.made.has(name) || present(name, scope)) continue;
      const madeLater = later?.get(name);
      throw log.error(
        madeLater
          ? dataMessage.expressionReadsBeforeMade(expr, name, madeLater)
          : dataMessage.expressionReadsMissing(expr, name, describeMissing(name, scope)),
        at,
      );
    }
  };

  const checkPredicate = (p: unknown, at: string, scope: Scope, later?: Map<string, string>) => {
    if (typeof p === 'string') return checkExpression(p, at, scope, later);
    if (Array.isArray(p))
      return p.forEach((q, i) => checkPredicate(q, `${at}[${i}]`, scope, later));
    if (!isObject(p)) return;
    for (const key of ['and', 'or', 'not'])
      if (key in p) checkPredicate(p[key], `${at}.${key}`, scope, later);
    checkField(p.field, `${at}.field`, scope, 'error', later);
  };

  /** `t[key]` as a list of field names, or one. */
  const listIn = (t: Json, key: string, at: string, scope: Scope, later?: Map<string, string>) => {
    const list = t[key];
    if (Array.isArray(list))
      list.forEach((name, i) => checkField(name, `${at}.${key}[${i}]`, scope, 'error', later));
    else checkField(list, `${at}.${key}`, scope, 'error', later);
  };

  /** The `field` of each object of a list (`aggregate`, `window`, `sort`). */
  const fieldsOfList = (
    t: Json,
    key: string,
    at: string,
    scope: Scope,
    later?: Map<string, string>,
  ) => {
    const list = t[key];
    if (Array.isArray(list))
      list.forEach(
        (item, i) =>
          isObject(item) &&
          checkField(item.field, `${at}.${key}[${i}].field`, scope, 'error', later),
      );
  };

  /** The fields one transform reads, checked against what is there before it runs. */
  const checkTransform = (t: Json, at: string, scope: Scope, later: Map<string, string>) => {
    if ('filter' in t) return checkPredicate(t.filter, `${at}.filter`, scope, later);
    if ('calculate' in t) return checkExpression(t.calculate, `${at}.calculate`, scope, later);
    for (const key of ['aggregate', 'joinaggregate', 'window']) {
      if (key in t) {
        fieldsOfList(t, key, at, scope, later);
        listIn(t, 'groupby', at, scope, later);
        if (key === 'window') fieldsOfList(t, 'sort', at, scope, later);
        return;
      }
    }
    if ('fold' in t) return listIn(t, 'fold', at, scope, later);
    if ('flatten' in t) return listIn(t, 'flatten', at, scope, later);
    if ('lookup' in t) {
      checkField(t.lookup, `${at}.lookup`, scope, 'error', later);
      // The key and fields the lookup reads from its own data.
      const from = isObject(t.from) ? t.from : {};
      if (!isObject(from.data)) return;
      const other = dataScope(from.data, `${at}.from`, EMPTY);
      checkField(from.key, `${at}.from.key`, other, 'error');
      if (Array.isArray(from.fields))
        from.fields.forEach((f, i) => checkField(f, `${at}.from.fields[${i}]`, other, 'error'));
      return;
    }
    const readsOf: Record<string, string[]> = {
      pivot: ['pivot', 'value'],
      impute: ['impute', 'key'],
      density: ['density'],
      loess: ['loess', 'on'],
      regression: ['regression', 'on'],
      quantile: ['quantile'],
      stack: ['stack'],
      extent: ['extent'],
      bin: ['field'],
      timeUnit: ['field'],
    };
    for (const [kind, keys] of Object.entries(readsOf)) {
      if (!(kind in t)) continue;
      for (const key of keys) checkField(t[key], `${at}.${key}`, scope, 'error', later);
      listIn(t, 'groupby', at, scope, later);
      if (kind === 'stack') fieldsOfList(t, 'sort', at, scope, later);
      return;
    }
  };

  /** A channel's definition (or one of a list's): its field, sort, condition. */
  const checkDef = (def: unknown, at: string, scope: Scope, severity: Severity) => {
    if (!isObject(def)) return;
    if (def.aggregate === 'count') {
      // A count counts rows, whatever its field.
      if (typeof def.field === 'string' && !present(def.field, scope))
        log.warn(
          `${describeMissing(def.field, scope)}; a count counts rows whatever its field`,
          `${at}.field`,
        );
    } else checkField(def.field, `${at}.field`, scope, severity);
    if (isObject(def.aggregate)) {
      checkField(def.aggregate.argmax, `${at}.aggregate.argmax`, scope, severity);
      checkField(def.aggregate.argmin, `${at}.aggregate.argmin`, scope, severity);
    }
    if (isObject(def.sort)) checkField(def.sort.field, `${at}.sort.field`, scope, 'warning');
    const conditions = Array.isArray(def.condition) ? def.condition : [def.condition];
    conditions.forEach((c, i) => {
      if (!isObject(c)) return;
      const cAt = Array.isArray(def.condition) ? `${at}.condition[${i}]` : `${at}.condition`;
      checkField(c.field, `${cAt}.field`, scope, severity);
      if ('test' in c) checkPredicate(c.test, `${cAt}.test`, scope);
    });
  };

  const checkEncoding = (encoding: Json, at: string, scope: Scope) => {
    for (const [channel, value] of Object.entries(encoding)) {
      // The frame channel is read by vega-frames itself (see planFrames).
      if (channel === 'frame' || channel === 'time') continue;
      const severity: Severity = UNDRAWN_CHANNELS.has(channel) ? 'warning' : 'error';
      if (Array.isArray(value))
        value.forEach((d, i) => checkDef(d, `${at}.${channel}[${i}]`, scope, severity));
      else checkDef(value, `${at}.${channel}`, scope, severity);
    }
  };

  /** What a view shares with the views below it: shared encoding, facet, repeat, params. */
  const checkShared = (node: Json, path: string, own: Scope, unit: boolean) => {
    let scope = own;
    if (!unit) {
      const made = new Map(own.made);
      const open = madeBelow(node, path, made, columnsAt);
      scope = { ...own, made, open: own.open || open };
    }
    if (isObject(node.encoding)) checkEncoding(node.encoding, `${path}.encoding`, scope);
    if (isObject(node.facet)) {
      if ('field' in node.facet) checkDef(node.facet, `${path}.facet`, scope, 'error');
      for (const key of ['row', 'column'])
        checkDef(node.facet[key], `${path}.facet.${key}`, scope, 'error');
    }
    const repeat = node.repeat;
    if (Array.isArray(repeat)) listIn(node, 'repeat', path, scope);
    else if (isObject(repeat))
      for (const key of ['row', 'column', 'layer']) listIn(repeat, key, `${path}.repeat`, scope);
    if (Array.isArray(node.params))
      node.params.forEach((p, i) => {
        const select = isObject(p) ? p.select : undefined;
        const fields = isObject(select) ? select.fields : undefined;
        if (Array.isArray(fields))
          fields.forEach((f, j) =>
            checkField(f, `${path}.params[${i}].select.fields[${j}]`, scope, 'warning'),
          );
      });
  };

  const walk = (node: Json, path: string, above: Scope) => {
    let scope: Scope = isObject(node.data)
      ? dataScope(node.data, path, above)
      : { ...above, made: new Map(above.made) };
    if (Array.isArray(node.transform)) {
      const transforms = node.transform;
      transforms.forEach((t, i) => {
        if (!isObject(t)) return;
        const at = `${path}.transform[${i}]`;
        // Fields the transforms after this one make: read here, they are not made yet.
        const later = new Map<string, string>();
        transforms.slice(i + 1).forEach((u, j) => {
          if (isObject(u))
            for (const n of madeBy(u, `${path}.transform[${i + 1 + j}]`, columnsAt).names)
              if (!later.has(n)) later.set(n, `${path}.transform[${i + 1 + j}]`);
        });
        checkTransform(t, at, scope, later);
        const m = madeBy(t, at, columnsAt);
        for (const n of m.names) scope.made.set(n, at);
        if (m.open) scope = { ...scope, open: true };
      });
    }
    checkShared(node, path, scope, 'mark' in node);
    for (const key of CHILD_KEYS) {
      const list = node[key];
      if (Array.isArray(list))
        list.forEach((c, i) => isObject(c) && walk(c, `${path}.${key}[${i}]`, scope));
    }
    if (isObject(node.spec)) walk(node.spec, `${path}.spec`, scope);
  };
  walk(input, '$', EMPTY);
}
