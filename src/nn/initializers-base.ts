/** What the initializers share: the Initializer type, the dtype rule, the key and shape checks. */
import type { NdArray } from "../core/array.js";
import { defaultFloat, isFloat, type DType } from "../core/dtypes.js";
import { DTypeError } from "../core/errors.js";
import { noExtraArgs } from "../core/options.js";
import * as np from "../numpy/index.js";
import { checkKey, checkShape } from "../random/args.js";

/** An initializer: `(key, shape, dtype?) => Array`, JAX's `Initializer` protocol (no sharding). */
export type Initializer = (key: NdArray, shape: readonly number[], dtype?: DType | null) => NdArray;

/** One axis or several (JAX's `int | Sequence[int]`). */
export type AxisSpec = number | readonly number[];

/** The float dtype an initializer draws in: the given one, or the default float. */
export function floatOf(op: string, dtype: DType | null | undefined): DType {
  const d = dtype ?? defaultFloat();
  if (!isFloat(d)) {
    throw new DTypeError(
      `[nn.initializers.${op}] dtype must be a float dtype: got ${JSON.stringify(d)}, expected "float32" or "float64".`,
    );
  }
  return d;
}

/** Builds the returned initializer: checks key, shape and dtype, then draws. */
export function makeInit(
  op: string,
  defaultDtype: DType | null | undefined,
  draw: (key: NdArray, shape: number[], dtype: DType) => NdArray,
): Initializer {
  return (key: NdArray, shape: readonly number[], dtype?: DType | null, ...rest: []) => {
    noExtraArgs(`nn.initializers.${op}`, rest);
    const s = renamed(op, () => {
      checkKey(op, key);
      return checkShape(op, shape);
    });
    return draw(key, s, floatOf(op, dtype ?? defaultDtype));
  };
}

/** Runs random's key and shape checks, naming the initializer in their messages. */
export function renamed<T>(op: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error) e.message = e.message.replace(`[random.${op}]`, `[nn.initializers.${op}]`);
    throw e;
  }
}

/** `jnp.array(v, dtype)`: a constant rounded to dtype, as JAX multiplies by it. */
export const scalar = (v: number, dtype: DType): NdArray => np.array(v, { dtype });

/** The product of sizes. */
export const prod = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);
