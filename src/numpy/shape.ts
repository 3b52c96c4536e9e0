/** NumPy's shape functions, as compositions of primitives. */
import { shapeStr, type Shape } from "../core/aval.js";
import type { NdArray, ArrayLike } from "../core/array.js";
import { AxisError, ShapeError } from "../core/errors.js";
import * as st from "../primitives/structural.js";
import * as sl from "../primitives/slicing.js";
import { sort as sortPrim } from "../primitives/sort.js";
import { iota } from "../primitives/iota.js";
import { takeAlongAxis as takeAlong } from "../primitives/take.js";
import { gather } from "../primitives/indexing.js";
import * as ew from "../primitives/elementwise.js";
import { broadcastShapes, normalizeAxes, normalizeAxis, range } from "../primitives/shapes.js";
import { asArray, promoteOperands } from "./convert.js";
import { parseOptional } from "./options.js";

/** `jnp.reshape`; one entry may be -1. */
export function reshape(x: ArrayLike, shape: Shape | number): NdArray {
  const a = asArray(x);
  const s = typeof shape === "number" ? [shape] : [...shape];
  const unknown = s.filter((d) => d === -1).length;
  if (unknown > 1)
    throw new ShapeError(
      `[reshape] can only specify one unknown dimension: got ${shapeStr(s)}, expected at most one -1.`,
    );
  if (unknown === 1) {
    const known = s.filter((d) => d !== -1).reduce((p, q) => p * q, 1);
    if (known === 0 || a.size % known !== 0) {
      throw new ShapeError(
        `[reshape] cannot reshape an array of size ${a.size} into shape ${shapeStr(s)}: got ${a.aval.str()}, expected a shape with ${a.size} elements.`,
      );
    }
    s[s.indexOf(-1)] = a.size / known;
  }
  return st.reshape(a, s);
}

export function ravel(x: ArrayLike): NdArray {
  const a = asArray(x);
  return st.reshape(a, [a.size]);
}

/** `jnp.transpose(x, axes)`: reverses the axes by default. */
export function transpose(x: ArrayLike, axes?: Shape | null): NdArray {
  const a = asArray(x);
  const perm = axes ? normalizeAxes("transpose", axes, a.ndim) : range(a.ndim).reverse();
  if (perm.length !== a.ndim) {
    throw new AxisError(
      `[transpose] axes don't match array: got ${shapeStr(axes ?? [])} for ${a.aval.str()}, expected a permutation of ${a.ndim} axes.`,
    );
  }
  return st.transpose(a, perm);
}

export function swapaxes(x: ArrayLike, axis1: number, axis2: number): NdArray {
  const a = asArray(x);
  const perm = range(a.ndim);
  const i = normalizeAxis("swapaxes", axis1, a.ndim);
  const j = normalizeAxis("swapaxes", axis2, a.ndim);
  [perm[i], perm[j]] = [perm[j], perm[i]];
  return st.transpose(a, perm);
}

export function moveaxis(x: ArrayLike, source: number | number[], destination: number | number[]): NdArray {
  const a = asArray(x);
  const src = normalizeAxes("moveaxis", typeof source === "number" ? [source] : source, a.ndim);
  const dst = normalizeAxes("moveaxis", typeof destination === "number" ? [destination] : destination, a.ndim);
  if (src.length !== dst.length)
    throw new AxisError(
      `[moveaxis] source and destination must have the same number of elements: got ${src.length} and ${dst.length}.`,
    );
  const rest = range(a.ndim).filter((i) => !src.includes(i));
  const perm = new Array<number>(a.ndim);
  dst.forEach((d, k) => (perm[d] = src[k]));
  let r = 0;
  for (let i = 0; i < a.ndim; i++) if (perm[i] === undefined) perm[i] = rest[r++];
  return st.transpose(a, perm);
}

export function expandDims(x: ArrayLike, axis: number | number[]): NdArray {
  const a = asArray(x);
  const axes = typeof axis === "number" ? [axis] : axis;
  const nd = a.ndim + axes.length;
  const norm = normalizeAxes("expand_dims", axes, nd);
  const shape: number[] = [];
  let k = 0;
  for (let i = 0; i < nd; i++) shape.push(norm.includes(i) ? 1 : a.aval.shape[k++]);
  return st.reshape(a, shape);
}

export function squeeze(x: ArrayLike, axis?: number | number[] | null): NdArray {
  const a = asArray(x);
  const shape = a.aval.shape;
  const axes =
    axis === null || axis === undefined
      ? range(a.ndim).filter((i) => shape[i] === 1)
      : normalizeAxes("squeeze", typeof axis === "number" ? [axis] : axis, a.ndim);
  for (const i of axes) {
    if (shape[i] !== 1) {
      throw new ShapeError(
        `[squeeze] cannot select an axis to squeeze out which has size not equal to one: got axis ${i} of size ${shape[i]} in ${a.aval.str()}, expected size 1.`,
      );
    }
  }
  return st.reshape(
    a,
    shape.filter((_, i) => !axes.includes(i)),
  );
}

export function broadcastTo(x: ArrayLike, shape: Shape): NdArray {
  const a = asArray(x);
  const out = broadcastShapes("broadcast_to", a.aval.shape, shape);
  if (out.length !== shape.length || out.some((n, i) => n !== shape[i])) {
    throw new ShapeError(
      `[broadcast_to] cannot broadcast ${a.aval.str()} to shape ${shapeStr(shape)}: expected each axis of the input to be 1 or equal to the target, aligned from the right.`,
    );
  }
  return st.broadcastTo(a, shape);
}

export function broadcastArrays(...xs: ArrayLike[]): NdArray[] {
  const arrays = xs.map((x) => asArray(x));
  const shape = broadcastShapes("broadcast_arrays", ...arrays.map((a) => a.aval.shape));
  return arrays.map((a) => st.broadcastTo(a, shape));
}

export function concatenate(arrays: readonly ArrayLike[], axis: number | null = 0): NdArray {
  if (arrays.length === 0) throw new ShapeError(`[concatenate] need at least one array to concatenate: got none.`);
  let xs = promoteOperands("concatenate", [...arrays]);
  if (axis === null) xs = xs.map((a) => st.reshape(a, [a.size]));
  const ax = normalizeAxis("concatenate", axis ?? 0, xs[0].ndim);
  return sl.concatenate(xs, ax);
}

export function stack(arrays: readonly ArrayLike[], axis = 0): NdArray {
  if (arrays.length === 0) throw new ShapeError(`[stack] need at least one array to stack: got none.`);
  const xs = promoteOperands("stack", [...arrays]);
  const s0 = xs[0].aval.shape;
  if (xs.some((a) => a.ndim !== s0.length || a.aval.shape.some((n, i) => n !== s0[i]))) {
    throw new ShapeError(
      `[stack] all input arrays must have the same shape: got ${xs.map((a) => a.aval.str()).join(", ")}.`,
    );
  }
  const ax = normalizeAxis("stack", axis, s0.length + 1);
  return sl.concatenate(
    xs.map((a) => expandDims(a, ax)),
    ax,
  );
}

export const vstack = (arrays: readonly ArrayLike[]): NdArray =>
  concatenate(
    arrays.map((a) => {
      const x = asArray(a);
      return x.ndim < 2 ? st.reshape(x, [1, x.size]) : x;
    }),
    0,
  );
export const hstack = (arrays: readonly ArrayLike[]): NdArray => {
  const xs = arrays.map((a) => asArray(a));
  return concatenate(xs, xs[0].ndim === 1 ? 0 : 1);
};

/** `jnp.split(x, sections | indices, axis)`. */
export function split(x: ArrayLike, indicesOrSections: number | readonly number[], axis = 0): NdArray[] {
  const a = asArray(x);
  const ax = normalizeAxis("split", axis, a.ndim);
  const n = a.aval.shape[ax];
  let cuts: number[];
  if (typeof indicesOrSections === "number") {
    if (n % indicesOrSections !== 0) {
      throw new ShapeError(
        `[split] array split does not result in an equal division: got ${n} elements on axis ${ax} and ${indicesOrSections} sections, expected a divisor of ${n}.`,
      );
    }
    const step = n / indicesOrSections;
    cuts = range(indicesOrSections - 1).map((i) => (i + 1) * step);
  } else cuts = [...indicesOrSections];
  const bounds = [0, ...cuts.map((c) => Math.min(Math.max(c < 0 ? c + n : c, 0), n)), n];
  return range(bounds.length - 1).map((i) => sl.sliceAxis(a, ax, bounds[i], Math.max(bounds[i], bounds[i + 1])));
}

/** `jnp.flip(x, axis)`: all axes by default. */
export function flip(x: ArrayLike, axis?: number | number[] | null): NdArray {
  const a = asArray(x);
  const axes =
    axis === null || axis === undefined
      ? range(a.ndim)
      : normalizeAxes("flip", typeof axis === "number" ? [axis] : axis, a.ndim);
  return sl.rev(a, axes);
}

export function tile(x: ArrayLike, reps: number | readonly number[]): NdArray {
  let a = asArray(x);
  const r = typeof reps === "number" ? [reps] : [...reps];
  const nd = Math.max(a.ndim, r.length);
  a = st.reshape(a, [...new Array<number>(nd - a.ndim).fill(1), ...a.aval.shape]);
  const full = [...new Array<number>(nd - r.length).fill(1), ...r];
  // Broadcast to [r0, n0, r1, n1, ...] then merge pairs.
  const shape = a.aval.shape;
  const interleaved = shape.flatMap((n, i) => [full[i], n]);
  const b = st.broadcastInDim(
    a,
    interleaved,
    range(nd).map((i) => 2 * i + 1),
  );
  return st.reshape(
    b,
    shape.map((n, i) => n * full[i]),
  );
}

/** `jnp.repeat(x, repeats, axis)` with a whole-number or per-element count. */
export function repeat(x: ArrayLike, repeats: number | readonly number[], axis: number | null = null): NdArray {
  let a = asArray(x);
  if (axis === null) {
    a = st.reshape(a, [a.size]);
    axis = 0;
  }
  const ax = normalizeAxis("repeat", axis, a.ndim);
  const n = a.aval.shape[ax];
  if (typeof repeats === "number") {
    const shape = a.aval.shape;
    const expanded = st.broadcastInDim(
      a,
      [...shape.slice(0, ax + 1), repeats, ...shape.slice(ax + 1)],
      range(a.ndim).map((i) => (i <= ax ? i : i + 1)),
    );
    return st.reshape(
      expanded,
      shape.map((m, i) => (i === ax ? m * repeats : m)),
    );
  }
  if (repeats.length !== n)
    throw new ShapeError(
      `[repeat] repeats has ${repeats.length} entries: expected one per element (${n}) on axis ${ax}.`,
    );
  const idx = repeats.flatMap((r, i) => new Array<number>(r).fill(i));
  return take(a, idx, ax);
}

export interface PadOptions {
  mode?: "constant" | "edge" | "reflect" | "symmetric" | "wrap";
  constantValues?: number;
}

type PadWidth = number | readonly number[] | readonly (readonly number[])[];

function padWidths(width: PadWidth, ndim: number): [number, number][] {
  if (typeof width === "number") return range(ndim).map(() => [width, width]);
  if (width.length > 0 && typeof width[0] === "number") {
    const w = width as readonly number[];
    if (w.length === 1) return range(ndim).map(() => [w[0], w[0]]);
    if (w.length === 2) return range(ndim).map(() => [w[0], w[1]]);
  } else if (width.length === 1) {
    const [[lo, hi]] = width as readonly (readonly number[])[];
    return range(ndim).map(() => [lo, hi]);
  } else if (width.length === ndim) {
    return (width as readonly (readonly number[])[]).map((p) => [p[0], p[1] ?? p[0]]);
  }
  throw new ShapeError(
    `[pad] pad_width ${JSON.stringify(width)} does not fit an array of rank ${ndim}: expected a number, [before, after], or one [before, after] per axis.`,
  );
}

/** `jnp.pad(x, padWidth, { mode, constantValues })`. */
export function pad(
  x: ArrayLike,
  padWidth: PadWidth,
  ...args: [PadOptions["mode"]?, PadOptions?] | [PadOptions]
): NdArray {
  const a = asArray(x);
  const o = parseOptional<PadOptions>(["mode"], args);
  const widths = padWidths(padWidth, a.ndim);
  if (widths.some(([lo, hi]) => lo < 0 || hi < 0))
    throw new ShapeError(`[pad] padding widths must be non-negative: got ${JSON.stringify(widths)}.`);
  const mode = o.mode ?? "constant";
  if (mode === "constant")
    return sl.pad(
      a,
      ew.scalarLike(o.constantValues ?? 0, a),
      widths.map(([lo, hi]) => [lo, hi, 0]),
    );
  let out = a;
  widths.forEach(([lo, hi], axis) => (out = padAxisMode(out, axis, lo, hi, mode)));
  return out;
}

function padAxisMode(x: NdArray, axis: number, lo: number, hi: number, mode: string): NdArray {
  if (lo === 0 && hi === 0) return x;
  const n = x.aval.shape[axis];
  const source = (i: number): number => {
    // Index into x for position i of the padded axis (i may be < 0 or ≥ n).
    if (mode === "edge") return Math.min(Math.max(i, 0), n - 1);
    if (mode === "wrap") return ((i % n) + n) % n;
    const period = mode === "reflect" ? 2 * (n - 1) : 2 * n;
    if (period === 0) return 0;
    const j = ((i % period) + period) % period;
    if (mode === "reflect") return j < n ? j : period - j;
    return j < n ? j : period - 1 - j;
  };
  const idx = range(lo + n + hi).map((i) => source(i - lo));
  return take(x, idx, axis);
}

/** An optional axis given positionally or as `{ axis }`. */
type AxisArg = [] | [number | null] | [{ axis?: number | null }];

/** `jnp.take(x, indices, axis)`: flattened when axis is null. Indices are clamped into range. */
export function take(x: ArrayLike, indices: ArrayLike, ...args: AxisArg): NdArray {
  let axis = parseOptional<{ axis: number | null }>(["axis"], args).axis ?? null;
  let a = asArray(x);
  if (axis === null) {
    a = st.reshape(a, [a.size]);
    axis = 0;
  }
  const ax = normalizeAxis("take", axis, a.ndim);
  const idx = normalizeIndex(asArray(indices, "int32"), a.aval.shape[ax]);
  const out = gather(a, st.reshape(idx, [...idx.aval.shape, 1]), [ax]);
  // gather puts the index axes first; move them to `ax`.
  const k = idx.ndim;
  const perm = [...range(ax).map((i) => i + k), ...range(k), ...range(a.ndim - 1 - ax).map((i) => i + k + ax)];
  return st.transpose(out, perm);
}

/** Negative indices count from the end: i < 0 → i + n. */
export function normalizeIndex(idx: NdArray, n: number): NdArray {
  const i = idx.dtype === "int32" ? idx : ew.convert(idx, "int32");
  return ew.selectN(ew.lt(i, ew.scalarLike(0, i)), [i, ew.add(i, ew.scalarLike(n, i))]);
}

export function takeAlongAxis(
  x: ArrayLike,
  indices: ArrayLike,
  axisOrOptions: number | null | { axis: number | null },
): NdArray {
  let axis = parseOptional<{ axis: number | null }>(["axis"], [axisOrOptions]).axis ?? null;
  let a = asArray(x);
  let idx = asArray(indices, "int32");
  if (axis === null) {
    a = st.reshape(a, [a.size]);
    idx = st.reshape(idx, [idx.size]);
    axis = 0;
  }
  const ax = normalizeAxis("take_along_axis", axis, a.ndim);
  if (idx.ndim !== a.ndim) {
    throw new ShapeError(
      `[take_along_axis] indices and array must have the same rank: got ${idx.aval.str()} and ${a.aval.str()}.`,
    );
  }
  const shape = a.aval.shape.map((n, i) => (i === ax ? idx.aval.shape[i] : Math.max(n, idx.aval.shape[i])));
  const full = st.broadcastTo(normalizeIndex(idx, a.aval.shape[ax]), shape);
  const xs = st.broadcastTo(
    a,
    a.aval.shape.map((n, i) => (i === ax ? n : shape[i])),
  );
  return takeAlong(xs, full, ax);
}

/** `jnp.sort(x, axis=-1)`; axis null sorts the flattened array. */
export function sort(x: ArrayLike, axis: number | null = -1): NdArray {
  let a = asArray(x);
  if (axis === null) {
    a = st.reshape(a, [a.size]);
    axis = 0;
  }
  if (a.ndim === 0) return a;
  return sortPrim([a], { dimension: normalizeAxis("sort", axis, a.ndim), numKeys: 1 })[0];
}

/** `jnp.argsort(x, axis=-1)`: a stable sort's permutation. */
export function argsort(x: ArrayLike, axis: number | null = -1): NdArray {
  let a = asArray(x);
  if (axis === null) {
    a = st.reshape(a, [a.size]);
    axis = 0;
  }
  const ax = normalizeAxis("argsort", axis, a.ndim);
  return sortPrim([a, iota("int32", a.aval.shape.slice(), ax)], { dimension: ax, numKeys: 1 })[1];
}

export function atleast1d(x: ArrayLike): NdArray {
  const a = asArray(x);
  return a.ndim >= 1 ? a : st.reshape(a, [1]);
}

export function atleast2d(x: ArrayLike): NdArray {
  const a = asArray(x);
  return a.ndim >= 2 ? a : st.reshape(a, a.ndim === 0 ? [1, 1] : [1, a.size]);
}
