/**
 * StableHLO lowerings of the reductions: `stablehlo.reduce` with the identity of the
 * monoid as its init (0 for sums, -∞ for max, ...), and argmax/argmin as JAX lowers them:
 * one reduce over (values, indices) whose body keeps NaNs and, at ties, the first index.
 */
import { ShapedArray } from "../core/aval.js";
import type { DType } from "../core/dtypes.js";
import type { StableHloEmitter } from "./stablehlo-emit.js";

export type ReduceKind = "sum" | "prod" | "max" | "min" | "and" | "or";

const OP: Record<ReduceKind, string> = {
  sum: "add",
  prod: "multiply",
  max: "maximum",
  min: "minimum",
  and: "and",
  or: "or",
};

/** The identity of each monoid in `dtype`: the reduction's init value. */
export function reduceIdentity(kind: ReduceKind, dtype: DType): number | boolean {
  const lowest = dtype === "int32" ? -(2 ** 31) : dtype === "uint32" ? 0 : -Infinity;
  const highest = dtype === "int32" ? 2 ** 31 - 1 : dtype === "uint32" ? 2 ** 32 - 1 : Infinity;
  switch (kind) {
    case "sum":
    case "or":
      return dtype === "bool" ? false : 0;
    case "prod":
      return dtype === "bool" ? true : 1;
    case "max":
      return dtype === "bool" ? false : lowest;
    case "min":
      return dtype === "bool" ? true : highest;
    case "and":
      return dtype === "bool" ? true : dtype === "uint32" ? 2 ** 32 - 1 : -1;
  }
}

/** reduce_<kind> of `x` over `axes`. */
export function lowerReduce(c: StableHloEmitter, kind: ReduceKind, x: string, axes: readonly number[]): string {
  const a = c.inAvals[0].withWeak(false);
  const init = c.constant(reduceIdentity(kind, a.dtype), a.withShape([]));
  return c.reduce([x], [init], [a], axes, OP[kind])[0];
}

/**
 * argmax/argmin over `axis`: a reduce of (x, iota) that picks the operand's value when it is
 * greater (less) or NaN, and at equal values the smaller index (JAX's `_compute_argminmax`).
 */
export function lowerArgReduce(c: StableHloEmitter, which: "argmax" | "argmin", x: string, axis: number): string {
  const a = c.inAvals[0].withWeak(false);
  const indexDtype = c.outAvals[0].dtype;
  const ia = new ShapedArray(a.shape, indexDtype);
  const iota = c.op(`stablehlo.iota dim = ${axis} : ${c.type(ia)}`)[0];
  const scalar = a.withShape([]);
  const iscalar = ia.withShape([]);
  const bool = new ShapedArray([], "bool");
  const init = c.constant(reduceIdentity(which === "argmax" ? "max" : "min", a.dtype), scalar);
  const zero = c.constant(0, iscalar);
  const outs = c.reduce([x, iota], [init, zero], [a, ia], [axis], ([accV, accI], [opV, opI]) => {
    const better = c.compare(which === "argmax" ? "GT" : "LT", opV, accV, scalar);
    const pickVal = c.binary("or", better, c.compare("NE", opV, opV, scalar), bool);
    const tie = c.binary("and", c.compare("EQ", opV, accV, scalar), c.compare("LT", opI, accI, iscalar), bool);
    const pickIdx = c.binary("or", pickVal, tie, bool);
    return [c.select(pickVal, opV, accV, scalar), c.select(pickIdx, opI, accI, iscalar)];
  });
  return outs[1];
}
