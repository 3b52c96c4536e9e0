/**
 * sort: sorts several operands of one shape along one axis, ordered by the
 * first `numKeys` of them (lexicographically, stable). NaNs sort last, as in
 * NumPy and JAX. argsort is sort with an iota operand.
 */
import type { NdArray } from "../core/array.js";
import { AxisError, ShapeError } from "../core/errors.js";
import { defineMultiPrimitive, type Primitive } from "../core/primitive.js";
import { bind, Zero, type MaybeZero } from "../core/trace.js";
import { moveAxis } from "./batching.js";
import { iota } from "./iota.js";
import { takeAlongAxis } from "./take.js";
import { lowerSort } from "../ir/stablehlo-ops.js";

interface SortParams {
  dimension: number;
  numKeys: number;
}

export const sortP: Primitive = defineMultiPrimitive<SortParams>({
  name: "sort",
  abstractEval(avals, { dimension }) {
    const s = avals[0].shape;
    if (avals.some((a) => a.ndim !== s.length || a.shape.some((n, i) => n !== s[i]))) {
      throw new ShapeError(`[sort] operands must share a shape: got ${avals.map((a) => a.str()).join(", ")}.`);
    }
    if (!Number.isInteger(dimension) || dimension < 0 || dimension >= s.length) {
      throw new AxisError(
        `[sort] dimension ${dimension} is out of bounds for ${avals[0].str()}: expected an integer in [0, ${s.length}).`,
      );
    }
    return avals;
  },
  lower: (_avals, { dimension, numKeys }) => ({ name: "sort", dimension, numKeys }),
  /** Sort with an iota alongside to learn the permutation, then permute the tangents with it. */
  jvp(xs, ts, p) {
    const shape = xs[0].aval.shape;
    const outs = sort([...xs, iota("int32", [...shape], p.dimension)], p);
    const perm = outs.pop()!;
    const tOut: MaybeZero[] = ts.map((t, i) =>
      t instanceof Zero ? new Zero(outs[i].aval) : takeAlongAxis(t, perm, p.dimension),
    );
    return [outs, tOut];
  },
  vmap(xs, dims, p, size) {
    const moved = xs.map((x, i) => (dims[i] === null ? broadcastBatch(x, size) : moveAxis(x, dims[i]!, 0)));
    return [sort(moved, { ...p, dimension: p.dimension + 1 }), moved.map(() => 0)];
  },
  printParams: ({ dimension, numKeys }) => ({ dimension, is_stable: true, num_keys: numKeys }),
  stablehlo: (c, xs, { dimension, numKeys }) => lowerSort(c, xs, dimension, numKeys),
});

import { broadcastInDim } from "./structural.js";
function broadcastBatch(x: NdArray, size: number): NdArray {
  return broadcastInDim(
    x,
    [size, ...x.aval.shape],
    x.aval.shape.map((_, i) => i + 1),
  );
}

export function sort(xs: NdArray[], p: SortParams): NdArray[] {
  return bind(sortP as Primitive, xs, p as never);
}
