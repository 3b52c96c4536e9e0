/** Constant arrays: scalars, and full arrays as a broadcast scalar (as JAX stages them). */
import { ShapedArray, type Shape } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import { allocate, type DType } from "../core/dtypes.js";
import { broadcastInDim } from "../primitives/structural.js";

/** A concrete 0-d array. */
export function scalar(value: number | boolean, dtype: DType, weak = false): NdArray {
  const data = allocate(dtype, 1);
  data[0] = typeof value === "boolean" ? Number(value) : value;
  return new NdArray(new ShapedArray([], dtype, weak), data);
}

/** `lax.full(shape, value, dtype)`. */
export function full(shape: Shape, value: number | boolean, dtype: DType, weak = false): NdArray {
  const s = scalar(value, dtype, weak);
  return shape.length === 0 ? s : broadcastInDim(s, shape, []);
}

export function fullAval(aval: ShapedArray, value: number): NdArray {
  return full(aval.shape, value, aval.dtype, aval.weakType);
}
