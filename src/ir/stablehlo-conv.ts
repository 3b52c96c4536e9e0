/**
 * StableHLO lowerings of convolution and the windowed primitives (reduce_window_*,
 * select_and_gather_add, select_and_scatter_add), as JAX lowers them.
 */
import { ShapedArray } from "../core/aval.js";
import { TransformError } from "../core/errors.js";
import type { StableHloEmitter } from "./stablehlo-emit.js";
import { monoidWindow, paddingAttr, reduceWindow, type WindowSpec } from "./stablehlo-ops.js";
import { reduceIdentity } from "./stablehlo-reduce.js";
import { i64Array, intList } from "./stablehlo-text.js";

/** The parameters of conv_general_dilated (specs: lhs/out [batch, feature, ...spatial], rhs [out, in, ...spatial]). */
export interface ConvSpec {
  windowStrides: number[];
  padding: [number, number][];
  lhsDilation: number[];
  rhsDilation: number[];
  lhsSpec: number[];
  rhsSpec: number[];
  outSpec: number[];
  featureGroupCount: number;
  batchGroupCount: number;
}

/** `[b, 0, 1, f]`: each axis of an operand labelled by its role. */
function dimLabels(spec: readonly number[], first: string, second: string): string {
  const labels: string[] = new Array<string>(spec.length);
  labels[spec[0]] = first;
  labels[spec[1]] = second;
  spec.slice(2).forEach((axis, k) => (labels[axis] = String(k)));
  return `[${labels.join(", ")}]`;
}

/** `stablehlo.convolution(%lhs, %rhs) dim_numbers = [b, f, 0, 1]x[o, i, 0, 1]->[b, f, 0, 1], window = {...}`. */
export function lowerConv(c: StableHloEmitter, [l, r]: string[], p: ConvSpec): string {
  const dims = `${dimLabels(p.lhsSpec, "b", "f")}x${dimLabels(p.rhsSpec, "o", "i")}->${dimLabels(p.outSpec, "b", "f")}`;
  const pad = `[${p.padding.map(([lo, hi]) => `[${lo}, ${hi}]`).join(", ")}]`;
  const window = `{stride = ${intList(p.windowStrides)}, pad = ${pad}, lhs_dilate = ${intList(p.lhsDilation)}, rhs_dilate = ${intList(p.rhsDilation)}}`;
  const attrs =
    `{batch_group_count = ${p.batchGroupCount} : i64, feature_group_count = ${p.featureGroupCount} : i64, ` +
    `precision_config = [#stablehlo<precision DEFAULT>, #stablehlo<precision DEFAULT>]}`;
  return c.op(
    `stablehlo.convolution(${l}, ${r}) dim_numbers = ${dims}, window = ${window} ${attrs} : ${c.fnType(c.inAvals, c.outAvals)}`,
  )[0];
}

/** The window of a windowed primitive, one entry per operand axis. */
export interface WindowParamsLike {
  windowDimensions: number[];
  windowStrides: number[];
  padding: [number, number][];
  baseDilation: number[];
  windowDilation: number[];
}

const spec = (p: WindowParamsLike): WindowSpec => ({
  dimensions: p.windowDimensions,
  strides: p.windowStrides,
  padding: p.padding,
  baseDilations: p.baseDilation,
  windowDilations: p.windowDilation,
});

/** reduce_window_{sum,max,min}: a reduce_window with the monoid's op and identity as init. */
export function lowerReduceWindow(
  c: StableHloEmitter,
  kind: "sum" | "max" | "min",
  x: string,
  p: WindowParamsLike,
): string {
  return monoidWindow(c, kind, x, c.inAvals[0].withWeak(false), c.outAvals[0], spec(p));
}

/**
 * select_and_gather_add(t, x): per window, t where x is largest (smallest). A reduce_window over
 * (x, t) whose body keeps the pair with the larger (smaller) x, as JAX's variadic lowering.
 */
export function lowerSelectAndGather(
  c: StableHloEmitter,
  [t, x]: string[],
  select: "max" | "min",
  p: WindowParamsLike,
): string {
  const [ta, xa] = c.inAvals.map((a) => a.withWeak(false));
  const xs = xa.withShape([]);
  const ts = ta.withShape([]);
  const xInit = c.constant(reduceIdentity(select, xa.dtype), xs);
  const tInit = c.constant(0, ts);
  const outs = [c.outAvals[0].withShape(c.outAvals[0].shape).withWeak(false)];
  const xOut = new ShapedArray(outs[0].shape, xa.dtype);
  const res = reduceWindow(c, [x, t], [xInit, tInit], [xa, ta], [xOut, outs[0]], spec(p), ([ax, at], [bx, bt]) => {
    const pick = c.compare(select === "max" ? "GE" : "LE", ax, bx, xs);
    return [c.select(pick, ax, bx, xs), c.select(pick, at, bt, ts)];
  });
  return res[1];
}

/**
 * select_and_scatter_add(ct, x): `stablehlo.select_and_scatter`, selecting with GE (LE) and
 * scattering with add. StableHLO's op has no dilations: dilated windows are refused.
 */
export function lowerSelectAndScatter(
  c: StableHloEmitter,
  [ct, x]: string[],
  select: "max" | "min",
  p: WindowParamsLike,
): string {
  if (p.baseDilation.some((d) => d !== 1) || p.windowDilation.some((d) => d !== 1)) {
    throw new TransformError(
      `[stablehlo.export] select_and_scatter_add with dilated windows has no StableHLO op: got base dilation ` +
        `${intList(p.baseDilation)} and window dilation ${intList(p.windowDilation)}, expected all 1.`,
    );
  }
  const [cta, xa] = c.inAvals.map((a) => a.withWeak(false));
  const xs = xa.withShape([]);
  const cs = cta.withShape([]);
  const zero = c.constant(0, cs);
  const attrs = `padding = ${paddingAttr(p.padding)}, window_dimensions = ${i64Array(p.windowDimensions)}, window_strides = ${i64Array(p.windowStrides)}`;
  const bool = new ShapedArray([], "bool");
  return c.generic("stablehlo.select_and_scatter", [x, ct, zero], [xa, cta, cs], c.outAvals, attrs, [
    () => c.region([xs, xs], [bool], ([a, b]) => [c.compare(select === "max" ? "GE" : "LE", a, b, xs)]),
    () => c.region([cs, cs], [cs], ([a, b]) => [c.binary("add", a, b, cs)]),
  ])[0];
}
