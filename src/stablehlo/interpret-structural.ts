/**
 * Structural StableHLO ops as cotangent primitives: broadcast_in_dim, reshape, transpose,
 * slice, dynamic_slice, dynamic_update_slice, concatenate, pad, reverse, dot_general, dot,
 * convolution, optimization_barrier. Gather and scatter are in interpret-gather.ts.
 */
import type { NdArray } from "../core/array.js";
import * as ew from "../primitives/elementwise.js";
import { broadcastInDim, reshape, transpose } from "../primitives/structural.js";
import { concatenate, pad, rev, slice } from "../primitives/slicing.js";
import { dotGeneral } from "../primitives/dot.js";
import { convGeneralDilated } from "../primitives/conv.js";
import { optimizationBarrier } from "../primitives/optimization-barrier.js";
import { intsOf, type Attr } from "./parse-attrs.js";
import type { Op } from "./parse-ops.js";
import { attr, dictInts, dtypeOf, int, ints, opError, outType, word, type Handler } from "./interpret-util.js";
import { triangularSolve } from "../primitives/linalg-solve.js";
import { gatherGeneral, scatterGeneral } from "./interpret-gather.js";

/** `slice %x [0:2, 1:3:2]` (pretty) or start_indices / limit_indices / strides (generic). */
function sliceOp(op: Op, x: NdArray): NdArray {
  const spec = op.words.find((w) => w.kind === "list");
  if (spec?.kind === "list" && spec.items.every((s) => s.kind === "slice")) {
    const items = spec.items as Extract<Attr, { kind: "slice" }>[];
    return slice(x, {
      startIndices: items.map((s) => s.start),
      limitIndices: items.map((s) => s.limit),
      strides: items.map((s) => s.stride),
    });
  }
  return slice(x, {
    startIndices: ints(op, ["start_indices"]),
    limitIndices: ints(op, ["limit_indices"]),
    strides: ints(op, ["strides"], new Array<number>(x.ndim).fill(1)),
  });
}

/** Start indices of dynamic_slice / dynamic_update_slice, clamped so that the window fits (StableHLO's rule). */
function clampedStarts(starts: NdArray[], dims: readonly number[], sizes: readonly number[]): NdArray {
  const cols = starts.map((s, d) => {
    const i = ew.convert(s, "int32");
    const hi = Math.max(dims[d] - sizes[d], 0);
    return reshape(ew.min(ew.max(i, ew.scalarLike(0, i)), ew.scalarLike(hi, i)), [1]);
  });
  return concatenate(cols, 0);
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function dynamicSlice(op: Op, [x, ...starts]: NdArray[]): NdArray {
  const sizes = ints(op, ["sizes", "slice_sizes"]);
  if (x.ndim === 0) return x;
  const idx = clampedStarts(starts, x.shape, sizes);
  const all = range(x.ndim);
  return gatherGeneral(x, idx, {
    offsetDims: all,
    collapsedSliceDims: [],
    startIndexMap: all,
    operandBatchingDims: [],
    startIndicesBatchingDims: [],
    indexVectorDim: 0,
    sliceSizes: sizes,
  });
}

function dynamicUpdateSlice(_op: Op, [x, u, ...starts]: NdArray[]): NdArray {
  if (x.ndim === 0) return u;
  const idx = clampedStarts(starts, x.shape, u.shape);
  const all = range(x.ndim);
  return scatterGeneral(
    x,
    idx,
    u,
    {
      updateWindowDims: all,
      insertedWindowDims: [],
      scatterDimsToOperandDims: all,
      inputBatchingDims: [],
      scatterIndicesBatchingDims: [],
      indexVectorDim: 0,
    },
    "set",
  );
}

/** dot_general's dimension numbers: pretty `batching_dims = [0] x [0], contracting_dims = [2] x [1]` or generic. */
function dotDims(op: Op): { contracting: [number[], number[]]; batch: [number[], number[]] } {
  const pair = (a: Attr | undefined): [number[], number[]] => {
    if (a?.kind !== "pair") return [[], []];
    return [intsOf(a.parts[0]) ?? [], intsOf(a.parts[1]) ?? []];
  };
  const dn = attr(op, "dot_dimension_numbers");
  if (dn?.kind === "dict") {
    return {
      contracting: [dictInts(dn, "lhs_contracting_dimensions"), dictInts(dn, "rhs_contracting_dimensions")],
      batch: [dictInts(dn, "lhs_batching_dimensions"), dictInts(dn, "rhs_batching_dimensions")],
    };
  }
  return { contracting: pair(attr(op, "contracting_dims")), batch: pair(attr(op, "batching_dims")) };
}

/** Operands in the result's element type (dot_general and convolution may name a wider one). */
function inResultType(op: Op, xs: NdArray[]): NdArray[] {
  const d = dtypeOf(outType(op));
  return xs.map((x) => (x.dtype === d ? x : ew.convert(x, d)));
}

/** `[b, 0, 1, f]` as [batch axis, feature axis, ...spatial axes] (rhs: `[o, i, 0, 1]` as [out, in, ...spatial]). */
function layout(op: Op, spec: Attr | undefined, first: string, second: string): number[] {
  if (spec?.kind !== "list")
    throw opError(op, "malformed dimension numbers", ": expected a layout such as [b, 0, 1, f].");
  const at = (name: string | number) =>
    spec.items.findIndex((a) => (a.kind === "keyword" ? a.value === name : a.kind === "int" && a.value === name));
  const spatial = spec.items.length - 2;
  const out = [at(first), at(second), ...range(spatial).map((k) => at(k))];
  if (out.some((k) => k < 0))
    throw opError(op, "malformed dimension numbers", `: expected ${first}, ${second} and 0..${spatial - 1}.`);
  return out;
}

function convolution(op: Op, xs: NdArray[]): NdArray {
  const [l, r] = inResultType(op, xs);
  const dn = attr(op, "dim_numbers", "dimension_numbers");
  if (dn?.kind !== "pair" || dn.parts.length !== 3) {
    throw opError(op, "no dimension numbers", ": expected dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f].");
  }
  const sp = l.ndim - 2;
  const win = attr(op, "window");
  const w = (key: string, generic: string, fill: number): number[] => {
    const v = win?.kind === "dict" ? intsOf(flat(win.entries.get(key))) : intsOf(flat(attr(op, generic)));
    return v ?? new Array<number>(key === "pad" ? 2 * sp : sp).fill(fill);
  };
  const reversal = win?.kind === "dict" ? win.entries.get("reverse") : attr(op, "window_reversal");
  if (isTrue(reversal)) {
    throw opError(op, "window reversal is not supported", ": expected no reversed window dimensions.");
  }
  const pads = w("pad", "padding", 0);
  return convGeneralDilated(l, r, {
    windowStrides: w("stride", "window_strides", 1),
    padding: range(sp).map((d) => [pads[2 * d], pads[2 * d + 1]] as [number, number]),
    lhsDilation: w("lhs_dilate", "lhs_dilation", 1),
    rhsDilation: w("rhs_dilate", "rhs_dilation", 1),
    lhsSpec: layout(op, dn.parts[0], "b", "f"),
    rhsSpec: layout(op, dn.parts[1], "o", "i"),
    outSpec: layout(op, dn.parts[2], "b", "f"),
    featureGroupCount: int(op, ["feature_group_count"], 1),
    batchGroupCount: int(op, ["batch_group_count"], 1),
  });
}

/** pad, where negative low/high padding removes elements: pad by the positive parts, then slice. */
function padNegative(x: NdArray, v: NdArray, lo: number[], hi: number[], mid: number[]): NdArray {
  const padded = pad(
    x,
    v,
    lo.map((l, d) => [Math.max(l, 0), Math.max(hi[d], 0), mid[d]] as [number, number, number]),
  );
  if (lo.every((l) => l >= 0) && hi.every((h) => h >= 0)) return padded;
  return slice(padded, {
    startIndices: lo.map((l) => Math.max(-l, 0)),
    limitIndices: padded.shape.map((n, d) => n - Math.max(-hi[d], 0)),
    strides: padded.shape.map(() => 1),
  });
}

/** Whether a boolean list attribute (`[true, false]`, `array<i1: ...>`, `dense<...>`) holds a true. */
function isTrue(a: Attr | undefined): boolean {
  if (a?.kind === "list")
    return a.items.some((b) => (b.kind === "bool" && b.value) || (b.kind === "int" && b.value !== 0));
  if (a?.kind === "dense" && a.content.kind === "values") return a.content.values.some((v) => v === true || v === "1");
  return false;
}

/** Nested integer lists flattened (`[[1, 1], [2, 2]]`). */
function flat(a: Attr | undefined): Attr | undefined {
  if (a?.kind !== "list" || !a.items.some((x) => x.kind === "list")) return a;
  return { kind: "list", items: a.items.flatMap((x) => (x.kind === "list" ? x.items : [x])) };
}

function dot(op: Op, xs: NdArray[]): NdArray {
  const [l, r] = inResultType(op, xs);
  return dotGeneral(l, r, { contracting: [[l.ndim - 1], [0]], batch: [[], []] });
}

export const STRUCTURAL: Record<string, Handler> = {
  "stablehlo.broadcast_in_dim": (op, [x]) => [
    broadcastInDim(x, outType(op).shape, ints(op, ["dims", "broadcast_dimensions"])),
  ],
  "stablehlo.reshape": (op, [x]) => [reshape(x, outType(op).shape)],
  "stablehlo.transpose": (op, [x]) => [transpose(x, ints(op, ["dims", "permutation"]))],
  "stablehlo.slice": (op, [x]) => [sliceOp(op, x)],
  "stablehlo.dynamic_slice": (op, args) => [dynamicSlice(op, args)],
  "stablehlo.dynamic_update_slice": (op, args) => [dynamicUpdateSlice(op, args)],
  "stablehlo.concatenate": (op, xs) => [concatenate(xs, int(op, ["dim", "dimension"]))],
  "stablehlo.pad": (op, [x, v]) => {
    const lo = ints(op, ["low", "edge_padding_low"]);
    const hi = ints(op, ["high", "edge_padding_high"]);
    const mid = ints(op, ["interior", "interior_padding"], new Array<number>(x.ndim).fill(0));
    return [padNegative(x, v, lo, hi, mid)];
  },
  "stablehlo.triangular_solve": (op, [a, b]) => {
    const flag = (k: string) => {
      const f = attr(op, k);
      return f?.kind === "bool" && f.value;
    };
    const t = word(op, ["transpose_a"]) ?? "NO_TRANSPOSE";
    if (t === "ADJOINT" && a.dtype !== "float32" && a.dtype !== "float64")
      throw opError(op, "adjoint of a complex matrix", ".");
    return [
      triangularSolve(a, b, {
        leftSide: flag("left_side"),
        lower: flag("lower"),
        transposeA: t !== "NO_TRANSPOSE",
        unitDiagonal: flag("unit_diagonal"),
      }),
    ];
  },
  "stablehlo.reduce_precision": (op, [x]) => {
    // e8m23 (f32) and wider formats leave f32 values as they are; f64 needs e11m52.
    const f = word(op, ["format"]) ?? "";
    const m = /^e(\d+)m(\d+)$/.exec(f);
    const exp = m ? Number(m[1]) : int(op, ["exponent_bits"], 0);
    const man = m ? Number(m[2]) : int(op, ["mantissa_bits"], 0);
    const keeps = x.dtype === "float32" ? exp >= 8 && man >= 23 : exp >= 11 && man >= 52;
    if (!keeps)
      throw opError(
        op,
        `rounding to ${exp} exponent and ${man} mantissa bits is not supported`,
        `: expected a format at least as wide as ${x.dtype}.`,
      );
    return [x];
  },
  "stablehlo.reverse": (op, [x]) => [rev(x, ints(op, ["dims", "dimensions"]))],
  "stablehlo.dot_general": (op, xs) => {
    const [l, r] = inResultType(op, xs);
    return [dotGeneral(l, r, dotDims(op))];
  },
  "stablehlo.dot": (op, xs) => [dot(op, xs)],
  "stablehlo.convolution": (op, xs) => [convolution(op, xs)],
  "stablehlo.optimization_barrier": (_op, xs) => optimizationBarrier(xs),
};
