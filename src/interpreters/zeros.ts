/** Symbolic zeros: their avals, and turning them into arrays when a value is needed. */
import { ShapedArray } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import { isFloat } from "../core/dtypes.js";
import { Zero, type MaybeZero } from "../core/trace.js";
import { zerosLikeAval } from "./hooks.js";

/**
 * The aval of a tangent for a primal of aval `a`: the same aval. (Integer and bool
 * values have no tangent space; they keep their own dtype and only ever get
 * symbolic zeros, where JAX would use float0.)
 */
export function tangentAval(a: ShapedArray): ShapedArray {
  return a;
}

export { zerosLikeAval };

/** A real array for a possibly symbolic zero. */
export function instantiate(x: MaybeZero): NdArray {
  return x instanceof Zero ? zerosLikeAval(x.aval) : x;
}

export function isDifferentiableAval(a: ShapedArray): boolean {
  return isFloat(a.dtype);
}
