/**
 * StableHLO lowerings of the elementwise primitives, by JAX primitive name: the op
 * JAX's lowering emits (`stablehlo.sine` for sin, `chlo.erf_inv` for erf_inv, ...).
 * Operands of other shapes are broadcast to the result's first (the primitives broadcast).
 */
import { ShapedArray } from "../core/aval.js";
import type { DType } from "../core/dtypes.js";
import type { StableHloEmitter } from "./stablehlo-emit.js";
import { tensorType } from "./stablehlo-text.js";

/** Unary primitives lowered to a StableHLO op of the same operand and result type. */
const STABLEHLO_UNARY: Record<string, string> = {
  neg: "negate",
  sin: "sine",
  cos: "cosine",
  tan: "tan",
  tanh: "tanh",
  exp: "exponential",
  log: "log",
  log1p: "log_plus_one",
  expm1: "exponential_minus_one",
  sqrt: "sqrt",
  rsqrt: "rsqrt",
  cbrt: "cbrt",
  abs: "abs",
  sign: "sign",
  floor: "floor",
  ceil: "ceil",
  round: "round_nearest_afz",
  round_even: "round_nearest_even",
  logistic: "logistic",
  not: "not",
};

/** Unary primitives JAX lowers to CHLO ops (XLA expands them): printed `chlo.op %x : T -> T`. */
const CHLO_UNARY = new Set([
  "asin",
  "acos",
  "atan",
  "sinh",
  "cosh",
  "asinh",
  "acosh",
  "atanh",
  "erf",
  "erfc",
  "erf_inv",
  "lgamma",
  "digamma",
]);

/** The lowering of unary primitive `name` on `x` (of aval `a`). */
export function lowerUnary(c: StableHloEmitter, name: string, x: string): string {
  const a = c.inAvals[0];
  // Unsigned integers: |x| = x, and sign(x) = (x != 0), as JAX lowers them (StableHLO's ops are signed).
  if (a.dtype === "uint32" && name === "abs") return x;
  if (a.dtype === "uint32" && name === "sign")
    return c.convert(c.compare("NE", x, c.full(0, a), a), new ShapedArray(a.shape, "bool"), "uint32");
  const op = STABLEHLO_UNARY[name];
  if (op !== undefined) return c.unary(op, x, a);
  if (CHLO_UNARY.has(name)) return c.op(`chlo.${name} ${x} : ${tensorType(a)} -> ${tensorType(a)}`)[0];
  switch (name) {
    case "is_finite":
      return c.op(`stablehlo.is_finite ${x} : ${c.fnType([a], [c.outAvals[0]])}`)[0];
    case "exp2": // 2^x = e^(x·ln 2), as JAX lowers it
      return c.unary("exponential", c.binary("multiply", x, c.full(Math.LN2, a), a), a);
    case "trunc": // toward zero: ceil below 0, floor above
      return c.select(c.compare("LT", x, c.full(0, a), a), c.unary("ceil", x, a), c.unary("floor", x, a), a);
  }
  throw new Error(`[stablehlo] no lowering for the unary primitive ${name}`);
}

/** Binary primitives and their StableHLO ops. */
const STABLEHLO_BINARY: Record<string, string> = {
  add: "add",
  sub: "subtract",
  mul: "multiply",
  div: "divide",
  rem: "remainder",
  pow: "power",
  max: "maximum",
  min: "minimum",
  atan2: "atan2",
  and: "and",
  or: "or",
  xor: "xor",
  shift_left: "shift_left",
  shift_right_logical: "shift_right_logical",
  shift_right_arithmetic: "shift_right_arithmetic",
};

const COMPARISONS: Record<string, string> = { eq: "EQ", ne: "NE", lt: "LT", le: "LE", gt: "GT", ge: "GE" };

/** The lowering of binary primitive `name`; operands broadcast to the result's shape first. */
export function lowerBinary(c: StableHloEmitter, name: string, [x, y]: string[]): string {
  const out = c.outAvals[0];
  const [ax, ay] = c.inAvals;
  const bx = c.broadcastTo(x, ax, out.shape);
  const by = c.broadcastTo(y, ay, out.shape);
  const operand = ax.withShape(out.shape).withWeak(false);
  const cmp = COMPARISONS[name];
  if (cmp !== undefined) return c.compare(cmp, bx, by, operand);
  const op = STABLEHLO_BINARY[name];
  if (op === undefined) throw new Error(`[stablehlo] no lowering for the binary primitive ${name}`);
  return c.binary(op, bx, by, out);
}

/** `convert_element_type`: `stablehlo.convert`, except to bool, which is `x != 0` (as JAX lowers it). */
export function lowerConvert(c: StableHloEmitter, x: string, to: DType): string {
  const a = c.inAvals[0];
  if (a.dtype === to) return x;
  if (to === "bool") return c.compare("NE", x, c.full(0, a.withWeak(false)), a.withWeak(false));
  return c.convert(x, a, to);
}

/**
 * `select_n(pred, *cases)`: cases[pred]. Two cases: `stablehlo.select %pred, %case1, %case0`;
 * more (an int32 predicate): a tree of selects on `pred < mid`, as JAX lowers it.
 */
export function lowerSelectN(c: StableHloEmitter, [pred, ...cases]: string[]): string {
  const out = c.outAvals[0];
  const [pa, ...ca] = c.inAvals;
  const p = c.broadcastTo(pred, pa, out.shape);
  const pAval = pa.withShape(out.shape);
  const xs = cases.map((x, i) => c.broadcastTo(x, ca[i], out.shape));
  const pick = (lo: number, hi: number): string => {
    if (hi - lo === 1) return xs[lo];
    const mid = lo + Math.ceil((hi - lo) / 2);
    const below = pAval.dtype === "bool" ? c.unary("not", p, pAval) : c.compare("LT", p, c.full(mid, pAval), pAval);
    return c.select(below, pick(lo, mid), pick(mid, hi), out);
  };
  if (pAval.dtype === "bool" && xs.length === 2) return c.select(p, xs[1], xs[0], out);
  return pick(0, xs.length);
}
