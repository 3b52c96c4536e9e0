/**
 * StableHLO's general gather and scatter, in terms of cotangent's point gather and scatter
 * (`gather(x, idx, axes)` reads x at full index vectors).
 *
 * For gather, every element of the result has a full operand index: for an operand dim d,
 *   index_d = start_d + offset_d, where start_d = clamp(indices[..., k], 0, dim_d - slice_d)
 *   when start_index_map[k] = d (else 0, or the batch position for operand batching dims),
 *   and offset_d runs over the slice window (0 for collapsed dims).
 * The indices of all elements form a [...batch, ...window, rank] array, so one point gather
 * gives [...batch, ...window], transposed into StableHLO's order (offset_dims say where the
 * window axes go). Scatter is the same construction on the updates, without the clamp
 * (StableHLO skips out-of-bounds updates; here each out-of-bounds point is dropped).
 */
import type { NdArray } from "../core/array.js";
import * as ew from "../primitives/elementwise.js";
import { broadcastInDim, reshape, transpose } from "../primitives/structural.js";
import { concatenate, slice } from "../primitives/slicing.js";
import { gather, scatter, type ScatterMode } from "../primitives/indexing.js";
import { iota } from "../primitives/iota.js";
import type { Op } from "./parse-ops.js";
import { attr, dictInt, dictInts, opError, ints, type Handler, type Ctx } from "./interpret-util.js";
import { monoid } from "./interpret-regions.js";

export interface GatherDims {
  offsetDims: number[];
  collapsedSliceDims: number[];
  startIndexMap: number[];
  operandBatchingDims: number[];
  startIndicesBatchingDims: number[];
  indexVectorDim: number;
  sliceSizes: number[];
}

export interface ScatterDims {
  updateWindowDims: number[];
  insertedWindowDims: number[];
  scatterDimsToOperandDims: number[];
  inputBatchingDims: number[];
  scatterIndicesBatchingDims: number[];
  indexVectorDim: number;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Indices with the index vector as the last axis (int32), and where each original batch axis went. */
function indexVectors(indices: NdArray, ivd: number): [NdArray, (axis: number) => number] {
  let idx = ew.convert(indices, "int32");
  if (ivd === idx.ndim) idx = reshape(idx, [...idx.shape, 1]);
  else if (ivd !== idx.ndim - 1) {
    const perm = [...range(idx.ndim).filter((a) => a !== ivd), ivd];
    idx = transpose(idx, perm);
  }
  return [idx, (a) => (a < ivd ? a : a - 1)];
}

/**
 * The full operand index of every point of a [...batch, ...window] grid: operand dim d reads
 * start (from the index vectors, clamped to fit `sizes` when `clampTo` is given) + window offset.
 */
function fullIndices(
  idx: NdArray,
  rank: number,
  windowOf: (d: number) => number,
  windowSizes: number[],
  startMap: number[],
  batchMap: [number[], number[]],
  clampTo: number[] | null,
): NdArray {
  const batch = idx.shape.slice(0, -1);
  const nb = batch.length;
  const grid = [...batch, ...windowSizes];
  const cols = range(rank).map((d) => {
    let c: NdArray | null = null;
    const k = startMap.indexOf(d);
    if (k >= 0) {
      let s = reshape(sliceLast(idx, k), batch);
      if (clampTo) s = ew.min(ew.max(s, ew.scalarLike(0, s)), ew.scalarLike(Math.max(clampTo[d], 0), s));
      c = broadcastInDim(s, grid, range(nb));
    }
    const b = batchMap[0].indexOf(d);
    if (b >= 0) {
      const pos = iota("int32", grid, batchMap[1][b]);
      c = c ? ew.add(c, pos) : pos;
    }
    const w = windowOf(d);
    if (w >= 0) {
      const off = iota("int32", grid, nb + w);
      c = c ? ew.add(c, off) : off;
    }
    c ??= broadcastInDim(ew.convert(ew.scalarLike(0, idx), "int32"), grid, []);
    return reshape(c, [...grid, 1]);
  });
  return concatenate(cols, grid.length);
}

/** idx[..., k] keeping a trailing axis of 1. */
function sliceLast(idx: NdArray, k: number): NdArray {
  const n = idx.ndim;
  return slice(idx, {
    startIndices: [...new Array<number>(n - 1).fill(0), k],
    limitIndices: [...idx.shape.slice(0, -1), k + 1],
    strides: new Array<number>(n).fill(1),
  });
}

export function gatherGeneral(x: NdArray, indices: NdArray, g: GatherDims): NdArray {
  const [idx, moved] = indexVectors(indices, g.indexVectorDim);
  const nb = idx.ndim - 1;
  const windowAxes = range(x.ndim).filter(
    (d) => !g.collapsedSliceDims.includes(d) && !g.operandBatchingDims.includes(d),
  );
  const full = fullIndices(
    idx,
    x.ndim,
    (d) => windowAxes.indexOf(d),
    windowAxes.map((d) => g.sliceSizes[d]),
    g.startIndexMap,
    [g.operandBatchingDims, g.startIndicesBatchingDims.map(moved)],
    range(x.ndim).map((d) => x.shape[d] - g.sliceSizes[d]),
  );
  const got = gather(x, full, range(x.ndim));
  // Window axes go to offset_dims; batch axes fill the other positions in order.
  const perm: number[] = [];
  let nextBatch = 0;
  for (let p = 0; p < nb + windowAxes.length; p++) {
    const j = g.offsetDims.indexOf(p);
    perm.push(j >= 0 ? nb + j : nextBatch++);
  }
  return transpose(got, perm);
}

export function scatterGeneral(
  x: NdArray,
  indices: NdArray,
  updates: NdArray,
  s: ScatterDims,
  mode: ScatterMode,
  unique = false,
): NdArray {
  const [idx, moved] = indexVectors(indices, s.indexVectorDim);
  const scatterAxes = range(updates.ndim).filter((a) => !s.updateWindowDims.includes(a));
  const u = transpose(updates, [...scatterAxes, ...s.updateWindowDims]);
  const windowAxes = range(x.ndim).filter((d) => !s.insertedWindowDims.includes(d) && !s.inputBatchingDims.includes(d));
  const full = fullIndices(
    idx,
    x.ndim,
    (d) => windowAxes.indexOf(d),
    s.updateWindowDims.map((a) => updates.shape[a]),
    s.scatterDimsToOperandDims,
    [s.inputBatchingDims, s.scatterIndicesBatchingDims.map(moved)],
    null,
  );
  return scatter(x, full, u, range(x.ndim), mode, unique);
}

const MODES: Record<string, ScatterMode> = { add: "add", mul: "mul", max: "max", min: "min", set: "set" };

export const GATHER: Record<string, Handler> = {
  "stablehlo.gather": (op, [x, indices]) => {
    const dn = attr(op, "dimension_numbers");
    return [
      gatherGeneral(x, indices, {
        offsetDims: dictInts(dn, "offset_dims"),
        collapsedSliceDims: dictInts(dn, "collapsed_slice_dims"),
        startIndexMap: dictInts(dn, "start_index_map"),
        operandBatchingDims: dictInts(dn, "operand_batching_dims"),
        startIndicesBatchingDims: dictInts(dn, "start_indices_batching_dims"),
        indexVectorDim: dictInt(dn, "index_vector_dim", 0),
        sliceSizes: ints(op, ["slice_sizes"]),
      }),
    ];
  },
  "stablehlo.scatter": (op: Op, args: NdArray[], _ctx: Ctx) => {
    if (args.length !== 3)
      throw opError(op, "a scatter of several operands is not supported", `: got ${args.length} operands, expected 3.`);
    const [x, indices, updates] = args;
    const m = monoid(op.regions[0]);
    const mode = m === null ? undefined : MODES[m];
    if (mode === undefined) {
      throw opError(
        op,
        "the scatter's update computation is not supported",
        ": expected a region returning the update, or adding, multiplying, or taking the max or min.",
      );
    }
    const dn = attr(op, "scatter_dimension_numbers");
    const unique = attr(op, "unique_indices");
    return [
      scatterGeneral(
        x,
        indices,
        updates,
        {
          updateWindowDims: dictInts(dn, "update_window_dims"),
          insertedWindowDims: dictInts(dn, "inserted_window_dims"),
          scatterDimsToOperandDims: dictInts(dn, "scatter_dims_to_operand_dims"),
          inputBatchingDims: dictInts(dn, "input_batching_dims"),
          scatterIndicesBatchingDims: dictInts(dn, "scatter_indices_batching_dims"),
          indexVectorDim: dictInt(dn, "index_vector_dim", 0),
        },
        mode,
        unique?.kind === "bool" && unique.value,
      ),
    ];
  },
};
