/**
 * Printing arrays as JAX does (`jax.Array.__repr__`, which is NumPy's
 * `array2string` with JAX's prefix and dtype suffix): `Array([0.5, 1. ], dtype=float32)`.
 * Floats use the shortest digits that read back to the same value (at most 8
 * after the point), padded to a common width; scientific notation when the
 * magnitudes call for it, as NumPy decides. Arrays of more than 1000 elements
 * are summarized with "..." (3 items at each edge), as NumPy's defaults.
 */
import type { ShapedArray } from "./aval.js";
import type { TypedArray } from "./dtypes.js";

const LINE_WIDTH = 75;
const PRECISION = 8;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const PREFIX = "Array(";

/** Shortest decimal digits that round-trip to `x` in its own precision. */
function shortest(x: number, f32: boolean): string {
  if (!f32) return String(x);
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}

function splitDigits(x: number, f32: boolean): { int: string; frac: string } {
  let s = shortest(Math.abs(x), f32);
  if (s.includes("e")) s = Math.abs(x).toFixed(PRECISION);
  let [int, frac = ""] = s.split(".");
  if (frac.length > PRECISION) {
    const r = Number(Math.abs(x).toFixed(PRECISION)).toString().split(".");
    int = r[0];
    frac = r[1] ?? "";
  }
  if (x < 0 || Object.is(x, -0)) int = "-" + int;
  return { int, frac };
}

function nonFinite(x: number): string | null {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  return null;
}

type Formatter = (v: number) => string;

/**
 * NumPy's FloatingFormat (floatmode "maxprec"): every finite value is laid out as
 * `padLeft` characters before the point and `padRight` after it; nan and ±inf are
 * right-aligned in that width, which they widen when they are longer.
 */
function floatFormatter(values: number[], f32: boolean): Formatter {
  const finite = values.filter(Number.isFinite);
  const nonZero = finite.filter((v) => v !== 0).map(Math.abs);
  const maxV = nonZero.length ? Math.max(...nonZero) : 0;
  const minV = nonZero.length ? Math.min(...nonZero) : 0;
  const scientific = nonZero.length > 0 && (maxV >= 1e8 || minV < 1e-4 || maxV / minV > 1000);
  let padLeft = 0;
  let padRight = 0;
  let formatFinite: Formatter;
  if (scientific) {
    // Mantissa digits: the most any value needs (at most 8); exponent: at least 2 digits.
    const mantissaDigits = (v: number): number => {
      const m = Number(shortest(Math.abs(v), f32))
        .toExponential()
        .split("e")[0];
      return m.includes(".") ? m.split(".")[1].length : 0;
    };
    const digits = Math.min(PRECISION, Math.max(...finite.map(mantissaDigits)));
    const parts = (v: number) => {
      const [m, e] = Math.abs(v).toExponential(digits).split("e");
      return {
        int: (v < 0 || Object.is(v, -0) ? "-" : "") + m.split(".")[0],
        frac: m.split(".")[1] ?? "",
        exp: Number(e),
      };
    };
    const all = finite.map(parts);
    const expDigits = Math.max(2, ...all.map((p) => String(Math.abs(p.exp)).length));
    padLeft = Math.max(...all.map((p) => p.int.length));
    padRight = expDigits + 2 + digits;
    formatFinite = (v) => {
      const p = parts(v);
      const e = (p.exp < 0 ? "-" : "+") + String(Math.abs(p.exp)).padStart(expDigits, "0");
      return p.int.padStart(padLeft) + "." + p.frac + "e" + e;
    };
  } else {
    const all = finite.map((v) => splitDigits(v, f32));
    padLeft = all.length ? Math.max(...all.map((p) => p.int.length)) : 0;
    padRight = all.length ? Math.max(...all.map((p) => p.frac.length)) : 0;
    formatFinite = (v) => {
      const p = splitDigits(v, f32);
      return p.int.padStart(padLeft) + "." + p.frac.padEnd(padRight);
    };
  }
  // Non-finite values may need more room before the point (NumPy: max(pad_left, len - (pad_right + 1))).
  for (const v of values) {
    const nf = nonFinite(v);
    if (nf !== null) padLeft = Math.max(padLeft, nf.length - (padRight + 1));
  }
  return (v) => {
    const nf = nonFinite(v);
    return nf === null ? formatFinite(v) : nf.padStart(padLeft + padRight + 1);
  };
}

function elementFormatter(aval: ShapedArray, values: number[]): Formatter {
  switch (aval.dtype) {
    case "bool": {
      // NumPy pads True to the width of False, except in 0-d arrays.
      const t = aval.ndim === 0 ? "True" : " True";
      return (v) => (v ? t : "False");
    }
    case "int32":
    case "uint32": {
      const w = Math.max(...values.map((v) => String(v).length));
      return (v) => String(v).padStart(w);
    }
    default:
      return floatFormatter(values, aval.dtype === "float32");
  }
}

/** The positions NumPy shows on each axis: all, or the first and last EDGE_ITEMS when summarizing. */
function shownIndices(n: number, summarize: boolean): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  return summarize && n > 2 * EDGE_ITEMS ? [...all.slice(0, EDGE_ITEMS), ...all.slice(n - EDGE_ITEMS)] : all;
}

/** NumPy's _formatArray: nested brackets, wrapping rows at the line width, "..." when summarizing. */
function formatNested(shape: readonly number[], data: TypedArray, format: Formatter, summarize: boolean): string {
  const ndim = shape.length;
  const strides = new Array<number>(ndim);
  for (let i = ndim - 1, s = 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  const recurse = (offset: number, axis: number, hanging: string, width: number): string => {
    if (axis === ndim) return format(data[offset]);
    const n = shape[axis];
    const summary = summarize && 2 * EDGE_ITEMS < n;
    const leading = summary ? EDGE_ITEMS : 0;
    const trailing = summary ? EDGE_ITEMS : n;
    const child = (i: number) => recurse(offset + i * strides[axis], axis + 1, hanging + " ", width - 1);
    let s = "";
    if (axis === ndim - 1) {
      // Room up to the separator or closing bracket.
      const elemWidth = width - 1;
      let line = hanging;
      const extend = (word: string): void => {
        if (line.length + word.length > elemWidth && line.length > hanging.length) {
          s += line.trimEnd() + "\n";
          line = hanging;
        }
        line += word;
      };
      for (let i = 0; i < leading; i++) {
        extend(child(i));
        line += ", ";
      }
      if (summary) {
        extend("...");
        line += ", ";
      }
      for (let i = trailing; i > 1; i--) {
        extend(child(n - i));
        line += ", ";
      }
      extend(child(n - 1));
      s += line;
    } else {
      const sep = "," + "\n".repeat(ndim - axis - 1);
      for (let i = 0; i < leading; i++) s += hanging + child(i) + sep;
      if (summary) s += hanging + "..." + sep;
      for (let i = trailing; i > 1; i--) s += hanging + child(n - i) + sep;
      s += hanging + child(n - 1);
    }
    return "[" + s.slice(hanging.length) + "]";
  };
  // array2string(prefix="Array(", suffix=","): the suffix's width comes off the line.
  return recurse(0, 0, " ".repeat(PREFIX.length + 1), LINE_WIDTH - 1);
}

function shownValues(shape: readonly number[], data: TypedArray, summarize: boolean): number[] {
  if (!summarize) return Array.from(data as ArrayLike<number>);
  const out: number[] = [];
  const rec = (axis: number, offset: number, stride: number): void => {
    if (axis === shape.length) {
      out.push(data[offset]);
      return;
    }
    const inner = stride / shape[axis];
    for (const i of shownIndices(shape[axis], true)) rec(axis + 1, offset + i * inner, inner);
  };
  rec(0, 0, data.length);
  return out;
}

/** Python's repr of a shape tuple: `(0,)`, `(2, 0)`. */
function pyTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

export function formatArray(aval: ShapedArray, data: TypedArray): string {
  const dtypeStr = `dtype=${aval.dtype}${aval.weakType ? ", weak_type=True" : ""})`;
  let body: string;
  if (aval.size === 0) body = `[], shape=${pyTuple(aval.shape)}`;
  else {
    const summarize = aval.size > THRESHOLD;
    const format = elementFormatter(aval, shownValues(aval.shape, data, summarize));
    body = formatNested(aval.shape, data, format, summarize);
  }
  // As jax.Array.__repr__: a long last line moves the dtype further along (by the prefix's width).
  const lastLineLen = body.length - body.lastIndexOf("\n") + 1;
  const sep = lastLineLen + dtypeStr.length + 1 > LINE_WIDTH ? " ".repeat(PREFIX.length) : " ";
  return `${PREFIX}${body},${sep}${dtypeStr}`;
}
