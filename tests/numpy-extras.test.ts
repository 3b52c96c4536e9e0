/**
 * numpy's everyday helpers (src/numpy/extras.ts) and lax.fullLike: values against
 * float64 references computed with NumPy 2 (pasted below) or closed forms, JAX's
 * edge cases, gradients against central differences in float64 (checkGrads),
 * vmap against a loop, jit against eager, and the typed errors for bad input.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  ArgumentTypeError,
  AxisError,
  checkGrads,
  config,
  DTypeError,
  grad,
  jit,
  lax,
  numpy as np,
  OptionError,
  ShapeError,
  vmap,
  type Array as NdArray,
} from "../src/index.js";

afterEach(() => config.update("enableX64", false));

const f64 = (v: unknown): NdArray => np.asarray(v as number[], "float64");
const vals = (a: NdArray): number[] => Array.from(a.dataSync() as ArrayLike<number>);

/** |got − want| ≤ atol + rtol·|want| elementwise (NaN only matches NaN), and the shape. */
function close(a: NdArray, want: unknown, rtol: number, atol = 0): void {
  const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [Number(v)]);
  const shape = (v: unknown): number[] => (Array.isArray(v) ? [v.length, ...(v.length ? shape(v[0]) : [])] : []);
  expect(a.shape).toEqual(shape(want));
  const w = flat(want);
  const g = vals(a);
  const bad = w
    .map((e, i) => [e, g[i], i] as const)
    .filter(([e, x]) =>
      Number.isNaN(e) ? !Number.isNaN(x) : !(x === e || Math.abs(x - e) <= atol + rtol * Math.abs(e)),
    );
  expect(bad.map(([e, x, i]) => `[${i}] got ${x}, expected ${e}`)).toEqual([]);
}
const exact = (a: NdArray, want: unknown): void => close(a, want, 0, 0);
/** Two library arrays: same shape, dtype and bits (jit/vmap against eager, both computed here). */
function same(a: NdArray, b: NdArray): void {
  expect([a.shape, a.dtype]).toEqual([b.shape, b.dtype]);
  expect(vals(a)).toEqual(vals(b));
}
/** vmap against a loop: the per-row results stacked. */
const loop = (n: number, f: (i: number) => NdArray): NdArray => np.stack(Array.from({ length: n }, (_, i) => f(i)));

/** float64 gradient checks: central differences of smooth composites agree to ~1e-6 relative. */
const GRAD_TOL = { atol: 1e-6, rtol: 1e-6 };

describe("roll", () => {
  const A = np.reshape(np.arange(24, { dtype: "float32" }), [2, 3, 4]);
  it("matches NumPy: one axis, several axes, the flattened array", () => {
    // NumPy: np.roll(A, 5, axis=2), np.roll(A, (1, -2), axis=(0, 2)), np.roll(A, -7)
    exact(np.roll(A, 5, 2), [
      [
        [3, 0, 1, 2],
        [7, 4, 5, 6],
        [11, 8, 9, 10],
      ],
      [
        [15, 12, 13, 14],
        [19, 16, 17, 18],
        [23, 20, 21, 22],
      ],
    ]);
    expect(vals(np.roll(A, [1, -2], { axis: [0, 2] }))).toEqual([
      14, 15, 12, 13, 18, 19, 16, 17, 22, 23, 20, 21, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9,
    ]);
    const flat = vals(np.roll(A, -7));
    expect(flat).toEqual([...Array.from({ length: 17 }, (_, i) => i + 7), 0, 1, 2, 3, 4, 5, 6]);
    expect(np.roll(A, -7).shape).toEqual([2, 3, 4]);
  });
  it("a scalar shift broadcasts over axes; repeated axes add up; zero-length axes are left alone", () => {
    exact(
      np.roll(
        np.array([
          [1, 2],
          [3, 4],
        ]),
        1,
        [0, 1],
      ),
      [
        [4, 3],
        [2, 1],
      ],
    );
    exact(np.roll(np.arange(5), [1, 2], [0, 0]), [2, 3, 4, 0, 1]);
    expect(np.roll(np.zeros([0, 3]), 2, 0).shape).toEqual([0, 3]);
  });
  it("an Array shift (a gather) equals the static roll, under jit too", () => {
    const x = np.arange(7, { dtype: "float32" });
    for (const s of [-9, -1, 0, 3, 12]) {
      same(np.roll(x, np.array(s, "int32")), np.roll(x, s));
      same(jit((v: NdArray, k: NdArray) => np.roll(v, k))(x, np.array(s, "int32")), np.roll(x, s));
    }
  });
  it("vmap equals a loop; the gradient is the inverse roll", () => {
    const xs = np.reshape(np.arange(12, { dtype: "float32" }), [3, 4]);
    const batched = vmap((r: NdArray) => np.roll(r, 1))(xs);
    same(
      batched,
      loop(3, (i) => np.roll(xs.get(i), 1)),
    );
    const w = np.array([1, 2, 3, 4]);
    exact(grad((v: NdArray) => np.sum(np.multiply(np.roll(v, 1), w)))(np.zeros([4])), [2, 3, 4, 1]);
  });
  it("bad input is typed", () => {
    expect(() => np.roll(A, 1.5 as never)).toThrow(ArgumentTypeError);
    expect(() => np.roll(A, [1, 2, 3], [0, 1])).toThrow(ShapeError);
    expect(() => np.roll(A, 1, 3)).toThrow(AxisError);
    expect(() => np.roll(A, np.array([0.5]) as never)).toThrow(/integer/);
  });
});

describe("tril / triu", () => {
  const M = np.reshape(np.arange(1, 13, { dtype: "float32" }), [3, 4]);
  it("keep the triangle on and below (tril) or above (triu) diagonal k", () => {
    exact(np.tril(M), [
      [1, 0, 0, 0],
      [5, 6, 0, 0],
      [9, 10, 11, 0],
    ]);
    exact(np.tril(M, -1), [
      [0, 0, 0, 0],
      [5, 0, 0, 0],
      [9, 10, 0, 0],
    ]);
    exact(np.triu(M, { k: 1 }), [
      [0, 2, 3, 4],
      [0, 0, 7, 8],
      [0, 0, 0, 12],
    ]);
    exact(np.triu(M, -1), [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [0, 10, 11, 12],
    ]);
    // Huge k: everything (tril) or nothing (triu); no overflow.
    same(np.tril(M, 1e9), M);
    expect(vals(np.triu(M, 1e9)).every((v) => v === 0)).toBe(true);
  });
  it("batch over leading axes and keep dtype (ints, bools)", () => {
    const B = np.reshape(np.arange(8), [2, 2, 2]);
    exact(np.triu(B), [
      [
        [0, 1],
        [0, 3],
      ],
      [
        [4, 5],
        [0, 7],
      ],
    ]);
    expect(np.triu(B).dtype).toBe("int32");
    const t = np.tril(np.ones([2, 2], "bool"));
    expect(t.dtype).toBe("bool");
    expect(vals(t)).toEqual([1, 0, 1, 1]);
  });
  it("gradient is the mask; vmap and jit agree", () => {
    exact(grad((x: NdArray) => np.sum(np.tril(x)))(np.ones([2, 3])), [
      [1, 0, 0],
      [1, 1, 0],
    ]);
    same(vmap((x: NdArray) => np.triu(x))(np.ones([2, 2, 2])), np.triu(np.ones([2, 2, 2])));
    same(jit((x: NdArray) => np.tril(x, 1))(M), np.tril(M, 1));
  });
  it("refuse fewer than 2 axes and a non-integer k", () => {
    expect(() => np.tril(np.ones([3]))).toThrow(ShapeError);
    expect(() => np.triu(np.ones([3]))).toThrow(/must be at least 2D/);
    expect(() => np.tril(M, 0.5)).toThrow(OptionError);
  });
});

describe("diff", () => {
  it("matches NumPy: n, axis, prepend, append", () => {
    config.update("enableX64", true);
    // NumPy: np.diff([0.3, -1.2, 2.5, 4.0, -0.7], 2)
    close(np.diff(f64([0.3, -1.2, 2.5, 4.0, -0.7]), 2), [5.2, -2.2, -6.2], 1e-15, 1e-15);
    const M = f64([
      [1, 4, 9],
      [2, 8, 5],
    ]);
    exact(np.diff(M, 1, 0, [[0, 1, 2]]), [
      [1, 3, 7],
      [1, 4, -4],
    ]);
    exact(np.diff(M, { axis: 0, append: [[0, 1, 2]] }), [
      [1, 4, -4],
      [-2, -7, -3],
    ]);
    exact(np.diff(M, { prepend: 10 }), [
      [-9, 3, 5],
      [-8, 6, -3],
    ]);
  });
  it("n = 0 is the input; n past the length gives an empty axis; bools use !=", () => {
    const x = np.array([1, 4, 9]);
    exact(np.diff(x, 0), [1, 4, 9]);
    expect(np.diff(x, 5).shape).toEqual([0]);
    const b = np.diff(np.array([true, false, false, true]));
    expect(b.dtype).toBe("bool");
    expect(vals(b)).toEqual([1, 0, 1]);
    expect(np.diff(np.array([3, 7], "int32")).dtype).toBe("int32");
  });
  it("gradient (float64 central differences); vmap; jit", () => {
    config.update("enableX64", true);
    const f = (x: NdArray) => np.sum(np.sin(np.diff(x, 2)));
    checkGrads(f, [f64([0.3, -1.2, 2.5, 4.0, -0.7])], 2, GRAD_TOL);
    const X = f64([
      [1, 2, 4],
      [0, -1, 5],
    ]);
    same(
      vmap((r: NdArray) => np.diff(r))(X),
      loop(2, (i) => np.diff(X.get(i))),
    );
    same(jit((r: NdArray) => np.diff(r, 1, 0))(X), np.diff(X, 1, 0));
  });
  it("bad input is typed", () => {
    expect(() => np.diff(np.array(3))).toThrow(/at least one dimensional/);
    expect(() => np.diff(np.array([1, 2]), -1)).toThrow(OptionError);
    expect(() => np.diff(np.array([1, 2]), 1, 2)).toThrow(AxisError);
  });
});

describe("sinc", () => {
  // NumPy float64: np.sinc([-2.5, -1.0, -0.3, 0.0, 1e-4, 0.25, 0.5, 1.7, 3.0])
  const xs = [-2.5, -1.0, -0.3, 0.0, 1e-4, 0.25, 0.5, 1.7, 3.0];
  const ref = [
    0.12732395447351627, 3.8981718325193755e-17, 0.8583936913341398, 1.0, 0.9999999835506593, 0.9003163161571061,
    0.6366197723675814, -0.15148123964720117, 3.8981718325193755e-17,
  ];
  it("values in float64 (a few ulps) and float32 (rounding of πx: ~1e-7 absolute)", () => {
    config.update("enableX64", true);
    close(np.sinc(f64(xs)), ref, 1e-14, 1e-15);
    config.update("enableX64", false);
    const s = np.sinc(np.array(xs));
    expect(s.dtype).toBe("float32");
    close(s, ref, 1e-6, 1e-7);
    expect(np.sinc(np.array([0, 2], "int32")).dtype).toBe("float32");
  });
  it("derivatives at 0 are exact to every order (JAX's Maclaurin rule)", () => {
    config.update("enableX64", true);
    const s = (x: NdArray) => np.sinc(x);
    const x0 = np.array(0, "float64");
    expect((grad(s)(x0) as NdArray).item()).toBe(0);
    // sinc(x) = 1 − (πx)²/6 + (πx)⁴/120 − …: f'' (0) = −π²/3, f''''(0) = π⁴/5.
    expect((grad(grad(s))(x0) as NdArray).item()).toBeCloseTo(-(Math.PI ** 2) / 3, 12);
    expect((grad(grad(grad(s)))(x0) as NdArray).item()).toBe(0);
    expect((grad(grad(grad(grad(s))))(x0) as NdArray).item()).toBeCloseTo(Math.PI ** 4 / 5, 10);
    checkGrads((x: NdArray) => np.sinc(x), [f64([-1.3, 0.4, 2.2])], 2, GRAD_TOL);
  });
  it("vmap and jit agree with eager", () => {
    const x = np.array(xs);
    same(vmap((v: NdArray) => np.sinc(v))(x), np.sinc(x));
    same(jit((v: NdArray) => np.sinc(v))(x), np.sinc(x));
  });
});

describe("kron", () => {
  const a = np.array([
    [1, 2],
    [3, 4],
  ]);
  const b = np.array([
    [0, 5, 1],
    [6, 7, 2],
  ]);
  it("matches NumPy, shapes of different rank included", () => {
    exact(np.kron(a, b), [
      [0, 5, 1, 0, 10, 2],
      [6, 7, 2, 12, 14, 4],
      [0, 15, 3, 0, 20, 4],
      [18, 21, 6, 24, 28, 8],
    ]);
    exact(np.kron(np.array([1, 2, 3]), b), [
      [0, 5, 1, 0, 10, 2, 0, 15, 3],
      [6, 7, 2, 12, 14, 4, 18, 21, 6],
    ]);
    exact(np.kron(2, np.array([1, 2])), [2, 4]);
    expect(np.kron(np.array([1, 2], "int32"), np.array([3], "int32")).dtype).toBe("int32");
    expect(vals(np.kron(np.array([true, false]), np.array([true, true])))).toEqual([1, 1, 0, 0]);
  });
  it("gradient (float64), vmap, jit", () => {
    config.update("enableX64", true);
    checkGrads(
      (x: NdArray, y: NdArray) => np.sum(np.sin(np.kron(x, y))),
      [
        f64([
          [0.3, -1],
          [2, 0.5],
        ]),
        f64([0.7, 1.1, -0.4]),
      ],
      2,
      GRAD_TOL,
    );
    const X = f64([
      [1, 2],
      [3, 4],
    ]);
    same(
      vmap((r: NdArray) => np.kron(r, X))(X),
      loop(2, (i) => np.kron(X.get(i), X)),
    );
    same(jit((x: NdArray) => np.kron(x, x))(X), np.kron(X, X));
  });
});

describe("cross", () => {
  const u = np.array([
    [1, 2, 3],
    [-1, 0.5, 2],
  ]);
  const v = np.array([
    [4, 5, 6],
    [0.3, -2, 1],
  ]);
  // NumPy: np.cross(u, v) = [[-3, 6, -3], [4.5, 1.6, 1.85]]; float32 products round: 1e-6 relative.
  it("3-vectors, 2-vectors, mixed, and the axis options", () => {
    close(
      np.cross(u, v),
      [
        [-3, 6, -3],
        [4.5, 1.6, 1.85],
      ],
      1e-6,
    );
    close(
      np.cross(np.transpose(u), np.transpose(v), { axis: 0 }),
      [
        [-3, 4.5],
        [6, 1.6],
        [-3, 1.85],
      ],
      1e-6,
    );
    close(
      np.cross(u, v, -1, -1, 0),
      [
        [-3, 4.5],
        [6, 1.6],
        [-3, 1.85],
      ],
      1e-6,
    );
    close(
      np.cross(np.transpose(u), v, { axisa: 0 }),
      [
        [-3, 6, -3],
        [4.5, 1.6, 1.85],
      ],
      1e-6,
    );
    exact(np.cross(np.array([1, 2]), np.array([4, 5])), -3);
    exact(np.cross(np.array([1, 2]), np.array([4, 5, 6])), [12, -6, -3]);
    // Broadcasting of the leading axes.
    close(
      np.cross(u, np.array([0, 0, 1])),
      [
        [2, -1, 0],
        [0.5, 1, 0],
      ],
      0,
    );
  });
  it("gradient (float64), vmap, jit", () => {
    config.update("enableX64", true);
    checkGrads(
      (a: NdArray, b: NdArray) => np.sum(np.sin(np.cross(a, b))),
      [
        f64([
          [1, 2, 3],
          [-1, 0.5, 2],
        ]),
        f64([4, 5, 6]),
      ],
      2,
      GRAD_TOL,
    );
    same(vmap((a: NdArray, b: NdArray) => np.cross(a, b))(u, v), np.cross(u, v));
    same(jit((a: NdArray, b: NdArray) => np.cross(a, b))(u, v), np.cross(u, v));
  });
  it("bad input is typed", () => {
    expect(() => np.cross(np.ones([4]), np.ones([3]))).toThrow(/Dimension must be either 2 or 3/);
    expect(() => np.cross(np.ones([2, 3]), np.ones([3, 3]))).toThrow(ShapeError);
    expect(() => np.cross(np.array(1), np.ones([3]))).toThrow(AxisError);
    expect(() => np.cross(np.ones([3]), np.ones([3]), 2)).toThrow(AxisError);
    expect(() => np.cross(np.ones([3], "bool"), np.ones([3], "bool"))).toThrow(DTypeError);
  });
});

describe("meshgrid", () => {
  const x = np.array([1, 2, 3]);
  const y = np.array([10, 20]);
  it('"xy" (default): outputs of shape [len(y), len(x)]', () => {
    const [X, Y] = np.meshgrid(x, y);
    exact(X, [
      [1, 2, 3],
      [1, 2, 3],
    ]);
    exact(Y, [
      [10, 10, 10],
      [20, 20, 20],
    ]);
  });
  it('"ij", sparse, three inputs, one input', () => {
    const [I, J] = np.meshgrid(x, y, { indexing: "ij" });
    expect(I.shape).toEqual([3, 2]);
    exact(J, [
      [10, 20],
      [10, 20],
      [10, 20],
    ]);
    const [sx, sy] = np.meshgrid(x, y, { sparse: true });
    exact(sx, [[1, 2, 3]]);
    exact(sy, [[10], [20]]);
    const three = np.meshgrid(x, y, np.array([5, 6, 7, 8]), { copy: false });
    expect(three.map((a) => a.shape)).toEqual([
      [2, 3, 4],
      [2, 3, 4],
      [2, 3, 4],
    ]);
    expect(vals(three[2]).slice(0, 4)).toEqual([5, 6, 7, 8]);
    exact(np.meshgrid(x)[0], [1, 2, 3]);
    expect(np.meshgrid()).toEqual([]);
  });
  it("jit and grad pass through", () => {
    const f = (a: NdArray, b: NdArray) => np.meshgrid(a, b)[0];
    same(jit(f)(x, y), f(x, y));
    exact(grad((a: NdArray) => np.sum(np.meshgrid(a, y)[0]))(x), [2, 2, 2]);
  });
  it("bad input is typed", () => {
    expect(() => np.meshgrid(np.ones([2, 2]), x)).toThrow(/must be 1D/);
    expect(() => np.meshgrid(x, { indexing: "ji" as never })).toThrow(OptionError);
    expect(() => np.meshgrid(x, { bogus: 1 } as never)).toThrow(/unknown option "bogus"/);
  });
});

describe("trapezoid", () => {
  it("matches NumPy: dx, x (1-D and N-D), axis", () => {
    config.update("enableX64", true);
    const y = f64([1, 3, 2, 5, 4]);
    exact(np.trapezoid(y, f64([0, 0.5, 2, 2.5, 4])), 13.25);
    close(np.trapezoid(y, null, 0.3), 3.75, 1e-15);
    exact(np.trapezoid(np.array([1, 2, 3])), 4);
    const Y = np.power(np.reshape(np.arange(12, { dtype: "float64" }), [3, 4]), 1.5);
    // NumPy float64 references; a few roundings: 1e-14 relative.
    close(
      np.trapezoid(Y, { axis: 0 }),
      [19.31370849898476, 25.180339887498945, 31.922540319914063, 39.35977173576015],
      1e-14,
    );
    const X2 = np.cumsum(np.multiply(np.ones([3, 4], "float64"), f64([[1], [2], [0.5]])), 0);
    close(
      np.trapezoid(Y, X2, { axis: 0 }),
      [15.65685424949238, 21.725424859373685, 29.105294346040978, 37.467194567999144],
      1e-14,
    );
    exact(np.trapezoid(f64([7])), 0);
    exact(np.trapezoid(np.zeros([2, 0])), [0, 0]);
  });
  it("gradient (float64), vmap, jit", () => {
    config.update("enableX64", true);
    checkGrads(
      (y: NdArray, x: NdArray) => np.trapezoid(np.sin(y), x),
      [f64([1, 3, 2, 5]), f64([0, 0.5, 2, 2.5])],
      2,
      GRAD_TOL,
    );
    const Y = f64([
      [1, 2, 4],
      [0, -1, 5],
    ]);
    same(
      vmap((r: NdArray) => np.trapezoid(r))(Y),
      loop(2, (i) => np.trapezoid(Y.get(i))),
    );
    same(jit((r: NdArray) => np.trapezoid(r, { dx: 0.5 }))(Y), np.trapezoid(Y, { dx: 0.5 }));
  });
  it("bad input is typed", () => {
    expect(() => np.trapezoid(np.array(1))).toThrow(AxisError);
    expect(() => np.trapezoid(np.ones([3]), np.ones([4]))).toThrow(ShapeError);
    expect(() => np.trapezoid(np.ones([3]), { axis: 1 })).toThrow(AxisError);
  });
});

describe("polyval", () => {
  it("matches NumPy (Horner), with p's trailing axes broadcasting", () => {
    config.update("enableX64", true);
    // NumPy: np.polyval([2, -3, 0.5, 1], [-1.5, 0, 0.7, 2])
    close(np.polyval(f64([2, -3, 0.5, 1]), f64([-1.5, 0, 0.7, 2])), [-13.25, 1, 0.5660000000000001, 6], 1e-15);
    exact(np.polyval(np.array([3, 0, 1]), 2), 13);
    // p of shape [2, 2]: two polynomials, one per column.
    exact(
      np.polyval(
        np.array([
          [1, 2],
          [3, 4],
        ]),
        np.array([10, 100]),
      ),
      [13, 204],
    );
    exact(np.polyval(np.zeros([0]), np.array([1, 2])), [0, 0]);
    expect(np.polyval(np.array([1, 2], "int32"), np.array([3], "int32")).dtype).toBe("float64");
    exact(np.polyval(np.array([1, 2]), 3, { unroll: 4 }), 5);
  });
  it("gradient in p and x (float64), vmap, jit", () => {
    config.update("enableX64", true);
    checkGrads(
      (p: NdArray, x: NdArray) => np.sum(np.polyval(p, x)),
      [f64([2, -3, 0.5, 1]), f64([-1.5, 0.7, 2])],
      2,
      GRAD_TOL,
    );
    const xs = f64([0.5, 1.5, -2]);
    const p = f64([1, -2, 3]);
    same(vmap((x: NdArray) => np.polyval(p, x))(xs), np.polyval(p, xs));
    same(jit((x: NdArray) => np.polyval(p, x))(xs), np.polyval(p, xs));
  });
  it("bad input is typed", () => {
    expect(() => np.polyval(np.array(2), 1)).toThrow(ShapeError);
    expect(() => np.polyval(np.ones([2, 3]), np.ones([2]))).toThrow(ShapeError);
    expect(() => np.polyval(np.ones([2]), 1, { unroll: -1 })).toThrow(OptionError);
    expect(() => np.polyval(np.ones([2]), 1, 3 as never)).toThrow(ArgumentTypeError);
  });
});

describe("isclose / allclose", () => {
  it("|a − b| ≤ atol + rtol·|b|, with JAX's inf and NaN rules", () => {
    const a = np.array([1, 1.000005, 1.001, Infinity, -Infinity, Infinity, NaN, NaN, 0]);
    const b = np.array([1, 1, 1, Infinity, -Infinity, -Infinity, NaN, 1, 1e-9]);
    expect(vals(np.isclose(a, b))).toEqual([1, 1, 0, 1, 1, 0, 0, 0, 1]);
    expect(vals(np.isclose(a, b, { equalNan: true }))).toEqual([1, 1, 0, 1, 1, 0, 1, 0, 1]);
    expect(vals(np.isclose(a, b, 1e-2))).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 1]);
    expect(vals(np.isclose(np.array([0, 0]), np.array([1e-9, 1e-7]), 0, 1e-8))).toEqual([1, 0]);
    expect(np.isclose(a, b).dtype).toBe("bool");
    // Integers are compared as floats; broadcasting; a tolerance may be an Array.
    expect(vals(np.isclose(np.array([1, 2], "int32"), 2))).toEqual([0, 1]);
    expect(vals(np.isclose(np.array([1, 2]), np.array([1.5, 2.5]), 0, np.array([0.4, 0.6])))).toEqual([0, 1]);
  });
  it("allclose is all(isclose), a 0-d bool", () => {
    const r = np.allclose(np.array([1, 1.1]), 1, 0.2);
    expect(r.shape).toEqual([]);
    expect(r.item()).toBe(true);
    expect(np.allclose(np.array([1, NaN]), np.array([1, NaN])).item()).toBe(false);
    expect(np.allclose(np.array([1, NaN]), np.array([1, NaN]), { equalNan: true }).item()).toBe(true);
  });
  it("jit and vmap agree with eager", () => {
    const a = np.array([1, 1.5, 2]);
    const b = np.array([1, 1, 2.00001]);
    same(jit((x: NdArray, y: NdArray) => np.isclose(x, y))(a, b), np.isclose(a, b));
    same(vmap((x: NdArray, y: NdArray) => np.allclose(x, y))(a, b), np.isclose(a, b));
  });
  it("bad input is typed", () => {
    expect(() => np.isclose(np.ones([2]), np.ones([3]))).toThrow(ShapeError);
    expect(() => np.isclose(1, 2, "x" as never)).toThrow(OptionError);
  });
});

describe("countNonzero, ndim, isscalar", () => {
  const M = np.array([
    [0, 1, 2],
    [NaN, 0, 0],
  ]);
  it("countNonzero counts non-zeros (NaN counts) as int32", () => {
    const all = np.countNonzero(M);
    expect(all.dtype).toBe("int32");
    expect(all.item()).toBe(3);
    exact(np.countNonzero(M, 0), [1, 1, 1]);
    exact(np.countNonzero(M, { axis: 1, keepdims: true }), [[2], [1]]);
    exact(np.countNonzero(np.array([true, false, true])), 2);
    exact(vmap((r: NdArray) => np.countNonzero(r))(M), [2, 1]);
    exact(jit((r: NdArray) => np.countNonzero(r, 1))(M), [2, 1]);
    expect(() => np.countNonzero(M, 2)).toThrow(AxisError);
  });
  it("ndim: a JS number, under jit too", () => {
    expect(np.ndim(3)).toBe(0);
    expect(np.ndim([[1, 2]])).toBe(2);
    expect(np.ndim(M)).toBe(2);
    let seen = -1;
    jit((x: NdArray) => {
      seen = np.ndim(x);
      return x;
    })(M);
    expect(seen).toBe(2);
    expect(() => np.ndim("a" as never)).toThrow(ArgumentTypeError);
  });
  it("isscalar: JS scalars and 0-d Arrays (NumPy's np.isscalar counts strings)", () => {
    expect([1, true, "a", 3n, np.array(1)].map((v) => np.isscalar(v))).toEqual([true, true, true, true, true]);
    expect([[1], np.array([1]), null, undefined, {}].map((v) => np.isscalar(v))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(() => (np.isscalar as (...a: unknown[]) => unknown)(1, { bogus: 1 })).toThrow(OptionError);
  });
});

describe("lax.fullLike", () => {
  it("x's shape and dtype, or the given ones; weak only when x is and no dtype is given", () => {
    const x = np.array([1.5, 2.5], "float32");
    const a = lax.fullLike(x, 7);
    expect([a.shape, a.dtype, a.weakType, vals(a)]).toEqual([[2], "float32", false, [7, 7]]);
    const b = lax.fullLike(x, 3.9, "int32", [2, 2]);
    expect([b.shape, b.dtype, vals(b)]).toEqual([[2, 2], "int32", [3, 3, 3, 3]]);
    const c = lax.fullLike(np.arange(3), 1, { shape: 4 });
    expect([c.shape, c.dtype]).toEqual([[4], "int32"]);
    const w = lax.fullLike(2.0, 5);
    expect([w.shape, w.weakType]).toEqual([[], true]);
    const d = lax.fullLike(x, np.array(2, "int32"), { dtype: "float32" });
    expect([d.dtype, vals(d)]).toEqual(["float32", [2, 2]]);
    const t = lax.fullLike(x, true, "bool");
    expect(vals(t)).toEqual([1, 1]);
  });
  it("float64 fill values are not rounded through float32", () => {
    config.update("enableX64", true);
    expect(lax.fullLike(f64([0]), 0.1).item()).toBe(0.1);
  });
  it("under jit and grad: a constant (zero gradient)", () => {
    const x = np.array([1, 2]);
    exact(jit((v: NdArray) => lax.fullLike(v, 4))(x), [4, 4]);
    exact(grad((v: NdArray) => np.sum(np.multiply(v, lax.fullLike(v, 3))))(x), [3, 3]);
  });
  it("bad input is typed", () => {
    expect(() => lax.fullLike(np.ones([2]), np.ones([2]))).toThrow(/scalar fill_value/);
    expect(() => lax.fullLike(np.ones([2]), 1, "float8" as never)).toThrow(OptionError);
    expect(() => lax.fullLike(np.ones([2]), 1, null, [-1] as never)).toThrow(OptionError);
  });
});
