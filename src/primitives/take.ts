/** takeAlongAxis written with gather: full index tuples built from iotas. */
import type { NdArray } from "../core/array.js";
import { gather } from "./indexing.js";
import { iota } from "./iota.js";
import { broadcastInDim, reshape } from "./structural.js";
import { concatenate } from "./slicing.js";
import { convert } from "./elementwise.js";

/**
 * out[..., i, ...] = x[..., idx[..., i, ...], ...] along `axis`, where idx has
 * x's rank and (after broadcasting) x's shape except along `axis`.
 */
export function takeAlongAxis(x: NdArray, idx: NdArray, axis: number): NdArray {
  const shape = idx.aval.shape;
  const nd = shape.length;
  const columns: NdArray[] = [];
  for (let d = 0; d < nd; d++) {
    const col = d === axis ? convert(idx, "int32") : broadcastInDim(iota("int32", [shape[d]], 0), [...shape], [d]);
    columns.push(reshape(col, [...shape, 1]));
  }
  const full = concatenate(columns, nd);
  return gather(
    x,
    full,
    Array.from({ length: nd }, (_, i) => i),
  );
}
