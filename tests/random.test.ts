/**
 * `random`: JAX's jax.random bit for bit. Golden values from JAX 0.11.2 (tests/data/jax-golden.json, cases
 * random.key.* and random.draws.*), JAX 0.11.1 outputs recorded in public notes (permutation, choice, normal),
 * the Random123 known-answer vectors of Threefry-2x32, reconstructions of the bit layout from the block cipher,
 * statistical properties, agreement under vmap and jit, and argument errors.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  config,
  DTypeError,
  grad,
  jit,
  numpy as np,
  random,
  ShapeError,
  vmap,
  type Array as NdArray,
} from "../src/index.js";
import { threefry2x32 } from "../src/primitives/threefry.js";
import { threefryBlock } from "../src/backends/cpu/threefry.js";
import { erfInvF32, fmaF32 } from "../src/kernel/special-f32.js";
import { erf, erfInv } from "../src/kernel/special.js";
import { decodeData, loadGolden, type Encoded } from "./helpers/golden.js";

const values = (a: NdArray): number[] => Array.from(a.dataSync() as ArrayLike<number>);
const u32 = (v: number): NdArray => np.asarray([v], "uint32").reshape([]);
const golden = new Map(loadGolden().cases.map((c) => [c.id, c]));

/** Same shape, dtype and values, compared exactly (every value here is produced bit for bit). */
function expectExact(label: string, got: NdArray, want: Encoded): void {
  expect(got.shape, `${label}: shape`).toEqual(want.shape);
  expect(got.dtype, `${label}: dtype`).toBe(want.dtype);
  expect(values(got), `${label}: values`).toEqual(decodeData(want));
}

/** The block (y0, y1) = threefry2x32(key, (0, i)) of counter i, from the scalar cipher. */
function block(key: NdArray, i: number): [number, number] {
  const [k0, k1] = values(key);
  const out = new Uint32Array(2);
  threefryBlock(k0, k1, 0, i, out);
  return [out[0], out[1]];
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
};

afterEach(() => config.update("enableX64", false));

describe("threefry2x32 primitive", () => {
  // Known-answer vectors of the reference implementation (Random123's test_threefry.cpp, as JAX's testThreefry2x32).
  const vectors: [number[], number[], number[]][] = [
    [
      [0, 0],
      [0, 0],
      [0x6b200159, 0x99ba4efe],
    ],
    [
      [0xffffffff, 0xffffffff],
      [0xffffffff, 0xffffffff],
      [0x1cb996fc, 0xbb002be7],
    ],
    [
      [0x13198a2e, 0x03707344],
      [0x243f6a88, 0x85a308d3],
      [0xc4923a9c, 0x483df7a0],
    ],
  ];
  it.each(vectors)("key %j, counter %j", (k, x, want) => {
    const [y0, y1] = threefry2x32(u32(k[0]), u32(k[1]), u32(x[0]), u32(x[1]));
    expect([y0.item(), y1.item()]).toEqual(want);
  });

  it("broadcasts its operands like an elementwise primitive", () => {
    const x1 = np.asarray([0x243f6a88, 0, 0xffffffff], "uint32");
    const [y0, y1] = threefry2x32(u32(0x13198a2e), u32(0x03707344), u32(0x243f6a88), x1);
    expect(y0.shape).toEqual([3]);
    const out = new Uint32Array(2);
    [0x243f6a88, 0, 0xffffffff].forEach((v, i) => {
      threefryBlock(0x13198a2e, 0x03707344, 0x243f6a88, v, out);
      expect([values(y0)[i], values(y1)[i]]).toEqual([out[0], out[1]]);
    });
  });

  it("rejects operands that are not uint32", () => {
    expect(() => threefry2x32(u32(0), u32(0), np.zeros([2]), u32(0))).toThrow(DTypeError);
  });
});

describe("golden values (JAX 0.11.2, jax_threefry_partitionable=True)", () => {
  it.each([1, 2023])("keys of seed %i: PRNGKey, split, split(3), foldIn(7)", (seed) => {
    const [k, s2, s3, folded] = golden.get(`random.key.${seed}`)!.outputs as Encoded[];
    const key = random.PRNGKey(seed);
    expectExact("PRNGKey", key, k);
    expectExact("key", random.key(seed), k);
    expectExact("split", random.split(key), s2);
    expectExact("split(3)", random.split(key, 3), s3);
    expectExact("foldIn(7)", random.foldIn(key, 7), folded);
  });

  // The case has no note; these calls reproduce every output bit for bit (found by trying candidates):
  // key = PRNGKey(seed); k1, k2 = split(key)
  // [normal(key, (5,)), uniform(key, (5,)), normal(k1, (2, 3)), uniform(k2, (4,), minval=-1, maxval=3),
  //  randint(key, (6,), 0, 10), bernoulli(key, 0.3, (8,)).astype(int32)]
  // Tolerance 0: uniform is bit manipulation plus exact arithmetic, and normal's erf_inv follows XLA's float32
  // algorithm (Giles' polynomial with FMA-contracted Horner steps), which reproduces JAX's float32 draws exactly.
  it.each([1, 2023])("draws of seed %i", (seed) => {
    const want = golden.get(`random.draws.${seed}`)!.outputs as Encoded[];
    const key = random.PRNGKey(seed);
    const keys = random.split(key);
    const [k1, k2] = [keys.get(0), keys.get(1)];
    expectExact("normal(key, [5])", random.normal(key, [5]), want[0]);
    expectExact("uniform(key, [5])", random.uniform(key, [5]), want[1]);
    expectExact("normal(k1, [2, 3])", random.normal(k1, [2, 3]), want[2]);
    expectExact("uniform(k2, [4], -1, 3)", random.uniform(k2, [4], { minval: -1, maxval: 3 }), want[3]);
    expectExact("randint(key, [6], 0, 10)", random.randint(key, [6], 0, 10), want[4]);
    expectExact("bernoulli(key, 0.3, [8])", random.bernoulli(key, 0.3, [8]).astype("int32"), want[5]);
  });
});

describe("JAX 0.11.1 outputs recorded in public notes and test files", () => {
  // numpy prints a float32 with the fewest digits that identify it when at most 8 fractional digits do (then
  // Math.fround of the printed decimal is that float32 exactly), and otherwise rounds it to 8 fractional digits
  // (then it is within 5e-9 of the float32): each printed value pins down the float32 JAX returned.
  const expectPrinted = (got: NdArray, printed: number[]) => {
    const g = values(got);
    expect(g.length).toBe(printed.length);
    g.forEach((v, i) => {
      const ok = Math.fround(printed[i]) === v || Math.abs(v - printed[i]) <= 5e-9;
      expect(ok, `[${i}] got ${v}, printed ${printed[i]}`).toBe(true);
    });
  };

  it("split(key(42)) and uniform(key(0), (3,))", () => {
    expect(random.split(random.key(42)).tolist()).toEqual([
      [1832780943, 270669613],
      [64467757, 2916123636],
    ]);
    expectPrinted(random.uniform(random.key(0), [3]), [0.947667, 0.9785799, 0.33229148]);
  });

  it("normal(key(0), (3, 8))", () => {
    const want = [
      [1.6226422, 2.0252647, -0.43359444, -0.07861735, 0.1760909, -0.97208923, -0.49529874, 0.4943786],
      [0.6643493, -0.9501635, 2.1795304, -1.9551506, 0.35857072, 0.15779513, 1.2770847, 1.5104648],
      [0.970656, 0.59960806, 0.0247007, -1.9164772, -1.8593491, 1.728144, 0.04719035, 0.814128],
    ];
    expectPrinted(random.normal(random.key(0), [3, 8]), want.flat());
  });

  it("choice(key(2), [10, 20, 30, 40], (3,)) and permutation(key(3), arange(5))", () => {
    expect(values(random.choice(random.key(2), np.asarray([10, 20, 30, 40], "int32"), [3]))).toEqual([40, 10, 20]);
    expect(values(random.permutation(random.key(3), np.arange(5)))).toEqual([0, 4, 2, 1, 3]);
    expect(values(random.permutation(random.key(3), 5))).toEqual([0, 4, 2, 1, 3]);
  });
});

describe("bit layout", () => {
  const key = random.key(42);

  it("split(key, shape) is threefry2x32(key, (0, i)) for row-major i", () => {
    const keys = random.split(key, [2, 3]);
    expect(keys.shape).toEqual([2, 3, 2]);
    const want = Array.from({ length: 6 }, (_, i) => block(key, i)).flat();
    expect(values(keys)).toEqual(want);
  });

  it("foldIn(key, i) equals split(key, n)[i] (the partitionable layout's symmetry, as JAX tests)", () => {
    const keys = random.split(key, 3);
    for (let i = 0; i < 3; i++) expect(values(random.foldIn(key, i))).toEqual(values(keys.get(i)));
    // ... also with the data batched by vmap (JAX's test_threefry_split_vmapped_fold_in_symmetry).
    const folded = vmap((d: NdArray) => random.foldIn(key, d))(np.asarray([0, 1, 2], "int32"));
    expect(values(folded)).toEqual(values(keys));
  });

  it("bits are y0 ^ y1 and float32 uniforms their top 23 bits", () => {
    const b = values(random.bits(key, [3, 7]));
    const u = values(random.uniform(key, [3, 7]));
    for (let i = 0; i < 21; i++) {
      const [y0, y1] = block(key, i);
      expect(b[i]).toBe((y0 ^ y1) >>> 0);
      expect(u[i]).toBe(((y0 ^ y1) >>> 9) / 2 ** 23);
    }
  });

  it("float64 uniforms (enableX64) are the top 52 of the 64 bits (y0 high, y1 low)", () => {
    config.update("enableX64", true);
    const u = random.uniform(key, [5]);
    expect(u.dtype).toBe("float64");
    values(u).forEach((v, i) => {
      const [y0, y1] = block(key, i);
      expect(v).toBe((y0 * 2 ** 20 + Math.floor(y1 / 2 ** 12)) / 2 ** 52);
    });
  });

  it("seeds: without enableX64 an int32 seed (high word 0), with it an int64 one", () => {
    expect(values(random.PRNGKey(-1))).toEqual([0, 0xffffffff]);
    expect(values(random.PRNGKey(2 ** 32 + 5))).toEqual([0, 5]);
    expect(values(random.PRNGKey(np.asarray([7], "int32").reshape([])))).toEqual([0, 7]);
    config.update("enableX64", true);
    expect(values(random.PRNGKey(-1))).toEqual([0xffffffff, 0xffffffff]);
    expect(values(random.PRNGKey(2 ** 32 + 5))).toEqual([1, 5]);
  });
});

describe("float32 kernels after XLA", () => {
  it("fmaF32 rounds a·b + c once", () => {
    // a·b = 32 - 2^-41 and c = 2^29 + 64: a·b + c lies just below the float32 midpoint 2^29 + 96, so it rounds
    // down to 2^29 + 64; the float64 sum rounds onto the midpoint first and a second rounding (to even) goes up.
    const [a, b, c] = [32 * (1 + 2 ** -23), 1 - 2 ** -23, 2 ** 29 + 64];
    expect(fmaF32(a, b, c)).toBe(2 ** 29 + 64);
    expect(Math.fround(a * b + c)).toBe(2 ** 29 + 128);
    expect(fmaF32(1.5, 2, 0.25)).toBe(3.25);
  });

  it("erfInvF32 is close to erf⁻¹, with ±∞ at ±1 and NaN outside", () => {
    // Giles' float32 approximation: relative error ≤ 1e-6 for |x| ≤ 0.99 (w < 5 branch, measured 3e-7); near ±1
    // the float32 rounding of x² in w = -log1p(-x²) dominates, ≤ 2e-5 relative (measured 6e-6 at 1 - 1.7e-4).
    for (let i = -99; i <= 99; i++) {
      const x = Math.fround(i / 100);
      expect(Math.abs(erfInvF32(x) - erfInv(x))).toBeLessThanOrEqual(1e-6 * Math.abs(erfInv(x)) + 1e-30);
    }
    for (let k = 7; k < 24; k++) {
      const x = Math.fround(1 - 2 ** -k);
      expect(Math.abs(erfInvF32(x) - erfInv(x))).toBeLessThanOrEqual(2e-5 * erfInv(x));
    }
    expect(erfInvF32(1)).toBe(Infinity);
    expect(erfInvF32(-1)).toBe(-Infinity);
    expect(erfInvF32(1.5)).toBeNaN();
  });
});

describe("distributions (10^5 draws)", () => {
  // The draws are deterministic; the tolerances are 5 standard errors, so a correct sampler passes for all but
  // a ~6e-7 fraction of keys. Standard errors: mean σ/√n, standard deviation ≈ σ/√(2n), frequency √(p(1-p)/n).
  const n = 100_000;
  const key = random.key(7);
  const se = (sigma: number): number => (5 * sigma) / Math.sqrt(n);

  it("uniform lies in [minval, maxval) with mean (a+b)/2", () => {
    const u = values(random.uniform(key, [n], { minval: -2, maxval: 3 }));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(3);
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(se(5 / Math.sqrt(12)));
  });

  it("normal has mean 0 and standard deviation 1", () => {
    const z = values(random.normal(key, [n]));
    expect(Math.abs(mean(z))).toBeLessThan(se(1));
    expect(Math.abs(std(z) - 1)).toBeLessThan(se(1 / Math.sqrt(2)));
  });

  it("truncatedNormal stays in (lower, upper) with the truncated mean", () => {
    const [a, b] = [-1, 3];
    const t = values(random.truncatedNormal(key, a, b, [n]));
    expect(Math.min(...t)).toBeGreaterThan(a);
    expect(Math.max(...t)).toBeLessThan(b);
    // Mean (φ(a) - φ(b))/Z, variance 1 + (aφ(a) - bφ(b))/Z - mean², Z = Φ(b) - Φ(a).
    const phi = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
    const Z = (erf(b / Math.SQRT2) - erf(a / Math.SQRT2)) / 2;
    const m = (phi(a) - phi(b)) / Z;
    const sd = Math.sqrt(1 + (a * phi(a) - b * phi(b)) / Z - m * m);
    expect(Math.abs(mean(t) - m)).toBeLessThan(se(sd));
  });

  it("exponential has mean 1; gumbel has mean γ and standard deviation π/√6", () => {
    expect(Math.abs(mean(values(random.exponential(key, [n]))) - 1)).toBeLessThan(se(1));
    const gammaEuler = 0.5772156649015329;
    for (const mode of ["low", "high"] as const) {
      const g = values(random.gumbel(key, [n], { mode }));
      expect(Math.abs(mean(g) - gammaEuler)).toBeLessThan(se(Math.PI / Math.sqrt(6)));
      // The sample standard deviation has standard error √((κ - 1)/4n)·σ, κ = 5.4 for the Gumbel: 1.35/√n.
      expect(Math.abs(std(g) - Math.PI / Math.sqrt(6))).toBeLessThan(se(1.35));
    }
  });

  it("randint covers [minval, maxval) evenly, also for negative and per-element bounds", () => {
    const r = values(random.randint(key, [n], -3, 7));
    expect(r.every((v) => Number.isInteger(v) && v >= -3 && v < 7)).toBe(true);
    for (let v = -3; v < 7; v++) expect(Math.abs(r.filter((x) => x === v).length / n - 0.1)).toBeLessThan(se(0.3));
    const lo = np.asarray([0, 10, 100], "int32");
    const per = random.randint(key, [1000, 3], lo, lo.add(5));
    expect(per.dtype).toBe("int32");
    const cols = values(per);
    cols.forEach((v, i) => expect(v - [0, 10, 100][i % 3]).toBeGreaterThanOrEqual(0));
    cols.forEach((v, i) => expect(v - [0, 10, 100][i % 3]).toBeLessThan(5));
    // An empty range gives minval, as JAX.
    expect(values(random.randint(key, [4], 5, 5))).toEqual([5, 5, 5, 5]);
    const big = values(random.randint(key, [8], -(2 ** 31), 2 ** 31 - 1, "int32"));
    expect(big.every((v) => v >= -(2 ** 31) && v < 2 ** 31 - 1)).toBe(true);
  });

  it("bernoulli and categorical hit their probabilities", () => {
    const b = values(random.bernoulli(key, 0.3, [n]));
    expect(Math.abs(mean(b) - 0.3)).toBeLessThan(se(Math.sqrt(0.21)));
    const probs = [0.1, 0.2, 0.7];
    const c = values(random.categorical(key, np.log(np.asarray(probs)), { shape: [n] }));
    probs.forEach((p, k) =>
      expect(Math.abs(c.filter((v) => v === k).length / n - p)).toBeLessThan(se(Math.sqrt(p * (1 - p)))),
    );
  });

  it("categorical without replacement draws distinct categories per distribution", () => {
    const logits = np.asarray([
      [0, 1, 2, 3, 4],
      [4, 3, 2, 1, 0],
    ]);
    const draws = random.categorical(key, logits, { shape: [5, 2], replace: false });
    expect(draws.shape).toEqual([5, 2]);
    const cols = draws.T.tolist() as number[][];
    for (const col of cols) expect([...col].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("choice with probabilities follows p and never picks a zero-probability entry", () => {
    const c = values(random.choice(key, np.asarray([10, 20, 30], "int32"), [n], true, np.asarray([0.25, 0, 0.75])));
    expect(c.includes(20)).toBe(false);
    expect(Math.abs(c.filter((v) => v === 10).length / n - 0.25)).toBeLessThan(se(Math.sqrt(0.25 * 0.75)));
    const distinct = values(
      random.choice(key, 6, [4], { replace: false, p: np.asarray([0.1, 0.1, 0.2, 0.2, 0.2, 0.2]) }),
    );
    expect(new Set(distinct).size).toBe(4);
  });
});

describe("permutation and choice", () => {
  const key = random.key(3);

  it.each([1, 8, 100, 2000])("permutation(key, %i) is a permutation of arange(n)", (m) => {
    // 2000 > 1625 takes two sort rounds (⌈3 ln n / ln(2^32 - 1)⌉ = 2).
    const p = random.permutation(key, m);
    expect(p.dtype).toBe("int32");
    expect([...values(p)].sort((a, b) => a - b)).toEqual(Array.from({ length: m }, (_, i) => i));
  });

  it("permutes arrays along an axis, together or independently", () => {
    const x = np.arange(12).reshape([3, 4]);
    const rows = random.permutation(key, x, { axis: 1 }).tolist() as number[][];
    const order = rows[0].map((v) => v % 4);
    rows.forEach((r, i) => expect(r).toEqual(order.map((j) => 4 * i + j)));
    const indep = random.permutation(key, x, 1, true).tolist() as number[][];
    indep.forEach((r, i) => expect([...r].sort((a, b) => a - b)).toEqual([0, 1, 2, 3].map((j) => 4 * i + j)));
  });

  it("each of the 6 permutations of 3 items is equally likely (6000 keys, vmap)", () => {
    const perms = vmap((k: NdArray) => random.permutation(k, 3))(random.split(key, 6000)).tolist() as number[][];
    const counts = new Map<string, number>();
    for (const p of perms) counts.set(p.join(), (counts.get(p.join()) ?? 0) + 1);
    expect(counts.size).toBe(6);
    // 5 standard errors of a frequency 1/6 over 6000 draws.
    for (const c of counts.values())
      expect(Math.abs(c / 6000 - 1 / 6)).toBeLessThan(5 * Math.sqrt(((1 / 6) * (5 / 6)) / 6000));
  });

  it("choice without replacement gives distinct entries; with an array it takes rows", () => {
    const idx = values(random.choice(key, 50, [20], false));
    expect(new Set(idx).size).toBe(20);
    expect(idx.every((v) => v >= 0 && v < 50)).toBe(true);
    const a = np.arange(10).reshape([5, 2]);
    const rows = random.choice(key, a, [3], { replace: false });
    expect(rows.shape).toEqual([3, 2]);
    for (const [u, v] of rows.tolist() as number[][]) expect(v).toBe(u + 1);
    expect(random.choice(key, a, [2, 4], { axis: 1 }).shape).toEqual([5, 2, 4]);
  });
});

describe("transformations", () => {
  const key = random.key(11);
  const keys = random.split(key, 4);
  const samplers: [string, (k: NdArray) => NdArray][] = [
    ["uniform", (k) => random.uniform(k, [3], { minval: -1, maxval: 2 })],
    ["normal", (k) => random.normal(k, [2, 2])],
    ["randint", (k) => random.randint(k, [5], 0, 100)],
    ["bernoulli", (k) => random.bernoulli(k, 0.4, [6])],
    ["categorical", (k) => random.categorical(k, np.asarray([0.5, 1, 2]), { shape: [4] })],
    ["permutation", (k) => random.permutation(k, 6)],
    ["choice", (k) => random.choice(k, 9, [3], false)],
    ["truncatedNormal", (k) => random.truncatedNormal(k, -0.5, 0.5, [3])],
    ["gumbel", (k) => random.gumbel(k, [3])],
    ["split", (k) => random.split(k, 3)],
    ["foldIn", (k) => random.foldIn(k, 5)],
  ];

  it.each(samplers)("vmap of %s over split keys equals a loop", (_name, f) => {
    const batched = vmap(f)(keys);
    for (let i = 0; i < 4; i++) expect(values(batched.get(i))).toEqual(values(f(keys.get(i))));
  });

  it.each(samplers)("jit of %s equals eager", (_name, f) => {
    expect(values(jit(f)(key))).toEqual(values(f(key)));
  });

  it("jit over the seed and the folded-in data", () => {
    const make = jit((s: NdArray, d: NdArray) => random.foldIn(random.PRNGKey(s), d));
    expect(values(make(np.asarray([5], "int32").reshape([]), np.asarray([9], "int32").reshape([])))).toEqual(
      values(random.foldIn(random.PRNGKey(5), 9)),
    );
  });

  it("grad flows through the bounds; the random bits have no derivative", () => {
    // uniform(maxval=m) = u·m, so d/dm Σ uniform = Σ u (float32 sums of the same five values).
    const u = values(random.uniform(key, [5]));
    const g = grad((m: NdArray) => random.uniform(key, [5], { maxval: m }).sum())(2.0);
    expect(g.item()).toBeCloseTo(
      u.reduce((a, b) => a + b, 0),
      5,
    );
  });
});

describe("argument errors", () => {
  const key = random.key(0);
  it("keys must be uint32[2] arrays", () => {
    expect(() => random.uniform(np.asarray([0, 1]), [2])).toThrow(DTypeError);
    expect(() => random.normal([0, 1] as unknown as NdArray)).toThrow(/random\.normal.*u32\[2\]/);
    expect(() => random.uniform(random.split(key, 3), [2])).toThrow(ShapeError);
    expect(() => random.uniform(random.split(key, 3), [2])).toThrow(/vmap/);
  });

  it("shapes, dtypes and parameter shapes are checked", () => {
    expect(() => random.uniform(key, 5 as unknown as number[])).toThrow(/\[5\]/);
    expect(() => random.uniform(key, [2, -1])).toThrow(ShapeError);
    expect(() => random.uniform(key, [2], { dtype: "int32" })).toThrow(DTypeError);
    expect(() => random.randint(key, [2], 0, 5, "float32" as "int32")).toThrow(DTypeError);
    expect(() => random.uniform(key, [2], { minval: np.zeros([3]) })).toThrow(ShapeError);
    expect(() => random.bernoulli(key, np.asarray([1, 0], "int32"))).toThrow(DTypeError);
    expect(() => random.choice(key, 3, [5], false)).toThrow(ShapeError);
    expect(() => random.choice(key, 3, [2], true, np.asarray([0.5, 0.5]))).toThrow(ShapeError);
    expect(() => random.PRNGKey(1.5)).toThrow(DTypeError);
    expect(() => random.PRNGKey(np.zeros([2], "int32"))).toThrow(ShapeError);
    expect(() => random.foldIn(key, 0.5)).toThrow(DTypeError);
  });
});
