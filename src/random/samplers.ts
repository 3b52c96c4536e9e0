/**
 * The rejection samplers of `jax.random`: gamma (Marsaglia and Tsang), beta and
 * dirichlet (through gammas drawn in log space), and poisson (Knuth for λ < 10,
 * Hörmann's transformed rejection otherwise). Each is JAX's algorithm step for
 * step, with JAX's key splitting, so that one key gives JAX's draws (up to the
 * rounding of a float kernel: log, pow, lgamma may differ from XLA's by an ulp,
 * which can flip a rare accept/reject decision).
 */
import type { ArrayLike, NdArray } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import { ShapeError } from "../core/errors.js";
import { defineOptions, oneOf, orNull, type OptArgs } from "../core/options.js";
import { map as laxMap, whileLoop } from "../control/api.js";
import { fromValues } from "../primitives/as-array.js";
import {
  add,
  and,
  convert,
  div,
  eq,
  ge,
  gt,
  le,
  lt,
  max,
  mul,
  ne,
  or,
  pow,
  scalarLike,
  selectN,
  sub,
} from "../primitives/elementwise.js";
import { reduceMaxP, reduceOrP, reduceSum } from "../primitives/reduce.js";
import { broadcastShapes } from "../primitives/shapes.js";
import { sliceAxis } from "../primitives/slicing.js";
import { stopGradient } from "../primitives/stop-gradient.js";
import { broadcastTo, reshape } from "../primitives/structural.js";
import { abs, erfInv, exp, floor, lgamma, log, log1p, neg, not, sqrt } from "../primitives/unary.js";
import { bind } from "../core/trace.js";
import { customJvp } from "../transforms/custom-jvp.js";
import { vmap } from "../transforms/vmap-api.js";
import { gammaGrad } from "./samplers-gamma-grad.js";
import { gammaApprox, poissonApprox } from "./samplers-approximate.js";
import { arrayArg, checkKey, checkParamShapes, checkShape, floatDType, intDType, opt } from "./args.js";
import { unitFloats } from "./bits.js";
import { split } from "./keys.js";

type FloatDType = "float32" | "float64";
const c = scalarLike;

/** Key `i` of a stack of keys u32[n, 2]. */
function nth(keys: NdArray, i: number): NdArray {
  return reshape(sliceAxis(keys, 0, i, i + 1), [2]);
}

/** A distribution parameter in `dtype`; a JS number goes straight there (no detour through the default float). */
function param(op: string, name: string, x: unknown, dtype: DType): NdArray {
  return typeof x === "number" ? fromValues([x], [], dtype) : convert(arrayArg(op, name, x), dtype);
}

/**
 * `random.uniform(key, shape, dtype)` on [0, 1): the draw of continuous.ts, bit for bit. A draw of one
 * value is element 0 of a draw of two (element i of a draw depends on counter i alone), so that the
 * loop bodies hold no equation on constants only (a counter iota of size 1), which the constant
 * folding of a loop body traced inside another trace cannot evaluate yet.
 */
export function unit(key: NdArray, shape: number[], dtype: FloatDType): NdArray {
  const n = shape.reduce((p, d) => p * d, 1);
  if (n >= 2) return unitFloats(key, shape, dtype);
  return reshape(sliceAxis(unitFloats(key, [2], dtype), 0, 0, n), shape);
}

/** The float just above -1, nextafter(-1, 0), and 1 minus it rounded to the dtype (normal's uniform range). */
const NORMAL_LO = { float32: -(1 - 2 ** -24), float64: -(1 - 2 ** -53) };
const NORMAL_SPAN = { float32: Math.fround(1 - NORMAL_LO.float32), float64: 1 - NORMAL_LO.float64 };

/** `random.normal(key, [], dtype)`, as continuous.ts computes it: √2·erf⁻¹(max(lo, u·(1 - lo) + lo)). */
export function normalOne(key: NdArray, dtype: FloatDType): NdArray {
  const u = unit(key, [], dtype);
  const lo = c(NORMAL_LO[dtype], u);
  const v = max(lo, add(mul(u, c(NORMAL_SPAN[dtype], u)), lo));
  return mul(c(Math.SQRT2, v), erfInv(v));
}

/** `jnp.any` / `jnp.max` over every axis of `x`, as a scalar. */
function reduceAll(p: typeof reduceOrP, x: NdArray): NdArray {
  return bind(p, [x], { axes: x.aval.shape.map((_, i) => i) })[0];
}

/**
 * JAX's `_gamma_one`: one Gamma(alpha) draw (alpha a scalar) by Marsaglia and
 * Tsang's squeeze-and-reject method, with alpha < 1 boosted to alpha + 1 and
 * the draw scaled by U^(1/alpha) (in log space: log U / alpha, U from an
 * exponential draw, so log-space and plain draws agree).
 */
export function gammaOne(key: NdArray, alpha: NdArray, logSpace: boolean): NdArray {
  const dtype = alpha.dtype as FloatDType;
  const k = (v: number): NdArray => c(v, alpha);
  // Loop carries start from strong constants: a weak one would be converted in the enclosing trace.
  const strong = (v: number): NdArray => fromValues([v], [], dtype);
  const [zero, one] = [k(0), k(1)];
  const boostMask = ge(alpha, one);
  const boosted = selectN(boostMask, [add(alpha, one), alpha]);
  const d = sub(boosted, k(1 / 3));
  const cc = div(k(1 / 3), sqrt(d));

  type Carry = [NdArray, NdArray, NdArray, NdArray];
  const rejected = ([, X, V, U]: Carry): NdArray =>
    and(ge(U, sub(one, mul(k(0.0331), mul(X, X)))), ge(log(U), add(mul(X, k(0.5)), mul(d, add(sub(one, V), log(V))))));
  const draw = ([key0]: Carry): Carry => {
    const keys = split(key0, 3);
    // Draw x ~ N(0, 1) until v = 1 + c·x is positive.
    const [, x, v] = whileLoop(
      ([, , vv]: [NdArray, NdArray, NdArray]) => le(vv, zero),
      ([kk]: [NdArray, NdArray, NdArray]): [NdArray, NdArray, NdArray] => {
        const ks = split(kk);
        const xx = normalOne(nth(ks, 1), dtype);
        return [nth(ks, 0), xx, add(one, mul(xx, cc))];
      },
      [nth(keys, 1), strong(0), strong(-1)],
    );
    return [nth(keys, 0), mul(x, x), mul(mul(v, v), v), unit(nth(keys, 2), [], dtype)];
  };
  const ks = split(key);
  // The initial state makes the condition true.
  const [, , V] = whileLoop(rejected, draw, [nth(ks, 0), strong(0), strong(1), strong(2)] as Carry);
  const subkey = nth(ks, 1);
  if (logSpace) {
    // -exponential(subkey) = log1p(-u).
    const logSamples = log1p(neg(unit(subkey, [], dtype)));
    const logBoost = selectN(or(boostMask, eq(logSamples, zero)), [mul(logSamples, div(one, alpha)), zero]);
    return add(add(log(d), log(V)), logBoost);
  }
  const samples = sub(one, unit(subkey, [], dtype));
  const boost = selectN(boostMask, [pow(samples, div(one, alpha)), one]);
  return mul(mul(d, V), boost);
}

/**
 * JAX's `_gamma_impl`: one split of the key per element of `a`, then a draw per
 * (key, alpha) pair. JAX lowers it with `vmap(_gamma_one)` (`use_vmap=True`),
 * which draws the same values as its `lax.map` form; vmap is used here too.
 */
function gammaImpl(key: NdArray, a: NdArray, logSpace: boolean): NdArray {
  const n = a.size;
  if (n === 0) return a;
  const keys = split(key, n);
  const alphas = reshape(a, [n]);
  const one = vmap((kk: NdArray, al: NdArray) => gammaOne(kk, al, logSpace))(keys, alphas) as NdArray;
  return reshape(one, a.aval.shape);
}

/** The same draws with `lax.map` (JAX's `use_vmap=False` path): for tests that both paths agree. */
export function gammaImplMapped(key: NdArray, a: NdArray, logSpace: boolean): NdArray {
  const n = a.size;
  const keys = split(key, n);
  const out = laxMap(([kk, al]: [NdArray, NdArray]) => gammaOne(kk, al, logSpace), [keys, reshape(a, [n])]);
  return reshape(out, a.aval.shape);
}

/**
 * The gamma draw behind gamma, beta and dirichlet, with JAX's derivative in the shape
 * parameter: the implicit reparameterization gradient (`random_gamma_grad`), d draw / d a =
 * -(∂P(a, x)/∂a) / (∂P(a, x)/∂x) with P the regularized lower incomplete gamma function.
 */
const gammaCores = new Map<boolean, (key: NdArray, a: NdArray) => NdArray>();
function gammaCore(logSpace: boolean): (key: NdArray, a: NdArray) => NdArray {
  let f = gammaCores.get(logSpace);
  if (!f) {
    const g = customJvp((key: NdArray, a: NdArray) => gammaImpl(key, a, logSpace));
    g.defjvps(null, (t: NdArray, out: NdArray, _key: NdArray, a: NdArray) => mul(t, gammaGrad(out, a, logSpace)));
    f = g as unknown as (key: NdArray, a: NdArray) => NdArray;
    gammaCores.set(logSpace, f);
  }
  return f;
}

/** Options of `random.gamma` and `random.beta` (JAX: shape, dtype; method and out_sharding keyword-only). */
export interface GammaOptions {
  /** The result shape; null or absent: the parameters' (broadcast) shape. */
  shape?: readonly number[] | null;
  /** A float dtype (default: the default float, float64 under enableX64). */
  dtype?: DType | null;
  /** JAX's sampling method: "exact" (default, also null: the rejection sampler) or "approximate" (loop-free, slightly biased). */
  method?: "exact" | "approximate" | null;
  /** JAX's `out_sharding`: only null (one device). */
  outSharding?: null;
}

/** Options of `random.dirichlet` (JAX: shape, dtype; out_sharding keyword-only). */
export interface DirichletOptions {
  /** The batch shape (the result shape less its last axis); null or absent: alpha.shape[:-1]. */
  shape?: readonly number[] | null;
  /** A float dtype (default: the default float, float64 under enableX64). */
  dtype?: DType | null;
  /** JAX's `out_sharding`: only null (one device). */
  outSharding?: null;
}

/** Options of `random.poisson` (JAX: shape, dtype; method and out_sharding keyword-only). */
export interface PoissonOptions {
  /** The result shape; null or absent: lam's shape. */
  shape?: readonly number[] | null;
  /** An integer dtype: "int32" (default, also null) or "uint32". */
  dtype?: DType | null;
  /** JAX's sampling method: "exact" (default, also null: rejection) or "approximate" (loop-free, total variation < 1e-4). */
  method?: "exact" | "approximate" | null;
  /** JAX's `out_sharding`: only null (one device). */
  outSharding?: null;
}

const method = orNull(oneOf("exact", "approximate"));
const checks = { shape: orNull(opt.shape), dtype: opt.dtype, method, outSharding: opt.outSharding };
const gammaOptions = defineOptions("random.gamma", checks, ["shape", "dtype"]);
const betaOptions = defineOptions("random.beta", checks, ["shape", "dtype"]);
const poissonOptions = defineOptions("random.poisson", checks, ["shape", "dtype"]);
const dirichletOptions = defineOptions(
  "random.dirichlet",
  { shape: orNull(opt.shape), dtype: opt.dtype, outSharding: opt.outSharding },
  ["shape", "dtype"],
);

type ShapeDTypeArgs<O> = OptArgs<[readonly number[] | null, DType | null], O>;

/** The requested shape, or `dflt` when it is null or absent; checked against the parameters' shapes. */
function resultShape(op: string, shape: readonly number[] | null | undefined, ...params: NdArray[]): number[] {
  if (shape === undefined || shape === null) {
    return broadcastShapes(`random.${op}`, ...params.map((p) => p.aval.shape));
  }
  const s = checkShape(op, shape);
  checkParamShapes(op, s, ...params.map((p) => p.aval.shape));
  return s;
}

/**
 * `jax.random.gamma(key, a, shape=None, dtype=None)`: draws from the standard
 * Gamma(a, 1) distribution (density ∝ x^(a-1)·e^(-x)), by Marsaglia and
 * Tsang's rejection method, one key split per element. Divide by a rate (or
 * multiply by a scale) for other Gamma distributions. a ≤ 0 gives 0 or NaN, as
 * JAX. Differentiable in `a` by implicit reparameterization, as JAX's
 * (`random_gamma_grad`); so are beta and dirichlet, built from gamma draws.
 * `{ method: "approximate" }` is JAX's loop-free sampler (a chi-square quantile
 * series with Stuart's boosting), differentiable as a composite.
 *
 * @example
 * random.gamma(key, 2.5, [1000]); // f32[1000], mean ≈ 2.5
 * random.gamma(key, np.array([0.5, 1, 4])); // one draw per shape parameter
 */
export function gamma(key: NdArray, a: ArrayLike, ...args: ShapeDTypeArgs<GammaOptions>): NdArray {
  const o = gammaOptions.parse(args);
  checkKey("gamma", key);
  const dtype = floatDType("gamma", o.dtype);
  const alpha = param("gamma", "a", a, dtype);
  const shape = resultShape("gamma", o.shape, alpha);
  if (o.method === "approximate") return gammaApprox(key, broadcastTo(alpha, shape), dtype, false);
  return gammaCore(false)(key, broadcastTo(alpha, shape));
}

/** log Gamma(a) draws of `shape` (JAX's `loggamma`), `a` already in its dtype and broadcast to `shape`. */
function logGammaDraws(key: NdArray, a: NdArray, approximate = false): NdArray {
  return approximate ? gammaApprox(key, a, a.dtype, true) : gammaCore(true)(key, a);
}

/**
 * `jax.random.beta(key, a, b, shape=None, dtype=None)`: Beta(a, b) draws
 * (density ∝ x^(a-1)·(1-x)^(b-1) on [0, 1]), as JAX: two log-space gamma draws
 * from split(key), then Ga/(Ga + Gb) computed from the logs scaled by their
 * maximum, so that small a and b do not underflow to 0/0. `{ method: "approximate" }`
 * draws the log-gammas with JAX's loop-free sampler.
 *
 * @example
 * random.beta(key, 2, 5, [1000]); // mean ≈ 2/7
 */
export function beta(key: NdArray, a: ArrayLike, b: ArrayLike, ...args: ShapeDTypeArgs<GammaOptions>): NdArray {
  const o = betaOptions.parse(args);
  checkKey("beta", key);
  const dtype = floatDType("beta", o.dtype);
  const pa = param("beta", "a", a, dtype);
  const pb = param("beta", "b", b, dtype);
  const shape = resultShape("beta", o.shape, pa, pb);
  const keys = split(key);
  const approximate = o.method === "approximate";
  const logA = logGammaDraws(nth(keys, 0), broadcastTo(pa, shape), approximate);
  const logB = logGammaDraws(nth(keys, 1), broadcastTo(pb, shape), approximate);
  const logMax = max(logA, logB);
  const ga = exp(sub(logA, logMax));
  const gb = exp(sub(logB, logMax));
  return div(ga, add(ga, gb));
}

/**
 * `jax.random.dirichlet(key, alpha, shape=None, dtype=None)`: Dirichlet(alpha)
 * draws over the last axis of alpha (each row non-negative, summing to 1), as
 * JAX: log-space gamma draws of shape `shape + [alpha.shape[-1]]`, normalised
 * with a softmax. `shape` is the batch shape (default alpha.shape[:-1]).
 *
 * @example
 * random.dirichlet(key, np.array([1, 2, 3]), [5]); // f32[5, 3], rows sum to 1
 */
export function dirichlet(key: NdArray, alpha: ArrayLike, ...args: ShapeDTypeArgs<DirichletOptions>): NdArray {
  const o = dirichletOptions.parse(args);
  checkKey("dirichlet", key);
  const dtype = floatDType("dirichlet", o.dtype);
  const al = param("dirichlet", "alpha", alpha, dtype);
  if (al.ndim < 1) {
    throw new ShapeError(
      `[random.dirichlet] dirichlet requires alpha.ndim >= 1: got alpha.ndim == ${al.ndim}, expected 1 or more. ` +
        `Pass the concentrations as a vector, e.g. np.array([1, 2, 3]).`,
    );
  }
  const batch = al.aval.shape.slice(0, -1);
  const n = al.aval.shape[al.ndim - 1];
  let shape: number[];
  if (o.shape === undefined || o.shape === null) shape = [...batch];
  else {
    shape = checkShape("dirichlet", o.shape);
    checkParamShapes("dirichlet", shape, batch);
  }
  const full = [...shape, n];
  checkShape("dirichlet", full);
  const logG = logGammaDraws(key, broadcastTo(al, full));
  // nn.softmax over the last axis: exp(x - stop_gradient(max)) / Σ.
  const last = full.length - 1;
  const m = stopGradient(bind(reduceMaxP, [logG], { axes: [last] })[0]);
  const unnormalized = exp(sub(logG, reshape(m, [...shape, 1])));
  const total = reshape(reduceSum(unnormalized, [last]), [...shape, 1]);
  return div(unnormalized, total);
}

/** JAX's `_poisson_knuth`: count uniforms until their product falls below e^-λ (all elements together). */
function poissonKnuth(key: NdArray, lam: NdArray, dtype: "int32" | "uint32", maxIters: number): NdArray {
  const shape = [...lam.aval.shape];
  const negLam = neg(lam);
  type Carry = [NdArray, NdArray, NdArray, NdArray];
  const i0 = fromValues([0], [], "int32");
  const k0 = broadcastTo(fromValues([0], [], dtype), shape);
  const logProd0 = broadcastTo(fromValues([0], [], "float32"), shape);
  const [, k] = whileLoop(
    ([i, , , logProd]: Carry) => and(reduceAll(reduceOrP, gt(logProd, negLam)), lt(i, c(maxIters, i))),
    ([i, kk, rng, logProd]: Carry): Carry => {
      const ks = split(rng);
      const next = selectN(gt(logProd, negLam), [kk, add(kk, c(1, kk))]);
      const u = unit(nth(ks, 1), shape, "float32");
      return [add(i, c(1, i)), next, nth(ks, 0), add(logProd, log(u))];
    },
    [i0, k0, key, logProd0] as Carry,
  );
  return sub(k, c(1, k));
}

/** JAX's `_poisson_rejection`: Hörmann's transformed rejection (PTRS), for λ ≥ 10. */
function poissonRejection(key: NdArray, lam: NdArray, dtype: "int32" | "uint32", maxIters: number): NdArray {
  const shape = [...lam.aval.shape];
  const k = (v: number): NdArray => c(v, lam);
  const logLam = log(lam);
  const b = add(k(0.931), mul(k(2.53), sqrt(lam)));
  const a = add(k(-0.059), mul(k(0.02483), b));
  const invAlpha = add(k(1.1239), div(k(1.1328), sub(b, k(3.4))));
  const vR = sub(k(0.9277), div(k(3.6224), sub(b, k(2))));
  const [twoA, negLam] = [mul(k(2), a), neg(lam)];
  type Carry = [NdArray, NdArray, NdArray, NdArray];
  const i0 = fromValues([0], [], "int32");
  const kOut0 = broadcastTo(fromValues([-1], [], "float32"), shape);
  const accepted0 = broadcastTo(fromValues([0], [], "bool"), shape);
  const [, kOut] = whileLoop(
    ([i, , accepted]: Carry) => and(reduceAll(reduceOrP, not(accepted)), lt(i, c(maxIters, i))),
    ([i, kPrev, accepted, rng]: Carry): Carry => {
      const ks = split(rng, 3);
      const u = sub(unit(nth(ks, 1), shape, "float32"), k(0.5));
      const v = unit(nth(ks, 2), shape, "float32");
      const uShifted = sub(k(0.5), abs(u));
      const kk = floor(add(add(mul(add(div(twoA, uShifted), b), u), lam), k(0.43)));
      const s = log(div(mul(v, invAlpha), add(div(a, mul(uShifted, uShifted)), b)));
      const t = sub(add(negLam, mul(kk, logLam)), lgamma(add(kk, k(1))));
      const accept1 = and(ge(uShifted, k(0.07)), le(v, vR));
      const reject = or(lt(kk, k(0)), and(lt(uShifted, k(0.013)), gt(v, uShifted)));
      const accept = or(accept1, and(not(reject), le(s, t)));
      return [add(i, c(1, i)), selectN(accept, [kPrev, kk]), or(accepted, accept), nth(ks, 0)];
    },
    [i0, kOut0, accepted0, key] as Carry,
  );
  return convert(kOut, dtype);
}

/**
 * `jax.random.poisson(key, lam, shape=None, dtype=int32)`: Poisson(λ) counts,
 * as JAX (and NumPy, TensorFlow): λ is taken as float32; elements with λ < 10
 * (or NaN) use Knuth's multiplication of uniforms, the others Hörmann's
 * transformed rejection, both run on the whole array with the same key and
 * picked per element; λ = 0 gives 0. `{ method: "approximate" }` is JAX's loop-free
 * sampler (a normal draw through an approximate inverse cdf). (JAX's int64 default
 * under x64 is int32 here: there are no 64-bit integers.)
 *
 * @example
 * random.poisson(key, 3, [1000]); // i32[1000], mean ≈ 3
 * random.poisson(key, np.array([0.5, 50])); // one count per rate
 */
export function poisson(key: NdArray, lam: ArrayLike, ...args: ShapeDTypeArgs<PoissonOptions>): NdArray {
  const o = poissonOptions.parse(args);
  checkKey("poisson", key);
  const dtype = intDType("poisson", o.dtype);
  if (o.method === "approximate") {
    // JAX computes in float64 when lam is a 64-bit float (a JS number is the default float).
    const given = typeof lam === "number" ? floatDType("poisson", null) : arrayArg("poisson", "lam", lam).dtype;
    const la = param("poisson", "lam", lam, given === "float64" ? "float64" : "float32");
    const shape = resultShape("poisson", o.shape, la);
    return poissonApprox(key, broadcastTo(la, shape), shape, dtype);
  }
  const l = param("poisson", "lam", lam, "float32");
  const shape = resultShape("poisson", o.shape, l);
  const lamB = broadcastTo(l, shape);
  if (lamB.size === 0) return broadcastTo(fromValues([0], [], dtype), shape);
  const useKnuth = or(ne(lamB, lamB), lt(lamB, c(10, lamB)));
  const lamKnuth = selectN(useKnuth, [c(0, lamB), lamB]);
  // Rejection's acceptance rate tends to 89% as λ → ∞: a large λ keeps the Knuth lanes quick there.
  const lamRejection = selectN(useKnuth, [lamB, c(1e5, lamB)]);
  const maxIters = 2 ** 31 - 1; // JAX: iinfo(dtype).max, "insanely conservative"
  const result = selectN(useKnuth, [
    poissonRejection(key, lamRejection, dtype, maxIters),
    poissonKnuth(key, lamKnuth, dtype, maxIters),
  ]);
  return selectN(eq(lamB, c(0, lamB)), [result, c(0, result)]);
}
