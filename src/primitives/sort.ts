/**
 * sort: sorts several operands of one shape along one axis, ordered by the
 * first `numKeys` of them (lexicographically, stable). NaNs sort last, as in
 * NumPy and JAX. argsort is sort with an iota operand.
 */
import { stridesOf } from "../core/aval.js";
import { hostArray, NdArray } from "../core/array.js";
import { allocate } from "../core/dtypes.js";
import { AxisError, ShapeError } from "../core/errors.js";
import { defineMultiPrimitive, type Primitive } from "../core/primitive.js";
import { wasmSort } from "../backends/dispatch.js";
import { bind, Zero, type MaybeZero } from "../core/trace.js";
import { moveAxis } from "./batching.js";
import { iota } from "./iota.js";
import { takeAlongAxis } from "./take.js";

interface SortParams {
  dimension: number;
  numKeys: number;
}

/** Total order with NaN last and -0 before +0 (as a stable sort on floats in NumPy). */
function compare(a: number, b: number): number {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortKernel(xs: NdArray[], { dimension, numKeys }: SortParams): NdArray[] {
  const shape = xs[0].aval.shape;
  const n = shape[dimension];
  const inner = stridesOf(shape)[dimension];
  const outer = n === 0 ? 0 : xs[0].size / (n * inner);
  const srcs = xs.map((x) => x._data!);
  const outs = xs.map((x) => allocate(x.dtype, x.size));
  const order = new Array<number>(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (k: number) => o * n * inner + k * inner + i;
      for (let k = 0; k < n; k++) order[k] = k;
      order.sort((p, q) => {
        for (let key = 0; key < numKeys; key++) {
          const c = compare(srcs[key][at(p)], srcs[key][at(q)]);
          if (c !== 0) return c;
        }
        return p - q;
      });
      for (let k = 0; k < n; k++) srcs.forEach((s, j) => (outs[j][at(k)] = s[at(order[k])]));
    }
  }
  return xs.map((x, j) => hostArray(x.aval, outs[j]));
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
  impl: (xs, p) => wasmSort(xs, p.dimension, p.numKeys) ?? sortKernel(xs, p),
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
