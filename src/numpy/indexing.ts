/**
 * NumPy indexing (`x.get(...)`) and functional updates (`x.at(...).set(v)`).
 * Basic indices (numbers, slices, null, "...") become slice/rev/reshape;
 * integer-array indices become one gather, placed as NumPy places them.
 * Updates index an iota of flat positions the same way, then scatter.
 *
 * Out-of-range indices, as JAX (0.4.30+): a gather (`x.get`, `.at().get()`)
 * clamps integer-array indices by default ("promise_in_bounds", which XLA
 * clamps) or fills with `fillValue` in mode "fill"; an update (`.at().set`,
 * `.add`, ...) drops them by default ("drop"/"fill") or clamps in mode "clip".
 * Negative indices count from the end first, as in Python. A static integer
 * that is out of range in `x.get(...)` is an IndexError, as in NumPy (JAX
 * clamps it unless `jax_check_static_indices` is on); `x.at(i).get()` clamps
 * it, as JAX documents.
 */
import { upload } from "../backends/api.js";
import { NdArray, Slice, type ArrayLike, type Index } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import { ShapedArray } from "../core/aval.js";
import { ShapeError, CotangentError } from "../core/errors.js";
import { defineOptions, describeValue, either, is, oneOf, orNull, type OptArgs } from "../core/options.js";
import * as st from "../primitives/structural.js";
import * as sl from "../primitives/slicing.js";
import * as ew from "../primitives/elementwise.js";
import { reduceAndP } from "../primitives/reduce.js";
import { gather, scatter, type ScatterMode } from "../primitives/indexing.js";
import { iota } from "../primitives/iota.js";
import { broadcastShapes, range } from "../primitives/shapes.js";
import { bind1, Tracer } from "../core/trace.js";
import { asArray, promoteOperands } from "../primitives/as-array.js";
import { concatenate } from "../primitives/slicing.js";

/**
 * An index that is not valid for the array it is applied to. JAX raises Python's `IndexError`
 * (No JAX twin class).
 *
 * @example
 * np.ones([2]).get(5); // throws IndexError: [get] index 5 is out of bounds for axis 0 with size 2 ...
 * np.ones([2]).at(5).get({ mode: "clip" }); // clamps instead
 */
export class IndexError extends CotangentError {}

/** Options of `np.slice` (Python's `slice(start, stop, step)`). */
export interface SliceOptions {
  /** The first position (null: the start, or the end for a negative step). */
  start?: number | null;
  /** The position to stop before (null: the end, or the start for a negative step). */
  stop?: number | null;
  /** The stride (null: 1); never 0. */
  step?: number | null;
}
const sliceOptions = defineOptions("slice", { start: orNull(is.int), stop: orNull(is.int), step: orNull(is.int) }, [
  "start",
  "stop",
  "step",
]);

/**
 * `np.slice(start, stop, step)`, Python's `start:stop:step` (any part may be null), as
 * `numpy.s_[start:stop:step]`; JAX's `x[1:3]` is `x.get(np.slice(1, 3))`.
 *
 * @example
 * x.get(np.slice(1, 3));              // x[1:3]
 * x.get(np.slice({ step: -1 }));      // x[::-1]
 */
export function slice(...args: OptArgs<[number | null, number | null, number | null], SliceOptions>): Slice {
  const o = sliceOptions.parse(args);
  if (o.step === 0) throw new IndexError(`[slice] slice step cannot be zero: got step 0, expected a non-zero integer.`);
  return new Slice(o.start ?? null, o.stop ?? null, o.step ?? null);
}

/** JAX's `GatherScatterMode` names. */
export type IndexMode = "clip" | "drop" | "fill" | "promise_in_bounds";
const MODES = ["clip", "drop", "fill", "promise_in_bounds"] as const;

/** What to do with an out-of-range index. */
type OutOfRange = "error" | "clip" | "fill";

interface IndexPlan {
  /** Static integers out of range. */
  staticInts: OutOfRange;
  /** Integer arrays out of range (never "error": their values are not static). */
  arrays: "clip" | "fill";
  /** Negative indices count from the end (JAX's `wrap_negative_indices`). */
  wrap: boolean;
  /** The fill value of mode "fill" (a gather); null: JAX's default for the dtype. */
  fillValue: number | boolean | null;
  /** The operation, for messages. */
  op: string;
}

const GET_DEFAULT: IndexPlan = { staticInts: "error", arrays: "clip", wrap: true, fillValue: null, op: "get" };

type Entry =
  | { kind: "slice"; start: number; stop: number; step: number }
  | { kind: "int"; i: number }
  | { kind: "array"; idx: NdArray }
  | { kind: "newaxis" };

function isArrayIndex(x: Index): boolean {
  return x instanceof NdArray || Array.isArray(x);
}

function isWholeNumberList(x: Index): boolean {
  return Array.isArray(x) && (x as unknown[]).flat(Infinity).every((v) => typeof v === "number" && Number.isInteger(v));
}

/** Python's slice.indices(n): clamped start, stop for a step. */
function sliceIndices(s: Slice, n: number): [number, number, number] {
  const step = s.step ?? 1;
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const norm = (v: number | null, dflt: number, lo: number, hi: number) =>
    v === null ? dflt : clamp(v < 0 ? v + n : v, lo, hi);
  if (step > 0) return [norm(s.start, 0, 0, n), norm(s.stop, n, 0, n), step];
  return [norm(s.start, n - 1, -1, n - 1), norm(s.stop, -1, -1, n - 1), step];
}

function checkIndexType(op: string, i: unknown, pos: number): void {
  const ok =
    i === null ||
    i === "..." ||
    i instanceof Slice ||
    i instanceof NdArray ||
    Array.isArray(i) ||
    (typeof i === "number" && Number.isInteger(i));
  if (ok) return;
  if (typeof i === "number") {
    throw new IndexError(
      `[${op}] indices must be integers: got ${i} at position ${pos}, expected an integer, a slice, null, "..." or an integer array.`,
    );
  }
  throw new IndexError(
    `[${op}] only integers, slices (np.slice), ellipsis ("..."), new axes (null) and integer arrays are valid indices: ` +
      `got ${describeValue(i)} at position ${pos}.`,
  );
}

function checkSlice(op: string, s: Slice): void {
  for (const [k, v] of [
    ["start", s.start],
    ["stop", s.stop],
    ["step", s.step],
  ] as const) {
    if (v !== null && !Number.isInteger(v)) {
      throw new IndexError(`[${op}] slice ${k} must be an integer or null: got ${describeValue(v)}.`);
    }
  }
  if (s.step === 0) throw new IndexError(`[${op}] slice step cannot be zero: got step 0, expected a non-zero integer.`);
}

function parseIndex(x: NdArray, index: Index[], plan: IndexPlan): { entries: Entry[]; dims: number[] } {
  const op = plan.op;
  index.forEach((i, pos) => checkIndexType(op, i, pos));
  const ellipses = index.filter((i) => i === "...").length;
  if (ellipses > 1) throw new IndexError(`[${op}] an index can only have a single ellipsis ("..."): got ${ellipses}.`);
  const consumed = index.filter((i) => i !== null && i !== "...").length;
  if (consumed > x.ndim) {
    throw new IndexError(
      `[${op}] too many indices for array: array is ${x.ndim}-dimensional, but ${consumed} were indexed.`,
    );
  }
  const anyArray = index.some(isArrayIndex) || index.some((i) => i instanceof Tracer);
  const expanded: Index[] = [];
  for (const i of index) {
    if (i === "...") for (let k = 0; k < x.ndim - consumed; k++) expanded.push(new Slice());
    else expanded.push(i);
  }
  while (expanded.filter((i) => i !== null).length < x.ndim) expanded.push(new Slice());
  const entries: Entry[] = [];
  const dims: number[] = [];
  let dim = 0;
  for (const i of expanded) {
    if (i === null) {
      entries.push({ kind: "newaxis" });
      dims.push(-1);
      continue;
    }
    const n = x.aval.shape[dim];
    if (i instanceof Slice) {
      checkSlice(op, i);
      const [start, stop, step] = sliceIndices(i, n);
      entries.push({ kind: "slice", start, stop, step });
    } else if (typeof i === "number") {
      const w = plan.wrap && i < 0 ? i + n : i;
      const inRange = w >= 0 && w < n;
      let mode: OutOfRange | "ok" = inRange ? "ok" : plan.staticInts;
      if (mode !== "ok" && mode !== "fill" && n === 0) mode = "error";
      if (mode === "error") {
        throw new IndexError(
          n === 0
            ? `[${op}] index ${i} is out of bounds for axis ${dim} with size 0.`
            : `[${op}] index ${i} is out of bounds for axis ${dim} with size ${n}: expected an integer in [${plan.wrap ? -n : 0}, ${n - 1}]. ` +
                `(.at(i).get({ mode: "clip" }) clamps, { mode: "fill" } fills.)`,
        );
      }
      const v = mode === "clip" ? Math.min(Math.max(w, 0), n - 1) : w;
      // An out-of-range int to fill or drop goes through the array path, which masks it.
      entries.push(anyArray || mode === "fill" ? { kind: "array", idx: asArray(v, "int32") } : { kind: "int", i: v });
    } else {
      // Nested JS arrays of whole numbers are integer indices (asArray alone would make them float32).
      const idx = isWholeNumberList(i) ? asArray(i as ArrayLike, "int32") : asArray(i as ArrayLike, undefined, op);
      if (idx.dtype === "bool") {
        throw new IndexError(
          `[${op}] boolean mask indexing gives a shape that depends on values: got a bool index, expected integer indices. Use np.where(mask, x, 0) or pass integer positions.`,
        );
      }
      if (idx.dtype !== "int32" && idx.dtype !== "uint32") {
        throw new IndexError(
          `[${op}] array indices must be integers: got ${idx.aval.str()}, expected int32 (use .astype("int32")).`,
        );
      }
      if (n === 0 && idx.size > 0 && plan.arrays === "clip") {
        throw new IndexError(
          `[${op}] index is out of bounds for axis ${dim} with size 0: got ${idx.aval.str()} indices into an empty axis.`,
        );
      }
      const i32 = idx.dtype === "int32" ? idx : ew.convert(idx, "int32");
      const wrapped = plan.wrap
        ? ew.selectN(ew.lt(i32, ew.scalarLike(0, i32)), [i32, ew.add(i32, ew.scalarLike(n, i32))])
        : i32;
      entries.push({ kind: "array", idx: wrapped });
    }
    dims.push(dim++);
  }
  return { entries, dims };
}

/** JAX's default fill for a gather in mode "fill": NaN, the most negative int, the largest uint, true. */
function defaultFill(d: DType): number {
  return d === "int32" ? -2147483648 : d === "uint32" ? 4294967295 : d === "bool" ? 1 : NaN;
}

/** `x[index]` with NumPy's rules (out-of-range handling as `plan` says). */
export function getItem(x: NdArray, index: Index[], plan: IndexPlan = GET_DEFAULT): NdArray {
  const { entries } = parseIndex(x, index, plan);
  // 1. Static slices (negative steps reverse first), ints become length-1 slices.
  let y = x;
  let d = 0;
  for (const e of entries) {
    if (e.kind === "newaxis") continue;
    if (e.kind === "slice") {
      if (e.step > 0) y = sl.sliceAxis(y, d, e.start, Math.max(e.start, e.stop), e.step);
      else {
        const n = y.aval.shape[d];
        y = sl.rev(y, [d]);
        const start = n - 1 - e.start;
        const stop = n - 1 - e.stop;
        y = sl.sliceAxis(y, d, start, Math.max(start, stop), -e.step);
      }
    } else if (e.kind === "int") y = sl.sliceAxis(y, d, e.i, e.i + 1);
    d++;
  }
  // 2. Drop int axes, insert new axes.
  const shape: number[] = [];
  const arrayDims: number[] = [];
  const arrays: NdArray[] = [];
  d = 0;
  for (const e of entries) {
    if (e.kind === "newaxis") shape.push(1);
    else {
      if (e.kind === "array") {
        arrayDims.push(shape.length);
        arrays.push(e.idx);
      }
      if (e.kind !== "int") shape.push(y.aval.shape[d]);
      d++;
    }
  }
  y = st.reshape(y, shape);
  if (arrays.length === 0) return y;
  // 3. One gather for all array indices (broadcast together).
  const bshape = broadcastShapes(plan.op, ...arrays.map((a) => a.aval.shape));
  const cols = arrays.map((a) => st.reshape(st.broadcastTo(a, bshape), [...bshape, 1]));
  const idx = concatenate(cols, bshape.length);
  let out = gather(y, idx, arrayDims);
  if (plan.arrays === "fill") {
    // Mode "fill": positions with any index out of range read the fill value.
    const bounds = arrayDims.map((a) => y.aval.shape[a]);
    const b = upload(new ShapedArray([bounds.length], "int32"), Int32Array.from(bounds));
    const ok = ew.and(ew.ge(idx, ew.scalarLike(0, idx)), ew.lt(idx, b));
    const valid = bind1(reduceAndP, [ok], { axes: [bshape.length] });
    const fill = plan.fillValue === null ? defaultFill(out.dtype) : Number(plan.fillValue);
    const mask = st.broadcastInDim(valid, out.aval.shape, range(bshape.length));
    out = ew.selectN(mask, [st.broadcastTo(ew.scalarLike(fill, out), out.aval.shape), out]);
  }
  // NumPy: adjacent array indices put the broadcast axes where the first one was; otherwise in front.
  const adjacent = arrayDims.every((v, i) => i === 0 || v === arrayDims[i - 1] + 1);
  if (!adjacent || arrayDims[0] === 0) return out;
  const nb = bshape.length;
  const first = arrayDims[0];
  const perm = [
    ...range(first).map((i) => i + nb),
    ...range(nb),
    ...range(out.ndim - nb - first).map((i) => i + nb + first),
  ];
  return st.transpose(out, perm);
}

// --- .at[...] ------------------------------------------------------------------------------

/** Options of `x.at(idx).set(v, {...})` and the other updates (JAX's keyword-only parameters). */
export interface UpdateOptions {
  /** A promise that the indices are sorted (a hint; accepted and unused). */
  indicesAreSorted?: boolean;
  /** A promise that no index repeats: lets `.mul` / `.divide` / `.power` be differentiated with respect to the values. */
  uniqueIndices?: boolean;
  /** Out-of-range indices: "drop" / "fill" / "promise_in_bounds" / null (the default) drop the update; "clip" clamps it. */
  mode?: IndexMode | null;
  /** Negative indices count from the end (default true); false makes them out of range. */
  wrapNegativeIndices?: boolean;
}
/** Options of `x.at(idx).get({...})` (JAX's `x.at[idx].get(...)`). */
export interface GetOptions extends UpdateOptions {
  /**
   * Out-of-range indices: null / "promise_in_bounds" / "clip" clamp (static integers too, as JAX's
   * `x.at[20].get()`; plain `x.get(20)` is an IndexError); "fill" / "drop" read `fillValue`.
   */
  mode?: IndexMode | null;
  /** Mode "fill": the value read out of range (default NaN, the most negative int, the largest uint, true). */
  fillValue?: number | boolean | null;
}
const updateChecks = {
  indicesAreSorted: is.bool,
  uniqueIndices: is.bool,
  mode: orNull(oneOf(...MODES)),
  wrapNegativeIndices: is.bool,
};
const getOptions = defineOptions("at.get", { ...updateChecks, fillValue: orNull(either(is.numberOrNaN, is.bool)) }, []);
const UPDATE_OPS = ["set", "add", "subtract", "mul", "divide", "power", "min", "max"] as const;
type UpdateOp = (typeof UPDATE_OPS)[number];
const updateOptions = Object.fromEntries(
  UPDATE_OPS.map((m) => [m, defineOptions(`at.${m}`, updateChecks, [])]),
) as Record<UpdateOp, ReturnType<typeof defineOptions<typeof updateChecks>>>;

/**
 * What `x.at(...index)` returns, as JAX's `x.at[index]` (`jax.numpy.ndarray.at`): `set`, `add`,
 * `subtract`, `mul`/`multiply`, `divide`, `power`, `min`, `max`, `get`, each returning a new array.
 *
 * @example
 * const x = np.zeros([3]);
 * x.at(1).set(5); // [0, 5, 0]
 * x.at([0, 0]).add(1); // [2, 0, 0]: repeated indices accumulate
 */
export class AtUpdater {
  constructor(
    private readonly x: NdArray,
    private readonly index: Index[],
  ) {}

  /**
   * `x.at[idx].get(mode=..., fill_value=...)`: `x.get(idx)`, with JAX's out-of-range modes.
   *
   * @example
   * np.arange(5).at(20).get({ mode: "clip" });                 // 4
   * np.arange(5.0).at([1, 9]).get({ mode: "fill", fillValue: -1 }); // [1, -1]
   */
  get(...args: [] | [GetOptions]): NdArray {
    const o = getOptions.parse(args);
    const mode = o.mode ?? null;
    const fill = mode === "fill" || mode === "drop";
    return getItem(this.x, this.index, {
      staticInts: fill ? "fill" : "clip",
      arrays: fill ? "fill" : "clip",
      wrap: o.wrapNegativeIndices ?? true,
      fillValue: o.fillValue ?? null,
      op: "at.get",
    });
  }
  /** `x.at[idx].set(v)`: the values at the indices replaced (the last write wins for repeated indices). */
  set(v: ArrayLike, ...args: [] | [UpdateOptions]): NdArray {
    return this.update("set", v, args, "set");
  }
  /** `x.at[idx].add(v)`: adds (repeated indices accumulate). */
  add(v: ArrayLike, ...args: [] | [UpdateOptions]): NdArray {
    return this.update("add", v, args, "add");
  }
  /** Subtracts (JAX's `.at[].subtract`). */
  subtract(v: ArrayLike, ...args: [] | [UpdateOptions]): NdArray {
    const [, u] = promoteOperands("at.subtract", [this.x, v]);
    return this.update("subtract", u.neg(), args, "add");
  }
  /** `x.at[idx].multiply(v)` (alias `mul`): multiplies (repeated indices multiply repeatedly). */
  mul(v: ArrayLike, ...args: [] | [UpdateOptions]): NdArray {
    return this.update("mul", v, args, "mul");
  }
  /** The same as {@link mul}. */
  multiply(v: ArrayLike, ...args: [] | [UpdateOptions]): NdArray {
    return this.mul(v, ...args);
  }
  /** Divides (JAX's `.at[].divide`). */
  divide(v: ArrayLike, ...args: [] | [UpdateOptions]): NdArray {
    const [, u] = promoteOperands("at.divide", [this.x, v]);
    return this.update("divide", asArray(1, u.dtype).div(u), args, "mul");
  }
  /** Raises to a power (JAX's `.at[].power`): x ** (the product of the values at each position). */
  power(v: ArrayLike, ...args: [] | [UpdateOptions]): NdArray {
    const ones = st.broadcastTo(ew.scalarLike(1, this.x), this.x.aval.shape);
    const exps = new AtUpdater(ones, this.index).update("power", v, args, "mul");
    return this.x.pow(exps);
  }
  /** `x.at[idx].min(v)`: the smaller of the current and the new value. */
  min(v: ArrayLike, ...args: [] | [UpdateOptions]): NdArray {
    return this.update("min", v, args, "min");
  }
  /** `x.at[idx].max(v)`: the larger of the current and the new value. */
  max(v: ArrayLike, ...args: [] | [UpdateOptions]): NdArray {
    return this.update("max", v, args, "max");
  }

  /** Flat positions selected by the index, then one scatter into the flattened array. */
  private update(op: UpdateOp, v: ArrayLike, args: readonly unknown[], mode: ScatterMode): NdArray {
    const o = updateOptions[op].parse(args);
    const x = this.x;
    const clip = o.mode === "clip";
    const name = `at.${op}`;
    // Out-of-range positions become -1, which the scatter drops (or are clamped in mode "clip").
    const plan: IndexPlan = {
      staticInts: clip ? "clip" : "fill",
      arrays: clip ? "clip" : "fill",
      wrap: o.wrapNegativeIndices ?? true,
      fillValue: -1,
      op: name,
    };
    const positions = getItem(st.reshape(iota("int32", [x.size], 0), x.aval.shape), this.index, plan);
    let u = asArray(v, undefined, name);
    if (u.dtype !== x.dtype) u = u.astype(x.dtype);
    const target = positions.aval.shape;
    let fits = u.ndim <= target.length;
    try {
      fits = fits && broadcastShapes(name, u.aval.shape, target).every((n, i) => n === target[i]);
    } catch {
      fits = false;
    }
    if (!fits) {
      throw new ShapeError(
        `[${name}] the update values ${u.aval.str()} do not fit the indexed shape ${positions.aval.str()}: expected values that broadcast to it.`,
      );
    }
    // Without integer arrays each position is written once (JAX's indexer.unique_indices).
    const unique = o.uniqueIndices === true || !this.index.some((i) => isArrayIndex(i) || i instanceof Tracer);
    const updates = st.broadcastTo(u, target);
    const flat = st.reshape(x, [x.size]);
    const idx = st.reshape(positions, [positions.size, 1]);
    const out = scatter(flat, idx, st.reshape(updates, [positions.size]), [0], mode, unique);
    return st.reshape(out, x.aval.shape);
  }
}

export function atUpdater(x: NdArray, index: Index[]): AtUpdater {
  return new AtUpdater(x, index);
}
