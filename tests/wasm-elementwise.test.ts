import { describe, expect, it } from "vitest";
import {
  emitBinary,
  emitUnary,
  wasmBinaryF32,
  wasmElementwiseAvailable,
  wasmUnaryF32,
  type WasmBinaryOp,
  type WasmUnaryOp,
} from "../src/backends/wasm/elementwise.js";
import { Body, buildModule, I32, V128 } from "../src/backends/wasm/encoder.js";
import { erf as erf64 } from "../src/kernel/special.js";
import { powFloat } from "../src/kernel/ops.js";

/**
 * Errors are measured in units in the last place of float32: the distance,
 * counted in representable floats, between the kernel's result and the
 * float64 reference (`Math.*`, and the cpu backend's erf) rounded to float32,
 * which is the correctly rounded result except in vanishingly rare
 * double-rounding cases. Maximum errors over all 2³² float32 inputs, measured
 * by an exhaustive scan of each unary kernel against that reference (`npm run ulp-scan -- <op>`):
 *   0 ulp: neg abs sqrt floor ceil sign
 *   1 ulp: exp expm1 log log1p tan tanh erf rsqrt
 *   2 ulp: sin cos (the reduced argument is rounded to float32), logistic
 * pow, over ~4·10⁸ sampled pairs (random bit patterns, results over the whole
 * range, bases near 1 with large exponents, negative bases with integral
 * exponents): 1 ulp. The bounds asserted below are those maxima; the samples
 * here (the domains' edges and special values included) run in seconds.
 */
const BOUNDS: Record<WasmUnaryOp, number> = {
  neg: 0,
  abs: 0,
  sqrt: 0,
  floor: 0,
  ceil: 0,
  sign: 0,
  sin: 2,
  cos: 2,
  tan: 1,
  erf: 1,
  exp: 1,
  log: 1,
  log1p: 1,
  expm1: 1,
  tanh: 1,
  rsqrt: 1,
  logistic: 2,
};

const REFERENCE: Record<WasmUnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  erf: erf64,
  tanh: Math.tanh,
  logistic: (x) => 1 / (1 + Math.exp(-x)),
  floor: Math.floor,
  ceil: Math.ceil,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
};

const FLT_MAX = 3.4028234663852886e38;
const FLT_MIN = 2 ** -126;
const DENORM_MIN = 2 ** -149;

const bits = new Uint32Array(1);
const flt = new Float32Array(bits.buffer);
const toBits = (x: number) => ((flt[0] = x), bits[0]);
const fromBits = (b: number) => ((bits[0] = b >>> 0), flt[0]);
/** float32 bit patterns mapped to integers in the order of the values (−0 and +0 both to 0). */
const ordinal = (x: number) => {
  const b = toBits(x);
  return b & 0x80000000 ? -(b & 0x7fffffff) : b;
};

/** Distance in ulps; NaN vs NaN is 0, NaN vs a number and +0 vs −0 are Infinity. */
function ulps(got: number, want: number): number {
  if (Number.isNaN(got) || Number.isNaN(want)) return Number.isNaN(got) && Number.isNaN(want) ? 0 : Infinity;
  if (got === want) return Object.is(got, want) ? 0 : Infinity;
  return Math.abs(ordinal(got) - ordinal(want));
}

/** The float32 values within k ulps of x (both sides), x included. */
function around(x: number, k = 2): number[] {
  const o = ordinal(Math.fround(x));
  const out: number[] = [];
  for (let d = -k; d <= k; d++) {
    const v = o + d;
    if (v > 0x7f800000 || v < -0x7f800000) continue;
    out.push(v < 0 ? fromBits(0x80000000 | -v) : fromBits(v));
  }
  return out;
}

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n float32 values of both signs with exponents uniform over all binades (subnormals included): log-uniform. */
function logUniform(n: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const exp = Math.floor(r() * 255); // 0 (subnormal) … 254
    const man = Math.floor(r() * 0x800000);
    return fromBits(((r() < 0.5 ? 0x80000000 : 0) | (exp << 23) | man) >>> 0);
  });
}

/** n values uniform in [lo, hi]. */
function uniform(n: number, lo: number, hi: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * r()));
}

/** n values log-uniform in magnitude over [lo, hi], both signs. */
function magnitudes(n: number, lo: number, hi: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Math.fround((r() < 0.5 ? -1 : 1) * lo * (hi / lo) ** r()));
}

const COMMON_EDGES = [
  0,
  -0,
  DENORM_MIN,
  -DENORM_MIN,
  FLT_MIN - DENORM_MIN,
  -(FLT_MIN - DENORM_MIN),
  FLT_MIN,
  -FLT_MIN,
  FLT_MAX,
  -FLT_MAX,
  Infinity,
  -Infinity,
  NaN,
  1,
  -1,
  0.5,
  -0.5,
  2,
  -2,
  ...around(2 ** -24),
  ...around(-(2 ** -24)),
];

/** Inputs where each op is interesting, besides the log-uniform sweep and the common edges. */
function domainSamples(op: WasmUnaryOp): number[] {
  const halfPi = (k: number) => around(k * (Math.PI / 2), 2);
  switch (op) {
    case "exp":
    case "logistic":
      return [
        ...uniform(100000, -110, 95, 1),
        ...around(88.72283905206835, 4), // ln(FLT_MAX): last finite result
        ...around(Math.log(FLT_MIN), 4), // smallest normal result
        ...around(-103.97207708, 4), // ln(2⁻¹⁵⁰): results round to 0 or the smallest subnormal
        ...around(-88.7, 2),
        ...uniform(2000, -104, -87, 11), // subnormal results
        ...magnitudes(2000, 1e-10, 1e-3, 12),
      ];
    case "expm1":
      return [
        ...uniform(100000, -20, 90, 2),
        ...magnitudes(20000, 1e-12, 1, 21),
        ...around(0.5, 4),
        ...around(-0.5, 4),
        ...around(88.72283905206835, 4),
        ...around(-17.328679513998633, 4), // −25·ln2: where the result reaches −1
      ];
    case "log":
      return [...uniform(50000, 0, 4, 3), ...uniform(50000, 0.5, 2, 31), ...around(Math.SQRT1_2, 4), ...around(1, 8)];
    case "log1p":
      return [
        ...uniform(50000, -1, 1, 4),
        ...magnitudes(50000, 1e-12, 1, 41),
        ...around(-1, 4).filter((v) => v >= -1 + 2 ** -23),
        ...around(Math.SQRT2 - 1, 4),
        ...around(Math.SQRT1_2 - 1, 4),
      ];
    case "sin":
    case "cos":
    case "tan":
      return [
        ...uniform(100000, -100, 100, 5),
        ...magnitudes(20000, 1e5, 1e30, 51), // large arguments
        ...magnitudes(20000, 1e2, 1e8, 52),
        ...Array.from({ length: 64 }, (_, k) => halfPi(k - 32)).flat(),
        ...[1e3, 1e4, 1e5, 1e6, 1e7, 33554432, 67108864, 67108868].flatMap((m) =>
          halfPi(Math.round(m / (Math.PI / 2))),
        ),
        // The float32 values below 2²⁶ closest to multiples of π/2 (|x − kπ/2| ≈ 4e-9 … 2e-8).
        ...[252.89820861816406, 505.7964172363281, 42781604, 4.71238899230957, 52516.43359375, 2709675.5].flatMap((v) =>
          around(v, 1),
        ),
        ...around(2 ** 26, 4),
      ];
    case "tanh":
      return [...uniform(100000, -12, 12, 6), ...around(0.625, 4), ...around(-0.625, 4), ...around(9.01, 2)];
    case "erf":
      return [
        ...uniform(100000, -4.5, 4.5, 13),
        ...magnitudes(20000, 1e-12, 1, 14),
        ...[0.921875, -0.921875, 3.92, -3.92, 4, -4].flatMap((v) => around(v, 4)), // the pieces' ends, saturation
      ];
    case "rsqrt":
    case "sqrt":
      return uniform(50000, 0, 4, 7);
    default:
      return uniform(20000, -1000, 1000, 8);
  }
}

const ALL_UNARY = Object.keys(BOUNDS) as WasmUnaryOp[];

function runUnary(op: WasmUnaryOp, xs: ArrayLike<number>): Float32Array {
  const src = Float32Array.from(xs);
  const dst = new Float32Array(src.length);
  expect(wasmUnaryF32(op, src, dst)).toBe(true);
  return dst;
}

/** The largest ulp error over xs, and where it occurs. */
function maxError(op: WasmUnaryOp, xs: number[]): { max: number; at: number; got: number; want: number } {
  const src = Float32Array.from(xs);
  const got = runUnary(op, src);
  let worst = { max: 0, at: NaN, got: NaN, want: NaN };
  for (let i = 0; i < src.length; i++) {
    const want = Math.fround(REFERENCE[op](src[i]));
    const e = ulps(got[i], want);
    if (e > worst.max || i === 0) worst = { max: e, at: src[i], got: got[i], want };
  }
  return worst;
}

describe("wasm float32 elementwise kernels", () => {
  it("is available here (Node 20 has WebAssembly SIMD)", () => {
    expect(wasmElementwiseAvailable()).toBe(true);
  });

  describe.each(ALL_UNARY)("%s", (op) => {
    it(`is within ${BOUNDS[op]} ulp of the correctly rounded value over its domain`, () => {
      const xs = [...logUniform(100000, 1000 + op.length), ...domainSamples(op), ...COMMON_EDGES];
      const worst = maxError(op, xs);
      expect(worst.max, `${op}(${worst.at}) = ${worst.got}, want ${worst.want}`).toBeLessThanOrEqual(BOUNDS[op]);
    });

    it("handles arrays of any length (the last partial vector, chunk boundaries) and aliasing", () => {
      for (const n of [0, 1, 3, 4, 5, 1023, 16384 + 5, 40000]) {
        const xs = uniform(n, -3, 3, n);
        const got = runUnary(op, xs);
        expect(got.length).toBe(n);
        if (n > 0) expect(maxError(op, xs).max).toBeLessThanOrEqual(BOUNDS[op]);
        // In place (src === dst) gives the same bits.
        const inPlace = Float32Array.from(xs);
        wasmUnaryF32(op, inPlace, inPlace);
        expect(new Uint32Array(inPlace.buffer)).toEqual(new Uint32Array(got.buffer));
      }
    });

    it("is deterministic: the same bits on repeated calls, whatever ran in between", () => {
      const xs = logUniform(5000, 77);
      const first = runUnary(op, xs);
      runUnary(op === "exp" ? "sin" : "exp", logUniform(30000, 78));
      const again = runUnary(op, xs);
      expect(new Uint32Array(again.buffer)).toEqual(new Uint32Array(first.buffer));
    });
  });

  it("gives the special values exactly", () => {
    const cases: [WasmUnaryOp, number, number][] = [
      ["exp", NaN, NaN],
      ["exp", -Infinity, 0],
      ["exp", Infinity, Infinity],
      ["exp", 0, 1],
      ["exp", -0, 1],
      ["exp", 88.72283172607422, 3.402798519021476e38], // the largest argument with a finite result
      ["exp", 88.72283935546875, Infinity], // the next float32
      ["exp", -104, 0],
      ["exp", Math.fround(-150 * Math.LN2), DENORM_MIN], // −103.97207641601562: the smallest argument with a non-zero result
      ["exp", -103.97208404541016, 0],
      ["log", -1, NaN],
      ["log", -DENORM_MIN, NaN],
      ["log", -Infinity, NaN],
      ["log", 0, -Infinity],
      ["log", -0, -Infinity],
      ["log", Infinity, Infinity],
      ["log", NaN, NaN],
      ["log", 1, 0],
      ["log", DENORM_MIN, Math.fround(-149 * Math.LN2)],
      ["log1p", -1, -Infinity],
      ["log1p", -1.5, NaN],
      ["log1p", Infinity, Infinity],
      ["log1p", -Infinity, NaN],
      ["log1p", 0, 0],
      ["log1p", -0, -0],
      ["log1p", DENORM_MIN, DENORM_MIN],
      ["log1p", NaN, NaN],
      ["expm1", -Infinity, -1],
      ["expm1", Infinity, Infinity],
      ["expm1", 0, 0],
      ["expm1", -0, -0],
      ["expm1", -DENORM_MIN, -DENORM_MIN],
      ["expm1", -100, -1],
      ["expm1", 89, Infinity],
      ["expm1", NaN, NaN],
      ["sin", 0, 0],
      ["sin", -0, -0],
      ["sin", Infinity, NaN],
      ["sin", -Infinity, NaN],
      ["sin", NaN, NaN],
      ["sin", -DENORM_MIN, -DENORM_MIN],
      ["cos", 0, 1],
      ["cos", -0, 1],
      ["cos", Infinity, NaN],
      ["cos", NaN, NaN],
      ["tan", 0, 0],
      ["tan", -0, -0],
      ["tan", -DENORM_MIN, -DENORM_MIN],
      ["tan", Infinity, NaN],
      ["tan", -Infinity, NaN],
      ["tan", NaN, NaN],
      ["erf", 0, 0],
      ["erf", -0, -0],
      ["erf", DENORM_MIN, DENORM_MIN],
      ["erf", -DENORM_MIN, -DENORM_MIN],
      ["erf", 4, 1],
      ["erf", -5, -1],
      ["erf", FLT_MAX, 1],
      ["erf", Infinity, 1],
      ["erf", -Infinity, -1],
      ["erf", NaN, NaN],
      ["tanh", 0, 0],
      ["tanh", -0, -0],
      ["tanh", Infinity, 1],
      ["tanh", -Infinity, -1],
      ["tanh", 20, 1],
      ["tanh", -FLT_MAX, -1],
      ["tanh", NaN, NaN],
      ["logistic", 0, 0.5],
      ["logistic", -0, 0.5],
      ["logistic", Infinity, 1],
      ["logistic", -Infinity, 0],
      ["logistic", -FLT_MAX, 0],
      ["logistic", NaN, NaN],
      ["sqrt", -0, -0],
      ["sqrt", -1, NaN],
      ["sqrt", Infinity, Infinity],
      ["rsqrt", 0, Infinity],
      ["rsqrt", -0, -Infinity],
      ["rsqrt", Infinity, 0],
      ["rsqrt", -1, NaN],
      ["sign", 0, 0],
      ["sign", -0, -0],
      ["sign", NaN, NaN],
      ["sign", -DENORM_MIN, -1],
      ["sign", Infinity, 1],
      ["sign", -Infinity, -1],
      ["neg", 0, -0],
      ["neg", NaN, NaN],
      ["abs", -0, 0],
      ["abs", -Infinity, Infinity],
      ["floor", -0.5, -1],
      ["floor", -0, -0],
      ["ceil", -0.5, -0],
      ["ceil", 0.5, 1],
    ];
    for (const [op, x, want] of cases) {
      const got = runUnary(op, [x])[0];
      expect(
        Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)),
        `${op}(${x}) = ${got}, want ${want}`,
      ).toBe(true);
    }
  });

  it("computes sin, cos and tan of huge arguments (recomputed outside the kernel) to the correctly rounded value", () => {
    const xs = [...magnitudes(5000, 1e8, FLT_MAX, 9), 1e30, -1e30, FLT_MAX, -FLT_MAX, 2 ** 26 + 4, 123456792];
    for (const op of ["sin", "cos", "tan"] as const) expect(maxError(op, xs).max).toBe(0);
  });
});

describe("wasm float32 binary kernels", () => {
  const BINARY: Record<WasmBinaryOp, (a: number, b: number) => number> = {
    add: (a, b) => a + b,
    sub: (a, b) => a - b,
    mul: (a, b) => a * b,
    div: (a, b) => a / b,
    // Math.max/min propagate NaN and order −0 < +0, as f32x4.max/min (and XLA's max/min) do.
    max: Math.max,
    min: Math.min,
    // C's (and JAX's) pow, as the cpu backend computes it.
    pow: powFloat,
  };
  /** Maximum ulp errors: the arithmetic is exact; pow measured over the samples below and ~10⁹ more. */
  const BINARY_BOUNDS: Record<WasmBinaryOp, number> = { add: 0, sub: 0, mul: 0, div: 0, max: 0, min: 0, pow: 1 };
  const ops = Object.keys(BINARY) as WasmBinaryOp[];
  const specials = [0, -0, 1, -1, DENORM_MIN, -FLT_MIN, FLT_MAX, -FLT_MAX, Infinity, -Infinity, NaN, 0.1, 3];
  // Integral, odd and fractional exponents and bases of both signs, for pow's special cases.
  const powSpecials = [...specials, 0.5, -0.5, 2, -2, 1.5, -1.5, -3, 2 ** 24 + 2, -(2 ** 24 + 2), 1 + 2 ** -23];

  function check(op: WasmBinaryOp, a: Float32Array, b: Float32Array, n: number): void {
    const dst = new Float32Array(n).fill(12345);
    expect(wasmBinaryF32(op, a, b, dst)).toBe(true);
    for (let i = 0; i < n; i++) {
      const x = a[a.length === 1 ? 0 : i];
      const y = b[b.length === 1 ? 0 : i];
      const want = Math.fround(BINARY[op](x, y));
      if (!(ulps(dst[i], want) <= BINARY_BOUNDS[op]))
        expect.fail(`${op}(${x}, ${y}) = ${dst[i]}, want ${want} (index ${i} of ${n})`);
    }
  }

  /** Pairs where pow is interesting: results over the whole range, bases near 1, negative bases. */
  function powSamples(): [number[], number[]] {
    const r = rng(21);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < 100000; i++) {
      const x = Math.fround(Math.abs(logUniform(1, i)[0]));
      const w = -110 + 200 * r(); // log of the result, overflow and underflow included
      const y = Math.fround(Math.log(x) === 0 ? w : w / Math.log(x));
      xs.push(x, Math.fround(1 + (r() - 0.5) * 2 ** -6), -Math.fround(x), Math.fround(20 * r()));
      ys.push(y, Math.fround((r() - 0.5) * 2e5), Math.round(y), Math.fround((r() - 0.5) * 60));
    }
    return [xs, ys];
  }

  it.each(ops)("%s is within its bound (exact but pow), including all pairs of special values", (op) => {
    const sp = op === "pow" ? powSpecials : specials;
    const [px, py] = op === "pow" ? powSamples() : [[], []];
    const a = Float32Array.from([...logUniform(50000, 10), ...px, ...sp.flatMap((x) => sp.map(() => x))]);
    const b = Float32Array.from([...logUniform(50000, 11), ...py, ...sp.flatMap(() => sp)]);
    check(op, a, b, a.length);
  });

  it.each(ops)("%s broadcasts a length-1 operand on either side, at odd lengths", (op) => {
    for (const n of [1, 3, 4, 5, 1023, 16384 + 3]) {
      const a = Float32Array.from(uniform(n, -5, 5, n));
      const b = Float32Array.from(uniform(n, 0.5, 5, n + 1));
      for (const s of [2.5, -0, NaN]) {
        check(op, a, Float32Array.of(s), n);
        check(op, Float32Array.of(s), b, n);
      }
      check(op, a, b, n);
      check(op, Float32Array.of(-1.5), Float32Array.of(0.75), n);
    }
  });

  it("max and min propagate NaN from either side", () => {
    const a = Float32Array.from([NaN, 1, NaN, -Infinity]);
    const b = Float32Array.from([1, NaN, NaN, NaN]);
    for (const op of ["max", "min"] as const) {
      const dst = new Float32Array(4);
      wasmBinaryF32(op, a, b, dst);
      expect(Array.from(dst).every(Number.isNaN)).toBe(true);
    }
  });

  it("rejects lengths that do not broadcast", () => {
    expect(() => wasmBinaryF32("add", new Float32Array(3), new Float32Array(2), new Float32Array(3))).toThrow(
      RangeError,
    );
    expect(() => wasmUnaryF32("exp", new Float32Array(3), new Float32Array(2))).toThrow(RangeError);
  });

  it.each(["div", "pow"] as const)("%s writes the same bits on repeated calls, in place too", (op) => {
    const a = Float32Array.from(logUniform(20001, 5));
    const b = Float32Array.from(logUniform(20001, 6));
    const first = new Float32Array(a.length);
    wasmBinaryF32(op, a, b, first);
    const again = Float32Array.from(a);
    wasmBinaryF32(op, again, b, again);
    expect(new Uint32Array(again.buffer)).toEqual(new Uint32Array(first.buffer));
  });
});

describe("the emitters in other loops", () => {
  /** f(x, y, out, n): out[i] = op(x[i]) or op(x[i], y[i]) for n floats, one vector per iteration. */
  function kernel(op: WasmUnaryOp | WasmBinaryOp, globals: boolean) {
    const f = new Body(4);
    f.constantsInGlobals = globals;
    const i = f.local(I32);
    const flags = f.local(V128);
    f.forLoop(
      i,
      () => f.i32(0),
      () => f.get(3).i32(4).i32Mul(),
      16,
      () => {
        const load = (p: number) => {
          f.get(p).get(i).i32Add().v128Load();
          const l = f.local(V128);
          f.set(l);
          return l;
        };
        const x = load(0);
        const r = op === "pow" ? emitBinary(f, op, x, load(1)) : emitUnary(f, op as WasmUnaryOp, x, flags);
        f.get(2).get(i).i32Add().get(r).v128Store();
      },
    );
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
    const bytes = buildModule([{ name: "k", params: [I32, I32, I32, I32], results: [], body: f }], 1);
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    const run = inst.exports.k as (x: number, y: number, out: number, n: number) => void;
    return (x: Float32Array, y: Float32Array): Float32Array => {
      const mem = new Float32Array(memory.buffer);
      mem.set(x, 0);
      mem.set(y, 4096);
      run(0, 4 * 4096, 4 * 8192, x.length);
      return mem.slice(8192, 8192 + x.length);
    };
  }

  it.each([false, true])("give the same bits one vector per iteration, constants in globals: %s", (globals) => {
    // (Without the |x| > 2²⁶ lanes that the elementwise driver recomputes for sin and tan.)
    const x = Float32Array.from([
      ...logUniform(2000, 31).map((v) => (Math.abs(v) > 2 ** 26 ? 0 : v)),
      ...uniform(2000, -5, 5, 32),
    ]);
    const y = Float32Array.from(uniform(4000, -3, 3, 33));
    for (const op of ["exp", "log1p", "sin", "tan", "tanh", "erf", "logistic", "pow"] as const) {
      const got = kernel(op, globals)(x, y);
      const want = new Float32Array(x.length);
      if (op === "pow") wasmBinaryF32(op, x, y, want);
      else wasmUnaryF32(op, x, want);
      expect(new Uint32Array(got.buffer), op).toEqual(new Uint32Array(want.buffer));
    }
  });
});
