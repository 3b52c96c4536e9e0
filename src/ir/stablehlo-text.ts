/**
 * StableHLO text pieces: element and tensor types, dense constants, attribute lists,
 * printed as MLIR prints them (and `jax.export` emits them).
 */
import type { ShapedArray } from "../core/aval.js";
import type { DType, TypedArray } from "../core/dtypes.js";

/** MLIR element types: f32, f64, i32, ui32, i1. */
export const ELEMENT_TYPE: Record<DType, string> = {
  float32: "f32",
  float64: "f64",
  int32: "i32",
  uint32: "ui32",
  bool: "i1",
};

/** `tensor<2x3xf32>` (`tensor<f32>` for a scalar). */
export function tensorType(aval: ShapedArray): string {
  const dims = aval.shape.map((d) => `${d}x`).join("");
  return `tensor<${dims}${ELEMENT_TYPE[aval.dtype]}>`;
}

/** `[1, 0]`: an integer list attribute in the pretty forms (`dims = [1, 0]`). */
export function intList(xs: readonly number[]): string {
  return `[${xs.join(", ")}]`;
}

/** `array<i64: 1, 3>`: a dense i64 array attribute in the generic form. */
export function i64Array(xs: readonly number[]): string {
  return xs.length === 0 ? "array<i64>" : `array<i64: ${xs.join(", ")}>`;
}

/** How MLIR prints a float attribute: `1.000000e+00` when that is exact, else the shortest round-trip digits. */
export function floatText(v: number, dtype: DType): string {
  if (Number.isNaN(v)) return dtype === "float64" ? "0x7FF8000000000000" : "0x7FC00000";
  if (v === Infinity) return dtype === "float64" ? "0x7FF0000000000000" : "0x7F800000";
  if (v === -Infinity) return dtype === "float64" ? "0xFFF0000000000000" : "0xFF800000";
  const round = dtype === "float64" ? (x: number) => x : Math.fround;
  v = round(v);
  const short = v.toExponential(6).replace(/e([+-])(\d)$/, "e$10$2");
  if (round(Number(short)) === v && !Object.is(v, -0)) return short;
  if (Object.is(v, -0)) return "-0.000000e+00";
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** One element of a dense attribute, in the element type's notation. */
export function elementText(v: number, dtype: DType): string {
  if (dtype === "bool") return v ? "true" : "false";
  if (dtype === "float32" || dtype === "float64") return floatText(v, dtype);
  return String(v);
}

/** Dense attributes with more elements than this are printed as hex bytes, as MLIR does. */
const HEX_THRESHOLD = 100;

/** `dense<...>`: a splat, nested lists, or (large) the little-endian bytes in hex. */
export function denseText(values: TypedArray, aval: ShapedArray): string {
  const n = values.length;
  const first = Number(values[0]);
  // Object.is: NaN matches NaN, and -0 does not match 0.
  if (n > 0 && Array.prototype.every.call(values, (x: number) => Object.is(Number(x), first)))
    return `dense<${elementText(first, aval.dtype)}>`;
  if (n > HEX_THRESHOLD) return `dense<"0x${hexBytes(values)}">`;
  if (n === 0) return "dense<>";
  const at = [0];
  return `dense<${nested(Array.from(values as ArrayLike<number>), aval.shape, 0, at, aval.dtype)}>`;
}

function nested(vals: number[], shape: readonly number[], axis: number, at: number[], dtype?: DType): string {
  if (axis === shape.length) return elementText(vals[at[0]++], dtype!);
  const parts: string[] = [];
  for (let i = 0; i < shape[axis]; i++) parts.push(nested(vals, shape, axis + 1, at, dtype));
  return `[${parts.join(", ")}]`;
}

function hexBytes(values: TypedArray): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let s = "";
  for (const b of bytes) s += b.toString(16).toUpperCase().padStart(2, "0");
  return s;
}
