/** `cotangent.scipy`: JAX's `jax.scipy.special`. */
import type { NdArray, ArrayLike } from "../core/array.js";
import * as np from "../numpy/index.js";
import * as un from "../primitives/unary.js";
import { promoteToFloat } from "../numpy/convert.js";
import { logsumexp } from "../nn/index.js";

const f = (x: ArrayLike): NdArray => promoteToFloat("scipy.special", [x])[0];

export const special = {
  erf: (x: ArrayLike): NdArray => un.erf(f(x)),
  erfc: (x: ArrayLike): NdArray => un.erfc(f(x)),
  erfinv: (x: ArrayLike): NdArray => un.erfInv(f(x)),
  /** log |Γ(x)| */
  gammaln: (x: ArrayLike): NdArray => un.lgamma(f(x)),
  digamma: (x: ArrayLike): NdArray => un.digamma(f(x)),
  polygamma: (n: number, x: ArrayLike): NdArray => un.polygamma(n, f(x)),
  logsumexp,
  /** expit(x) = 1 / (1 + e⁻ˣ) */
  expit: (x: ArrayLike): NdArray => un.logistic(f(x)),
  /** logit(p) = log(p / (1 - p)) */
  logit: (x: ArrayLike): NdArray => {
    const p = f(x);
    return np.log(np.divide(p, np.subtract(1, p)));
  },
  /** x·log(y), 0 where x = 0. */
  xlogy: (x: ArrayLike, y: ArrayLike): NdArray => {
    const [a, b] = promoteToFloat("xlogy", [x, y]);
    return np.where(np.equal(a, 0), 0, np.multiply(a, np.log(b)));
  },
  /** Φ(x) = ½ erfc(-x/√2) */
  ndtr: (x: ArrayLike): NdArray => np.multiply(0.5, un.erfc(np.multiply(f(x), -Math.SQRT1_2))),
};
