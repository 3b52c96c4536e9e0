/**
 * The primitive table. Each row binds one primitive (with its params) through
 * the `lax` / `numpy` API and states its inputs, their domain, and a float64
 * JS reference. For every row:
 *  - values against the reference, in float32 and float64;
 *  - the staged program contains the primitive;
 *  - jit agrees with eager, vmap agrees with a JS loop over the batch;
 * and for differentiable rows, in float64:
 *  - jvp against central differences, linearize against jvp;
 *  - vjp by the dot-product test ⟨ct, J·t⟩ = ⟨Jᵀ·ct, t⟩;
 *  - second order: grad of ⟨w, J(x)·t⟩ against central differences of it.
 * Rows with a zero derivative (floor, sign, stop_gradient, comparisons, ...)
 * check that jvp (and vjp) give zeros.
 */
import { describe, expect, it } from "vitest";
import {
  config,
  DTypeError,
  grad,
  jit,
  jvp,
  lax,
  linearize,
  makeJaxpr,
  numpy as np,
  vjp,
  vmap,
  type Array as NdArray,
  type DType,
} from "../src/index.js";
import { gather, scatter } from "../src/primitives/indexing.js";
import { convert } from "../src/primitives/elementwise.js";
import * as R from "./helpers/reference.js";
import type { T } from "./helpers/reference.js";
import {
  absInner,
  axpy,
  centralDiff,
  expectClose,
  expectSame,
  fromNd,
  inner,
  intT,
  maxAbs,
  rng,
  seedOf,
  toNd,
  uniformT,
  type Tol,
} from "./helpers/check.js";
import { onTestDevice, testDevice } from "./helpers/webgpu-everywhere.js";

// --- tolerances -----------------------------------------------------------------------

/**
 * One float32 ulp relative to the value (2⁻²³ ≈ 1.19e-7). The CPU kernels
 * compute in float64 and round once on store, so a float32 result is within
 * ½ ulp (2⁻²⁴ relative) of the float64 reference on the same (float32) inputs;
 * one ulp leaves a factor of two for the reference's own rounding.
 */
const ULP32 = 2 ** -23;
const TOL32: Tol = { rtol: ULP32, atol: 0 };
/**
 * Two float64 ulps. The references use the same float64 formulas (Math.*) and
 * the same summation order as the kernels, so most rows agree exactly.
 */
const TOL64: Tol = { rtol: 2 ** -51, atol: 0 };
/**
 * Special functions: the references in helpers/reference.ts are independent
 * series (not the library's algorithms); both are accurate to a few 1e-16
 * relative, except for an absolute ~1e-15 near the zeros of lgamma (x = 1, 2)
 * and digamma (x ≈ 1.46), where relative accuracy is meaningless.
 */
const TOL64_SPECIAL: Tol = { rtol: 1e-14, atol: 1e-14 };

/** Central differences: ε = 1e-6. */
const FD_EPS = 1e-6;
/**
 * Central differences err by ε²·|f'''|/6 ≈ 2e-13·|f'''| (truncation) plus
 * about ulp(f)/ε ≈ 2e-10·|f| (rounding). On these domains |f'''| ≲ 1e3, so the
 * error is ≲ 2e-10 relative to max(1, |f|); 1e-8 allows for that with margin
 * (the worst row, the second order of digamma near its poles, needs more than
 * 1e-9), while a wrong rule (a missing factor or sign, a wrong axis) is off by O(1).
 */
const FD_REL = 1e-8;
/**
 * The dot-product test compares two float64 evaluations of the same bilinear
 * form, exact up to rounding: each side errs by a few ulps of Σ|terms| per
 * operation in the chain, so 1e-12 relative to Σ|terms| leaves a wide margin.
 */
const DOT_REL = 1e-12;

// --- the device reruns -----------------------------------------------------------------

/**
 * Set when the table reruns on webgpu (primitives-webgpu.test.ts). The GPU has
 * float32 only (float64 is a DTypeError there), so that rerun checks float32
 * values, jit, vmap and zero derivatives on the GPU, and checks the derivative
 * rules (validated above in float64 against central differences) by running
 * them on the GPU and on the cpu in float32 and comparing (see DEVICE_DERIV).
 */
const DEVICE = testDevice() !== null;
/** The dtype of the checks that are float64 on the host platforms. */
const DT: DType = DEVICE ? "float32" : "float64";

/**
 * float32 values on the GPU against the float64 reference. WGSL leaves the
 * accuracy of exp, log, sin... to the implementation, so the backend computes
 * its float functions from arithmetic (wgsl-math.ts); tests/webgpu-math.test.ts
 * measures them on dense grids within 2 to 8 ulp (erfc 8, lgamma 6), where the
 * cpu's float64-then-round is within ½ ulp. 2⁻¹⁹ = 16 ulp relative leaves a
 * factor of two for GPUs whose division and sqrt are 2.5 ulp (WGSL's bound);
 * the absolute floor of 2⁻²³ (one ulp of 1) covers results near a zero of the
 * function (sin near π, lgamma near 1 and 2), where the argument's rounding dominates.
 */
const TOL_DEVICE: Tol = { rtol: 2 ** -19, atol: 2 ** -23 };

/**
 * Derivatives on the GPU against the same derivative program on the cpu, both
 * float32, relative to max(1, max|cpu value|): each side is within a few ulp
 * per operation of the exact value, and the chains of these rows (up to ~10
 * operations, sums of products in dot_general and reductions) agreed within one
 * ulp of that scale on lavapipe. 2⁻²⁰ (8 ulp) leaves room for other GPUs'
 * division, sqrt and fma contraction; a wrong rule is off by O(1).
 */
const DEVICE_DERIV = 2 ** -20;

/** The float64 values of an array on any platform (`data()`: GPU arrays have no synchronous read). */
async function read(a: NdArray): Promise<T> {
  return { shape: a.shape, data: Float64Array.from((await a.data()) as ArrayLike<number>) };
}

/** An argument as the checks pass it: in GPU memory on the device rerun (ops must run there, not fall back). */
const arg = (t: T, dtype: DType): NdArray => onTestDevice(toNd(t, dtype));

// --- argument specs -----------------------------------------------------------------------

type Spec =
  | {
      kind: "float";
      shape: number[];
      lo: number;
      hi: number;
      /** Redraw values for which this holds (kinks, poles, branch cuts). */
      avoid?: (v: number) => boolean;
      /** Integer-valued floats in [lo, hi] (to get ties). */
      integers?: boolean;
      /** Fixed values (rotated by the batch index under vmap). */
      values?: number[];
    }
  | {
      kind: "int";
      shape: number[];
      lo: number;
      hi: number;
      dtype: "int32" | "uint32";
      distinct?: boolean;
      nonzero?: boolean;
    }
  | { kind: "bool"; shape: number[] };

const F = (shape: number[], lo: number, hi: number, avoid?: (v: number) => boolean): Spec => ({
  kind: "float",
  shape,
  lo,
  hi,
  avoid,
});
const Fint = (shape: number[], lo: number, hi: number): Spec => ({ kind: "float", shape, lo, hi, integers: true });
const Fval = (shape: number[], values: number[]): Spec => ({ kind: "float", shape, lo: 0, hi: 0, values });
const I = (
  shape: number[],
  lo: number,
  hi: number,
  opts: { distinct?: boolean; nonzero?: boolean; dtype?: "int32" | "uint32" } = {},
): Spec => ({
  kind: "int",
  shape,
  lo,
  hi,
  dtype: opts.dtype ?? "int32",
  distinct: opts.distinct,
  nonzero: opts.nonzero,
});
const B = (shape: number[]): Spec => ({ kind: "bool", shape });

/** Within `margin` of one of `points`. */
const near = (points: number[], margin: number) => (v: number) => points.some((p) => Math.abs(v - p) < margin);
const nearInteger = (margin: number) => (v: number) => Math.abs(v - Math.round(v)) < margin;
const nearHalfInteger = (margin: number) => (v: number) => Math.abs(v - Math.floor(v) - 0.5) < margin;

function dtypeOf(s: Spec, floatDtype: DType): DType {
  return s.kind === "float" ? floatDtype : s.kind === "int" ? s.dtype : "bool";
}

/** Draws one argument; float values are rounded to `floatDtype` so the reference sees what the array holds. */
function draw(s: Spec, r: () => number, floatDtype: DType, example = 0): T {
  const n = R.sizeOf(s.shape);
  let t: T;
  if (s.kind === "bool") t = intT(r, s.shape, 0, 2);
  else if (s.kind === "int") {
    if (s.distinct) {
      const pool = Array.from({ length: s.hi - s.lo }, (_, i) => s.lo + i);
      for (let i = pool.length - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [pool[i], pool[j]] = [pool[j], pool[i]];
      }
      t = { shape: [...s.shape], data: Float64Array.from(pool.slice(0, n)) };
    } else {
      t = intT(r, s.shape, s.lo, s.hi);
      if (s.nonzero) t.data = t.data.map((v) => (v === 0 ? 1 : v));
    }
  } else if (s.values) {
    t = {
      shape: [...s.shape],
      data: Float64Array.from(s.values.map((_, i) => s.values![(i + example) % s.values!.length])),
    };
  } else if (s.integers) {
    t = intT(r, s.shape, s.lo, s.hi + 1);
  } else {
    t = uniformT(r, s.shape, s.lo, s.hi);
    for (let i = 0; i < n; i++) while (s.avoid?.(t.data[i])) t.data[i] = s.lo + (s.hi - s.lo) * r();
  }
  if (s.kind === "float" && floatDtype === "float32") t.data = t.data.map(Math.fround);
  return t;
}

// --- rows ------------------------------------------------------------------------------------

type Out = NdArray | NdArray[];

interface Row {
  /** Shown in the test names. */
  name: string;
  /** The primitive that `fn` binds (checked in its staged program). */
  prim: string;
  args: Spec[];
  fn: (...xs: NdArray[]) => Out;
  ref: (...xs: T[]) => T | T[];
  /**
   * smooth / kinked: differentiable (kinked rows are tested away from their kinks);
   * zero: differentiable with a zero derivative; none: not differentiable (integer or bool results).
   */
  diff: "smooth" | "kinked" | "zero" | "none";
  /** Output dtypes for a float dtype under test (default: every output has that dtype). */
  out?: (floatDtype: DType) => DType[];
  tol32?: Tol;
  tol64?: Tol;
}

const asList = (o: Out): NdArray[] => (Array.isArray(o) ? o : [o]);
const refList = (o: T | T[]): T[] => (Array.isArray(o) ? o : [o]);
const isFloat = (d: DType) => d === "float32" || d === "float64";

const rows: Row[] = [];
function row(r: Row): void {
  rows.push(r);
}

// ---- unary -----------------------------------------------------------------------------------

function unary(
  prim: string,
  fn: (x: NdArray) => NdArray,
  ref: (x: number) => number,
  spec: Spec,
  diff: Row["diff"] = "smooth",
  extra: Partial<Row> = {},
): void {
  row({
    name: `${prim} ${JSON.stringify((spec as { shape: number[] }).shape)}`,
    prim,
    args: [spec],
    fn,
    ref: (x) => R.map1(x, ref),
    diff,
    ...extra,
  });
}

const special = { tol64: TOL64_SPECIAL };

unary("neg", lax.neg, (x) => -x, F([2, 3], -3, 3));
unary("sin", lax.sin, Math.sin, F([2, 3], -3, 3));
unary("cos", lax.cos, Math.cos, F([], -3, 3));
unary("tan", lax.tan, Math.tan, F([1, 4], -1.2, 1.2));
unary("asin", lax.asin, Math.asin, F([3, 1, 2], -0.9, 0.9));
unary("acos", lax.acos, Math.acos, F([5], -0.9, 0.9));
unary("atan", lax.atan, Math.atan, F([2, 3], -3, 3));
unary("sinh", lax.sinh, Math.sinh, F([2, 3], -2, 2));
unary("cosh", lax.cosh, Math.cosh, F([1], -2, 2));
unary("tanh", lax.tanh, Math.tanh, F([2, 2], -2, 2));
unary("asinh", lax.asinh, Math.asinh, F([4], -3, 3));
unary("acosh", lax.acosh, Math.acosh, F([2, 3], 1.1, 3));
unary("atanh", lax.atanh, Math.atanh, F([3], -0.9, 0.9));
unary("exp", lax.exp, Math.exp, F([2, 3], -2, 2));
unary("exp2", lax.exp2, (x) => Math.pow(2, x), F([4], -2, 2));
unary("log", lax.log, Math.log, F([2, 3], 0.1, 3));
unary("log1p", lax.log1p, Math.log1p, F([2, 1], -0.9, 3));
unary("expm1", lax.expm1, Math.expm1, F([3], -2, 2));
unary("sqrt", lax.sqrt, Math.sqrt, F([2, 3], 0.1, 3));
unary("rsqrt", lax.rsqrt, (x) => 1 / Math.sqrt(x), F([], 0.1, 3));
unary("cbrt", lax.cbrt, Math.cbrt, F([2, 3], -3, 3, near([0], 0.2)));
unary("abs", lax.abs, Math.abs, F([2, 3], -3, 3, near([0], 0.05)), "kinked");
unary("sign", lax.sign, (x) => (x > 0 ? 1 : x < 0 ? -1 : x), F([2, 3], -3, 3, near([0], 0.05)), "zero");
unary("sign", lax.sign, (x) => (x > 0 ? 1 : x < 0 ? -1 : x), Fval([5], [-2, -0, 0, 3, NaN]), "zero");
unary("floor", lax.floor, Math.floor, F([2, 3], -3, 3, nearInteger(0.01)), "zero");
unary("ceil", lax.ceil, Math.ceil, F([3, 1], -3, 3, nearInteger(0.01)), "zero");
// lax.round rounds half away from zero; np.round (round_even) rounds half to even.
const roundHalfAway = (x: number) => (x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5));
const roundHalfEven = (x: number) => {
  const f = Math.floor(x);
  const d = x - f;
  return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
};
const halves = [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.25, -0.75];
unary("round", lax.round, roundHalfAway, F([2, 3], -3, 3, nearHalfInteger(0.01)), "zero");
unary("round", lax.round, roundHalfAway, Fval([8], halves), "zero");
unary("round_even", (x) => np.round(x), roundHalfEven, Fval([2, 4], halves), "zero");
unary("trunc", (x) => np.trunc(x), Math.trunc, F([2, 3], -3, 3, nearInteger(0.01)), "zero");
unary("erf", lax.erf, R.erf, F([2, 3], -2, 2), "smooth", special);
unary("erfc", lax.erfc, R.erfc, F([2, 3], -2, 2), "smooth", special);
// float32 erf_inv follows XLA's float32 polynomial (as JAX computes it), not the rounded float64 value:
// on a 50 000-point grid over (-0.9, 0.9) its worst error was 2.06·2⁻²³ relative.
unary("erf_inv", lax.erfInv, R.erfInv, F([2, 3], -0.9, 0.9), "smooth", {
  ...special,
  tol32: { rtol: 3 * ULP32, atol: 0 },
});
unary("lgamma", lax.lgamma, R.lgamma, F([2, 3], 0.5, 4), "smooth", special);
unary("digamma", lax.digamma, R.digamma, F([2, 3], 0.5, 4), "smooth", special);
// Negative arguments, by the reflection formulas Γ(x)Γ(1−x) = π/sin(πx) and ψ(1−x) − ψ(x) = π/tan(πx).
unary(
  "lgamma",
  lax.lgamma,
  (x) => Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - R.lgamma(1 - x),
  F([4], -2.9, -2.1),
  "smooth",
  {
    ...special,
    name: "lgamma on (-2.9, -2.1)",
  },
);
unary("digamma", lax.digamma, (x) => R.digamma(1 - x) - Math.PI / Math.tan(Math.PI * x), F([4], -2.9, -2.1), "smooth", {
  ...special,
  name: "digamma on (-2.9, -2.1)",
});
unary(
  "polygamma",
  (x) => lax.polygamma(1, x),
  (x) => R.polygamma(1, x),
  F([2, 3], 0.5, 4),
  "smooth",
  { ...special, name: "polygamma n=1" },
);
unary(
  "polygamma",
  (x) => lax.polygamma(3, x),
  (x) => R.polygamma(3, x),
  F([4], 0.5, 4),
  "smooth",
  { ...special, name: "polygamma n=3" },
);
unary("logistic", lax.logistic, (x) => 1 / (1 + Math.exp(-x)), F([2, 3], -4, 4));
unary(
  "is_finite",
  lax.isFinite,
  (x) => (Number.isFinite(x) ? 1 : 0),
  Fval([6], [1, -Infinity, Infinity, NaN, 0, -2.5]),
  "none",
  {
    out: () => ["bool"],
  },
);
unary("neg", lax.neg, (x) => -x, I([5], -100, 100), "none", { name: "neg (int32)", out: () => ["int32"] });
unary("abs", lax.abs, Math.abs, I([5], -100, 100), "none", { name: "abs (int32)", out: () => ["int32"] });
unary("sign", lax.sign, Math.sign, I([5], -2, 3), "none", { name: "sign (int32)", out: () => ["int32"] });
row({
  name: "not (bool)",
  prim: "not",
  args: [B([2, 3])],
  fn: (x) => np.logicalNot(x),
  ref: (x) => R.map1(x, (v) => 1 - v),
  diff: "none",
  out: () => ["bool"],
});
row({
  name: "not (int32)",
  prim: "not",
  args: [I([5], -100, 100)],
  fn: (x) => np.bitwiseNot(x),
  ref: (x) => R.map1(x, (v) => ~v),
  diff: "none",
  out: () => ["int32"],
});

// ---- binary (NumPy broadcasting inside the primitive) -------------------------------------------------

function binary(
  prim: string,
  fn: (x: NdArray, y: NdArray) => NdArray,
  ref: (x: number, y: number) => number,
  a: Spec,
  b: Spec,
  diff: Row["diff"] = "smooth",
  extra: Partial<Row> = {},
): void {
  const shapes = `${JSON.stringify((a as { shape: number[] }).shape)} ${JSON.stringify((b as { shape: number[] }).shape)}`;
  row({ name: `${prim} ${shapes}`, prim, args: [a, b], fn, ref: (x, y) => R.mapN([x, y], ref), diff, ...extra });
}

binary("add", lax.add, (x, y) => x + y, F([2, 3], -2, 2), F([3], -2, 2));
binary("sub", lax.sub, (x, y) => x - y, F([2, 1, 4], -2, 2), F([3, 1], -2, 2));
binary("mul", lax.mul, (x, y) => x * y, F([], -2, 2), F([2, 3], -2, 2));
binary("div", lax.div, (x, y) => x / y, F([2, 3], -2, 2), F([2, 1], -2, 2, near([0], 0.5)));
binary("rem", lax.rem, (x, y) => x % y, F([2, 3], -5, 5), F([3], -2, 2, near([0], 0.5)), "kinked");
binary("pow", lax.pow, Math.pow, F([2, 3], 0.5, 2), F([2, 3], -2, 2));
binary("pow", lax.pow, Math.pow, F([3], 0.5, 2), F([], -2, 2));
binary("max", lax.max, Math.max, F([2, 3], -2, 2), F([2, 3], -2, 2), "kinked");
binary("min", lax.min, Math.min, F([3, 1], -2, 2), F([1, 4], -2, 2), "kinked");
binary("atan2", lax.atan2, Math.atan2, F([2, 3], -2, 2, near([0], 0.3)), F([3], -2, 2));
binary("atan2", lax.atan2, Math.atan2, F([4], -2, 2), F([1], 0.3, 2));
const bool = { out: () => ["bool" as DType] };
binary("eq", lax.eq, (x, y) => +(x === y), Fint([2, 3], -1, 1), Fint([3], -1, 1), "none", bool);
binary("ne", lax.ne, (x, y) => +(x !== y), Fint([2, 3], -1, 1), Fint([2, 1], -1, 1), "none", bool);
binary("lt", lax.lt, (x, y) => +(x < y), Fint([2, 3], -1, 1), Fint([], -1, 1), "none", bool);
binary("le", lax.le, (x, y) => +(x <= y), Fint([4], -1, 1), Fint([4], -1, 1), "none", bool);
binary("gt", lax.gt, (x, y) => +(x > y), Fint([2, 3], -1, 1), Fint([3], -1, 1), "none", bool);
binary("ge", lax.ge, (x, y) => +(x >= y), Fint([3, 2], -1, 1), Fint([3, 1], -1, 1), "none", bool);
binary("lt", lax.lt, (x, y) => +(x < y), I([2, 3], -2, 2), I([3], -2, 2), "none", bool);
const int32 = { out: () => ["int32" as DType] };
binary("add", lax.add, (x, y) => (x + y) | 0, I([4], -(2 ** 31), 2 ** 31), I([4], -(2 ** 31), 2 ** 31), "none", {
  ...int32,
  name: "add (int32 wraps)",
});
binary("mul", lax.mul, Math.imul, I([6], -70000, 70000), I([6], -70000, 70000), "none", {
  ...int32,
  name: "mul (int32 wraps)",
});
binary("div", lax.div, (x, y) => Math.trunc(x / y), I([8], -20, 20), I([8], -5, 5, { nonzero: true }), "none", {
  ...int32,
  name: "div (int32 truncates)",
});
binary("rem", lax.rem, (x, y) => x % y, I([8], -20, 20), I([8], -5, 5, { nonzero: true }), "none", {
  ...int32,
  name: "rem (int32)",
});
binary(
  "and",
  (x, y) => np.logicalAnd(x, y),
  (x, y) => x & y,
  B([2, 3]),
  B([2, 3]),
  "none",
  bool,
);
binary(
  "or",
  (x, y) => np.logicalOr(x, y),
  (x, y) => x | y,
  B([2, 3]),
  B([3]),
  "none",
  bool,
);
binary(
  "xor",
  (x, y) => np.logicalXor(x, y),
  (x, y) => x ^ y,
  B([2, 3]),
  B([2, 3]),
  "none",
  bool,
);
binary(
  "and",
  (x, y) => np.bitwiseAnd(x, y),
  (x, y) => x & y,
  I([5], -50, 50),
  I([5], -50, 50),
  "none",
  int32,
);
binary(
  "or",
  (x, y) => np.bitwiseOr(x, y),
  (x, y) => x | y,
  I([5], -50, 50),
  I([5], -50, 50),
  "none",
  int32,
);
binary(
  "xor",
  (x, y) => np.bitwiseXor(x, y),
  (x, y) => x ^ y,
  I([5], -50, 50),
  I([5], -50, 50),
  "none",
  int32,
);
binary(
  "shift_left",
  (x, y) => np.leftShift(x, y),
  (x, s) => (s >= 32 ? 0 : x << s),
  I([8], -1000, 1000),
  I([8], 0, 33),
  "none",
  int32,
);
binary(
  "shift_right_arithmetic",
  (x, y) => np.rightShift(x, y),
  (x, s) => (s >= 32 ? (x < 0 ? -1 : 0) : x >> s),
  I([8], -1000, 1000),
  I([8], 0, 33),
  "none",
  int32,
);
binary(
  "shift_right_logical",
  (x, y) => np.rightShift(x, y),
  (x, s) => (s >= 32 ? 0 : x >>> s),
  I([8], 0, 2 ** 32, { dtype: "uint32" }),
  I([8], 0, 33, { dtype: "uint32" }),
  "none",
  { out: () => ["uint32"] },
);

// ---- select_n, convert_element_type -------------------------------------------------------

row({
  name: "select_n (bool predicate, broadcast)",
  prim: "select_n",
  args: [B([3]), F([2, 3], -2, 2), F([1, 3], -2, 2)],
  fn: (p, a, b) => lax.select(p, a, b),
  ref: (p, a, b) => R.mapN([p, a, b], (q, x, y) => (q ? x : y)),
  diff: "smooth",
});
row({
  name: "select_n (int32 predicate, three cases)",
  prim: "select_n",
  args: [I([2, 3], 0, 3), F([2, 3], -2, 2), F([2, 3], -2, 2), F([], -2, 2)],
  fn: (p, a, b, c) => lax.selectN(p, [a, b, c]),
  ref: (p, a, b, c) => R.mapN([p, a, b, c], (q, x, y, z) => [x, y, z][q]),
  diff: "smooth",
});
row({
  name: "convert_element_type (float → int32)",
  prim: "convert_element_type",
  args: [F([2, 3], -5, 5)],
  fn: (x) => x.astype("int32"),
  ref: (x) => R.map1(x, Math.trunc),
  diff: "none",
  out: () => ["int32"],
});
row({
  name: "convert_element_type (float → bool)",
  prim: "convert_element_type",
  args: [Fval([5], [0, -0, 2.5, NaN, -1])],
  fn: (x) => x.astype("bool"),
  ref: (x) => R.map1(x, (v) => +(v !== 0)),
  diff: "none",
  out: () => ["bool"],
});
row({
  name: "convert_element_type (int32 → float32)",
  prim: "convert_element_type",
  args: [I([4], -1000, 1000)],
  fn: (x) => x.astype("float32"),
  ref: (x) => x,
  diff: "none",
  out: () => ["float32"],
});
row({
  name: "convert_element_type (to a weak type)",
  prim: "convert_element_type",
  args: [F([2, 3], -2, 2)],
  fn: (x) => convert(x, x.dtype, true),
  ref: (x) => x,
  diff: "smooth",
});

// ---- reductions --------------------------------------------------------------------------------

const sumOp = (a: number, b: number) => a + b;
row({
  name: "reduce_sum axes [1]",
  prim: "reduce_sum",
  args: [F([2, 3, 4], -2, 2)],
  fn: (x) => np.sum(x, 1),
  ref: (x) => R.reduce(x, [1], 0, sumOp),
  diff: "smooth",
});
row({
  name: "reduce_sum axes [0, 2] (size-1 axis)",
  prim: "reduce_sum",
  args: [F([3, 1, 2], -2, 2)],
  fn: (x) => lax.reduceSum(x, [0, 2]),
  ref: (x) => R.reduce(x, [0, 2], 0, sumOp),
  diff: "smooth",
});
row({
  name: "reduce_sum all axes → 0-d",
  prim: "reduce_sum",
  args: [F([2, 3], -2, 2)],
  fn: (x) => np.sum(x),
  ref: (x) => R.reduce(x, [0, 1], 0, sumOp),
  diff: "smooth",
});
row({
  name: "reduce_max axes [1]",
  prim: "reduce_max",
  args: [F([2, 4, 3], -2, 2)],
  fn: (x) => np.max(x, 1),
  ref: (x) => R.reduce(x, [1], -Infinity, Math.max),
  diff: "kinked",
});
row({
  name: "reduce_max all axes → 0-d",
  prim: "reduce_max",
  args: [F([5], -2, 2)],
  fn: (x) => np.max(x),
  ref: (x) => R.reduce(x, [0], -Infinity, Math.max),
  diff: "kinked",
});
row({
  name: "reduce_min axes [0, 2]",
  prim: "reduce_min",
  args: [F([3, 2, 2], -2, 2)],
  fn: (x) => np.min(x, [0, 2]),
  ref: (x) => R.reduce(x, [0, 2], Infinity, Math.min),
  diff: "kinked",
});
row({
  name: "reduce_prod axes [1]",
  prim: "reduce_prod",
  args: [F([2, 4, 3], -1.5, 1.5, near([0], 0.3))],
  fn: (x) => np.prod(x, 1),
  ref: (x) => R.reduce(x, [1], 1, (a, b) => a * b),
  diff: "smooth",
});
row({
  name: "reduce_prod with zeros (one and two per row)",
  prim: "reduce_prod",
  args: [Fval([2, 3], [0, 1.5, -2, 0, 0, 3])],
  fn: (x) => np.prod(x, 1),
  ref: (x) => R.reduce(x, [1], 1, (a, b) => a * b),
  diff: "smooth",
});
row({
  name: "reduce_prod axes [0, 1] → 0-d",
  prim: "reduce_prod",
  args: [F([3, 2], 0.5, 1.5)],
  fn: (x) => np.prod(x),
  ref: (x) => R.reduce(x, [0, 1], 1, (a, b) => a * b),
  diff: "smooth",
});
row({
  name: "reduce_and axes [1]",
  prim: "reduce_and",
  args: [B([3, 2])],
  fn: (x) => np.all(x, 1),
  ref: (x) => R.reduce(x, [1], 1, (a, b) => a & b),
  diff: "none",
  out: () => ["bool"],
});
row({
  name: "reduce_or axes [0]",
  prim: "reduce_or",
  args: [B([2, 3])],
  fn: (x) => np.any(x, 0),
  ref: (x) => R.reduce(x, [0], 0, (a, b) => a | b),
  diff: "none",
  out: () => ["bool"],
});

const firstIndexOf = (better: (a: number, b: number) => boolean) => (line: number[]) => {
  let k = 0;
  line.forEach((v, i) => {
    if (better(v, line[k])) k = i;
  });
  return k;
};
row({
  name: "argmax axis 1 (ties: first index)",
  prim: "argmax",
  args: [Fint([3, 4], -1, 1)],
  fn: (x) => np.argmax(x, 1),
  ref: (x) =>
    R.reduceLines(
      x,
      1,
      firstIndexOf((a, b) => a > b),
    ),
  diff: "none",
  out: () => ["int32"],
});
row({
  name: "argmin axis 0 (ties: first index)",
  prim: "argmin",
  args: [Fint([4, 3], -1, 1)],
  fn: (x) => np.argmin(x, 0),
  ref: (x) =>
    R.reduceLines(
      x,
      0,
      firstIndexOf((a, b) => a < b),
    ),
  diff: "none",
  out: () => ["int32"],
});

// ---- structural ----------------------------------------------------------------------------------

row({
  name: "reshape [2,3] → [3,2]",
  prim: "reshape",
  args: [F([2, 3], -2, 2)],
  fn: (x) => np.reshape(x, [3, 2]),
  ref: (x) => R.reshape(x, [3, 2]),
  diff: "smooth",
});
row({
  name: "reshape 0-d → [1,1]",
  prim: "reshape",
  args: [F([], -2, 2)],
  fn: (x) => np.reshape(x, [1, 1]),
  ref: (x) => R.reshape(x, [1, 1]),
  diff: "smooth",
});
row({
  name: "broadcast_in_dim [2,4] → [2,3,4] dims (0,2)",
  prim: "broadcast_in_dim",
  args: [F([2, 4], -2, 2)],
  fn: (x) => lax.broadcastInDim(x, [2, 3, 4], [0, 2]),
  ref: (x) => R.broadcastInDim(x, [2, 3, 4], [0, 2]),
  diff: "smooth",
});
row({
  name: "broadcast_in_dim [1,3] → [4,2,3] (size-1 axis expands)",
  prim: "broadcast_in_dim",
  args: [F([1, 3], -2, 2)],
  fn: (x) => lax.broadcastInDim(x, [4, 2, 3], [1, 2]),
  ref: (x) => R.broadcastInDim(x, [4, 2, 3], [1, 2]),
  diff: "smooth",
});
row({
  name: "broadcast_in_dim 0-d → [2,3]",
  prim: "broadcast_in_dim",
  args: [F([], -2, 2)],
  fn: (x) => lax.broadcastInDim(x, [2, 3], []),
  ref: (x) => R.broadcastInDim(x, [2, 3], []),
  diff: "smooth",
});
row({
  name: "transpose (2,0,1)",
  prim: "transpose",
  args: [F([2, 3, 4], -2, 2)],
  fn: (x) => lax.transpose(x, [2, 0, 1]),
  ref: (x) => R.transpose(x, [2, 0, 1]),
  diff: "smooth",
});
row({
  name: "transpose .T of [3,1]",
  prim: "transpose",
  args: [F([3, 1], -2, 2)],
  fn: (x) => x.T,
  ref: (x) => R.transpose(x, [1, 0]),
  diff: "smooth",
});

// ---- slicing ------------------------------------------------------------------------------------

row({
  name: "slice with strides (2,3)",
  prim: "slice",
  args: [F([5, 7], -2, 2)],
  fn: (x) => lax.slice(x, [0, 1], [5, 7], [2, 3]),
  ref: (x) => R.slice(x, [0, 1], [5, 7], [2, 3]),
  diff: "smooth",
});
row({
  name: "slice, unit strides, size-1 axis",
  prim: "slice",
  args: [F([3, 1, 4], -2, 2)],
  fn: (x) => lax.slice(x, [1, 0, 1], [3, 1, 4]),
  ref: (x) => R.slice(x, [1, 0, 1], [3, 1, 4], [1, 1, 1]),
  diff: "smooth",
});
row({
  name: "slice with a stride that does not divide the extent",
  prim: "slice",
  args: [F([8, 3], -2, 2)],
  fn: (x) => lax.slice(x, [1, 0], [7, 3], [4, 2]),
  ref: (x) => R.slice(x, [1, 0], [7, 3], [4, 2]),
  diff: "smooth",
});
row({
  name: "slice x[::-2] (rev + strided slice)",
  prim: "slice",
  args: [F([5], -2, 2)],
  fn: (x) => x.get(np.slice(null, null, -2)),
  ref: (x) => R.tensor([3], ([i]) => x.data[4 - 2 * i]),
  diff: "smooth",
});
row({
  name: "pad [[1,2,1],[0,1,2]] with a traced padding value",
  prim: "pad",
  args: [F([2, 3], -2, 2), F([], -2, 2)],
  fn: (x, v) =>
    lax.pad(x, v, [
      [1, 2, 1],
      [0, 1, 2],
    ]),
  ref: (x, v) =>
    R.pad(x, v.data[0], [
      [1, 2, 1],
      [0, 1, 2],
    ]),
  diff: "smooth",
});
row({
  name: "pad interior only, constant value",
  prim: "pad",
  args: [F([3], -2, 2)],
  fn: (x) => lax.pad(x, 0.5, [[0, 0, 2]]),
  ref: (x) => R.pad(x, 0.5, [[0, 0, 2]]),
  diff: "smooth",
});
row({
  name: "concatenate three operands on axis 1",
  prim: "concatenate",
  args: [F([2, 1, 3], -2, 2), F([2, 2, 3], -2, 2), F([2, 3, 3], -2, 2)],
  fn: (a, b, c) => lax.concatenate([a, b, c], 1),
  ref: (a, b, c) => R.concat([a, b, c], 1),
  diff: "smooth",
});
row({
  name: "concatenate 1-d",
  prim: "concatenate",
  args: [F([2], -2, 2), F([1], -2, 2)],
  fn: (a, b) => lax.concatenate([a, b], 0),
  ref: (a, b) => R.concat([a, b], 0),
  diff: "smooth",
});
row({
  name: "rev dims (0,2)",
  prim: "rev",
  args: [F([2, 3, 4], -2, 2)],
  fn: (x) => lax.rev(x, [0, 2]),
  ref: (x) => R.rev(x, [0, 2]),
  diff: "smooth",
});

// ---- dot_general ----------------------------------------------------------------------------

type Dims = [[number[], number[]], [number[], number[]]];
/**
 * float32 products of K pairs from [-2, 2]: the cpu kernel sums in float64 and rounds once
 * (½ ulp), the wasm kernel sums in float32 (as XLA does), erring by at most
 * K·2⁻²⁴·Σ|aᵢbᵢ| ≤ K·2⁻²⁴·4K in absolute terms; the tolerance allows that bound.
 */
function dotTol32(k: number): Tol {
  return { rtol: ULP32, atol: 4 * k * k * 2 ** -24 };
}
function dot(name: string, a: number[], b: number[], dims: Dims): void {
  const k = dims[0][0].reduce((n, axis) => n * a[axis], 1);
  row({
    name: `dot_general ${name}`,
    prim: "dot_general",
    args: [F(a, -2, 2), F(b, -2, 2)],
    fn: (x, y) => lax.dotGeneral(x, y, dims),
    ref: (x, y) => R.dotGeneral(x, y, dims[0], dims[1]),
    diff: "smooth",
    tol32: dotTol32(k),
  });
}
dot(
  "matmul",
  [3, 4],
  [4, 5],
  [
    [[1], [0]],
    [[], []],
  ],
);
dot(
  "batch [0]/[0], contract [2]/[1]",
  [2, 3, 4],
  [2, 4, 5],
  [
    [[2], [1]],
    [[0], [0]],
  ],
);
dot(
  "batch [1]/[2], contract [2]/[0]",
  [4, 2, 3],
  [3, 5, 2],
  [
    [[2], [0]],
    [[1], [2]],
  ],
);
dot(
  "two contracting pairs out of order",
  [3, 2, 4],
  [4, 3, 5],
  [
    [
      [0, 2],
      [1, 0],
    ],
    [[], []],
  ],
);
dot(
  "inner product → 0-d",
  [4],
  [4],
  [
    [[0], [0]],
    [[], []],
  ],
);
dot(
  "outer product",
  [3],
  [2],
  [
    [[], []],
    [[], []],
  ],
);

// ---- gather (integer-array indexing) -------------------------------------------------------------

const clampIndex = (i: number, n: number) => Math.min(Math.max(i, 0), n - 1);
row({
  name: "gather x[idx] (repeated rows)",
  prim: "gather",
  args: [F([5, 3], -2, 2), I([4], 0, 5)],
  fn: (x, i) => x.get(i),
  ref: (x, i) => R.tensor([4, 3], ([k, j]) => R.at(x, [i.data[k], j])),
  diff: "smooth",
});
row({
  name: "gather x[:, idx] with a 2-d index and negative indices",
  prim: "gather",
  args: [F([3, 5], -2, 2), I([2, 2], -5, 5)],
  fn: (x, i) => x.get(np.slice(), i),
  ref: (x, i) => R.tensor([3, 2, 2], ([a, k, l]) => R.at(x, [a, (R.at(i, [k, l]) + 5) % 5])),
  diff: "smooth",
});
row({
  name: "gather x[i, j] (two index arrays)",
  prim: "gather",
  args: [F([4, 5], -2, 2), I([3], 0, 4), I([3], 0, 5)],
  fn: (x, i, j) => x.get(i, j),
  ref: (x, i, j) => R.tensor([3], ([k]) => R.at(x, [i.data[k], j.data[k]])),
  diff: "smooth",
});
row({
  name: "gather x[i, :, j] (non-adjacent index arrays go first)",
  prim: "gather",
  args: [F([4, 2, 5], -2, 2), I([3], 0, 4), I([3], 0, 5)],
  fn: (x, i, j) => x.get(i, np.slice(), j),
  ref: (x, i, j) => R.tensor([3, 2], ([k, m]) => R.at(x, [i.data[k], m, j.data[k]])),
  diff: "smooth",
});
row({
  name: "gather np.take axis 1",
  prim: "gather",
  args: [F([2, 5], -2, 2), I([3], 0, 5)],
  fn: (x, i) => np.take(x, i, 1),
  ref: (x, i) => R.tensor([2, 3], ([a, k]) => R.at(x, [a, i.data[k]])),
  diff: "smooth",
});
row({
  name: "gather np.takeAlongAxis axis 1",
  prim: "gather",
  args: [F([3, 4], -2, 2), I([3, 2], 0, 4)],
  fn: (x, i) => np.takeAlongAxis(x, i, 1),
  ref: (x, i) => R.tensor([3, 2], ([a, b]) => R.at(x, [a, R.at(i, [a, b])])),
  diff: "smooth",
});
row({
  name: "gather (primitive) clamps out-of-range indices",
  prim: "gather",
  args: [F([4, 3], -2, 2), I([5, 1], -3, 7)],
  fn: (x, i) => gather(x, i, [0]),
  ref: (x, i) => R.tensor([5, 3], ([b, j]) => R.at(x, [clampIndex(i.data[b], 4), j])),
  diff: "smooth",
});
row({
  name: "gather (primitive) on axes (0,2)",
  prim: "gather",
  args: [F([4, 3, 2], -2, 2), I([5, 2], 0, 2)],
  fn: (x, i) => gather(x, i, [0, 2]),
  ref: (x, i) => R.tensor([5, 3], ([b, j]) => R.at(x, [R.at(i, [b, 0]), j, R.at(i, [b, 1])])),
  diff: "smooth",
});

// ---- scatter (.at[...] updates) ------------------------------------------------------------------

/** x with updates combined at rows idx[k] (first axis), in order, dropping out-of-range rows. */
function scatterRows(
  x: T,
  idx: number[][],
  u: (k: number, rest: number[]) => number,
  combine: (a: number, b: number) => number,
  axes: number[],
): T {
  const out = { shape: [...x.shape], data: x.data.slice() };
  const rest = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  idx.forEach((ix, k) => {
    if (ix.some((v, j) => v < 0 || v >= x.shape[axes[j]])) return;
    R.forEachIndex(
      rest.map((i) => x.shape[i]),
      (r) => {
        const full = new Array<number>(x.shape.length);
        axes.forEach((a, j) => (full[a] = ix[j]));
        rest.forEach((a, j) => (full[a] = r[j]));
        const pos = full.reduce((acc, v, d) => acc * x.shape[d] + v, 0);
        out.data[pos] = combine(out.data[pos], u(k, r));
      },
    );
  });
  return out;
}
const rowsOf = (i: T) => Array.from(i.data, (v) => [v]);
row({
  name: "scatter x.at[idx].set(u) (distinct rows)",
  prim: "scatter",
  args: [F([5, 3], -2, 2), I([3], 0, 5, { distinct: true }), F([3, 3], -2, 2)],
  fn: (x, i, u) => x.at(i).set(u),
  ref: (x, i, u) =>
    scatterRows(
      x,
      rowsOf(i),
      (k, [j]) => R.at(u, [k, j]),
      (_a, b) => b,
      [0],
    ),
  diff: "smooth",
});
row({
  name: "scatter x.at[idx].set(u) (repeated rows: the last write wins)",
  prim: "scatter",
  args: [F([4, 2], -2, 2), I([5], 0, 4), F([5, 2], -2, 2)],
  fn: (x, i, u) => x.at(i).set(u),
  ref: (x, i, u) =>
    scatterRows(
      x,
      rowsOf(i),
      (k, [j]) => R.at(u, [k, j]),
      (_a, b) => b,
      [0],
    ),
  diff: "smooth",
});
row({
  name: "scatter-set (primitive), out-of-range updates dropped",
  prim: "scatter",
  args: [F([5], -2, 2), I([6, 1], -2, 7), F([6], -2, 2)],
  fn: (x, i, u) => scatter(x, i, u, [0], "set"),
  ref: (x, i, u) =>
    scatterRows(
      x,
      rowsOf(i),
      (k) => u.data[k],
      (_a, b) => b,
      [0],
    ),
  diff: "smooth",
});
/**
 * Repeated indices combine in float32 one at a time (each partial result is
 * rounded), so the float32 result may be a few roundings of partial sums of
 * magnitude ≲ 6 away from the float64 reference.
 */
const SCATTER_ADD_TOL32: Tol = { rtol: ULP32, atol: 6 * 3 * ULP32 };
row({
  name: "scatter x.at[idx].add(u) (repeated rows)",
  prim: "scatter",
  args: [F([5, 3], -2, 2), I([6], 0, 5), F([6, 3], -2, 2)],
  fn: (x, i, u) => x.at(i).add(u),
  ref: (x, i, u) =>
    scatterRows(
      x,
      rowsOf(i),
      (k, [j]) => R.at(u, [k, j]),
      (a, b) => a + b,
      [0],
    ),
  diff: "smooth",
  tol32: SCATTER_ADD_TOL32,
});
row({
  name: "scatter x.at[i, j].add(u) (two index arrays)",
  prim: "scatter",
  args: [F([3, 4], -2, 2), I([2], 0, 3), I([2], 0, 4), F([2], -2, 2)],
  fn: (x, i, j, u) => x.at(i, j).add(u),
  ref: (x, i, j, u) =>
    scatterRows(
      x,
      Array.from(i.data, (v, k) => [v, j.data[k]]),
      (k) => u.data[k],
      (a, b) => a + b,
      [0, 1],
    ),
  diff: "smooth",
  tol32: SCATTER_ADD_TOL32,
});
row({
  name: "scatter x.at[idx].mul(u) (distinct indices)",
  prim: "scatter",
  args: [F([5], -2, 2), I([3], 0, 5, { distinct: true }), F([3], -2, 2)],
  // The gradient wrt u needs JAX's promise of unique indices (scatter_mul's rule).
  fn: (x, i, u) => x.at(i).mul(u, { uniqueIndices: true }),
  ref: (x, i, u) =>
    scatterRows(
      x,
      rowsOf(i),
      (k) => u.data[k],
      (a, b) => a * b,
      [0],
    ),
  diff: "smooth",
});
row({
  name: "scatter x.at[idx].min(u) (repeated indices)",
  prim: "scatter",
  args: [F([6], -2, 2), I([8], 0, 6), F([8], -2, 2)],
  fn: (x, i, u) => x.at(i).min(u),
  ref: (x, i, u) => scatterRows(x, rowsOf(i), (k) => u.data[k], Math.min, [0]),
  diff: "kinked",
});
row({
  name: "scatter x.at[idx].max(u) (repeated indices)",
  prim: "scatter",
  args: [F([2, 3], -2, 2), I([4], 0, 2), F([4, 3], -2, 2)],
  fn: (x, i, u) => x.at(i).max(u),
  ref: (x, i, u) => scatterRows(x, rowsOf(i), (k, [j]) => R.at(u, [k, j]), Math.max, [0]),
  diff: "kinked",
});
row({
  name: "scatter-add (primitive) on axes (0,2), out-of-range updates dropped",
  prim: "scatter",
  args: [F([4, 3, 2], -2, 2), I([5, 2], -1, 3), F([5, 3], -2, 2)],
  fn: (x, i, u) => scatter(x, i, u, [0, 2], "add"),
  ref: (x, i, u) =>
    scatterRows(
      x,
      Array.from({ length: 5 }, (_, k) => [R.at(i, [k, 0]), R.at(i, [k, 1])]),
      (k, [j]) => R.at(u, [k, j]),
      (a, b) => a + b,
      [0, 2],
    ),
  diff: "smooth",
  tol32: SCATTER_ADD_TOL32,
});

// ---- sort ------------------------------------------------------------------------------------------

/** A stable argsort of a line by lexicographic keys. */
function stableOrder(keys: number[][]): number[] {
  const n = keys[0].length;
  return Array.from({ length: n }, (_, i) => i).sort((p, q) => {
    for (const k of keys) if (k[p] !== k[q]) return k[p] < k[q] ? -1 : 1;
    return p - q;
  });
}
/** Sorts operands along `axis` by the first `numKeys`. */
function sortRef(ts: T[], axis: number, numKeys: number): T[] {
  // Lines of every operand, permuted by the order of the keys' lines.
  const lines = ts.map((t) => {
    const out: number[][] = [];
    R.alongAxis(t, axis, (line) => (out.push(line), line));
    return out;
  });
  const orders = lines[0].map((_, l) => stableOrder(lines.slice(0, numKeys).map((op) => op[l])));
  return ts.map((t, j) => {
    let l = 0;
    return R.alongAxis(t, axis, () => {
      const order = orders[l];
      const line = lines[j][l++];
      return order.map((k) => line[k]);
    });
  });
}
row({
  name: "sort axis 1 (np.sort)",
  prim: "sort",
  args: [F([3, 4], -2, 2)],
  fn: (x) => np.sort(x, 1),
  ref: (x) => sortRef([x], 1, 1),
  diff: "kinked",
});
row({
  name: "sort axis 0 of [4,1]",
  prim: "sort",
  args: [F([4, 1], -2, 2)],
  fn: (x) => np.sort(x, 0),
  ref: (x) => sortRef([x], 0, 1),
  diff: "kinked",
});
row({
  name: "sort two operands by the first",
  prim: "sort",
  args: [F([2, 5], -2, 2), F([2, 5], -2, 2)],
  fn: (k, v) => lax.sort([k, v], 1, true, 1),
  ref: (k, v) => sortRef([k, v], 1, 1),
  diff: "kinked",
});
row({
  name: "sort by two keys (int32 key with ties, then float key)",
  prim: "sort",
  args: [I([6], 0, 3), F([6], -2, 2), F([6], -2, 2)],
  fn: (k1, k2, v) => lax.sort([k1, k2, v], 0, true, 2),
  ref: (k1, k2, v) => sortRef([k1, k2, v], 0, 2),
  diff: "kinked",
  out: (d) => ["int32", d, d],
});
row({
  name: "sort: argsort with ties is stable",
  prim: "sort",
  args: [Fint([3, 5], -1, 1)],
  fn: (x) => np.argsort(x, 1),
  ref: (x) => R.alongAxis(x, 1, (line) => stableOrder([line])),
  diff: "none",
  out: () => ["int32"],
});

// ---- cumulative -------------------------------------------------------------------------------------

function cum(
  name: string,
  prim: string,
  spec: Spec,
  fn: (x: NdArray) => NdArray,
  op: (a: number, b: number) => number,
  axis: number,
  reverse: boolean,
  diff: Row["diff"],
): void {
  row({
    name: `${prim} ${name}`,
    prim,
    args: [spec],
    fn,
    ref: (x) => R.alongAxis(x, axis, (l) => R.scan(l, op, reverse)),
    diff,
  });
}
cum("axis 1, reverse", "cumsum", F([3, 4], -2, 2), (x) => lax.cumsum(x, 1, true), sumOp, 1, true, "smooth");
cum("axis 0 (np.cumsum)", "cumsum", F([4, 2], -2, 2), (x) => np.cumsum(x, 0), sumOp, 0, false, "smooth");
cum(
  "axis 1",
  "cumprod",
  F([2, 5], -1.5, 1.5, near([0], 0.3)),
  (x) => lax.cumprod(x, 1),
  (a, b) => a * b,
  1,
  false,
  "smooth",
);
cum(
  "axis 1, reverse, with zeros",
  "cumprod",
  Fval([2, 4], [1.5, 0, 2, -1, 0, 0, 3, 0.5]),
  (x) => lax.cumprod(x, 1, true),
  (a, b) => a * b,
  1,
  true,
  "smooth",
);
cum("axis 1", "cummax", F([3, 4], -2, 2), (x) => lax.cummax(x, 1), Math.max, 1, false, "kinked");
cum("axis 0, reverse", "cummax", F([4, 2], -2, 2), (x) => lax.cummax(x, 0, true), Math.max, 0, true, "kinked");
cum("axis 0, reverse", "cummin", F([4, 3], -2, 2), (x) => lax.cummin(x, 0, true), Math.min, 0, true, "kinked");
cum("axis 1", "cummin", F([2, 5], -2, 2), (x) => lax.cummin(x, 1), Math.min, 1, false, "kinked");

// ---- iota, stop_gradient ------------------------------------------------------------------------------

row({
  name: "iota added to a batched operand",
  prim: "iota",
  args: [F([4], -2, 2)],
  fn: (x) => lax.add(x, lax.iota(x.dtype, 4)),
  ref: (x) => R.tensor([4], ([i]) => x.data[i] + i),
  diff: "smooth",
});
row({
  name: "iota int32 (lax.iota)",
  prim: "iota",
  args: [],
  fn: () => lax.iota("int32", 5),
  ref: () => R.tensor([5], ([i]) => i),
  diff: "none",
  out: () => ["int32"],
});
row({
  name: "iota via np.arange",
  prim: "iota",
  args: [],
  fn: () => np.arange(6),
  ref: () => R.tensor([6], ([i]) => i),
  diff: "none",
  out: () => ["int32"],
});
row({
  name: "iota 2-d via np.eye(3, 4, 1)",
  prim: "iota",
  args: [],
  fn: () => np.eye(3, 4, 1, "float64"),
  ref: () => R.tensor([3, 4], ([i, j]) => +(j === i + 1)),
  diff: "none",
  out: () => ["float64"],
});
row({
  name: "stop_gradient",
  prim: "stop_gradient",
  args: [F([2, 3], -2, 2)],
  fn: (x) => lax.stopGradient(x),
  ref: (x) => x,
  diff: "zero",
});

// --- the checks -------------------------------------------------------------------------------------

interface Inputs {
  ts: T[];
  xs: NdArray[];
}

function makeInputs(r: Row, floatDtype: DType, seed: string): Inputs {
  const g = rng(seedOf(`${r.name}|${seed}`));
  const ts = r.args.map((s) => draw(s, g, floatDtype));
  return { ts, xs: ts.map((t, i) => arg(t, dtypeOf(r.args[i], floatDtype))) };
}

const floatArgs = (r: Row) => r.args.map((s, i) => (s.kind === "float" ? i : -1)).filter((i) => i >= 0);

/** The row's function of its float arguments only (the others fixed), returning a list of outputs. */
function ofFloats(r: Row, xs: NdArray[]): (...floats: NdArray[]) => NdArray[] {
  const fi = floatArgs(r);
  return (...floats) => {
    const args = xs.slice();
    fi.forEach((k, j) => (args[k] = floats[j]));
    return asList(r.fn(...args));
  };
}

async function expectZeros(a: NdArray, label: string): Promise<void> {
  const d = await read(a);
  expect(
    d.data.every((v) => v === 0),
    `${label}: expected zeros, got ${Array.from(d.data).join(", ")}`,
  ).toBe(true);
}

/** Checks the first derivative (host platforms, float64). */
async function checkJvp(r: Row): Promise<void> {
  const { ts, xs } = makeInputs(r, "float64", "jvp");
  const fi = floatArgs(r);
  const f = ofFloats(r, xs);
  const g = rng(seedOf(`${r.name}|tangents`));
  const tT = fi.map((k) => uniformT(g, ts[k].shape, -1, 1));
  const primals = fi.map((k) => xs[k]);
  const tangents = tT.map((t) => toNd(t, "float64"));
  const [outs, touts] = jvp(f, primals, tangents);
  const fd = centralDiff(
    (vals) => f(...vals.map((v) => toNd(v, "float64"))).map(fromNd),
    fi.map((k) => ts[k]),
    tT,
    FD_EPS,
  );
  for (const [k, o] of outs.entries()) {
    expect(touts[k].shape, `tangent ${k} shape`).toEqual(o.shape);
    if (!isFloat(o.dtype)) {
      await expectZeros(touts[k], `tangent of integer output ${k}`);
      continue;
    }
    expect(touts[k].dtype, `tangent ${k} dtype`).toBe(o.dtype);
    const scale = Math.max(1, maxAbs(fromNd(o)));
    expectClose(
      fromNd(touts[k]),
      fd[k],
      { rtol: FD_REL, atol: FD_REL * scale },
      `jvp output ${k} vs central differences`,
    );
  }
  // linearize replays the same tangent operations: bitwise equal to jvp.
  const [louts, lin] = linearize(f, ...primals);
  const ltouts = lin(...tangents);
  louts.forEach((o, k) => {
    expectSame(fromNd(o), fromNd(outs[k]), `linearize primal ${k}`);
    if (isFloat(o.dtype)) expectSame(fromNd(ltouts[k]), fromNd(touts[k]), `linearize tangent ${k}`);
  });
}

function checkVjp(r: Row): void {
  const { ts, xs } = makeInputs(r, "float64", "jvp");
  const fi = floatArgs(r);
  const f = ofFloats(r, xs);
  const g = rng(seedOf(`${r.name}|vjp`));
  const tT = fi.map((k) => uniformT(g, ts[k].shape, -1, 1));
  const primals = fi.map((k) => xs[k]);
  const [, touts] = jvp(
    f,
    primals,
    tT.map((t) => toNd(t, "float64")),
  );
  const [ys, pullback] = vjp(f, ...primals);
  const ctT = ys.map((y) => (isFloat(y.dtype) ? uniformT(g, y.shape, -1, 1) : R.tensor(y.shape, () => 0)));
  const ctIn = pullback(ys.map((y, k) => toNd(ctT[k], y.dtype))) as NdArray[];
  expect(ctIn.length).toBe(primals.length);
  let lhs = 0;
  let scale = 0;
  ys.forEach((y, k) => {
    if (!isFloat(y.dtype)) return;
    lhs += inner(ctT[k], fromNd(touts[k]));
    scale += absInner(ctT[k], fromNd(touts[k]));
  });
  let rhs = 0;
  ctIn.forEach((c, i) => {
    expect(c.shape, `cotangent ${i} shape`).toEqual(primals[i].shape);
    expect(c.dtype, `cotangent ${i} dtype`).toBe(primals[i].dtype);
    rhs += inner(fromNd(c), tT[i]);
    scale += absInner(fromNd(c), tT[i]);
  });
  expect(Math.abs(lhs - rhs), `⟨ct, J·t⟩ = ${lhs} vs ⟨Jᵀ·ct, t⟩ = ${rhs}`).toBeLessThanOrEqual(DOT_REL * scale);
}

/** grad of h(x) = ⟨w, J(x)·t⟩ (reverse over forward) against central differences of h along s. */
function checkSecondOrder(r: Row): void {
  const { ts, xs } = makeInputs(r, "float64", "jvp");
  const fi = floatArgs(r);
  const f = ofFloats(r, xs);
  const g = rng(seedOf(`${r.name}|second`));
  const tangents = fi.map((k) => toNd(uniformT(g, ts[k].shape, -1, 1), "float64"));
  const ys = f(...fi.map((k) => xs[k]));
  const ws = ys.map((y) => (isFloat(y.dtype) ? toNd(uniformT(g, y.shape, -1, 1), "float64") : null));
  const h = (...fl: NdArray[]): NdArray => {
    const [, touts] = jvp(f, fl, tangents);
    let acc: NdArray = np.zeros([], "float64");
    touts.forEach((t, k) => {
      if (ws[k]) acc = np.add(acc, np.sum(np.multiply(t, ws[k]!)));
    });
    return acc;
  };
  const sT = fi.map((k) => uniformT(g, ts[k].shape, -1, 1));
  const grads = grad(h, { argnums: fi.map((_, j) => j) })(...fi.map((k) => xs[k])) as NdArray[];
  let dir = 0;
  let scale = 0;
  grads.forEach((gr, j) => {
    expect(gr.shape).toEqual(ts[fi[j]].shape);
    dir += inner(fromNd(gr), sT[j]);
    scale += absInner(fromNd(gr), sT[j]);
  });
  const hv = (vals: T[]) => fromNd(h(...vals.map((v) => toNd(v, "float64")))).data[0];
  const base = fi.map((k) => ts[k]);
  const fd =
    (hv(base.map((x, j) => axpy(x, FD_EPS, sT[j]))) - hv(base.map((x, j) => axpy(x, -FD_EPS, sT[j])))) / (2 * FD_EPS);
  scale = Math.max(1, scale, Math.abs(hv(base)));
  expect(Math.abs(dir - fd), `⟨∇h, s⟩ = ${dir}, central difference ${fd}`).toBeLessThanOrEqual(FD_REL * scale);
}

async function checkZeroDerivative(r: Row): Promise<void> {
  const { ts, xs } = makeInputs(r, DT, "jvp");
  const fi = floatArgs(r);
  const f = ofFloats(r, xs);
  const g = rng(seedOf(`${r.name}|zero`));
  const primals = fi.map((k) => xs[k]);
  const [outs, touts] = jvp(
    f,
    primals,
    fi.map((k) => arg(uniformT(g, ts[k].shape, -1, 1), DT)),
  );
  for (const [k, o] of outs.entries()) {
    expect(touts[k].shape).toEqual(o.shape);
    await expectZeros(touts[k], `tangent ${k}`);
  }
  if (outs.every((o) => isFloat(o.dtype))) {
    const [ys, pullback] = vjp(f, ...primals);
    const cts = pullback(ys.map((y) => arg(uniformT(g, y.shape, -1, 1), y.dtype))) as NdArray[];
    for (const [i, c] of cts.entries()) {
      expect(c.shape).toEqual(primals[i].shape);
      await expectZeros(c, `cotangent ${i}`);
    }
  }
}

/** vmap with the given in_axes against a loop over the batch (batch of 3), outputs stacked on axis 0. */
async function checkVmap(r: Row, inAxes: (number | null)[]): Promise<void> {
  const g = rng(seedOf(`${r.name}|vmap|${inAxes.join(",")}`));
  const n = 3;
  const examples = r.args.map((s, i) =>
    inAxes[i] === null ? [draw(s, g, DT)] : Array.from({ length: n }, (_, b) => draw(s, g, DT, b)),
  );
  const dt = r.args.map((s) => dtypeOf(s, DT));
  const batched = r.args.map((s, i) => {
    const ax = inAxes[i];
    if (ax === null) return arg(examples[i][0], dt[i]);
    return arg(R.stack(examples[i], ax < 0 ? ax + s.shape.length + 1 : ax), dt[i]);
  });
  const got = asList(vmap(r.fn, { inAxes })(...batched) as Out);
  const loop = Array.from({ length: n }, (_, b) =>
    asList(r.fn(...r.args.map((_, i) => arg(examples[i][inAxes[i] === null ? 0 : b], dt[i])))),
  );
  expect(got.length).toBe(loop[0].length);
  for (const [k, o] of got.entries()) {
    expect(o.dtype, `output ${k} dtype`).toBe(loop[0][k].dtype);
    const each: T[] = [];
    for (const l of loop) each.push(await read(l[k]));
    expectSame(await read(o), R.stack(each, 0), `vmap output ${k} with inAxes ${JSON.stringify(inAxes)}`);
  }
}

const maxTol = (a: Tol, b: Tol): Tol => ({ rtol: Math.max(a.rtol, b.rtol), atol: Math.max(a.atol, b.atol) });

/** `f()` with the cpu platform selected (host arrays only), then the device platform again. */
function onCpu<R>(f: () => R): R {
  const platform = config.values.platform;
  config.update("platform", "cpu");
  try {
    return f();
  } finally {
    config.update("platform", platform);
  }
}

/**
 * The row's jvp, vjp and second-order derivative (grad of ⟨w, J(x)·t⟩) in
 * float32, as flat lists of output arrays; `put` places each argument (on the
 * GPU, or left on the host).
 */
function derivatives(r: Row, put: (t: T, dtype: DType) => NdArray): NdArray[] {
  const g0 = rng(seedOf(`${r.name}|jvp`));
  const ts = r.args.map((s) => draw(s, g0, "float32"));
  const xs = ts.map((t, i) => put(t, dtypeOf(r.args[i], "float32")));
  const fi = floatArgs(r);
  const f = ofFloats(r, xs);
  const g = rng(seedOf(`${r.name}|device`));
  const primals = fi.map((k) => xs[k]);
  const tangents = fi.map((k) => put(uniformT(g, ts[k].shape, -1, 1), "float32"));
  const [ys, touts] = jvp(f, primals, tangents);
  const floats = ys.map((y) => isFloat(y.dtype));
  const [, pullback] = vjp(f, ...primals);
  const cts = ys.map((y) => put(uniformT(g, y.shape, -1, 1), y.dtype));
  const ctIn = pullback(cts) as NdArray[];
  const ws = ys.map((y) => put(uniformT(g, y.shape, -1, 1), "float32"));
  const h = (...fl: NdArray[]): NdArray => {
    const [, ts2] = jvp(f, fl, tangents);
    return ts2.reduce<NdArray>(
      (acc, t, k) => (floats[k] ? np.add(acc, np.sum(np.multiply(t, ws[k]))) : acc),
      np.zeros([], "float32"),
    );
  };
  const second = grad(h, { argnums: fi.map((_, j) => j) })(...primals) as NdArray[];
  return [...touts.filter((_, k) => floats[k]), ...ctIn, ...second];
}

/** The derivative programs on the GPU against the same programs on the cpu (see DEVICE_DERIV). */
async function checkDerivativesOnDevice(r: Row): Promise<void> {
  const gpu = derivatives(r, arg);
  const cpu = onCpu(() => derivatives(r, toNd).map(fromNd));
  expect(gpu.length).toBe(cpu.length);
  for (const [k, a] of gpu.entries()) {
    const want = cpu[k];
    const scale = Math.max(1, maxAbs(want));
    expectClose(await read(a), want, { rtol: DEVICE_DERIV, atol: DEVICE_DERIV * scale }, `derivative output ${k}`);
  }
}

function vmapCases(r: Row): (number | null)[][] {
  const k = r.args.length;
  const cases: (number | null)[][] = [r.args.map(() => 0)];
  // The first argument batched along its last axis (a negative in_axes), the others not batched.
  cases.push(r.args.map((_, i) => (i === 0 ? -1 : null)));
  // The last argument batched along axis 1 (or 0 for a scalar), the others not batched.
  if (k >= 2) cases.push(r.args.map((s, i) => (i === k - 1 ? Math.min(1, s.shape.length) : null)));
  return cases;
}

/** Rows the device rerun leaves out: those whose outputs are float64 whatever the inputs (np.eye(..., "float64")). */
const onDevice = (r: Row): boolean => !DEVICE || !(r.out?.("float32") ?? []).includes("float64");

describe("primitive table", () => {
  for (const r of rows.filter(onDevice)) {
    describe(r.name, () => {
      const hasFloat = floatArgs(r).length > 0;
      const floatDtypes: DType[] = DEVICE ? ["float32"] : hasFloat ? ["float32", "float64"] : ["float64"];
      for (const fdt of floatDtypes) {
        it(`values${hasFloat ? ` in ${fdt}` : ""} against a float64 JS reference`, async () => {
          const { ts, xs } = makeInputs(r, fdt, "values");
          const outs = asList(r.fn(...xs));
          const refs = refList(r.ref(...ts));
          const dtypes = r.out ? r.out(fdt) : outs.map(() => fdt);
          expect(outs.length).toBe(refs.length);
          for (const [k, o] of outs.entries()) {
            expect(o.dtype, `output ${k} dtype`).toBe(dtypes[k]);
            const tol = !isFloat(o.dtype)
              ? { rtol: 0, atol: 0 }
              : DEVICE
                ? maxTol(r.tol32 ?? TOL32, TOL_DEVICE)
                : o.dtype === "float32"
                  ? (r.tol32 ?? TOL32)
                  : (r.tol64 ?? TOL64);
            expectClose(await read(o), refs[k], tol, `output ${k}`);
          }
        });
      }

      it(`binds ${r.prim}`, () => {
        const { xs } = makeInputs(r, DT, "values");
        const names = makeJaxpr(r.fn)(...xs).jaxpr.eqns.map((e) => e.prim.name);
        expect(names).toContain(r.prim);
      });

      it("jit agrees with eager", async () => {
        const { xs } = makeInputs(r, DT, "values");
        const eager = asList(r.fn(...xs));
        const jitted = asList(jit(r.fn)(...xs) as Out);
        for (const [k, e] of eager.entries()) {
          expect(jitted[k].dtype).toBe(e.dtype);
          expectSame(await read(jitted[k]), await read(e), `jit output ${k}`);
        }
      });

      if (r.args.length > 0) {
        for (const inAxes of vmapCases(r)) {
          it(`vmap with inAxes ${JSON.stringify(inAxes)} agrees with a loop`, () => checkVmap(r, inAxes));
        }
      }

      if ((r.diff === "smooth" || r.diff === "kinked") && DEVICE) {
        it("jvp, vjp and second order agree with the cpu's in float32", () => checkDerivativesOnDevice(r));
      } else if (r.diff === "smooth" || r.diff === "kinked") {
        it("jvp agrees with central differences; linearize agrees with jvp", () => checkJvp(r));
        it("vjp passes the dot-product test", () => checkVjp(r));
        it("second order: grad of ⟨w, J·t⟩ agrees with central differences", () => checkSecondOrder(r));
      } else if (hasFloat) {
        it("has a zero derivative", () => checkZeroDerivative(r));
      }
    });
  }
});

// --- points the table avoids: ties, zeros, NaN, and conversions between float dtypes ------------------

describe("primitive edge cases", () => {
  // float64 on the host platforms; float32 on the GPU (in GPU memory), where the expected values are rounded to it.
  const f64 = (v: number[] | number) => onTestDevice(np.array(v, DT));
  const values = async (a: NdArray) => Array.from((await a.data()) as ArrayLike<number>);
  const item = async (a: NdArray) => (await values(a))[0];
  const rounded = (v: number[]) => (DEVICE ? v.map(Math.fround) : v);

  it("max / min split the derivative equally at ties (as JAX)", async () => {
    const x = f64([1, 2, 3]);
    const y = f64([1, 5, 3]);
    const [, tMax] = jvp((a: NdArray) => lax.max(a, y), [x], [f64([1, 1, 1])]);
    expect(await values(tMax)).toEqual([0.5, 0, 0.5]);
    const [, tMin] = jvp((b: NdArray) => lax.min(x, b), [y], [f64([1, 1, 1])]);
    expect(await values(tMin)).toEqual([0.5, 0, 0.5]);
  });

  it("reduce_max / reduce_min share the derivative among tied extremes", async () => {
    expect(await values(grad((x: NdArray) => np.max(x))(f64([1, 3, 3, 2])) as NdArray)).toEqual([0, 0.5, 0.5, 0]);
    expect(await values(grad((x: NdArray) => np.min(x))(f64([-1, 3, -1, -1])) as NdArray)).toEqual(
      rounded([1 / 3, 0, 1 / 3, 1 / 3]),
    );
  });

  it("pow at x = 0 and y = 0 has JAX's derivatives", async () => {
    const dx = (x: number, y: number) => item(grad((a: NdArray) => lax.pow(a, f64(y)))(f64(x)) as NdArray);
    const dy = (x: number, y: number) => item(grad((b: NdArray) => lax.pow(f64(x), b))(f64(y)) as NdArray);
    expect(await dx(0, 2)).toBe(0);
    expect(await dx(0, 1)).toBe(1); // 1·0⁰
    expect(await dx(0, 0)).toBe(0); // x⁰ is constant
    expect(await dx(2, 0)).toBe(0);
    expect(await dy(0, 2)).toBe(0); // JAX: log(x) is replaced by 0 where x = 0
    expect(await dy(2, 3)).toBe(rounded([Math.log(2) * 8])[0]);
  });

  it("NaN: sort puts it last, argmax / argmin return its first position, max / reduce_max propagate it", async () => {
    expect(await values(np.sort(f64([3, NaN, -1, 2])))).toEqual([-1, 2, 3, NaN]);
    expect(await item(np.argmax(f64([1, NaN, 5, NaN])))).toBe(1);
    expect(await item(np.argmin(f64([1, 5, NaN])))).toBe(2);
    expect(await item(np.max(f64([1, NaN, 2])))).toBeNaN();
    expect(await values(lax.max(f64([NaN, 1]), f64([1, NaN])))).toEqual([NaN, NaN]);
  });

  it("convert_element_type between float32 and float64: tangents and cotangents convert exactly", async () => {
    if (DEVICE) {
      // float64 has no GPU form: converting to it there is the DTypeError naming the choice.
      const onGpu = onTestDevice(np.array([0.1, -2.5, 3], "float32"));
      expect(() => onGpu.astype("float64")).toThrow(DTypeError);
      expect(() => onGpu.astype("float64")).toThrow(/float64 is not available on webgpu.*cpu or wasm.*float32/);
      return;
    }
    const x32 = np.array([0.1, -2.5, 3], "float32");
    const t32 = np.array([1 / 3, 0.7, -1.1], "float32");
    const [y, t] = jvp((a: NdArray) => a.astype("float64"), [x32], [t32]);
    expect(y.dtype).toBe("float64");
    expect(t.dtype).toBe("float64");
    expect(await values(t)).toEqual(await values(t32));
    const ct = f64([1 / 3, 0.7, -1.1]);
    const [, pull] = vjp((a: NdArray) => a.astype("float64"), x32);
    const [c] = pull(ct) as NdArray[];
    expect(c.dtype).toBe("float32");
    expect(await values(c)).toEqual([1 / 3, 0.7, -1.1].map(Math.fround));
    const [, pull64] = vjp((a: NdArray) => a.astype("float32"), f64([0.1, 2]));
    const [c64] = pull64(np.array([0.25, -3], "float32")) as NdArray[];
    expect(c64.dtype).toBe("float64");
    expect(await values(c64)).toEqual([0.25, -3]);
  });

  it("stop_gradient blocks only its operand, at first and second order", async () => {
    const f = (x: NdArray) => np.multiply(np.multiply(x, x), lax.stopGradient(x));
    expect(await item(grad(f)(f64(3)) as NdArray)).toBe(18); // 2x·sg(x)
    expect(await item(grad((x: NdArray) => grad(f)(x) as NdArray)(f64(3)) as NdArray)).toBe(6); // 2·sg(x)
  });

  it("scatter transposes: add drops out-of-range cotangents, set keeps only the winning write", async () => {
    const x = f64([0, 0, 0, 0]);
    const idx = onTestDevice(np.array([[1], [5], [1], [-1]], "int32"));
    const ct = f64([10, 20, 30, 40]);
    const [, pullAdd] = vjp((u: NdArray) => scatter(x, idx, u, [0], "add"), f64([1, 2, 3, 4]));
    expect(await values((pullAdd(ct) as NdArray[])[0])).toEqual([20, 0, 20, 0]);
    const [, pullSet] = vjp((u: NdArray) => scatter(x, idx, u, [0], "set"), f64([1, 2, 3, 4]));
    expect(await values((pullSet(ct) as NdArray[])[0])).toEqual([0, 0, 20, 0]);
    // gather clamps, so its transpose adds the clamped reads into the edge rows.
    const [, pullGather] = vjp((y: NdArray) => gather(y, idx, [0]), f64([1, 2, 3, 4]));
    expect(await values((pullGather(ct) as NdArray[])[0])).toEqual([40, 40, 0, 20]);
  });
});
