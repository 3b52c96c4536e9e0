/** `cotangent.scipy`: JAX's `jax.scipy.special`. */
import type { NdArray, ArrayLike } from "../core/array.js";
import { ArgumentTypeError } from "../core/errors.js";
import { describeValue, noExtraArgs } from "../core/options.js";
import * as np from "../numpy/index.js";
import * as un from "../primitives/unary.js";
import { promoteToFloat } from "../primitives/as-array.js";
import { makeLogsumexp, type Logsumexp } from "../nn/index.js";

type Special1 = (x: ArrayLike, ...rest: []) => NdArray;
const special1 =
  (name: string, fn: (a: NdArray) => NdArray): Special1 =>
  (x, ...rest) => {
    const op = `scipy.special.${name}`;
    noExtraArgs(op, rest);
    return fn(promoteToFloat(op, [x])[0]);
  };

/**
 * `jax.scipy.special.polygamma(n, x)`: the n-th derivative of digamma; n is a non-negative integer.
 *
 * @example
 * scipy.special.polygamma(1, np.array([1])); // [1.644934] = π²/6
 */
function polygamma(n: number, x: ArrayLike, ...rest: []): NdArray {
  const op = "scipy.special.polygamma";
  noExtraArgs(op, rest);
  if (!Number.isInteger(n) || n < 0) {
    throw new ArgumentTypeError(`[${op}] n must be a non-negative integer: got ${describeValue(n)}.`);
  }
  return un.polygamma(n, promoteToFloat(op, [x])[0]);
}

/**
 * `jax.scipy.special.xlogy(x, y)`: x·log(y), 0 where x = 0.
 *
 * @example
 * scipy.special.xlogy(np.array([0, 2]), np.array([0, Math.E])); // [0, 2]
 */
function xlogy(x: ArrayLike, y: ArrayLike, ...rest: []): NdArray {
  const op = "scipy.special.xlogy";
  noExtraArgs(op, rest);
  const [a, b] = promoteToFloat(op, [x, y]);
  return np.where(np.equal(a, 0), 0, np.multiply(a, np.log(b)));
}

/**
 * `jax.scipy.special`: special functions, elementwise on float arrays (integers become floats).
 *
 * @example
 * scipy.special.erf(np.array([0, 10])); // [0, 1]
 */
export const special = {
  /**
   * `jax.scipy.special.erf(x)`: the error function.
   *
   * @example
   * scipy.special.erf(np.array([0, 10])); // [0, 1]
   */
  erf: special1("erf", un.erf),
  /**
   * `jax.scipy.special.erfc(x)`: 1 - erf(x), accurate for large x.
   *
   * @example
   * scipy.special.erfc(np.array([0])); // [1]
   */
  erfc: special1("erfc", un.erfc),
  /**
   * `jax.scipy.special.erfinv(x)`: the inverse of erf on (-1, 1).
   *
   * @example
   * scipy.special.erfinv(np.array([0.5])); // [0.47693628]
   */
  erfinv: special1("erfinv", un.erfInv),
  /**
   * `jax.scipy.special.gammaln(x)`: log |Γ(x)|.
   *
   * @example
   * scipy.special.gammaln(np.array([5])); // [3.1780539] = log 24
   */
  gammaln: special1("gammaln", un.lgamma),
  /**
   * `jax.scipy.special.digamma(x)`: ψ(x) = d/dx log Γ(x).
   *
   * @example
   * scipy.special.digamma(np.array([1])); // [-0.5772157]
   */
  digamma: special1("digamma", un.digamma),
  polygamma,
  /**
   * `jax.scipy.special.logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False, where=None)`, as `nn.logsumexp`.
   *
   * @example
   * scipy.special.logsumexp(np.array([0, 0])); // 0.6931472 = log 2
   */
  logsumexp: makeLogsumexp("scipy.special.logsumexp") as Logsumexp,
  /**
   * `jax.scipy.special.expit(x)` = 1 / (1 + e⁻ˣ).
   *
   * @example
   * scipy.special.expit(np.array([0])); // [0.5]
   */
  expit: special1("expit", un.logistic),
  /**
   * `jax.scipy.special.logit(p)` = log(p / (1 - p)).
   *
   * @example
   * scipy.special.logit(np.array([0.5])); // [0]
   */
  logit: special1("logit", (p) => np.log(np.divide(p, np.subtract(1, p)))),
  xlogy,
  /**
   * `jax.scipy.special.ndtr(x)`: Φ(x) = ½ erfc(-x/√2), the standard normal CDF.
   *
   * @example
   * scipy.special.ndtr(np.array([0])); // [0.5]
   */
  ndtr: special1("ndtr", (a) => np.multiply(0.5, un.erfc(np.multiply(a, -Math.SQRT1_2)))),
};

import * as linalgFunctions from "./linalg.js";
import * as expmFunctions from "./linalg-expm.js";
import * as signalFunctions from "./signal.js";

/**
 * `jax.scipy.linalg`: triangular solves, Cholesky and LU factorizations, expm.
 *
 * @example
 * scipy.linalg.solveTriangular(np.array([[2, 0], [1, 1]]), np.array([2, 3]), { lower: true }); // [1, 2]
 */
export const linalg = { ...linalgFunctions, ...expmFunctions };

/**
 * `jax.scipy.signal`: convolution and correlation.
 *
 * @example
 * scipy.signal.convolve(np.array([1, 2, 3]), np.array([0, 1, 0.5])); // [0, 1, 2.5, 4, 1.5]
 */
export const signal = { ...signalFunctions };

export type {
  SolveTriangularOptions,
  ChoFactorOptions,
  ChoSolveOptions,
  LuFactorOptions,
  LuSolveOptions,
  LuOptions,
} from "./linalg.js";
export type { SignalMode, SignalMethod, SignalConvolveOptions } from "./signal.js";
export type { ExpmOptions, ExpmFrechetOptions } from "./linalg-expm.js";
