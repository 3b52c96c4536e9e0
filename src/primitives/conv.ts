/**
 * conv_general_dilated and the windowed reductions (reduce_window_sum/max/min, with
 * select_and_gather_add / select_and_scatter_add for max/min's derivative), as JAX's
 * lax/convolution.py and lax/windowed_reductions.py declare them.
 */
import type { RoutineOf } from "../kernel/routines.js";
import { ShapedArray, shapeStr } from "../core/aval.js";
import type { NdArray } from "../core/array.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { definePrimitive, UndefinedPrimal, type Primitive } from "../core/primitive.js";
import { bind1, Zero, type MaybeZero } from "../core/trace.js";
import { lowerConv, lowerReduceWindow, lowerSelectAndGather, lowerSelectAndScatter } from "../ir/stablehlo-conv.js";
import type { WindowParams } from "../kernel/routines.js";
import { batchFirst, moveAxis } from "./batching.js";
import { add, scalarLike } from "./elementwise.js";
import { pad, rev } from "./slicing.js";
import { reshape, transpose } from "./structural.js";
import { range } from "./shapes.js";

export type { WindowParams };

/** The convolution's static parameters: those of its routine (kernel/routines.ts). */
export type ConvParams = Omit<RoutineOf<"conv_general_dilated">, "name">;

/** The size of an axis of n elements with (d - 1) holes between neighbours. */
export const dilateDim = (n: number, d: number): number => (n === 0 ? 0 : 1 + d * (n - 1));

/** Output size of a window of (dilated) size w sliding with `stride` over n (padded) elements. */
const strideDim = (n: number, w: number, stride: number): number => (n < w ? 0 : Math.floor((n - w) / stride) + 1);

const take = (shape: readonly number[], axes: readonly number[]): number[] => axes.map((a) => shape[a]);

function convShape(l: ShapedArray, r: ShapedArray, p: ConvParams): number[] {
  const op = "conv_general_dilated";
  const fail = (what: string) => {
    throw new ShapeError(`[${op}] ${what} (lhs ${l.str()}, rhs ${r.str()}).`);
  };
  if (l.ndim !== r.ndim) fail(`lhs and rhs must have the same number of dimensions: got ${l.ndim} and ${r.ndim}`);
  const { featureGroupCount: fgc, batchGroupCount: bgc, lhsSpec, rhsSpec, outSpec } = p;
  const sp = l.ndim - 2;
  const lens = [p.windowStrides, p.padding, p.lhsDilation, p.rhsDilation].map((v) => v.length);
  if (l.ndim < 2 || lens.some((n) => n !== sp) || [lhsSpec, rhsSpec, outSpec].some((s) => s.length !== l.ndim)) {
    fail(`window_strides, padding, dilations and dimension numbers must have one entry per spatial axis (${sp})`);
  }
  const C = l.shape[lhsSpec[1]];
  const I = r.shape[rhsSpec[1]];
  const O = r.shape[rhsSpec[0]];
  const N = l.shape[lhsSpec[0]];
  if (fgc > 1 && bgc > 1) {
    fail(`at most one of batch_group_count and feature_group_count may be > 1, got ${bgc} and ${fgc}`);
  }
  if (C % fgc !== 0)
    fail(`feature_group_count must divide lhs feature dimension size, but ${fgc} does not divide ${C}`);
  if (C / fgc !== I) {
    fail(
      `lhs feature dimension size divided by feature_group_count must equal the rhs input feature dimension size, but ${C} // ${fgc} != ${I}`,
    );
  }
  if (O % fgc !== 0 || O % bgc !== 0) {
    fail(
      `rhs output feature dimension size must be a multiple of feature_group_count and batch_group_count, but ${O} is not a multiple of ${Math.max(fgc, bgc)}`,
    );
  }
  if (N % bgc !== 0) fail(`batch_group_count must divide lhs batch dimension size, but ${bgc} does not divide ${N}`);
  const lSp = take(l.shape, lhsSpec.slice(2)).map((n, d) => dilateDim(n, p.lhsDilation[d]));
  const kSp = take(r.shape, rhsSpec.slice(2)).map((n, d) => dilateDim(n, p.rhsDilation[d]));
  const padded = lSp.map((n, d) => n + p.padding[d][0] + p.padding[d][1]);
  if (padded.some((n) => n < 0)) {
    fail(
      `negative padding is larger than the size of the corresponding dimension: got padding ${JSON.stringify(p.padding)}`,
    );
  }
  const outTrans = [N / bgc, O, ...padded.map((n, d) => strideDim(n, kSp[d], p.windowStrides[d]))];
  const shape = new Array<number>(l.ndim);
  outSpec.forEach((a, i) => (shape[a] = outTrans[i]));
  return shape;
}

export const convGeneralDilatedP: Primitive = definePrimitive<ConvParams>({
  name: "conv_general_dilated",
  abstractEval([l, r], p) {
    if (l.dtype !== r.dtype || l.dtype === "bool") {
      throw new DTypeError(
        `[conv_general_dilated] operands must share a numeric dtype: got ${l.str()} and ${r.str()}, expected equal dtypes.`,
      );
    }
    return new ShapedArray(convShape(l, r, p), l.dtype, l.weakType && r.weakType);
  },
  lower: (_avals, p) => ({ name: "conv_general_dilated", ...p }),
  jvp([l, r], [tl, tr], p) {
    // Bilinear: d conv(l, r) = conv(dl, r) + conv(l, dr).
    const out = convGeneralDilated(l, r, p);
    let t: MaybeZero = new Zero(out.aval);
    if (!(tl instanceof Zero)) t = convGeneralDilated(tl, r, p);
    if (!(tr instanceof Zero)) {
      const term = convGeneralDilated(l, tr, p);
      t = t instanceof Zero ? term : add(t, term);
    }
    return [out, t];
  },
  transpose(ct, [l, r], p) {
    if (l instanceof UndefinedPrimal && r instanceof UndefinedPrimal) {
      throw new Error("[transpose] conv_general_dilated of two tangents is not linear");
    }
    if (l instanceof UndefinedPrimal) return [transposeLhs(ct, l.aval, r as NdArray, p), null];
    return [null, transposeRhs(ct, l as NdArray, (r as UndefinedPrimal).aval, p)];
  },
  vmap: ([l, r], [dl, dr], p) => convBatch(l, r, dl, dr, p),
  printParams: (p) => ({
    window_strides: p.windowStrides,
    padding: p.padding,
    lhs_dilation: p.lhsDilation,
    rhs_dilation: p.rhsDilation,
    dimension_numbers: `ConvDimensionNumbers(lhs_spec=${shapeStr(p.lhsSpec)}, rhs_spec=${shapeStr(p.rhsSpec)}, out_spec=${shapeStr(p.outSpec)})`,
    feature_group_count: p.featureGroupCount,
    batch_group_count: p.batchGroupCount,
    precision: null,
    preferred_element_type: null,
  }),
  stablehlo: (c, xs, p) => lowerConv(c, xs, p),
});

export function convGeneralDilated(l: NdArray, r: NdArray, p: ConvParams): NdArray {
  return bind1(convGeneralDilatedP, [l, r], p as never);
}

/** Moves axis `src` next to `dst` (numbered after removing src) and merges them, src major. */
function reshapeAxisInto(src: number, dst: number, x: NdArray): NdArray {
  const perm = range(x.ndim).filter((i) => i !== src);
  perm.splice(dst, 0, src);
  const shape = x.aval.shape.filter((_, i) => i !== src);
  shape[dst] *= x.aval.shape[src];
  return reshape(transpose(x, perm), shape);
}

/** Splits axis `src` into [size1, rest]. */
function reshapeAxisOutOf(src: number, size1: number, x: NdArray): NdArray {
  const shape = [...x.aval.shape];
  shape.splice(src, 1, size1, shape[src] / size1);
  return reshape(x, shape);
}

const swap01 = (s: number[]): number[] => [s[1], s[0], ...s.slice(2)];

function vjpLhsPadding(
  inShape: number[],
  window: number[],
  strides: number[],
  outShape: number[],
  padding: [number, number][],
  lhsDil: number[],
  rhsDil: number[],
): [number, number][] {
  return inShape.map((n, d) => {
    const ld = dilateDim(n, lhsDil[d]);
    const rd = dilateDim(window[d], rhsDil[d]);
    const od = dilateDim(outShape[d], strides[d]);
    const before = rd - padding[d][0] - 1;
    return [before, ld + rd - 1 - od - before];
  });
}

function vjpRhsPadding(
  inShape: number[],
  window: number[],
  strides: number[],
  outShape: number[],
  padding: [number, number][],
  lhsDil: number[],
  rhsDil: number[],
): [number, number][] {
  return inShape.map((n, d) => {
    const ld = dilateDim(n, lhsDil[d]);
    const rd = dilateDim(window[d], rhsDil[d]);
    const od = dilateDim(outShape[d], strides[d]);
    const lo = padding[d][0];
    return [lo, od - ld + (rd - lo - 1)];
  });
}

/** JAX's _conv_general_dilated_transpose_lhs: a convolution of ct with the flipped kernel. */
function transposeLhs(g: NdArray, lAval: ShapedArray, rhs: NdArray, p: ConvParams): NdArray {
  const { lhsSpec, rhsSpec, outSpec, batchGroupCount: bgc } = p;
  let fgc = p.featureGroupCount;
  let r = rhs;
  if (fgc > 1) {
    r = reshapeAxisInto(rhsSpec[0], rhsSpec[1], reshapeAxisOutOf(rhsSpec[0], fgc, r));
  } else if (bgc > 1) {
    r = reshapeAxisInto(rhsSpec[0], rhsSpec[1], reshapeAxisOutOf(rhsSpec[0], bgc, r));
    fgc = bgc;
  }
  const padding = vjpLhsPadding(
    take(lAval.shape, lhsSpec.slice(2)),
    take(rhs.aval.shape, rhsSpec.slice(2)),
    p.windowStrides,
    take(g.aval.shape, outSpec.slice(2)),
    p.padding,
    p.lhsDilation,
    p.rhsDilation,
  );
  let out = convGeneralDilated(g, rev(r, rhsSpec.slice(2)), {
    windowStrides: p.lhsDilation,
    padding,
    lhsDilation: p.windowStrides,
    rhsDilation: p.rhsDilation,
    lhsSpec: outSpec,
    rhsSpec: swap01(rhsSpec),
    outSpec: lhsSpec,
    featureGroupCount: fgc,
    batchGroupCount: 1,
  });
  if (bgc > 1) out = reshapeAxisInto(lhsSpec[1], lhsSpec[0], reshapeAxisOutOf(lhsSpec[1], bgc, out));
  return out;
}

/** JAX's _conv_general_dilated_transpose_rhs: a convolution of lhs with ct, groups swapped. */
function transposeRhs(g: NdArray, lhs: NdArray, rAval: ShapedArray, p: ConvParams): MaybeZero {
  if (g.aval.size === 0) return new Zero(rAval);
  const { lhsSpec, rhsSpec, outSpec } = p;
  let fgc = p.featureGroupCount;
  let bgc = p.batchGroupCount;
  if (bgc > 1) {
    fgc = bgc;
    bgc = 1;
  } else if (fgc > 1) {
    bgc = fgc;
    fgc = 1;
  }
  const padding = vjpRhsPadding(
    take(lhs.aval.shape, lhsSpec.slice(2)),
    take(rAval.shape, rhsSpec.slice(2)),
    p.windowStrides,
    take(g.aval.shape, outSpec.slice(2)),
    p.padding,
    p.lhsDilation,
    p.rhsDilation,
  );
  return convGeneralDilated(lhs, g, {
    windowStrides: p.rhsDilation,
    padding,
    lhsDilation: p.lhsDilation,
    rhsDilation: p.windowStrides,
    lhsSpec: swap01(lhsSpec),
    rhsSpec: swap01(outSpec),
    outSpec: swap01(rhsSpec),
    featureGroupCount: fgc,
    batchGroupCount: bgc,
  });
}

/** JAX's _conv_general_dilated_batch_rule: the batch axis folded into a batch, feature or group axis. */
function convBatch(lhs: NdArray, rhs: NdArray, dl: number | null, dr: number | null, p: ConvParams): [NdArray, number] {
  const { lhsSpec, rhsSpec, outSpec } = p;
  const bgc = p.batchGroupCount;
  const fgc = p.featureGroupCount;
  if (dl !== null && dr !== null) {
    const B = lhs.aval.shape[dl];
    let newL: NdArray;
    const q = { ...p };
    if (bgc > 1) {
      newL = reshapeAxisInto(dl, lhsSpec[0], lhs);
      q.batchGroupCount = bgc * B;
    } else {
      newL = reshapeAxisInto(dl, lhsSpec[1], lhs);
      q.featureGroupCount = fgc * B;
    }
    const out = convGeneralDilated(newL, reshapeAxisInto(dr, rhsSpec[0], rhs), q);
    return [reshapeAxisOutOf(outSpec[1], B, out), outSpec[1]];
  }
  if (dl !== null) {
    const B = lhs.aval.shape[dl];
    if (bgc === 1) {
      const out = convGeneralDilated(reshapeAxisInto(dl, lhsSpec[0], lhs), rhs, p);
      return [reshapeAxisOutOf(outSpec[0], B, out), outSpec[0]];
    }
    let newL = reshapeAxisOutOf(lhsSpec[0] + (dl <= lhsSpec[0] ? 1 : 0), bgc, lhs);
    newL = reshapeAxisInto(dl + (lhsSpec[0] < dl ? 1 : 0), lhsSpec[0] + 1, newL);
    newL = reshapeAxisInto(lhsSpec[0], lhsSpec[0], newL);
    const out = convGeneralDilated(newL, rhs, p);
    return [reshapeAxisOutOf(outSpec[0], B, out), outSpec[0]];
  }
  const B = rhs.aval.shape[dr!];
  if (fgc === 1 && bgc === 1) {
    const out = convGeneralDilated(lhs, reshapeAxisInto(dr!, rhsSpec[0], rhs), p);
    return [reshapeAxisOutOf(outSpec[1], B, out), outSpec[1]];
  }
  // Groups outermost: factor them out of the output features, fold the batch in, put them back.
  const groups = fgc > 1 ? fgc : bgc;
  let newR = reshapeAxisOutOf(rhsSpec[0] + (dr! <= rhsSpec[0] ? 1 : 0), groups, rhs);
  newR = reshapeAxisInto(dr! + (rhsSpec[0] < dr! ? 1 : 0), rhsSpec[0] + 1, newR);
  newR = reshapeAxisInto(rhsSpec[0], rhsSpec[0], newR);
  let out = convGeneralDilated(lhs, newR, p);
  out = reshapeAxisOutOf(outSpec[1], groups, out);
  out = reshapeAxisOutOf(outSpec[1] + 1, B, out);
  out = reshapeAxisInto(outSpec[1], outSpec[1] + 1, out);
  return [out, outSpec[1]];
}

// --- windowed reductions ------------------------------------------------------------

/** The output shape of a window sliding over every axis (JAX's reduce_window_shape_tuple). */
export function windowShape(op: string, shape: readonly number[], p: WindowParams): number[] {
  const fields = [p.windowDimensions, p.windowStrides, p.padding, p.baseDilation, p.windowDilation];
  if (fields.some((f) => f.length !== shape.length)) {
    throw new ShapeError(
      `[${op}] window_dimensions, window_strides, padding and dilations must have one entry per operand axis: ` +
        `got operand shape ${shapeStr(shape)} and window ${shapeStr(p.windowDimensions)}.`,
    );
  }
  return shape.map((n, d) => {
    const padded = dilateDim(n, p.baseDilation[d]) + p.padding[d][0] + p.padding[d][1];
    if (padded < 0) {
      throw new ShapeError(
        `[${op}] negative padding is larger than the size of the corresponding dimension: got padding ` +
          `${JSON.stringify(p.padding)} for operand shape ${shapeStr(shape)}.`,
      );
    }
    return strideDim(padded, dilateDim(p.windowDimensions[d], p.windowDilation[d]), p.windowStrides[d]);
  });
}

const windowOf = (p: WindowParams): WindowParams => ({
  windowDimensions: p.windowDimensions,
  windowStrides: p.windowStrides,
  padding: p.padding,
  baseDilation: p.baseDilation,
  windowDilation: p.windowDilation,
});

/** The window with a leading axis of size 1 (a batch axis moved first). */
const batchedWindow = (p: WindowParams): WindowParams => ({
  windowDimensions: [1, ...p.windowDimensions],
  windowStrides: [1, ...p.windowStrides],
  padding: [[0, 0], ...p.padding],
  baseDilation: [1, ...p.baseDilation],
  windowDilation: [1, ...p.windowDilation],
});

const windowPrintParams = (p: WindowParams) => ({
  window_dimensions: p.windowDimensions,
  window_strides: p.windowStrides,
  padding: p.padding,
  base_dilation: p.baseDilation,
  window_dilation: p.windowDilation,
});

function defineReduceWindow(reducer: "sum" | "max" | "min"): Primitive {
  const name = `reduce_window_${reducer}`;
  const prim: Primitive = definePrimitive<WindowParams>({
    name,
    abstractEval: ([x], p) => {
      if (reducer === "sum" && x.dtype === "bool") {
        throw new DTypeError(
          `[${name}] operand to ${name} must have a number dtype, got bool. Cast it first: x.astype("int32").`,
        );
      }
      return new ShapedArray(windowShape(name, x.shape, p), x.dtype, x.weakType);
    },
    lower: (_avals, p) => ({ name: "reduce_window", reducer, ...windowOf(p) }),
    jvp:
      reducer === "sum"
        ? ([x], [t], p) => [reduceWindow("sum", x, p), reduceWindow("sum", t as NdArray, p)]
        : // JAX's chooser rule: the tangent at each window's max (min).
          ([x], [t], p) => [reduceWindow(reducer, x, p), selectAndGatherAdd(t as NdArray, x, reducer, p)],
    transpose:
      reducer === "sum"
        ? (ct, [x], p) => [reduceWindowSumTranspose(ct, (x as UndefinedPrimal).aval.shape, p)]
        : undefined,
    vmap: ([x], [d], p) => [reduceWindow(reducer, moveAxis(x, d!, 0), batchedWindow(p)), 0],
    printParams: windowPrintParams,
    stablehlo: (c, [x], p) => lowerReduceWindow(c, reducer, x, p),
  });
  return prim;
}

export const reduceWindowSumP = defineReduceWindow("sum");
export const reduceWindowMaxP = defineReduceWindow("max");
export const reduceWindowMinP = defineReduceWindow("min");

export function reduceWindow(reducer: "sum" | "max" | "min", x: NdArray, p: WindowParams): NdArray {
  const prim = reducer === "sum" ? reduceWindowSumP : reducer === "max" ? reduceWindowMaxP : reduceWindowMinP;
  return bind1(prim, [x], windowOf(p) as never);
}

/** JAX's _reduce_window_sum_transpose_rule: pad the cotangent (strides as holes), then sum windows again. */
function reduceWindowSumTranspose(ct: NdArray, shape: readonly number[], p: WindowParams): NdArray {
  const pads = vjpLhsPadding(
    [...shape],
    p.windowDimensions,
    p.windowStrides,
    [...ct.aval.shape],
    p.padding,
    p.baseDilation,
    p.windowDilation,
  );
  const padded = pad(
    ct,
    scalarLike(0, ct),
    pads.map(([lo, hi], d): [number, number, number] => [lo, hi, p.windowStrides[d] - 1]),
  );
  return reduceWindow("sum", padded, {
    windowDimensions: p.windowDimensions,
    windowStrides: p.baseDilation,
    padding: shape.map((): [number, number] => [0, 0]),
    baseDilation: shape.map(() => 1),
    windowDilation: p.windowDilation,
  });
}

interface SelectParams extends WindowParams {
  select: "max" | "min";
}

/** Batching for (linear operand, x): both with the batch axis first, the window one axis longer. */
function vmapSelect(prim: Primitive) {
  return ([a, x]: NdArray[], [da, dx]: (number | null)[], p: SelectParams, size: number): [NdArray, number] => [
    bind1(prim, [batchFirst(a, da, size), batchFirst(x, dx, size)], {
      select: p.select,
      ...batchedWindow(p),
    } as never),
    0,
  ];
}

export const selectAndGatherAddP: Primitive = definePrimitive<SelectParams>({
  name: "select_and_gather_add",
  abstractEval([t, x], p) {
    if (t.dtype !== x.dtype || !t.shape.every((n, i) => n === x.shape[i]) || t.ndim !== x.ndim) {
      throw new ShapeError(`[select_and_gather_add] tangent ${t.str()} and operand ${x.str()} must match.`);
    }
    return new ShapedArray(windowShape("select_and_gather_add", x.shape, p), t.dtype, t.weakType);
  },
  lower: (_avals, p) => ({ name: "select_and_gather_add", select: p.select, ...windowOf(p) }),
  // Linear in t; the selection is piecewise constant in x.
  jvp: ([t, x], [dt], p) => [
    selectAndGatherAdd(t, x, p.select, p),
    dt instanceof Zero ? new Zero(selectAndGatherAdd(t, x, p.select, p).aval) : selectAndGatherAdd(dt, x, p.select, p),
  ],
  transpose: (ct, [, x], p) => [selectAndScatterAdd(ct, x as NdArray, p.select, p), null],
  vmap: (args, dims, p, size) => vmapSelect(selectAndGatherAddP)(args, dims, p, size),
  printParams: (p) => ({ select_prim: p.select === "max" ? "ge" : "le", ...windowPrintParams(p) }),
  stablehlo: (c, xs, p) => lowerSelectAndGather(c, xs, p.select, p),
});

export const selectAndScatterAddP: Primitive = definePrimitive<SelectParams>({
  name: "select_and_scatter_add",
  abstractEval([ct, x], p) {
    const expected = windowShape("select_and_scatter_add", x.shape, p);
    if (ct.dtype !== x.dtype || ct.ndim !== x.ndim || !ct.shape.every((n, i) => n === expected[i])) {
      throw new ShapeError(
        `[select_and_scatter_add] cotangent ${ct.str()} must have the windows' shape ${shapeStr(expected)} and x's dtype ${x.dtype}.`,
      );
    }
    return new ShapedArray(x.shape, ct.dtype, ct.weakType);
  },
  lower: (_avals, p) => ({ name: "select_and_scatter_add", select: p.select, ...windowOf(p) }),
  jvp: ([ct, x], [dct], p) => [
    selectAndScatterAdd(ct, x, p.select, p),
    dct instanceof Zero ? new Zero(x.aval) : selectAndScatterAdd(dct, x, p.select, p),
  ],
  transpose: (ct, [, x], p) => [selectAndGatherAdd(ct, x as NdArray, p.select, p), null],
  vmap: (args, dims, p, size) => vmapSelect(selectAndScatterAddP)(args, dims, p, size),
  printParams: (p) => ({ select_prim: p.select === "max" ? "ge" : "le", ...windowPrintParams(p) }),
  stablehlo: (c, xs, p) => lowerSelectAndScatter(c, xs, p.select, p),
});

/** Per window of x, the value of t where x is largest (smallest); 0 for an empty window. */
export function selectAndGatherAdd(t: NdArray, x: NdArray, select: "max" | "min", p: WindowParams): NdArray {
  return bind1(selectAndGatherAddP, [t, x], { select, ...windowOf(p) } as never);
}

/** Each window's ct added where x is largest (smallest) in that window. */
export function selectAndScatterAdd(ct: NdArray, x: NdArray, select: "max" | "min", p: WindowParams): NdArray {
  return bind1(selectAndScatterAddP, [ct, x], { select, ...windowOf(p) } as never);
}
