/**
 * The contract of `random` and `tree` (issue 9): JAX's signatures with options
 * positional or in a trailing object, every mistake a typed error naming what
 * was given, JAX's seeding, no hang on cyclic trees, "__proto__" keys kept,
 * and a fuzz over bad keys, shapes, dtypes, values and trees.
 */
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import {
  ArgumentTypeError,
  AxisError,
  config,
  CotangentError,
  DTypeError,
  numpy as np,
  random,
  ShapeError,
  tree,
  TreeMismatchError,
  type Array as NdArray,
} from "../src/index.js";
import { OptionError } from "../src/core/options.js";

afterEach(() => config.update("enableX64", false));

const key = random.key(0);
const words = (k: NdArray) => Array.from(k.dataSync());
/** An array of zeros without np.zeros (shape and dtype given). */
const zeros = (shape: number[], dtype: "float32" | "uint32" | "int32" = "float32") =>
  np.asarray(new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0), dtype).reshape(shape);
type Loose = (...a: unknown[]) => unknown;
const loose = (f: unknown) => f as Loose;

describe("random: options in JAX's order or a trailing object, checked", () => {
  it("a misspelt or unknown option is an OptionError (it used to be ignored)", () => {
    expect(() => loose(random.uniform)(key, [2], { minVal: -1 })).toThrow(OptionError);
    expect(() => loose(random.uniform)(key, [2], { minVal: -1 })).toThrow(
      '[random.uniform] unknown option "minVal": expected one of shape, dtype, minval, maxval, outSharding. Did you mean "minval"?',
    );
    expect(() => loose(random.normal)(key, [2], { shape: [3] })).toThrow(/option "shape" given twice/);
    expect(() => loose(random.normal)(key, [2], "float32", 5)).toThrow(/too many arguments/);
    expect(() => loose(random.foldIn)(key, 1, 2)).toThrow(OptionError);
  });

  it("split takes num positionally or as { num }, a count or a shape", () => {
    expect(random.split(key, { num: 3 }).shape).toEqual([3, 2]);
    expect(words(random.split(key, { num: [2, 2] }))).toEqual(words(random.split(key, [2, 2])));
    expect(random.split(key, 0).shape).toEqual([0, 2]);
    expect(random.split(key, [2, 0]).shape).toEqual([2, 0, 2]);
    expect(() => random.split(key, -1)).toThrow(ShapeError);
    expect(() => random.split(key, 1.5)).toThrow("[random.split] num must be a non-negative integer: got number 1.5");
    expect(() => loose(random.split)(key, "2")).toThrow('option "num" must be a non-negative integer or a shape');
  });

  it("const [k1, k2] = random.split(key) gives the rows", () => {
    const keys = random.split(key);
    const [k1, k2] = keys;
    expect(words(k1)).toEqual(words(keys.get(0)));
    expect(words(k2)).toEqual(words(keys.get(1)));
    expect(k1.shape).toEqual([2]);
  });

  it("out_sharding exists, keyword-only, and only null is accepted", () => {
    expect(words(random.uniform(key, [2], { outSharding: null }))).toEqual(words(random.uniform(key, [2])));
    expect(() => loose(random.uniform)(key, [2], { outSharding: "x" })).toThrow(OptionError);
    expect(() => loose(random.choice)(key, 3, { outSharding: null })).toThrow(/unknown option "outSharding"/);
  });

  it("modes: gumbel, categorical and choice take null; bernoulli only low/high (as JAX)", () => {
    expect(words(random.gumbel(key, [3], null, null))).toEqual(words(random.gumbel(key, [3])));
    expect(() => loose(random.gumbel)(key, [3], null, "mid")).toThrow('option "mode" must be one of "low", "high"');
    expect(() => loose(random.bernoulli)(key, 0.5, null, null)).toThrow(OptionError);
    const p = np.array([0.1, 0.2, 0.7]);
    const pos = random.choice(key, 3, [2], false, p, 0, "high");
    expect(words(pos)).toEqual(words(random.choice(key, 3, [2], { replace: false, p, mode: "high" })));
  });
});

describe("random: seeds as JAX's threefry seeding", () => {
  it("32-bit mode: any int64 seed, key [0, seed mod 2^32]", () => {
    expect(words(random.PRNGKey(2 ** 32 + 5))).toEqual([0, 5]);
    expect(words(random.PRNGKey(2 ** 40))).toEqual([0, 0]);
    expect(words(random.PRNGKey(-1))).toEqual([0, 4294967295]);
    expect(words(random.PRNGKey(-(2 ** 31) - 100))).toEqual([0, 2147483548]);
    // Above 2^53 a JS number is the integer the double holds (2^60 + 2^33 is exact).
    expect(words(random.key(2 ** 60 + 2 ** 33))).toEqual([0, 0]);
    expect(words(random.key(2n ** 63n - 1n))).toEqual([0, 4294967295]);
  });

  it("enableX64: the int64 seed's two words", () => {
    config.update("enableX64", true);
    expect(words(random.PRNGKey(-1))).toEqual([4294967295, 4294967295]);
    expect(words(random.PRNGKey(-3))).toEqual([4294967295, 4294967293]);
    expect(words(random.PRNGKey(-(2 ** 31) - 101))).toEqual([4294967295, 2147483547]);
    expect(words(random.PRNGKey(2 ** 60))).toEqual([2 ** 28, 0]);
    expect(words(random.PRNGKey(2n ** 63n - 1n))).toEqual([2147483647, 4294967295]);
    expect(words(random.PRNGKey(-(2n ** 63n)))).toEqual([2147483648, 0]);
  });

  it("seeds outside int64, non-integers and non-numbers are DTypeErrors", () => {
    expect(() => random.PRNGKey(2n ** 63n)).toThrow(DTypeError);
    expect(() => random.PRNGKey(2n ** 63n)).toThrow("[random.PRNGKey] seed too large to convert to int64");
    expect(() => random.key(2 ** 64)).toThrow(/too large to convert to int64/);
    for (const bad of [NaN, Infinity, 1.5, true, "1", null, undefined]) {
      expect(() => loose(random.PRNGKey)(bad), String(bad)).toThrow(DTypeError);
      expect(() => loose(random.PRNGKey)(bad), String(bad)).toThrow("PRNG key seed must be an integer");
    }
    expect(() => random.key(zeros([2], "int32"))).toThrow("key accepts a scalar seed, but was given an array");
    expect(() => random.key(np.array(1.5))).toThrow(DTypeError);
  });

  it("impl and dtype: only threefry2x32, and not both", () => {
    expect(words(random.key(3, { impl: "threefry2x32" }))).toEqual([0, 3]);
    expect(() => loose(random.key)(3, { impl: "rbg" })).toThrow('option "impl" must be one of "threefry2x32"');
    expect(() => random.key(3, { impl: "threefry2x32", dtype: "threefry2x32" })).toThrow(
      /Cannot specify both `impl` and `dtype`/,
    );
    expect(() => loose(random.PRNGKey)(3, { dtype: "threefry2x32" })).toThrow(/unknown option "dtype"/);
  });

  it("foldIn: 32-bit data, wrapping negatives; beyond 2^32 an error", () => {
    expect(words(random.foldIn(key, -1))).toEqual(words(random.foldIn(key, 2 ** 32 - 1)));
    expect(words(random.foldIn(key, 2 ** 32 - 1))).not.toEqual(words(random.foldIn(key, 2 ** 32 - 2)));
    expect(() => random.foldIn(key, 2 ** 32)).toThrow(DTypeError);
    expect(() => random.foldIn(key, np.array([1, 2], "int32"))).toThrow("fold_in accepts a scalar");
    expect(() => random.foldIn(key, np.array(1.0))).toThrow(DTypeError);
  });
});

describe("random: keys, shapes, dtypes, parameters", () => {
  it("a key must be a uint32[2] array", () => {
    expect(() => random.uniform(zeros([2], "int32"))).toThrow(DTypeError);
    expect(() => random.uniform(zeros([3], "uint32"))).toThrow(
      "[random.uniform] a key must be a uint32 array of shape [2]: got u32[3]",
    );
    expect(() => random.uniform(zeros([], "uint32"))).toThrow(ShapeError);
    expect(() => random.normal(random.split(key, 2))).toThrow("normal accepts a single key, but was given a key array");
    expect(() => loose(random.split)([0, 0])).toThrow("got array [0,0], expected u32[2]");
  });

  it("keyData takes a key or an array of keys", () => {
    const keys = random.split(key, [2, 3]);
    expect(random.keyData(keys)).toBe(keys);
    expect(() => random.keyData(np.array([1, 2]))).toThrow(DTypeError);
  });

  it("shapes are arrays of non-negative integers with fewer than 2^32 values", () => {
    expect(() => random.uniform(key, [2, 1.5])).toThrow(ShapeError);
    expect(() => random.normal(key, [NaN])).toThrow("[random.normal] invalid shape: got array");
    expect(() => loose(random.normal)(key, 3)).toThrow("Write the shape as a list: [3]");
    expect(() => random.uniform(key, [1e5, 1e5])).toThrow("[random.uniform] too many values in one draw");
    expect(() => random.permutation(key, 2 ** 40)).toThrow("[random.permutation] too many values in one draw");
    expect(() => random.split(key, 2 ** 33)).toThrow(ShapeError);
  });

  it("0-size draws", () => {
    expect(random.uniform(key, [0]).shape).toEqual([0]);
    expect(random.normal(key, [2, 0]).shape).toEqual([2, 0]);
    expect(random.randint(key, [0, 3], 0, 5).shape).toEqual([0, 3]);
    expect(random.bernoulli(key, 0.5, [0]).shape).toEqual([0]);
    expect(random.choice(key, 3, [0]).shape).toEqual([0]);
    expect(random.permutation(key, 0).shape).toEqual([0]);
    expect(random.permutation(key, zeros([0, 3])).shape).toEqual([0, 3]);
    expect(random.permutation(key, zeros([2, 0]), 1).shape).toEqual([2, 0]);
  });

  it("dtypes: float samplers refuse integer dtypes, randint float ones (JAX's wording)", () => {
    expect(() => random.uniform(key, [2], "int32")).toThrow(
      "[random.uniform] dtype argument to `uniform` must be a float dtype: got i32",
    );
    expect(() => random.normal(key, [2], "bool")).toThrow(DTypeError);
    expect(() => random.bits(key, [2], "float32")).toThrow("must be an unsigned int dtype");
    expect(() => random.randint(key, [2], 0, 3, "float32")).toThrow("randint only accepts integer dtypes");
    expect(() => loose(random.uniform)(key, [2], "float16")).toThrow(OptionError);
  });

  it("minval/maxval broadcast to the shape, and may not add axes", () => {
    const u = random.uniform(key, [4, 3], { minval: np.array([0, 10, 20]), maxval: np.array([1, 11, 21]) });
    const rows = u.tolist() as number[][];
    for (const r of rows) r.forEach((v, j) => expect(v >= 10 * j && v < 10 * j + 1).toBe(true));
    expect(() => random.uniform(key, [3], { minval: np.array([0, 1]) })).toThrow(ShapeError);
    expect(() => random.uniform(key, [3], { minval: zeros([2, 3]) })).toThrow(
      "parameter shapes must broadcast to the shape argument",
    );
    expect(() => loose(random.uniform)(key, [2], null, "a")).toThrow('option "minval" must be an Array');
  });

  it("randint: bounds are int32 (uint32 above 2^31 - 1); beyond, NaN or ±Infinity an error", () => {
    const v = random.randint(key, [50], 2 ** 31, 2 ** 32 - 1, "uint32").dataSync();
    for (const x of v) expect(x >= 2 ** 31 && x < 2 ** 32 - 1).toBe(true);
    expect(() => random.randint(key, [3], 0, 1e10)).toThrow("[random.randint] maxval too large to convert");
    expect(() => random.randint(key, [3], NaN, 3)).toThrow(DTypeError);
    expect(() => loose(random.randint)(key, [3], "0", 3)).toThrow("[random.randint] minval must be an array");
  });

  it("array arguments are checked with the function's name", () => {
    expect(() => loose(random.categorical)(key, "logits")).toThrow("[random.categorical] logits must be an array");
    expect(() => loose(random.truncatedNormal)(key, {}, 1)).toThrow("[random.truncatedNormal] lower must be an array");
    expect(() => loose(random.permutation)(key, "abc")).toThrow(ArgumentTypeError);
    expect(() => random.categorical(key, [0.1, 0.2], 3)).toThrow(AxisError);
    expect(() => random.choice(key, [[1, 2]], [1], true, null, 2)).toThrow(AxisError);
  });
});

describe("random: fuzz — every bad input is a typed error", () => {
  const badKeys: unknown[] = [undefined, null, 0, "k", {}, [0, 1], NaN, 1n, Symbol("s")];
  const badShapes: unknown[] = [-1, [-1], [1.5], [NaN], [Infinity], "3", [[2]], ["2"], [2n], [true], [1e6, 1e6]];
  const badValues: unknown[] = [NaN, Infinity, "a", [], [[1], [1, 2]], null, true, 1e40, 2 ** 40, 1n, Symbol("s")];
  const typed = (name: string, f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e, `${name}: ${(e as Error).message}`).toBeInstanceOf(CotangentError);
    }
  };
  const R = random as unknown as Record<string, Loose>;
  const samplers = ["split", "bits", "uniform", "normal", "exponential", "gumbel"];

  it("bad keys", () => {
    const badArrayKeys = [np.array([0, 1]), zeros([3], "uint32"), zeros([2, 2], "uint32")];
    for (const k of [...badKeys, ...badArrayKeys]) {
      for (const f of samplers) expect(() => R[f](k), `${f}(${String(k)})`).toThrow(CotangentError);
      expect(() => R.foldIn(k, 1)).toThrow(CotangentError);
      expect(() => R.randint(k, [2], 0, 3)).toThrow(CotangentError);
      expect(() => R.permutation(k, 3)).toThrow(CotangentError);
      expect(() => R.choice(k, 3)).toThrow(CotangentError);
      expect(() => R.categorical(k, [0.1, 0.2])).toThrow(CotangentError);
      expect(() => R.bernoulli(k)).toThrow(CotangentError);
      expect(() => R.truncatedNormal(k, 0, 1)).toThrow(CotangentError);
    }
  });

  it("bad shapes", () => {
    for (const s of badShapes) {
      for (const f of samplers) expect(() => R[f](key, s), `${f}(${String(s)})`).toThrow(CotangentError);
      expect(() => R.randint(key, s, 0, 3)).toThrow(CotangentError);
      expect(() => R.choice(key, 3, s)).toThrow(CotangentError);
      expect(() => R.bernoulli(key, 0.5, s)).toThrow(CotangentError);
      expect(() => R.categorical(key, [0.1, 0.2], -1, s)).toThrow(CotangentError);
      expect(() => R.truncatedNormal(key, 0, 1, s)).toThrow(CotangentError);
    }
  });

  it("bad dtypes", () => {
    for (const d of ["int32", "bool", "bogus", 5]) {
      for (const f of ["uniform", "normal", "exponential", "gumbel"])
        expect(() => R[f](key, [2], d)).toThrow(CotangentError);
      expect(() => R.truncatedNormal(key, 0, 1, [2], d)).toThrow(CotangentError);
    }
    for (const d of ["float32", "bool", "bogus"]) {
      expect(() => R.randint(key, [2], 0, 3, d)).toThrow(CotangentError);
      expect(() => R.bits(key, [2], d)).toThrow(CotangentError);
    }
  });

  it("bad values never crash untyped", () => {
    for (const v of [...badValues, zeros([0]), zeros([2, 3]), np.array(1, "int32")]) {
      const s = String(typeof v === "symbol" ? "symbol" : v);
      typed(`PRNGKey ${s}`, () => R.PRNGKey(v));
      typed(`foldIn ${s}`, () => R.foldIn(key, v));
      typed(`split ${s}`, () => R.split(key, v));
      typed(`uniform ${s}`, () => R.uniform(key, [2], null, v, v));
      typed(`randint ${s}`, () => R.randint(key, [2], v, 5));
      typed(`truncatedNormal ${s}`, () => R.truncatedNormal(key, v, 1));
      typed(`bernoulli ${s}`, () => R.bernoulli(key, v));
      typed(`categorical ${s}`, () => R.categorical(key, v));
      typed(`categorical axis ${s}`, () => R.categorical(key, [[0.1, 0.2]], v));
      typed(`choice ${s}`, () => R.choice(key, v, [2]));
      typed(`choice p ${s}`, () => R.choice(key, 3, [2], true, v));
      typed(`permutation ${s}`, () => R.permutation(key, v));
      typed(`permutation axis ${s}`, () => R.permutation(key, [[1, 2]], v));
      typed(`gumbel mode ${s}`, () => R.gumbel(key, [2], null, v));
    }
  });
});

describe("tree: JAX's functions, options and structures", () => {
  const t = { b: [1, 2], a: 3 };
  const isPair = (x: unknown) => Array.isArray(x) && x.length === 2;

  it("isLeaf positionally or as { isLeaf }; tree.map's is keyword-only", () => {
    expect(tree.leaves(t, isPair)).toEqual([3, [1, 2]]);
    expect(tree.leaves(t, { isLeaf: isPair })).toEqual([3, [1, 2]]);
    expect(tree.structure(t, { isLeaf: isPair }).toString()).toBe("PyTreeDef({'a': *, 'b': *})");
    expect(tree.map((x: unknown) => [x], t, { isLeaf: isPair })).toEqual({ a: [3], b: [[1, 2]] });
    expect(() => loose(tree.flatten)(t, { isleaf: isPair })).toThrow('Did you mean "isLeaf"?');
    expect(() => loose(tree.leaves)(t, 5)).toThrow('[tree.leaves] option "isLeaf" must be a function or null');
  });

  it("tree.map: further trees are data; a trailing object is options only when all its keys are", () => {
    expect(tree.map((a: number, b: number) => a + b, { x: 1 }, { x: 2 })).toEqual({ x: 3 });
    const f = (a: unknown) => a;
    expect(() => tree.map(f, t, { is_leaf: isPair })).toThrow(TreeMismatchError);
    expect(() => tree.map(f, t, { is_leaf: isPair })).toThrow(
      "A trailing object is taken as options only when all its keys are options: isLeaf.",
    );
    // Empty trees are data too.
    expect(() => tree.map(f, [1], {})).toThrow(TreeMismatchError);
    expect(() => loose(tree.map)(5, [1])).toThrow("[tree.map] f must be a function");
  });

  it("tree.map: further trees may go deeper where the first has leaves (JAX's flatten_up_to)", () => {
    expect(tree.map((a: unknown, b: unknown) => [a, b], [1, 2], [[3, 4], 5])).toEqual([
      [1, [3, 4]],
      [2, 5],
    ]);
    expect(() => tree.map((a: unknown) => a, [[3, 4], 5], [1, 2])).toThrow(
      "got PyTreeDef([*, *]), expected PyTreeDef([[*, *], *])",
    );
  });

  it("reduce, all, transpose", () => {
    expect(tree.reduce((a: number, b: number) => a + b, [1, { x: 2, y: [3] }])).toBe(6);
    expect(tree.reduce((a: number, b: number) => a + b, [1, 2], 10)).toBe(13);
    expect(tree.reduce((n: number) => n + 1, [[1, 2], 3, 4], { initializer: 0, isLeaf: isPair })).toBe(3);
    expect(tree.reduce((a: object, b: number) => ({ ...a, [b]: b }), [1, 2], { initializer: {} })).toEqual({
      1: 1,
      2: 2,
    });
    expect(() => tree.reduce((a: number) => a, [])).toThrow("reduce() of empty iterable with no initial value");
    expect(tree.all([true, { a: 1, b: np.array(2) }])).toBe(true);
    expect(tree.all([true, { a: 0 }])).toBe(false);
    expect(tree.all([])).toBe(true);
    expect(() => tree.all([np.array([1, 2])])).toThrow("The truth value of an array with more than one element");
    const outer = tree.structure([0, 0]);
    const inner = tree.structure({ a: 0, b: 0 });
    const pairs = [
      { a: 1, b: 2 },
      { a: 3, b: 4 },
    ];
    expect(tree.transpose(outer, inner, pairs)).toEqual({ a: [1, 3], b: [2, 4] });
    expect(tree.transpose(outer, null, pairs)).toEqual({ a: [1, 3], b: [2, 4] });
    expect(() => tree.transpose(outer, inner, [{ a: 1 }, { a: 3, b: 4 }])).toThrow(TreeMismatchError);
    expect(() => loose(tree.transpose)(null, inner, pairs)).toThrow("outer_treedef must be a TreeDef");
  });

  it("registerNode: JAX's (cls, flatten, unflatten) form too; bad registrations are typed", () => {
    class Pair {
      constructor(
        readonly l: unknown,
        readonly r: unknown,
      ) {}
    }
    tree.registerNode(
      Pair,
      (p: Pair) => [[p.l, p.r], "pair"],
      (_aux: string, [l, r]: unknown[]) => new Pair(l, r),
    );
    const m = tree.map((x: number) => x * 2, new Pair(1, [2]));
    expect(m).toBeInstanceOf(Pair);
    expect([m.l, m.r]).toEqual([2, [4]]);
    expect(() => loose(tree.registerNode)(Object, { flatten: () => [[], null], unflatten: () => ({}) })).toThrow(
      "[tree.registerNode] the node type must be a class",
    );
    expect(() => loose(tree.registerNode)(Pair, { flatten: 1 })).toThrow(ArgumentTypeError);
    class Bad {}
    tree.registerNode(Bad, { flatten: () => 5 as unknown as [unknown[], null], unflatten: () => new Bad() });
    expect(() => tree.leaves([new Bad()])).toThrow(
      "the flatten function registered for Bad must return [children, aux]",
    );
  });

  it("unflatten checks its arguments and takes any iterable of leaves", () => {
    const def = tree.structure([0, [0]]);
    expect(tree.unflatten(def, new Set([1, 2]))).toEqual([1, [2]]);
    expect(() => loose(tree.unflatten)("def", [1, 2])).toThrow("[tree.unflatten] treedef must be a TreeDef");
    expect(() => loose(tree.unflatten)(def, 5)).toThrow("[tree.unflatten] leaves must be an array");
  });
});

describe("tree: JS values that break naive walks", () => {
  it('own "__proto__" keys (JSON.parse) round-trip as own data properties of plain objects', () => {
    const t = JSON.parse('{"__proto__": {"x": 1}, "b": [2]}') as Record<string, unknown>;
    const [leaves, def] = tree.flatten(t);
    expect(leaves).toEqual([1, 2]);
    expect(def.toString()).toBe("PyTreeDef({'__proto__': {'x': *}, 'b': [*]})");
    for (const out of [
      tree.unflatten(def, [10, 20]) as Record<string, unknown>,
      tree.map((v: number) => v * 10, t) as Record<string, unknown>,
    ]) {
      expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
      expect(Object.hasOwn(out, "__proto__")).toBe(true);
      expect(Object.keys(out)).toEqual(["__proto__", "b"]);
      expect(JSON.stringify(out)).toBe('{"__proto__":{"x":10},"b":[20]}');
      expect((out as { x?: unknown }).x).toBeUndefined();
    }
  });

  it("cycles are typed errors (no hang, no stack overflow), naming where", () => {
    const o: Record<string, unknown> = { a: 1 };
    o.self = { inner: o };
    expect(() => tree.leaves(o)).toThrow(ArgumentTypeError);
    expect(() => tree.leaves(o)).toThrow(
      '[tree.leaves] a pytree cannot contain itself: got a cycle (the node at ["self"]["inner"]',
    );
    const xs: unknown[] = [1];
    xs.push(xs);
    expect(() => tree.map((x: number) => x, xs)).toThrow("[tree.map] a pytree cannot contain itself");
    // The same object twice (not a cycle) is fine.
    const shared = { v: 1 };
    expect(tree.leaves([shared, shared])).toEqual([1, 1]);
    // isLeaf stops the descent before the cycle.
    expect(tree.leaves(o, (x) => x === o.self)).toEqual([1, o.self]);
  });

  it("a tree deeper than the stack is a typed error", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200000; i++) deep = [deep];
    expect(() => tree.leaves(deep)).toThrow("[tree.leaves] the pytree is nested too deeply");
  });

  it("class instances, Maps, Dates, symbols and bigints are leaves", () => {
    class Opaque {
      constructor(readonly v = [1, 2]) {}
    }
    const items = [new Opaque(), new Map([[1, 2]]), new Date(0), Symbol.for("s"), 3n, "text"];
    expect(tree.leaves(items)).toEqual(items);
    expect(tree.map((x: unknown) => typeof x, items)).toEqual([
      "object",
      "object",
      "object",
      "symbol",
      "bigint",
      "string",
    ]);
  });

  it("undefined stays undefined and null stays null; holes are None", () => {
    const out = tree.map((x: number) => x + 1, { a: undefined, b: null, c: 1 });
    expect(Object.hasOwn(out, "a")).toBe(true);
    expect(out).toStrictEqual({ a: undefined, b: null, c: 2 });
    // eslint-disable-next-line no-sparse-arrays
    const holes = [, 1];
    expect(tree.structure(holes).toString()).toBe("PyTreeDef([None, *])");
    expect(tree.structure(undefined).equals(tree.structure(null))).toBe(true);
  });

  it("fuzz: bad trees and arguments are typed errors", () => {
    const bad: unknown[] = [NaN, "x", null, undefined, {}, [], 5, Symbol("s"), 1n];
    for (const v of bad) {
      for (const f of [
        () => loose(tree.unflatten)(v, []),
        () => loose(tree.map)(v, [1]),
        () => loose(tree.reduce)(v, [1]),
        () => loose(tree.transpose)(v, null, [1]),
        () => loose(tree.registerNode)(v, v),
        () => loose(tree.flatten)([1], v),
      ]) {
        try {
          f();
        } catch (e) {
          expect(e, String(typeof v === "symbol" ? "symbol" : v)).toBeInstanceOf(CotangentError);
        }
      }
    }
  });
});

describe("tree.map's types", () => {
  it("arrays to arrays keeps the tree's type; other results keep its shape", () => {
    const params = { w: np.array([1, 2]), b: [np.array([3])], meta: { scale: np.array(2) } };
    const doubled = tree.map((x: NdArray) => x.mul(2), params);
    expectTypeOf(doubled).toEqualTypeOf<typeof params>();
    expect(doubled.b[0].tolist()).toEqual([6]);
    const shapes = tree.map((x: NdArray) => x.shape, params);
    expectTypeOf(shapes).toEqualTypeOf<{ w: number[]; b: number[][]; meta: { scale: number[] } }>();
    expect(shapes).toEqual({ w: [2], b: [[1]], meta: { scale: [] } });
    const pair = tree.map((x: number) => String(x), [1, [2, null]] as [number, [number, null]]);
    expectTypeOf(pair).toEqualTypeOf<[string, [string, null]]>();
    expect(pair).toEqual(["1", ["2", null]]);
  });
});
