/**
 * Gather and scatter, in a NumPy-shaped form that covers integer-array
 * indexing, take, takeAlongAxis and `.at[...]` updates:
 *
 *   gather(x, idx; axes):  idx is int32 [...batch, k] with k = axes.length; the
 *     result is [...batch, ...x.shape without axes], where each batch position
 *     reads x at (idx[..., 0], ..., idx[..., k-1]) on `axes` and whole slices
 *     elsewhere. Indices are clamped into range (JAX's default for gathers).
 *   scatter(x, idx, updates; axes, mode): the reverse, combining updates into a
 *     copy of x with mode set/add/mul/min/max. Out-of-range updates are dropped
 *     (JAX's FILL_OR_DROP, the default of `.at[]` updates): their cotangent is 0,
 *     and the operand's cotangent passes through where nothing was written.
 */
import { ShapedArray, shapeSize, shapeStr } from "../core/aval.js";
import { upload } from "../backends/api.js";
import { NdArray } from "../core/array.js";
import { allocate } from "../core/dtypes.js";
import { ShapeError, DTypeError, TransformError } from "../core/errors.js";
import { definePrimitive, UndefinedPrimal, type BatchDim, type Primitive } from "../core/primitive.js";
import { bind1, Zero, type MaybeZero } from "../core/trace.js";
import { batchFirst, moveAxis } from "./batching.js";
import { add, and, convert, div, eq, ge, lt, max, min, mul, scalarLike, selectN } from "./elementwise.js";
import { concatenate } from "./slicing.js";
import { broadcastInDim, broadcastTo, reshape } from "./structural.js";
import { reduceAndP } from "./reduce.js";
import { range } from "./shapes.js";
import { iota } from "./iota.js";
import { fullAval as zerosWithAvalOf } from "./constants.js";
import type { ScatterMode } from "../kernel/routines.js";
import { lowerGather, lowerScatter } from "../ir/stablehlo-indexing.js";

/** Zeros of an aval, keeping its weak type (a strong cotangent stays strong). */
const zerosWithAval = (a: ShapedArray) => zerosWithAvalOf(a, 0);

interface GatherParams {
  axes: number[];
}

export type { ScatterMode };

interface ScatterParams {
  axes: number[];
  mode: ScatterMode;
  /** The caller promises no two updates hit the same position (JAX's `unique_indices`): needed for mul's gradient. */
  uniqueIndices?: boolean;
}

function restAxes(ndim: number, axes: number[]): number[] {
  return Array.from({ length: ndim }, (_, i) => i).filter((i) => !axes.includes(i));
}

function gatherShape(x: readonly number[], idx: readonly number[], axes: number[]): number[] {
  return [...idx.slice(0, -1), ...restAxes(x.length, axes).map((i) => x[i])];
}

function checkIndices(op: string, x: ShapedArray, idx: ShapedArray, axes: number[]): void {
  if (idx.dtype !== "int32" && idx.dtype !== "uint32") {
    throw new DTypeError(`[${op}] indices must be integers: got ${idx.str()}, expected int32 indices.`);
  }
  if (idx.ndim < 1 || idx.shape[idx.ndim - 1] !== axes.length || axes.some((a) => a < 0 || a >= x.ndim)) {
    throw new ShapeError(
      `[${op}] indices ${idx.str()} do not fit ${x.str()} on axes ${shapeStr(axes)}: expected a last axis of size ${axes.length}.`,
    );
  }
}

export const gatherP: Primitive = definePrimitive<GatherParams>({
  name: "gather",
  abstractEval([x, idx], { axes }) {
    checkIndices("gather", x, idx, axes);
    return new ShapedArray(gatherShape(x.shape, idx.shape, axes), x.dtype, x.weakType);
  },
  lower: (_avals, { axes }) => ({ name: "gather", axes }),
  jvp: ([x, idx], [t], p) => [gather(x, idx, p.axes), gather(t as NdArray, idx, p.axes)],
  transpose(ct, [x, idx], { axes }) {
    const shape = (x as UndefinedPrimal).aval.shape;
    const zeros = zerosWithAval(ct.aval.withShape(shape));
    // The gather clamped its indices; scatter-add would drop out-of-range ones, so clamp them the same way.
    const i = idx as NdArray;
    const clamped = min(max(i, scalarLike(0, i)), axisBounds(shape, i, axes, 1));
    return [scatter(zeros, clamped, ct, axes, "add"), null];
  },
  vmap([x, idx], [dx, di], { axes }, size) {
    if (di === null) {
      const xm = moveAxis(x, dx!, 0);
      const shifted = axes.map((a) => a + 1);
      return [gather(xm, idx, shifted), idx.ndim - 1];
    }
    const im = moveAxis(idx, di, 0);
    if (dx === null) return [gather(x, im, axes), 0];
    const [xb, ib, ab] = batchIndices(moveAxis(x, dx, 0), im, axes, size);
    return [gather(xb, ib, ab), 0];
  },
  stablehlo: (c, xs, { axes }) => lowerGather(c, xs, axes),
});

/** Batched x and indices: index the batch axis too, with an iota column in front. */
function batchIndices(xb: NdArray, ib: NdArray, axes: number[], size: number): [NdArray, NdArray, number[]] {
  const shape = ib.aval.shape;
  const column = broadcastInDim(iota("int32", [size], 0), [...shape.slice(0, -1), 1], [0]);
  return [xb, concatenate([convert(column, ib.dtype), ib], shape.length - 1), [0, ...axes.map((a) => a + 1)]];
}

export function gather(x: NdArray, idx: NdArray, axes: number[]): NdArray {
  return bind1(gatherP as Primitive, [x, idx], { axes });
}

// --- scatter ------------------------------------------------------------------

export const scatterP: Primitive = definePrimitive<ScatterParams>({
  name: "scatter",
  abstractEval([x, idx, u], { axes }) {
    checkIndices("scatter", x, idx, axes);
    const expected = gatherShape(x.shape, idx.shape, axes);
    if (u.ndim !== expected.length || u.shape.some((n, i) => n !== expected[i]) || u.dtype !== x.dtype) {
      throw new ShapeError(
        `[scatter] updates ${u.str()} do not fit: expected ${new ShapedArray(expected, x.dtype).str()} for indices ${idx.str()} into ${x.str()}.`,
      );
    }
    return x;
  },
  lower: (_avals, { axes, mode }) => ({ name: "scatter", axes, mode }),
  jvp: ([x, idx, u], [tx, , tu], p) => scatterJvp(x, idx, u, tx, tu, p),
  transpose(ct, [x, idx, u], { axes, mode, uniqueIndices }) {
    const i = idx as NdArray;
    if (mode === "mul" && !(u instanceof UndefinedPrimal)) {
      // x ↦ x·P (P: the product of the updates at each position) is linear in x, and self-adjoint.
      return [
        x instanceof UndefinedPrimal ? scatter(ct, i, u as NdArray, axes, "mul", uniqueIndices) : null,
        null,
        null,
      ];
    }
    if (mode !== "add" && mode !== "set") {
      throw new TransformError(`[scatter] scatter-${mode} is not linear in its updates: it has no transpose rule.`);
    }
    let ctU: NdArray | null = null;
    if (u instanceof UndefinedPrimal) {
      // Only updates that reach the output get a cotangent: in range (add), and the last write to a position (set).
      const g = gather(ct, i, axes);
      const shape = ct.aval.shape;
      const keep = mode === "add" ? inRange(i, shape, axes, g.aval.shape) : lastWriter(i, shape, axes, g.aval.shape);
      ctU = selectN(keep, [zerosLike(g), g]);
    }
    let ctX: NdArray | null = null;
    if (x instanceof UndefinedPrimal) {
      ctX =
        mode === "add"
          ? ct
          : scatter(
              ct,
              i,
              zerosWithAval(ct.aval.withShape(gatherShape(ct.aval.shape, i.aval.shape, axes))),
              axes,
              "set",
            );
    }
    return [ctX, null, ctU];
  },
  vmap([x, idx, u], dims, { axes, mode, uniqueIndices }, size) {
    const xb = batchFirst(x, dims[0], size);
    const ib = batchFirst(idx, dims[1], size);
    const ub = batchFirst(u, dims[2], size);
    const [, ibb, ab] = batchIndices(xb, ib, axes, size);
    return [scatter(xb, ibb, ub, ab, mode, uniqueIndices), 0];
  },
  stablehlo: (c, xs, { axes, mode, uniqueIndices }) => lowerScatter(c, xs, axes, mode, uniqueIndices === true),
});

export function scatter(
  x: NdArray,
  idx: NdArray,
  updates: NdArray,
  axes: number[],
  mode: ScatterMode,
  uniqueIndices = false,
): NdArray {
  return bind1(
    scatterP as Primitive,
    [x, idx, updates],
    uniqueIndices ? { axes, mode, uniqueIndices } : { axes, mode },
  );
}

/** An int array [k] of the sizes of the indexed axes, minus `offset` (bounds to clamp or test indices against). */
function axisBounds(xShape: readonly number[], idx: NdArray, axes: number[], offset: number): NdArray {
  const data = allocate(idx.dtype, axes.length);
  axes.forEach((a, j) => (data[j] = xShape[a] - offset));
  return upload(new ShapedArray([axes.length], idx.dtype), data);
}

/** Per update element (`uShape`): whether its index tuple is in range, i.e. the update is not dropped. */
function inRange(idx: NdArray, xShape: readonly number[], axes: number[], uShape: readonly number[]): NdArray {
  const ok = and(ge(idx, scalarLike(0, idx)), lt(idx, axisBounds(xShape, idx, axes, 0)));
  const all = bind1(reduceAndP, [ok], { axes: [idx.ndim - 1] });
  return broadcastInDim(all, uShape, range(idx.ndim - 1));
}

/** Per update element: whether it is the last write to its position (the one a scatter-set keeps). */
function lastWriter(idx: NdArray, xShape: readonly number[], axes: number[], uShape: readonly number[]): NdArray {
  const batch = idx.aval.shape.slice(0, -1);
  const ids = broadcastInDim(reshape(iota("int32", [shapeSize(batch)], 0), batch), uShape, range(batch.length));
  const owner = scatter(broadcastTo(scalarLike(-1, ids), xShape), idx, ids, axes, "set");
  return eq(gather(owner, idx, axes), ids);
}

function zerosLike(x: NdArray): NdArray {
  return zerosWithAval(x.aval);
}

function inst(t: MaybeZero, like: NdArray): NdArray {
  return t instanceof Zero ? zerosLike(like) : t;
}

/**
 * set/add: linear in (x, updates) jointly. min/max: the derivative follows the
 * winning value, averaged over ties. mul: d(x·Πu) for unique indices, as JAX.
 */
function scatterJvp(
  x: NdArray,
  idx: NdArray,
  u: NdArray,
  tx: MaybeZero,
  tu: MaybeZero,
  p: ScatterParams,
): [NdArray, MaybeZero] {
  const out = scatter(x, idx, u, p.axes, p.mode, p.uniqueIndices);
  if (tx instanceof Zero && tu instanceof Zero) return [out, new Zero(out.aval)];
  const txi = inst(tx, x);
  const tui = inst(tu, u);
  if (p.mode === "add" || p.mode === "set") return [out, scatter(txi, idx, tui, p.axes, p.mode)];
  if (p.mode === "mul") {
    if (!(tu instanceof Zero) && !p.uniqueIndices) {
      // JAX: "scatter_mul gradients are only implemented if `unique_indices=True`" (with repeated
      // indices the derivative wrt one update is the product of the others at its position).
      throw new TransformError(
        `[at.mul] scatter_mul gradients with respect to the updates are only implemented if uniqueIndices is true: ` +
          `got integer-array indices that may repeat. If no index repeats, say so: x.at(idx).mul(v, { uniqueIndices: true }).`,
      );
    }
    const fromX = scatter(txi, idx, u, p.axes, "mul", p.uniqueIndices);
    const fromU = scatter(zerosLike(x), idx, mul(gather(x, idx, p.axes), tui), p.axes, "add");
    return [out, add(fromX, fromU)];
  }
  const maskX = convert(eq(out, x), x.dtype);
  const maskU = convert(eq(u, gather(out, idx, p.axes)), u.dtype);
  const count = add(maskX, scatter(zerosLike(x), idx, maskU, p.axes, "add"));
  const num = add(mul(txi, maskX), scatter(zerosLike(x), idx, mul(tui, maskU), p.axes, "add"));
  return [out, div(num, count)];
}

export type { BatchDim };
