/**
 * NumPy `.npy` arrays as tidy tables, the way users hold a stack of weight matrices:
 * a 3-D array (frames × rows × cols) becomes `frame,row,col,value`, a 2-D array
 * `row,col,value`, a 1-D array `index,value`. Little- and big-endian floats, ints, unsigned
 * ints and bools; C or Fortran order. Format: numpy.lib.format (versions 1–3).
 */
import { type ColumnTable, sharedFloat64 } from './table.js';
import { quote } from '../spec/errors.js';
import { dataMessage } from './messages.js';
import { UserError } from '../support/user-error.js';

export class NpyError extends UserError {}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const AXES: Record<number, string[]> = {
  1: ['index'],
  2: ['row', 'col'],
  3: ['frame', 'row', 'col'],
};

export function parseNpy(bytes: Uint8Array): ColumnTable {
  if (bytes.length === 0) throw new NpyError(dataMessage.emptyFile());
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new NpyError(dataMessage.npyNoMagic());
  }
  const [major, minor] = [bytes[6], bytes[7]];
  if (major < 1 || major > 3) {
    throw new NpyError(dataMessage.npyVersion(major, minor));
  }
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) throw new NpyError(dataMessage.npyEndsInHeader());
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerStart + headerLength > bytes.length) {
    throw new NpyError(dataMessage.npyHeaderTruncated(headerLength, bytes.length - headerStart));
  }
  const header = Buffer.from(bytes.subarray(headerStart, headerStart + headerLength)).toString(
    major === 3 ? 'utf8' : 'latin1',
  );
  const { descr, fortran, shape, shapeText } = parseHeader(header);
  const axes = AXES[shape.length];
  if (!axes) {
    throw new NpyError(dataMessage.npyDimensions(shape.length));
  }
  const read = reader(descr, view);
  // Whole numbers each, but their product can pass 2^53 (or overflow to Infinity): checked
  // against the bytes there are before anything is allocated.
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  const available = bytes.length - dataStart;
  if (!Number.isSafeInteger(count * read.size)) {
    throw new NpyError(dataMessage.npyTooManyValues(shapeText));
  }
  if (count * read.size > available) {
    throw new NpyError(dataMessage.npyDataTruncated(shape, count * read.size, available));
  }
  // Row-major (C order) indices of element i; Fortran order stores the first axis fastest.
  const strides = shape.map((_, a) =>
    fortran
      ? shape.slice(0, a).reduce((x, y) => x * y, 1)
      : shape.slice(a + 1).reduce((x, y) => x * y, 1),
  );
  // Each axis's indices in the narrowest unsigned type that holds them, and float16/32
  // values as float32 (exact): a 100 × 512 × 512 stack takes 6 bytes a cell in indices and
  // 4 in values, not 32 as 64-bit floats.
  const index = shape.map((n) => sharedIndices(n, count));
  const value = /^[<>|=]f[24]$/.test(descr)
    ? new Float32Array(new SharedArrayBuffer(count * 4))
    : sharedFloat64(count);
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

/** `count` shared indices below `n`, in the narrowest unsigned array that holds them. */
function sharedIndices(n: number, count: number): Uint8Array | Uint16Array | Uint32Array {
  if (n <= 256) return new Uint8Array(new SharedArrayBuffer(count));
  if (n <= 65536) return new Uint16Array(new SharedArrayBuffer(count * 2));
  return new Uint32Array(new SharedArrayBuffer(count * 4));
}

/**
 * The header's dictionary, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`:
 * a dtype string, a boolean and a tuple of whole numbers, each checked.
 */
function parseHeader(header: string): {
  descr: string;
  fortran: boolean;
  shape: number[];
  /** The shape as written, quoted for messages. */
  shapeText: string;
} {
  if (header.trim() === '') throw new NpyError(dataMessage.npyHeaderEmpty());
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  if (descr === undefined) {
    throw new NpyError(
      /'descr':\s*\[/.test(header) ? dataMessage.npyStructured() : dataMessage.npyNoDtype(header),
    );
  }
  const order = /'fortran_order':\s*(\w+)/.exec(header)?.[1];
  if (order !== 'True' && order !== 'False') {
    throw new NpyError(dataMessage.npyFortranOrder(order));
  }
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (shapeText === undefined) throw new NpyError(dataMessage.npyNoShape(header));
  const items = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.find((s) => !/^\d+L?$/.test(s));
  if (bad !== undefined) {
    throw new NpyError(dataMessage.npyShapeItem(shapeText, bad));
  }
  return {
    descr,
    fortran: order === 'True',
    shape: items.map((s) => parseInt(s, 10)),
    shapeText: quote(`(${shapeText.trim()})`, 60),
  };
}

function reader(descr: string, view: DataView): { size: number; at: (offset: number) => number } {
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  if (!m) throw new NpyError(dataMessage.npyDtype(descr));
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
  if (!at) throw new NpyError(dataMessage.npyDtype(descr));
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
