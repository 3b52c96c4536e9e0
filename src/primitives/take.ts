/**
 * take and takeAlongAxis written with gather, with JAX's out-of-bounds modes:
 *   "fill" (JAX's default for jnp.take / take_along_axis): an index in [-n, n) counts from
 *     the end when negative; any other index reads `fillValue` (NaN for floats, the most
 *     negative int32, the largest uint32, true for bools) and gets no gradient;
 *   "clip": indices are clamped into [0, n - 1] (negative ones to 0, as JAX's CLIP mode);
 *   "wrap": indices are taken modulo n (Python's floor modulo).
 */
import type { NdArray } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import { gather } from "./indexing.js";
import { iota } from "./iota.js";
import { broadcastInDim, reshape, transpose } from "./structural.js";
import { concatenate } from "./slicing.js";
import { add, and, convert, ge, lt, rem, scalarLike, selectN } from "./elementwise.js";
import { range } from "./shapes.js";

/** How an out-of-range index is treated (JAX's GatherScatterMode, as jnp.take spells it). */
export type TakeMode = "fill" | "clip" | "wrap";

/** JAX's default fill of an out-of-range read: NaN, the most negative int, the largest uint, or true. */
export function defaultFillValue(dtype: DType): number {
  switch (dtype) {
    case "float32":
    case "float64":
      return NaN;
    case "int32":
      return -(2 ** 31);
    case "uint32":
      return 2 ** 32 - 1;
    case "bool":
      return 1;
  }
}

/** Negative indices count from the end: i < 0 → i + n (int32 indices; others are converted). */
export function normalizeIndex(idx: NdArray, n: number): NdArray {
  const i = idx.dtype === "int32" ? idx : convert(idx, "int32");
  return selectN(lt(i, scalarLike(0, i)), [i, add(i, scalarLike(n, i))]);
}

/** Floor modulo n, so that every index lands in [0, n). */
function wrapIndex(idx: NdArray, n: number): NdArray {
  const i = idx.dtype === "int32" ? idx : convert(idx, "int32");
  const r = rem(i, scalarLike(n, i));
  return selectN(lt(r, scalarLike(0, r)), [r, add(r, scalarLike(n, r))]);
}

/** Where an index is in [0, n). */
function inRange(idx: NdArray, n: number): NdArray {
  return and(ge(idx, scalarLike(0, idx)), lt(idx, scalarLike(n, idx)));
}

/** The indices to gather with for a mode, and (fill mode) the mask of valid positions. */
function prepare(idx: NdArray, n: number, mode: TakeMode): { idx: NdArray; valid: NdArray | null } {
  if (mode === "clip") return { idx: idx.dtype === "int32" ? idx : convert(idx, "int32"), valid: null };
  if (mode === "wrap") return { idx: wrapIndex(idx, n), valid: null };
  const norm = normalizeIndex(idx, n);
  return { idx: norm, valid: inRange(norm, n) };
}

/** `fillValue` where `valid` (broadcast into `out` on `dims`) is false, `out` elsewhere. */
function fillInvalid(out: NdArray, valid: NdArray, dims: number[], fillValue: number | undefined): NdArray {
  const shape = out.aval.shape.slice();
  const mask = valid.ndim === out.ndim ? valid : broadcastInDim(valid, shape, dims);
  const v = scalarLike(fillValue ?? defaultFillValue(out.dtype), out);
  const fill = broadcastInDim(convert(v, out.dtype, out.weakType), shape, []);
  return selectN(mask, [fill, out]);
}

/**
 * `jnp.take(x, idx, axis)` for a concrete axis of x (size > 0): the result is
 * x.shape[:axis] + idx.shape + x.shape[axis+1:].
 */
export function takeAxis(x: NdArray, idx: NdArray, axis: number, mode: TakeMode, fillValue?: number): NdArray {
  const n = x.aval.shape[axis];
  const p = prepare(idx, n, mode);
  const gathered = gather(x, reshape(p.idx, [...p.idx.aval.shape, 1]), [axis]);
  // gather puts the index axes first; move them to `axis`.
  const k = p.idx.ndim;
  const perm = [...range(axis).map((i) => i + k), ...range(k), ...range(x.ndim - 1 - axis).map((i) => i + k + axis)];
  const out = transpose(gathered, perm);
  if (p.valid === null) return out;
  return fillInvalid(
    out,
    p.valid,
    range(k).map((i) => i + axis),
    fillValue,
  );
}

/**
 * out[..., i, ...] = x[..., idx[..., i, ...], ...] along `axis`, where idx has
 * x's rank and x's shape except along `axis`. Indices are clamped into range
 * unless a mode says otherwise.
 */
export function takeAlongAxis(
  x: NdArray,
  idx: NdArray,
  axis: number,
  mode: TakeMode = "clip",
  fillValue?: number,
): NdArray {
  const shape = idx.aval.shape;
  const nd = shape.length;
  const p = mode === "clip" ? { idx, valid: null } : prepare(idx, x.aval.shape[axis], mode);
  const columns: NdArray[] = [];
  for (let d = 0; d < nd; d++) {
    const col = d === axis ? convert(p.idx, "int32") : broadcastInDim(iota("int32", [shape[d]], 0), [...shape], [d]);
    columns.push(reshape(col, [...shape, 1]));
  }
  const full = concatenate(columns, nd);
  const out = gather(x, full, range(nd));
  return p.valid === null ? out : fillInvalid(out, p.valid, range(nd), fillValue);
}
