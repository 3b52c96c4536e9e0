/**
 * The contract of numpy's elementwise math, products, indexing and `.at[]`
 * updates (issue 9): options in both forms, JAX's derivative conventions at
 * edges, out-of-range indices as JAX treats them, and a fuzz over bad inputs
 * that must give typed errors (never an untyped crash or a silent wrong value).
 */
import { describe, expect, it } from "vitest";
import {
  ArgumentTypeError,
  AxisError,
  ConcretizationError,
  CotangentError,
  DTypeError,
  grad,
  IndexError,
  jit,
  numpy as np,
  ShapeError,
  TransformError,
  vmap,
  type Array as NdArray,
} from "../src/index.js";
import { OptionError } from "../src/core/options.js";

import { close, vals } from "./helpers/values.js";
type AnyFn = (...a: unknown[]) => unknown;
const N = np as unknown as Record<string, AnyFn> & { linalg: Record<string, AnyFn> };

describe("elementwise: options and stray arguments", () => {
  const x = np.array([1.234, -5.678, 15, 25, 2.5]);

  it("round/around: decimals positionally or { decimals }, negative decimals, integers", () => {
    close(np.round(x, { decimals: 1 }), [1.2, -5.7, 15, 25, 2.5]);
    close(np.round(x, 1), [1.2, -5.7, 15, 25, 2.5]);
    close(np.around(x, { decimals: 2 }), [1.23, -5.68, 15, 25, 2.5]);
    // JAX: round(x * 0.1) / 0.1, half to even: 15 → 20, 25 → 20, 2.5 → 0.
    close(np.round(x, -1), [0, -10, 20, 20, 0]);
    // Integers round to tens NumPy's way (half to even); positive decimals leave them alone.
    const i = np.round(np.array([15, 25, 14, -15, -25, 16], "int32"), -1);
    expect([i.dtype, vals(i)]).toEqual(["int32", [20, 20, 10, -20, -20, 20]]);
    expect(vals(np.round(np.array([15], "int32"), 2))).toEqual([15]);
    // Beyond the dtype's precision rounding is a no-op (JAX).
    close(np.round(x, 40), vals(x));
    expect(() => np.round(x, 1.5)).toThrow(OptionError);
    expect(() => np.round(x, { decimals: NaN })).toThrow(`option "decimals" must be an integer`);
    expect(() => np.round(x, 0, 5 as never)).toThrow(OptionError);
    // rint: integers become floats, as in JAX.
    expect(np.rint(np.array([1, 2], "int32")).dtype).toBe("float32");
  });

  it("ufuncs refuse stray arguments", () => {
    expect(() => N.sin(x, 3)).toThrow(OptionError);
    expect(() => N.sin(x, 3)).toThrow("[sin] too many arguments");
    expect(() => N.add(x, 1, { where: true })).toThrow('[add] unknown option "where": add takes no options.');
    expect(() => N.logicalAnd(x, x, 0)).toThrow(OptionError);
    expect(() => N.isfinite(x, undefined)).not.toThrow();
  });

  it("clip(arr, min, max): either form, null bounds", () => {
    close(np.clip(x, { min: 0 }), [1.234, 0, 15, 25, 2.5]);
    close(np.clip(x, { max: 3 }), [1.234, -5.678, 3, 3, 2.5]);
    close(np.clip(x, null, 3), [1.234, -5.678, 3, 3, 2.5]);
    close(np.clip(x, -1, { max: 2 }), [1.234, -1, 2, 2, 2]);
    expect(() => np.clip(x, { lo: 0 } as never)).toThrow('unknown option "lo"');
  });

  it("nanToNum(x, copy, nan, posinf, neginf)", () => {
    const y = np.array([NaN, Infinity, -Infinity, 1]);
    close(np.nanToNum(y, true, 3, 4, -4), [3, 4, -4, 1]);
    close(np.nanToNum(y, { nan: 5 }), [5, 3.4028234663852886e38, -3.4028234663852886e38, 1]);
    expect(() => np.nanToNum(y, { nan: "0" } as never)).toThrow(OptionError);
  });

  it("where(condition) alone is nonzero; size and fillValue make it jittable", () => {
    const [r, c] = np.where(
      np.array([
        [0, 1],
        [1, 1],
      ]),
    );
    expect([vals(r), vals(c), r.dtype]).toEqual([[0, 1, 1], [1, 0, 1], "int32"]);
    expect(vals(np.where(np.array([0, 3, 0, 4]), { size: 3 })[0])).toEqual([1, 3, 0]);
    expect(vals(np.where(np.array([0, 3, 0, 4]), { size: 1 })[0])).toEqual([1]);
    const f = jit((m: NdArray) => np.where(m, { size: 3, fillValue: 9 })[0]);
    expect(vals(f(np.array([0, 3, 0, 0])))).toEqual([1, 9, 9]);
    expect(() => jit((m: NdArray) => np.where(m)[0])(np.array([0, 1]))).toThrow(ConcretizationError);
    expect(() => jit((m: NdArray) => np.where(m)[0])(np.array([0, 1]))).toThrow("the size argument of np.where");
    expect(() => N.where(np.array([true]), 1)).toThrow(ArgumentTypeError);
    expect(() => N.where(np.array([true]), 1)).toThrow("either both or neither of the x and y arguments");
    expect(() => np.where(np.array(1))).toThrow(ShapeError);
    // The three-argument form is unchanged, and takes { x, y } too.
    expect(vals(np.where(np.array([true, false]), 1, 2))).toEqual([1, 2]);
    expect(vals(np.where(np.array([true, false]), { x: 1, y: 2 }) as unknown as NdArray)).toEqual([1, 2]);
  });

  it("logaddexp: derivative ½ at ties (JAX's custom jvp), values at infinities", () => {
    close(grad((u: NdArray) => np.sum(np.logaddexp(u, np.array([0, 2]))))(np.array([0, 1])), [0.5, 1 / (1 + Math.E)]);
    close(np.logaddexp(np.array([Infinity, -Infinity, Infinity]), np.array([-Infinity, -Infinity, Infinity])), [
      Infinity,
      -Infinity,
      Infinity,
    ]);
    // Tiny results stay accurate (log1p, not log of a sum).
    close(np.logaddexp(0, -30), [Math.log1p(Math.exp(-30)) + 0], 1e-6);
  });

  it("dtype and shape errors name the public function", () => {
    expect(() => np.bitwiseAnd(np.array([1.5]), 1)).toThrow(DTypeError);
    expect(() => np.bitwiseAnd(np.array([1.5]), 1)).toThrow("[bitwiseAnd] bitwiseAnd does not accept dtype float32");
    expect(() => np.leftShift(np.array([1.5]), 1)).toThrow("[leftShift] leftShift does not accept dtype float32");
    expect(() => np.negative(np.array([true]))).toThrow("[negative] negative does not accept dtype bool");
    expect(() => np.sign(np.array([true]))).toThrow(DTypeError);
    expect(() => np.subtract(np.ones([2]), np.ones([3]))).toThrow(ShapeError);
    expect(() => np.subtract(np.ones([2]), np.ones([3]))).toThrow("[subtract]");
    expect(vals(np.abs(np.array([true, false])))).toEqual([1, 0]);
    const sq = np.square(np.array([true, false]));
    expect([sq.dtype, vals(sq)]).toEqual(["int32", [1, 0]]);
  });
});

describe("unary derivatives follow JAX's rules at edges", () => {
  const d = (f: (x: NdArray) => NdArray, v: number) => grad((x: NdArray) => f(x))(v).item() as number;
  it("abs: 1 at 0 (select(x >= 0, g, -g)); -1 below; NaN gives -1", () => {
    expect(d(np.abs, 0)).toBe(1);
    expect(d(np.abs, -2)).toBe(-1);
    expect(d(np.abs, 3)).toBe(1);
    expect(d(np.abs, NaN)).toBe(-1);
  });
  it("cbrt, sqrt, rsqrt, log at 0 are infinite (not NaN); atanh and arccosh at their poles", () => {
    expect(d(np.cbrt, 0)).toBe(Infinity);
    expect(d(np.cbrt, 8)).toBeCloseTo(1 / 12, 6);
    expect(d(np.sqrt, 0)).toBe(Infinity);
    expect(d(np.rsqrt, 0)).toBe(-Infinity);
    expect(d(np.log, 0)).toBe(Infinity);
    expect(d(np.arctanh, 1)).toBe(Infinity);
    expect(d(np.arctanh, -1)).toBe(Infinity);
    expect(d(np.arccosh, 1)).toBe(Infinity);
  });
  it("tanh uses (1 + y)(1 - y); sign, floor, round have zero derivative", () => {
    expect(d(np.tanh, 0)).toBe(1);
    expect(d(np.tanh, Infinity)).toBe(0);
    expect(d(np.tanh, 1)).toBeCloseTo(1 - Math.tanh(1) ** 2, 6);
    expect(d(np.sign, 0)).toBe(0);
    expect(d(np.floor, 1.5)).toBe(0);
    expect(d((x) => np.round(x), 2.5)).toBe(0);
  });
});

describe("products: options and validation", () => {
  const M = np.array([
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 10],
  ]);

  it("diagonal(a, offset, axis1, axis2) and trace(..., dtype, out)", () => {
    expect(vals(np.diagonal(M, { offset: 1 }))).toEqual([2, 6]);
    expect(vals(np.diagonal(M, -1))).toEqual([4, 8]);
    const A = np.reshape(np.arange(8), [2, 2, 2]);
    expect(np.diagonal(A, { axis1: 1, axis2: 2 }).tolist()).toEqual([
      [0, 3],
      [4, 7],
    ]);
    expect(() => np.diagonal(M, 0, 1, 1)).toThrow(AxisError);
    expect(() => np.diagonal(M, 0, 1, 1)).toThrow("axis1 and axis2 must not be equal");
    expect(() => np.diagonal(M, 0, 5)).toThrow(AxisError);
    expect(() => np.diagonal(np.ones([3]))).toThrow(ShapeError);
    expect(np.trace(M, 1).item()).toBe(8);
    expect(np.trace(M, { dtype: "int32" }).dtype).toBe("int32");
    const b = np.trace(
      np.array([
        [true, false],
        [false, true],
      ]),
    );
    expect([b.dtype, b.item()]).toEqual(["int32", 2]);
  });

  it("tensordot(a, b, axes): positional, { axes }, pairs; bad axes are typed", () => {
    const a = np.ones([2, 3]);
    const b = np.ones([3, 2]);
    expect(np.tensordot(a, b, { axes: 1 }).tolist()).toEqual([
      [3, 3],
      [3, 3],
    ]);
    expect(np.tensordot(a, b, { axes: [[1], [0]] }).shape).toEqual([2, 2]);
    expect(() => np.tensordot(a, b, 3)).toThrow("exceeds input ranks");
    expect(() => np.tensordot(a, b, -1)).toThrow(OptionError);
    expect(() => np.tensordot(a, b, [[0, 1], [0]])).toThrow("equal length");
    expect(() => np.tensordot(a, b, [[5], [0]])).toThrow(AxisError);
  });

  it("matmul/dot/inner/vdot: precision accepted, preferredElementType sets the dtype (JAX's checks)", () => {
    const i = np.array([[1, 2]], "int32");
    const j = np.array([[3], [4]], "int32");
    const r = np.matmul(i, j, { preferredElementType: "float32" });
    expect([r.dtype, vals(r)]).toEqual(["float32", [11]]);
    expect(np.dot(np.array([1, 2]), np.array([3, 4]), { preferredElementType: "float64" }).dtype).toBe("float64");
    expect(np.inner(np.array([1, 2]), np.array([3, 4]), { precision: "highest" }).item()).toBe(11);
    expect(np.vdot(np.array([1, 2]), np.array([3, 4]), { precision: ["high", "default"] }).item()).toBe(11);
    expect(() => np.matmul(i, j, { precision: "max" } as never)).toThrow(OptionError);
    expect(() => np.matmul(np.ones([1, 2]), np.ones([2, 1]), { preferredElementType: "int32" })).toThrow(
      "input type is incompatible with preferredElementType",
    );
    expect(() =>
      np.matmul(np.ones([1, 2], "float64"), np.ones([2, 1], "float64"), { preferredElementType: "float32" }),
    ).toThrow("must not be narrower");
    expect(() => np.matmul(i, j, { preferredElementType: "uint32" })).toThrow("same signedness");
    expect(() => N.matmul(i, j, 1)).toThrow("too many arguments");
    expect(() => np.vdot(np.ones([3]), np.ones([4]))).toThrow("[vdot] the arrays must have the same number");
    expect(() => np.inner(np.ones([3]), np.ones([4]))).toThrow(ShapeError);
    expect(np.outer(np.ones([3]), np.ones([2]), null).shape).toEqual([3, 2]);
  });

  it("einsum: trailing options object, ellipsis, repeated indices, and typed errors", () => {
    const r = np.einsum("ij,jk->ik", M, M, { preferredElementType: "float64", optimize: "greedy" });
    expect(r.dtype).toBe("float64");
    expect(np.einsum("ii", M).item()).toBe(16);
    expect(vals(np.einsum("ii->i", M))).toEqual([1, 5, 10]);
    expect(vals(grad((m: NdArray) => np.einsum("ii", m))(np.ones([2, 2])))).toEqual([1, 0, 0, 1]);
    expect(np.einsum("...ij,...jk->...ik", np.ones([2, 2, 3]), np.ones([3, 4])).shape).toEqual([2, 2, 4]);
    expect(vals(np.einsum("...i,...i->...", np.ones([2, 3]), np.ones([1, 3])))).toEqual([3, 3]);
    expect(np.einsum("...ij", np.ones([2, 2, 3])).shape).toEqual([2, 2, 3]);
    expect(() => np.einsum("ij,jk->ik", M, M, { optimise: true } as never)).toThrow('unknown option "optimise"');
    expect(() => np.einsum("i1,jk->ik", M, M)).toThrow('invalid character "1"');
    expect(() => np.einsum("ij->k", M)).toThrow('output subscript "k" does not appear');
    expect(() => np.einsum("ij->ii", M)).toThrow("appears more than once");
    expect(() => np.einsum("ij->j->i", M)).toThrow('more than one "->"');
    expect(() => np.einsum("ij", "a" as never)).toThrow(ArgumentTypeError);
    expect(() => np.einsum(3 as never, M)).toThrow("subscripts must be a string");
    expect(() => np.einsum("ij")).toThrow(ShapeError);
    expect(() => np.einsum("ij,jk", M, np.ones([2, 2]))).toThrow('index "j" has sizes 3 and 2');
    expect(() => np.einsum("i", M)).toThrow(ShapeError);
    expect(() => np.einsum("...i->i", np.ones([2, 3]))).toThrow('expected "..." in the output');
  });

  it("linalg.norm: ord validated; vector p-norms; matrix 1, -1, ±inf, fro, 2, -2, nuc", () => {
    expect(np.linalg.norm(M, 1).item()).toBe(19);
    expect(np.linalg.norm(M, -1).item()).toBe(12);
    expect(np.linalg.norm(M, Infinity).item()).toBe(25);
    expect(np.linalg.norm(M, -Infinity).item()).toBe(6);
    expect(np.linalg.norm(M, { ord: 1, axis: [1, 0] }).item()).toBe(25);
    expect(np.linalg.norm(np.ones([2, 2, 2]), 1, [0, 2], true).shape).toEqual([1, 2, 1]);
    expect(np.linalg.norm(np.ones([0, 3]), 1).item()).toBe(0);
    close(np.linalg.norm(np.array([3, -4]), { ord: 0.5 }), [(Math.sqrt(3) + 2) ** 2], 1e-6);
    expect(np.linalg.norm(np.array([3, -4, 0]), 0).item()).toBe(2);
    // The singular-value norms, against NumPy in float64 (float32 results: 1e-6 relative).
    close(np.linalg.norm(M, 2), [17.412505166808597], 1e-6 * 17.4);
    close(np.linalg.norm(M, -2), [0.19686652111742997], 1e-6);
    close(np.linalg.norm(M, "nuc"), [18.48453303803646], 1e-6 * 18.5);
    expect(() => np.linalg.norm(np.array([1, 2]), "fro")).toThrow("invalid order 'fro' for vector norm");
    expect(() => np.linalg.norm(np.array([1, 2]), "foo" as never)).toThrow(OptionError);
    expect(() => np.linalg.norm(np.array([1, 2]), NaN)).toThrow(OptionError);
    expect(() => np.linalg.norm(np.ones([2, 2, 2]), 1)).toThrow("improper number of axes");
    expect(() => np.linalg.norm(np.ones([0]), Infinity)).toThrow("zero-size array");
    expect(() => np.linalg.norm(M, null, 1.5 as never)).toThrow(OptionError);
    expect(() => np.linalg.norm(M, null, [0, 0])).toThrow(AxisError);
  });
});

describe("indexing and .at[] updates: out-of-range indices as JAX", () => {
  const x = np.array([1, 2, 3]);

  it("updates drop out-of-range indices (integer arrays and scalars); negative indices wrap first", () => {
    expect(vals(x.at([0, 5]).set(9))).toEqual([9, 2, 3]);
    expect(vals(x.at([-1, -4]).set(9))).toEqual([1, 2, 9]);
    expect(vals(x.at(5).set(9))).toEqual([1, 2, 3]);
    expect(vals(x.at([0, 5]).add(1))).toEqual([2, 2, 3]);
    expect(vals(x.at([3, 4]).mul(0))).toEqual([1, 2, 3]);
    expect(vals(np.reshape(np.arange(6), [2, 3]).at(np.slice(), [0, 3]).set(-1))).toEqual([-1, 1, 2, -1, 4, 5]);
    // Under jit and vmap too.
    expect(vals(jit((u: NdArray, i: NdArray) => u.at(i).set(9))(x, np.array([0, 5], "int32")))).toEqual([9, 2, 3]);
    expect(vals(vmap((u: NdArray, i: NdArray) => u.at(i).set(9))(np.ones([2, 3]), np.array([1, 5], "int32")))).toEqual([
      1, 9, 1, 1, 1, 1,
    ]);
  });

  it("update options: mode clip clamps, wrapNegativeIndices false drops negatives, hints accepted", () => {
    expect(vals(x.at(5).set(9, { mode: "clip" }))).toEqual([1, 2, 9]);
    expect(vals(x.at([0, 7]).add(9, { mode: "clip" }))).toEqual([10, 2, 12]);
    expect(vals(x.at(-1).set(9, { wrapNegativeIndices: false }))).toEqual([1, 2, 3]);
    expect(vals(x.at([0, 1]).set(0, { indicesAreSorted: true, uniqueIndices: true, mode: "drop" }))).toEqual([0, 0, 3]);
    expect(() => x.at(0).set(1, { mode: "wrap" } as never)).toThrow('option "mode" must be one of');
    expect(() => (x.at(0).set as AnyFn)(1, 2)).toThrow("[at.set] too many arguments");
    expect(() => x.at(0).set(np.ones(3))).toThrow(ShapeError);
    expect(vals(np.array([2, 3, 4]).at([0, 0, 2]).power(2))).toEqual([16, 3, 16]);
  });

  it("gradients of dropped updates: the cotangent passes to the operand, 0 to the update", () => {
    const w = np.array([1, 2, 3]);
    const ones = np.array([1, 1, 1]);
    expect(vals(grad((u: NdArray) => np.sum(np.multiply(w, u.at([0, 5]).set(0))))(ones))).toEqual([0, 2, 3]);
    expect(vals(grad((v: NdArray) => np.sum(np.multiply(w, np.zeros(3).at([0, 5]).set(v))))(np.array([1, 1])))).toEqual(
      [1, 0],
    );
    expect(vals(grad((v: NdArray) => np.sum(np.multiply(w, np.zeros(3).at([0, 5]).add(v))))(np.array([1, 1])))).toEqual(
      [1, 0],
    );
    expect(vals(grad((u: NdArray) => np.sum(np.multiply(w, u.at([0, 5]).add(7))))(ones))).toEqual([1, 2, 3]);
  });

  it("mul's gradient wrt the updates needs uniqueIndices with integer-array indices (JAX's rule)", () => {
    const f = (v: NdArray) => np.sum(np.array([1, 2, 3]).at([0, 1]).mul(v));
    expect(() => grad(f)(np.array([2, 2]))).toThrow(TransformError);
    expect(() => grad(f)(np.array([2, 2]))).toThrow("only implemented if uniqueIndices is true");
    const g = (v: NdArray) => np.sum(np.array([1, 2, 3]).at([0, 1]).mul(v, { uniqueIndices: true }));
    expect(vals(grad(g)(np.array([2, 2])))).toEqual([1, 2]);
    // Without integer arrays each position is written once: no promise needed.
    expect(grad((v: NdArray) => np.sum(np.array([1, 2, 3]).at(1).mul(v)))(2).item()).toBe(2);
    // The gradient wrt the operand is fine with repeats: x·3·3.
    expect(vals(grad((u: NdArray) => np.sum(u.at([0, 0]).mul(3)))(np.array([1, 1, 1])))).toEqual([9, 1, 1]);
  });

  it("x.get: integer arrays clamp (JAX's gather default); a static integer out of range is an IndexError", () => {
    expect(vals(x.get([0, 5]))).toEqual([1, 3]);
    expect(vals(x.get([-1, -7]))).toEqual([3, 1]);
    expect(() => x.get(5)).toThrow(IndexError);
    expect(() => x.get(5)).toThrow("index 5 is out of bounds for axis 0 with size 3");
    expect(() => np.zeros([0]).get([0])).toThrow("index is out of bounds for axis 0 with size 0");
    expect(() => x.get(1.5)).toThrow("indices must be integers");
    expect(() => x.get("a" as never)).toThrow(IndexError);
    expect(() => x.get(true as never)).toThrow(IndexError);
    expect(() => x.get(np.slice(0.5, 2))).toThrow(OptionError);
    expect(vals(x.get(np.slice({ step: -1 })))).toEqual([3, 2, 1]);
  });

  it("x.at(idx).get({ mode, fillValue }): clip (the default, as JAX's x.at[20].get()), fill", () => {
    expect(x.at(5).get().item()).toBe(3);
    expect(x.at(5).get({ mode: "clip" }).item()).toBe(3);
    expect(Number.isNaN(x.at(5).get({ mode: "fill" }).item())).toBe(true);
    expect(vals(x.at([1, 5, -1, -4]).get({ mode: "fill", fillValue: -1 }))).toEqual([2, -1, 3, -1]);
    expect(vals(np.arange(3).at([1, 5]).get({ mode: "fill" }))).toEqual([1, -2147483648]);
    expect(vals(np.array([true]).at([3]).get({ mode: "fill" }))).toEqual([1]);
    expect(vals(x.at(-1).get({ mode: "fill", wrapNegativeIndices: false }))).toEqual([NaN]);
    // The filled positions get no gradient.
    expect(vals(grad((u: NdArray) => np.sum(u.at([0, 9]).get({ mode: "fill", fillValue: 0 })))(x))).toEqual([1, 0, 0]);
    expect(() => x.at(0).get({ fillValue: "a" } as never)).toThrow(OptionError);
  });
});

describe("fuzz: bad and edge inputs give typed errors or correct values", () => {
  const inputs: [string, () => unknown][] = [
    ["NaN", () => NaN],
    ["Infinity", () => Infinity],
    ["-0", () => -0],
    ["[]", () => []],
    ["zeros([0])", () => np.zeros([0])],
    ["zeros([2, 0])", () => np.zeros([2, 0])],
    ["rank-0", () => 3],
    ["true", () => true],
    ["column", () => [[1], [2]]],
    ["string", () => "a"],
    ["object", () => ({})],
    ["undefined", () => undefined],
    ["null", () => null],
    ["symbol", () => Symbol("s")],
    ["bigint", () => 1n],
    ["int32", () => np.array([1, -2], "int32")],
    ["uint32", () => np.array([1, 2], "uint32")],
    ["bool", () => np.array([true, false])],
    ["ragged", () => [[1, 2], [3]]],
    ["function", () => Math.sin],
  ];
  const unary = [
    "negative",
    "positive",
    "abs",
    "sign",
    "square",
    "reciprocal",
    "sin",
    "arccos",
    "tanh",
    "arctanh",
    "exp",
    "log",
    "sqrt",
    "cbrt",
    "floor",
    "rint",
    "logicalNot",
    "bitwiseNot",
    "isfinite",
    "isnan",
    "isinf",
    "isposinf",
    "signbit",
    "round",
    "around",
    "nanToNum",
    "clip",
    "diagonal",
    "trace",
    "where",
  ];
  const binary = [
    "add",
    "divide",
    "floorDivide",
    "remainder",
    "power",
    "maximum",
    "arctan2",
    "logaddexp",
    "hypot",
    "equal",
    "logicalAnd",
    "bitwiseAnd",
    "leftShift",
    "rightShift",
    "copysign",
    "matmul",
    "dot",
    "inner",
    "vdot",
    "outer",
    "tensordot",
  ];

  /** Runs f; an error must be one of ours (typed), and a result must be readable. */
  function typedOrOk(label: string, f: () => unknown): void {
    try {
      const r = f();
      if (r instanceof np.asarray(0).constructor) (r as NdArray).dataSync();
      else if (Array.isArray(r)) r.forEach((a: NdArray) => a.dataSync());
    } catch (e) {
      expect(e, `${label}: ${(e as Error).message}`).toBeInstanceOf(CotangentError);
      expect((e as Error).message, label).toMatch(/^\[/);
      expect((e as Error).message, label).not.toMatch(/undefined undefined/);
    }
  }

  it("unary functions and their options", () => {
    for (const n of unary) for (const [l, i] of inputs) typedOrOk(`${n}(${l})`, () => N[n](i()));
    for (const [l, i] of inputs) {
      typedOrOk(`round(x, ${l})`, () => N.round(np.ones([2]), i()));
      typedOrOk(`clip(x, ${l})`, () => N.clip(np.ones([2]), i()));
      typedOrOk(`where(c, ${l}, 1)`, () => N.where(np.array([true, false]), i(), 1));
      typedOrOk(`diagonal(m, ${l})`, () => N.diagonal(np.ones([2, 2]), i()));
      typedOrOk(`norm(${l})`, () => N.linalg.norm(i()));
      typedOrOk(`norm(m, ${l})`, () => N.linalg.norm(np.ones([2, 2]), i()));
      typedOrOk(`norm(m, null, ${l})`, () => N.linalg.norm(np.ones([2, 2]), null, i()));
    }
  });

  it("binary functions, both sides", () => {
    for (const n of binary) {
      for (const [l, i] of inputs) {
        typedOrOk(`${n}(${l}, x)`, () => N[n](i(), np.ones([2])));
        typedOrOk(`${n}(x, ${l})`, () => N[n](np.ones([2]), i()));
      }
    }
  });

  it("einsum subscripts, tensordot axes, norm axes", () => {
    const bad = [
      "",
      "->",
      "i->",
      "ij",
      "i,i,i",
      "...",
      "i...j...",
      "i->ii",
      "i->...",
      "......",
      ",",
      "i,",
      "->i",
      "i-j",
    ];
    for (const s of bad) typedOrOk(`einsum "${s}"`, () => N.einsum(s, np.ones([2])));
    for (const [l, i] of inputs) {
      typedOrOk(`einsum(${l})`, () => N.einsum(i(), np.ones([2])));
      typedOrOk(`einsum("i", ${l})`, () => N.einsum("i", i()));
      typedOrOk(`tensordot axes ${l}`, () => N.tensordot(np.ones([2, 2]), np.ones([2, 2]), i()));
    }
    for (const ax of [1.5, 5, -5, [0, 0], [0, 1, 2], [], NaN, "0", [0.5]]) {
      typedOrOk(`norm axis ${String(ax)}`, () => N.linalg.norm(np.ones([2, 2]), null, ax));
      typedOrOk(`diagonal axis ${String(ax)}`, () => N.diagonal(np.ones([2, 2]), 0, ax));
      typedOrOk(`tensordot [${String(ax)}, 0]`, () => N.tensordot(np.ones([2, 2]), np.ones([2, 2]), [ax, 0]));
    }
    expect(np.einsum("i", np.zeros([0])).shape).toEqual([0]);
    expect(np.matmul(np.zeros([0, 3]), np.zeros([3, 2])).shape).toEqual([0, 2]);
    expect(np.linalg.norm(np.zeros([0])).item()).toBe(0);
  });

  it("indices and update values", () => {
    for (const [l, i] of inputs) {
      typedOrOk(`get(${l})`, () => np.ones([3]).get(i() as never));
      typedOrOk(`at(${l}).set(1)`, () =>
        np
          .ones([3])
          .at(i() as never)
          .set(1),
      );
      typedOrOk(`at(0).set(${l})`, () =>
        np
          .ones([3])
          .at(0)
          .set(i() as never),
      );
      typedOrOk(`slice(${l})`, () => np.ones([3]).get(N.slice(i()) as never));
      typedOrOk(`at(0).get(${l})`, () => (np.ones([3]).at(0).get as AnyFn)(i()));
    }
    for (const sh of [[0], [0, 0], [], [2, 0, 3]]) {
      const z = np.zeros(sh);
      typedOrOk(`get(0) of ${sh}`, () => z.get(0));
      typedOrOk(`at(0).set of ${sh}`, () => z.at(0).set(1));
      typedOrOk(`at([0]).add of ${sh}`, () => z.at([0]).add(1));
      typedOrOk(`at([0]).get fill of ${sh}`, () => z.at([0]).get({ mode: "fill" }));
      typedOrOk(`where(z) of ${sh}`, () => np.where(z));
      typedOrOk(`where(z, size) of ${sh}`, () => np.where(z, { size: 2 }));
    }
    // An empty update is a no-op, not an error.
    expect(np.zeros([0]).at([0]).set(1).shape).toEqual([0]);
  });
});
