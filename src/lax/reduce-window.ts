/**
 * `lax.reduceWindow`, as JAX's lax/windowed_reductions.py: the monoid reductions (add, max, min
 * with their identity as init_value) run as the reduce_window primitives, whose gradients are
 * JAX's (max and min route to the selected element); any other body is a composite: the windows
 * are gathered by strided slices of the padded operand and folded with the body, in XLA's
 * order (row-major over the window, `acc = body(acc, x)`, padding and dilation holes skipped).
 */
import type { ArrayLike, NdArray } from "../core/array.js";
import { isInteger, type DType } from "../core/dtypes.js";
import { ArgumentTypeError, DTypeError, ShapeError } from "../core/errors.js";
import { check, defineOptions, describeValue, orNull, type OptArgs } from "../core/options.js";
import { Tracer } from "../core/trace.js";
import { traceToJaxpr } from "../ir/staging.js";
import { scan } from "../control/api.js";
import { vmap } from "../transforms/vmap-api.js";
import { asArray } from "../primitives/as-array.js";
import { reduceWindow as reduceWindowPrim } from "../primitives/conv.js";
import { convert } from "../primitives/elementwise.js";
import type { ConvPadding } from "./conv.js";
import { padtypeToPads, positiveInts } from "./window-args.js";
import * as laxCore from "./index.js";

/** A binary body of two scalars, as JAX's `computation`. */
export type WindowBody = (a: NdArray, b: NdArray) => ArrayLike;
/** The reduction: "add", "max", "min" by name, or a function of two scalars (lax.add, lax.mul, ...). */
export type WindowComputation = "add" | "max" | "min" | WindowBody;

/** Options of `lax.reduceWindow`. */
export interface ReduceWindowOptions {
  /** Dilation of the operand per axis (holes hold the identity); null: ones. */
  baseDilation?: readonly number[] | null;
  /** Dilation of the window per axis; null: ones. */
  windowDilation?: readonly number[] | null;
}
const positiveList = check<readonly number[]>(
  "an array of positive integers",
  (v) => Array.isArray(v) && v.every((n) => Number.isInteger(n) && n > 0),
);
const reduceWindowOptions = defineOptions(
  "lax.reduceWindow",
  { baseDilation: orNull(positiveList), windowDilation: orNull(positiveList) },
  ["baseDilation", "windowDilation"],
);

type Monoid = "sum" | "max" | "min";

/** The identity of a reduction in a dtype (what JAX requires of init_value for its monoid reductions). */
function identityOf(reducer: Monoid, dtype: DType): number {
  if (reducer === "sum") return 0;
  if (isInteger(dtype)) {
    const [lo, hi] = dtype === "uint32" ? [0, 4294967295] : [-2147483648, 2147483647];
    return reducer === "max" ? lo : hi;
  }
  return reducer === "max" ? -Infinity : Infinity;
}

const NAMED: Record<string, Monoid> = { add: "sum", max: "max", min: "min" };

/**
 * The monoid a body computes, found by tracing it on two scalars: one add, max or min of its two
 * arguments (JAX asks `computation is lax.add`; tracing also recognizes `(a, b) => np.add(a, b)`).
 */
function monoidOf(body: WindowBody, dtype: DType): Monoid | null {
  try {
    const scalar = asArray(0, dtype).aval;
    const { jaxpr } = traceToJaxpr(([a, b]) => [asArray(body(a, b), dtype)], [scalar, scalar]);
    if (jaxpr.eqns.length !== 1) return null;
    const [eqn] = jaxpr.eqns;
    const ins = new Set<unknown>(eqn.inputs);
    const args = ins.size === 2 && jaxpr.invars.every((v) => ins.has(v));
    const out = jaxpr.outvars.length === 1 && jaxpr.outvars[0] === eqn.outvars[0];
    return args && out ? (NAMED[eqn.prim.rules.name] ?? null) : null;
  } catch {
    return null; // the general path reports the body's own error
  }
}

/** body(a, b) on scalars, checked to give one scalar of the operand's dtype. */
function applyBody(op: string, body: WindowBody, a: NdArray, b: NdArray): NdArray {
  const r = body(a, b);
  const out = typeof r === "number" || typeof r === "boolean" ? asArray(r, a.dtype) : asArray(r, undefined, op);
  if (out.ndim !== 0) {
    throw new ShapeError(`[${op}] the computation must return a scalar: got ${out.aval.str()} for scalar arguments.`);
  }
  if (out.dtype !== a.dtype) {
    if (out.weakType) return convert(out, a.dtype);
    throw new DTypeError(
      `[${op}] the computation must return the operand's dtype: got ${out.aval.str()}, expected ${a.dtype}.`,
    );
  }
  return out;
}

interface Geometry {
  window: number[];
  strides: number[];
  pads: [number, number][];
  baseDilation: number[];
  windowDilation: number[];
}

/** Row-major multi-indices of a window. */
function windowOffsets(window: number[]): number[][] {
  let offsets: number[][] = [[]];
  for (const w of window) offsets = offsets.flatMap((o) => Array.from({ length: w }, (_, k) => [...o, k]));
  return offsets;
}

/**
 * The general body: pad (with base dilation as interior padding), take one strided slice per
 * window offset, then fold `acc = body(acc, x_k)` over the offsets with lax.scan, keeping acc
 * where x_k is padding or a dilation hole (XLA skips those elements).
 */
function reduceWindowGeneral(op: string, x: NdArray, init: NdArray, body: WindowBody, g: Geometry): NdArray {
  const config = g.pads.map(([lo, hi], d) => [lo, hi, g.baseDilation[d] - 1] as [number, number, number]);
  const padded = laxCore.pad(x, init, config);
  const holes = config.some(([lo, hi, interior]) => lo > 0 || hi > 0 || interior > 0);
  const valid = holes ? laxCore.pad(laxCore.full(x.aval.shape, true, "bool"), false, config) : null;
  const pshape = padded.aval.shape;
  const span = g.window.map((w, d) => (w - 1) * g.windowDilation[d] + 1);
  const outShape = pshape.map((p, d) => (p < span[d] ? 0 : Math.floor((p - span[d]) / g.strides[d]) + 1));
  const m = outShape.reduce((a, b) => a * b, 1);
  const scalarBody = (a: NdArray, b: NdArray): NdArray => applyBody(op, body, a, b);
  // Trace once on scalars so a faulty body fails the same way whatever the shapes.
  traceToJaxpr(([a, b]) => [scalarBody(a, b)], [init.aval, init.aval]);
  if (m === 0) return laxCore.broadcastInDim(init, outShape, []);
  const gather = (a: NdArray): NdArray => {
    const patches = windowOffsets(g.window).map((k) => {
      const start = k.map((kd, d) => kd * g.windowDilation[d]);
      const limit = start.map((s, d) => s + (outShape[d] - 1) * g.strides[d] + 1);
      return laxCore.reshape(laxCore.slice(a, start, limit, g.strides), [1, m]);
    });
    return laxCore.concatenate(patches, 0);
  };
  const step = vmap(scalarBody);
  const keep = (acc: NdArray, xk: NdArray, ok: NdArray): NdArray => laxCore.select(ok, step(acc, xk), acc);
  const acc0 = laxCore.broadcastInDim(init, [m], []);
  const [out] = valid
    ? scan((acc: NdArray, [xk, ok]: NdArray[]) => [keep(acc, xk, ok), null], acc0, [gather(padded), gather(valid)])
    : scan((acc: NdArray, xk: NdArray) => [step(acc, xk), null], acc0, gather(padded));
  return laxCore.reshape(out, outShape);
}

/** init_value as a scalar of the operand's dtype (a JS number takes that dtype, as a weak scalar). */
function initOf(op: string, x: NdArray, initValue: ArrayLike): NdArray {
  const init =
    typeof initValue === "number" || typeof initValue === "boolean"
      ? asArray(initValue, x.dtype, op)
      : asArray(initValue, undefined, op);
  if (init.ndim !== 0) throw new ShapeError(`[${op}] init_value must be a scalar: got ${init.aval.str()}.`);
  if (init.dtype !== x.dtype) {
    if (init.weakType) return convert(init, x.dtype);
    throw new DTypeError(
      `[${op}] reduce_window got inconsistent dtypes for operands and init_values: got operand ${x.aval.str()} and init_value ${init.aval.str()}.`,
    );
  }
  return init;
}

/** The named reductions need their identity as init_value (as JAX's monoid reducers do). */
function checkIdentity(op: string, reducer: Monoid, x: NdArray, init: NdArray): void {
  const identity = identityOf(reducer, x.dtype);
  const v = init instanceof Tracer ? NaN : Number(init.item());
  if (v !== identity) {
    throw new ArgumentTypeError(
      `[${op}] init_value must be the identity of ${reducer === "sum" ? "add" : reducer} for ${x.dtype}: ` +
        `got ${init instanceof Tracer ? init.aval.str() : v}, expected ${identity}. ` +
        `A different initial value can be combined afterwards (e.g. lax.max(result, init)), or pass lax.add/lax.max/lax.min.`,
    );
  }
}

/** The monoid fast path when the body is add/max/min and init_value its identity (JAX's _get_monoid_window_reducer). */
function fastMonoid(body: WindowBody, x: NdArray, init: NdArray): Monoid | null {
  if (init instanceof Tracer || x.dtype === "bool") return null;
  const reducer = monoidOf(body, x.dtype);
  return reducer !== null && Number(init.item()) === identityOf(reducer, x.dtype) ? reducer : null;
}

/**
 * `lax.reduce_window(operand, init_value, computation, window_dimensions, window_strides, padding,
 * base_dilation=None, window_dilation=None)`: the reduction of each window of the operand.
 * `computation` is `"add"`, `"max"` or `"min"` (init_value then must be its identity: 0, -inf, inf;
 * for integers the dtype's min or max) or any function of two scalars, as in JAX: lax.add, lax.max,
 * lax.min with their identity run as JAX's monoid reductions (max/min gradients go to the selected
 * element); any other body or init_value folds each window as XLA does, `acc = body(acc, x)` from
 * `acc = init_value` in row-major window order, padding skipped.
 * @example lax.reduceWindow(x, -Infinity, lax.max, [1, 1, 2, 2], [1, 1, 2, 2], "VALID") // 2×2 max pooling, NCHW
 * @example lax.reduceWindow(np.arange(10), 1, lax.mul, [2], [1], "VALID") // products of pairs
 */
export function reduceWindow(
  operand: ArrayLike,
  initValue: ArrayLike,
  computation: WindowComputation,
  windowDimensions: readonly number[],
  windowStrides: readonly number[],
  padding: ConvPadding,
  ...args: OptArgs<[(readonly number[] | null)?, (readonly number[] | null)?], ReduceWindowOptions>
): NdArray {
  const op = "lax.reduceWindow";
  const o = reduceWindowOptions.parse(args);
  const x = asArray(operand, undefined, op);
  const named = typeof computation === "string" ? NAMED[computation] : undefined;
  if (named === undefined && typeof computation !== "function") {
    throw new ArgumentTypeError(
      `[${op}] computation must be "add", "max", "min" or a function of two scalars (lax.add, lax.mul, ...): got ${describeValue(computation)}.`,
    );
  }
  if (x.dtype === "bool" && named !== undefined) {
    throw new DTypeError(
      `[${op}] operand must be a numeric array: got ${x.aval.str()}. Convert it first (x.astype("int32")).`,
    );
  }
  const init = initOf(op, x, initValue);
  const n = x.ndim;
  const ones = new Array<number>(n).fill(1);
  const window = positiveInts(op, windowDimensions, n, "window_dimensions");
  const strides = positiveInts(op, windowStrides, n, "window_strides");
  const baseDilation = o.baseDilation ? positiveInts(op, o.baseDilation, n, "base_dilation") : ones;
  const windowDilation = o.windowDilation ? positiveInts(op, o.windowDilation, n, "window_dilation") : ones;
  // "SAME" pads for the dilated window, as JAX's _reduce_window does.
  const span = window.map((w, d) => (w - 1) * windowDilation[d] + 1);
  const pads = padtypeToPads(op, [...x.aval.shape], span, strides, padding);
  const g = { window, strides, pads, baseDilation, windowDilation };
  if (named !== undefined) checkIdentity(op, named, x, init);
  const reducer = named ?? fastMonoid(computation as WindowBody, x, init);
  if (reducer === null) return reduceWindowGeneral(op, x, init, computation as WindowBody, g);
  return reduceWindowPrim(reducer, x, {
    windowDimensions: window,
    windowStrides: strides,
    padding: pads,
    baseDilation,
    windowDilation,
  });
}
