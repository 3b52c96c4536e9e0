/**
 * StableHLO lowerings of gather and scatter in cotangent's NumPy-shaped form: indices
 * `[...batch, k]` address axes `axes` of the operand; the other axes are whole slices.
 * In StableHLO's terms: index_vector_dim is the last axis of the indices, the indexed
 * axes are collapsed (gather) or inserted (scatter) window dims, and the slice axes
 * follow the batch axes in the result (offset / update window dims).
 */
import type { StableHloEmitter } from "./stablehlo-emit.js";

const list = (xs: readonly number[]) => `[${xs.join(", ")}]`;

/** `#stablehlo.gather<...>`/`#stablehlo.scatter<...>` fields, empty lists left out as MLIR prints them. */
function dimNumbers(kind: string, fields: [string, readonly number[] | number][]): string {
  const parts = fields
    .filter(([, v]) => typeof v === "number" || v.length > 0)
    .map(([k, v]) => `${k} = ${typeof v === "number" ? v : list(v)}`);
  return `#stablehlo.${kind}<${parts.join(", ")}>`;
}

const rest = (ndim: number, axes: readonly number[]) =>
  Array.from({ length: ndim }, (_, i) => i).filter((i) => !axes.includes(i));

/** gather(x, idx; axes): clamped indices, as StableHLO's gather clamps its start indices. */
export function lowerGather(c: StableHloEmitter, [x, idx]: string[], axes: readonly number[]): string {
  const [xa, ia] = c.inAvals;
  const b = ia.ndim - 1;
  const kept = rest(xa.ndim, axes);
  const dn = dimNumbers("gather", [
    ["offset_dims", kept.map((_, i) => b + i)],
    ["collapsed_slice_dims", [...axes].sort((p, q) => p - q)],
    ["start_index_map", axes],
    ["index_vector_dim", b],
  ]);
  const sizes = xa.shape.map((n, i) => (axes.includes(i) ? 1 : n));
  const attrs = `dimension_numbers = ${dn}, indices_are_sorted = false, slice_sizes = array<i64: ${sizes.join(", ")}>`;
  return c.generic("stablehlo.gather", [x, idx], c.inAvals, c.outAvals, attrs.replace("array<i64: >", "array<i64>"))[0];
}

const COMBINE: Record<string, string | null> = {
  set: null,
  add: "add",
  mul: "multiply",
  min: "minimum",
  max: "maximum",
};

/** scatter(x, idx, updates; axes, mode): out-of-range updates are skipped, as XLA's scatter does. */
export function lowerScatter(
  c: StableHloEmitter,
  [x, idx, u]: string[],
  axes: readonly number[],
  mode: string,
  unique: boolean,
): string {
  const [xa, ia] = c.inAvals;
  const b = ia.ndim - 1;
  const kept = rest(xa.ndim, axes);
  const dn = dimNumbers("scatter", [
    ["update_window_dims", kept.map((_, i) => b + i)],
    ["inserted_window_dims", [...axes].sort((p, q) => p - q)],
    ["scatter_dims_to_operand_dims", axes],
    ["index_vector_dim", b],
  ]);
  const attrs = `indices_are_sorted = false, scatter_dimension_numbers = ${dn}, unique_indices = ${unique}`;
  const scalar = xa.withShape([]).withWeak(false);
  const op = COMBINE[mode];
  return c.generic("stablehlo.scatter", [x, idx, u], c.inAvals, c.outAvals, attrs, [
    () => c.region([scalar, scalar], [scalar], ([old, upd]) => [op === null ? upd : c.binary(op, old, upd, scalar)]),
  ])[0];
}
