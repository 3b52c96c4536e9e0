/**
 * The numpy API surface a JAX user reaches for first: creation, elementwise
 * math, reductions, products and shape functions. Every value is checked
 * against a reference computed here in JS float64 (plain loops, closed forms,
 * or NumPy's definitions worked by hand); differentiable functions get one
 * gradient against a closed form.
 */
import { afterEach, describe, expect, it } from "vitest";
import { AxisError, config, grad, numpy as np, ShapeError, type Array as NdArray, type DType } from "../src/index.js";
import { OptionError } from "../src/core/options.js";

// --- helpers -----------------------------------------------------------------------

type Nested = number | boolean | readonly Nested[];

const flat = (x: Nested): number[] => (Array.isArray(x) ? x.flatMap((v: Nested) => flat(v)) : [Number(x)]);
const shapeOf = (x: Nested): number[] =>
  Array.isArray(x) ? [x.length, ...(x.length > 0 ? shapeOf(x[0] as Nested) : [])] : [];

interface Tol {
  rtol: number;
  atol: number;
}
/** Bit-exact up to the sign of zero (integers, and floats that every step represents exactly). */
const EXACT: Tol = { rtol: 0, atol: 0 };
/** n units in the last place of float32 (2⁻²³ relative): one rounding of an exact result is half of one. */
const ulps = (n: number): Tol => ({ rtol: n * 2 ** -23, atol: 0 });

/**
 * Shape, dtype (when given) and values of `actual` against `expected`:
 * |a − e| ≤ atol + rtol·|e|; NaN matches only NaN, ±∞ only itself, -0 matches 0.
 */
function expectArray(actual: NdArray, expected: Nested, dtype?: DType, tol: Tol = EXACT): void {
  if (dtype !== undefined) expect(actual.dtype, "dtype").toBe(dtype);
  expect(actual.shape, "shape").toEqual(shapeOf(expected));
  const a = Array.from(actual.dataSync() as ArrayLike<number>);
  const e = flat(expected);
  const bad: string[] = [];
  e.forEach((want, i) => {
    const got = a[i];
    const ok = Number.isNaN(want)
      ? Number.isNaN(got)
      : got === want || Math.abs(got - want) <= tol.atol + tol.rtol * Math.abs(want);
    if (!ok) bad.push(`[${i}] got ${got}, expected ${want}`);
  });
  expect(bad, `values of ${actual.toString()}`).toEqual([]);
}

const vals = (a: NdArray): number[] => Array.from(a.dataSync() as ArrayLike<number>);

/** A float64 row-major tensor: the reference side. */
interface T {
  shape: number[];
  data: number[];
}
const sizeOf = (shape: readonly number[]): number => shape.reduce((p, n) => p * n, 1);
const iotaT = (shape: number[], offset = 0): T => ({
  shape,
  data: Array.from({ length: sizeOf(shape) }, (_, i) => i + offset),
});
const toNd = (t: T, dtype: DType = "float32"): NdArray => np.reshape(np.array(t.data, dtype), t.shape);

function offsetOf(shape: readonly number[], idx: readonly number[]): number {
  let off = 0;
  for (let d = 0; d < shape.length; d++) off = off * shape[d] + idx[d];
  return off;
}
function unravel(shape: readonly number[], flatIndex: number): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flatIndex % shape[d];
    flatIndex = Math.floor(flatIndex / shape[d]);
  }
  return idx;
}

/** Einstein summation by brute force over every assignment of the letters. */
function refEinsum(spec: string, ...ops: T[]): T {
  const [lhs, out] = spec.split("->");
  const ins = lhs.split(",");
  const size = new Map<string, number>();
  ins.forEach((s, k) => [...s].forEach((c, j) => size.set(c, ops[k].shape[j])));
  const letters = [...size.keys()];
  const outShape = [...out].map((c) => size.get(c)!);
  const data = new Array<number>(sizeOf(outShape)).fill(0);
  const at = new Map<string, number>();
  const rec = (i: number): void => {
    if (i === letters.length) {
      let prod = 1;
      ins.forEach((s, k) => {
        prod *=
          ops[k].data[
            offsetOf(
              ops[k].shape,
              [...s].map((c) => at.get(c)!),
            )
          ];
      });
      data[
        offsetOf(
          outShape,
          [...out].map((c) => at.get(c)!),
        )
      ] += prod;
      return;
    }
    for (let v = 0; v < size.get(letters[i])!; v++) {
      at.set(letters[i], v);
      rec(i + 1);
    }
  };
  rec(0);
  return { shape: outShape, data };
}

/** out[i₀, …] = x[i at perm positions]: NumPy's transpose. */
function refTranspose(x: T, perm: number[]): T {
  const shape = perm.map((p) => x.shape[p]);
  const data = Array.from({ length: x.data.length }, (_, o) => {
    const oi = unravel(shape, o);
    const xi = new Array<number>(x.shape.length);
    perm.forEach((p, d) => (xi[p] = oi[d]));
    return x.data[offsetOf(x.shape, xi)];
  });
  return { shape, data };
}

/** Reduction over `axes` with `op`, starting from `init`. */
function refReduce(x: T, axes: number[], op: (a: number, b: number) => number, init: number): T {
  const shape = x.shape.filter((_, d) => !axes.includes(d));
  const data = new Array<number>(sizeOf(shape)).fill(init);
  x.data.forEach((v, i) => {
    const idx = unravel(x.shape, i).filter((_, d) => !axes.includes(d));
    const o = offsetOf(shape, idx);
    data[o] = op(data[o], v);
  });
  return { shape, data };
}

function expectT(actual: NdArray, expected: T, dtype?: DType, tol: Tol = EXACT): void {
  if (dtype !== undefined) expect(actual.dtype).toBe(dtype);
  expect(actual.shape).toEqual(expected.shape);
  const a = vals(actual);
  const bad = expected.data
    .map((e, i) => (Math.abs(a[i] - e) <= tol.atol + tol.rtol * Math.abs(e) ? null : `[${i}] ${a[i]} vs ${e}`))
    .filter((s) => s !== null);
  expect(bad).toEqual([]);
}

afterEach(() => config.update("enableX64", false));

// --- creation ------------------------------------------------------------------------

describe("creation", () => {
  it("array: nested lists, typed arrays, dtype argument", () => {
    const a = np.array([
      [1, 2],
      [3, 4],
    ]);
    expectArray(
      a,
      [
        [1, 2],
        [3, 4],
      ],
      "float32",
    );
    expect(a.weakType).toBe(false);
    expectArray(np.array([true, false]), [true, false], "bool");
    expectArray(np.array(true), true, "bool");
    // Typed arrays keep their element type. (np.array accepts them at run time, but its
    // ArrayLike parameter type does not list typed arrays: hence the cast.)
    const typed = (t: ArrayBufferView): number[] => t as unknown as number[];
    expectArray(np.array(typed(new Float64Array([0.1, 2]))), [0.1, 2], "float64");
    expectArray(np.array(typed(new Float32Array([0.5]))), [0.5], "float32");
    expectArray(np.array(typed(new Int32Array([-3, 7]))), [-3, 7], "int32");
    expectArray(np.array(typed(new Uint32Array([4294967295]))), [4294967295], "uint32");
    expectArray(np.asarray(new Float64Array([0.25])), [0.25], "float64");
    expectArray(np.asarray(new Int32Array([1, 2]), "float32"), [1, 2], "float32");
    // A dtype converts as NumPy's astype: floats truncate toward zero.
    expectArray(np.array([1.7, -1.7, 2], "int32"), [1, -1, 2], "int32");
    // Any non-zero number (NaN too) is true; bools are stored as 0 and 1.
    expectArray(np.array([0, 2, -1, NaN], "bool"), [false, true, true, true], "bool");
    expectArray(np.sum(np.array([2, -1], "bool")), 2, "int32");
    // A Uint8Array holds numbers, not booleans: it widens to int32 (there is no uint8 dtype).
    expectArray(np.asarray(new Uint8Array([0, 3, 255])), [0, 3, 255], "int32");
    // float32 storage rounds once; float64 keeps the JS number.
    expect(vals(np.array([0.1]))[0]).toBe(Math.fround(0.1));
    expect(vals(np.array([0.1], "float64"))[0]).toBe(0.1);
    expect(vals(np.asarray(new Float64Array([0.1]), "float32"))[0]).toBe(Math.fround(0.1));
    expect(() => np.array([[1, 2], [3]])).toThrow(ShapeError);
  });

  it("weak typing of JS numbers", () => {
    // np.array(2) is a strong float32 scalar, np.asarray(2) keeps it weak.
    const s = np.array(2);
    expect([s.dtype, s.weakType, s.ndim]).toEqual(["float32", false, 0]);
    const w = np.asarray(2);
    expect([w.dtype, w.weakType]).toEqual(["float32", true]);
    // A whole number meeting an int array is a weak int: the result stays int32.
    expectArray(np.add(np.arange(3), 1), [1, 2, 3], "int32");
    expectArray(np.add(np.array([1], "uint32"), 1), [2], "uint32");
    // A fractional number promotes an int array to the default float.
    expectArray(np.add(np.arange(3), 1.5), [1.5, 2.5, 3.5], "float32");
    // A number meeting a float array takes its dtype, without a detour through float32:
    // 0.1 + 0.1 in float64 is exactly 0.2, while fround(0.1) + 0.1 is not.
    const d = np.add(np.asarray(new Float64Array([0.1])), 0.1);
    expect([d.dtype, d.weakType, vals(d)[0]]).toEqual(["float64", false, 0.2]);
    const f = np.multiply(np.array([1.5]), 2);
    expect([f.dtype, f.weakType]).toEqual(["float32", false]);
    // Two JS numbers stay weak.
    const ww = np.add(1, 2);
    expect([ww.dtype, ww.weakType, vals(ww)[0]]).toEqual(["float32", true, 3]);
    // Strong int meets strong float: float32; float32 meets float64: float64.
    expectArray(np.add(np.arange(2), np.array([0.5])), [0.5, 1.5], "float32");
    expectArray(np.add(np.array([1]), np.asarray(new Float64Array([1]))), [2], "float64");
  });

  it("zeros, ones, full: shape as a number or an array, dtype", () => {
    expectArray(np.zeros(3), [0, 0, 0], "float32");
    expectArray(
      np.zeros([2, 3], "int32"),
      [
        [0, 0, 0],
        [0, 0, 0],
      ],
      "int32",
    );
    expectArray(np.zeros([]), 0, "float32");
    expectArray(np.ones([2, 1]), [[1], [1]], "float32");
    expectArray(np.ones(2, "bool"), [true, true], "bool");
    expectArray(np.full(2, 7, "int32"), [7, 7], "int32");
    expectArray(np.full([2, 2], 2.5), [
      [2.5, 2.5],
      [2.5, 2.5],
    ]);
    expectArray(np.full([1], true), [true], "bool");
    // A numeric fill of a bool array is stored as true (1), NaN included.
    expectArray(np.full(2, 5, "bool"), [true, true], "bool");
    expectArray(np.full(1, NaN, "bool"), [true], "bool");
    expectArray(np.fullLike(np.array([false]), 7), [true], "bool");
    // The fill value converts to the dtype (truncation for ints).
    expectArray(np.full(2, 2.5, "int32"), [2, 2], "int32");
    expect(() => np.zeros([2, -1])).toThrow(ShapeError);
    // An unknown dtype is a wrong option value: an OptionError naming the parameter and the valid dtypes.
    expect(() => np.zeros(2, "float16" as DType)).toThrow(OptionError);
    expect(() => np.zeros(2, "float16" as DType)).toThrow(/option "dtype" must be a dtype/);
  });

  it("arange with one, two and three arguments, float steps, dtype", () => {
    expectArray(np.arange(5), [0, 1, 2, 3, 4], "int32");
    expectArray(np.arange(2, 5), [2, 3, 4], "int32");
    expectArray(np.arange(5, 1, -2), [5, 3], "int32");
    expectArray(np.arange(3, 1), [], "int32");
    expectArray(np.arange(1, 2, 0.25), [1, 1.25, 1.5, 1.75], "float32");
    expectArray(np.arange(1, 0, -0.25), [1, 0.75, 0.5, 0.25], "float32");
    expectArray(np.arange(2.5), [0, 1, 2], "float32");
    // ceil((1 - 0) / 0.1) = 10 values, start + i·step: within an ulp of i/10 (NumPy fills
    // float32 as start + i·(a[1] - a[0]), which may differ from i·0.1 by one rounding).
    expectArray(
      np.arange(0, 1, 0.1),
      Array.from({ length: 10 }, (_, i) => i * 0.1),
      "float32",
      ulps(2),
    );
    expectArray(np.arange(0, 6, 2, "float32"), [0, 2, 4], "float32");
    expectArray(np.arange(3, { dtype: "float32" }), [0, 1, 2], "float32");
    expect(() => np.arange(0, 1, 0)).toThrow(ShapeError);
  });

  it("linspace: num, endpoint false, dtype", () => {
    expectArray(np.linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1], "float32");
    expectArray(np.linspace(-1, 1, 5), [-1, -0.5, 0, 0.5, 1]);
    expectArray(np.linspace(0, 1, 4, { endpoint: false }), [0, 0.25, 0.5, 0.75]);
    expectArray(np.linspace(2, 3, 1), [2]);
    expectArray(np.linspace(2, 3, 0), []);
    expectArray(np.linspace(0, 10, 3, { dtype: "int32" }), [0, 5, 10], "int32");
    // num defaults to 50; the endpoint is exact, the others are start + i·(stop − start)/49.
    const d = np.linspace(0, 1);
    expectArray(
      d,
      Array.from({ length: 50 }, (_, i) => i / 49),
      "float32",
      ulps(1),
    );
    expect(vals(d)[49]).toBe(1);
  });

  it("eye(N, M, k)", () => {
    expectArray(
      np.eye(3),
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      "float32",
    );
    expectArray(np.eye(2, 3, 1), [
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expectArray(np.eye(3, 2, -1), [
      [0, 0],
      [1, 0],
      [0, 1],
    ]);
    expectArray(
      np.eye(2, null, 0, "int32"),
      [
        [1, 0],
        [0, 1],
      ],
      "int32",
    );
  });

  it("zerosLike, onesLike, fullLike keep shape and dtype", () => {
    expectArray(np.zerosLike(np.arange(3)), [0, 0, 0], "int32");
    expectArray(np.onesLike(np.array([[1, 2]])), [[1, 1]], "float32");
    // The fill value converts to the array's dtype (int32 truncates 2.7 to 2).
    expectArray(np.fullLike(np.arange(3), 2.7), [2, 2, 2], "int32");
    expectArray(np.fullLike(np.arange(2), 2.5, "float32"), [2.5, 2.5], "float32");
    expectArray(np.zerosLike(np.zeros([2, 0])), [[], []], "float32");
  });

  it("dtype constructors and constants", () => {
    const f = np.float32(2.0);
    expect([f.dtype, f.ndim, f.weakType, f.item()]).toEqual(["float32", 0, false, 2]);
    expectArray(np.int32(3.7), 3, "int32");
    expectArray(np.int32(-3.7), -3, "int32");
    expectArray(np.uint32(5), 5, "uint32");
    expectArray(np.bool_(2), true, "bool");
    expectArray(np.bool_(0), false, "bool");
    // float64 keeps the JS number exactly; float32 rounds it.
    expect(np.float64(0.1).item()).toBe(0.1);
    expect(np.float32(0.1).item()).toBe(Math.fround(0.1));
    expectArray(np.float32([1, 2]), [1, 2], "float32");
    expect([np.pi, np.e, np.inf]).toEqual([Math.PI, Math.E, Infinity]);
    expect(Number.isNaN(np.nan)).toBe(true);
    expect(np.newaxis).toBe(null);
  });

  it('config.update("enableX64", true) makes float64 the default float', () => {
    config.update("enableX64", true);
    try {
      expect(np.array([1, 2]).dtype).toBe("float64");
      expect(np.array(2).dtype).toBe("float64");
      expect(np.zeros(2).dtype).toBe("float64");
      expect(np.ones([2]).dtype).toBe("float64");
      expect(np.eye(2).dtype).toBe("float64");
      expect(np.linspace(0, 1, 3).dtype).toBe("float64");
      expect(np.arange(0, 1, 0.5).dtype).toBe("float64");
      // Whole-number aranges stay int32; int means and int/float mixes give the default float.
      expect(np.arange(3).dtype).toBe("int32");
      expectArray(np.mean(np.arange(4)), 1.5, "float64");
      expectArray(np.add(np.arange(3), 1.5), [1.5, 2.5, 3.5], "float64");
      expectArray(np.sin(np.arange(2)), [0, Math.sin(1)], "float64", { rtol: 2 ** -52, atol: 0 });
      // Values are not rounded through float32.
      expect(vals(np.array([0.1]))[0]).toBe(0.1);
    } finally {
      config.update("enableX64", false);
    }
    expect(np.array([1]).dtype).toBe("float32");
    expect(np.zeros(1).dtype).toBe("float32");
  });
});

// --- elementwise ---------------------------------------------------------------------

describe("elementwise math", () => {
  it("floorDivide, remainder, fmod on ints: NumPy's sign conventions", () => {
    const a = np.array([-7, -7, 7, 7], "int32");
    const b = np.array([2, -2, 2, -2], "int32");
    expectArray(np.floorDivide(a, b), [-4, 3, 3, -4], "int32");
    // remainder has the sign of the divisor, fmod the sign of the dividend.
    expectArray(np.remainder(a, b), [1, -1, 1, -1], "int32");
    expectArray(np.fmod(a, b), [-1, -1, 1, 1], "int32");
    // Over a grid: ⌊a/b⌋, a − b⌊a/b⌋, and C's truncated remainder (JS's %).
    const as: number[] = [];
    const bs: number[] = [];
    for (let x = -9; x <= 9; x++) {
      for (const y of [-4, -3, -1, 1, 2, 5]) {
        as.push(x);
        bs.push(y);
      }
    }
    const A = np.array(as, "int32");
    const B = np.array(bs, "int32");
    expectArray(
      np.floorDivide(A, B),
      as.map((x, i) => Math.floor(x / bs[i])),
      "int32",
    );
    expectArray(
      np.remainder(A, B),
      as.map((x, i) => x - bs[i] * Math.floor(x / bs[i])),
      "int32",
    );
    expectArray(
      np.fmod(A, B),
      as.map((x, i) => x % bs[i]),
      "int32",
    );
    expectArray(np.mod(A, B), vals(np.remainder(A, B)), "int32");
  });

  it("floorDivide, remainder, fmod on floats", () => {
    expectArray(np.floorDivide(np.array([-7.5, -7.5, 7.5, 7.5]), np.array([2, -2, 2, -2])), [-4, 3, 3, -4], "float32");
    expectArray(np.remainder(np.array([-7.5, -7.5, 7.5, 7.5]), np.array([2, -2, 2, -2])), [0.5, -1.5, 1.5, -0.5]);
    expectArray(np.fmod(np.array([-7.5, -7.5, 7.5, 7.5]), np.array([2, -2, 2, -2])), [-1.5, -1.5, 1.5, 1.5]);
    // Dyadic inputs, so every quotient and remainder below is exact in float32.
    const as = [-7.5, -2.25, 0.5, 3, 6.75];
    const bs = [-2, 0.5, 1.5, 4];
    const x = as.flatMap((p) => bs.map(() => p));
    const y = as.flatMap(() => bs);
    expectArray(
      np.floorDivide(np.array(x), np.array(y)),
      x.map((p, i) => Math.floor(p / y[i])),
    );
    expectArray(
      np.remainder(np.array(x), np.array(y)),
      x.map((p, i) => p - y[i] * Math.floor(p / y[i])),
    );
    expectArray(
      np.fmod(np.array(x), np.array(y)),
      x.map((p, i) => p % y[i]),
    );
    // d/dx remainder(x, 2) = 1 away from the jumps.
    expectArray(grad((v: NdArray) => np.sum(np.remainder(v, 2)))(np.array([3.5, -1.5])), [1, 1]);
  });

  it("power: integer powers stay integer, float powers, gradient", () => {
    expectArray(np.power(np.array([2, 3, -2], "int32"), np.array([10, 3, 3], "int32")), [1024, 27, -8], "int32");
    expectArray(np.power(np.arange(5), 2), [0, 1, 4, 9, 16], "int32");
    expectArray(np.power(np.array([4, 2]), 0.5), [2, Math.SQRT2], "float32", ulps(1));
    // d/dx x³ = 3x² = 12 at x = 2.
    expectArray(grad((v: NdArray) => np.power(v, 3))(np.array(2)), 12, "float32");
  });

  it("logaddexp at ±∞ and finite values, with its gradient", () => {
    const x = np.array([-Infinity, Infinity, -Infinity, Infinity, 0, 1]);
    const y = np.array([-Infinity, Infinity, 0, -Infinity, 0, 2]);
    // log(eˣ + eʸ) = max + log1p(e^-|x−y|); equal infinities give that infinity, not NaN.
    expectArray(
      np.logaddexp(x, y),
      [-Infinity, Infinity, 0, Infinity, Math.LN2, 2 + Math.log1p(Math.exp(-1))],
      "float32",
      ulps(1),
    );
    // ∂/∂x = eˣ / (eˣ + eʸ) = σ(x − y): ½ at (0, 0), σ(−1) at (1, 2).
    expectArray(
      grad((u: NdArray) => np.sum(np.logaddexp(u, np.array([0, 2]))))(np.array([0, 1])),
      [0.5, 1 / (1 + Math.E)],
      "float32",
      ulps(2),
    );
  });

  it("hypot without overflow, and its gradient", () => {
    expectArray(
      np.hypot(np.array([3, 0, 1e30, -5]), np.array([4, 0, 1e30, 12])),
      [5, 0, Math.fround(1e30) * Math.SQRT2, 13],
      "float32",
      ulps(2),
    );
    // ∂/∂x √(x² + y²) = x / r = 3/5.
    expectArray(grad((v: NdArray) => np.hypot(v, 4))(np.array(3)), 0.6, "float32", ulps(1));
  });

  it("comparisons give bool arrays (NaN compares unequal)", () => {
    const x = np.array([1, 2, 3, NaN]);
    expectArray(np.less(x, 2), [true, false, false, false], "bool");
    expectArray(np.lessEqual(x, 2), [true, true, false, false], "bool");
    expectArray(np.greater(x, 2), [false, false, true, false], "bool");
    expectArray(np.greaterEqual(x, 2), [false, true, true, false], "bool");
    expectArray(np.equal(x, x), [true, true, true, false], "bool");
    expectArray(np.notEqual(x, x), [false, false, false, true], "bool");
    expectArray(np.equal(np.arange(3), np.array([0, 5, 2], "int32")), [true, false, true], "bool");
    expectArray(np.maximum(np.array([1, 5]), np.array([[3], [0]])), [
      [3, 5],
      [1, 5],
    ]);
    expectArray(np.minimum(np.arange(3), 1), [0, 1, 1], "int32");
  });

  it("logical operations on numbers and bools", () => {
    expectArray(np.logicalAnd(np.array([1, 0, 2]), np.array([true, true, false])), [true, false, false], "bool");
    expectArray(np.logicalOr(np.array([0, 0, -1]), np.array([0, 3, 0])), [false, true, true], "bool");
    expectArray(np.logicalXor(np.array([1, 0, 2, 0]), np.array([1, 1, 0, 0])), [false, true, true, false], "bool");
    expectArray(np.logicalNot(np.array([0, 1.5])), [true, false], "bool");
  });

  it("bitwise operations on uint32 wrap modulo 2³², shifts are logical", () => {
    const a = [0xffffffff, 0x0f0f0f0f, 12];
    const b = [0xff00ff00, 0xffffffff, 10];
    const u = np.array(a, "uint32");
    const v = np.array(b, "uint32");
    expectArray(
      np.bitwiseAnd(u, v),
      a.map((x, i) => (x & b[i]) >>> 0),
      "uint32",
    );
    expectArray(
      np.bitwiseOr(u, v),
      a.map((x, i) => (x | b[i]) >>> 0),
      "uint32",
    );
    expectArray(
      np.bitwiseXor(u, v),
      a.map((x, i) => (x ^ b[i]) >>> 0),
      "uint32",
    );
    expectArray(
      np.bitwiseNot(u),
      a.map((x) => ~x >>> 0),
      "uint32",
    );
    expectArray(
      np.leftShift(u, 4),
      a.map((x) => (x << 4) >>> 0),
      "uint32",
    );
    expectArray(
      np.rightShift(u, 4),
      a.map((x) => x >>> 4),
      "uint32",
    );
    // int32 shifts right arithmetically.
    expectArray(np.rightShift(np.array([-16, 16], "int32"), 2), [-4, 4], "int32");
    expectArray(np.bitwiseAnd(np.array([true, true]), np.array([true, false])), [true, false], "bool");
  });

  it("where broadcasts its three operands; its gradient routes through the chosen branch", () => {
    expectArray(
      np.where(np.array([[true], [false]]), np.array([1, 2, 3]), 0),
      [
        [1, 2, 3],
        [0, 0, 0],
      ],
      "float32",
    );
    expectArray(np.where(np.array([1, 0, 2]), np.arange(3), np.array([-1], "int32")), [0, -1, 2], "int32");
    // d/dx where(c, x², x) = 2x where c, 1 elsewhere.
    const g = grad((v: NdArray) => np.sum(np.where(np.array([true, false]), np.multiply(v, v), v)))(np.array([3, 3]));
    expectArray(g, [6, 1], "float32");
  });

  it("clip with null bounds; int arrays stay int", () => {
    const x = np.array([-2, 0.5, 3]);
    expectArray(np.clip(x, null, 1), [-2, 0.5, 1]);
    expectArray(np.clip(x, 0), [0, 0.5, 3]);
    expectArray(np.clip(x, -1, 1), [-1, 0.5, 1]);
    expectArray(np.clip(x), [-2, 0.5, 3]);
    expectArray(np.clip(np.arange(5), 1, 3), [1, 1, 2, 3, 3], "int32");
    // Gradient 1 inside the bounds, 0 where clipped.
    expectArray(grad((v: NdArray) => np.sum(np.clip(v, -1, 1)))(x), [0, 1, 0]);
  });

  it("isnan, isfinite, isinf (ints are always finite)", () => {
    const x = np.array([NaN, Infinity, -Infinity, 1, 0]);
    expectArray(np.isnan(x), [true, false, false, false, false], "bool");
    expectArray(np.isfinite(x), [false, false, false, true, true], "bool");
    expectArray(np.isinf(x), [false, true, true, false, false], "bool");
    expectArray(np.isposinf(x), [false, true, false, false, false], "bool");
    expectArray(np.isneginf(x), [false, false, true, false, false], "bool");
    expectArray(np.isnan(np.arange(2)), [false, false], "bool");
    expectArray(np.isfinite(np.arange(2)), [true, true], "bool");
    expectArray(np.isinf(np.arange(2)), [false, false], "bool");
  });

  it("nanToNum: defaults are 0 and the dtype's largest finite values", () => {
    const maxF32 = (2 - 2 ** -23) * 2 ** 127;
    expectArray(np.nanToNum(np.array([NaN, Infinity, -Infinity, 1.5])), [0, maxF32, -maxF32, 1.5], "float32");
    expectArray(
      np.nanToNum(np.asarray(new Float64Array([NaN, Infinity, -Infinity]))),
      [0, Number.MAX_VALUE, -Number.MAX_VALUE],
      "float64",
    );
    expectArray(
      np.nanToNum(np.array([NaN, Infinity, -Infinity, 1]), { nan: -1, posinf: 9, neginf: -9 }),
      [-1, 9, -9, 1],
    );
    expectArray(np.nanToNum(np.array([Infinity]), { posinf: null }), [maxF32]);
    expectArray(np.nanToNum(np.arange(3)), [0, 1, 2], "int32");
  });

  it("round: half to even, with decimals", () => {
    const r = np.round(np.array([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6]));
    expectArray(r, [0, 2, 2, -0, -2, 2, -3], "float32");
    expect(Object.is(vals(r)[3], -0)).toBe(true);
    // ×10 is exact for these, then half-to-even: 12.5 → 12, 7.5 → 8, 13.75 → 14; /10 rounds once.
    expectArray(np.round(np.array([1.25, 0.75, 1.375]), 1), [1.2, 0.8, 1.4], "float32", ulps(1));
    expectArray(np.round(np.array([1.375]), 2), [1.38], "float32", ulps(1));
    expectArray(np.round(np.arange(3)), [0, 1, 2], "int32");
  });

  it("sign and abs keep integer dtypes", () => {
    expectArray(np.sign(np.array([-3, 0, 5], "int32")), [-1, 0, 1], "int32");
    expectArray(np.abs(np.array([-3, 0, 5], "int32")), [3, 0, 5], "int32");
    expectArray(np.sign(np.array([-3, 0, 5, NaN])), [-1, 0, 1, NaN], "float32");
    expectArray(np.abs(np.array([-1.5, 2])), [1.5, 2], "float32");
    expectArray(np.negative(np.arange(3)), [0, -1, -2], "int32");
    // d|x|/dx = sign(x).
    expectArray(grad((v: NdArray) => np.sum(np.abs(v)))(np.array([-2, 3])), [-1, 1]);
  });

  it("divide is true division; transcendental functions against Math", () => {
    expectArray(np.divide(np.arange(3), 2), [0, 0.5, 1], "float32");
    const xs = [0.25, 0.5, 1, 2];
    // float32 results of a float64-accurate kernel: within one rounding (half an ulp) plus slack.
    expectArray(np.exp(np.array(xs)), xs.map(Math.exp), "float32", ulps(1));
    expectArray(np.log(np.array(xs)), xs.map(Math.log), "float32", ulps(1));
    expectArray(np.sqrt(np.array(xs)), xs.map(Math.sqrt), "float32", ulps(1));
    expectArray(np.sin(np.array(xs)), xs.map(Math.sin), "float32", ulps(1));
    expectArray(np.tanh(np.array(xs)), xs.map(Math.tanh), "float32", ulps(1));
    expectArray(np.square(np.arange(3)), [0, 1, 4], "int32");
    // d/dx sin(x)·eˣ = (cos x + sin x)eˣ, in float64.
    const g = grad((v: NdArray) => np.multiply(np.sin(v), np.exp(v)))(np.float64(0.5));
    expectArray(g, (Math.cos(0.5) + Math.sin(0.5)) * Math.exp(0.5), "float64", { rtol: 4e-16, atol: 0 });
  });
});

// --- reductions ------------------------------------------------------------------------

describe("reductions", () => {
  const X = iotaT([2, 3, 4]);
  const x = toNd(X, "int32");
  const add = (a: number, b: number) => a + b;

  it("sum with axis as a number, a negative number, an array; keepdims; dtype", () => {
    expectArray(np.sum(x), 276, "int32");
    expectT(np.sum(x, 1), refReduce(X, [1], add, 0), "int32");
    expectT(np.sum(x, -1), refReduce(X, [2], add, 0), "int32");
    expectT(np.sum(x, [0, 2]), refReduce(X, [0, 2], add, 0), "int32");
    const kd = np.sum(x, { axis: [0, 2], keepdims: true });
    expect(kd.shape).toEqual([1, 3, 1]);
    expect(vals(kd)).toEqual(refReduce(X, [0, 2], add, 0).data);
    expect(np.sum(x, 1, null, null, true).shape).toEqual([2, 1, 4]);
    expectArray(np.sum(x, { dtype: "float32" }), 276, "float32");
    expectT(x.sum(0), refReduce(X, [0], add, 0), "int32");
    expect(() => np.sum(x, 3)).toThrow(AxisError);
  });

  it("sum of bools counts in int32", () => {
    expectArray(np.sum(np.array([true, true, false])), 2, "int32");
    expectArray(
      np.sum(
        np.array([
          [true, true],
          [false, true],
        ]),
        0,
      ),
      [1, 2],
      "int32",
    );
  });

  it("mean, prod, max, min", () => {
    const m = refReduce(X, [0], add, 0);
    expectT(np.mean(x, 0), { shape: m.shape, data: m.data.map((v) => v / 2) }, "float32");
    expectArray(
      np.mean(
        np.array([
          [1, 2],
          [3, 5],
        ]),
        { axis: -1, keepdims: true },
      ),
      [[1.5], [4]],
    );
    expectArray(np.mean(np.arange(4)), 1.5, "float32");
    expectArray(
      np.prod(
        np.array([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        1,
      ),
      [6, 120],
      "float32",
    );
    expectArray(np.prod(np.arange(1, 6)), 120, "int32");
    expectT(np.max(x, [1, 2]), refReduce(X, [1, 2], Math.max, -Infinity), "int32");
    expectT(np.min(x, -2), refReduce(X, [1], Math.min, Infinity), "int32");
    expectArray(np.max(np.array([1, NaN, 3])), NaN);
    expectArray(
      np.min(
        np.array([
          [3, -1],
          [2, 7],
        ]),
        { keepdims: true },
      ),
      [[-1]],
    );
    expect(() => np.max(np.zeros([0]))).toThrow();
  });

  it("var and std with ddof, axis, keepdims", () => {
    // mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5.
    expectArray(np.var(np.array([1, 2, 3, 4])), 1.25, "float32");
    expectArray(np.var(np.array([1, 2, 3, 4]), { ddof: 1 }), 5 / 3, "float32", ulps(1));
    // Columns (1, 3) and (2, 7): squared deviations 2 and 12.5, over N − 1 = 1.
    const m = np.array([
      [1, 2],
      [3, 7],
    ]);
    expectArray(np.std(m, 0, { ddof: 1 }), [Math.SQRT2, Math.sqrt(12.5)], "float32", ulps(1));
    expectArray(np.var(m, { axis: 1, keepdims: true }), [[0.25], [4]]);
    expectArray(np.std(np.arange(4)), Math.sqrt(1.25), "float32", ulps(1));
  });

  it("argmax and argmin: first occurrence, NaN first, keepdims", () => {
    expectArray(np.argmax(np.array([1, 5, 5, 2])), 1, "int32");
    expectArray(np.argmin(np.array([3, 0, 0, 4])), 1, "int32");
    const m = np.array([
      [1, 5],
      [7, 2],
    ]);
    expectArray(np.argmax(m), 2, "int32");
    expectArray(np.argmax(m, 1), [1, 0]);
    expectArray(np.argmin(m, -2), [0, 1]);
    expectArray(np.argmax(m, { axis: 0, keepdims: true }), [[1, 0]]);
    expectArray(np.argmax(m, { keepdims: true }), [[2]]);
    // NaN counts as the extreme for both, as NumPy: the first NaN wins.
    expectArray(np.argmax(np.array([1, NaN, 5, NaN])), 1);
    expectArray(np.argmin(np.array([1, 0, NaN])), 2);
  });

  it("all and any with axis and keepdims; empty reductions", () => {
    const m = np.array([
      [1, 0],
      [2, 3],
    ]);
    expectArray(np.all(m, 1), [false, true], "bool");
    expectArray(np.any(m, { axis: 0, keepdims: true }), [[true, true]], "bool");
    expectArray(np.all(m), false, "bool");
    expectArray(np.any(np.array([0, NaN])), true, "bool");
    expectArray(np.all(np.zeros([0])), true, "bool");
    expectArray(np.any(np.zeros([0])), false, "bool");
  });

  it("cumsum and cumprod: axis null flattens, negative axes, bools, dtype", () => {
    const m = np.array([
      [1, 2],
      [3, 4],
    ]);
    expectArray(np.cumsum(m), [1, 3, 6, 10], "float32");
    expectArray(np.cumsum(m, 0), [
      [1, 2],
      [4, 6],
    ]);
    expectArray(np.cumsum(m, -1), [
      [1, 3],
      [3, 7],
    ]);
    expectArray(np.cumsum(np.array([true, true, false])), [1, 2, 2], "int32");
    expectArray(np.cumsum(np.arange(4), { dtype: "float32" }), [0, 1, 3, 6], "float32");
    expectArray(np.cumprod(m, { axis: 1 }), [
      [1, 2],
      [3, 12],
    ]);
    expectArray(np.cumprod(m, null), [1, 2, 6, 24]);
    // d/dxⱼ Σᵢ wᵢ·cumsum(x)ᵢ = Σ_{i ≥ j} wᵢ.
    const w = np.array([1, 2, 3]);
    expectArray(grad((v: NdArray) => np.sum(np.multiply(np.cumsum(v), w)))(np.array([2, 5, 4])), [6, 5, 3]);
    // Σ cumprod(x) = x₀ + x₀x₁ + x₀x₁x₂: gradient (1 + x₁ + x₁x₂, x₀ + x₀x₂, x₀x₁).
    expectArray(grad((v: NdArray) => np.sum(np.cumprod(v)))(np.array([2, 5, 4])), [26, 10, 10]);
  });

  it("gradients of sum, mean, prod, max (ties share), var", () => {
    expectArray(grad((v: NdArray) => np.sum(np.multiply(v, v)))(np.array([1, -2])), [2, -4]);
    expectArray(grad((v: NdArray) => np.mean(v))(np.array([3, 4])), [0.5, 0.5]);
    expectArray(grad((v: NdArray) => np.prod(v))(np.array([2, 3, 4])), [12, 8, 6]);
    expectArray(grad((v: NdArray) => np.max(v))(np.array([2, 5, 4])), [0, 1, 0]);
    // As JAX: equal maxima split the cotangent evenly.
    expectArray(grad((v: NdArray) => np.max(v))(np.array([5, 5, 4])), [0.5, 0.5, 0]);
    // d var / dxᵢ = 2(xᵢ − mean)/N, mean 3.
    expectArray(grad((v: NdArray) => np.var(v))(np.array([1, 2, 6])), [-4 / 3, -2 / 3, 2], "float32", ulps(2));
  });

  it("linalg.norm: ord null/1/2/∞/−∞/0/p, axis, keepdims", () => {
    const xs = [3, -4, 0, 1];
    const v = np.array(xs);
    const p = (q: number) => xs.reduce((s, t) => s + Math.abs(t) ** q, 0) ** (1 / q);
    expectArray(np.linalg.norm(v), Math.sqrt(26), "float32", ulps(1));
    expectArray(np.linalg.norm(v, 2), Math.sqrt(26), "float32", ulps(1));
    expectArray(np.linalg.norm(v, 1), 8);
    expectArray(np.linalg.norm(v, Infinity), 4);
    expectArray(np.linalg.norm(v, -Infinity), 0);
    expectArray(np.linalg.norm(v, 0), 3);
    expectArray(np.linalg.norm(v, 3), p(3), "float32", ulps(4));
    expectArray(np.linalg.norm(v, 0.5), p(0.5), "float32", ulps(4));
    const m = np.array([
      [3, 4],
      [-6, 8],
    ]);
    expectArray(np.linalg.norm(m), Math.sqrt(125), "float32", ulps(1));
    expectArray(np.linalg.norm(m, "fro"), Math.sqrt(125), "float32", ulps(1));
    expectArray(np.linalg.norm(m, null, 1), [5, 10]);
    expectArray(np.linalg.norm(m, { axis: 0, keepdims: true }), [[Math.sqrt(45), Math.sqrt(80)]], "float32", ulps(1));
    expectArray(np.linalg.norm(m, 1, 1), [7, 14]);
    expectArray(np.linalg.norm(m, Infinity, 0), [6, 8]);
    expectArray(np.linalg.norm(m, { keepdims: true }), [[Math.sqrt(125)]], "float32", ulps(1));
    expectArray(np.linalg.norm(np.arange(3)), Math.sqrt(5), "float32", ulps(1));
    // ∇‖x‖ = x / ‖x‖.
    expectArray(grad((u: NdArray) => np.linalg.norm(u))(np.array([3, 4])), [0.6, 0.8], "float32", ulps(1));
  });
});

// --- products ----------------------------------------------------------------------

describe("matmul, dot, einsum, tensordot, outer, inner, vdot", () => {
  // Small integers: every product and sum is exact in float32.
  const A = iotaT([2, 3]);
  const B = iotaT([3, 4], -5);
  const a = toNd(A);
  const b = toNd(B);

  it("matmul of matrices, vectors, and batches with broadcasting", () => {
    expectT(np.matmul(a, b), refEinsum("ij,jk->ik", A, B), "float32");
    expectT(np.matmul(toNd(A, "int32"), toNd(B, "int32")), refEinsum("ij,jk->ik", A, B), "int32");
    expectT(a.matmul(b), refEinsum("ij,jk->ik", A, B));
    const v3 = { shape: [3], data: [1, -2, 3] };
    const v2 = { shape: [2], data: [2, -1] };
    expectT(np.matmul(toNd(v3), toNd(v3)), refEinsum("i,i->", v3, v3));
    expectT(np.matmul(toNd(v2), a), refEinsum("i,ij->j", v2, A));
    expectT(np.matmul(a, toNd(v3)), refEinsum("ij,j->i", A, v3));
    // Batched: [2,1,2,3] @ [3,3,2] broadcasts the batch axes to [2,3].
    const P = iotaT([2, 1, 2, 3]);
    const Q = iotaT([3, 3, 2], -9);
    const out = np.matmul(toNd(P), toNd(Q));
    expect(out.shape).toEqual([2, 3, 2, 2]);
    const want = Array.from({ length: 24 }, (_, o) => {
      const [b0, b1, i, k] = unravel([2, 3, 2, 2], o);
      let s = 0;
      for (let j = 0; j < 3; j++) s += P.data[offsetOf(P.shape, [b0, 0, i, j])] * Q.data[offsetOf(Q.shape, [b1, j, k])];
      return s;
    });
    expect(vals(out)).toEqual(want);
    // N-D @ 1-D and 1-D @ N-D drop the vector axis.
    const S = iotaT([2, 2, 3]);
    expectT(np.matmul(toNd(S), toNd(v3)), refEinsum("bij,j->bi", S, v3));
    expectT(np.matmul(toNd(v2), toNd(S)), refEinsum("j,bjk->bk", v2, S));
    expect(() => np.matmul(a, a)).toThrow(ShapeError);
    // d/dX Σ(X·W) = 1·Wᵀ: row sums of W.
    const w = np.array([
      [1, 2],
      [3, 4],
    ]);
    expectArray(grad((u: NdArray) => np.sum(np.matmul(u, w)))(np.array([[1, 1]])), [[3, 7]]);
  });

  it("dot: scalars, 1-D·1-D, N-D·1-D, N-D·M-D", () => {
    expectArray(np.dot(2, np.array([1, 2])), [2, 4]);
    expectArray(np.dot(np.array([1, 2, 3]), np.array([4, 5, 6])), 32);
    const S = iotaT([2, 2, 3]);
    const v = { shape: [3], data: [1, 0, -1] };
    expectT(np.dot(toNd(S), toNd(v)), refEinsum("abj,j->ab", S, v));
    // dot(a, b)[i,j,k,m] = Σ_l a[i,j,l]·b[k,l,m].
    const R = iotaT([2, 3, 4], -7);
    expectT(np.dot(toNd(S), toNd(R)), refEinsum("ijl,klm->ijkm", S, R));
    expectT(np.dot(a, b), refEinsum("ij,jk->ik", A, B));
  });

  it("einsum: matmul, batch matmul, outer, sums, transposes, chains", () => {
    expectT(np.einsum("ij,jk->ik", a, b), refEinsum("ij,jk->ik", A, B));
    expectT(np.einsum("ij,jk", a, b), refEinsum("ij,jk->ik", A, B));
    const X = iotaT([2, 2, 3]);
    const Y = iotaT([2, 3, 2], 1);
    expectT(np.einsum("bij,bjk->bik", toNd(X), toNd(Y)), refEinsum("bij,bjk->bik", X, Y));
    const u = { shape: [2], data: [1, 2] };
    const w = { shape: [3], data: [3, 4, 5] };
    expectT(np.einsum("i,j->ij", toNd(u), toNd(w)), refEinsum("i,j->ij", u, w));
    expectT(np.einsum("i,i->", toNd(u), toNd(u)), refEinsum("i,i->", u, u));
    expectT(np.einsum("ij->i", a), refEinsum("ij->i", A));
    expectT(np.einsum("ij->", a), refEinsum("ij->", A));
    expectT(np.einsum("ij->ji", a), refEinsum("ij->ji", A));
    expectT(np.einsum("bij,jk->kbi", toNd(X), toNd(iotaT([3, 2]))), refEinsum("bij,jk->kbi", X, iotaT([3, 2])));
    const C = iotaT([4, 2], 2);
    expectT(np.einsum("ij,jk,kl->il", a, b, toNd(C)), refEinsum("ij,jk,kl->il", A, B, C));
    // An index summed within one operand and also contracted: "ijk,j->i".
    expectT(np.einsum("ijk,j->i", toNd(X), toNd(u)), refEinsum("ijk,j->i", X, u));
    // d/dx xᵀx = 2x.
    expectArray(grad((v: NdArray) => np.einsum("i,i->", v, v))(np.array([1, 2])), [2, 4]);
  });

  it("tensordot with an int and with axis pairs", () => {
    expectT(np.tensordot(a, b, 1), refEinsum("ij,jk->ik", A, B));
    const X = iotaT([2, 3, 4]);
    const Y = iotaT([3, 4], -6);
    expectT(np.tensordot(toNd(X), toNd(Y)), refEinsum("ijk,jk->i", X, Y));
    expectT(np.tensordot(toNd(X), toNd(Y), 2), refEinsum("ijk,jk->i", X, Y));
    const u = { shape: [2], data: [1, 2] };
    const w = { shape: [2], data: [3, 4] };
    expectT(np.tensordot(toNd(u), toNd(w), 0), refEinsum("i,j->ij", u, w));
    const Z = iotaT([3, 2]);
    expectT(
      np.tensordot(toNd(X), toNd(Z), [
        [1, 0],
        [0, 1],
      ]),
      refEinsum("jik,ij->k", X, Z),
    );
    expectT(np.tensordot(a, a, [1, 1]), refEinsum("ij,kj->ik", A, A));
  });

  it("outer, inner, vdot", () => {
    const m = { shape: [2, 2], data: [3, 4, 5, 6] };
    const u = { shape: [2], data: [1, 2] };
    // outer flattens its operands.
    expectT(np.outer(toNd(u), toNd(m)), refEinsum("i,j->ij", u, { shape: [4], data: m.data }));
    expectT(np.inner(a, a), refEinsum("ij,kj->ik", A, A));
    expectT(np.inner(toNd(u), toNd(u)), refEinsum("i,i->", u, u));
    expectArray(np.inner(2, np.array([1, 3])), [2, 6]);
    expectArray(
      np.vdot(a, a),
      A.data.reduce((s, t) => s + t * t, 0),
      "float32",
    );
    expectArray(np.vdot(toNd(A, "int32"), toNd(A, "int32")), 55, "int32");
  });
});

// --- shape functions -------------------------------------------------------------------

describe("shape functions", () => {
  const X = iotaT([2, 3, 4]);
  const x = toNd(X, "int32");

  it("reshape with -1, transpose, swapaxes, moveaxis", () => {
    expect(np.reshape(x, [4, -1]).shape).toEqual([4, 6]);
    expect(np.reshape(x, -1).shape).toEqual([24]);
    expect(vals(np.reshape(x, [-1, 2]))).toEqual(X.data);
    expect(x.reshape(6, 4).shape).toEqual([6, 4]);
    expect(() => np.reshape(x, [5, -1])).toThrow(ShapeError);
    expect(() => np.reshape(x, [-1, -1])).toThrow(ShapeError);
    expectT(np.transpose(x), refTranspose(X, [2, 1, 0]), "int32");
    expectT(np.transpose(x, [1, 0, 2]), refTranspose(X, [1, 0, 2]));
    expectT(np.transpose(x, [-1, 0, 1]), refTranspose(X, [2, 0, 1]));
    expectT(np.swapaxes(x, 0, -1), refTranspose(X, [2, 1, 0]));
    expectT(np.swapaxes(x, 1, 2), refTranspose(X, [0, 2, 1]));
    // moveaxis(x, 0, -1): axes (1, 2, 0).
    expectT(np.moveaxis(x, 0, -1), refTranspose(X, [1, 2, 0]));
    // moveaxis(x, [0, 1], [-1, 0]): source 0 → position 2, source 1 → position 0, the rest fills in.
    expectT(np.moveaxis(x, [0, 1], [-1, 0]), refTranspose(X, [1, 2, 0]));
    expectT(np.moveaxis(x, [2, 0], [0, 1]), refTranspose(X, [2, 0, 1]));
    expect(() => np.transpose(x, [0, 1])).toThrow(AxisError);
  });

  it("concatenate (axis null flattens), stack (negative axis), vstack, hstack", () => {
    expectArray(
      np.concatenate([
        np.array([[1, 2]]),
        np.array([
          [3, 4],
          [5, 6],
        ]),
      ]),
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    );
    expectArray(
      np.concatenate(
        [
          np.array([[1], [2]]),
          np.array([
            [3, 4],
            [5, 6],
          ]),
        ],
        1,
      ),
      [
        [1, 3, 4],
        [2, 5, 6],
      ],
    );
    expectArray(np.concatenate([np.array([[1, 2]]), np.array([3])], null), [1, 2, 3]);
    expectArray(np.concatenate([np.arange(2), np.array([0.5])]), [0, 1, 0.5], "float32");
    expectArray(np.concatenate([np.arange(2), np.arange(1)]), [0, 1, 0], "int32");
    const s = np.stack([np.array([1, 2]), np.array([3, 4]), np.array([5, 6])], -1);
    expectArray(s, [
      [1, 3, 5],
      [2, 4, 6],
    ]);
    expectArray(np.stack([np.array([1, 2]), np.array([3, 4])]), [
      [1, 2],
      [3, 4],
    ]);
    expect(np.stack([x, x], -2).shape).toEqual([2, 3, 2, 4]);
    expect(() => np.stack([np.zeros(2), np.zeros(3)])).toThrow(ShapeError);
    expectArray(
      np.vstack([
        np.array([1, 2]),
        np.array([
          [3, 4],
          [5, 6],
        ]),
      ]),
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    );
    expectArray(np.hstack([np.array([1, 2]), np.array([3])]), [1, 2, 3]);
    expectArray(
      np.hstack([
        np.array([[1], [2]]),
        np.array([
          [3, 4],
          [5, 6],
        ]),
      ]),
      [
        [1, 3, 4],
        [2, 5, 6],
      ],
    );
    // d/dx Σ w·concat(x, x) = w[:2] + w[2:].
    const w = np.array([1, 2, 3, 4]);
    expectArray(grad((v: NdArray) => np.sum(np.multiply(np.concatenate([v, v]), w)))(np.array([1, 2])), [4, 6]);
  });

  it("split by sections and by indices", () => {
    const parts = (xs: NdArray[]) => xs.map((p) => p.tolist());
    expect(parts(np.split(np.arange(6), 3))).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(parts(np.split(np.arange(6), [1, 4]))).toEqual([[0], [1, 2, 3], [4, 5]]);
    // Indices past the end give empty pieces; negative ones count from the end.
    expect(parts(np.split(np.arange(6), [2, 10]))).toEqual([[0, 1], [2, 3, 4, 5], []]);
    expect(parts(np.split(np.arange(6), [-2]))).toEqual([
      [0, 1, 2, 3],
      [4, 5],
    ]);
    expect(parts(np.split(np.reshape(np.arange(6), [2, 3]), [1], 1))).toEqual([
      [[0], [3]],
      [
        [1, 2],
        [4, 5],
      ],
    ]);
    expect(() => np.split(np.arange(5), 2)).toThrow(ShapeError);
  });

  it("squeeze (axis), expandDims (several axes), broadcastTo, broadcastArrays", () => {
    expect(np.squeeze(np.zeros([1, 3, 1])).shape).toEqual([3]);
    expect(np.squeeze(np.zeros([1, 3, 1]), -1).shape).toEqual([1, 3]);
    expect(np.squeeze(np.zeros([1, 3, 1]), [0, 2]).shape).toEqual([3]);
    expect(() => np.squeeze(np.zeros([1, 3, 1]), 1)).toThrow(ShapeError);
    expect(np.expandDims(np.zeros([3, 4]), [0, 3]).shape).toEqual([1, 3, 4, 1]);
    expect(np.expandDims(np.zeros([3, 4]), [-1, 0]).shape).toEqual([1, 3, 4, 1]);
    expect(np.expandDims(np.zeros([3, 4]), [-1, -2]).shape).toEqual([3, 4, 1, 1]);
    expect(np.expandDims(np.zeros([3, 4]), 1).shape).toEqual([3, 1, 4]);
    expect(() => np.expandDims(np.zeros([2]), 3)).toThrow(AxisError);
    expectArray(np.broadcastTo(np.array([1, 2]), [2, 2]), [
      [1, 2],
      [1, 2],
    ]);
    expectArray(np.broadcastTo(np.arange(1), [3]), [0, 0, 0], "int32");
    expect(() => np.broadcastTo(np.array([1, 2]), [2, 3])).toThrow(ShapeError);
    const [p, q] = np.broadcastArrays(np.array([[1], [2]]), np.array([3, 4, 5]));
    expectArray(p, [
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expectArray(q, [
      [3, 4, 5],
      [3, 4, 5],
    ]);
    // Gradient of a broadcast sums over the broadcast axes.
    expectArray(grad((v: NdArray) => np.sum(np.broadcastTo(v, [3, 2])))(np.array([1, 2])), [3, 3]);
  });

  it("pad: constant, edge, reflect, symmetric, wrap (NumPy's definitions)", () => {
    const v = np.array([1, 2, 3]);
    expectArray(np.pad(v, [2, 1], { constantValues: 9 }), [9, 9, 1, 2, 3, 9]);
    expectArray(np.pad(v, 1, "constant", { constantValues: -1 }), [-1, 1, 2, 3, -1]);
    expectArray(np.pad(np.arange(3), 1), [0, 0, 1, 2, 0], "int32");
    // edge repeats the end values.
    expectArray(np.pad(v, [2, 3], "edge"), [1, 1, 1, 2, 3, 3, 3, 3]);
    // reflect mirrors about the end values without repeating them: … 3 2 | 1 2 3 | 2 1 2 …
    expectArray(np.pad(v, [2, 3], "reflect"), [3, 2, 1, 2, 3, 2, 1, 2]);
    // symmetric mirrors including the end values: … 2 1 | 1 2 3 | 3 2 1 …
    expectArray(np.pad(v, [2, 3], "symmetric"), [2, 1, 1, 2, 3, 3, 2, 1]);
    // wrap continues periodically: … 2 3 | 1 2 3 | 1 2 3 1 …
    expectArray(np.pad(v, [2, 4], "wrap"), [2, 3, 1, 2, 3, 1, 2, 3, 1]);
    // Widths beyond the array repeat the reflection (NumPy pads in rounds): reflect has
    // period 2(n − 1) = 4 (1 2 3 2), symmetric period 2n = 6 (1 2 3 3 2 1).
    expectArray(np.pad(v, 5, "reflect"), [2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2]);
    expectArray(np.pad(v, 5, "symmetric"), [2, 3, 3, 2, 1, 1, 2, 3, 3, 2, 1, 1, 2]);
    expectArray(np.pad(v, [4, 0], "wrap"), [3, 1, 2, 3, 1, 2, 3]);
    // Per-axis widths: one row reflected above, two columns reflected to the right.
    expectArray(
      np.pad(
        np.array([
          [1, 2],
          [3, 4],
        ]),
        [
          [1, 0],
          [0, 2],
        ],
        { mode: "reflect" },
      ),
      [
        [3, 4, 3, 4],
        [1, 2, 1, 2],
        [3, 4, 3, 4],
      ],
    );
    expectArray(
      np.pad(np.array([[5]]), [
        [1, 1],
        [0, 1],
      ]),
      [
        [0, 0],
        [5, 0],
        [0, 0],
      ],
    );
    // Σ pad(y, (2, 0), reflect) = Σ [y2, y1, y0, y1, y2]: gradient (1, 2, 2).
    expectArray(grad((u: NdArray) => np.sum(np.pad(u, [2, 0], "reflect")))(v), [1, 2, 2]);
  });

  it("flip, tile, repeat (scalar and per element)", () => {
    const m = np.array([
      [1, 2],
      [3, 4],
    ]);
    expectArray(np.flip(m), [
      [4, 3],
      [2, 1],
    ]);
    expectArray(np.flip(m, 1), [
      [2, 1],
      [4, 3],
    ]);
    expectArray(np.flip(m, -2), [
      [3, 4],
      [1, 2],
    ]);
    expectArray(np.tile(np.array([1, 2]), 2), [1, 2, 1, 2]);
    expectArray(np.tile(np.array([1, 2]), [2, 2]), [
      [1, 2, 1, 2],
      [1, 2, 1, 2],
    ]);
    expectArray(np.tile(m, [1, 2]), [
      [1, 2, 1, 2],
      [3, 4, 3, 4],
    ]);
    expectArray(np.repeat(m, 2), [1, 1, 2, 2, 3, 3, 4, 4]);
    expectArray(np.repeat(m, 2, 0), [
      [1, 2],
      [1, 2],
      [3, 4],
      [3, 4],
    ]);
    expectArray(np.repeat(m, [1, 2], 1), [
      [1, 2, 2],
      [3, 4, 4],
    ]);
    expectArray(np.repeat(np.array([1, 2, 3]), [0, 2, 1]), [2, 2, 3]);
    expectArray(np.repeat(np.arange(2), 2), [0, 0, 1, 1], "int32");
    // Gradients sum the copies.
    expectArray(grad((u: NdArray) => np.sum(np.tile(u, 3)))(np.array([1, 2])), [3, 3]);
    const w = np.array([1, 2, 3]);
    expectArray(grad((u: NdArray) => np.sum(np.multiply(np.repeat(u, [2, 1]), w)))(np.array([1, 2])), [3, 3]);
  });

  it("sort and argsort: stable, NaN last, axis null", () => {
    expectArray(np.sort(np.array([3, NaN, 1, -Infinity, 2, NaN])), [-Infinity, 1, 2, 3, NaN, NaN]);
    const m = np.array([
      [3, 1],
      [0, 2],
    ]);
    expectArray(np.sort(m), [
      [1, 3],
      [0, 2],
    ]);
    expectArray(np.sort(m, 0), [
      [0, 1],
      [3, 2],
    ]);
    expectArray(np.sort(m, null), [0, 1, 2, 3]);
    expectArray(np.sort(np.array([3, -1, 2], "int32")), [-1, 2, 3], "int32");
    // Equal keys keep their order.
    expectArray(np.argsort(np.array([2, 1, 2, 1, 0])), [4, 1, 3, 0, 2], "int32");
    expectArray(np.argsort(np.array([NaN, 1, NaN, 0])), [3, 1, 0, 2]);
    expectArray(np.argsort(m, null), [2, 1, 3, 0]);
    expectArray(np.argsort(m, 0), [
      [1, 0],
      [0, 1],
    ]);
    // The gradient of sort is the permutation: d/dx Σ w·sort(x) = w at each element's rank.
    const w = np.array([1, 2, 3]);
    expectArray(grad((u: NdArray) => np.sum(np.multiply(np.sort(u), w)))(np.array([3, 1, 2])), [3, 1, 2]);
  });

  it("power follows JAX (C's pow) where JS Math.pow differs: 1**y = 1, (-1)**±inf = 1, x**0 = 1", () => {
    const x = [1, 1, 1, -1, -1, NaN, 2];
    const y = [NaN, Infinity, -Infinity, Infinity, -Infinity, 0, 0.5];
    const want = [1, 1, 1, 1, 1, 1, Math.fround(Math.SQRT2)];
    expect(globalThis.Array.from(np.power(np.array(x), np.array(y)).dataSync())).toEqual(want);
    // The same on the wasm kernel (arrays large enough for it) and on the cpu reference.
    const big = (v: number[]) => np.tile(np.array(v), [64]);
    for (const platform of ["wasm", "cpu"] as const) {
      config.update("platform", platform);
      const got = np.power(big(x), big(y)).dataSync();
      expect(globalThis.Array.from(got.slice(0, 7))).toEqual(want);
      expect(globalThis.Array.from(got.slice(448 - 7))).toEqual(want);
    }
    config.update("platform", "wasm");
  });

  it("take (axis null and axis, negative indices) and takeAlongAxis", () => {
    const m = np.array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expectArray(np.take(m, [5, -1, 0]), [6, 6, 1]);
    expectArray(np.take(m, [2, -3], 1), [
      [3, 1],
      [6, 4],
    ]);
    expectArray(
      np.take(
        m,
        [
          [0, 1],
          [1, 0],
        ],
        0,
      ),
      [
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [
          [4, 5, 6],
          [1, 2, 3],
        ],
      ],
    );
    expectArray(np.take(np.arange(4), np.array([3, 0], "int32")), [3, 0], "int32");
    // The axis may also come in a trailing options object, as every optional parameter may.
    expectArray(np.take(m, [2, -3], { axis: 1 }), [
      [3, 1],
      [6, 4],
    ]);
    expectArray(np.takeAlongAxis(m, np.array([[1], [0]]), { axis: 1 }), [[2], [4]]);
    const y = np.array([
      [10, 30, 20],
      [60, 40, 50],
    ]);
    expectArray(
      np.takeAlongAxis(
        y,
        np.array([
          [0, 2],
          [1, -1],
        ]),
        1,
      ),
      [
        [10, 20],
        [40, 50],
      ],
    );
    // take_along_axis(x, argsort(x)) sorts.
    expectArray(np.takeAlongAxis(y, np.argsort(y, 1), 1), [
      [10, 20, 30],
      [40, 50, 60],
    ]);
    // Index arrays broadcast against the other axes.
    expectArray(np.takeAlongAxis(y, np.array([[1], [0]]), 0), [
      [60, 40, 50],
      [10, 30, 20],
    ]);
    expectArray(np.takeAlongAxis(y, np.array([3, 0]), null), [60, 10]);
    // Repeated indices accumulate in the gradient.
    const g = grad((u: NdArray) => np.sum(np.take(u, [0, 0, 2])))(np.array([1, 2, 3]));
    expect([g.dtype, vals(g)]).toEqual(["float32", [2, 0, 1]]);
    const g2 = grad((u: NdArray) => np.sum(np.takeAlongAxis(u, np.array([[0, 0]]), 1)))(np.array([[1, 2]]));
    expect(vals(g2)).toEqual([2, 0]);
  });

  it("atleast1d, atleast2d, ravel", () => {
    expect(np.atleast1d(np.asarray(1)).shape).toEqual([1]);
    expect(np.atleast2d(np.array([1, 2])).shape).toEqual([1, 2]);
    expect(np.atleast2d(np.asarray(1)).shape).toEqual([1, 1]);
    expect(vals(np.ravel(x))).toEqual(X.data);
  });
});
