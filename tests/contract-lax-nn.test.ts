/**
 * The contract of lax, nn, scipy.special and the control-flow API: JAX's signatures (positional or
 * a trailing object), validated static arguments (axes, shapes, indices, dtypes) with typed errors,
 * and JAX's values for the options that used to be ignored (gelu's approximate, logsumexp's b,
 * return_sign and where, softmax's where, standardize's mean/variance, map's batch_size).
 */
import { describe, expect, it } from "vitest";
import {
  Array as NdArray,
  ArgumentTypeError,
  AxisError,
  DTypeError,
  ShapeError,
  TransformError,
  grad,
  jit,
  lax,
  nn,
  numpy as np,
  scipy,
  vmap,
} from "../src/index.js";
import { OptionError } from "../src/core/options.js";

type ErrorClass = new (...args: never[]) => Error;

/** Runs `f`, expecting an error of class `cls` whose message contains every fragment. */
function expectError(f: () => unknown, cls: ErrorClass, ...fragments: string[]): void {
  let caught: unknown = null;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, "no error was thrown").toBeInstanceOf(cls);
  for (const frag of fragments) expect((caught as Error).message).toContain(frag);
}

const values = (a: unknown): number[] => Array.from((a as NdArray).dataSync());
const close = (a: unknown, ref: number[], tol = 1e-6) => {
  const got = values(a);
  expect(got.length).toBe(ref.length);
  got.forEach((g, i) => {
    if (Number.isNaN(ref[i])) expect(g).toBeNaN();
    else if (!Number.isFinite(ref[i])) expect(g).toBe(ref[i]);
    else expect(Math.abs(g - ref[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(ref[i])));
  });
};
const f64 = (v: unknown) => np.array(v as number[], "float64");
const x = np.array([
  [1, 2, 3],
  [4, 5, 6],
]);

describe("lax: static arguments are validated", () => {
  it("cumulative reductions: out-of-range axes are AxisErrors (they gave zeros)", () => {
    for (const name of ["cumsum", "cumprod", "cummax", "cummin"] as const) {
      expectError(() => lax[name](x, 2), AxisError, `[lax.${name}] axis 2 is out of bounds for an array of rank 2`);
      expectError(() => lax[name](x, -3), AxisError, "out of bounds");
      expectError(() => lax[name](np.array(1), 0), AxisError, "rank 0");
      expectError(() => lax[name](x, 1.5), OptionError, `option "axis" must be an integer axis`);
    }
    close(lax.cumsum(x, -1), [1, 3, 6, 4, 9, 15]);
    close(lax.cumsum(x, { axis: 1, reverse: true }), [6, 5, 3, 15, 11, 6]);
    close(lax.cummax(np.array([1, 3, 2]), 0, true), [3, 3, 2]);
    expect(lax.cumsum(np.zeros([0, 3]), 1).shape).toEqual([0, 3]);
  });

  it("the cumulative primitives check their axis too (reached without the wrapper, under vmap)", () => {
    close(vmap((r: NdArray) => lax.cumsum(r, -1))(x), [1, 3, 6, 4, 9, 15]);
  });

  it("sort: JAX's signature (operand, dimension, is_stable, num_keys); a single Array gives an Array", () => {
    const s = lax.sort(np.array([3, 1, 2]));
    expect(s).toBeInstanceOf(NdArray);
    close(s, [1, 2, 3]);
    const [k, v] = lax.sort([np.array([2, 1, 2, 0], "int32"), np.array([10, 20, 30, 40])], 0, true, 1);
    close(k, [0, 1, 2, 2]);
    close(v, [40, 20, 10, 30]);
    const [k2] = lax.sort([x, x], { dimension: 0, numKeys: 2 });
    close(k2, [1, 2, 3, 4, 5, 6]);
    expectError(() => lax.sort(x, 5), AxisError, "[lax.sort] axis 5 is out of bounds");
    expectError(() => lax.sort([x, x], { numKeys: 3 }), ArgumentTypeError, "num_keys must be at most");
    expectError(() => lax.sort([x, np.zeros([3])]), ShapeError, "same shape");
    expectError(() => lax.sort([1, 2] as never), AxisError, "cannot sort a scalar", "A JS array is a list of operands");
    expectError(() => lax.sort(x, 0, 1 as never), OptionError, `option "isStable" must be a boolean`);
  });

  it("rev: out-of-range or repeated dimensions are AxisErrors (they gave NaNs)", () => {
    expectError(() => lax.rev(x, [2]), AxisError, "[lax.rev] axis 2 is out of bounds");
    expectError(() => lax.rev(x, [0, 0]), AxisError, "repeated axis");
    expectError(() => lax.rev(x, [0.5]), AxisError, "[lax.rev]");
    close(lax.rev(x, [-1]), [3, 2, 1, 6, 5, 4]);
    close(jit((a: NdArray) => lax.rev(a, [0]))(x), [4, 5, 6, 1, 2, 3]);
  });

  it("iota: dtype and size are checked", () => {
    expectError(
      () => lax.iota("int32", 1.5),
      ShapeError,
      "[lax.iota] size must be a non-negative integer: got number 1.5",
    );
    expectError(() => lax.iota("int32", -1), ShapeError, "non-negative integer");
    expectError(() => lax.iota("int32", Infinity), ShapeError, "non-negative integer");
    expectError(() => lax.iota("int8" as never, 3), DTypeError, "[lax.iota] dtype is not a dtype");
    expect(lax.iota("int32", 0).shape).toEqual([0]);
    close(lax.iota("float32", 3), [0, 1, 2]);
  });

  it("slice: JAX's checks and messages", () => {
    const a = np.arange(5);
    expectError(() => lax.slice(a, [1.5], [4]), ArgumentTypeError, "start_indices must be an array of integers");
    expectError(
      () => lax.slice(a, [3], [2]),
      ShapeError,
      "limit_indices must be greater than or equal to start_indices",
    );
    expectError(() => lax.slice(a, [0], [6]), ShapeError, "limit_indices must be less than or equal to operand shape");
    expectError(() => lax.slice(a, [-1], [2]), ShapeError, "start_indices must be greater than or equal to zero");
    expectError(() => lax.slice(a, [0, 0], [1, 1]), ShapeError, "must have length equal to the number of dimensions");
    expectError(() => lax.slice(a, [0], [5], [0]), ShapeError, "strides must be positive");
    close(lax.slice(a, [0], [5], { strides: [2] }), [0, 2, 4]);
    close(lax.slice(np.array(7), [], []), [7]);
  });

  it("sliceInDim: null and negative indices as JAX", () => {
    close(lax.sliceInDim(x, 1, null, 1, 1), [2, 3, 5, 6]);
    close(lax.sliceInDim(x, -2, -1, { axis: 1 }), [2, 5]);
    close(lax.sliceInDim(x, null, null, { stride: 2, axis: 1 }), [1, 3, 4, 6]);
    expectError(() => lax.sliceInDim(x, 0, 4, 1, 1), ShapeError, "limit_indices must be less than or equal");
    expectError(() => lax.sliceInDim(x, 0, 1, 1, 2), AxisError, "out of bounds");
    expectError(() => lax.sliceInDim(x, 0.5, 1), ArgumentTypeError, "start_index must be an integer");
  });

  it("pad: negative low/high crop (as JAX); interior must be non-negative", () => {
    close(lax.pad(np.arange(5), 0, [[-1, 2, 1]]), [0, 1, 0, 2, 0, 3, 0, 4, 0, 0]);
    close(
      grad((r: NdArray) => np.sum(np.multiply(lax.pad(r, 0, [[-1, 1, 1]]), np.arange(5))))(np.array([1, 2, 3])),
      [0, 1, 3],
    );
    expectError(
      () => lax.pad(np.arange(5), 0, [[0, 0, -1]]),
      ShapeError,
      "interior padding in padding_config must be nonnegative",
    );
    expectError(
      () => lax.pad(np.arange(5), 0, [[-6, 0, 0]]),
      ShapeError,
      "Dimension size after padding is not at least 0",
    );
    expectError(() => lax.pad(np.arange(5), 0, [[0, 0]] as never), ArgumentTypeError, "[low, high, interior]");
    expectError(() => lax.pad(np.arange(5), 0, []), ShapeError, "length of padding_config must equal");
    expectError(
      () =>
        lax.pad(x, np.array(0, "int32"), [
          [0, 0, 0],
          [0, 0, 0],
        ]),
      DTypeError,
      "same dtype",
    );
    expectError(
      () =>
        lax.pad(x, np.array([0, 1]), [
          [0, 0, 0],
          [0, 0, 0],
        ]),
      ShapeError,
      "padding_value must be a scalar",
    );
  });

  it("concatenate: dimension, dtypes and shapes", () => {
    close(lax.concatenate([x, x], -1), [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6]);
    expectError(() => lax.concatenate([x, x], 2), AxisError, "out of bounds");
    expectError(() => lax.concatenate([x, x.astype("int32")], 0), DTypeError, "same dtype");
    expectError(() => lax.concatenate([x, np.zeros([2, 2])], 0), ShapeError, "same shape except along dimension 0");
    expectError(() => lax.concatenate([], 0), ArgumentTypeError, "at least one operand");
    expectError(() => lax.concatenate([np.array(1), np.array(2)], 0), ShapeError, "cannot concatenate scalars");
  });

  it("shapes: full, reshape (with dimensions), transpose, broadcastInDim, reduceSum", () => {
    const full = lax.full([2], 3);
    expect([full.dtype, full.weakType]).toEqual(["float32", true]);
    expect(lax.full([2], 3, "int32").dtype).toBe("int32");
    expectError(() => lax.full([1.5], 1), ShapeError, "non-negative integers");
    expectError(() => lax.full("2" as never, 1), ArgumentTypeError, "Shapes are JS arrays");
    expectError(() => lax.full([2], np.array([1, 2])), ShapeError, "scalar fill_value");
    close(lax.reshape(x, [3, 2], [1, 0]), [1, 4, 2, 5, 3, 6]);
    expectError(() => lax.reshape(x, [4, 2]), ShapeError, "total size must be unchanged");
    expectError(() => lax.reshape(x, [6], [0, 0]), AxisError, "permutation");
    expectError(() => lax.transpose(x, [0, 0]), AxisError, "isn't a permutation of operand dimensions");
    close(lax.broadcastInDim(np.array([1, 2, 3]), [2, 3], [1]), [1, 2, 3, 1, 2, 3]);
    expectError(() => lax.broadcastInDim(np.array([1, 2, 3]), [2, 3], [-1]), AxisError, "broadcast_dimensions");
    expectError(() => lax.broadcastInDim(np.array([1, 2, 3]), [2, 3], [0]), ShapeError, "must either be 1");
    expectError(() => lax.broadcastInDim(x, [2, 3], [1, 0]), AxisError, "strictly increasing");
    close(lax.reduceSum(x, [0]), [5, 7, 9]);
    expectError(() => lax.reduceSum(x, [3]), AxisError, "out of bounds");
  });

  it("dotGeneral: dimension numbers checked; precision and preferred_element_type accepted", () => {
    const d = lax.dotGeneral(x, x, [
      [[1], [1]],
      [[], []],
    ]);
    close(d, [14, 32, 32, 77]);
    const p = lax.dotGeneral(
      np.array([1, 2], "int32"),
      np.array([3, 4], "int32"),
      [
        [[0], [0]],
        [[], []],
      ],
      {
        preferredElementType: "float64",
        precision: "HIGHEST",
      },
    );
    expect(p.dtype).toBe("float64");
    close(p, [11]);
    expectError(
      () =>
        lax.dotGeneral(x, x, [
          [[2], [1]],
          [[], []],
        ]),
      AxisError,
      "out of bounds",
    );
    expectError(() => lax.dotGeneral(x, x, [[1], [1]] as never), ArgumentTypeError, "dimension_numbers must be");
    expectError(
      () =>
        lax.dotGeneral(x, x, [
          [[0, 1], [1]],
          [[], []],
        ]),
      ShapeError,
      "equal numbers",
    );
    expectError(
      () =>
        lax.dotGeneral(
          x,
          x,
          [
            [[1], [1]],
            [[], []],
          ],
          "FAST" as never,
        ),
      OptionError,
      `option "precision"`,
    );
  });

  it("round: rounding_method as a number or a name", () => {
    const v = np.array([0.5, 1.5, 2.5, -0.5]);
    close(lax.round(v), [1, 2, 3, -1]);
    close(lax.round(v, 1), [0, 2, 2, -0]);
    close(lax.round(v, "TO_NEAREST_EVEN"), [0, 2, 2, -0]);
    close(lax.round(v, { roundingMethod: lax.RoundingMethod.AWAY_FROM_ZERO }), [1, 2, 3, -1]);
    expectError(() => lax.round(v, 2 as never), OptionError, `option "roundingMethod" must be one of 0, 1`);
  });

  it("elementwise: JS numbers take the array's dtype; mismatches are typed errors", () => {
    close(lax.add(x, 1), [2, 3, 4, 5, 6, 7]);
    expect(lax.add(np.array([1], "int32"), 1).dtype).toBe("int32");
    expect(lax.add(1, 2).item()).toBe(3);
    expectError(
      () => lax.add(np.array([1], "int32"), 1.5),
      DTypeError,
      "[lax.add] requires arguments to have the same dtypes",
    );
    expectError(() => lax.add(x, np.array([1, 2, 3], "float64")), DTypeError, "same dtype");
    expectError(() => lax.add(x, "a" as never), ArgumentTypeError, "[lax.add] cannot make an array from string");
    expectError(() => lax.sin(np.array([1], "int32")), DTypeError, "[sin] unsupported dtype");
    expectError(() => (lax.sin as (...a: unknown[]) => unknown)(x, 2), OptionError, "[lax.sin] too many arguments");
    expectError(() => lax.convertElementType(x, "float63" as never), DTypeError, "new_dtype is not a dtype");
    expectError(() => lax.polygamma(1.5, x), ArgumentTypeError, "non-negative integer");
  });

  it("integerPow: a static integer exponent", () => {
    close(lax.integerPow(np.array([2, 3]), 3), [8, 27]);
    const one = lax.integerPow(np.array([2, 3]), 0);
    expect([one.weakType, values(one)]).toEqual([false, [1, 1]]);
    close(lax.integerPow(np.array([2, 4]), -2), [0.25, 0.0625]);
    expectError(
      () => lax.integerPow(np.array([2], "int32"), -1),
      DTypeError,
      "Integers cannot be raised to negative powers",
    );
    expectError(() => lax.integerPow(x, 1.5), ArgumentTypeError, "must be an integer");
  });

  it("select / selectN: JAX's variadic select_n, and the list form", () => {
    close(lax.select(np.array([true, false]), np.array([1, 2]), 0), [1, 0]);
    close(lax.selectN(np.array([true, false]), np.array([1, 2]), np.array([3, 4])), [3, 2]);
    close(lax.selectN(np.array([1, 2], "int32"), [np.array([1, 2]), np.array([3, 4]), np.array([5, 6])]), [3, 6]);
    close(lax.selectN(np.array([-1, 0, 5], "int32"), np.array([1, 2, 3]), np.array([4, 5, 6])), [1, 2, 6]);
    close(lax.selectN(2, np.array([1, 2, 3])), [1, 2, 3]);
    expectError(() => lax.select(1 as never, x, x), DTypeError, "the predicate must be boolean");
    expectError(() => lax.selectN(np.array(true)), ArgumentTypeError, "no cases");
    expectError(() => lax.selectN(np.array(true), 1, 2, 3), ArgumentTypeError, "at most 2 cases");
  });
});

describe("nn: options that were ignored now work", () => {
  it("gelu(x, approximate=false) is the exact erf form", () => {
    const pts = [-3, -1, -0.5, 0, 0.5, 1, 3];
    // Φ(x) from erfc, written independently.
    const exact = (t: number) => t * 0.5 * (1 + erfRef(t / Math.SQRT2));
    close(nn.gelu(f64(pts), { approximate: false }), pts.map(exact), 1e-12);
    close(nn.gelu(f64(pts), false), pts.map(exact), 1e-12);
    const approx = values(nn.gelu(f64([1])))[0];
    expect(Math.abs(approx - exact(1))).toBeGreaterThan(1e-5);
    expectError(() => nn.gelu(x, "no" as never), OptionError, `[nn.gelu] option "approximate" must be a boolean`);
  });

  it("logsumexp: b, return_sign, where (JAX's values)", () => {
    const a = [1, 2, 3];
    const lse = (v: number[], w: number[]) => Math.log(v.reduce((s, q, i) => s + w[i] * Math.exp(q), 0));
    close(nn.logsumexp(f64(a), { b: f64([1, -1, 1]) }), [lse(a, [1, -1, 1])], 1e-12);
    close(nn.logsumexp(f64(a), null, f64([1, 1, -1])), [NaN]);
    const [val, sign] = nn.logsumexp(f64(a), { b: f64([1, 1, -1]), returnSign: true });
    close(val, [Math.log(Math.exp(3) - Math.exp(1) - Math.exp(2))], 1e-12);
    close(sign, [-1]);
    close(nn.logsumexp(f64(a), { where: np.array([true, false, true]) }), [lse([1, 3], [1, 1])], 1e-12);
    close(nn.logsumexp(f64([-Infinity, -Infinity])), [-Infinity]);
    close(nn.logsumexp(np.zeros([0])), [-Infinity]);
    close(
      grad((r: NdArray) => nn.logsumexp(r, { b: f64([1, 2, 3]) }))(f64(a)),
      a.map((q, i) => ((i + 1) * Math.exp(q)) / [1, 2, 3].reduce((s, w, j) => s + w * Math.exp(a[j]), 0)),
      1e-12,
    );
    close(scipy.special.logsumexp(f64(a), { b: f64([1, -1, 1]) }), [lse(a, [1, -1, 1])], 1e-12);
    expectError(
      () => scipy.special.logsumexp(f64(a), { bogus: 1 } as never),
      OptionError,
      "[scipy.special.logsumexp] unknown option",
    );
    expectError(() => nn.logsumexp(f64(a), { b: f64([1, 2]) }), ShapeError, "[nn.logsumexp]");
  });

  it("softmax / logSoftmax with where", () => {
    const m = np.array([true, false, true]);
    const e = [Math.exp(1), Math.exp(3)];
    close(nn.softmax(f64([1, 2, 3]), { where: m }), [e[0] / (e[0] + e[1]), 0, e[1] / (e[0] + e[1])], 1e-12);
    close(
      nn.logSoftmax(f64([1, 2, 3]), -1, m),
      [1 - Math.log(e[0] + e[1]), -Infinity, 3 - Math.log(e[0] + e[1])],
      1e-12,
    );
    expectError(() => nn.softmax(np.array([1, 2]), { where: m }), ShapeError, "[nn.softmax]");
    expectError(() => nn.softmax(np.array(1)), AxisError, "[nn.softmax] axis -1 is out of bounds");
  });

  it("standardize: JAX's order (axis, mean, variance, epsilon, where)", () => {
    close(nn.standardize(f64([1, 2, 3]), { mean: 2, variance: 1, epsilon: 0 }), [-1, 0, 1], 1e-12);
    close(nn.standardize(f64([1, 2, 3]), -1, null, null, 0), [-Math.sqrt(1.5), 0, Math.sqrt(1.5)], 1e-12);
    close(nn.standardize(f64([1, 100, 3]), { where: np.array([true, false, true]), epsilon: 0 }), [-1, 98, 1], 1e-12);
  });

  it("oneHot: num_classes checked, dtype and axis keyword-only", () => {
    expect(nn.oneHot(np.array([0, 2]), 3, { axis: 0, dtype: "int32" }).tolist()).toEqual([
      [1, 0],
      [0, 0],
      [0, 1],
    ]);
    expectError(() => nn.oneHot(np.array([0]), 1.5), ArgumentTypeError, "num_classes must be a non-negative integer");
    expectError(() => nn.oneHot(np.array([0]), 2, { axis: 3 }), AxisError, "out of bounds");
    expectError(
      () => (nn.oneHot as (...a: unknown[]) => unknown)(np.array([0]), 2, "int32"),
      OptionError,
      "too many arguments",
    );
  });

  it("elu / celu / leakyRelu options in both forms; celu as JAX for large inputs", () => {
    close(nn.elu(f64([-1]), { alpha: 2 }), [2 * Math.expm1(-1)], 1e-12);
    close(nn.celu(f64([-1, 1000]), 2), [2 * Math.expm1(-0.5), 1000], 1e-12);
    close(grad((r: NdArray) => nn.celu(r))(f64([1000]).reshape([])), [1]);
    close(nn.leakyRelu(f64([-1]), { negativeSlope: 0.2 }), [-0.2], 1e-12);
    expectError(() => nn.relu("1" as never), ArgumentTypeError, "[nn.relu] cannot make an array");
    expectError(() => (nn.relu as (...a: unknown[]) => unknown)(x, 1), OptionError, "[nn.relu] too many arguments");
  });

  it("scipy.special: polygamma's order checked", () => {
    expectError(() => scipy.special.polygamma(-1, x), ArgumentTypeError, "n must be a non-negative integer");
    close(scipy.special.xlogy(0, 0), [0]);
  });
});

describe("control flow: JAX's signatures, checked", () => {
  const body = (c: NdArray, e: NdArray) => [np.add(c, e), c] as const;
  it("scan(f, init, xs, length, reverse, unroll), positional or as an object", () => {
    const xs = np.array([1, 2, 3]);
    const zero = np.array(0);
    const [c1, y1] = lax.scan(body, zero, xs, 3, true, 1);
    const [c2, y2] = lax.scan(body, zero, { xs, reverse: true, unroll: 1 });
    expect([values(c1), values(y1)]).toEqual([values(c2), values(y2)]);
    close(y1, [5, 3, 0]);
    const [c3] = lax.scan((c: NdArray, e: { a: NdArray }) => [np.add(c, e.a), null] as const, zero, { a: xs });
    close(c3, [6]);
    const [c4] = lax.scan((c: NdArray) => [np.add(c, 1), null] as const, zero, null, 4);
    close(c4, [4]);
    expectError(() => lax.scan(body, zero, { lenght: 3 } as never), OptionError, `unknown option "lenght"`);
    expectError(() => lax.scan(body, zero, xs, -1), OptionError, `option "length" must be a non-negative integer`);
    expectError(() => lax.scan(body, zero, xs, 4), ShapeError, "different leading axis sizes");
  });

  it("foriLoop: integer bounds; unroll keyword-only", () => {
    const inc = (i: NdArray, v: NdArray) => np.add(v, i);
    const zero = np.array(0);
    close(lax.foriLoop(0, 4, inc, zero, { unroll: 2 }), [6]);
    expectError(() => lax.foriLoop(0, Infinity, inc, zero), DTypeError, "the upper bound must be an integer");
    expectError(() => lax.foriLoop(0.5, 3, inc, zero), DTypeError, "the lower bound must be an integer");
    expectError(() => lax.foriLoop(np.array(0.5), 3, inc, zero), DTypeError, "integer dtype");
    expectError(() => lax.foriLoop(0, 3, inc, zero, { unroll: "x" } as never), OptionError, `option "unroll"`);
  });

  it("map with batchSize: chunks of vmap, with a remainder; pytrees in and out", () => {
    const m = np.arange(14).reshape([7, 2]);
    const ref = values(lax.map((r: NdArray) => np.sum(r), m));
    for (const batchSize of [1, 2, 3, 7, 10])
      expect(values(lax.map((r: NdArray) => np.sum(r), m, { batchSize }))).toEqual(ref);
    const out = lax.map(
      (t: { a: NdArray; b: NdArray }) => ({ s: np.sum(t.a), b: t.b }),
      { a: m, b: np.arange(7) },
      { batchSize: 3 },
    );
    expect(values(out.s)).toEqual(ref);
    expect(values(out.b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(lax.map((r: NdArray) => np.sum(r), np.zeros([0, 2]), { batchSize: 2 }).shape).toEqual([0]);
    expectError(
      () => lax.map((r: NdArray) => r, m, { batchSize: 0 }),
      OptionError,
      `option "batchSize" must be a positive integer`,
    );
    expectError(() => lax.map((r: NdArray) => r, np.array(1), { batchSize: 2 }), ShapeError, "leading axis");
  });

  it("cond / switch / whileLoop: argument mistakes are typed", () => {
    expectError(() => lax.switch(0, np.sin as never, 1), TransformError, "branches must be a JS array of functions");
    expectError(() => lax.cond("x" as never, np.sin, np.cos, 1), ArgumentTypeError, "[cond] cannot make an array");
    expectError(
      () =>
        (lax.whileLoop as (...a: unknown[]) => unknown)(
          () => false,
          (c: unknown) => c,
          1,
          2,
        ),
      OptionError,
      "[lax.whileLoop] too many arguments",
    );
  });
});

/** erf by its Maclaurin series / continued fraction (independent of src/). */
function erfRef(z: number): number {
  if (Math.abs(z) > 3) {
    // erfc asymptotic continued fraction (Lentz), for |z| > 3.
    const t = Math.abs(z);
    let f = t;
    for (let k = 60; k >= 1; k--) f = t + k / 2 / f;
    const erfc = Math.exp(-t * t) / Math.sqrt(Math.PI) / f;
    return Math.sign(z) * (1 - erfc);
  }
  let sum = 0;
  let term = z;
  for (let n = 0; n < 200; n++) {
    sum += term / (2 * n + 1);
    term *= (-z * z) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
