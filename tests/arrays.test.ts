/**
 * Arrays as values: NumPy indexing with `x.get(...)` and functional updates with
 * `x.at(...)` (checked against an independent JS implementation of NumPy's
 * indexing rules), their gradients, the Array members, and the printed form
 * against NumPy's / JAX's repr text.
 */
import { describe, expect, it } from "vitest";
import { grad, IndexError, numpy as np, Slice, type Array as NdArray, type DType, type Index } from "../src/index.js";

// --- reference indexing -----------------------------------------------------------------

interface T {
  shape: number[];
  data: number[];
}
type Nested = number | readonly Nested[];

const sizeOf = (shape: readonly number[]): number => shape.reduce((p, n) => p * n, 1);
const vals = (a: NdArray): number[] => Array.from(a.dataSync() as ArrayLike<number>);
const iotaT = (shape: number[]): T => ({ shape, data: Array.from({ length: sizeOf(shape) }, (_, i) => i) });
const toNd = (t: T, dtype: DType = "int32"): NdArray => np.reshape(np.array(t.data, dtype), t.shape);

function unravel(shape: readonly number[], flatIndex: number): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flatIndex % shape[d];
    flatIndex = Math.floor(flatIndex / shape[d]);
  }
  return idx;
}
const offsetOf = (shape: readonly number[], idx: readonly number[]): number =>
  idx.reduce((off, i, d) => off * shape[d] + i, 0);

/** CPython's slice.indices(n), then range(start, stop, step). */
function pyRange(n: number, s: Slice): number[] {
  const step = s.step ?? 1;
  const [lower, upper] = step > 0 ? [0, n] : [-1, n - 1];
  const fix = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    const w = v < 0 ? v + n : v;
    return w < lower ? lower : w > upper ? upper : w;
  };
  const start = fix(s.start, step > 0 ? lower : upper);
  const stop = fix(s.stop, step > 0 ? upper : lower);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

function nestedT(x: Nested): T {
  const shape: number[] = [];
  for (let c: Nested = x; Array.isArray(c); c = (c as Nested[])[0]) shape.push((c as Nested[]).length);
  const data = Array.isArray(x) ? (x as Nested[]).flat(Infinity as 1) : [x];
  return { shape, data: data as number[] };
}

function broadcastShapes(shapes: number[][]): number[] {
  const nd = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: nd }, (_, i) => Math.max(...shapes.map((s) => s[s.length - nd + i] ?? 1)));
}
/** Element of `t` at index `idx` of the broadcast shape `shape`. */
function broadcastAt(t: T, shape: number[], idx: number[]): number {
  const lead = shape.length - t.shape.length;
  return t.data[
    offsetOf(
      t.shape,
      t.shape.map((n, d) => (n === 1 ? 0 : idx[lead + d])),
    )
  ];
}

/**
 * NumPy's indexing, written from its documentation: basic indices (ints, slices, None,
 * Ellipsis) select and drop axes; integer arrays (and ints alongside them) broadcast
 * together and put their axes where the first one was when they are adjacent, in front otherwise.
 */
function refGet(x: T, index: Index[]): T {
  const nd = x.shape.length;
  const consumed = index.filter((i) => i !== null && i !== "...").length;
  const expanded: Index[] = [];
  for (const i of index) {
    if (i === "...") for (let k = 0; k < nd - consumed; k++) expanded.push(new Slice());
    else expanded.push(i);
  }
  while (expanded.filter((i) => i !== null).length < nd) expanded.push(new Slice());
  const anyArray = expanded.some((i) => Array.isArray(i));
  type E =
    | { kind: "new" }
    | { kind: "slice"; axis: number; idx: number[] }
    | { kind: "int"; axis: number; i: number }
    | { kind: "adv"; axis: number; t: T };
  let axis = 0;
  const entries: E[] = expanded.map((i): E => {
    if (i === null) return { kind: "new" };
    const n = x.shape[axis];
    const a = axis++;
    if (i instanceof Slice) return { kind: "slice", axis: a, idx: pyRange(n, i) };
    if (typeof i === "number") {
      const w = i < 0 ? i + n : i;
      return anyArray ? { kind: "adv", axis: a, t: { shape: [], data: [w] } } : { kind: "int", axis: a, i: w };
    }
    const t = nestedT(i as Nested);
    return { kind: "adv", axis: a, t: { shape: t.shape, data: t.data.map((v) => (v < 0 ? v + n : v)) } };
  });
  const advPos = entries.map((e, k) => (e.kind === "adv" ? k : -1)).filter((k) => k >= 0);
  const B = advPos.length ? broadcastShapes(advPos.map((k) => (entries[k] as { t: T }).t.shape)) : [];
  const adjacent = advPos.every((k, j) => j === 0 || k === advPos[j - 1] + 1);
  // Output axes: each basic entry gives one (slices, new axes); B's axes go in as a block.
  type Out = { kind: "b" } | { kind: "e"; e: E };
  const outs: Out[] = [];
  let placed = false;
  entries.forEach((e, k) => {
    if (e.kind === "adv") {
      if (adjacent && !placed && k === advPos[0]) {
        for (let j = 0; j < B.length; j++) outs.push({ kind: "b" });
        placed = true;
      }
    } else if (e.kind !== "int") outs.push({ kind: "e", e });
  });
  if (!placed) for (let j = 0; j < B.length; j++) outs.unshift({ kind: "b" });
  const shape = outs.map((o) =>
    o.kind === "b"
      ? B[outs.filter((p, q) => p.kind === "b" && q < outs.indexOf(o)).length]
      : o.e.kind === "slice"
        ? o.e.idx.length
        : 1,
  );
  const bDims = outs.map((o, q) => (o.kind === "b" ? q : -1)).filter((q) => q >= 0);
  const data = Array.from({ length: sizeOf(shape) }, (_, flatOut) => {
    const oi = unravel(shape, flatOut);
    const bIdx = bDims.map((q) => oi[q]);
    const src = new Array<number>(nd);
    outs.forEach((o, q) => {
      if (o.kind === "e" && o.e.kind === "slice") src[o.e.axis] = o.e.idx[oi[q]];
    });
    for (const e of entries) {
      if (e.kind === "int") src[e.axis] = e.i;
      if (e.kind === "adv") src[e.axis] = broadcastAt(e.t, B, bIdx);
    }
    return x.data[offsetOf(x.shape, src)];
  });
  return { shape, data };
}

type Mode = "set" | "add" | "mul" | "min" | "max";
/** `x.at[index].<mode>(v)`: the positions `refGet` selects, updated in row-major order. */
function refAt(x: T, index: Index[], mode: Mode, v: T): T {
  const positions = refGet(iotaT(x.shape), index);
  const out = [...x.data];
  positions.data.forEach((p, k) => {
    const u = broadcastAt(v, positions.shape, unravel(positions.shape, k));
    out[p] =
      mode === "set"
        ? u
        : mode === "add"
          ? out[p] + u
          : mode === "mul"
            ? out[p] * u
            : mode === "min"
              ? Math.min(out[p], u)
              : Math.max(out[p], u);
  });
  return { shape: x.shape, data: out };
}

function expectT(actual: NdArray, expected: T, label = ""): void {
  expect(actual.shape, `${label} shape`).toEqual(expected.shape);
  expect(vals(actual), `${label} values`).toEqual(expected.data);
}

// --- indexing ------------------------------------------------------------------------------

describe("x.get(...)", () => {
  const X = iotaT([2, 3, 4]);
  const x = toNd(X);

  it("slices on one axis: every start/stop/step combination, as Python's slice.indices", () => {
    const v = np.arange(5);
    const bounds = [null, -8, -5, -2, -1, 0, 1, 3, 5, 8];
    for (const step of [null, 1, 2, 3, -1, -2, -3]) {
      for (const start of bounds) {
        for (const stop of bounds) {
          const s = np.slice(start, stop, step);
          const got = v.get(s);
          expect(vals(got), `[${start}:${stop}:${step}]`).toEqual(pyRange(5, s));
          expect(got.dtype).toBe("int32");
        }
      }
    }
    expect(() => np.slice(0, 1, 0)).toThrow(IndexError);
  });

  it("ints, negative ints, slices with steps, null and ellipsis", () => {
    const cases: Index[][] = [
      [1],
      [-1, -2],
      [1, 2, 3],
      [0, np.slice(1, 3)],
      [0, 0, np.slice(null, null, 2)],
      [0, 0, np.slice(null, null, -1)],
      [0, 0, np.slice(3, 0, -2)],
      [np.slice(null, null, -1), np.slice(-1, -5, -2), np.slice(1, null, 2)],
      [np.slice(-10, 10), 1],
      [0, np.slice(5, 10)],
      [null, 0, null],
      ["...", 1],
      [0, "...", 1],
      ["...", null],
      [1, "...", null, np.slice(1, 3)],
      [null, "...", null],
    ];
    for (const index of cases) expectT(x.get(...index), refGet(X, index), JSON.stringify(index));
    expect(x.get(null, 0, null).shape).toEqual([1, 1, 3, 4]);
    expect(x.get("...", null).shape).toEqual([2, 3, 4, 1]);
    expect(x.get(1, 2, 3).ndim).toBe(0);
    expect(x.get(1, 2, 3).item()).toBe(23);
  });

  it("integer arrays broadcast together; adjacent ones stay in place, separated ones go first", () => {
    const cases: Index[][] = [
      [[1, 0]],
      [
        [1, 0],
        [2, 0],
      ],
      [
        [[1], [0]],
        [0, 1, 2],
      ],
      [[[1], [0]], [0, 1, 2], 3],
      [np.slice(), [0, 2], [1, 3]],
      [[0, 1], np.slice(), [1, 3]],
      [[0, 1], 1, np.slice(0, 2)],
      [np.slice(), 1, [0, 3]],
      [1, np.slice(), [0, 3]],
      [np.slice(), [[0, 2]]],
      [[0, 1], null, [0, 1]],
      [np.slice(0, 1), [0, 1], null, [0, 1]],
      [0, 0, [-1, -4]],
      ["...", [3, 0, 3]],
      [[1], "...", [[0], [2]]],
      [np.slice(null, null, -1), [2, 0], np.slice(1, 3)],
    ];
    for (const index of cases) expectT(x.get(...index), refGet(X, index), JSON.stringify(index));
    // The placements, spelled out.
    expect(x.get(np.slice(), [0, 2], [1, 3]).shape).toEqual([2, 2]);
    expect(x.get([0, 1], np.slice(), [1, 3]).shape).toEqual([2, 3]);
    // An int next to an array index is an array index: x[1, :, [0, 3]] has shape (2, 3).
    expect(x.get(1, np.slice(), [0, 3]).shape).toEqual([2, 3]);
    expect(x.get(np.slice(), 1, [0, 3]).shape).toEqual([2, 2]);
    // A new axis between array indices separates them.
    expect(x.get(np.slice(0, 1), [0, 1], null, [0, 1]).shape).toEqual([2, 1, 1]);
    // Library arrays work as indices too (int32 or uint32).
    expectT(x.get(0, 0, np.array([3, 0], "int32")), refGet(X, [0, 0, [3, 0]]));
    expectT(x.get(np.array([1], "uint32")), refGet(X, [[1]]));
  });

  it("rejects bad indices", () => {
    expect(() => x.get(2)).toThrow(IndexError);
    expect(() => x.get(0, -4)).toThrow(IndexError);
    expect(() => x.get(0, 0, 0, 0)).toThrow(IndexError);
    expect(() => x.get("...", "...")).toThrow(IndexError);
    expect(() => x.get(np.array([true, false]))).toThrow(IndexError);
    expect(() => x.get(np.array([1.0]))).toThrow(IndexError);
    expect(() => x.get([0.5])).toThrow(IndexError);
  });

  it("gradients: slices scatter back, repeated array indices accumulate", () => {
    const w = np.array([1, 2, 3]);
    // Σ x[::-2] = x₂ + x₀.
    expect(vals(grad((u: NdArray) => np.sum(u.get(np.slice(null, null, -2))))(w))).toEqual([1, 0, 1]);
    // Σ x[[0, 0, 2]] = 2x₀ + x₂.
    const g = grad((u: NdArray) => np.sum(u.get([0, 0, 2])))(w);
    expect([g.dtype, g.shape, vals(g)]).toEqual(["float32", [3], [2, 0, 1]]);
    // d/dX Σ c ⊙ X[1, :, [0, 3]]: c's entries land at the indexed positions.
    const Xf = toNd(X, "float32");
    const c = np.reshape(np.arange(6).astype("float32"), [2, 3]);
    const gx = grad((u: NdArray) => np.sum(np.multiply(u.get(1, np.slice(), [0, 3]), c)))(Xf);
    const want = refAt({ shape: X.shape, data: new Array<number>(24).fill(0) }, [1, np.slice(), [0, 3]], "add", {
      shape: [2, 3],
      data: [0, 1, 2, 3, 4, 5],
    });
    expectT(gx, want);
  });
});

describe("x.at(...) updates", () => {
  const X = iotaT([3, 4]);
  const x = toNd(X, "float32");

  it("set, add, mul, min, max with broadcasting values", () => {
    const cases: [Index[], Mode, T][] = [
      [[1], "set", { shape: [], data: [5] }],
      [[np.slice(), 1], "set", { shape: [3], data: [1, 2, 3] }],
      [[np.slice(0, 2)], "set", { shape: [4], data: [1, 2, 3, 4] }],
      [[np.slice(0, 2)], "add", { shape: [2, 1], data: [10, 20] }],
      [
        [
          [0, 2],
          [1, 3],
        ],
        "set",
        { shape: [], data: [7] },
      ],
      [["...", -1], "mul", { shape: [3], data: [2, 3, 4] }],
      [[np.slice(null, null, 2), np.slice(1, 3)], "min", { shape: [2], data: [5, 0] }],
      [[np.slice(null, null, -1), 0], "max", { shape: [3], data: [5, 5, 5] }],
    ];
    for (const [index, mode, v] of cases) {
      const values = v.shape.length ? np.reshape(np.array(v.data), v.shape) : v.data[0];
      const out = x.at(...index)[mode](values);
      expect(out.dtype).toBe("float32");
      expectT(out, refAt(X, index, mode, v), `${mode} ${JSON.stringify(index)}`);
    }
    // The original is unchanged.
    expect(vals(x)).toEqual(X.data);
  });

  it("repeated indices: add and mul accumulate, min and max combine", () => {
    expect(vals(np.zeros(3).at([0, 0, 2]).add(1))).toEqual([2, 0, 1]);
    expect(
      vals(
        np
          .zeros(3)
          .at([0, 0, 2])
          .add(np.array([1, 2, 3])),
      ),
    ).toEqual([3, 0, 3]);
    expect(vals(np.array([1, 2, 3]).at([1, 1]).mul(3))).toEqual([1, 18, 3]);
    expect(
      vals(
        np
          .array([5, 2, 3])
          .at([0, 0, 1])
          .min(np.array([4, 1, 6])),
      ),
    ).toEqual([1, 2, 3]);
    expect(
      vals(
        np
          .array([5, 2, 3])
          .at([0, 2, 2])
          .max(np.array([4, 10, 7])),
      ),
    ).toEqual([5, 2, 10]);
    // subtract and divide, as JAX's .at[].subtract / .divide.
    expect(vals(np.array([5, 6]).at(1).subtract(2))).toEqual([5, 4]);
    expect(vals(np.array([5, 6]).at(0).divide(2))).toEqual([2.5, 6]);
    expect(vals(x.at(1).get())).toEqual([4, 5, 6, 7]);
  });

  it("integer arrays stay integer", () => {
    const out = np.arange(4).at(-1).add(10);
    expect([out.dtype, vals(out)]).toEqual(["int32", [0, 1, 2, 13]]);
    expect(vals(np.arange(4).at([0, 0]).add(1))).toEqual([2, 1, 2, 3]);
    expect(() => x.at(0).set(np.ones(3))).toThrow();
  });

  it("gradients with respect to the array and to the values", () => {
    const w = np.array([1, 2, 3]);
    const ones = np.array([1, 1, 1]);
    // set: the overwritten position gets no gradient.
    expect(vals(grad((u: NdArray) => np.sum(np.multiply(w, u.at(1).set(0))))(ones))).toEqual([1, 0, 3]);
    // set: each value gets the weight of its position.
    expect(vals(grad((v: NdArray) => np.sum(np.multiply(w, np.zeros(3).at([0, 2]).set(v))))(np.array([1, 1])))).toEqual(
      [1, 3],
    );
    // add: repeated indices each receive the weight of their position.
    expect(vals(grad((v: NdArray) => np.sum(np.multiply(w, np.zeros(3).at([0, 0, 2]).add(v))))(ones))).toEqual([
      1, 1, 3,
    ]);
    // add: the array's own gradient passes through unchanged.
    expect(vals(grad((u: NdArray) => np.sum(np.multiply(w, u.at([0, 0]).add(5))))(ones))).toEqual([1, 2, 3]);
    // mul: ∂(x₁·3)/∂x₁ = 3; ∂(2·v)/∂v = 2.
    expect(vals(grad((u: NdArray) => np.sum(u.at(1).mul(3)))(ones))).toEqual([1, 3, 1]);
    expect(grad((v: NdArray) => np.sum(np.array([1, 2, 3]).at(1).mul(v)))(np.float32(2)).item()).toBe(2);
    // min: the value that wins gets the gradient (min(5, 4) = 4 from v; min(2, 6) = 2 from x).
    expect(vals(grad((v: NdArray) => np.sum(np.array([5, 2, 3]).at([0, 1]).min(v)))(np.array([4, 6])))).toEqual([1, 0]);
    expect(vals(grad((u: NdArray) => np.sum(u.at([0, 1]).max(np.array([4, 6]))))(np.array([5, 2, 3])))).toEqual([
      1, 0, 1,
    ]);
  });
});

// --- members -------------------------------------------------------------------------------

describe("Array members", () => {
  const x = np.array([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it("shape, dtype, ndim, size, weakType", () => {
    expect([x.shape, x.dtype, x.ndim, x.size, x.weakType]).toEqual([[2, 3], "float32", 2, 6, false]);
    // shape is a copy.
    x.shape.push(7);
    expect(x.shape).toEqual([2, 3]);
    const s = np.asarray(1.5);
    expect([s.shape, s.ndim, s.size, s.weakType]).toEqual([[], 0, 1, true]);
    expect(np.zeros([0, 3]).size).toBe(0);
  });

  it("item, tolist, Number(x), template strings", () => {
    expect(np.array([[7.5]]).item()).toBe(7.5);
    expect(np.array([true]).item()).toBe(true);
    expect(np.int32(-3).item()).toBe(-3);
    expect(() => x.item()).toThrow();
    expect(x.tolist()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(np.array([[true], [false]]).tolist()).toEqual([[true], [false]]);
    expect(np.int32(3).tolist()).toBe(3);
    expect(np.zeros([2, 0]).tolist()).toEqual([[], []]);
    expect(Number(np.array(2.5))).toBe(2.5);
    expect(+np.float32(0.5) > 0.25).toBe(true);
    expect(`${np.array([1, 2])}`).toBe("Array([1., 2.], dtype=float32)");
  });

  it("dataSync returns a copy; data() a Promise of one", async () => {
    const d = x.dataSync();
    expect(d).toBeInstanceOf(Float32Array);
    d[0] = 100;
    expect(x.dataSync()[0]).toBe(1);
    expect(np.arange(2).dataSync()).toBeInstanceOf(Int32Array);
    expect(np.asarray(new Float64Array([1])).dataSync()).toBeInstanceOf(Float64Array);
    const p = x.data();
    expect(p).toBeInstanceOf(Promise);
    const v = await p;
    expect(Array.from(v)).toEqual([1, 2, 3, 4, 5, 6]);
    v[1] = -1;
    expect(x.dataSync()[1]).toBe(2);
  });

  it("arithmetic methods, matmul, reductions, T, transpose, reshape, astype", () => {
    // ((x + 1 − 1)·2 / 4)² negated = −x²/4.
    const y = x
      .add(1)
      .sub(np.array([1, 1, 1]))
      .mul(2)
      .div(4)
      .pow(2)
      .neg();
    expect(y.tolist()).toEqual([
      [-0.25, -1, -2.25],
      [-4, -6.25, -9],
    ]);
    expect(x.matmul(x.T).tolist()).toEqual([
      [14, 32],
      [32, 77],
    ]);
    expect(x.sum(1).tolist()).toEqual([6, 15]);
    expect(x.sum(0, { keepdims: true }).tolist()).toEqual([[5, 7, 9]]);
    expect(x.mean().item()).toBe(3.5);
    expect(x.max(1).tolist()).toEqual([3, 6]);
    expect(x.min(null, { keepdims: true }).tolist()).toEqual([[1]]);
    expect(x.T.shape).toEqual([3, 2]);
    expect(x.T.tolist()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(np.zeros([2, 3, 4]).transpose([2, 0, 1]).shape).toEqual([4, 2, 3]);
    expect(x.reshape(3, 2).shape).toEqual([3, 2]);
    expect(x.reshape([-1]).shape).toEqual([6]);
    const i = np.array([1.7, -1.7, 2.5]).astype("int32");
    expect([i.dtype, i.tolist()]).toEqual(["int32", [1, -1, 2]]);
    expect(np.array([0, -1.7, 2.5]).astype("bool").tolist()).toEqual([false, true, true]);
    expect(np.arange(3).astype("float32").dtype).toBe("float32");
    expect(np.array([0.1]).astype("float64").item()).toBe(Math.fround(0.1));
    // astype makes a weak value strong.
    expect(np.asarray(2).astype("float32").weakType).toBe(false);
    // Method gradients.
    expect(vals(grad((u: NdArray) => u.mul(u).sum())(np.array([1, -3])))).toEqual([2, -6]);
  });
});

// --- printing ------------------------------------------------------------------------------

describe("toString: JAX's repr", () => {
  const cases: [string, () => NdArray, string][] = [
    [
      "2-D float32",
      () =>
        np.array([
          [1, 2],
          [3, 4],
        ]),
      "Array([[1., 2.],\n       [3., 4.]], dtype=float32)",
    ],
    ["weak 0-d", () => np.asarray(1.5), "Array(1.5, dtype=float32, weak_type=True)"],
    ["strong 0-d", () => np.array(2), "Array(2., dtype=float32)"],
    ["0-d int", () => np.int32(7), "Array(7, dtype=int32)"],
    ["0-d bool", () => np.bool_(true), "Array(True, dtype=bool)"],
    ["0-d nan", () => np.float32(NaN), "Array(nan, dtype=float32)"],
    ["0-d -inf", () => np.asarray(-Infinity), "Array(-inf, dtype=float32, weak_type=True)"],
    ["bool", () => np.array([true, false]), "Array([ True, False], dtype=bool)"],
    ["padded floats", () => np.array([1, 2.5, -3]), "Array([ 1. ,  2.5, -3. ], dtype=float32)"],
    ["float32 shortest digits", () => np.array([1 / 3, 2 / 3]), "Array([0.33333334, 0.6666667 ], dtype=float32)"],
    [
      "float64 at most 8 digits",
      () => np.asarray(new Float64Array([0.1, 2, 1 / 3])),
      "Array([0.1       , 2.        , 0.33333333], dtype=float64)",
    ],
    ["float64 pi", () => np.float64(Math.PI), "Array(3.14159265, dtype=float64)"],
    ["int32", () => np.array([1, -20, 300], "int32"), "Array([  1, -20, 300], dtype=int32)"],
    ["uint32", () => np.array([0, 4294967295], "uint32"), "Array([         0, 4294967295], dtype=uint32)"],
    ["empty 2-D", () => np.zeros([0, 3]), "Array([], shape=(0, 3), dtype=float32)"],
    ["empty 1-D", () => np.zeros([0]), "Array([], shape=(0,), dtype=float32)"],
    ["empty int", () => np.zeros([2, 0], "int32"), "Array([], shape=(2, 0), dtype=int32)"],
    ["scientific", () => np.array([1e-5, 1e5]), "Array([1.e-05, 1.e+05], dtype=float32)"],
    ["scientific digits", () => np.array([1.5e-7, 2, 3]), "Array([1.5e-07, 2.0e+00, 3.0e+00], dtype=float32)"],
    // max/min > 1000 switches to scientific notation, 1000 does not.
    ["ratio above 1000", () => np.array([1, 1001]), "Array([1.000e+00, 1.001e+03], dtype=float32)"],
    ["ratio 1000", () => np.array([0.001, 1]), "Array([0.001, 1.   ], dtype=float32)"],
    [
      "three-digit exponents",
      () => np.asarray(new Float64Array([1e100, 1, -2.5e-3])),
      "Array([ 1.0e+100,  1.0e+000, -2.5e-003], dtype=float64)",
    ],
    ["nan and inf", () => np.array([NaN, Infinity, -Infinity, 1.5]), "Array([ nan,  inf, -inf,  1.5], dtype=float32)"],
    ["nan beside a short number", () => np.array([NaN, 1]), "Array([nan,  1.], dtype=float32)"],
    ["nan in scientific", () => np.array([NaN, 1e-5, -Infinity]), "Array([   nan, 1.e-05,   -inf], dtype=float32)"],
    ["negative zero", () => np.array([-0, 1]), "Array([-0.,  1.], dtype=float32)"],
    [
      "3-D",
      () => np.reshape(np.arange(8), [2, 2, 2]),
      "Array([[[0, 1],\n        [2, 3]],\n\n       [[4, 5],\n        [6, 7]]], dtype=int32)",
    ],
    [
      "3-D float",
      () => np.reshape(np.arange(12).astype("float32"), [2, 3, 2]),
      "Array([[[ 0.,  1.],\n        [ 2.,  3.],\n        [ 4.,  5.]],\n\n       [[ 6.,  7.],\n        [ 8.,  9.],\n        [10., 11.]]], dtype=float32)",
    ],
    [
      "wrapped 2-D rows",
      () => np.reshape(np.arange(30).astype("float32"), [2, 15]),
      "Array([[ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12.,\n" +
        "        13., 14.],\n" +
        "       [15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n" +
        "        28., 29.]], dtype=float32)",
    ],
    [
      // Depth-2 rows wrap at 71 columns (75 − "," − one per enclosing "]"), 12 items of width 3.
      "wrapped 3-D rows",
      () => np.reshape(np.arange(60).astype("float32"), [2, 2, 15]),
      "Array([[[ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11.,\n" +
        "         12., 13., 14.],\n" +
        "        [15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26.,\n" +
        "         27., 28., 29.]],\n\n" +
        "       [[30., 31., 32., 33., 34., 35., 36., 37., 38., 39., 40., 41.,\n" +
        "         42., 43., 44.],\n" +
        "        [45., 46., 47., 48., 49., 50., 51., 52., 53., 54., 55., 56.,\n" +
        "         57., 58., 59.]]], dtype=float32)",
    ],
    [
      // Rows end before column 74 (75 less the "," suffix): 22 one-digit items, not 23.
      "wrapped 1-D",
      () => np.zeros([30], "int32"),
      "Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,\n       0, 0, 0, 0, 0, 0, 0, 0], dtype=int32)",
    ],
    [
      "wrapped arange",
      () => np.arange(30),
      "Array([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16,\n       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29], dtype=int32)",
    ],
    [
      // jax.Array.__repr__ moves the dtype along by the prefix's width when the last line is long.
      "long last line",
      () => np.array(Array.from({ length: 10 }, (_, i) => i / 9)),
      "Array([0.        , 0.11111111, 0.22222222, 0.33333334, 0.44444445,\n" +
        "       0.5555556 , 0.6666667 , 0.7777778 , 0.8888889 , 1.        ],      dtype=float32)",
    ],
    // More than 1000 elements: 3 items at each edge, as NumPy's threshold and edgeitems.
    ["summarized", () => np.arange(1001), "Array([   0,    1,    2, ...,  998,  999, 1000], dtype=int32)"],
    [
      "summarized 2-D",
      () => np.reshape(np.arange(1100), [110, 10]),
      "Array([[   0,    1,    2, ...,    7,    8,    9],\n" +
        "       [  10,   11,   12, ...,   17,   18,   19],\n" +
        "       [  20,   21,   22, ...,   27,   28,   29],\n" +
        "       ...,\n" +
        "       [1070, 1071, 1072, ..., 1077, 1078, 1079],\n" +
        "       [1080, 1081, 1082, ..., 1087, 1088, 1089],\n" +
        "       [1090, 1091, 1092, ..., 1097, 1098, 1099]], dtype=int32)",
    ],
  ];
  for (const [label, make, want] of cases) {
    it(label, () => {
      expect(make().toString()).toBe(want);
    });
  }
});
