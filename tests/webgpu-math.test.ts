/**
 * The float32 functions of the webgpu backend (wgsl-ops.ts) on dense grids, against float64 references
 * rounded to float32: their error in float32 ulps of the true value, and their special values (NaN, ±∞, ±0,
 * poles). WGSL only bounds exp, log, sin, cos... loosely (see wgsl-ops.ts), so the backend computes them from
 * arithmetic; these bounds are what that arithmetic achieves, measured here on lavapipe, with a margin of 1 ulp.
 * Same adapter and skip rule as tests/webgpu.test.ts (COTANGENT_NO_WEBGPU=1 skips it).
 */
import { describe, expect, it } from "vitest";
import { config, lax, numpy as np, type Array as JaxArray, type DType } from "../src/index.js";
import * as R from "./helpers/reference.js";
import { toGpu } from "./helpers/webgpu-everywhere.js";
import { useWebGpu } from "./helpers/webgpu-everywhere.js";

const SKIP = process.env.COTANGENT_NO_WEBGPU === "1";

/** One float32 ulp at |v| (normal range). */
const ulp = (v: number): number => 2 ** (Math.max(Math.floor(Math.log2(Math.abs(v))), -126) - 23);

/** `n` float32 values evenly spread over [lo, hi], or log-spread when `log` (same sign bounds). */
function grid(lo: number, hi: number, n: number, log = false): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const f = i / (n - 1);
    out.push(
      Math.fround(
        log
          ? Math.sign(lo) * Math.exp(Math.log(Math.abs(lo)) * (1 - f) + Math.log(Math.abs(hi)) * f)
          : lo + (hi - lo) * f,
      ),
    );
  }
  return out;
}

/** The values of `f(xs)` on the GPU, with -0 read as 0 (the sign of zero is not compared). */
async function run(f: (x: JaxArray) => JaxArray, xs: number[]): Promise<number[]> {
  return Array.from((await f(np.array(xs, "float32")).data()) as ArrayLike<number>, (v) => v + 0);
}

/** The worst error over `xs`, in ulps of the reference value, after subtracting an absolute allowance `atol`. */
async function worstUlps(
  f: (x: JaxArray) => JaxArray,
  ref: (x: number) => number,
  xs: number[],
  atol = 0,
): Promise<{ ulps: number; at: number }> {
  const got = await run(f, xs);
  let worst = { ulps: 0, at: NaN };
  xs.forEach((x, i) => {
    const want = ref(x);
    if (!Number.isFinite(want)) return;
    const e = Math.max(0, Math.abs(got[i] - want) - atol) / ulp(want === 0 ? 2 ** -126 : want);
    if (!(e <= worst.ulps)) worst = { ulps: e, at: x };
  });
  return worst;
}

describe.skipIf(SKIP)("webgpu float32 functions", () => {
  useWebGpu("tests/webgpu-math.test.ts");

  const N = 20001;
  /** Reflection references for negative arguments (the helpers' series are for x > 0). */
  const lgammaNeg = (x: number): number => Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - R.lgamma(1 - x);
  const digammaNeg = (x: number): number => R.digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  /**
   * [name, function, float64 reference, grid, bound in ulps, absolute allowance]. The bounds are the measured
   * worst case plus about one ulp. The absolute allowance is for the reflection formulas on x < 0, whose two terms
   * (up to ~8 in size there) cancel near the zeros of lgamma and digamma: a few ulps of 8 (2⁻²⁰ ≈ 9.5e-7), as in
   * XLA's float32 lgamma and digamma, which use the same reflections.
   */
  const cases: [string, (x: JaxArray) => JaxArray, (x: number) => number, number[], number, number?][] = [
    ["exp", lax.exp, Math.exp, grid(-87, 88, N), 2.5],
    ["exp2", lax.exp2, (x) => 2 ** x, [...grid(-126, 127.9, N), ...grid(-2, 2, N)], 2.5],
    ["log", lax.log, Math.log, [...grid(1e-30, 1e30, N, true), ...grid(0.5, 2, N)], 2],
    ["sin", lax.sin, Math.sin, [...grid(-100, 100, N), ...grid(-4, 4, N)], 3],
    ["cos", lax.cos, Math.cos, [...grid(-100, 100, N), ...grid(-4, 4, N)], 3],
    ["tan", lax.tan, Math.tan, grid(-1.5, 1.5, N), 4],
    ["asin", lax.asin, Math.asin, grid(-1, 1, N), 3.5],
    ["acos", lax.acos, Math.acos, grid(-1, 1, N), 2.5],
    ["atan", lax.atan, Math.atan, [...grid(-100, 100, N), ...grid(-2, 2, N)], 4.5],
    ["sinh", lax.sinh, Math.sinh, [...grid(-88, 88, N), ...grid(-2, 2, N)], 4.5],
    ["cosh", lax.cosh, Math.cosh, grid(-88, 88, N), 4.5],
    ["tanh", lax.tanh, Math.tanh, [...grid(-10, 10, N), ...grid(-1e-3, 1e-3, N)], 2.5],
    ["asinh", lax.asinh, Math.asinh, [...grid(-1e6, 1e6, N), ...grid(-2, 2, N)], 3.5],
    ["acosh", lax.acosh, Math.acosh, [...grid(1, 1e6, N, true), ...grid(1, 3, N)], 4],
    ["atanh", lax.atanh, Math.atanh, grid(-0.9999, 0.9999, N), 3.5],
    ["log1p", lax.log1p, Math.log1p, [...grid(-0.999, 10, N), ...grid(-1e-3, 1e-3, N)], 3.5],
    ["expm1", lax.expm1, Math.expm1, [...grid(-10, 10, N), ...grid(-1e-3, 1e-3, N)], 3],
    ["cbrt", lax.cbrt, Math.cbrt, [...grid(-1e6, 1e6, N), ...grid(1e-30, 1e30, N, true)], 2],
    ["logistic", lax.logistic, (x) => 1 / (1 + Math.exp(-x)), grid(-20, 20, N), 3.5],
    ["erf", lax.erf, R.erf, grid(-4, 4, N), 4.5],
    ["erfc", lax.erfc, R.erfc, grid(-2, 4, N), 8],
    ["lgamma", lax.lgamma, R.lgamma, grid(0.01, 20, N), 6],
    ["digamma", lax.digamma, R.digamma, grid(0.01, 20, N), 3.5],
    ["lgamma on x < 0", lax.lgamma, lgammaNeg, grid(-4.99, -0.01, N), 8, 2 ** -20],
    ["digamma on x < 0", lax.digamma, digammaNeg, grid(-4.99, -0.01, N), 8, 2 ** -20],
  ];
  for (const [name, f, ref, xs, bound, atol] of cases) {
    it(`${name}: within ${bound} ulp${atol ? " (plus 2⁻²⁰ absolute)" : ""}`, async () => {
      const w = await worstUlps(f, ref, xs, atol);
      expect(w.ulps, `worst at x = ${w.at}`).toBeLessThanOrEqual(bound);
    });
  }

  /** Special values as the op table (kernel/ops.ts) defines them: NaN, ±∞, poles, branch points, halves. */
  const specials: [string, (x: JaxArray) => JaxArray, number[], number[]][] = [
    ["exp", lax.exp, [-Infinity, Infinity, NaN, -200, 200], [0, Infinity, NaN, 0, Infinity]],
    ["log", lax.log, [0, -1, Infinity, NaN, 1], [-Infinity, NaN, Infinity, NaN, 0]],
    ["sin", lax.sin, [Infinity, NaN, 0], [NaN, NaN, 0]],
    ["cos", lax.cos, [-Infinity, NaN, 0], [NaN, NaN, 1]],
    ["log1p", lax.log1p, [-1, Infinity, -2, 0], [-Infinity, Infinity, NaN, 0]],
    ["expm1", lax.expm1, [Infinity, -Infinity, 0], [Infinity, -1, 0]],
    ["tanh", lax.tanh, [Infinity, -Infinity, NaN], [1, -1, NaN]],
    ["sinh", lax.sinh, [Infinity, -Infinity, 89.4], [Infinity, -Infinity, Math.fround(Math.sinh(Math.fround(89.4)))]],
    ["cosh", lax.cosh, [Infinity, -Infinity, NaN], [Infinity, Infinity, NaN]],
    ["atan", lax.atan, [Infinity, -Infinity, NaN], [Math.PI / 2, -Math.PI / 2, NaN].map(Math.fround)],
    ["asin", lax.asin, [2, -1, 1, NaN], [NaN, -Math.PI / 2, Math.PI / 2, NaN].map(Math.fround)],
    ["acos", lax.acos, [-2, -1, 1], [NaN, Math.PI, 0].map(Math.fround)],
    ["asinh", lax.asinh, [Infinity, -Infinity, NaN], [Infinity, -Infinity, NaN]],
    ["acosh", lax.acosh, [0.5, 1, Infinity], [NaN, 0, Infinity]],
    ["atanh", lax.atanh, [1, -1, 2], [Infinity, -Infinity, NaN]],
    ["cbrt", lax.cbrt, [-8, Infinity, -Infinity, NaN, 27], [-2, Infinity, -Infinity, NaN, 3]],
    ["erfc", lax.erfc, [Infinity, -Infinity, NaN, 0], [0, 2, NaN, 1]],
    ["lgamma", lax.lgamma, [0, -1, -2, Infinity, 1, 2, NaN], [Infinity, Infinity, Infinity, Infinity, 0, 0, NaN]],
    ["digamma", lax.digamma, [0, -2, Infinity, NaN], [NaN, NaN, Infinity, NaN]],
    ["sign", lax.sign, [NaN, -3, 0, 2], [NaN, -1, 0, 1]],
    ["round", lax.round, [0.49999997, 2.5, -2.5, 0.5, NaN], [0, 3, -3, 1, NaN]],
    ["round_even", (x) => np.round(x), [2.5, -2.5, 3.5, 0.49999997], [2, -2, 4, 0]],
  ];
  for (const [name, f, xs, want] of specials) {
    it(`${name} at ${xs.join(", ")}`, async () => {
      expect(await run(f, xs)).toEqual(want);
    });
  }

  it("pow over x in [0.01, 20], y in [-6, 6]: within 26 ulp", async () => {
    // pow = e^(y·log x): the error of log x (2 ulp of |log x| ≤ 4.6, so up to 1e-6 absolute), times |y| ≤ 6, and the
    // rounding of y·log x (|y log x| ≤ 28) are absolute errors of the exponent, hence relative errors of the result:
    // up to ~3e-6 (25 ulp) where |y log x| is largest; measured 23.7 on lavapipe.
    const xs = grid(0.01, 20, 201);
    const ys = grid(-6, 6, 101);
    const x = xs.flatMap((v) => ys.map(() => v));
    const y = xs.flatMap(() => ys);
    const got = (await lax.pow(np.array(x, "float32"), np.array(y, "float32")).data()) as ArrayLike<number>;
    let worst = 0;
    x.forEach((v, i) => {
      const want = v ** y[i];
      worst = Math.max(worst, Math.abs(got[i] - want) / ulp(want));
    });
    expect(worst).toBeLessThanOrEqual(26);
  });

  it("atan2 at signed zeros and infinities, as C's atan2", async () => {
    const y = [0, 0, -0, 1, -1, Infinity, -Infinity, Infinity, NaN];
    const x = [0, -0, -0, 0, -0, Infinity, -Infinity, 1, 1];
    const got = Array.from(
      (await lax.atan2(np.array(y, "float32"), np.array(x, "float32")).data()) as ArrayLike<number>,
    );
    expect(got).toEqual(y.map((v, i) => Math.fround(Math.atan2(v, x[i]))));
  });

  it("rem is C's fmod (the dividend's sign), exactly", async () => {
    const x = [5.5, -5.5, 5, Infinity, 1, 7.25, -1e6 + 0.5];
    const y = [2, 2, Infinity, 2, 0, -0.5, 3];
    const got = Array.from((await lax.rem(np.array(x, "float32"), np.array(y, "float32")).data()) as ArrayLike<number>);
    expect(got).toEqual(x.map((v, i) => Math.fround(v % y[i])));
  });
});

describe.skipIf(SKIP)("webgpu integer and bool corner cases", () => {
  useWebGpu("tests/webgpu-math.test.ts");

  /** `f` on GPU arrays against `f` on the cpu platform (the op table's reference), same inputs. */
  async function sameAsCpu(f: (...xs: JaxArray[]) => JaxArray, ...inputs: [number[], DType][]): Promise<void> {
    const gpu = await f(...inputs.map(([v, d]) => toGpu(np.array(v, d)))).data();
    config.update("platform", "cpu");
    try {
      const cpu = f(...inputs.map(([v, d]) => np.array(v, d))).dataSync();
      expect(Array.from(gpu as ArrayLike<number>)).toEqual(Array.from(cpu as ArrayLike<number>));
    } finally {
      config.update("platform", "webgpu");
    }
  }

  it("int32 and uint32 pow wrap as the cpu's, with negative exponents", async () => {
    await sameAsCpu(lax.pow, [[2, -2, 3, 7, 1, -1, -1, 5, 0], "int32"], [[10, 31, 21, 13, -3, -3, -4, -1, 0], "int32"]);
    await sameAsCpu(lax.pow, [[2, 3, 7, 0, 65536], "uint32"], [[31, 21, 13, 0, 2], "uint32"]);
  });

  it("conversions truncate and saturate float → int (NaN → 0), wrap int ↔ uint, and NaN → bool is true", async () => {
    const floats: [number[], DType] = [[3e9, -3e9, 1e10, -1.5, 2.7, NaN, Infinity, -Infinity, -0], "float32"];
    for (const to of ["int32", "uint32", "bool"] as DType[]) await sameAsCpu((x) => x.astype(to), floats);
    await sameAsCpu((x) => x.astype("uint32"), [[-1, -2147483648, 5], "int32"]);
    await sameAsCpu((x) => x.astype("int32"), [[4294967295, 2147483648, 5], "uint32"]);
    await sameAsCpu((x) => x.astype("float32"), [[4294967295, 16777217, 5], "uint32"]);
  });

  it("uint32 negation wraps and sign is 0 or 1", async () => {
    await sameAsCpu(lax.neg, [[0, 1, 4294967295, 7], "uint32"]);
    await sameAsCpu(lax.sign, [[0, 1, 4294967295, 7], "uint32"]);
  });

  it("bools order false < true, and their max / min are or / and", async () => {
    const a: [number[], DType] = [[0, 0, 1, 1], "bool"];
    const b: [number[], DType] = [[0, 1, 0, 1], "bool"];
    for (const f of [lax.lt, lax.le, lax.gt, lax.ge, lax.max, lax.min]) await sameAsCpu(f, a, b);
  });

  it("any / all reductions (reduce_or / reduce_and) and x.at[i].set, which uses them", async () => {
    const x = toGpu(np.reshape(np.array([0, 1, 0, 0, 0, 0], "bool"), [2, 3]));
    expect(Array.from((await np.any(x, 1).data()) as ArrayLike<number>)).toEqual([1, 0]);
    expect(Array.from((await np.all(x, 0).data()) as ArrayLike<number>)).toEqual([0, 0, 0]);
    const y = toGpu(np.zeros([4], "float32"))
      .at(np.array([1, 3], "int32"))
      .set(5);
    expect(Array.from((await y.data()) as ArrayLike<number>)).toEqual([0, 5, 0, 5]);
  });
});
