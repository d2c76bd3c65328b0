/**
 * NumPy `.npy` arrays as tidy tables, the way users hold a stack of weight matrices:
 * a 3-D array (frames × rows × cols) becomes `frame,row,col,value`, a 2-D array
 * `row,col,value`, a 1-D array `index,value`. Little- and big-endian floats, ints, unsigned
 * ints and bools; C or Fortran order. Format: numpy.lib.format (versions 1–3).
 */
import { type ColumnTable, sharedFloat64 } from './table.js';

export class NpyError extends Error {}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const AXES: Record<number, string[]> = {
  1: ['index'],
  2: ['row', 'col'],
  3: ['frame', 'row', 'col'],
};

export function parseNpy(bytes: Uint8Array): ColumnTable {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new NpyError('not a .npy file (no \\x93NUMPY magic)');
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (headerStart + headerLength > bytes.length) throw new NpyError('the header is truncated');
  const header = Buffer.from(bytes.subarray(headerStart, headerStart + headerLength)).toString(
    major === 3 ? 'utf8' : 'latin1',
  );
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1] === 'True';
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) throw new NpyError(`unreadable header: ${header.trim()}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const axes = AXES[shape.length];
  if (!axes) {
    throw new NpyError(`a ${shape.length}-D array: only 1-D, 2-D and 3-D arrays become tables`);
  }
  const read = reader(descr, view);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  if (dataStart + count * read.size > bytes.length) {
    throw new NpyError(
      `the data is truncated: shape (${shape.join(', ')}) needs ${count * read.size} bytes, the file has ${bytes.length - dataStart}`,
    );
  }
  // Row-major (C order) indices of element i; Fortran order stores the first axis fastest.
  const strides = shape.map((_, a) =>
    fortran
      ? shape.slice(0, a).reduce((x, y) => x * y, 1)
      : shape.slice(a + 1).reduce((x, y) => x * y, 1),
  );
  const index = axes.map(() => sharedFloat64(count));
  const value = sharedFloat64(count);
  const inners = shape.map((_, a) => shape.slice(a + 1).reduce((x, y) => x * y, 1));
  for (let i = 0; i < count; i++) {
    // Element i in C order; its offset in the file follows the file's order.
    let rest = i;
    let offset = 0;
    for (let a = 0; a < shape.length; a++) {
      const inner = inners[a];
      const k = Math.floor(rest / inner);
      rest -= k * inner;
      index[a][i] = k;
      offset += k * strides[a];
    }
    value[i] = read.at(dataStart + offset * read.size);
  }
  const columns: ColumnTable['columns'] = { value: { kind: 'number', values: value } };
  axes.forEach((name, a) => (columns[name] = { kind: 'number', values: index[a] }));
  return { length: count, names: [...axes, 'value'], columns };
}

function reader(descr: string, view: DataView): { size: number; at: (offset: number) => number } {
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  if (!m)
    throw new NpyError(`dtype ${descr} is not supported: use a float, int, uint or bool array`);
  const little = m[1] !== '>';
  const kind = m[2];
  const size = Number(m[3]);
  const at = (() => {
    if (kind === 'f' && size === 8) return (o: number) => view.getFloat64(o, little);
    if (kind === 'f' && size === 4) return (o: number) => view.getFloat32(o, little);
    if (kind === 'f' && size === 2) return (o: number) => halfToFloat(view.getUint16(o, little));
    if (kind === 'i' && size === 1) return (o: number) => view.getInt8(o);
    if (kind === 'i' && size === 2) return (o: number) => view.getInt16(o, little);
    if (kind === 'i' && size === 4) return (o: number) => view.getInt32(o, little);
    if (kind === 'i' && size === 8) return (o: number) => Number(view.getBigInt64(o, little));
    if ((kind === 'u' || kind === 'b') && size === 1) return (o: number) => view.getUint8(o);
    if (kind === 'u' && size === 2) return (o: number) => view.getUint16(o, little);
    if (kind === 'u' && size === 4) return (o: number) => view.getUint32(o, little);
    if (kind === 'u' && size === 8) return (o: number) => Number(view.getBigUint64(o, little));
    return undefined;
  })();
  if (!at)
    throw new NpyError(`dtype ${descr} is not supported: use a float, int, uint or bool array`);
  return { size, at };
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
