/**
 * Float32 elementary functions as WebAssembly SIMD instruction sequences.
 *
 * Each emitter takes a function body and the index of a v128 local holding
 * four float32 lanes, appends the instructions that compute the function lane
 * by lane, and returns a new local holding the four results. Nothing branches:
 * every lane follows every path and the results are picked with bit masks, so
 * special values (±0, ±∞, NaN, subnormals) are handled by explicit selects at
 * the end of each sequence.
 *
 * The approximations are the classic Cephes/fdlibm ones:
 * - exp, expm1: Cody–Waite reduction x = n·ln2 + r with a two-part ln2 whose
 *   high part has 9 bits (so n·C1 and x − n·C1 are exact), a degree-9 Taylor
 *   polynomial for expm1(r) on |r| ≤ ½, and 2ⁿ applied as two exact powers of
 *   two built in the exponent bits, so that subnormal results are rounded
 *   once (no flush to zero) and n = 128 does not overflow the construction.
 * - log: frexp with integer lanes into m ∈ [√½, √2) and e (subnormal inputs
 *   are scaled by 2²³ first), Cephes logf's polynomial for log(1 + f), and
 *   e·ln2 added in two parts.
 * - sin, cos: the reduction by π/2 is done in float64 lanes (f64x2), with a
 *   3-part Cody–Waite constant whose first two parts have 27 bits, which makes
 *   the reduction exact to ~2⁻⁷⁹ absolute for |x| < 2²⁶; the fdlibm minimax
 *   polynomials are evaluated in float64 and rounded once to float32, so the
 *   results are very nearly correctly rounded. Lanes with |x| > 2²⁶ (and ±∞)
 *   are reported so that the caller can recompute them (see `SINCOS_LIMIT`).
 */
import { Body, V128 } from "./encoder.js";

const f32 = Math.fround;

/** The f32 sign bit as an i32 lane. */
const SIGN = 0x80000000 | 0;

/** Stores the value left on the stack by `emit` in a new v128 local. */
export function bind(f: Body, emit: () => void): number {
  emit();
  const l = f.local(V128);
  f.set(l);
  return l;
}

/** Pushes c[0]·zᵏ + c[1]·zᵏ⁻¹ + … + c[k] (Horner, f32 lanes), z a local. */
function hornerF32(f: Body, z: number, c: number[]): void {
  f.f32x4Const(c[0]);
  for (let i = 1; i < c.length; i++) f.get(z).f32x4Mul().f32x4Const(c[i]).f32x4Add();
}

/** Same in f64 lanes. */
function hornerF64(f: Body, z: number, c: number[]): void {
  f.f64x2Const(c[0]);
  for (let i = 1; i < c.length; i++) f.get(z).f64x2Mul().f64x2Const(c[i]).f64x2Add();
}

/** Pushes bitselect(a, b, mask): a where the mask is set, else b (all locals). */
function select(f: Body, a: number, b: number, mask: number): void {
  f.get(a).get(b).get(mask).v128Bitselect();
}

/** result = where(mask, constant, result) in place, for an f32 constant. */
function override(f: Body, result: number, value: number, mask: number): void {
  f.f32x4Const(value).get(result).get(mask).v128Bitselect().set(result);
}

// ---------------------------------------------------------------- exp family

const LOG2E = 1.4426950408889634;
const LN2_HI = 0.693359375; // 9 significant bits: n·LN2_HI is exact for |n| < 2¹⁵
const LN2_LO = f32(Math.LN2 - LN2_HI); // −2.1219444e-4
/** expm1(r) = r + r²·Q(r), Taylor coefficients 1/2!, …, 1/9! (highest first); error < 3e-10·|r| for |r| ≤ ½. */
const EXPM1_Q = [1 / 362880, 1 / 40320, 1 / 5040, 1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2].map(f32);

/**
 * Pushes y·2ⁿ for f32 lanes y and integral f32 lanes n ∈ [−252, 254], as
 * y·2^⌊n/2⌋·2^(n−⌊n/2⌋): both factors are normal numbers, so the first
 * product is exact (for y ∈ [½, 2]) and the second rounds once, also into the
 * subnormal range.
 */
function scaleByPow2(f: Body, y: number, n: number): void {
  const ni = bind(f, () => f.get(n).i32x4TruncSatF32x4S());
  const n1 = bind(f, () => f.get(ni).i32(1).i32x4ShrS());
  f.get(y);
  f.get(n1).i32x4Const(127).i32x4Add().i32(23).i32x4Shl().f32x4Mul();
  f.get(ni).get(n1).i32x4Sub().i32x4Const(127).i32x4Add().i32(23).i32x4Shl().f32x4Mul();
}

/**
 * The shared reduction: for xc (already clamped), n = round(xc/ln2) (or 0 where
 * `zeroMask` is set) and p = expm1(xc − n·ln2). Returns [n, p] locals.
 */
function expm1Reduced(f: Body, xc: number, zeroMask?: number): [number, number] {
  const n = bind(f, () => {
    f.get(xc).f32x4Const(LOG2E).f32x4Mul().f32x4Nearest();
    if (zeroMask !== undefined) f.get(zeroMask).v128AndNot();
  });
  // r = (xc − n·C1) − n·C2: the first difference is exact (Sterbenz), the second rounds once.
  const r = bind(f, () =>
    f.get(xc).get(n).f32x4Const(LN2_HI).f32x4Mul().f32x4Sub().get(n).f32x4Const(LN2_LO).f32x4Mul().f32x4Sub(),
  );
  const z = bind(f, () => f.get(r).get(r).f32x4Mul());
  const p = bind(f, () => {
    f.get(r).get(z);
    hornerF32(f, r, EXPM1_Q);
    f.f32x4Mul().f32x4Add();
  });
  return [n, p];
}

/** exp(x) for f32 lanes: overflow to +∞ above 88.7228, 0 below −103.97, subnormal results rounded (not flushed). */
export function emitExp(f: Body, x: number): number {
  // Clamp (f32x4.max/min propagate NaN): exp(−104) < 2⁻¹⁵⁰ rounds to 0, and 88.8 > ln(FLT_MAX) overflows.
  const xc = bind(f, () => f.get(x).f32x4Const(-104).f32x4Max().f32x4Const(88.8).f32x4Min());
  const [n, p] = expm1Reduced(f, xc);
  const y = bind(f, () => f.f32x4Const(1).get(p).f32x4Add());
  return bind(f, () => scaleByPow2(f, y, n));
}

/**
 * expm1(x): for |x| < ½ the polynomial alone (n = 0); otherwise
 * 2ⁿ·(p + (1 − 2⁻ⁿ)), where 1 − 2⁻ⁿ is exact for |n| ≤ 24 and the sum
 * rounds once before the exact scaling. Below −18 the result is −1.
 */
export function emitExpm1(f: Body, x: number): number {
  const xc = bind(f, () => f.get(x).f32x4Const(-18).f32x4Max().f32x4Const(88.8).f32x4Min());
  const small = bind(f, () => f.get(x).f32x4Abs().f32x4Const(0.5).f32x4Lt());
  const [n, p] = expm1Reduced(f, xc, small);
  // 2^−min(n, 26) from the exponent bits; n ≥ −26 here.
  const c = bind(f, () =>
    f
      .f32x4Const(1)
      .i32x4Const(127)
      .get(n)
      .f32x4Const(26)
      .f32x4Min()
      .i32x4TruncSatF32x4S()
      .i32x4Sub()
      .i32(23)
      .i32x4Shl()
      .f32x4Sub(),
  );
  const y = bind(f, () => f.get(p).get(c).f32x4Add());
  const res = bind(f, () => scaleByPow2(f, y, n));
  // expm1(±0) = ±0 (the polynomial gives +0 for −0).
  const zero = bind(f, () => f.get(x).f32x4Const(0).f32x4Eq());
  f.get(x).get(res).get(zero).v128Bitselect().set(res);
  return res;
}

/** logistic(x) = 1/(1 + e⁻ˣ) for x ≥ 0, eˣ/(1 + eˣ) for x < 0, with e = exp(−|x|): never overflows. */
export function emitLogistic(f: Body, x: number): number {
  const negAbs = bind(f, () => f.get(x).i32x4Const(SIGN).v128Or());
  const e = emitExp(f, negAbs);
  const neg = bind(f, () => f.get(x).f32x4Const(0).f32x4Lt());
  return bind(f, () => {
    f.get(e).f32x4Const(1).get(neg).v128Bitselect();
    f.f32x4Const(1).get(e).f32x4Add().f32x4Div();
  });
}

/** Cephes tanhf: odd polynomial for |x| < 0.625, else 1 − 2/(exp(2|x|) + 1); sign copied from x. */
const TANH_P = [-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1].map(f32);

export function emitTanh(f: Body, x: number): number {
  const a = bind(f, () => f.get(x).f32x4Abs());
  const z = bind(f, () => f.get(a).get(a).f32x4Mul());
  const small = bind(f, () => {
    hornerF32(f, z, TANH_P);
    f.get(z).f32x4Mul().get(a).f32x4Mul().get(a).f32x4Add();
  });
  const twoA = bind(f, () => f.get(a).get(a).f32x4Add());
  const e = emitExp(f, twoA);
  const big = bind(f, () => f.f32x4Const(1).f32x4Const(2).get(e).f32x4Const(1).f32x4Add().f32x4Div().f32x4Sub());
  const isSmall = bind(f, () => f.get(a).f32x4Const(0.625).f32x4Lt());
  return bind(f, () => {
    select(f, small, big, isSmall);
    f.get(x).i32x4Const(SIGN).v128And().v128Or();
  });
}

// ---------------------------------------------------------------- log family

const SQRTH = f32(Math.SQRT1_2);
/** Cephes logf: log(1 + t) = t − t²/2 + t³·P(t) for t ∈ [√½ − 1, √2 − 1] (highest first). */
const LOG_P = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
  2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(f32);

/**
 * log(x) for f32 lanes, finite positive inputs only (other lanes get
 * unspecified values): subnormals are scaled by 2²³ first.
 */
function logFinite(f: Body, x: number): number {
  const sub = bind(f, () =>
    f
      .get(x)
      .f32x4Const(2 ** -126)
      .f32x4Lt(),
  );
  const xs = bind(f, () =>
    f
      .get(x)
      .f32x4Const(2 ** 23)
      .f32x4Mul()
      .get(x)
      .get(sub)
      .v128Bitselect(),
  );
  // m ∈ [½, 1) with the exponent field of ½; e = biased exponent − 126 (− 23 for scaled subnormals).
  const m0 = bind(f, () => f.get(xs).i32x4Const(0x007fffff).v128And().i32x4Const(0x3f000000).v128Or());
  const lt = bind(f, () => f.get(m0).f32x4Const(SQRTH).f32x4Lt());
  const e = bind(f, () => {
    f.get(xs).i32(23).i32x4ShrU().i32x4Const(126).i32x4Sub();
    f.get(sub).i32x4Const(23).v128And().i32x4Sub();
    f.get(lt).i32x4Add(); // m < √½: e − 1 (the mask is −1) and m → 2m
    f.f32x4ConvertI32x4S();
  });
  // t = 2m − 1 or m − 1, both exact.
  const t = bind(f, () => f.get(m0).get(m0).f32x4Add().get(m0).get(lt).v128Bitselect().f32x4Const(1).f32x4Sub());
  const z = bind(f, () => f.get(t).get(t).f32x4Mul());
  return bind(f, () => {
    hornerF32(f, t, LOG_P);
    f.get(t).f32x4Mul().get(z).f32x4Mul(); // y = t³·P(t)
    f.get(e).f32x4Const(LN2_LO).f32x4Mul().f32x4Add(); // y += e·ln2_lo
    f.get(z).f32x4Const(-0.5).f32x4Mul().f32x4Add(); // y −= t²/2
    f.get(t).f32x4Add(); // t + y
    f.get(e).f32x4Const(LN2_HI).f32x4Mul().f32x4Add(); // + e·ln2_hi
  });
}

/** log(x): NaN for x < 0 or NaN, −∞ for ±0, +∞ for +∞. */
export function emitLog(f: Body, x: number): number {
  const res = logFinite(f, x);
  const m = f.local(V128);
  f.get(x).f32x4Const(Infinity).f32x4Eq().set(m);
  override(f, res, Infinity, m);
  f.get(x).f32x4Const(0).f32x4Eq().set(m);
  override(f, res, -Infinity, m);
  f.get(x).f32x4Const(0).f32x4Ge().v128Not().set(m);
  override(f, res, NaN, m);
  return res;
}

/**
 * log1p(x) = log(u) − ((u − 1) − x)/u with u = 1 + x: (u − 1) − x is the
 * rounding error of u, exactly, and dividing it by u corrects log(u) to first
 * order. Where u = 1 the result is x.
 */
export function emitLog1p(f: Body, x: number): number {
  const u = bind(f, () => f.f32x4Const(1).get(x).f32x4Add());
  const lu = logFinite(f, u);
  const res = bind(f, () => {
    f.get(lu);
    f.get(u).f32x4Const(1).f32x4Sub().get(x).f32x4Sub().get(u).f32x4Div();
    f.f32x4Sub();
  });
  const m = f.local(V128);
  f.get(u).f32x4Const(1).f32x4Eq().set(m);
  f.get(x).get(res).get(m).v128Bitselect().set(res);
  f.get(x).f32x4Const(Infinity).f32x4Eq().set(m);
  override(f, res, Infinity, m);
  f.get(x).f32x4Const(-1).f32x4Eq().set(m);
  override(f, res, -Infinity, m);
  f.get(x).f32x4Const(-1).f32x4Ge().v128Not().set(m); // x < −1 or NaN
  override(f, res, NaN, m);
  return res;
}

// ---------------------------------------------------------------- sin, cos

/** Lanes with |x| above this are not reduced accurately by the kernel; the caller recomputes them. */
export const SINCOS_LIMIT = 2 ** 26;
const TWO_OVER_PI = 2 / Math.PI;
const ROUND_MAGIC = 6755399441055744; // 1.5·2⁵²: adding it rounds to an integer kept in the low mantissa bits
// π/2 = PIO2_1 + PIO2_2 + PIO2_3 to ~2⁻¹⁰⁶; the first two have 27 and 25 significant bits, so q·PIO2_1 and
// q·PIO2_2 are exact for |q| < 2²⁶.
const PIO2_1 = 1.570796325802803; // 0x3ff921fb54000000
const PIO2_2 = 9.920935739593517e-10; // 0x3e110b4610000000
const PIO2_3 = 5.721188726109832e-18;
/** fdlibm __kernel_sin / __kernel_cos minimax coefficients on [−π/4, π/4] (highest first). */
const SIN_S = [
  1.58969099521155010221e-10, -2.50507602534068634195e-8, 2.75573137070700676789e-6, -1.98412698298579493134e-4,
  8.33333333332248946124e-3, -1.66666666666666324348e-1,
];
const COS_C = [
  -1.13596475577881948265e-11, 2.0875723212981748279e-9, -2.75573143513906633035e-7, 2.48015872894767294178e-5,
  -1.38888888888741095749e-3, 4.16666666666666019037e-2,
];

/** sin or cos of two f64 lanes (|x| < 2²⁶), leaving an f64x2 on the stack. */
function sinCosF64(f: Body, x: number, cos: boolean): void {
  const k = bind(f, () => f.get(x).f64x2Const(TWO_OVER_PI).f64x2Mul().f64x2Const(ROUND_MAGIC).f64x2Add());
  const q = bind(f, () => f.get(k).f64x2Const(ROUND_MAGIC).f64x2Sub());
  const r = bind(f, () => {
    f.get(x).get(q).f64x2Const(PIO2_1).f64x2Mul().f64x2Sub();
    f.get(q).f64x2Const(PIO2_2).f64x2Mul().f64x2Sub();
    f.get(q).f64x2Const(PIO2_3).f64x2Mul().f64x2Sub();
  });
  const z = bind(f, () => f.get(r).get(r).f64x2Mul());
  // sin r = r + r·z·S(z); cos r = 1 − z/2 + z²·C(z)
  const s = bind(f, () => {
    f.get(r).get(r).get(z).f64x2Mul();
    hornerF64(f, z, SIN_S);
    f.f64x2Mul().f64x2Add();
  });
  const c = bind(f, () => {
    f.f64x2Const(1).get(z).f64x2Const(0.5).f64x2Mul().f64x2Sub();
    f.get(z).get(z).f64x2Mul();
    hornerF64(f, z, COS_C);
    f.f64x2Mul().f64x2Add();
  });
  // Quadrant j = q mod 4 from the low bits of k (i64 lanes); cos x = sin(x + π/2) uses j + 1.
  const j = bind(f, () => {
    f.get(k);
    if (cos) f.i32x4Const(1, 0, 1, 0).i64x2Add();
  });
  f.get(c).get(s);
  f.get(j).i32(63).i64x2Shl().i32(63).i64x2ShrS(); // odd j: the other function
  f.v128Bitselect();
  f.get(j).i32(62).i64x2Shl().i32x4Const(0, SIGN, 0, SIGN).v128And(); // j ∈ {2, 3}: negate
  f.v128Xor();
}

/**
 * sin or cos of f32 lanes, computed in f64 and rounded once. `flags` is a v128
 * local into which lanes with |x| > SINCOS_LIMIT (or ±∞) are or-ed.
 */
export function emitSinCos(f: Body, x: number, cos: boolean, flags: number): number {
  const lo = bind(f, () => f.get(x).f64x2PromoteLowF32x4());
  const hi = bind(f, () => f.get(x).get(x).i8x16Shuffle([8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]));
  f.get(hi).f64x2PromoteLowF32x4().set(hi);
  const rlo = bind(f, () => {
    sinCosF64(f, lo, cos);
    f.f32x4DemoteF64x2Zero();
  });
  const res = bind(f, () => {
    f.get(rlo);
    sinCosF64(f, hi, cos);
    f.f32x4DemoteF64x2Zero();
    f.i8x16Shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]);
  });
  if (!cos) {
    // sin(±0) = ±0
    const zero = bind(f, () => f.get(x).f32x4Const(0).f32x4Eq());
    f.get(x).get(res).get(zero).v128Bitselect().set(res);
  }
  f.get(flags).get(x).f32x4Abs().f32x4Const(SINCOS_LIMIT).f32x4Gt().v128Or().set(flags);
  return res;
}

// ---------------------------------------------------------------- simple ones

/** sign(x): ±1 with the sign of x, ±0 for ±0, NaN for NaN. */
export function emitSign(f: Body, x: number): number {
  return bind(f, () => {
    f.get(x).i32x4Const(SIGN).v128And().f32x4Const(1).v128Or();
    f.get(x);
    f.get(x).f32x4Abs().f32x4Const(0).f32x4Gt();
    f.v128Bitselect();
  });
}

/** rsqrt(x) = 1/√x with two roundings, as XLA computes it (within 1 ulp of the correctly rounded value). */
export function emitRsqrt(f: Body, x: number): number {
  return bind(f, () => f.f32x4Const(1).get(x).f32x4Sqrt().f32x4Div());
}
