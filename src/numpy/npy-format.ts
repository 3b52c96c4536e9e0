/**
 * NumPy's `.npy` format (numpy/lib/format.py): the magic "\x93NUMPY", a major and minor
 * version, the header's length (2 bytes little-endian in 1.0, 4 bytes in 2.0 and 3.0), a
 * Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded
 * with spaces and a newline so the data starts on a 64-byte boundary, then the raw data.
 */
import { NdArray, type ArrayLike } from "../core/array.js";
import { defaultFloat, type DType, type TypedArray } from "../core/dtypes.js";
import { CotangentError, DTypeError } from "../core/errors.js";
import { asArray } from "../primitives/as-array.js";
import { array } from "./creation.js";
import { reshape, transpose } from "./shape.js";

/**
 * No JAX twin (`numpy.load` raises `ValueError`): a file that is not valid `.npy`/`.npz` data: bad magic, a
 * truncated file, an unreadable header or a bad zip archive.
 *
 * @example
 * try { await np.load(bytes); } catch (e) { if (e instanceof np.NpyFormatError) console.log(e.message); }
 */
export class NpyFormatError extends CotangentError {}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** The descr cotangent writes for each dtype (little-endian; bool is one byte). */
const DESCR: Record<DType, string> = {
  float32: "<f4",
  float64: "<f8",
  int32: "<i4",
  uint32: "<u4",
  bool: "|b1",
};

/** How a stored kind and size is read: the typed array and the dtype it becomes. */
interface Reader {
  make: (
    buf: ArrayBuffer,
    n: number,
  ) => TypedArray | BigInt64Array | BigUint64Array | Int8Array | Int16Array | Uint16Array;
  dtype: DType;
  /** Values must be checked to fit (64-bit integers into 32 bits). */
  narrow?: boolean;
  /** float16: converted from half-precision bits. */
  half?: boolean;
}
const READERS: Record<string, Reader> = {
  b1: { make: (b, n) => new Uint8Array(b, 0, n), dtype: "bool" },
  i1: { make: (b, n) => new Int8Array(b, 0, n), dtype: "int32" },
  u1: { make: (b, n) => new Uint8Array(b, 0, n), dtype: "int32" },
  i2: { make: (b, n) => new Int16Array(b, 0, n), dtype: "int32" },
  u2: { make: (b, n) => new Uint16Array(b, 0, n), dtype: "int32" },
  i4: { make: (b, n) => new Int32Array(b, 0, n), dtype: "int32" },
  u4: { make: (b, n) => new Uint32Array(b, 0, n), dtype: "uint32" },
  i8: { make: (b, n) => new BigInt64Array(b, 0, n), dtype: "int32", narrow: true },
  u8: { make: (b, n) => new BigUint64Array(b, 0, n), dtype: "uint32", narrow: true },
  f2: { make: (b, n) => new Uint16Array(b, 0, n), dtype: "float32", half: true },
  f4: { make: (b, n) => new Float32Array(b, 0, n), dtype: "float32" },
  f8: { make: (b, n) => new Float64Array(b, 0, n), dtype: "float64" },
};
const SUPPORTED =
  "bool (b1), int8/16/32 (i1 i2 i4), uint8/16/32 (u1 u2 u4), int64/uint64 (i8 u8) whose values fit in 32 bits, float16/32/64 (f2 f4 f8)";

/** `.npy` bytes of one array: format 1.0, or 2.0 when the header needs more than 65535 bytes. */
export function encodeNpy(op: string, x: ArrayLike): Uint8Array {
  const a = asArray(x, undefined, op);
  const data = a.dataSync();
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(", ")})`;
  const dict = `{'descr': '${DESCR[a.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  let lenBytes = 2;
  if (dict.length + 1 + MAGIC.length + 2 + 2 > 65535) lenBytes = 4;
  const pre = MAGIC.length + 2 + lenBytes;
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  const header = dict + " ".repeat(total - pre - dict.length - 1) + "\n";
  const out = new Uint8Array(total + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = lenBytes === 2 ? 1 : 2;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (lenBytes === 2) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[pre + i] = header.charCodeAt(i);
  // Typed arrays hold the platform's byte order: little-endian wherever JS engines run.
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return out;
}

interface Header {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

function fail(op: string, what: string, hint = ""): never {
  throw new NpyFormatError(`[${op}] ${what}${hint ? ` ${hint}` : ""}`);
}

/** Reads the dict literal: descr, fortran_order and shape, written by NumPy in any key order. */
function parseHeader(op: string, text: string): Header {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr) {
    if (/'descr'\s*:\s*\[/.test(text)) {
      throw new DTypeError(
        `[${op}] structured (record) dtypes are not supported: got header ${text.trim()}, expected a plain dtype such as '<f4'. Save each field as its own array.`,
      );
    }
    fail(
      op,
      `bad .npy header: got ${JSON.stringify(text.trim())}, expected a dict with 'descr', 'fortran_order' and 'shape'.`,
    );
  }
  if (!fortran || !shape) {
    fail(
      op,
      `bad .npy header: got ${JSON.stringify(text.trim())}, expected a dict with 'descr', 'fortran_order' and 'shape'.`,
    );
  }
  const dims = shape[1]
    .split(",")
    .map((s) => s.trim().replace(/L$/, ""))
    .filter((s) => s !== "");
  if (!dims.every((d) => /^\d+$/.test(d)))
    fail(op, `bad .npy header: got shape (${shape[1]}), expected non-negative integers.`);
  return { descr: descr[1], fortranOrder: fortran[1] === "True", shape: dims.map(Number) };
}

/** The dtype reader for a descr such as '<f4', '>i8' or '|b1' (with its byte order). */
function readerOf(op: string, descr: string): [Reader, boolean] {
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  if (m && m[2] === "O") objectError(op);
  if (descr === "O" || descr === "|O") objectError(op);
  const reader = m ? READERS[`${m[2]}${m[3]}`] : undefined;
  if (!m || !reader) {
    throw new DTypeError(`[${op}] unsupported dtype '${descr}': expected one of ${SUPPORTED}.`);
  }
  return [reader, m[1] === ">" && Number(m[3]) > 1];
}

function objectError(op: string): never {
  throw new DTypeError(
    `[${op}] object arrays (pickled Python objects) are refused: got dtype 'O', expected numbers or bools. ` +
      `Pickles can run code; convert in Python first, e.g. np.save(path, arr.astype(np.float32)).`,
  );
}

/** float16 bits → number (exact: every half is a float32). */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** The array stored in `.npy` bytes (versions 1.0, 2.0 and 3.0). */
export function decodeNpy(op: string, bytes: Uint8Array): NdArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    const got = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, "0")).join(" ");
    fail(op, `not a .npy file (bad magic): got bytes ${got || "(none)"}, expected 93 4e 55 4d 50 59 ("\\x93NUMPY").`);
  }
  const major = bytes[6];
  if (major < 1 || major > 3)
    fail(op, `unsupported .npy format version ${major}.${bytes[7]}: expected 1.0, 2.0 or 3.0.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) fail(op, `truncated .npy file: got ${bytes.length} bytes, expected a header.`);
  const headerLen = lenBytes === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes;
  if (start + headerLen > bytes.length) {
    fail(op, `truncated .npy file: got ${bytes.length} bytes, expected a header of ${headerLen} bytes after ${start}.`);
  }
  const headerBytes = bytes.subarray(start, start + headerLen);
  // 1.0 and 2.0 headers are latin-1, 3.0 headers UTF-8: both read as UTF-8 when ASCII, as NumPy writes them.
  const text = new TextDecoder().decode(headerBytes);
  const header = parseHeader(op, text);
  const [reader, bigEndian] = readerOf(op, header.descr);
  const itemsize = Number(/\d+$/.exec(header.descr)![0]);
  const n = header.shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  if (bytes.length - offset < n * itemsize) {
    fail(
      op,
      `truncated .npy data: got ${bytes.length - offset} bytes, expected ${n * itemsize} for shape (${header.shape.join(", ")}) of '${header.descr}'.`,
    );
  }
  // A copy, aligned for the typed array (and byte-swapped when big-endian).
  const raw = new Uint8Array(n * itemsize);
  raw.set(bytes.subarray(offset, offset + n * itemsize));
  if (bigEndian) {
    for (let i = 0; i < raw.length; i += itemsize) raw.subarray(i, i + itemsize).reverse();
  }
  const values = toValues(op, reader, reader.make(raw.buffer, n), header.descr);
  // float64 data becomes the default float, float32 without enableX64, as jnp.asarray(np.load(f)).
  const dtype = reader.dtype === "float64" ? defaultFloat() : reader.dtype;
  const flat = array(values, { dtype });
  if (!header.fortranOrder || header.shape.length < 2) return reshape(flat, header.shape);
  // Fortran order: the data is the transpose's C order.
  return transpose(reshape(flat, [...header.shape].reverse()));
}

type RawValues = ReturnType<Reader["make"]>;

/** The stored values as a typed array `np.array` takes: halves widened, 64-bit integers narrowed. */
function toValues(op: string, reader: Reader, v: RawValues, descr: string) {
  if (reader.half) return Float32Array.from(v as Uint16Array, halfToNumber);
  if (!reader.narrow) return v as Exclude<RawValues, BigInt64Array | BigUint64Array>;
  const big = v as BigInt64Array | BigUint64Array;
  const [lo, hi] = reader.dtype === "int32" ? [-(2n ** 31n), 2n ** 31n - 1n] : [0n, 2n ** 32n - 1n];
  for (const x of big) {
    if (x < lo || x > hi) {
      throw new DTypeError(
        `[${op}] a '${descr}' value does not fit in ${reader.dtype}: got ${x}, expected ${lo} to ${hi}. cotangent has no 64-bit integers; convert in NumPy first (e.g. arr.astype(np.float64)).`,
      );
    }
  }
  return reader.dtype === "int32" ? Int32Array.from(big, Number) : Uint32Array.from(big, Number);
}
