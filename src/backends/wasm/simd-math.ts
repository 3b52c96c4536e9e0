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
 * Speed comes from short dependency chains and cheap instructions: polynomials
 * are evaluated by Estrin's scheme (independent pairs combined with x², x⁴, …
 * instead of one long Horner chain); rounding to an integer adds 1.5·2²³ (the
 * integer lands in the low mantissa bits, read as an i32 lane), instead of
 * f32x4.nearest and the slow saturating conversion; clamps use the one-
 * instruction pseudo-min/max (which keep a NaN in their first operand) rather
 * than the NaN-propagating f32x4.min/max, which V8 expands to several.
 *
 * The approximations (maximum errors measured over all 2³² inputs, see
 * tests/wasm-elementwise.test.ts):
 * - exp (1 ulp), expm1 (1 ulp): Cody–Waite reduction x = n·ln2 + r,
 *   |r| ≲ ln2/2, with a two-part ln2 whose high part has 9 bits (so n·C1 and
 *   x − n·C1 are exact); exp(r) ≈ 1 + r + r²·P(r) with Cephes expf's degree-5
 *   minimax P; 2ⁿ applied as two exact powers of two built in the exponent
 *   bits, so that subnormal results are rounded once (no flush to zero) and
 *   n = 128 does not overflow the construction. expm1 keeps n = 0 for
 *   |x| < ½ (with n = 1 there the final sum would cancel) and uses the
 *   degree-9 Taylor polynomial, accurate on |r| ≤ ½.
 * - log (1 ulp), log1p (1 ulp): x = 2ᵉ·m with m ∈ [√½, √2) from the bits of
 *   x minus those of √½ (musl's logf; subnormal inputs are scaled by 2²³
 *   first), Cephes logf's degree-8 polynomial for log(1 + t), t = m − 1, and
 *   e·ln2 added in two parts; log1p corrects log(1 + x) for the rounding of
 *   1 + x.
 * - sin, cos (2 ulp), tan (1 ulp): the reduction x = q·π/2 + r is done in
 *   float64 lanes (f64x2), with a 2-part Cody–Waite constant whose first part
 *   has 27 bits (so q·C1 and x − q·C1 are exact for |x| < 2²⁶): r is within
 *   ~2⁻⁵⁶ absolute, far below float32's resolution of the reduced argument
 *   even at the float32 inputs closest to multiples of π/2 (a third part
 *   changes no result over all 2³² inputs). For sin and cos, r is rounded once to float32 and the Cephes
 *   sinf/cosf minimax polynomials are evaluated in float32; tan is sin r/cos r
 *   (or −cos r/sin r) evaluated in float64 with the same polynomials. Lanes
 *   with |x| > 2²⁶ (and ±∞) are reported so that the caller can recompute
 *   them (see `SINCOS_LIMIT`).
 * - tanh (1 ulp): Cephes tanhf's odd polynomial below 0.625, else
 *   1 − 2/(exp(2|x|) + 1); logistic (2 ulp): 1/(1 + e) or e/(1 + e) with
 *   e = exp(−|x|).
 * - erf (1 ulp): x + x·A(x²) for |x| < 0.921875, else 1 − exp(−P(|x|)),
 *   A and P of degree 6 (minimax fits of (erf x − x)/x and of −log erfc on
 *   [0.921875, 4], the latter weighted by erfc so that erf's absolute error is
 *   minimised); ±1 beyond 3.92, where erf rounds to 1.
 * - pow (1 ulp over ~4·10⁸ sampled pairs): log|x| from the float32 frexp and
 *   2·atanh((m−1)/(m+1)) in float64 lanes, w = y·log|x| and w = n·ln2 + r in
 *   float64, then exp(r) in float32 (r rounded once) and the exact scaling by
 *   2ⁿ; the special cases of JS `Math.pow` are picked with masks.
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

/** Pushes bitselect(a, b, mask): a where the mask is set, else b (all locals). */
function select(f: Body, a: number, b: number, mask: number): void {
  f.get(a).get(b).get(mask).v128Bitselect();
}

/** result = where(mask, constant, result) in place, for an f32 constant. */
function override(f: Body, result: number, value: number, mask: number): void {
  f.f32x4Const(value).get(result).get(mask).v128Bitselect().set(result);
}

/** The powers x, x², x⁴, … of one local (f32 or f64 lanes), each computed once, on first use. */
class Powers {
  private readonly p: number[];
  constructor(
    private readonly f: Body,
    x: number,
    readonly f64 = false,
  ) {
    this.p = [x];
  }
  /** The local holding x^(2^j). */
  get(j: number): number {
    while (this.p.length <= j) {
      const prev = this.p[this.p.length - 1];
      this.p.push(bind(this.f, () => this.mul(this.f.get(prev).get(prev))));
    }
    return this.p[j];
  }
  mul(f: Body): Body {
    return this.f64 ? f.f64x2Mul() : f.f32x4Mul();
  }
  add(f: Body): Body {
    return this.f64 ? f.f64x2Add() : f.f32x4Add();
  }
  konst(v: number): Body {
    return this.f64 ? this.f.f64x2Const(v) : this.f.f32x4Const(v);
  }
}

/**
 * Pushes c[0] + c[1]·x + … + c[k]·xᵏ (lowest coefficient first) by Estrin's
 * scheme: the low half of the coefficients plus x^(2^j) times the high half,
 * recursively, so the dependency chain is ~log₂(k) multiply-adds long.
 */
function poly(f: Body, x: Powers, c: readonly number[]): void {
  if (c.length === 1) {
    x.konst(c[0]);
    return;
  }
  let j = 0;
  while (2 << j < c.length) j++;
  const m = 1 << j;
  poly(f, x, c.slice(0, m));
  poly(f, x, c.slice(m));
  x.mul(f.get(x.get(j)));
  x.add(f);
}

// ---------------------------------------------------------------- exp family

const LOG2E = 1.4426950408889634;
const LN2_HI = 0.693359375; // 9 significant bits: n·LN2_HI is exact for |n| < 2¹⁵
const LN2_LO = f32(Math.LN2 - LN2_HI); // −2.1219444e-4
/** 1.5·2²³: for |t| < 2²², t + MAGIC is t rounded to an integer i, with bits 0x4b400000 + i. */
const MAGIC = 12582912;
const MAGIC_BITS = 0x4b400000;
/** Cephes expf: exp(r) ≈ 1 + r + r²·P(r) for |r| ≤ ln2/2 (lowest coefficient first). */
const EXP_P = [5.0000001201e-1, 1.6666665459e-1, 4.1665795894e-2, 8.3334519073e-3, 1.3981999507e-3, 1.98756915e-4].map(
  f32,
);

/** expm1(r) ≈ r + r²·Q(r), Taylor coefficients 1/2!, …, 1/9!; relative error < 3e-10 for |r| ≤ ½. */
const EXPM1_Q = [1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040, 1 / 40320, 1 / 362880].map(f32);

/**
 * The shared reduction: for xc (already clamped to |xc| < 2²¹), n = round(xc/ln2) as i32 lanes (0 where
 * `zero` is set) and q = r + r²·P(r) ≈ expm1(r) for r = xc − n·ln2. Returns [n, q] locals.
 */
function expm1Reduced(f: Body, xc: number, p: readonly number[], zero?: number): [number, number] {
  let k = bind(f, () => f.get(xc).f32x4Const(LOG2E).f32x4Mul().f32x4Const(MAGIC).f32x4Add());
  if (zero !== undefined) {
    const k0 = k;
    k = bind(f, () => f.f32x4Const(MAGIC).get(k0).get(zero).v128Bitselect());
  }
  const n = bind(f, () => f.get(k).f32x4Const(MAGIC).f32x4Sub());
  // r = (xc − n·C1) − n·C2: the first difference is exact (Sterbenz), the second rounds once.
  const r = bind(f, () =>
    f.get(xc).get(n).f32x4Const(LN2_HI).f32x4Mul().f32x4Sub().get(n).f32x4Const(LN2_LO).f32x4Mul().f32x4Sub(),
  );
  const pw = new Powers(f, r);
  const q = bind(f, () => {
    poly(f, pw, p);
    f.get(pw.get(1)).f32x4Mul().get(r).f32x4Add();
  });
  const ni = bind(f, () => f.get(k).i32x4Const(MAGIC_BITS).i32x4Sub());
  return [ni, q];
}

/**
 * Pushes y·2ⁿ for f32 lanes y and i32 lanes n ∈ [−252, 254], as
 * y·2^⌊n/2⌋·2^(n−⌊n/2⌋): both factors are normal numbers, so the first
 * product is exact (for y ∈ [½, 2]) and the second rounds once, also into the
 * subnormal range.
 */
function scaleByPow2(f: Body, y: number, n: number): void {
  const n1 = bind(f, () => f.get(n).i32(1).i32x4ShrS());
  f.get(y);
  f.get(n1)
    .i32(23)
    .i32x4Shl()
    .i32x4Const(127 << 23)
    .i32x4Add()
    .f32x4Mul();
  f.get(n)
    .get(n1)
    .i32x4Sub()
    .i32(23)
    .i32x4Shl()
    .i32x4Const(127 << 23)
    .i32x4Add()
    .f32x4Mul();
}

interface ExpOptions {
  /** Clamp x below at −104 (off where the caller knows x ≥ −104). */
  low: boolean;
  /** Clamp x above at 88.8 (off where the caller knows x ≤ 88.8). */
  high: boolean;
  /**
   * Scale by 2ⁿ in one multiplication by a power of two built in the exponent
   * bits: right where the result is a normal number below 2¹²⁸; n = 128 gives
   * +∞ (also for results just below FLT_MAX) and subnormal results are wrong.
   */
  oneStep?: boolean;
}

/**
 * exp(x) for f32 lanes: overflow to +∞ above 88.7228, 0 below −103.97, subnormal results rounded (not flushed).
 */
function expWith(f: Body, x: number, o: ExpOptions): number {
  // exp(−104) < 2⁻¹⁵⁰ rounds to 0, and 88.8 > ln(FLT_MAX) overflows. pmax/pmin keep a NaN x.
  const xc = bind(f, () => {
    f.get(x);
    if (o.low) f.f32x4Const(-104).f32x4Pmax();
    if (o.high) f.f32x4Const(88.8).f32x4Pmin();
  });
  const [n, q] = expm1Reduced(f, xc, EXP_P);
  const y = bind(f, () => f.get(q).f32x4Const(1).f32x4Add());
  if (!o.oneStep) return bind(f, () => scaleByPow2(f, y, n));
  return bind(f, () =>
    f
      .get(y)
      .get(n)
      .i32(23)
      .i32x4Shl()
      .i32x4Const(127 << 23)
      .i32x4Add()
      .f32x4Mul(),
  );
}

export function emitExp(f: Body, x: number): number {
  return expWith(f, x, { low: true, high: true });
}

/**
 * expm1(x) = 2ⁿ·(q + (1 − 2⁻ⁿ)) with q = expm1(r): for |x| < ½, n = 0 and the
 * result is q itself (a longer polynomial covers |r| ≤ ½: with n = 1 there, the
 * sum would cancel); 1 − 2⁻ⁿ is exact for n ≤ 24 (and rounds to 1 above), and
 * the sum rounds once before the exact scaling. Below −18 the result is −1.
 */
export function emitExpm1(f: Body, x: number): number {
  const xc = bind(f, () => f.get(x).f32x4Const(-18).f32x4Pmax().f32x4Const(88.8).f32x4Pmin());
  const small = bind(f, () => f.get(x).f32x4Abs().f32x4Const(0.5).f32x4Lt());
  const [n, q] = expm1Reduced(f, xc, EXPM1_Q, small);
  // 1 − 2^−min(n, 26) from the exponent bits; n ≥ −26 here.
  const y = bind(f, () => {
    f.get(q).f32x4Const(1);
    f.i32x4Const(127).get(n).i32x4Const(26).i32x4MinS().i32x4Sub().i32(23).i32x4Shl();
    f.f32x4Sub().f32x4Add();
  });
  const res = bind(f, () => scaleByPow2(f, y, n));
  // expm1(±0) = ±0 (the polynomial gives +0 for −0).
  const zero = bind(f, () => f.get(x).f32x4Const(0).f32x4Eq());
  f.get(x).get(res).get(zero).v128Bitselect().set(res);
  return res;
}

/** logistic(x) = 1/(1 + e⁻ˣ) for x ≥ 0, eˣ/(1 + eˣ) for x < 0, with e = exp(−|x|): never overflows. */
export function emitLogistic(f: Body, x: number): number {
  const negAbs = bind(f, () => f.get(x).i32x4Const(SIGN).v128Or());
  const e = expWith(f, negAbs, { low: true, high: false });
  const neg = bind(f, () => f.get(x).f32x4Const(0).f32x4Lt());
  return bind(f, () => {
    f.get(e).f32x4Const(1).get(neg).v128Bitselect();
    f.f32x4Const(1).get(e).f32x4Add().f32x4Div();
  });
}

/** Cephes tanhf: tanh x = x + x·z·P(z), z = x², for |x| < 0.625 (lowest coefficient first). */
const TANH_P = [-3.33332819422e-1, 1.33314422036e-1, -5.37397155531e-2, 2.06390887954e-2, -5.70498872745e-3].map(f32);

/** tanh: the odd polynomial for |x| < 0.625, else 1 − 2/(exp(2|x|) + 1); sign copied from x. */
export function emitTanh(f: Body, x: number): number {
  const a = bind(f, () => f.get(x).f32x4Abs());
  const z = bind(f, () => f.get(a).get(a).f32x4Mul());
  const small = bind(f, () => {
    poly(f, new Powers(f, z), TANH_P);
    f.get(z).get(a).f32x4Mul().f32x4Mul().get(a).f32x4Add();
  });
  const twoA = bind(f, () => f.get(a).get(a).f32x4Add());
  const e = expWith(f, twoA, { low: false, high: true, oneStep: true }); // +∞ from 2|x| > 88.72: tanh = 1 anyway
  const big = bind(f, () => f.f32x4Const(1).f32x4Const(2).get(e).f32x4Const(1).f32x4Add().f32x4Div().f32x4Sub());
  const isSmall = bind(f, () => f.get(a).f32x4Const(0.625).f32x4Lt());
  return bind(f, () => {
    select(f, small, big, isSmall);
    f.get(x).i32x4Const(SIGN).v128And().v128Or();
  });
}

// ---------------------------------------------------------------- log family

/** Cephes logf: log(1 + t) = t − t²/2 + t³·P(t) for t ∈ [√½ − 1, √2 − 1] (lowest coefficient first). */
const LOG_P = [
  3.3333331174e-1, -2.4999993993e-1, 2.0000714765e-1, -1.6668057665e-1, 1.4249322787e-1, -1.2420140846e-1,
  1.167699874e-1, -1.151461031e-1, 7.0376836292e-2,
].map(f32);

/** The bits of √½ (rounded): x·2⁻ᵏ ∈ [√½, √2) for k = (bits(x) − SQRTH_BITS) >> 23. */
const SQRTH_BITS = 0x3f3504f3;

/**
 * log(x) for f32 lanes, finite positive inputs only (other lanes get
 * unspecified values). Subnormals are scaled by 2²³ first unless `normal`
 * says that the caller has none.
 */
function logFinite(f: Body, x: number, normal = false): number {
  let xs = x;
  let sub = -1;
  if (!normal) {
    sub = bind(f, () =>
      f
        .get(x)
        .f32x4Const(2 ** -126)
        .f32x4Lt(),
    );
    xs = bind(f, () =>
      f
        .get(x)
        .f32x4Const(2 ** 23)
        .f32x4Mul()
        .get(x)
        .get(sub)
        .v128Bitselect(),
    );
  }
  // x = 2ᵉ·m with m ∈ [√½, √2): e and the bits of m from bits(x) − bits(√½) (musl's logf); t = m − 1 is exact.
  const ix = bind(f, () => f.get(xs).i32x4Const(SQRTH_BITS).i32x4Sub());
  const e = bind(f, () => {
    f.get(ix).i32(23).i32x4ShrS();
    if (!normal) f.get(sub).i32x4Const(23).v128And().i32x4Sub();
    f.f32x4ConvertI32x4S();
  });
  const t = bind(f, () =>
    f.get(ix).i32x4Const(0x007fffff).v128And().i32x4Const(SQRTH_BITS).i32x4Add().f32x4Const(1).f32x4Sub(),
  );
  const pw = new Powers(f, t);
  const z = pw.get(1);
  return bind(f, () => {
    poly(f, pw, LOG_P);
    f.get(t).get(z).f32x4Mul().f32x4Mul(); // y = t³·P(t)
    f.get(e).f32x4Const(LN2_LO).f32x4Mul().f32x4Add(); // y += e·ln2_lo
    f.get(z).f32x4Const(-0.5).f32x4Mul().f32x4Add(); // y −= t²/2
    f.get(t).f32x4Add(); // t + y
    f.get(e).f32x4Const(LN2_HI).f32x4Mul().f32x4Add(); // + e·ln2_hi
  });
}

/**
 * res = log(x) where 0 < x < ∞; else −∞ for ±0, and √x for the rest: +∞ for
 * +∞, NaN for x < 0 or NaN. In place.
 */
function logSpecials(f: Body, res: number, x: number): void {
  f.get(res);
  f.f32x4Const(-Infinity).get(x).f32x4Sqrt().get(x).f32x4Const(0).f32x4Eq().v128Bitselect();
  f.get(x).f32x4Const(0).f32x4Gt().get(x).f32x4Const(Infinity).f32x4Lt().v128And();
  f.v128Bitselect().set(res);
}

/** log(x): NaN for x < 0 or NaN, −∞ for ±0, +∞ for +∞. */
export function emitLog(f: Body, x: number): number {
  const res = logFinite(f, x);
  logSpecials(f, res, x);
  return res;
}

/**
 * log1p(x) = log(u) − ((u − 1) − x)/u with u = 1 + x: (u − 1) − x is the
 * rounding error of u, exactly, and dividing it by u corrects log(u) to first
 * order. Where u = 1 the result is x (which keeps −0).
 */
export function emitLog1p(f: Body, x: number): number {
  const u = bind(f, () => f.f32x4Const(1).get(x).f32x4Add());
  const lu = logFinite(f, u, true); // u ≥ 2⁻²⁴ or a special value
  const res = bind(f, () => {
    f.get(lu);
    f.get(u).f32x4Const(1).f32x4Sub().get(x).f32x4Sub().get(u).f32x4Div();
    f.f32x4Sub();
  });
  logSpecials(f, res, u); // x = −1: −∞; x = +∞: +∞; x < −1 or NaN: NaN
  f.get(x).get(res).get(u).f32x4Const(1).f32x4Eq().v128Bitselect().set(res);
  return res;
}

// ---------------------------------------------------------------- sin, cos, tan

/** Lanes with |x| above this are not reduced accurately by the kernel; the caller recomputes them. */
export const SINCOS_LIMIT = 2 ** 26;
const TWO_OVER_PI = 2 / Math.PI;
const ROUND_MAGIC = 6755399441055744; // 1.5·2⁵²: adding it rounds to an integer kept in the low mantissa bits
// π/2 = PIO2_1 + PIO2_2 to ~2⁻⁸³; PIO2_1 has 27 significant bits, so q·PIO2_1 is exact for |q| < 2²⁶, and
// q·PIO2_2 (|q·PIO2_2| < 2⁻³) rounds once.
const PIO2_1 = 1.570796325802803; // 0x3ff921fb54000000
const PIO2_2 = 9.920935796805404e-10; // 0x3e110b4611a62633
/**
 * Cephes sinf/cosf minimax polynomials on [−π/4, π/4], in z = r² (lowest coefficient first): sin r = r + r·z·S(z)
 * within 2⁻²⁸, cos r = 1 − z/2 + z²·C(z) within 2⁻³³ (relative).
 */
const SIN_S = [-1.6666654611e-1, 8.3321608736e-3, -1.9515295891e-4].map(f32);
const COS_C = [4.166664568298827e-2, -1.388731625493765e-3, 2.443315711809948e-5].map(f32);

/** Byte shuffle: the high two f32 lanes of the first operand into the low two. */
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
/** Byte shuffle: the low halves (two f32 lanes) of both operands, side by side. */
const JOIN_LOW = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
/** Byte shuffle: the low 32 bits of the four i64 lanes of two operands. */
const LOW_WORDS = [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27];

/** The f32 lanes of x as two f64x2 locals (lanes 0–1 and 2–3). */
function promote(f: Body, x: number): [number, number] {
  const lo = bind(f, () => f.get(x).f64x2PromoteLowF32x4());
  const hi = bind(f, () => f.get(x).get(x).i8x16Shuffle(HIGH_HALF).f64x2PromoteLowF32x4());
  return [lo, hi];
}

/** Pushes the f64x2 values left by `lo` and `hi` rounded to f32 as one f32x4. */
function demote(f: Body, lo: () => void, hi: () => void): void {
  lo();
  f.f32x4DemoteF64x2Zero();
  hi();
  f.f32x4DemoteF64x2Zero();
  f.i8x16Shuffle(JOIN_LOW);
}

/** x = q·π/2 + r in f64 lanes, within ~2⁻⁵⁶ for |x| < 2²⁶: for each half, k (q in its low bits) and r. */
function reduceHalves(f: Body, x: number): { k: number; r: number }[] {
  return promote(f, x).map((h) => {
    const k = bind(f, () => f.get(h).f64x2Const(TWO_OVER_PI).f64x2Mul().f64x2Const(ROUND_MAGIC).f64x2Add());
    const q = bind(f, () => f.get(k).f64x2Const(ROUND_MAGIC).f64x2Sub());
    const r = bind(f, () => {
      f.get(h).get(q).f64x2Const(PIO2_1).f64x2Mul().f64x2Sub();
      f.get(q).f64x2Const(PIO2_2).f64x2Mul().f64x2Sub();
    });
    return { k, r };
  });
}

/** The reduction with r rounded to f32: returns [r, q mod 4 as i32 lanes]. */
function reduceHalfPi(f: Body, x: number): [number, number] {
  const [lo, hi] = reduceHalves(f, x);
  const r = bind(f, () =>
    demote(
      f,
      () => f.get(lo.r),
      () => f.get(hi.r),
    ),
  );
  // The low 32 bits of k (in the low mantissa) are q modulo 2³².
  const j = bind(f, () => f.get(lo.k).get(hi.k).i8x16Shuffle(LOW_WORDS));
  return [r, j];
}

/** flags |= (|x| > SINCOS_LIMIT), which also catches ±∞. */
function flagLarge(f: Body, x: number, flags: number): void {
  f.get(flags).get(x).f32x4Abs().f32x4Const(SINCOS_LIMIT).f32x4Gt().v128Or().set(flags);
}

/**
 * sin or cos of f32 lanes. `flags` is a v128 local into which lanes with
 * |x| > SINCOS_LIMIT (or ±∞) are or-ed.
 */
export function emitSinCos(f: Body, x: number, cos: boolean, flags: number): number {
  return emitSinAndCos(f, x, flags)[cos ? 1 : 0];
}

/**
 * [sin x, cos x] of f32 lanes from one reduction and one evaluation of both
 * polynomials (each function needs both: odd quadrants swap them). Flags as emitSinCos.
 */
export function emitSinAndCos(f: Body, x: number, flags: number): [number, number] {
  const [r, j0] = reduceHalfPi(f, x);
  const pr = new Powers(f, r);
  const z = pr.get(1);
  const pz = new Powers(f, z);
  // sin r = r + r·z·S(z); cos r = (z²·C(z) − z/2) + 1
  const s = bind(f, () => {
    poly(f, pz, SIN_S);
    f.get(r).get(z).f32x4Mul().f32x4Mul().get(r).f32x4Add();
  });
  const c = bind(f, () => {
    poly(f, pz, COS_C);
    f.get(pz.get(1)).f32x4Mul().get(z).f32x4Const(0.5).f32x4Mul().f32x4Sub().f32x4Const(1).f32x4Add();
  });
  // Quadrant j = q mod 4; cos x = sin(x + π/2) uses j + 1. Odd j: the other function; j ∈ {2, 3}: negate.
  const inQuadrant = (j: number) =>
    bind(f, () => {
      f.get(c).get(s);
      f.get(j).i32(31).i32x4Shl().i32(31).i32x4ShrS();
      f.v128Bitselect();
      f.get(j).i32(30).i32x4Shl().i32x4Const(SIGN).v128And();
      f.v128Xor();
    });
  const sin = inQuadrant(j0);
  const cos = inQuadrant(bind(f, () => f.get(j0).i32x4Const(1).i32x4Add()));
  // sin(±0) = ±0
  const zero = bind(f, () => f.get(x).f32x4Const(0).f32x4Eq());
  f.get(x).get(sin).get(zero).v128Bitselect().set(sin);
  flagLarge(f, x, flags);
  return [sin, cos];
}

/**
 * tan of f32 lanes: sin r / cos r, or −cos r / sin r in the odd quadrants, in
 * f64 lanes with the float32 polynomials (relative error < 2⁻²⁸ before the one
 * rounding to f32). Flags as sin and cos.
 */
export function emitTan(f: Body, x: number, flags: number): number {
  const half =
    ({ k, r }: { k: number; r: number }) =>
    () => {
      const pz = new Powers(
        f,
        bind(f, () => f.get(r).get(r).f64x2Mul()),
        true,
      );
      const z = pz.get(0);
      const s = bind(f, () => {
        poly(f, pz, SIN_S);
        f.get(r).get(z).f64x2Mul().f64x2Mul().get(r).f64x2Add();
      });
      const c = bind(f, () => {
        poly(f, pz, COS_C);
        f.get(pz.get(1)).f64x2Mul().get(z).f64x2Const(0.5).f64x2Mul().f64x2Sub().f64x2Const(1).f64x2Add();
      });
      const odd = bind(f, () => f.get(k).i32(63).i64x2Shl().i32(63).i64x2ShrS());
      f.get(c).get(s).get(odd).v128Bitselect();
      f.get(s).get(c).get(odd).v128Bitselect();
      f.f64x2Div();
      f.get(odd).i32x4Const(0, SIGN, 0, SIGN).v128And().v128Xor();
    };
  const [lo, hi] = reduceHalves(f, x);
  const res = bind(f, () => demote(f, half(lo), half(hi)));
  // tan(±0) = ±0
  f.get(x).get(res).get(x).f32x4Const(0).f32x4Eq().v128Bitselect().set(res);
  flagLarge(f, x, flags);
  return res;
}

// ---------------------------------------------------------------- erf

/** erf x = x + x·A(x²) for |x| < ERF_SPLIT (relative minimax, error < 2⁻³¹, lowest coefficient first). */
const ERF_SPLIT = 0.921875;
const ERF_A = [
  0.12837916612625122, -0.37612634897232056, 0.11283695697784424, -0.026859398931264877, 0.005201032385230064,
  -0.0008142704027704895, 8.370100113097578e-5,
].map(f32);
/** erf a = 1 − exp(−P(a)) for ERF_SPLIT ≤ a ≤ 4 (minimax for erf's absolute error, < 2⁻²⁹). */
const ERF_P = [
  0.00020992150530219078, 1.1276154518127441, 0.6372858285903931, 0.10383885353803635, -0.022181371226906776,
  0.0030315935146063566, -0.00019473371503408998,
].map(f32);

/** erf(x): odd, ±1 beyond ±3.92 (where erf rounds to 1), NaN for NaN. */
export function emitErf(f: Body, x: number): number {
  const a = bind(f, () => f.get(x).f32x4Abs());
  const z = bind(f, () => f.get(x).get(x).f32x4Mul());
  const small = bind(f, () => {
    poly(f, new Powers(f, z), ERF_A);
    f.get(x).f32x4Mul().get(x).f32x4Add();
  });
  // 1 − exp(−P(min(a, 4))), then the sign of x (pmin keeps a NaN); exp(−P) ∈ [6·10⁻⁹, 1].
  const ac = bind(f, () => f.get(a).f32x4Const(4).f32x4Pmin());
  const negP = bind(f, () =>
    poly(
      f,
      new Powers(f, ac),
      ERF_P.map((c) => -c),
    ),
  );
  const e = expWith(f, negP, { low: false, high: false, oneStep: true });
  const big = bind(f, () => {
    f.f32x4Const(1).get(e).f32x4Sub();
    f.get(x).i32x4Const(SIGN).v128And().v128Or();
  });
  return bind(f, () => {
    f.get(small).get(big).get(a).f32x4Const(ERF_SPLIT).f32x4Lt().v128Bitselect();
  });
}

// ---------------------------------------------------------------- pow

/** 2·atanh s = 2s + s·z·Q(z), z = s², for |s| ≤ 0.1716 (Taylor: 2/3, 2/5, …; relative error < 2⁻³⁹). */
const LOG_Q = [2 / 3, 2 / 5, 2 / 7, 2 / 9, 2 / 11, 2 / 13];
const LN2_HI64 = 6.9314718036912382e-1; // 0x3fe62e42fee00000: n·LN2_HI64 is exact for |n| < 2²¹
const LN2_LO64 = 1.9082149292705877e-10;

/**
 * pow(x, y) = x**y for f32 lanes, with the special cases of JS `Math.pow` (IEEE pow, except that
 * 1**±∞ and 1**NaN are NaN). For |x|^y: log|x| in f64 lanes, w = y·log|x| and the reduction
 * w = n·ln2 + r in f64, then exp(r) in f32 (r rounded once) and the exact scaling by 2ⁿ.
 */
export function emitPow(f: Body, x: number, y: number): number {
  const ax = bind(f, () => f.get(x).f32x4Abs());
  // frexp of |x| in f32 lanes: m ∈ [√½, √2), e; subnormals scaled by 2²³ first.
  const sub = bind(f, () =>
    f
      .get(ax)
      .f32x4Const(2 ** -126)
      .f32x4Lt(),
  );
  const ix = bind(f, () => {
    f.get(ax)
      .f32x4Const(2 ** 23)
      .f32x4Mul()
      .get(ax)
      .get(sub)
      .v128Bitselect();
    f.i32x4Const(SQRTH_BITS).i32x4Sub();
  });
  const fr = bind(f, () =>
    f.get(ix).i32x4Const(0x007fffff).v128And().i32x4Const(SQRTH_BITS).i32x4Add().f32x4Const(1).f32x4Sub(),
  );
  // e as f32 (− 23 for scaled subnormals); for |x| = 0, ∞ or NaN it is replaced by |x| − 1/|x| (−∞, +∞, NaN),
  // which makes log|x| that value.
  const e = bind(f, () => {
    f.get(ix).i32(23).i32x4ShrS();
    f.get(sub).i32x4Const(23).v128And().i32x4Sub();
    f.f32x4ConvertI32x4S();
    f.get(ax).f32x4Const(1).get(ax).f32x4Div().f32x4Sub();
    f.get(ax).f32x4Const(0).f32x4Gt().get(ax).f32x4Const(Infinity).f32x4Lt().v128And();
    f.v128Bitselect();
  });
  const [frLo, frHi] = promote(f, fr);
  const [eLo, eHi] = promote(f, e);
  const [yLo, yHi] = promote(f, y);
  const half = (fl: number, el: number, yl: number) => {
    const s = bind(f, () => f.get(fl).get(fl).f64x2Const(2).f64x2Add().f64x2Div());
    const pz = new Powers(
      f,
      bind(f, () => f.get(s).get(s).f64x2Mul()),
      true,
    );
    // w = y·(e·ln2 + 2s + s·z·Q(z)), clamped as in exp (pmax/pmin keep a NaN).
    const w = bind(f, () => {
      poly(f, pz, LOG_Q);
      f.get(pz.get(0)).f64x2Mul().get(s).f64x2Mul();
      f.get(s).get(s).f64x2Add().f64x2Add();
      f.get(el).f64x2Const(Math.LN2).f64x2Mul().f64x2Add();
      f.get(yl).f64x2Mul();
      f.f64x2Const(-104).f64x2Pmax().f64x2Const(88.8).f64x2Pmin();
    });
    const k = bind(f, () => f.get(w).f64x2Const(LOG2E).f64x2Mul().f64x2Const(ROUND_MAGIC).f64x2Add());
    const r = () => {
      const n = bind(f, () => f.get(k).f64x2Const(ROUND_MAGIC).f64x2Sub());
      f.get(w).get(n).f64x2Const(LN2_HI64).f64x2Mul().f64x2Sub();
      f.get(n).f64x2Const(LN2_LO64).f64x2Mul().f64x2Sub();
    };
    return { k, r };
  };
  const lo = half(frLo, eLo, yLo);
  const hi = half(frHi, eHi, yHi);
  const r = bind(f, () => demote(f, lo.r, hi.r));
  const n = bind(f, () => f.get(lo.k).get(hi.k).i8x16Shuffle(LOW_WORDS));
  const pw = new Powers(f, r);
  const q = bind(f, () => {
    poly(f, pw, EXP_P);
    f.get(pw.get(1)).f32x4Mul().get(r).f32x4Add().f32x4Const(1).f32x4Add();
  });
  const res = bind(f, () => scaleByPow2(f, q, n));
  // y integral (±∞ included), and odd.
  const yInt = bind(f, () => f.get(y).f32x4Trunc().get(y).f32x4Eq());
  const half2 = bind(f, () => f.get(y).f32x4Const(0.5).f32x4Mul());
  const yOdd = bind(f, () => f.get(half2).f32x4Trunc().get(half2).f32x4Ne().get(yInt).v128And());
  // x with the sign bit set (−0 included) and y odd: −|x|^y.
  f.get(res).get(x).i32x4Const(SIGN).v128And().get(yOdd).v128And().v128Xor().set(res);
  // finite x < 0 and y not an integer: NaN.
  const m = f.local(V128);
  f.get(x).f32x4Const(0).f32x4Lt().get(x).f32x4Const(-Infinity).f32x4Ne().v128And().get(yInt).v128AndNot().set(m);
  override(f, res, NaN, m);
  // y = ±0: 1, even for a NaN x; and, as C and JAX (not JS Math.pow): x = 1 gives 1 for every y, (−1)**±∞ = 1.
  f.get(y).f32x4Const(0).f32x4Eq();
  f.get(x).f32x4Const(1).f32x4Eq().v128Or();
  f.get(x).f32x4Const(-1).f32x4Eq().get(y).f32x4Abs().f32x4Const(Infinity).f32x4Eq().v128And().v128Or().set(m);
  override(f, res, 1, m);
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
