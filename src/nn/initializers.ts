/**
 * `cotangent.nn.initializers`: JAX's `jax.nn.initializers`. Each factory returns an
 * initializer `(key, shape, dtype?) => Array` that composes the same `random.*` calls,
 * in the same order and with the same constants, as jax/_src/nn/initializers.py, so it
 * draws JAX's samples from the same key (orthogonal up to the rounding of QR).
 */
import type { ArrayLike, NdArray } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import { ArgumentTypeError, ShapeError } from "../core/errors.js";
import { defineOptions, describeValue, is, orNull, type OptArgs } from "../core/options.js";
import * as np from "../numpy/index.js";
import * as random from "../random/index.js";
import { normalizeAxis } from "../primitives/shapes.js";
import { makeInit, prod, scalar, type Initializer } from "./initializers-base.js";

export type { Initializer, AxisSpec } from "./initializers-base.js";
export * from "./initializers-variance.js";

/**
 * `jax.nn.initializers.zeros(key, shape, dtype=None)`: zeros; the key is ignored.
 *
 * @example
 * nn.initializers.zeros(random.key(42), [2, 3]); // [[0, 0, 0], [0, 0, 0]]
 */
export const zeros: Initializer = makeInit("zeros", null, (_k, shape, dtype) => np.zeros(shape, { dtype }));

/**
 * `jax.nn.initializers.ones(key, shape, dtype=None)`: ones; the key is ignored.
 *
 * @example
 * nn.initializers.ones(random.key(42), [3, 2]); // [[1, 1], [1, 1], [1, 1]]
 */
export const ones: Initializer = makeInit("ones", null, (_k, shape, dtype) => np.ones(shape, { dtype }));

/** Options of `nn.initializers.constant`. */
export interface ConstantOptions {
  /** The initializer's default dtype (default: the default float). */
  dtype?: DType | null;
}
const constantOptions = defineOptions("nn.initializers.constant", { dtype: orNull(is.dtype) }, ["dtype"]);
/**
 * `jax.nn.initializers.constant(value, dtype=None)`: arrays full of `value`.
 *
 * @example
 * nn.initializers.constant(-7)(random.key(42), [2, 3]); // [[-7, -7, -7], [-7, -7, -7]]
 */
export function constant(value: ArrayLike, ...args: OptArgs<[DType | null], ConstantOptions>): Initializer {
  const o = constantOptions.parse(args);
  if (typeof value !== "number" && typeof value !== "boolean" && !is.arrayLike.test(value)) {
    throw new ArgumentTypeError(
      `[nn.initializers.constant] value must be a number or an array: got ${describeValue(value)}.`,
    );
  }
  return makeInit("constant", o.dtype, (_k, shape, dtype) => np.full(shape, value as number, { dtype }));
}

/** Options of `nn.initializers.uniform`. */
export interface UniformInitOptions {
  /** The upper bound: values are uniform on [0, scale) (default 1e-2). */
  scale?: number;
  /** The initializer's default dtype. */
  dtype?: DType | null;
}
const uniformOptions = defineOptions("nn.initializers.uniform", { scale: is.number, dtype: orNull(is.dtype) }, [
  "scale",
  "dtype",
]);
/**
 * `jax.nn.initializers.uniform(scale=1e-2, dtype=None)`: `random.uniform(key, shape, dtype) * scale`.
 *
 * @example
 * nn.initializers.uniform(10)(random.key(42), [2, 3]); // values in [0, 10)
 */
export function uniform(...args: OptArgs<[number, DType | null], UniformInitOptions>): Initializer {
  const o = uniformOptions.parse(args);
  const s = o.scale ?? 1e-2;
  return makeInit("uniform", o.dtype, (key, shape, dtype) =>
    np.multiply(random.uniform(key, shape, dtype), scalar(s, dtype)),
  );
}

/** Options of `nn.initializers.normal`. */
export interface NormalInitOptions {
  /** The standard deviation (default 1e-2). */
  stddev?: number;
  /** The initializer's default dtype. */
  dtype?: DType | null;
}
const normalOptions = defineOptions("nn.initializers.normal", { stddev: is.number, dtype: orNull(is.dtype) }, [
  "stddev",
  "dtype",
]);
/**
 * `jax.nn.initializers.normal(stddev=1e-2, dtype=None)`: `random.normal(key, shape, dtype) * stddev`.
 *
 * @example
 * nn.initializers.normal(5)(random.key(42), [2, 3]);
 */
export function normal(...args: OptArgs<[number, DType | null], NormalInitOptions>): Initializer {
  const o = normalOptions.parse(args);
  const s = o.stddev ?? 1e-2;
  return makeInit("normal", o.dtype, (key, shape, dtype) =>
    np.multiply(random.normal(key, shape, dtype), scalar(s, dtype)),
  );
}

/** Options of `nn.initializers.truncatedNormal`. */
export interface TruncatedNormalInitOptions {
  /** The standard deviation of the untruncated distribution (default 1e-2; no correction applied). */
  stddev?: number;
  /** The initializer's default dtype. */
  dtype?: DType | null;
  /** The lower truncation bound, in units of stddev (default -2). */
  lower?: number;
  /** The upper truncation bound, in units of stddev (default 2). */
  upper?: number;
}
const truncatedNormalOptions = defineOptions(
  "nn.initializers.truncatedNormal",
  { stddev: is.number, dtype: orNull(is.dtype), lower: is.number, upper: is.number },
  ["stddev", "dtype", "lower", "upper"],
);
/**
 * `jax.nn.initializers.truncated_normal(stddev=1e-2, dtype=None, lower=-2.0, upper=2.0)`:
 * `random.truncatedNormal(key, lower, upper, shape, dtype) * stddev`.
 *
 * @example
 * nn.initializers.truncatedNormal(5)(random.key(42), [2, 3]); // values in (-10, 10)
 */
export function truncatedNormal(
  ...args: OptArgs<[number, DType | null, number, number], TruncatedNormalInitOptions>
): Initializer {
  const o = truncatedNormalOptions.parse(args);
  const s = o.stddev ?? 1e-2;
  const lower = o.lower ?? -2;
  const upper = o.upper ?? 2;
  return makeInit("truncatedNormal", o.dtype, (key, shape, dtype) =>
    np.multiply(random.truncatedNormal(key, lower, upper, shape, dtype), scalar(s, dtype)),
  );
}

/** Options of `nn.initializers.orthogonal`. */
export interface OrthogonalOptions {
  /** A factor applied to the orthogonal matrix (default 1). */
  scale?: number;
  /** The axis holding the columns that are orthonormal (default -1). */
  columnAxis?: number;
  /** The initializer's default dtype. */
  dtype?: DType | null;
}
const orthogonalOptions = defineOptions(
  "nn.initializers.orthogonal",
  { scale: is.number, columnAxis: is.axis, dtype: orNull(is.dtype) },
  ["scale", "columnAxis", "dtype"],
);

/**
 * `jax.random.orthogonal(key, n, (), dtype, m)`: a normal [max(n,m), min(n,m)] matrix's
 * QR factor Q times sign(diag R) (Mezzadri's correction, making Q Haar-distributed),
 * transposed when n < m.
 */
function haarOrthogonal(key: NdArray, n: number, m: number, dtype: DType): NdArray {
  const z = random.normal(key, [Math.max(n, m), Math.min(n, m)], dtype);
  const [q, r] = np.linalg.qr(z);
  const x = np.multiply(q, np.expandDims(np.sign(np.diagonal(r)), -2));
  return n < m ? np.transpose(x) : x;
}

/**
 * `jax.nn.initializers.orthogonal(scale=1.0, column_axis=-1, dtype=None)`: orthonormal
 * columns along columnAxis (rows when there are more columns than rows), times scale.
 * Values match JAX's up to the rounding of the QR factorization.
 *
 * @example
 * const w = nn.initializers.orthogonal()(random.key(0), [4, 3]);
 * np.matmul(w.T, w); // ≈ eye(3)
 */
export function orthogonal(...args: OptArgs<[number, number, DType | null], OrthogonalOptions>): Initializer {
  const o = orthogonalOptions.parse(args);
  const scale = o.scale ?? 1;
  return makeInit("orthogonal", o.dtype, (key, shape, dtype) =>
    orthogonalDraw("orthogonal", key, shape, dtype, scale, o.columnAxis ?? -1),
  );
}

function orthogonalDraw(
  op: string,
  key: NdArray,
  shape: number[],
  dtype: DType,
  scale: number,
  columnAxis: number,
): NdArray {
  if (shape.length < 2) {
    throw new ShapeError(
      `[nn.initializers.${op}] orthogonal initializer requires at least a 2D shape: got [${shape.join(", ")}], expected 2 or more dimensions.`,
    );
  }
  if (shape.includes(0)) return np.zeros(shape, { dtype });
  const col = normalizeAxis(`nn.initializers.${op}`, columnAxis, shape.length);
  const nCols = shape[col];
  const nRows = prod(shape) / nCols;
  const q = haarOrthogonal(key, nRows, nCols, dtype);
  const rest = shape.filter((_, i) => i !== col);
  const moved = np.moveaxis(np.reshape(q, [...rest, nCols]), -1, col);
  return np.multiply(scalar(scale, dtype), moved);
}

const deltaOrthogonalOptions = defineOptions(
  "nn.initializers.deltaOrthogonal",
  { scale: is.number, columnAxis: is.axis, dtype: orNull(is.dtype) },
  ["scale", "columnAxis", "dtype"],
);

/**
 * `jax.nn.initializers.delta_orthogonal(scale=1.0, column_axis=-1, dtype=None)`: a 3-D, 4-D or
 * 5-D convolution kernel that is zero except at the spatial centre ((k - 1) // 2 on each
 * spatial axis), where it holds an orthogonal [in, out] matrix (in ≤ out), drawn as
 * {@link orthogonal} draws shape.slice(-2).
 *
 * @example
 * const w = nn.initializers.deltaOrthogonal()(random.key(0), [3, 3, 4]); // w[1] is orthogonal
 */
export function deltaOrthogonal(...args: OptArgs<[number, number, DType | null], OrthogonalOptions>): Initializer {
  const o = deltaOrthogonalOptions.parse(args);
  const op = "deltaOrthogonal";
  return makeInit(op, o.dtype, (key, shape, dtype) => {
    if (shape.length < 3 || shape.length > 5) {
      throw new ShapeError(
        `[nn.initializers.${op}] delta orthogonal initializer requires a 3D, 4D or 5D shape: got [${shape.join(", ")}].`,
      );
    }
    const [fanIn, fanOut] = shape.slice(-2);
    if (fanOut < fanIn) {
      throw new ShapeError(
        `[nn.initializers.${op}] fan_in must be less or equal than fan_out: got shape [${shape.join(", ")}] (fan_in ${fanIn}, fan_out ${fanOut}).`,
      );
    }
    const m = orthogonalDraw(op, key, [fanIn, fanOut], dtype, o.scale ?? 1, o.columnAxis ?? -1);
    const spatial = shape.slice(0, -2);
    // W = zeros(shape); W[c1, c2, ..., :, :] = m, written as m padded with zeros around the centre.
    const padWidth = spatial.map((k): [number, number] => [Math.floor((k - 1) / 2), k - 1 - Math.floor((k - 1) / 2)]);
    const centred = np.reshape(m, [...spatial.map(() => 1), fanIn, fanOut]);
    return np.pad(centred, [...padWidth, [0, 0], [0, 0]]);
  });
}
