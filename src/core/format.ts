/**
 * Printing arrays as JAX does (NumPy's repr): `Array([0.5, 1. ], dtype=float32)`.
 * Floats use the shortest digits that read back to the same value (at most 8
 * after the point), padded to a common width; scientific notation when the
 * magnitudes call for it, as NumPy decides.
 */
import type { ShapedArray } from "./aval.js";
import type { TypedArray } from "./dtypes.js";

const LINE_WIDTH = 75;
const PRECISION = 8;

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

function formatFloats(values: number[], f32: boolean): string[] {
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  const maxV = finite.length ? Math.max(...finite) : 0;
  const minV = finite.length ? Math.min(...finite) : 0;
  const scientific = finite.length > 0 && (maxV >= 1e8 || minV < 1e-4 || maxV / minV > 1000);
  if (scientific) return formatScientific(values, f32);
  const parts = values.map((v) => (nonFinite(v) === null ? splitDigits(v, f32) : null));
  const padLeft = Math.max(...parts.map((p, i) => (p ? p.int.length : nonFinite(values[i])!.length)));
  const padRight = Math.max(...parts.map((p) => (p ? p.frac.length : 0)));
  return parts.map((p, i) => {
    if (!p) return nonFinite(values[i])!.padStart(padLeft + padRight + 1);
    return p.int.padStart(padLeft) + "." + p.frac.padEnd(padRight);
  });
}

function formatScientific(values: number[], f32: boolean): string[] {
  const mantissaDigits = (v: number): number => {
    const s = Number(shortest(Math.abs(v), f32)).toExponential();
    const m = s.split("e")[0];
    return m.includes(".") ? m.split(".")[1].length : 0;
  };
  const digits = Math.min(PRECISION, Math.max(...values.filter(Number.isFinite).map(mantissaDigits)));
  const strs = values.map((v) => {
    const nf = nonFinite(v);
    if (nf !== null) return nf;
    const [m, e] = Math.abs(v).toExponential(digits).split("e");
    const exp = Number(e);
    const mant = digits === 0 ? m + "." : m;
    return (
      (v < 0 || Object.is(v, -0) ? "-" : "") +
      mant +
      "e" +
      (exp < 0 ? "-" : "+") +
      String(Math.abs(exp)).padStart(2, "0")
    );
  });
  const width = Math.max(...strs.map((s) => s.length));
  return strs.map((s) => s.padStart(width));
}

function formatElements(aval: ShapedArray, data: TypedArray): string[] {
  const values = Array.from(data as ArrayLike<number>);
  switch (aval.dtype) {
    case "bool": {
      return values.map((v) => (v ? " True" : "False"));
    }
    case "int32":
    case "uint32": {
      const strs = values.map(String);
      const w = Math.max(...strs.map((s) => s.length));
      return strs.map((s) => s.padStart(w));
    }
    default:
      return formatFloats(values, aval.dtype === "float32");
  }
}

/** Nested brackets, NumPy style, with wrapping at 75 columns. */
function nest(shape: readonly number[], elems: string[], indent: number): string {
  if (shape.length === 0) return elems[0];
  const rec = (dim: number, offset: number, count: number): string => {
    if (dim === shape.length - 1) {
      const row = elems.slice(offset, offset + shape[dim]);
      return "[" + wrapRow(row, indent + dim + 1) + "]";
    }
    const inner = count / shape[dim];
    const parts: string[] = [];
    for (let i = 0; i < shape[dim]; i++) parts.push(rec(dim + 1, offset + i * inner, inner));
    const sep = "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + dim + 1);
    return "[" + parts.join(sep) + "]";
  };
  return rec(0, 0, elems.length);
}

function wrapRow(row: string[], indent: number): string {
  let out = "";
  let line = indent;
  row.forEach((e, i) => {
    const piece = i === 0 ? e : ", " + e;
    if (i > 0 && line + piece.length + 1 > LINE_WIDTH) {
      out += ",\n" + " ".repeat(indent) + e;
      line = indent + e.length;
    } else {
      out += piece;
      line += piece.length;
    }
  });
  return out;
}

export function formatArray(aval: ShapedArray, data: TypedArray): string {
  const prefix = "Array(";
  const elems = aval.size === 0 ? [] : formatElements(aval, data);
  const body = aval.size === 0 ? `[]` : nest(aval.shape, elems, prefix.length);
  const emptyShape = aval.size === 0 && aval.ndim !== 1 ? `, shape=(${aval.shape.join(", ")})` : "";
  const weak = aval.weakType ? ", weak_type=True" : "";
  return `${prefix}${body}${emptyShape}, dtype=${aval.dtype}${weak})`;
}
