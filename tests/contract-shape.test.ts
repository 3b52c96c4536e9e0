/**
 * The contract of numpy's shape functions, take/takeAlongAxis and sort/argsort
 * (issue 9): options in both forms (`{ axis }` everywhere JAX has an axis),
 * shapes and axes validated, JAX's out-of-range semantics for take ("fill" by
 * default), every np.pad mode, and a fuzz over bad inputs that must give typed
 * errors, never an untyped crash or a silently wrong value.
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
  vmap,
  type Array as NdArray,
} from "../src/index.js";
import { OptionError } from "../src/core/options.js";

import { close, vals } from "./helpers/values.js";
type AnyFn = (...a: unknown[]) => unknown;
const N = np as unknown as Record<string, AnyFn>;

const M = np.array([
  [3, 1, 2],
  [6, 5, 4],
]);
const v = np.array([1, 2, 3]);

describe("{ axis } works wherever JAX has an axis (issue 9)", () => {
  it("concatenate, stack, sort, argsort, split, repeat, flip, squeeze, transpose take { axis }", () => {
    expect(np.concatenate([M, M], { axis: 1 }).shape).toEqual([2, 6]);
    expect(np.stack([v, v], { axis: 1 }).shape).toEqual([3, 2]);
    close(np.sort(M, { axis: 0 }), [3, 1, 2, 6, 5, 4]);
    close(np.argsort(M, { axis: 1 }), [1, 2, 0, 2, 1, 0]);
    expect(np.split(M, 3, { axis: 1 }).map((p) => p.shape)).toEqual([
      [2, 1],
      [2, 1],
      [2, 1],
    ]);
    close(np.repeat(M, 2, { axis: 0 }), [3, 1, 2, 3, 1, 2, 6, 5, 4, 6, 5, 4]);
    close(np.flip(M, { axis: 1 }), [2, 1, 3, 4, 5, 6]);
    expect(np.squeeze(np.zeros([1, 3, 1]), { axis: 0 }).shape).toEqual([3, 1]);
    expect(np.transpose(np.zeros([2, 3, 4]), { axes: [2, 0, 1] }).shape).toEqual([4, 2, 3]);
    close(np.takeAlongAxis(M, np.array([[1], [0]], "int32"), { axis: 1 }), [1, 6]);
  });

  it("a required axis given as an object is a typed error saying to pass it positionally", () => {
    expect(() => np.expandDims(M, { axis: 0 } as never)).toThrow(ArgumentTypeError);
    expect(() => np.expandDims(M, { axis: 0 } as never)).toThrow(/required argument: give it positionally/);
  });

  it("out-of-range, float and NaN axes are AxisErrors or OptionErrors, never wrong values", () => {
    expect(() => np.sort(M, 2)).toThrow(AxisError);
    expect(() => np.argsort(M, -3)).toThrow(/axis -3 is out of bounds for an array of rank 2/);
    expect(() => np.concatenate([M, M], 1.5)).toThrow(OptionError);
    expect(() => np.flip(M, NaN)).toThrow(OptionError);
    expect(() => np.expandDims(M, 1.5)).toThrow(AxisError);
    expect(() => np.expandDims(M, 3)).toThrow(AxisError);
    expect(() => np.swapaxes(M, 0, 2)).toThrow(AxisError);
    expect(() => np.moveaxis(M, [0, 1], [1])).toThrow(/Inconsistent number of elements/);
    expect(() => np.transpose(M, [0, 0])).toThrow(/repeated axis/);
    // A 0-d array has no axis -1 (JAX: canonicalize_axis fails).
    expect(() => np.sort(np.array(3))).toThrow(AxisError);
    close(np.sort(np.array(3), null), [3]);
  });
});

describe("shapes are validated", () => {
  it("reshape: non-integer, string and wrong-size shapes; order F; copy", () => {
    expect(() => np.reshape(M, "6" as never)).toThrow(ArgumentTypeError);
    expect(() => np.reshape(M, "6" as never)).toThrow(
      /shape must be an integer or an array of integers: got string "6"/,
    );
    expect(() => np.reshape(M, [1.5, 4])).toThrow(ArgumentTypeError);
    expect(() => np.reshape(M, 5)).toThrow(/cannot reshape array of shape \(2, 3\) \(size 6\) into shape \(5,\)/);
    expect(() => np.reshape(M, [-1, -1])).toThrow(/only specify one unknown dimension/);
    expect(() => np.reshape(M, [-2, -3])).toThrow(ShapeError);
    // NumPy: np.reshape([[1,2,3],[4,5,6]], (3,2), order="F") = [[1,5],[4,3],[2,6]] (here with M's values).
    close(np.reshape(M, [3, 2], "F"), [3, 5, 6, 2, 1, 4]);
    close(np.ravel(M, { order: "F" }), [3, 6, 1, 5, 2, 4]);
    expect(() => np.reshape(M, [6], "A" as never)).toThrow(/JAX does not support "A"/);
    expect(np.reshape(M, [6], { copy: false }).shape).toEqual([6]);
  });

  it("tile: 1.5 and -1 reps are typed errors (were an untyped crash); 0 gives an empty array", () => {
    expect(() => np.tile(v, 1.5)).toThrow(ArgumentTypeError);
    expect(() => np.tile(v, -1)).toThrow(ShapeError);
    expect(() => np.tile(v, -1)).toThrow(/reps must have non-negative sizes/);
    expect(np.tile(v, 0).shape).toEqual([0]);
    expect(np.tile(v, [2, 0]).shape).toEqual([2, 0]);
  });

  it("huge results are ShapeErrors, not RangeErrors", () => {
    expect(() => np.broadcastTo(1, [1e6, 1e6])).toThrow(/too large to allocate/);
    expect(() => np.tile(v, [1e9, 1e9])).toThrow(ShapeError);
    expect(() => np.repeat(v, 2e9)).toThrow(ShapeError);
    expect(() => np.pad(v, 5e9)).toThrow(ShapeError);
    expect(() => np.split(np.zeros([0]), 1e10)).toThrow(/too many sections/);
  });

  it("broadcastTo and broadcastArrays", () => {
    expect(() => np.broadcastTo(M, [3])).toThrow(ShapeError);
    expect(() => np.broadcastTo(M, [2, 1.5])).toThrow(ArgumentTypeError);
    expect(np.broadcastTo(v, 3).shape).toEqual([3]);
    expect(() => np.broadcastArrays(M, np.zeros([4]))).toThrow(ShapeError);
  });
});

describe("joining and splitting", () => {
  it("empty and 0-d inputs, a single Array, dtype", () => {
    expect(() => np.concatenate([])).toThrow(/need at least one array to concatenate/);
    expect(() => np.stack([])).toThrow(ShapeError);
    expect(() => np.hstack([])).toThrow(ShapeError);
    expect(() => np.concatenate([np.array(1), np.array(2)])).toThrow(/Zero-dimensional arrays cannot be concatenated/);
    expect(() => np.concatenate([M, v])).toThrow(/same shape except on axis 0/);
    expect(() => np.stack(5 as never)).toThrow(ArgumentTypeError);
    // One Array is the list of its rows (JAX).
    close(np.concatenate(M), [3, 1, 2, 6, 5, 4]);
    close(np.concatenate(np.reshape(np.arange(8), [2, 2, 2]), 1), [0, 1, 4, 5, 2, 3, 6, 7]);
    close(np.stack(M, 1), [3, 6, 1, 5, 2, 4]);
    expect(np.concatenate([M, M], 0, "int32").dtype).toBe("int32");
    expect(np.stack([v, v], { dtype: "int32" }).dtype).toBe("int32");
    expect(np.vstack([v, v], "int32").dtype).toBe("int32");
    expect(np.hstack([1, 2]).shape).toEqual([2]);
  });

  it("split: sections ≤ 0, non-integers, an Array of indices", () => {
    expect(() => np.split(v, 0)).toThrow(/number of sections must be larger than 0/);
    expect(() => np.split(v, 1.5 as never)).toThrow(ArgumentTypeError);
    expect(() => np.split(v, 2)).toThrow(/does not result in an equal division/);
    expect(np.split(np.arange(6), np.array([2, 4], "int32")).map(vals)).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
  });

  it("repeat: negative and fractional counts; totalRepeatLength cuts or continues (also under jit)", () => {
    expect(() => np.repeat(v, -1)).toThrow(/repeats may not contain negative values/);
    expect(() => np.repeat(v, 1.5)).toThrow(ArgumentTypeError);
    expect(() => np.repeat(v, [1, 2])).toThrow(/expected one per element/);
    close(np.repeat(v, [1, 2, 0], { totalRepeatLength: 6 }), [1, 2, 2, 3, 3, 3]);
    close(np.repeat(v, [1, 2, 0], { totalRepeatLength: 2 }), [1, 2]);
    close(np.repeat(v, 2, { totalRepeatLength: 3 }), [1, 1, 2]);
    const r = np.array([1, 2, 0], "int32");
    close(jit((c: NdArray) => np.repeat(v, c, { totalRepeatLength: 6 }))(r), [1, 2, 2, 3, 3, 3]);
    expect(() => jit((c: NdArray) => np.repeat(v, c))(r)).toThrow(ConcretizationError);
    expect(() => jit((c: NdArray) => np.repeat(v, c))(r)).toThrow(/totalRepeatLength/);
  });

  it("atleast1d / atleast2d are variadic as in JAX", () => {
    const one = np.atleast1d(5);
    expect(one.shape).toEqual([1]);
    const two = np.atleast2d(5, v);
    expect(two.map((a) => a.shape)).toEqual([
      [1, 1],
      [1, 3],
    ]);
    expect(np.atleast1d()).toEqual([]);
  });
});

describe("pad: every JAX mode, or a typed error", () => {
  it('an unknown mode is a typed error listing the modes (was: edge padding); "empty" axes', () => {
    expect(() => np.pad(v, 1, "foo" as never)).toThrow(OptionError);
    expect(() => np.pad(v, 1, "foo" as never)).toThrow(
      /"constant", "edge", "reflect", "symmetric", "wrap", "linear_ramp"/,
    );
    expect(() => np.pad(v, 1, "edge", { constantValues: 1 } as never)).toThrow(
      /unsupported keyword arguments for mode 'edge'/,
    );
    expect(() => np.pad(np.zeros([0]), 1, "edge")).toThrow(/Cannot apply 'edge' padding to empty axis/);
    expect(np.pad(np.zeros([0]), 1).shape).toEqual([2]);
  });

  it("pad widths: negative, fractional, wrong shape", () => {
    expect(() => np.pad(v, -1)).toThrow(/can't contain negative values/);
    expect(() => np.pad(v, 1.5)).toThrow(/must be of integral type/);
    expect(() => np.pad(v, [1, 2, 3])).toThrow(/unsupported shape/);
    expect(() => np.pad(v, "1" as never)).toThrow(ArgumentTypeError);
    // A 0-d array is returned as it is (JAX).
    close(np.pad(np.array(7), 2), [7]);
  });

  it("values against NumPy", () => {
    // np.pad([1,2,3], (2,3), 'linear_ramp', end_values=(5,-4))
    close(np.pad(v, [2, 3], "linear_ramp", { endValues: [5, -4] }), [5, 3, 1, 2, 3, 2 / 3, -5 / 3, -4], 1e-6);
    // integers floor the ramp: np.pad(np.arange(3), (2,3), 'linear_ramp', end_values=(5,-4))
    close(np.pad(np.arange(3), [2, 3], "linear_ramp", { endValues: [5, -4] }), [5, 2, 0, 1, 2, 0, -2, -4]);
    close(np.pad(v, 2, "maximum"), [3, 3, 1, 2, 3, 3, 3]);
    close(np.pad(v, 2, "minimum"), [1, 1, 1, 2, 3, 1, 1]);
    // mean 2.75 rounds to 3 for integers (round half to even, as JAX)
    close(np.pad(np.array([1, 2, 4, 4], "int32"), 2, "mean"), [3, 3, 1, 2, 4, 4, 3, 3]);
    close(np.pad(np.array([1, 2, 9, 4]), 1, "median", { statLength: [3, 2] }), [2, 1, 2, 9, 4, 6.5]);
    expect(() => np.pad(v, 1, "mean", { statLength: 0 })).toThrow(/stat_length of 0/);
    // np.pad([1,2,3], 4, 'reflect', reflect_type='odd') = [-3..7]
    close(np.pad(v, 4, "reflect", { reflectType: "odd" }), [-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7]);
    close(np.pad(v, [1, 1], "empty"), [0, 1, 2, 3, 0]);
    // Per-axis constant values: ((before0, after0), (before1, after1)).
    close(
      np.pad(
        np.array([
          [1, 2],
          [3, 4],
        ]),
        [
          [1, 0],
          [0, 1],
        ],
        {
          constantValues: [
            [7, 8],
            [9, 10],
          ],
        },
      ),
      [7, 7, 10, 1, 2, 10, 3, 4, 10],
    );
  });

  it("gradients flow through the modes", () => {
    // Σ pad(u, 2, edge) = 3u0 + u1 + 3u2
    close(grad((u: NdArray) => np.sum(np.pad(u, 2, "edge")))(v), [3, 1, 3]);
    // Σ pad(u, (1,1), constant c) wrt c = 2
    close(grad((c: NdArray) => np.sum(np.pad(v, 1, { constantValues: c })))(np.array(0)), [2]);
  });
});

describe("take: JAX's modes (fill by default)", () => {
  it("out of range fills with NaN, the most negative int, the largest uint, or true", () => {
    close(np.take(v, [0, 3, -1, -4]), [1, NaN, 3, NaN]);
    expect(vals(np.take(np.arange(3), [0, 3]))).toEqual([0, -(2 ** 31)]);
    expect(vals(np.take(np.array([1, 2], "uint32"), [5]))).toEqual([2 ** 32 - 1]);
    expect(np.take(np.array([false]), [5]).tolist()).toEqual([true]);
    close(np.take(v, [7], { fillValue: 0 }), [0]);
    close(np.take(M, [0, 9], 1, null, "fill", false, false, -1), [3, -1, 6, -1]);
    expect(() => np.take(np.arange(3), [5], { fillValue: NaN })).toThrow(DTypeError);
  });

  it('modes "clip" and "wrap"; "raise" and unknown modes are typed errors', () => {
    close(np.take(v, [-1, 5], { mode: "clip" }), [1, 3]);
    close(np.take(v, [-1, 5, -4], { mode: "wrap" }), [3, 3, 3]);
    expect(() => np.take(v, [0], { mode: "raise" as never })).toThrow(/JAX does not support "raise"/);
    expect(() => np.take(v, [0], { mode: "foo" as never })).toThrow(OptionError);
  });

  it("indices: integers only; empty axis; empty indices", () => {
    expect(() => np.take(v, [0.5])).toThrow(DTypeError);
    expect(() => np.take(v, true as never)).toThrow(DTypeError);
    expect(() => np.take(v, [1e10])).toThrow(DTypeError);
    expect(() => np.take(v, np.array([0.5]))).toThrow(/indices must be of integer type/);
    // A float Array of whole numbers (np.array([1]) is float32 here) is accepted.
    close(np.take(v, np.array([2])), [3]);
    expect(() => np.take(np.zeros([0]), [0])).toThrow(IndexError);
    expect(np.take(M, np.zeros([0], "int32"), 1).shape).toEqual([2, 0]);
    expect(() => np.take(M, [0], 2)).toThrow(AxisError);
  });

  it("gradients: out-of-range positions get none; jit and vmap agree with eager", () => {
    const w = np.array([1, 10, 100, 1000]);
    const g = grad((u: NdArray) => np.sum(np.multiply(np.take(u, [0, 5, 2, -1], { fillValue: 0 }), w)))(v);
    close(g, [1, 0, 1100]);
    close(jit((u: NdArray) => np.take(u, [0, 5, -1]))(v), [1, NaN, 3]);
    close(vmap((u: NdArray) => np.take(u, [0, 5]))(M), [3, NaN, 6, NaN]);
  });
});

describe("takeAlongAxis: axis=-1 by default, fill mode, broadcasting", () => {
  it("values, modes and errors", () => {
    close(np.takeAlongAxis(M, np.array([[2], [0]], "int32")), [2, 6]);
    close(np.takeAlongAxis(M, np.array([[0, 3, -1]], "int32"), 1), [3, NaN, 2, 6, NaN, 4]);
    close(np.takeAlongAxis(M, np.array([[0, 3, -1]], "int32"), 1, "clip"), [3, 2, 2, 6, 4, 4]);
    close(np.takeAlongAxis(M, np.array([[0, 3]], "int32"), 1, { fillValue: 0 }), [3, 0, 6, 0]);
    expect(() => np.takeAlongAxis(M, np.array([[0, 5]], "int32"), 0)).toThrow(ShapeError);
    expect(() => np.takeAlongAxis(M, np.array([0], "int32"), 1)).toThrow(/same number of dimensions/);
    expect(() => np.takeAlongAxis(M, np.array([[0]], "int32"), null)).toThrow(/must be 1D if axis=None/);
    expect(() => np.takeAlongAxis(M, np.array([[0.5]]), 1)).toThrow(DTypeError);
    expect(() => np.takeAlongAxis(M, [[0]], 1, "wrap" as never)).toThrow(OptionError);
  });

  it("gradient of fill mode skips out-of-range positions", () => {
    const g = grad((u: NdArray) => np.sum(np.takeAlongAxis(u, np.array([[0, 3, 1]], "int32"), 1, { fillValue: 0 })))(M);
    close(g, [1, 1, 0, 1, 1, 0]);
  });
});

describe("sort / argsort keyword options", () => {
  it("descending (stable: equal elements keep their order), kind/order refused, dtype", () => {
    close(np.sort(np.array([3, NaN, 1, 2]), { descending: true }), [NaN, 3, 2, 1]);
    // JAX: argsort([2,1,2,1,0], descending=True) = [0, 2, 1, 3, 4]
    expect(vals(np.argsort(np.array([2, 1, 2, 1, 0]), { descending: true }))).toEqual([0, 2, 1, 3, 4]);
    expect(() => np.sort(v, { kind: "quicksort" as never })).toThrow(/'kind' is not supported/);
    expect(() => np.argsort(v, { order: "x" as never })).toThrow(OptionError);
    expect(np.argsort(v, { dtype: "uint32" }).dtype).toBe("uint32");
    expect(() => np.argsort(v, { dtype: "float32" })).toThrow(DTypeError);
    close(np.sort(v, { stable: false }), [1, 2, 3]);
    // d/du Σ w·sort(u, descending) permutes w back.
    const w = np.array([1, 2, 3]);
    close(
      grad((u: NdArray) => np.sum(np.multiply(np.sort(u, { descending: true }), w)))(np.array([2, 3, 1])),
      [2, 1, 3],
    );
  });
});

describe("fuzz: bad inputs give typed errors, never untyped crashes", () => {
  const arrays: unknown[] = [M, np.array(5), np.zeros([0, 3]), "abc", null, {}, [1, [2]], NaN];
  const bad: unknown[] = [
    NaN,
    Infinity,
    -Infinity,
    1.5,
    -7,
    1e10,
    "x",
    null,
    {},
    { axis: 0 },
    [1.5],
    [NaN],
    true,
    3n,
    () => 1,
    [],
  ];
  const specs: [string, (a: unknown, b: unknown) => unknown[]][] = [
    ["reshape", (a, b) => [a, b]],
    ["ravel", (a, b) => [a, b]],
    ["transpose", (a, b) => [a, b]],
    ["swapaxes", (a, b) => [a, b, 0]],
    ["moveaxis", (a, b) => [a, 0, b]],
    ["expandDims", (a, b) => [a, b]],
    ["squeeze", (a, b) => [a, b]],
    ["broadcastTo", (a, b) => [a, b]],
    ["broadcastArrays", (a, b) => [a, b]],
    ["concatenate", (a, b) => [[a, a], b]],
    ["concatenate", (_a, b) => [b]],
    ["stack", (a, b) => [[a, a], b]],
    ["vstack", (a, b) => [[a, a], b]],
    ["hstack", (a, b) => [[a, a], b]],
    ["split", (a, b) => [a, b]],
    ["split", (a, b) => [a, 1, b]],
    ["flip", (a, b) => [a, b]],
    ["tile", (a, b) => [a, b]],
    ["repeat", (a, b) => [a, b]],
    ["repeat", (a, b) => [a, 2, null, { totalRepeatLength: b }]],
    ["pad", (a, b) => [a, b]],
    ["pad", (a, b) => [a, 1, b]],
    ["pad", (a, b) => [a, 1, { constantValues: b }]],
    ["pad", (a, b) => [a, 1, "maximum", { statLength: b }]],
    ["pad", (a, b) => [a, 1, "linear_ramp", { endValues: b }]],
    ["take", (a, b) => [a, b]],
    ["take", (a, b) => [a, [0], b]],
    ["take", (a, b) => [a, [0], 0, null, b]],
    ["take", (a, b) => [a, [5], { fillValue: b }]],
    ["takeAlongAxis", (a, b) => [a, b]],
    ["takeAlongAxis", (a, b) => [a, [[0]], b]],
    ["sort", (a, b) => [a, b]],
    ["argsort", (a, b) => [a, { dtype: b }]],
    ["atleast2d", (a, b) => [a, b]],
  ];

  it("every call returns a well-formed array or throws a CotangentError", () => {
    const untyped: string[] = [];
    for (const [name, mk] of specs)
      for (const a of arrays)
        for (const b of bad) {
          try {
            const r = N[name](...mk(a, b)) as NdArray | NdArray[];
            for (const x of Array.isArray(r) ? r : [r]) {
              expect(x.shape.every((n) => Number.isInteger(n) && n >= 0)).toBe(true);
              x.dataSync();
            }
          } catch (e) {
            if (!(e instanceof CotangentError)) untyped.push(`${name}(${String(a)}, ${String(b)}): ${String(e)}`);
          }
        }
    expect(untyped).toEqual([]);
  });
});
