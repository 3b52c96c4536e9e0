/**
 * What every op's interpreter needs: element types as dtypes, `dense<...>` constants as
 * arrays, attributes read by either of their names (pretty and generic forms name some
 * differently: `dims` / `broadcast_dimensions`), and errors that point at the op.
 */
import type { NdArray } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import { fromValues } from "../primitives/as-array.js";
import { errorAt, type StableHloError } from "./errors.js";
import { intsOf, parseFloatText, wordOf, type Attr, type DenseContent, type TensorType } from "./parse-attrs.js";
import type { Module, Op, Region } from "./parse-ops.js";

/** What an op's interpreter may ask of the interpreter running it. */
export interface Ctx {
  readonly mod: Module;
  /** Runs a region on arguments (its block arguments), returning what its terminator returns. */
  region(r: Region, args: NdArray[]): NdArray[];
  /** Runs a function of the module. */
  call(name: string, args: NdArray[], op: Op): NdArray[];
  /** The custom_call targets it runs (LAPACK's, as JAX calls them on CPU), by name. */
  readonly customCalls: Record<string, (op: Op, args: NdArray[]) => NdArray[]>;
}

export type Handler = (op: Op, args: NdArray[], ctx: Ctx) => NdArray[];

/**
 * Element types cotangent runs. i64 and ui64 (what JAX emits for indices and constants with
 * x64 enabled) are read as int32 and uint32, a constant that does not fit being an error;
 * i8, i16, ui8 and ui16 are widened to int32 and uint32 (their values fit; arithmetic that
 * would wrap around at 8 or 16 bits does not).
 */
const DTYPE_OF: Record<string, DType> = {
  f32: "float32",
  f64: "float64",
  i1: "bool",
  i8: "int32",
  i16: "int32",
  i32: "int32",
  i64: "int32",
  ui8: "uint32",
  ui16: "uint32",
  ui32: "uint32",
  ui64: "uint32",
};

export function dtypeOf(t: TensorType): DType {
  const d = DTYPE_OF[t.elem];
  if (d === undefined) {
    throw errorAt(
      t.pos,
      `element type ${t.elem} is not supported`,
      `: got ${t.elem}, expected one of f32, f64, i1, i8, i16, i32, i64, ui8, ui16, ui32, ui64 (integers are read as 32-bit ones).`,
    );
  }
  return d;
}

export function opError(op: Op, what: string, detail = "."): StableHloError {
  return errorAt(op.pos, `${op.name}: ${what}`, detail);
}

/** The op's k-th result type (the signature must give it). */
export function outType(op: Op, k = 0): TensorType {
  const t = op.outTypes[k];
  if (t === undefined)
    throw opError(op, `the signature gives no type for result ${k}`, ": expected one type per result.");
  return t;
}

/** The first of `names` the op has as an attribute. */
export function attr(op: Op, ...names: string[]): Attr | undefined {
  for (const n of names) {
    const a = op.attrs.get(n);
    if (a !== undefined) return a;
  }
  return undefined;
}

/** An integer-list attribute under one of `names`; `fallback` when absent (an error if none is given). */
export function ints(op: Op, names: string[], fallback?: number[]): number[] {
  const a = attr(op, ...names);
  if (a === undefined && fallback !== undefined) return fallback;
  const v = intsOf(a);
  if (v === null) throw opError(op, `attribute ${names[0]} is missing or not a list of integers`, ".");
  return v;
}

export function int(op: Op, names: string[], fallback?: number): number {
  const a = attr(op, ...names);
  if (a === undefined && fallback !== undefined) return fallback;
  if (a?.kind !== "int") throw opError(op, `attribute ${names[0]} is missing or not an integer`, ".");
  return a.value;
}

export function word(op: Op, names: string[]): string | null {
  return wordOf(attr(op, ...names));
}

/** A dictionary attribute's integer list entry (`#stablehlo.gather<offset_dims = [1]>`). */
export function dictInts(d: Attr | undefined, key: string): number[] {
  if (d?.kind !== "dict") return [];
  return intsOf(d.entries.get(key)) ?? [];
}

export function dictInt(d: Attr | undefined, key: string, fallback: number): number {
  if (d?.kind !== "dict") return fallback;
  const v = d.entries.get(key);
  return v?.kind === "int" ? v.value : fallback;
}

// --- constants ----------------------------------------------------------------------------

const BYTES: Record<string, number> = {
  f32: 4,
  f64: 8,
  i1: 1,
  i8: 1,
  i16: 2,
  i32: 4,
  i64: 8,
  ui8: 1,
  ui16: 2,
  ui32: 4,
  ui64: 8,
};
const RANGE: Record<string, [bigint, bigint]> = {
  i8: [-128n, 127n],
  i16: [-32768n, 32767n],
  ui8: [0n, 255n],
  ui16: [0n, 65535n],
  i32: [-(2n ** 31n), 2n ** 31n - 1n],
  i64: [-(2n ** 31n), 2n ** 31n - 1n],
  ui32: [0n, 2n ** 32n - 1n],
  ui64: [0n, 2n ** 32n - 1n],
};

/** A `dense<...>` literal of type `t` as an array. */
export function denseArray(content: DenseContent, t: TensorType, op: Op): NdArray {
  const dtype = dtypeOf(t);
  const size = t.shape.reduce((a, b) => a * b, 1);
  const scalars =
    content.kind === "hex" ? hexScalars(content.hex, t, op) : content.values.map((v) => scalarOf(v, t, op));
  if (scalars.length !== size && scalars.length !== 1) {
    throw opError(
      op,
      "a dense constant has the wrong number of elements",
      `: got ${scalars.length}, expected ${size} for ${typeText(t)}.`,
    );
  }
  const values = scalars.length === size ? scalars : new Array<number>(size).fill(scalars[0] ?? 0);
  return fromValues(values, t.shape, dtype);
}

export function typeText(t: TensorType): string {
  return `tensor<${[...t.shape, t.elem].join("x")}>`;
}

function checkRange(v: bigint, t: TensorType, op: Op): number {
  const r = RANGE[t.elem];
  if (r && (v < r[0] || v > r[1])) {
    throw opError(
      op,
      `the constant ${v} does not fit its type`,
      `: got ${v} of type ${t.elem}, expected ${r[0]}..${r[1]} (cotangent reads 64-bit integers as 32-bit ones).`,
    );
  }
  return Number(v);
}

/** One scalar as written: decimal, `true`/`false`, or a hex bit pattern (MLIR prints NaN and inf floats that way). */
function scalarOf(v: string | boolean, t: TensorType, op: Op): number {
  if (typeof v === "boolean") return v ? 1 : 0;
  const hex = /^0x[0-9a-fA-F]+$/.test(v);
  if (t.elem === "f32" || t.elem === "f64") {
    if (!hex) return parseFloatText(v);
    const view = new DataView(new ArrayBuffer(8));
    if (t.elem === "f32") {
      view.setUint32(0, Number(BigInt(v)));
      return view.getFloat32(0);
    }
    view.setBigUint64(0, BigInt(v));
    return view.getFloat64(0);
  }
  if (!/^[-+]?\d+$/.test(v) && !hex)
    throw opError(op, `the constant ${v} is not an integer`, `: expected an integer of type ${t.elem}.`);
  const big = BigInt(v.replace(/^\+/, ""));
  if (t.elem === "i1") return big !== 0n ? 1 : 0;
  dtypeOf(t);
  return checkRange(big, t, op);
}

/** A hex blob: the elements' little-endian bytes, one element for a splat. */
function hexScalars(hex: string, t: TensorType, op: Op): number[] {
  const width = BYTES[t.elem];
  dtypeOf(t);
  const bytes = new Uint8Array(hex.length / 2);
  for (let k = 0; k < bytes.length; k++) bytes[k] = parseInt(hex.slice(2 * k, 2 * k + 2), 16);
  if (bytes.length % width !== 0) {
    throw opError(
      op,
      "a hex constant has a partial element",
      `: got ${bytes.length} bytes, expected a multiple of ${width}.`,
    );
  }
  const view = new DataView(bytes.buffer);
  const out: number[] = [];
  for (let at = 0; at < bytes.length; at += width) {
    switch (t.elem) {
      case "f32":
        out.push(view.getFloat32(at, true));
        break;
      case "f64":
        out.push(view.getFloat64(at, true));
        break;
      case "i1":
        out.push(bytes[at] !== 0 ? 1 : 0);
        break;
      case "i8":
        out.push(view.getInt8(at));
        break;
      case "ui8":
        out.push(view.getUint8(at));
        break;
      case "i16":
        out.push(view.getInt16(at, true));
        break;
      case "ui16":
        out.push(view.getUint16(at, true));
        break;
      case "i32":
        out.push(view.getInt32(at, true));
        break;
      case "ui32":
        out.push(view.getUint32(at, true));
        break;
      case "i64":
        out.push(checkRange(view.getBigInt64(at, true), t, op));
        break;
      default:
        out.push(checkRange(view.getBigUint64(at, true), t, op));
    }
  }
  return out;
}
