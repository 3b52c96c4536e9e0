/**
 * NumPy indexing (`x.get(...)`) and functional updates (`x.at(...).set(v)`).
 * Basic indices (numbers, slices, null, "...") become slice/rev/reshape;
 * integer-array indices become one gather, placed as NumPy places them.
 * Updates index an iota of flat positions the same way, then scatter.
 */
import { NdArray, Slice, type ArrayLike, type Index } from "../core/array.js";
import { AxisError, CotangentError } from "../core/errors.js";
import * as st from "../primitives/structural.js";
import * as sl from "../primitives/slicing.js";
import { gather, scatter, type ScatterMode } from "../primitives/indexing.js";
import { iota } from "../primitives/iota.js";
import { broadcastShapes, range } from "../primitives/shapes.js";
import { Tracer } from "../core/trace.js";
import { asArray, promoteOperands } from "./convert.js";
import { normalizeIndex } from "./shape.js";
import { concatenate } from "../primitives/slicing.js";

/** An index that is not valid for the array it is applied to. */
export class IndexError extends CotangentError {}

/** `np.slice(start, stop, step)`, Python's `start:stop:step` (any part may be null). */
export function slice(start: number | null = null, stop: number | null = null, step: number | null = null): Slice {
  if (step === 0) throw new IndexError(`[slice] slice step cannot be zero: got step 0, expected a non-zero integer.`);
  return new Slice(start, stop, step);
}

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

function parseIndex(x: NdArray, index: Index[]): { entries: Entry[]; dims: number[] } {
  const ellipses = index.filter((i) => i === "...").length;
  if (ellipses > 1) throw new IndexError(`[get] an index can only have a single ellipsis ("..."): got ${ellipses}.`);
  const consumed = index.filter((i) => i !== null && i !== "...").length;
  if (consumed > x.ndim) {
    throw new IndexError(
      `[get] too many indices for array: array is ${x.ndim}-dimensional, but ${consumed} were indexed.`,
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
      const [start, stop, step] = sliceIndices(i, n);
      entries.push({ kind: "slice", start, stop, step });
    } else if (typeof i === "number") {
      if (!Number.isInteger(i) || i < -n || i >= n) {
        throw new IndexError(
          `[get] index ${i} is out of bounds for axis ${dim} with size ${n}: expected an integer in [${-n}, ${n - 1}].`,
        );
      }
      entries.push(
        anyArray ? { kind: "array", idx: asArray(i < 0 ? i + n : i, "int32") } : { kind: "int", i: i < 0 ? i + n : i },
      );
    } else {
      // Nested JS arrays of whole numbers are integer indices (asArray alone would make them float32).
      const idx = isWholeNumberList(i) ? asArray(i as ArrayLike, "int32") : asArray(i as ArrayLike);
      if (idx.dtype === "bool") {
        throw new IndexError(
          `[get] boolean mask indexing gives a shape that depends on values: got a bool index, expected integer indices. Use np.where(mask, x, 0) or pass integer positions.`,
        );
      }
      if (idx.dtype !== "int32" && idx.dtype !== "uint32") {
        throw new IndexError(
          `[get] array indices must be integers: got ${idx.aval.str()}, expected int32 (use .astype("int32")).`,
        );
      }
      entries.push({ kind: "array", idx: normalizeIndex(idx, n) });
    }
    dims.push(dim++);
  }
  return { entries, dims };
}

/** `x[index]` with NumPy's rules. */
export function getItem(x: NdArray, index: Index[]): NdArray {
  const { entries } = parseIndex(x, index);
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
  const bshape = broadcastShapes("get", ...arrays.map((a) => a.aval.shape));
  const cols = arrays.map((a) => st.reshape(st.broadcastTo(a, bshape), [...bshape, 1]));
  const out = gather(y, concatenate(cols, bshape.length), arrayDims);
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

/** `x.at[index]`: functional updates that return a new array. */
export class AtUpdater {
  constructor(
    private readonly x: NdArray,
    private readonly index: Index[],
  ) {}

  /** `x.at[idx].get()`: the same as `x.get(idx)`. */
  get(): NdArray {
    return getItem(this.x, this.index);
  }
  set(v: ArrayLike): NdArray {
    return this.update(v, "set");
  }
  add(v: ArrayLike): NdArray {
    return this.update(v, "add");
  }
  /** Subtracts (JAX's `.at[].subtract`). */
  subtract(v: ArrayLike): NdArray {
    const [, u] = promoteOperands("at.subtract", [this.x, v]);
    return this.update(u.neg(), "add");
  }
  mul(v: ArrayLike): NdArray {
    return this.update(v, "mul");
  }
  multiply(v: ArrayLike): NdArray {
    return this.mul(v);
  }
  divide(v: ArrayLike): NdArray {
    const [, u] = promoteOperands("at.divide", [this.x, v]);
    return this.update(asArray(1, u.dtype).div(u), "mul");
  }
  min(v: ArrayLike): NdArray {
    return this.update(v, "min");
  }
  max(v: ArrayLike): NdArray {
    return this.update(v, "max");
  }

  /** Flat positions selected by the index, then one scatter into the flattened array. */
  private update(v: ArrayLike, mode: ScatterMode): NdArray {
    const x = this.x;
    const positions = getItem(st.reshape(iota("int32", [x.size], 0), x.aval.shape), this.index);
    let u = asArray(v);
    if (u.dtype !== x.dtype) u = u.astype(x.dtype);
    const target = positions.aval.shape;
    let fits = u.ndim <= target.length;
    try {
      fits = fits && broadcastShapes("at", u.aval.shape, target).every((n, i) => n === target[i]);
    } catch {
      fits = false;
    }
    if (!fits) {
      throw new AxisError(
        `[at.${mode}] the update values ${u.aval.str()} do not fit the indexed shape ${positions.aval.str()}: expected values that broadcast to it.`,
      );
    }
    const updates = st.broadcastTo(u, target);
    const flat = st.reshape(x, [x.size]);
    const idx = st.reshape(positions, [positions.size, 1]);
    const out = scatter(flat, idx, st.reshape(updates, [positions.size]), [0], mode);
    return st.reshape(out, x.aval.shape);
  }
}

export function atUpdater(x: NdArray, index: Index[]): AtUpdater {
  return new AtUpdater(x, index);
}
