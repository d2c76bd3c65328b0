/**
 * TopoJSON (`format: {type: topojson, feature: NAME}` or `mesh: NAME`), read by Vega's own
 * reader (vega-loader's topojson format, topojson-client underneath) into the rows Vega
 * would make: one GeoJSON Feature per shape of the object, or one MultiLineString of its
 * borders. The topology is checked first, so that what the reader is handed is one it
 * reads: an object of that name, arcs that exist, and shapes no bigger than the file can
 * honestly hold.
 */
import { read } from 'vega';
import { dataMessage } from './messages.js';
import { UserError } from '../support/user-error.js';
import { isObject } from '../support/json.js';

export class TopoJsonError extends UserError {}

export interface TopoJsonFormat {
  property?: string;
  feature?: string;
  mesh?: string;
}

/**
 * Positions the decoded shapes may hold, over the positions of the file's arcs, before it
 * is refused. Each arc is drawn once per shape it borders: twice in a map of regions, a
 * few times where an object holds regions and their parts. A topology whose shapes draw one
 * arc a million times is a few megabytes that decode to gigabytes.
 */
const MOST_DRAWS_PER_POSITION = 8;
/** Positions any topology may decode to, whatever its arcs. */
const ALWAYS_ALLOWED_POSITIONS = 1_000_000;

/** The rows of a TopoJSON file's object, as Vega reads them. */
export function parseTopoJson(text: string, format: TopoJsonFormat): object[] {
  let topology: unknown;
  try {
    // A UTF-8 byte order mark is not JSON, but browsers (and so Vega) read past it.
    topology = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new TopoJsonError(dataMessage.topoNotJson((e as Error).message));
  }
  if (format.property) {
    for (const key of format.property.split('.'))
      topology = isObject(topology) && Object.hasOwn(topology, key) ? topology[key] : undefined;
  }
  if (!isObject(topology) || topology.type !== 'Topology' || !isObject(topology.objects))
    throw new TopoJsonError(dataMessage.notTopology());
  const objects = topology.objects;
  const names = Object.keys(objects);
  const name = format.feature ?? format.mesh;
  if (typeof name !== 'string') throw new TopoJsonError(dataMessage.topoNeedsFeature(names));
  if (!Object.hasOwn(objects, name) || !isObject(objects[name]))
    throw new TopoJsonError(dataMessage.topoNoObject(name, names));
  const arcs = topology.arcs ?? [];
  if (!Array.isArray(arcs) || !arcs.every((a) => Array.isArray(a) && a.every(Array.isArray)))
    throw new TopoJsonError(dataMessage.topoArcs());
  const arcPositions = arcs.reduce((sum: number, a: unknown[]) => sum + a.length, 0);
  const positions = positionsOf(objects[name], arcs as unknown[][], `objects.${name}`);
  const most = Math.max(ALWAYS_ALLOWED_POSITIONS, MOST_DRAWS_PER_POSITION * arcPositions);
  // (A mesh draws each arc once, however many shapes name it.)
  if (format.feature !== undefined && positions > most)
    throw new TopoJsonError(
      dataMessage.topoTooManyPositions(name, positions, arcPositions, MOST_DRAWS_PER_POSITION),
    );
  const type = format.feature !== undefined ? 'feature' : 'mesh';
  try {
    // Vega's typings take text; its reader takes parsed JSON as well.
    return read(topology as never, { type: 'topojson', [type]: name } as never) as object[];
  } catch (e) {
    throw new TopoJsonError(dataMessage.topoUnreadable((e as Error).message));
  }
}

/**
 * The positions a TopoJSON geometry decodes to (each arc counted every time it is drawn),
 * checking that every arc it names exists.
 */
function positionsOf(geometry: unknown, arcs: unknown[][], at: string): number {
  if (!isObject(geometry)) throw new TopoJsonError(dataMessage.notGeometry(at));
  let total = 0;
  // An iterative walk: a collection may nest deeper than the stack.
  const stack: [unknown, string][] = [[geometry, at]];
  while (stack.length) {
    const [g, where] = stack.pop()!;
    if (!isObject(g)) throw new TopoJsonError(dataMessage.notGeometry(where));
    if (g.type === 'GeometryCollection') {
      if (!Array.isArray(g.geometries))
        throw new TopoJsonError(dataMessage.collectionGeometries(where));
      g.geometries.forEach((child, i) => stack.push([child, `${where}.geometries[${i}]`]));
      continue;
    }
    if (g.type === 'Point') total += 1;
    else if (g.type === 'MultiPoint')
      total += Array.isArray(g.coordinates) ? g.coordinates.length : 0;
    else if (g.arcs !== undefined) total += arcPositions(g.arcs, arcs, `${where}.arcs`);
  }
  return total;
}

/** The positions of the arcs an `arcs` member names, at any depth of nesting. */
function arcPositions(refs: unknown, arcs: unknown[][], at: string): number {
  let total = 0;
  const stack: unknown[] = [refs];
  while (stack.length) {
    const r = stack.pop();
    if (Array.isArray(r)) {
      for (const x of r) stack.push(x);
      continue;
    }
    // A negative index is the arc ~i, reversed.
    const index = typeof r === 'number' && Number.isInteger(r) ? (r < 0 ? ~r : r) : -1;
    if (index < 0 || index >= arcs.length)
      throw new TopoJsonError(dataMessage.unknownArc(at, r, arcs.length));
    total += arcs[index].length;
  }
  return total;
}
