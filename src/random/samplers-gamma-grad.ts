/**
 * The implicit reparameterization gradient of a Gamma(a, 1) draw (Figurnov et al. 2018), as
 * JAX's `random_gamma_grad` (lax/special.py): with P(a, x) the regularized lower incomplete
 * gamma function and x a draw, P(a, x) = u is fixed by the uniform noise, so
 *   dx/da = -(∂P/∂a) / (∂P/∂x),   ∂P/∂x = x^(a-1)·e^(-x) / Γ(a).
 * ∂P/∂a is summed with P itself: by the power series of P for x ≤ max(1, a) and by the
 * continued fraction of 1 - P otherwise, both differentiated term by term in a (Cephes' igam
 * and igamc), each iterated until the derivative's terms fall below the dtype's epsilon.
 */
import type { NdArray } from "../core/array.js";
import { whileLoop } from "../control/api.js";
import { fromValues } from "../primitives/as-array.js";
import { add, and, div, eq, gt, le, lt, mul, ne, or, scalarLike, selectN, sub } from "../primitives/elementwise.js";
import { abs, digamma, exp, lgamma, log, neg, not } from "../primitives/unary.js";
import { reshape } from "../primitives/structural.js";
import { vmap } from "../transforms/vmap-api.js";

type FloatDType = "float32" | "float64";
const EPS = { float32: 2 ** -23, float64: 2 ** -52 };
const MAX = { float32: 3.4028234663852886e38, float64: Number.MAX_VALUE };
const TINY = { float32: 2 ** -126, float64: 2 ** -1022 };

const c = scalarLike;
/** select(pred, onTrue, onFalse), as lax.select. */
const select = (p: NdArray, t: NdArray, f: NdArray): NdArray => selectN(p, [f, t]);
/** Loop carries start from strong constants (a weak one would change type in the body). */
const strong = (v: number, like: NdArray): NdArray => fromValues([v], [], like.dtype);

/**
 * JAX's `_igamma_series` in SAMPLE_DERIVATIVE mode: P = ax·Σ cₙ / a with c₀ = 1,
 * cₙ = cₙ₋₁·x/(a+n); returns -(∂S/∂a + S·∂log(ax)/∂a)·x/a, S the sum.
 */
function seriesSampleDerivative(x: NdArray, a: NdArray, enabled: NdArray): NdArray {
  const eps = EPS[a.dtype as FloatDType];
  type Carry = [NdArray, NdArray, NdArray, NdArray, NdArray, NdArray];
  const body = ([on, r0, c0, ans0, dc0, dans0]: Carry): Carry => {
    const r = add(r0, c(1, r0));
    const dc = sub(mul(dc0, div(x, r)), div(mul(c0, x), mul(r, r)));
    const dans = add(dans0, dc);
    const cn = mul(c0, div(x, r));
    const ans = add(ans0, cn);
    const more = and(on, gt(abs(div(dc, dans)), c(eps, dc)));
    return [
      more,
      select(on, r, r0),
      select(on, cn, c0),
      select(on, ans, ans0),
      select(on, dc, dc0),
      select(on, dans, dans0),
    ];
  };
  const init: Carry = [enabled, a, strong(1, a), strong(1, a), strong(0, a), strong(0, a)];
  const [, , , ans, , dans] = whileLoop((s: Carry) => s[0], body, init);
  const dlogaxDa = sub(log(x), digamma(add(a, c(1, a))));
  return div(mul(neg(add(dans, mul(ans, dlogaxDa))), x), a);
}

/**
 * JAX's `_igammac_continued_fraction` in SAMPLE_DERIVATIVE mode: 1 - P = ax·F with F the
 * continued fraction (convergents pₖ/qₖ, rescaled by ε when they grow past 1/ε), its
 * a-derivative carried along; returns -(∂F/∂a + F·∂log(ax)/∂a)·x. At most 2000 terms.
 */
function cfSampleDerivative(x: NdArray, a: NdArray, enabled: NdArray): NdArray {
  const eps = EPS[a.dtype as FloatDType];
  const k = (v: number): NdArray => c(v, a);
  type Carry = NdArray[];
  const body = (v: Carry): Carry => {
    const [on, ans0, _t0, y0, z0, c0, pkm1, qkm1, pkm2, qkm2, dpkm2, dqkm2, dpkm1, dqkm1, dans0] = v;
    const cc = add(c0, k(1));
    const y = add(y0, k(1));
    const z = add(z0, k(2));
    const yc = mul(y, cc);
    const pk = sub(mul(pkm1, z), mul(pkm2, yc));
    const qk = sub(mul(qkm1, z), mul(qkm2, yc));
    const nz = ne(qk, k(0));
    const r = div(pk, qk);
    const t = select(nz, abs(div(sub(ans0, r), r)), k(1));
    const ans = select(nz, r, ans0);
    const dpk = add(sub(sub(mul(dpkm1, z), pkm1), mul(dpkm2, yc)), mul(pkm2, cc));
    const dqk = add(sub(sub(mul(dqkm1, z), qkm1), mul(dqkm2, yc)), mul(qkm2, cc));
    const dans = select(nz, div(sub(dpk, mul(ans, dqk)), qk), dans0);
    const gradCond = select(nz, abs(sub(dans, dans0)), k(1));
    const rescale = gt(abs(pk), k(1 / eps));
    const sc = (u: NdArray): NdArray => select(rescale, mul(u, k(eps)), u);
    // Shift (pₖ₋₂ ← pₖ₋₁, pₖ₋₁ ← pₖ, likewise q and the derivatives), then rescale all of them.
    const [npkm2, nqkm2, ndpkm2, ndqkm2] = [sc(pkm1), sc(qkm1), sc(dpkm1), sc(dqkm1)];
    const [npkm1, nqkm1, ndpkm1, ndqkm1] = [sc(pk), sc(qk), sc(dpk), sc(dqk)];
    const more = and(on, gt(gradCond, k(eps)));
    const keep = (nv: NdArray, i: number): NdArray => select(on, nv, v[i]);
    return [
      more,
      keep(ans, 1),
      keep(t, 2),
      keep(y, 3),
      keep(z, 4),
      cc,
      keep(npkm1, 6),
      keep(nqkm1, 7),
      keep(npkm2, 8),
      keep(nqkm2, 9),
      keep(ndpkm2, 10),
      keep(ndqkm2, 11),
      keep(ndpkm1, 12),
      keep(ndqkm1, 13),
      keep(dans, 14),
    ];
  };
  const y = sub(k(1), a);
  const z = add(add(x, y), k(1));
  const pkm1 = add(x, k(1));
  const qkm1 = mul(z, x);
  const ans = div(pkm1, qkm1);
  const dqkm1 = neg(x);
  const dans = div(neg(mul(ans, dqkm1)), qkm1);
  const zero = strong(0, a);
  const init: Carry = [
    enabled,
    ans,
    strong(1, a),
    y,
    z,
    zero,
    pkm1,
    qkm1,
    strong(1, a),
    x,
    zero,
    zero,
    zero,
    dqkm1,
    dans,
  ];
  const out = whileLoop((s: Carry) => and(lt(s[5], k(2000)), s[0]), body, init);
  const dlogaxDa = sub(log(x), digamma(a));
  return neg(mul(add(out[14], mul(out[1], dlogaxDa)), x));
}

/** JAX's `random_gamma_grad_impl` for scalars a and x: dx/da of a Gamma(a) draw x; NaN outside a > 0, x ≥ 0. */
function randomGammaGradOne(a: NdArray, x: NdArray): NdArray {
  const dtype = a.dtype as FloatDType;
  const k = (v: number): NdArray => c(v, a);
  const isNan = or(ne(a, a), ne(x, x));
  const xIsZero = eq(x, k(0));
  const domainError = or(lt(x, k(0)), le(a, k(0)));
  const useCf = and(gt(x, k(1)), gt(x, a));
  const logAx = sub(sub(mul(a, log(x)), x), lgamma(a));
  const underflow = lt(logAx, k(-Math.log(MAX[dtype])));
  const enabled = not(or(or(or(xIsZero, domainError), underflow), isNan));
  const cf = neg(cfSampleDerivative(x, a, and(enabled, useCf)));
  const series = seriesSampleDerivative(x, a, and(enabled, not(useCf)));
  const out = select(xIsZero, k(0), select(useCf, cf, series));
  return select(or(domainError, isNan), k(NaN), out);
}

/**
 * JAX's `_gamma_grad(sample, a, log_space)`: d sample / d a for every element, with a and the
 * draws of the same shape; in log space d log x / d a = (dx/da)/x, x = exp(sample) and a zero x
 * taken as the smallest normal float, as JAX does.
 */
export function gammaGrad(sample: NdArray, a: NdArray, logSpace: boolean): NdArray {
  const n = a.size;
  if (n === 0) return a;
  const alphas = reshape(a, [n]);
  let xs = reshape(sample, [n]);
  if (logSpace) {
    const e = exp(xs);
    xs = select(eq(e, c(0, e)), c(TINY[a.dtype as FloatDType], e), e);
  }
  const one = logSpace
    ? (al: NdArray, x: NdArray) => div(randomGammaGradOne(al, x), x)
    : (al: NdArray, x: NdArray) => randomGammaGradOne(al, x);
  return reshape(vmap(one)(alphas, xs) as NdArray, a.aval.shape);
}
