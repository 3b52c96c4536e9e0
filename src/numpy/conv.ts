/** `np.convolve` and `np.correlate`: 1-D convolution and correlation, written with lax's convolution. */
import type { ArrayLike, NdArray } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import { ShapeError } from "../core/errors.js";
import { defineOptions, is, oneOf, orNull, type OptArgs } from "../core/options.js";
import { promoteOperands, promoteToFloat } from "../primitives/as-array.js";
import { convGeneralDilated } from "../primitives/conv.js";
import { convert } from "../primitives/elementwise.js";
import { rev } from "../primitives/slicing.js";
import { reshape } from "../primitives/structural.js";

/**
 * `np.convolve` / `np.correlate`'s `mode`: "full" (every overlap), "same" (the length of the first input), "valid" (full overlaps only).
 */
export type ConvolveMode = "full" | "same" | "valid";

/** Options of `np.convolve` / `np.correlate`. */
export interface ConvolveOptions {
  /** "full" (every overlap), "same" (the longer input's length, centred), "valid" (full overlaps only). */
  mode?: ConvolveMode;
  /** Accepted for JAX compatibility: cotangent computes at the dtype's full precision. */
  precision?: "DEFAULT" | "HIGH" | "HIGHEST" | null;
  /** The dtype to compute in and return; null: the operands' promoted to a float. */
  preferredElementType?: DType | null;
}
const checks = {
  mode: oneOf("full", "same", "valid"),
  precision: orNull(oneOf("DEFAULT", "HIGH", "HIGHEST")),
  preferredElementType: orNull(is.dtype),
};
const options = {
  convolve: defineOptions("convolve", checks, ["mode"]),
  correlate: defineOptions("correlate", checks, ["mode"]),
};

/** JAX's jnp._conv: the longer input slides under the (flipped, for convolve) shorter one. */
function conv1d(op: "convolve" | "correlate", a: ArrayLike, v: ArrayLike, args: readonly unknown[]): NdArray {
  const o = options[op].parse(args);
  const mode = o.mode ?? (op === "convolve" ? "full" : "valid");
  let [x, y] = o.preferredElementType
    ? promoteOperands(op, [a, v]).map((t) => convert(t, o.preferredElementType!))
    : promoteToFloat(op, [a, v]);
  if (x.ndim !== 1 || y.ndim !== 1) {
    throw new ShapeError(`[${op}] ${op}() only support 1-dimensional inputs: got ${x.aval.str()} and ${y.aval.str()}.`);
  }
  if (x.size === 0 || y.size === 0) {
    throw new ShapeError(`[${op}] inputs cannot be empty: got ${x.aval.str()} and ${y.aval.str()}.`);
  }
  let reverse = false;
  if (x.size < y.size) {
    [x, y] = [y, x];
    reverse = op === "correlate";
  }
  if (op === "convolve") y = rev(y, [0]);
  const n = y.size;
  const pad: [number, number] =
    mode === "valid" ? [0, 0] : mode === "same" ? [Math.floor(n / 2), n - Math.floor(n / 2) - 1] : [n - 1, n - 1];
  const out = convGeneralDilated(reshape(x, [1, 1, x.size]), reshape(y, [1, 1, n]), {
    windowStrides: [1],
    padding: [pad],
    lhsDilation: [1],
    rhsDilation: [1],
    lhsSpec: [0, 1, 2],
    rhsSpec: [0, 1, 2],
    outSpec: [0, 1, 2],
    featureGroupCount: 1,
    batchGroupCount: 1,
  });
  const flat = reshape(out, [out.aval.shape[2]]);
  return reverse ? rev(flat, [0]) : flat;
}

/**
 * `jnp.convolve(a, v, mode='full', *, precision=None, preferred_element_type=None)`: the discrete
 * linear convolution of two 1-D arrays.
 * @example np.convolve([1, 2, 3], [0, 1, 0.5]) // [0, 1, 2.5, 4, 1.5]
 */
export function convolve(a: ArrayLike, v: ArrayLike, ...args: OptArgs<[ConvolveMode?], ConvolveOptions>): NdArray {
  return conv1d("convolve", a, v, args);
}

/**
 * `jnp.correlate(a, v, mode='valid', *, precision=None, preferred_element_type=None)`: the
 * cross-correlation of two 1-D arrays, c[k] = Σₙ a[n + k] · v[n].
 * @example np.correlate([1, 2, 3], [0, 1, 0.5], "full") // [0.5, 2, 3.5, 3, 0]
 */
export function correlate(a: ArrayLike, v: ArrayLike, ...args: OptArgs<[ConvolveMode?], ConvolveOptions>): NdArray {
  return conv1d("correlate", a, v, args);
}
