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

/** `jax.scipy.special.polygamma(n, x)`: the n-th derivative of digamma; n is a non-negative integer. */
function polygamma(n: number, x: ArrayLike, ...rest: []): NdArray {
  const op = "scipy.special.polygamma";
  noExtraArgs(op, rest);
  if (!Number.isInteger(n) || n < 0) {
    throw new ArgumentTypeError(`[${op}] n must be a non-negative integer: got ${describeValue(n)}.`);
  }
  return un.polygamma(n, promoteToFloat(op, [x])[0]);
}

/** `jax.scipy.special.xlogy(x, y)`: x·log(y), 0 where x = 0. */
function xlogy(x: ArrayLike, y: ArrayLike, ...rest: []): NdArray {
  const op = "scipy.special.xlogy";
  noExtraArgs(op, rest);
  const [a, b] = promoteToFloat(op, [x, y]);
  return np.where(np.equal(a, 0), 0, np.multiply(a, np.log(b)));
}

/** `jax.scipy.special`: special functions, elementwise on float arrays (integers become floats). */
export const special = {
  /** `erf(x)`: the error function. @example scipy.special.erf(x) */
  erf: special1("erf", un.erf),
  /** `erfc(x)`: 1 - erf(x), accurate for large x. */
  erfc: special1("erfc", un.erfc),
  /** `erfinv(x)`: the inverse of erf on (-1, 1). */
  erfinv: special1("erfinv", un.erfInv),
  /** `gammaln(x)`: log |Γ(x)|. */
  gammaln: special1("gammaln", un.lgamma),
  /** `digamma(x)`: ψ(x) = d/dx log Γ(x). */
  digamma: special1("digamma", un.digamma),
  polygamma,
  /** `logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False, where=None)`, as `nn.logsumexp`. */
  logsumexp: makeLogsumexp("scipy.special.logsumexp") as Logsumexp,
  /** `expit(x)` = 1 / (1 + e⁻ˣ). */
  expit: special1("expit", un.logistic),
  /** `logit(p)` = log(p / (1 - p)). */
  logit: special1("logit", (p) => np.log(np.divide(p, np.subtract(1, p)))),
  xlogy,
  /** `ndtr(x)`: Φ(x) = ½ erfc(-x/√2), the standard normal CDF. */
  ndtr: special1("ndtr", (a) => np.multiply(0.5, un.erfc(np.multiply(a, -Math.SQRT1_2)))),
};

import * as linalgFunctions from "./linalg.js";
import * as signalFunctions from "./signal.js";

/** `jax.scipy.linalg`: triangular solves, Cholesky and LU factorizations, expm. */
export const linalg = { ...linalgFunctions };

/** `jax.scipy.signal`: convolution and correlation. */
export const signal = { ...signalFunctions };
