/** The numpy functions behind Array's methods (kept apart to keep imports acyclic at load time). */
import * as self from "./methods.js";
import { installArrayMethods } from "../core/array.js";
export { add, subtract, multiply, divide, power, negative } from "./math.js";
export { matmul } from "./linalg.js";
export { sum, mean, max, min, type AxisArg, type ReduceOptions, type SumArgs, type MeanArgs, type ExtremeArgs } from "./reductions.js";
export { reshape, transpose } from "./shape.js";
export { getItem, atUpdater, AtUpdater } from "./indexing.js";
import type { NdArray } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import { checkDType } from "../core/dtypes.js";
import { convert } from "../primitives/elementwise.js";

/** `x.astype(dtype)`. */
export function astype(x: NdArray, dtype: DType): NdArray {
  const d = checkDType("astype", dtype);
  return x.dtype === d && !x.weakType ? x : convert(x, d);
}

installArrayMethods(self);
