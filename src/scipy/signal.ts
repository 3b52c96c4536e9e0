/** `jax.scipy.signal`: N-d convolution and correlation, written with lax's convolution. */
import type { ArrayLike, NdArray } from "../core/array.js";
import { ShapeError } from "../core/errors.js";
import { defineOptions, oneOf, orNull, type OptArgs } from "../core/options.js";
import { promoteToFloat } from "../primitives/as-array.js";
import { convGeneralDilated } from "../primitives/conv.js";
import { rev } from "../primitives/slicing.js";
import { reshape } from "../primitives/structural.js";
import { range } from "../primitives/shapes.js";

/**
 * `scipy.signal.convolve`'s `mode`: "full", "same" or "valid", as in SciPy.
 */
export type SignalMode = "full" | "same" | "valid";
/**
 * `scipy.signal.convolve`'s `method`: "auto", "direct" or "fft", accepted for SciPy compatibility (the convolution is always direct).
 */
export type SignalMethod = "auto" | "direct" | "fft";

/** Options of `scipy.signal.convolve` / `correlate`. */
export interface SignalConvolveOptions {
  /** "full" (every overlap), "same" (in1's shape, centred), "valid" (full overlaps only). */
  mode?: SignalMode;
  /** Accepted for SciPy compatibility and ignored: the convolution is always direct. */
  method?: SignalMethod;
  /** Accepted for JAX compatibility: cotangent computes at the dtype's full precision. */
  precision?: "DEFAULT" | "HIGH" | "HIGHEST" | null;
}
const checks = {
  mode: oneOf("full", "same", "valid"),
  method: oneOf("auto", "direct", "fft"),
  precision: orNull(oneOf("DEFAULT", "HIGH", "HIGHEST")),
};
const options = {
  convolve: defineOptions("scipy.signal.convolve", checks, ["mode", "method", "precision"]),
  correlate: defineOptions("scipy.signal.correlate", checks, ["mode", "method", "precision"]),
};

/** JAX's _convolve_nd: in2 flipped slides over in1 (swapped when in1 is the smaller in every axis). */
function convolveNd(op: string, a: NdArray, b: NdArray, mode: SignalMode): NdArray {
  if (a.ndim !== b.ndim) {
    throw new ShapeError(
      `[${op}] in1 and in2 must have the same number of dimensions: got ${a.aval.str()} and ${b.aval.str()}.`,
    );
  }
  if (a.size === 0 || b.size === 0) {
    throw new ShapeError(`[${op}] in1 and in2 must not be empty: got ${a.aval.str()} and ${b.aval.str()}.`);
  }
  const noSwap = a.aval.shape.every((n, i) => n >= b.aval.shape[i]);
  const swap = a.aval.shape.every((n, i) => n <= b.aval.shape[i]);
  if (!noSwap && !swap) {
    throw new ShapeError(
      `[${op}] One input must be smaller than the other in every dimension: got ${a.aval.str()} and ${b.aval.str()}.`,
    );
  }
  const shapeO = b.aval.shape;
  const x = swap ? b : a;
  let y = swap ? a : b;
  const shape = y.aval.shape;
  y = rev(y, range(y.ndim));
  const padding = shape.map((s, i): [number, number] =>
    mode === "valid"
      ? [0, 0]
      : mode === "same"
        ? [s - 1 - Math.floor((shapeO[i] - 1) / 2), s - shapeO[i] + Math.floor((shapeO[i] - 1) / 2)]
        : [s - 1, s - 1],
  );
  const nd = x.ndim + 2;
  const out = convGeneralDilated(reshape(x, [1, 1, ...x.aval.shape]), reshape(y, [1, 1, ...shape]), {
    windowStrides: shape.map(() => 1),
    padding,
    lhsDilation: shape.map(() => 1),
    rhsDilation: shape.map(() => 1),
    lhsSpec: range(nd),
    rhsSpec: range(nd),
    outSpec: range(nd),
    featureGroupCount: 1,
    batchGroupCount: 1,
  });
  return reshape(out, out.aval.shape.slice(2));
}

/**
 * `jax.scipy.signal.convolve(in1, in2, mode='full', method='auto', precision=None)`: the N-d
 * convolution of two arrays of the same rank (one no larger than the other in every axis).
 * @example scipy.signal.convolve([[1, 2], [3, 4]], [[0, 1], [1, 0]], "same")
 */
export function convolve(
  in1: ArrayLike,
  in2: ArrayLike,
  ...args: OptArgs<[SignalMode?, SignalMethod?, ("DEFAULT" | "HIGH" | "HIGHEST" | null)?], SignalConvolveOptions>
): NdArray {
  const op = "scipy.signal.convolve";
  const o = options.convolve.parse(args);
  const [a, b] = promoteToFloat(op, [in1, in2]);
  return convolveNd(op, a, b, o.mode ?? "full");
}

/**
 * `jax.scipy.signal.correlate(in1, in2, mode='full', method='auto', precision=None)`: the N-d
 * cross-correlation, convolve(in1, flip(in2)).
 * @example scipy.signal.correlate([1, 2, 3], [0, 1, 0.5]) // [0.5, 2, 3.5, 3, 0]
 */
export function correlate(
  in1: ArrayLike,
  in2: ArrayLike,
  ...args: OptArgs<[SignalMode?, SignalMethod?, ("DEFAULT" | "HIGH" | "HIGHEST" | null)?], SignalConvolveOptions>
): NdArray {
  const op = "scipy.signal.correlate";
  const o = options.correlate.parse(args);
  const [a, b] = promoteToFloat(op, [in1, in2]);
  return convolveNd(op, a, rev(b, range(b.ndim)), o.mode ?? "full");
}
