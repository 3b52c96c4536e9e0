/**
 * The contract of numpy array creation and conversion: JAX's signatures (positional or a
 * trailing object), shapes validated (non-negative integers, a size a typed array can hold),
 * typed arrays keeping their values, fill values and bounds checked, and JAX's values for
 * linspace, arange, eye and diag.
 */
import { describe, expect, it } from "vitest";
import {
  Array as NdArray,
  ArgumentTypeError,
  AxisError,
  ConcretizationError,
  DTypeError,
  ShapeError,
  config,
  grad,
  jit,
  numpy as np,
  vmap,
} from "../src/index.js";
import { OptionError } from "../src/core/options.js";
import { allocating } from "../src/primitives/constants.js";

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
/** Shape, dtype and values at once. */
const summary = (a: NdArray) => ({ shape: a.shape, dtype: a.dtype, values: values(a) });

describe("np.array / np.asarray", () => {
  it("take dtype positionally or in an options object", () => {
    const labels = [0, 2, 1];
    expect(summary(np.array(labels, { dtype: "int32" }))).toEqual({ shape: [3], dtype: "int32", values: [0, 2, 1] });
    expect(summary(np.array(labels, "int32"))).toEqual(summary(np.array(labels, { dtype: "int32" })));
    expect(summary(np.asarray(labels, { dtype: "int32" }))).toEqual({ shape: [3], dtype: "int32", values: [0, 2, 1] });
    expect(summary(np.asArray(labels, { dtype: "uint32" }))).toEqual({
      shape: [3],
      dtype: "uint32",
      values: [0, 2, 1],
    });
    // Floats truncate toward zero, as astype does.
    expect(values(np.array([1.7, -1.7], { dtype: "int32" }))).toEqual([1, -1]);
    expectError(() => np.array([1], { dtype: "int64" as never }), OptionError, 'option "dtype" must be a dtype');
    expectError(() => np.array([1], { dtpye: "int32" } as never), OptionError, 'unknown option "dtpye"');
    expectError(() => np.asArray([1], { bogus: 1 } as never), OptionError, '[asarray] unknown option "bogus"');
  });

  it("ndmin adds leading axes; order accepts only K (as JAX); copy gives a new array", () => {
    expect(np.array([1, 2], { ndmin: 3 }).shape).toEqual([1, 1, 2]);
    expect(np.array([[1, 2]], null, true, "K", 1).shape).toEqual([1, 2]);
    expect(np.array(5, { ndmin: 1 }).shape).toEqual([1]);
    expectError(() => np.array([1], { order: "C" as never }), OptionError, 'option "order" must be "K" or null');
    expectError(() => np.array([1], { ndmin: -1 }), OptionError, 'option "ndmin" must be a non-negative integer');
    expectError(() => np.array([1], { ndmin: 1000 }), OptionError, "at most 64");
    const a = np.arange(3);
    expect(np.array(a)).not.toBe(a);
    expect(values(np.array(a))).toEqual([0, 1, 2]);
    expect(np.array(a, { copy: false })).toBe(a);
    expect(np.asarray(a)).toBe(a);
    expect(np.asarray(a, { copy: true })).not.toBe(a);
  });

  it("typed arrays keep their values and map to their dtype", () => {
    expect(summary(np.array(new Uint8Array([0, 1, 2, 255])))).toEqual({
      shape: [4],
      dtype: "int32",
      values: [0, 1, 2, 255],
    });
    expect(summary(np.array(new Uint8ClampedArray([0, 255])))).toEqual({
      shape: [2],
      dtype: "int32",
      values: [0, 255],
    });
    expect(summary(np.array(new Int8Array([-128, 127])))).toEqual({ shape: [2], dtype: "int32", values: [-128, 127] });
    expect(summary(np.array(new Int16Array([-3, 4])))).toEqual({ shape: [2], dtype: "int32", values: [-3, 4] });
    expect(summary(np.array(new Uint16Array([65535])))).toEqual({ shape: [1], dtype: "int32", values: [65535] });
    expect(np.array(new Float32Array([0.5])).dtype).toBe("float32");
    expect(np.array(new Float64Array([0.1])).dtype).toBe("float64");
    expect(np.array(new Int32Array([1])).dtype).toBe("int32");
    expect(np.array(new Uint32Array([4294967295])).dtype).toBe("uint32");
    // The array owns a copy: changing the typed array later changes nothing.
    const t = new Float32Array([1, 2]);
    const a = np.array(t);
    t[0] = 99;
    expect(values(a)).toEqual([1, 2]);
    // Typed arrays as rows of a nested array.
    expect(summary(np.array([new Int32Array([1, 2]), new Int32Array([3, 4])]))).toEqual({
      shape: [2, 2],
      dtype: "int32",
      values: [1, 2, 3, 4],
    });
    expectError(
      () => np.array(new BigInt64Array(2) as never),
      ArgumentTypeError,
      "cannot make an array from a BigInt64Array",
      "Float32Array, Float64Array, Int32Array, Uint32Array",
    );
    expectError(() => np.array(new BigUint64Array(2) as never), ArgumentTypeError, "BigUint64Array");
    expectError(() => np.asarray(new DataView(new ArrayBuffer(8)) as never), ArgumentTypeError, "DataView");
    expectError(() => np.array(new ArrayBuffer(8) as never), ArgumentTypeError, "Wrap the buffer in a typed array");
  });

  it("nested arrays: empty, rank 0, mixed bool/number, lists of Arrays", () => {
    expect(summary(np.array([]))).toEqual({ shape: [0], dtype: "float32", values: [] });
    expect(np.array([[]]).shape).toEqual([1, 0]);
    expect(np.array([], "int32").dtype).toBe("int32");
    expect([np.array(5).shape, np.array(5).weakType, np.asarray(5).weakType]).toEqual([[], false, true]);
    expect(summary(np.array([true, 2]))).toEqual({ shape: [2], dtype: "float32", values: [1, 2] });
    expect(np.array([true, false]).dtype).toBe("bool");
    // A list of Arrays is stacked (JAX's array of a list of arrays); whole numbers meeting int Arrays stay int.
    expect(summary(np.array([np.arange(2), [5, 6]]))).toEqual({ shape: [2, 2], dtype: "int32", values: [0, 1, 5, 6] });
    expect(np.array([np.arange(2), [0.5, 6]]).dtype).toBe("float32");
    expect(summary(np.array([np.float32(1), 2]))).toEqual({ shape: [2], dtype: "float32", values: [1, 2] });
    expectError(() => np.array([np.arange(2), np.arange(3)]), ShapeError, "must be rectangular", "Array of shape (3,)");
  });

  it("bad elements and ragged lists are typed errors naming where", () => {
    expectError(() => np.array([[1, "a"]] as never), ArgumentTypeError, 'got string "a" at [0][1]');
    expectError(() => np.array([[1, "2"]] as never), ArgumentTypeError, 'Number("2")');
    expectError(() => np.array([1, undefined] as never), ArgumentTypeError, "got undefined at [1]");
    expectError(() => np.array([1, null] as never), ArgumentTypeError, "got null at [1]");
    expectError(() => np.array([1n] as never), ArgumentTypeError, "got bigint 1n at [0]", "Number(1n)");
    expectError(() => np.array([{}] as never), ArgumentTypeError, "got object {} at [0]");
    expectError(() => np.array([[1, 2], [3]]), ShapeError, "got a row of length 1 at [1], expected a row of length 2");
    expectError(() => np.array([[1, 2], 3] as never), ShapeError, "got number 3 at [1], expected a row of length 2");
    expectError(() => np.array([1, [2, 3]] as never), ShapeError, "got a row of length 2 at [1], expected a number");
    expectError(() => np.array("3" as never), ArgumentTypeError, 'cannot make an array from string "3"', "Number(");
    expectError(() => np.array({ a: 1 } as never), ArgumentTypeError, 'cannot make an array from object {"a":1}');
    expectError(() => np.array(new Set([1]) as never), ArgumentTypeError, "Array.from(x)");
    expectError(() => np.array(undefined as never), ArgumentTypeError, "cannot make an array from undefined");
  });

  it("JS numbers that an integer dtype cannot hold are a DTypeError, not a wrapped value", () => {
    expectError(() => np.array([-1], "uint32"), DTypeError, "cannot convert -1 to uint32");
    expectError(() => np.array([3e9], "int32"), DTypeError, "cannot convert 3000000000 to int32");
    expectError(() => np.array([NaN], { dtype: "int32" }), DTypeError, "cannot convert NaN to int32");
    expectError(() => np.int32(Infinity), DTypeError, "cannot convert Infinity to int32");
    expect(values(np.array([4294967295], "uint32"))).toEqual([4294967295]);
    // NaN is true as a bool, as in NumPy.
    expect(values(np.array([NaN, 0], "bool"))).toEqual([1, 0]);
  });

  it("works under jit and vmap (lists of traced Arrays are stacked)", () => {
    const f = jit((a: NdArray) => np.array([a, np.multiply(a, 2)]));
    expect(summary(f(np.array([1, 2])))).toEqual({ shape: [2, 2], dtype: "float32", values: [1, 2, 2, 4] });
    const g = vmap((a: NdArray) => np.array([a, a], { ndmin: 2 }));
    // Per example: [a, a] is f32[2], and ndmin 2 makes it f32[1,2].
    expect(g(np.array([1, 2, 3])).shape).toEqual([3, 1, 2]);
  });
});

describe("zeros, ones, empty, full", () => {
  it("take dtype in both forms", () => {
    for (const f of [np.zeros, np.ones, np.empty]) {
      expect(f([2], { dtype: "int32" }).dtype).toBe("int32");
      expect(f([2], null).dtype).toBe("float32");
    }
    expect(values(np.ones(2, { dtype: "bool" }))).toEqual([1, 1]);
    expect(summary(np.full([2], 7, { dtype: "int32" }))).toEqual({ shape: [2], dtype: "int32", values: [7, 7] });
  });

  it("validate the shape: non-negative integers, no bigint, no string, no NaN", () => {
    expectError(
      () => np.zeros([3n] as never),
      ShapeError,
      "[zeros] invalid shape: got bigint 3n",
      "Write 3 instead of 3n",
    );
    expectError(() => np.zeros("3" as never), ShapeError, 'got string "3"', 'Number("3")');
    expectError(() => np.ones([2, -1]), ShapeError, "got number -1 as dimension 1", "non-negative integer");
    expectError(() => np.ones([1.5]), ShapeError, "got number 1.5");
    expectError(() => np.empty([NaN]), ShapeError, "got number NaN", "NaN");
    expectError(() => np.full([Infinity], 1), ShapeError, "got number Infinity");
    expectError(() => np.zeros({ length: 2 } as never), ShapeError, "invalid shape");
    expectError(() => np.zerosLike(np.ones([2]), { shape: [-1] }), OptionError, 'option "shape" must be a shape');
    expect(np.zeros([]).shape).toEqual([]);
    expect(np.zeros([0, 5]).size).toBe(0);
  });

  it("JAX's hint for zeros(2, 3) meant as zeros([2, 3])", () => {
    expectError(() => np.zeros(2, 3 as never), OptionError, "np.zeros(2, 3)", "np.zeros([2, 3])");
  });

  it("refuse shapes too large to allocate with a typed error (size computed without overflow)", () => {
    expectError(() => np.zeros([1e6, 1e6]), ShapeError, "[zeros] array is too large to allocate", "[1000000, 1000000]");
    expectError(() => np.ones([2 ** 31, 2 ** 31, 2 ** 31, 2 ** 31]), ShapeError, "too large");
    expectError(() => np.full([2 ** 32], 1), ShapeError, "at most 4294967295 elements");
    expectError(() => np.eye(1e5), ShapeError, "[eye] array is too large");
    expectError(() => np.arange(1e10), ShapeError, "[arange] array is too large");
    // A zero dimension makes any other size fine.
    expect(np.zeros([0, 1e300, 1e300]).size).toBe(0);
    // The engine refusing memory is a ShapeError too, not a RangeError.
    expectError(
      () =>
        allocating("zeros", [4], "float32", () => {
          throw new RangeError("Array buffer allocation failed");
        }),
      ShapeError,
      "too large to allocate",
      "Array buffer allocation failed",
    );
  });

  it("full: the fill must be a number, boolean or array; array fills broadcast; JAX's dtypes", () => {
    expectError(
      () => np.full([2], "a" as never),
      ArgumentTypeError,
      '[full] fill_value must be a number, a boolean or an array: got string "a"',
    );
    expectError(() => np.full([2], null as never), ArgumentTypeError, "got null");
    expect(summary(np.full([2, 3], np.arange(3)))).toEqual({
      shape: [2, 3],
      dtype: "int32",
      values: [0, 1, 2, 0, 1, 2],
    });
    expect(summary(np.full([2, 2], [[1], [2]], "float32"))).toEqual({
      shape: [2, 2],
      dtype: "float32",
      values: [1, 1, 2, 2],
    });
    expectError(() => np.full([2, 2], [1, 2, 3]), ShapeError, "incompatible shapes for broadcasting", "(3,)", "(2, 2)");
    // JAX: a Python scalar fill without dtype gives a weakly typed result; a 0-d Array keeps its dtype.
    const w = np.full([2], 1.5);
    expect([w.dtype, w.weakType]).toEqual(["float32", true]);
    expect(np.full([2], true).dtype).toBe("bool");
    expect(np.full([2], np.int32(3)).dtype).toBe("int32");
    expectError(() => np.full([2], NaN, "int32"), DTypeError, "cannot convert the fill value NaN to int32");
    expect(values(np.full([1], NaN))).toEqual([NaN]);
  });

  it("the *Like functions: dtype and shape in both forms, array fills", () => {
    const x = np.arange(4);
    expect(summary(np.zerosLike(x, { shape: [2, 2] }))).toEqual({
      shape: [2, 2],
      dtype: "int32",
      values: [0, 0, 0, 0],
    });
    expect(summary(np.onesLike(x, "bool", 2))).toEqual({ shape: [2], dtype: "bool", values: [1, 1] });
    expect(summary(np.fullLike(np.zeros([2, 3], "int32"), [[1], [2]]))).toEqual({
      shape: [2, 3],
      dtype: "int32",
      values: [1, 1, 1, 2, 2, 2],
    });
    expect(np.fullLike(x, 2.5, { dtype: "float32", shape: [3] }).shape).toEqual([3]);
    // The weak type follows the array (a JS number: weak).
    expect(np.zerosLike(3).weakType).toBe(true);
    expect(np.zerosLike(np.array(3)).weakType).toBe(false);
    expectError(() => np.fullLike(x, "x" as never), ArgumentTypeError, "[fullLike] fill_value");
    expectError(() => np.zerosLike("x" as never), ArgumentTypeError, "[zerosLike] cannot make an array");
  });
});

describe("arange", () => {
  it("dtype and the options object after start, stop or step", () => {
    expect(summary(np.arange(3, { dtype: "float32" }))).toEqual({ shape: [3], dtype: "float32", values: [0, 1, 2] });
    expect(values(np.arange(0, 10, { step: 3 }))).toEqual([0, 3, 6, 9]);
    expect(values(np.arange(1, { stop: 4, dtype: "int32" }))).toEqual([1, 2, 3]);
    expect(np.arange(0, 6, 2, { dtype: "float64" }).dtype).toBe("float64");
    expect(np.arange(0, 6, 2, "uint32").dtype).toBe("uint32");
    expectError(() => np.arange(0, 6, 2, "float32", 1 as never), OptionError, "too many arguments");
  });

  it("computes start + i·step in the result dtype (JAX's float32 values)", () => {
    const a = np.arange(0, 1, 0.1);
    const f32 = Math.fround;
    expect(values(a)).toEqual(Array.from({ length: 10 }, (_, i) => f32(f32(0.1) * i)));
    // An integer dtype converts start and step first, as JAX does.
    expect(values(np.arange(0.5, 3, { dtype: "int32" }))).toEqual([0, 1, 2]);
    expect(np.arange(np.array(3, "int32")).dtype).toBe("int32");
  });

  it("NaN and infinite bounds, zero steps, strings: typed errors", () => {
    expectError(() => np.arange(0, NaN), OptionError, 'option "stop" must be a finite number', "got number NaN");
    expectError(() => np.arange(0, Infinity), OptionError, "got number Infinity");
    expectError(() => np.arange(0, 1, -Infinity), OptionError, 'option "step"');
    expectError(() => np.arange(NaN), ArgumentTypeError, "[arange] stop must be a finite number");
    expectError(() => np.arange(-Infinity, 0), ArgumentTypeError, "[arange] start must be a finite number");
    expectError(() => np.arange("5" as never), ArgumentTypeError, 'got string "5"');
    expectError(() => np.arange(0, 1, 0), ShapeError, "step must not be zero");
    expectError(() => np.arange(np.arange(3) as never), ArgumentTypeError, "0-d Array");
  });

  it("a traced bound is a ConcretizationError (the length must be known)", () => {
    expectError(() => jit((n: NdArray) => np.arange(n))(np.array(3)), ConcretizationError, "arange argument 'stop'");
  });
});

describe("linspace", () => {
  it("num, endpoint, retstep, dtype, axis in both forms", () => {
    expect(values(np.linspace(0, 10, 5))).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(values(np.linspace(0, 1, { num: 4, endpoint: false }))).toEqual([0, 0.25, 0.5, 0.75]);
    const [xs, step] = np.linspace(0, 1, 5, true, true);
    expect([values(xs), step.item()]).toEqual([[0, 0.25, 0.5, 0.75, 1], 0.25]);
    const [ys, dy] = np.linspace(0, 1, { num: 3, retstep: true });
    expect([values(ys), dy.item()]).toEqual([[0, 0.5, 1], 0.5]);
    // num = 1: the step is NaN with the endpoint, stop - start without (NumPy's and JAX's).
    expect(Number.isNaN(np.linspace(2, 3, 1, true, true)[1].item() as number)).toBe(true);
    expect(np.linspace(2, 3, 1, false, true)[1].item()).toBe(1);
    expect(np.linspace(2, 3, 0).shape).toEqual([0]);
    // Integer dtypes floor the float samples, as JAX does.
    expect(summary(np.linspace(0, 10, 4, { dtype: "int32" }))).toEqual({
      shape: [4],
      dtype: "int32",
      values: [0, 3, 6, 10],
    });
  });

  it("array bounds: samples along axis", () => {
    const r = np.linspace([0, 5], [5, 10], 3);
    expect(summary(r)).toEqual({ shape: [3, 2], dtype: "float32", values: [0, 5, 2.5, 7.5, 5, 10] });
    const c = np.linspace([0, 5], [5, 10], 3, { axis: 1 });
    expect(summary(c)).toEqual({ shape: [2, 3], dtype: "float32", values: [0, 2.5, 5, 5, 7.5, 10] });
    expect(np.linspace([0, 5], [5, 10], 3, { axis: -1 }).shape).toEqual([2, 3]);
    expectError(() => np.linspace([0, 5], [5, 10], 3, { axis: 2 }), AxisError, "axis 2 is out of bounds");
    expectError(() => np.linspace([0, 1], [0, 1, 2], 3), ShapeError, "incompatible shapes");
    expectError(() => np.linspace(0, 1, -1), OptionError, 'option "num" must be a non-negative integer');
    expectError(() => np.linspace(0, 1, 2.5), OptionError, 'option "num"');
  });

  it("is differentiable in start and stop, and traces under jit", () => {
    // d/da sum(a·(1 − t) + 1·t) over t = 0, 0.5, 1 (the endpoint is stop): 1 + 0.5 + 0.
    expect(grad((a: NdArray) => np.sum(np.linspace(a, 1, 3)))(np.array(0)).item()).toBe(1.5);
    expect(values(jit((a: NdArray) => np.linspace(a, 1, 3))(np.array(0)))).toEqual([0, 0.5, 1]);
  });
});

describe("eye, identity, diag", () => {
  it("eye: M (JAX's capital), k, dtype in both forms; N and M validated", () => {
    expect(summary(np.eye(2, { dtype: "int32" }))).toEqual({ shape: [2, 2], dtype: "int32", values: [1, 0, 0, 1] });
    expect(summary(np.eye(2, { M: 3 }))).toEqual({ shape: [2, 3], dtype: "float32", values: [1, 0, 0, 0, 1, 0] });
    expect(values(np.eye(2, 3, { k: 1 }))).toEqual([0, 1, 0, 0, 0, 1]);
    expect(values(np.eye(2, { k: 5 }))).toEqual([0, 0, 0, 0]);
    expect(values(np.eye(2, { k: 1e12 }))).toEqual([0, 0, 0, 0]);
    expect(np.eye(0).shape).toEqual([0, 0]);
    expectError(() => np.eye(1.5), ShapeError, "[eye] N must be a non-negative integer: got number 1.5");
    expectError(() => np.eye(-1), ShapeError, "got number -1");
    expectError(() => np.eye(2, { m: 3 } as never), OptionError, 'unknown option "m"', 'Did you mean "M"?');
    expectError(() => np.eye(2, 1.5), OptionError, 'option "M" must be a non-negative integer');
    expectError(() => np.eye(2, null, 0.5), OptionError, 'option "k" must be an integer');
  });

  it("identity: dtype in both forms", () => {
    expect(summary(np.identity(2, { dtype: "bool" }))).toEqual({ shape: [2, 2], dtype: "bool", values: [1, 0, 0, 1] });
    expectError(() => np.identity(2.5), ShapeError, "[identity] n must be a non-negative integer");
  });

  it("diag: a vector's matrix (no 0·inf NaNs), a matrix's k-th diagonal, else a ShapeError", () => {
    expect(values(np.diag([1, Infinity]))).toEqual([1, 0, 0, Infinity]);
    expect(values(np.diag([1, 2], { k: 1 }))).toEqual([0, 1, 0, 0, 0, 2, 0, 0, 0]);
    expect(values(np.diag([1, 2], -1))).toEqual([0, 0, 0, 1, 0, 0, 0, 2, 0]);
    const m = np.arange(9).reshape([3, 3]);
    expect(values(np.diag(m))).toEqual([0, 4, 8]);
    expect(values(np.diag(m, { k: 1 }))).toEqual([1, 5]);
    expect(values(np.diag(m, -2))).toEqual([6]);
    expectError(() => np.diag(3), ShapeError, "diag input must be 1d or 2d");
    expectError(() => np.diag(np.zeros([2, 2, 2])), ShapeError, "diag input must be 1d or 2d");
  });
});

describe("dtype constructors", () => {
  it("take no options", () => {
    expect(np.float32(2.5).dtype).toBe("float32");
    expectError(
      () => (np.float32 as (...a: unknown[]) => unknown)(1, { dtype: "int32" }),
      OptionError,
      "[float32] unknown option",
    );
    expectError(() => (np.int32 as (...a: unknown[]) => unknown)(1, 2), OptionError, "[int32] too many arguments");
  });
});

describe("enableX64", () => {
  it("default floats become float64 everywhere in creation", () => {
    config.update("enableX64", true);
    try {
      expect(np.full([1], 0.5).dtype).toBe("float64");
      expect(np.linspace(0, 1, 3).dtype).toBe("float64");
      expect(np.arange(0, 1, 0.5).dtype).toBe("float64");
      expect(np.array([true, 1]).dtype).toBe("float64");
      expect(values(np.arange(0, 0.3, 0.1))).toEqual([0, 0.1, 0.2]);
    } finally {
      config.update("enableX64", false);
    }
  });
});
