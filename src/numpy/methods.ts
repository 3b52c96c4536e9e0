/** Array's methods: the numpy functions behind them, and their installation on the prototype. */
import * as self from "./methods.js";
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
import { NdArray, type ArrayLike, type Index } from "../core/array.js";
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

// --- the methods of Array ---------------------------------------------------------------------

/** The parameters of a numpy function after its array argument: what the method of the same name takes. */
type Rest<F> = F extends (x: never, ...rest: infer R) => unknown ? R : never;

/** Calls a numpy function with `x` first and a method's arguments after it (their types are checked at the method). */
const call = (f: unknown, x: NdArray, args: readonly unknown[]): NdArray =>
  (f as (x: NdArray, ...rest: unknown[]) => NdArray)(x, ...args);

// Array's numpy methods are declared here, beside the functions they call, and
// installed on its prototype when this module loads: core, below numpy, knows
// nothing of them (the entry point always loads numpy).
declare module "../core/array.js" {
  interface NdArray {
    add(other: ArrayLike): NdArray;
    sub(other: ArrayLike): NdArray;
    mul(other: ArrayLike): NdArray;
    div(other: ArrayLike): NdArray;
    pow(other: ArrayLike): NdArray;
    neg(): NdArray;
    matmul(other: ArrayLike): NdArray;
    /** `x.sum(...)`: {@link numpy.sum} with this array first (the same optional arguments, either form). */
    sum(...args: Rest<typeof self.sum>): NdArray;
    /** `x.prod(...)`: `np.prod(x, ...)`. */
    prod(...args: Rest<typeof self.prod>): NdArray;
    /** `x.mean(...)`: `np.mean(x, ...)`. */
    mean(...args: Rest<typeof self.mean>): NdArray;
    /** `x.var(...)`: `np.var(x, ...)`. */
    var(...args: Rest<typeof self.variance>): NdArray;
    /** `x.std(...)`: `np.std(x, ...)`. */
    std(...args: Rest<typeof self.std>): NdArray;
    /** `x.max(...)`: `np.max(x, ...)`. */
    max(...args: Rest<typeof self.max>): NdArray;
    /** `x.min(...)`: `np.min(x, ...)`. */
    min(...args: Rest<typeof self.min>): NdArray;
    /** `x.argmax(...)`: `np.argmax(x, ...)`. */
    argmax(...args: Rest<typeof self.argmax>): NdArray;
    /** `x.argmin(...)`: `np.argmin(x, ...)`. */
    argmin(...args: Rest<typeof self.argmin>): NdArray;
    /** `x.all(...)`: `np.all(x, ...)`. */
    all(...args: Rest<typeof self.all>): NdArray;
    /** `x.any(...)`: `np.any(x, ...)`. */
    any(...args: Rest<typeof self.any>): NdArray;
    /** `x.cumsum(...)`: `np.cumsum(x, ...)`. */
    cumsum(...args: Rest<typeof self.cumsum>): NdArray;
    /** `x.clip(...)`: `np.clip(x, ...)`. */
    clip(...args: Rest<typeof self.clip>): NdArray;
    /** `x.round(...)`: `np.round(x, ...)`. */
    round(...args: Rest<typeof self.round>): NdArray;
    /** `x.squeeze(...)`: `np.squeeze(x, ...)`. */
    squeeze(...args: Rest<typeof self.squeeze>): NdArray;
    /** `x.ravel(...)`: `np.ravel(x, ...)`. */
    ravel(...args: Rest<typeof self.ravel>): NdArray;
    /** `x.flatten()`: the elements in row-major order, as `x.ravel()`. */
    flatten(...args: Rest<typeof self.ravel>): NdArray;
    /** `x.swapaxes(axis1, axis2)`: `np.swapaxes(x, axis1, axis2)`. */
    swapaxes(...args: Rest<typeof self.swapaxes>): NdArray;
    /** `x.dot(y)`: `np.dot(x, y)`. */
    dot(...args: Rest<typeof self.dot>): NdArray;
    /**
     * `x.reshape(2, 3)` or `x.reshape([2, 3])`, as JAX's `x.reshape(*shape, order="C")`;
     * `order` ("C" or "F") only in a trailing object: `x.reshape(3, 2, { order: "F" })`.
     */
    reshape(...args: (number | Shape | self.ReshapeMethodOptions)[]): NdArray;
    /** `x.transpose()`, `x.transpose(1, 0)` or `x.transpose([1, 0])`, as JAX's `x.transpose(*axes)`. */
    transpose(...axes: number[] | [Shape | null | undefined]): NdArray;
    /** The transpose (reversed axes), as `x.T`. */
    readonly T: NdArray;
    /** `x.astype(dtype)`: a copy converted to `dtype` (validated). */
    astype(dtype: DType, ...rest: []): NdArray;
    /** NumPy indexing, `x[i, 1:3, None, ...]`: `x.get(i, np.slice(1, 3), null, "...")`. */
    get(...index: Index[]): NdArray;
    /** Functional updates, `x.at[idx].set(v)`: `x.at(idx).set(v)`. */
    at(...index: Index[]): self.AtUpdater;
  }
}

const methods = {
  add(this: NdArray, other: ArrayLike): NdArray {
    return self.add(this, other);
  },
  sub(this: NdArray, other: ArrayLike): NdArray {
    return self.subtract(this, other);
  },
  mul(this: NdArray, other: ArrayLike): NdArray {
    return self.multiply(this, other);
  },
  div(this: NdArray, other: ArrayLike): NdArray {
    return self.divide(this, other);
  },
  pow(this: NdArray, other: ArrayLike): NdArray {
    return self.power(this, other);
  },
  neg(this: NdArray): NdArray {
    return self.negative(this);
  },
  matmul(this: NdArray, other: ArrayLike): NdArray {
    return self.matmul(this, other);
  },
  sum(this: NdArray, ...args: Rest<typeof self.sum>): NdArray {
    return call(self.sum, this, args);
  },
  prod(this: NdArray, ...args: Rest<typeof self.prod>): NdArray {
    return call(self.prod, this, args);
  },
  mean(this: NdArray, ...args: Rest<typeof self.mean>): NdArray {
    return call(self.mean, this, args);
  },
  var(this: NdArray, ...args: Rest<typeof self.variance>): NdArray {
    return call(self.variance, this, args);
  },
  std(this: NdArray, ...args: Rest<typeof self.std>): NdArray {
    return call(self.std, this, args);
  },
  max(this: NdArray, ...args: Rest<typeof self.max>): NdArray {
    return call(self.max, this, args);
  },
  min(this: NdArray, ...args: Rest<typeof self.min>): NdArray {
    return call(self.min, this, args);
  },
  argmax(this: NdArray, ...args: Rest<typeof self.argmax>): NdArray {
    return call(self.argmax, this, args);
  },
  argmin(this: NdArray, ...args: Rest<typeof self.argmin>): NdArray {
    return call(self.argmin, this, args);
  },
  all(this: NdArray, ...args: Rest<typeof self.all>): NdArray {
    return call(self.all, this, args);
  },
  any(this: NdArray, ...args: Rest<typeof self.any>): NdArray {
    return call(self.any, this, args);
  },
  cumsum(this: NdArray, ...args: Rest<typeof self.cumsum>): NdArray {
    return call(self.cumsum, this, args);
  },
  clip(this: NdArray, ...args: Rest<typeof self.clip>): NdArray {
    return call(self.clip, this, args);
  },
  round(this: NdArray, ...args: Rest<typeof self.round>): NdArray {
    return call(self.round, this, args);
  },
  squeeze(this: NdArray, ...args: Rest<typeof self.squeeze>): NdArray {
    return call(self.squeeze, this, args);
  },
  ravel(this: NdArray, ...args: Rest<typeof self.ravel>): NdArray {
    return call(self.ravel, this, args);
  },
  flatten(this: NdArray, ...args: Rest<typeof self.ravel>): NdArray {
    return call(self.ravel, this, args);
  },
  swapaxes(this: NdArray, ...args: Rest<typeof self.swapaxes>): NdArray {
    return call(self.swapaxes, this, args);
  },
  dot(this: NdArray, ...args: Rest<typeof self.dot>): NdArray {
    return call(self.dot, this, args);
  },
  reshape(this: NdArray, ...args: (number | Shape | self.ReshapeMethodOptions)[]): NdArray {
    return self.reshapeMethod(this, args);
  },
  transpose(this: NdArray, ...axes: number[] | [Shape | null | undefined]): NdArray {
    return self.transposeMethod(this, axes);
  },
  astype(this: NdArray, dtype: DType, ...rest: []): NdArray {
    return self.astype(this, dtype, ...rest);
  },
  get(this: NdArray, ...index: Index[]): NdArray {
    return self.getItem(this, index);
  },
  at(this: NdArray, ...index: Index[]): self.AtUpdater {
    return self.atUpdater(this, index);
  },
};

for (const [name, method] of Object.entries(methods)) {
  Object.defineProperty(NdArray.prototype, name, { value: method, writable: true, configurable: true });
}
Object.defineProperty(NdArray.prototype, "T", {
  get(this: NdArray): NdArray {
    return self.transpose(this);
  },
  configurable: true,
});
