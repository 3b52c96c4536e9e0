/**
 * Elementwise StableHLO (and CHLO) ops as cotangent primitives: unary and binary maps,
 * compare, select, clamp, convert, bitcast_convert, popcnt, constants and iota.
 */
import type { NdArray } from "../core/array.js";
import * as ew from "../primitives/elementwise.js";
import * as un from "../primitives/unary.js";
import { bitcast } from "../primitives/bitcast.js";
import { iota } from "../primitives/iota.js";
import { broadcastInDim } from "../primitives/structural.js";
import { fromValues } from "../primitives/as-array.js";
import { Tracer } from "../core/trace.js";
import { attr, dtypeOf, denseArray, int, opError, outType, word, type Handler } from "./interpret-util.js";
import type { Op } from "./parse-ops.js";

type Un = (x: NdArray) => NdArray;
type Bin = (x: NdArray, y: NdArray) => NdArray;

const UNARY: Record<string, Un> = {
  abs: un.abs,
  negate: un.neg,
  sine: un.sin,
  cosine: un.cos,
  tan: un.tan,
  tanh: un.tanh,
  exponential: un.exp,
  exponential_minus_one: un.expm1,
  log: un.log,
  log_plus_one: un.log1p,
  logistic: un.logistic,
  sqrt: un.sqrt,
  rsqrt: un.rsqrt,
  cbrt: un.cbrt,
  floor: un.floor,
  ceil: un.ceil,
  round_nearest_afz: un.round,
  round_nearest_even: un.roundEven,
  sign: un.sign,
  not: un.not,
  is_finite: un.isFinite,
  popcnt: popcount,
};

/** CHLO's unary ops that JAX keeps in exported modules. */
const CHLO_UNARY: Record<string, Un> = {
  asin: un.asin,
  acos: un.acos,
  atan: un.atan,
  sinh: un.sinh,
  cosh: un.cosh,
  tan: un.tan,
  asinh: un.asinh,
  acosh: un.acosh,
  atanh: un.atanh,
  erf: un.erf,
  erfc: un.erfc,
  erf_inv: un.erfInv,
  lgamma: un.lgamma,
  digamma: un.digamma,
  square: (x) => ew.mul(x, x),
  is_inf: (x) => ew.and(un.not(un.isFinite(x)), ew.eq(x, x)),
  is_pos_inf: (x) => ew.eq(x, ew.scalarLike(Infinity, x)),
  is_neg_inf: (x) => ew.eq(x, ew.scalarLike(-Infinity, x)),
};

const BINARY: Record<string, Bin> = {
  add: ew.add,
  subtract: ew.sub,
  multiply: ew.mul,
  divide: ew.div,
  remainder: ew.rem,
  power: ew.pow,
  maximum: ew.max,
  minimum: ew.min,
  atan2: ew.atan2,
  and: ew.and,
  or: ew.or,
  xor: ew.xor,
  shift_left: ew.shiftLeft,
  shift_right_logical: ew.shiftRightLogical,
  shift_right_arithmetic: ew.shiftRightArithmetic,
};

const COMPARE: Record<string, Bin> = { EQ: ew.eq, NE: ew.ne, LT: ew.lt, LE: ew.le, GT: ew.gt, GE: ew.ge };

/** A scalar of x's dtype broadcast to x's shape. */
export function fullLike(v: number, x: NdArray): NdArray {
  return broadcastInDim(ew.scalarLike(v, x), x.shape, []);
}

/** Bits set in each element (SWAR count on 32 bits; sums of bytes stay below 2^8, so no product is needed). */
function popcount(x: NdArray): NdArray {
  const u = x.dtype === "uint32" ? x : bitcast(x, "uint32");
  const c = (v: number) => fullLike(v, u);
  const shr = (v: NdArray, s: number) => ew.shiftRightLogical(v, c(s));
  let v = ew.sub(u, ew.and(shr(u, 1), c(0x55555555)));
  v = ew.add(ew.and(v, c(0x33333333)), ew.and(shr(v, 2), c(0x33333333)));
  v = ew.and(ew.add(v, shr(v, 4)), c(0x0f0f0f0f));
  v = ew.add(v, shr(v, 8));
  v = ew.and(ew.add(v, shr(v, 16)), c(0x3f));
  return x.dtype === "uint32" ? v : bitcast(v, x.dtype);
}

/** The comparison direction: pretty `compare LT, %a, %b`, generic `comparison_direction = #stablehlo<comparison_direction LT>`. */
export function direction(op: Op): string {
  const d =
    word(op, ["comparison_direction"]) ??
    op.words.map((w) => (w.kind === "keyword" ? w.value : "")).find((w) => w in COMPARE);
  if (d === undefined || d === null || !(d in COMPARE)) {
    throw opError(op, "no comparison direction", `: got ${d ?? "none"}, expected one of EQ, NE, LT, LE, GT, GE.`);
  }
  return d;
}

/** Broadcasts a scalar operand to `shape` (select's predicate, clamp's bounds may be scalars). */
function fit(x: NdArray, shape: readonly number[]): NdArray {
  return x.ndim === 0 && shape.length > 0 ? broadcastInDim(x, shape, []) : x;
}

export const UNARY_OPS: readonly string[] = [
  ...Object.keys(UNARY).map((k) => `stablehlo.${k}`),
  ...Object.keys(CHLO_UNARY).map((k) => `chlo.${k}`),
];
export const BINARY_OPS: readonly string[] = Object.keys(BINARY).map((k) => `stablehlo.${k}`);

export const ELEMENTWISE: Record<string, Handler> = {
  ...Object.fromEntries(Object.entries(UNARY).map(([k, f]) => [`stablehlo.${k}`, (_op, [x]) => [f(x)]])),
  ...Object.fromEntries(Object.entries(CHLO_UNARY).map(([k, f]) => [`chlo.${k}`, (_op, [x]) => [f(x)]])),
  ...Object.fromEntries(Object.entries(BINARY).map(([k, f]) => [`stablehlo.${k}`, (_op, [x, y]) => [f(x, y)]])),
  "stablehlo.compare": (op, [x, y]) => [COMPARE[direction(op)](x, y)],
  "chlo.polygamma": (op, [n, x]) => {
    // cotangent's polygamma takes its order statically: n must be a constant, the same everywhere.
    const orders = n instanceof Tracer ? [] : Array.from(n.dataSync() as ArrayLike<number>);
    const m = orders[0];
    if (m === undefined || !Number.isInteger(m) || m < 0 || orders.some((v) => v !== m)) {
      throw opError(
        op,
        "the order of polygamma must be a constant",
        ": expected the same non-negative integer order for every element.",
      );
    }
    return [un.polygamma(m, x)];
  },
  "stablehlo.select": (op, [p, a, b]) => [ew.selectN(fit(p, a.shape), [b, a])],
  "stablehlo.clamp": (op, [lo, x, hi]) => [ew.min(ew.max(x, fit(lo, x.shape)), fit(hi, x.shape))],
  "stablehlo.convert": (op, [x]) => {
    const d = dtypeOf(outType(op));
    return [x.dtype === d ? x : ew.convert(x, d)];
  },
  "stablehlo.bitcast_convert": (op, [x]) => {
    const t = outType(op);
    if (t.shape.length !== x.ndim)
      throw opError(op, "a bitcast between element widths is not supported", ": expected equal ranks.");
    const d = dtypeOf(t);
    return [x.dtype === d ? x : bitcast(x, d)];
  },
  "stablehlo.constant": (op) => {
    const lit = op.words.find((w) => w.kind === "dense") ?? attr(op, "value");
    if (lit?.kind !== "dense")
      throw opError(op, "no dense<...> value", ": expected stablehlo.constant dense<...> : tensor<...>.");
    return [denseArray(lit.content, lit.type ?? outType(op), op)];
  },
  "stablehlo.iota": (op) => {
    const t = outType(op);
    return [iota(dtypeOf(t), t.shape, int(op, ["dim", "iota_dimension"]))];
  },
};

/** A scalar constant of a dtype (used by the structural and control ops). */
export const scalarOf = (v: number, dtype: NdArray["dtype"]): NdArray => fromValues([v], [], dtype);
