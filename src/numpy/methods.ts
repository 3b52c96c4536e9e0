/** The numpy functions behind Array's methods (kept apart to keep imports acyclic at load time). */
import * as self from "./methods.js";
import { installArrayMethods } from "../core/array.js";
export { add, subtract, multiply, divide, power, negative, clip, round } from "./math.js";
export { matmul, dot } from "./linalg.js";
export {
  sum,
  prod,
  mean,
  variance,
  std,
  max,
  min,
  argmax,
  argmin,
  all,
  any,
  cumsum,
  type AxisArg,
  type ReduceOptions,
  type SumArgs,
  type MeanArgs,
  type ExtremeArgs,
} from "./reductions.js";
export { reshape, transpose, ravel, squeeze, swapaxes } from "./shape.js";
export { getItem, atUpdater, AtUpdater } from "./indexing.js";
import type { NdArray } from "../core/array.js";
import type { Shape } from "../core/aval.js";
import type { DType } from "../core/dtypes.js";
import { DTYPES, isDType } from "../core/dtypes.js";
import { DTypeError } from "../core/errors.js";
import { defineOptions, describeValue, isPlainObject, noExtraArgs, oneOf, OptionError } from "../core/options.js";
import { convert } from "../primitives/elementwise.js";
import { reshape, transpose } from "./shape.js";

/** `x.astype(dtype)`. */
export function astype(x: NdArray, dtype: DType, ...rest: []): NdArray {
  noExtraArgs("Array.astype", rest);
  if (!isDType(dtype)) {
    throw new DTypeError(
      `[Array.astype] unknown dtype: got ${describeValue(dtype)}, expected one of ${DTYPES.map((d) => JSON.stringify(d)).join(", ")}.`,
    );
  }
  const d = dtype;
  return x.dtype === d && !x.weakType ? x : convert(x, d);
}

/** The options of `x.reshape(...shape, { order })`. */
export interface ReshapeMethodOptions {
  /** "C" (row-major, the default) or "F" (column-major: the elements are read and placed first axis fastest). */
  order?: "C" | "F";
}

const reshapeOptions = defineOptions("Array.reshape", { order: oneOf("C", "F") }, []);

/**
 * `x.reshape(...)` as JAX's `x.reshape(*args, order="C")`: the new shape as
 * several integers or as one array of them, then optionally `{ order }`.
 */
export function reshapeMethod(x: NdArray, args: readonly unknown[]): NdArray {
  const last = args[args.length - 1];
  const hasOptions = isPlainObject(last);
  const given = hasOptions ? args.slice(0, -1) : args;
  const { order = "C" } = reshapeOptions.parse(hasOptions ? [last] : []);
  let shape: Shape;
  if (given.length === 1 && typeof given[0] !== "number") {
    if (!Array.isArray(given[0])) {
      throw new OptionError(
        `[Array.reshape] the new shape must be integers or one array of integers: got ${describeValue(given[0])}, expected e.g. x.reshape(2, 3) or x.reshape([2, 3]).`,
      );
    }
    shape = given[0] as Shape;
  } else {
    const bad = given.find((d) => typeof d !== "number");
    if (bad !== undefined) {
      throw new OptionError(
        given.length > 1 && Array.isArray(given[0])
          ? `[Array.reshape] too many arguments: got the shape ${describeValue(given[0])} and then ${describeValue(given[1])}, expected one shape. Pass the order as { order }.`
          : `[Array.reshape] the new shape must be integers or one array of integers: got ${describeValue(bad)}, expected e.g. x.reshape(2, 3) or x.reshape([2, 3]).`,
      );
    }
    shape = given as number[];
  }
  if (order === "C") return reshape(x, shape);
  // Column-major: reverse the axes, reshape row-major into the reversed shape, reverse back.
  return transpose(reshape(transpose(x), [...shape].reverse()));
}

/** `x.transpose()`, `x.transpose(1, 0)`, `x.transpose([1, 0])` or `x.transpose(null)`, as JAX's `x.transpose(*axes)`. */
export function transposeMethod(x: NdArray, axes: readonly unknown[]): NdArray {
  if (axes.length === 0 || (axes.length === 1 && (axes[0] === null || axes[0] === undefined))) return transpose(x);
  if (axes.length === 1 && typeof axes[0] !== "number") return transpose(x, axes[0] as Shape);
  return transpose(x, axes as number[]);
}

installArrayMethods(self);
