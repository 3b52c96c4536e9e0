/**
 * The Array class's JS habits (iteration, printing, JSON), its methods taking
 * the same arguments as their numpy functions, and a fuzz of the methods with
 * wrong types, NaN/Infinity, 0-size and 0-d arrays: every mistake a typed error.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  Array as NdArray,
  ConcretizationError,
  CotangentError,
  DTypeError,
  grad,
  jit,
  numpy as np,
  random,
  vmap,
} from "../src/index.js";
import { OptionError } from "../src/core/options.js";

const x = np.array([
  [1, 2, 3],
  [4, 5, 6],
]);

describe("iteration over the first axis, as JAX's iter(x)", () => {
  it("spread, Array.from, for..of and destructuring give x.get(i)", () => {
    expect([...x].map((r) => r.tolist())).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(Array.from(x).map((r) => r.shape)).toEqual([[3], [3]]);
    const rows: number[][] = [];
    for (const r of x) rows.push(r.tolist() as number[]);
    expect(rows).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const [a, b] = np.array([7, 8]);
    expect([a.item(), b.item()]).toEqual([7, 8]);
    expect(a.ndim).toBe(0);
    expect([...np.zeros([0, 2])]).toEqual([]);
  });

  it("const [k1, k2] = random.split(key)", () => {
    const key = random.PRNGKey(0);
    const [k1, k2] = random.split(key);
    const both = random.split(key);
    expect(k1.tolist()).toEqual(both.get(0).tolist());
    expect(k2.tolist()).toEqual(both.get(1).tolist());
  });

  it("a 0-d array is not iterable (a TypeError, as JAX's)", () => {
    const s = np.array(3);
    expect(() => [...s]).toThrow(TypeError);
    expect(() => {
      for (const _ of s) void _;
    }).toThrow(/not iterable/);
  });

  it("has no length (JAX's len(x) is x.shape[0]), so JS APIs do not take arrays for array-likes", () => {
    expect("length" in x).toBe(false);
  });

  it("vitest's toEqual still compares arrays (it iterates what is iterable)", () => {
    expect(np.array([1, 2])).toEqual(np.array([1, 2]));
    expect(np.array([1, 2])).not.toEqual(np.array([1, 3]));
    expect(np.array(1)).toEqual(np.array(1));
    expect(np.array(1)).not.toEqual(np.array(2));
  });

  it("tracers iterate: their shape is known under jit, vmap and grad", () => {
    const f = (a: NdArray) => {
      const [r0, r1] = a;
      return r0.mul(r1);
    };
    expect(jit(f)(x).tolist()).toEqual([4, 10, 18]);
    expect(vmap(f)(np.stack([x, x])).tolist()).toEqual([
      [4, 10, 18],
      [4, 10, 18],
    ]);
    const g = grad((a: NdArray) => {
      let s = np.array(0);
      for (const r of a) s = s.add(r.sum());
      return s;
    })(x);
    expect(g.tolist()).toEqual([
      [1, 1, 1],
      [1, 1, 1],
    ]);
  });
});

describe("printing and JSON", () => {
  it("console.log / util.inspect print JAX's repr, not internals", () => {
    expect(inspect(np.array([1, 2]))).toBe("Array([1., 2.], dtype=float32)");
    expect(inspect({ a: np.array([true]) })).toContain("Array([ True], dtype=bool)");
    expect(inspect(x)).not.toContain("_aval");
  });

  it("tracers print as JAX's Traced<...>", () => {
    let shown = "";
    jit((a: NdArray) => {
      shown = inspect(a);
      return a;
    })(np.ones([2]));
    expect(shown).toMatch(/^Traced<f32\[2\]>with</);
  });

  it("JSON.stringify gives nested lists (booleans for bool arrays)", () => {
    expect(JSON.stringify(x)).toBe("[[1,2,3],[4,5,6]]");
    expect(JSON.stringify({ m: np.array([true, false]), s: np.array(2.5) })).toBe('{"m":[true,false],"s":2.5}');
    expect(JSON.stringify(np.zeros([0]))).toBe("[]");
  });

  it("JSON.stringify of a tracer without a value is a ConcretizationError", () => {
    const f = jit((a: NdArray) => {
      JSON.stringify(a);
      return a;
    });
    expect(() => f(x)).toThrow(ConcretizationError);
    expect(() => f(x)).toThrow(/\[JSON.stringify\(x\)\] abstract tracer value encountered/);
    // Under grad of eager values the tracer has a value, as in JAX.
    let json = "";
    grad((a: NdArray) => {
      json = JSON.stringify(a);
      return a.sum();
    })(np.array([1, 2]));
    expect(json).toBe("[1,2]");
  });
});

describe("methods take what their numpy function takes, in either form", () => {
  const same = (a: NdArray, b: NdArray) => {
    expect(a.shape).toEqual(b.shape);
    expect(a.dtype).toBe(b.dtype);
    expect(a.tolist()).toEqual(b.tolist());
  };
  it("reductions", () => {
    same(x.sum({ axis: 1 }), np.sum(x, 1));
    same(x.sum(0, null, null, true), np.sum(x, { axis: 0, keepdims: true }));
    same(x.mean({ axis: 0 }), np.mean(x, 0));
    same(x.max({ axis: 1, keepdims: true }), np.max(x, 1, null, true));
    same(x.min(1), np.min(x, { axis: 1 }));
    same(x.prod({ axis: 1 }), np.array([6, 120]));
    same(x.argmax({ axis: 1 }), np.array([2, 2]).astype("int32"));
    same(x.argmin(), np.array(0).astype("int32"));
    same(x.var({ axis: 1 }), np.var(x, 1));
    same(x.std(), np.std(x));
    same(x.all(), np.array(true));
    same(np.greater(x, 3).any({ axis: 1 }), np.array([false, true]));
    same(
      x.cumsum({ axis: 1 }),
      np.array([
        [1, 3, 6],
        [4, 9, 15],
      ]),
    );
  });
  it("shape methods", () => {
    same(x.reshape(3, 2), np.reshape(x, [3, 2]));
    same(x.reshape([3, 2]), np.reshape(x, [3, 2]));
    same(x.reshape(-1), np.array([1, 2, 3, 4, 5, 6]));
    // NumPy: np.arange(1, 7).reshape(2, 3).reshape(3, 2, order="F")
    same(
      x.reshape(3, 2, { order: "F" }),
      np.array([
        [1, 5],
        [4, 3],
        [2, 6],
      ]),
    );
    same(x.reshape([3, 2], { order: "C" }), x.reshape(3, 2));
    same(x.transpose(), x.T);
    same(x.transpose(1, 0), x.T);
    same(x.transpose([1, 0]), x.T);
    same(x.transpose(null), x.T);
    same(x.flatten(), np.array([1, 2, 3, 4, 5, 6]));
    same(x.ravel(), x.flatten());
    same(np.ones([1, 3, 1]).squeeze(), np.ones([3]));
    same(np.ones([1, 3, 1]).squeeze({ axis: 0 }), np.ones([3, 1]));
    same(x.swapaxes(0, 1), x.T);
  });
  it("elementwise and products", () => {
    same(
      x.clip(2, 4),
      np.array([
        [2, 2, 3],
        [4, 4, 4],
      ]),
    );
    same(x.clip({ max: 2 }), np.clip(x, null, 2));
    same(np.array([1.26, -2.5]).round(1), np.array([1.3, -2.5]));
    same(np.array([0.5, 1.5, 2.5]).round(), np.array([0, 2, 2]));
    same(x.dot(x.T), np.matmul(x, x.T));
    same(
      x.astype("int32"),
      np
        .array([
          [1, 2, 3],
          [4, 5, 6],
        ])
        .astype("int32"),
    );
  });
});

describe("fuzz: the methods refuse wrong arguments with typed errors", () => {
  const WRONG: unknown[] = [1.5, NaN, Infinity, "float", {}, [1], null, undefined, true, 3n, Symbol("s"), () => 1];
  const typed = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e, String(e)).toBeInstanceOf(CotangentError);
      return;
    }
  };
  it("astype: an unknown dtype is a DTypeError naming it; extra arguments an OptionError", () => {
    for (const v of WRONG) {
      expect(() => x.astype(v as "float32")).toThrow(DTypeError);
      expect(() => x.astype(v as "float32")).toThrow(
        /\[Array.astype\] unknown dtype: got .*, expected one of "float32"/,
      );
    }
    expect(() => x.astype(3n as never)).toThrow("got bigint 3n");
    expect(() => (x.astype as (...a: unknown[]) => unknown)("int32", true)).toThrow(OptionError);
  });
  it("reshape: wrong shapes and options", () => {
    expect(() => x.reshape("6" as never)).toThrow(OptionError);
    expect(() => x.reshape("6" as never)).toThrow(/\[Array.reshape\] the new shape must be integers/);
    expect(() => x.reshape([6], 1 as never)).toThrow(/too many arguments/);
    expect(() => x.reshape(6, { order: "A" } as never)).toThrow(/option "order" must be one of "C", "F"/);
    expect(() => x.reshape(6, { bogus: 1 } as never)).toThrow(/unknown option "bogus"/);
    expect(() => x.reshape(4)).toThrow(CotangentError);
    for (const v of WRONG) typed(() => x.reshape(v as number));
  });
  it("transpose, get, at, swapaxes, squeeze with wrong values", () => {
    for (const v of WRONG) {
      typed(() => x.transpose(v as number));
      typed(() => x.get(v as number));
      typed(() => x.at(v as number).set(0));
      typed(() => x.swapaxes(v as number, 0));
      typed(() => x.squeeze(v as number));
      typed(() => x.sum(v as number));
      typed(() => x.clip(v as number));
    }
    expect(() => x.transpose(0, 5)).toThrow(CotangentError);
    expect(() => x.get(2)).toThrow(CotangentError);
  });
  it("0-d and 0-size arrays", () => {
    const s = np.array(2.5);
    expect(s.reshape(1).tolist()).toEqual([2.5]);
    expect(s.reshape([]).tolist()).toBe(2.5);
    expect(s.T.tolist()).toBe(2.5);
    expect(s.flatten().tolist()).toEqual([2.5]);
    expect(s.sum().item()).toBe(2.5);
    expect(JSON.stringify(s)).toBe("2.5");
    expect(() => s.get(0)).toThrow(CotangentError);
    const e = np.zeros([0, 3]);
    expect(e.sum({ axis: 0 }).tolist()).toEqual([0, 0, 0]);
    expect(e.reshape(3, 0).shape).toEqual([3, 0]);
    expect(e.T.shape).toEqual([3, 0]);
    expect(() => e.max()).toThrow(CotangentError);
    expect(() => e.get(0)).toThrow(CotangentError);
    expect(inspect(e)).toBe("Array([], shape=(0, 3), dtype=float32)");
  });
  it("NaN and Infinity values go through the methods as values", () => {
    const v = np.array([NaN, Infinity, -Infinity, 1]);
    expect(v.max().item()).toBeNaN();
    expect(v.get(np.slice(1)).min().item()).toBe(-Infinity);
    expect(JSON.stringify(v)).toBe("[null,null,null,1]"); // JSON has no NaN or Infinity
    expect(inspect(v)).toBe("Array([ nan,  inf, -inf,   1.], dtype=float32)");
  });
});
