/**
 * `jax.scipy.linalg.expm` and `expm_frechet`: the matrix exponential by Padé approximants with
 * scaling and squaring (Higham 2005, as JAX writes it). A composite of numpy, `lax.switch`,
 * `lax.cond` and `lax.scan`, so grad, vmap and jit come from those; `expmFrechet` is the jvp
 * of `expm`, as in JAX.
 */
import type { ArrayLike, NdArray } from "../core/array.js";
import { ShapeError } from "../core/errors.js";
import { defineOptions, is, orNull, type OptArgs } from "../core/options.js";
import { promoteToFloat } from "../primitives/as-array.js";
import { cond, scan, switchCase } from "../control/api.js";
import { jvp } from "../transforms/forward.js";
import { vmap } from "../transforms/vmap-api.js";
import * as np from "../numpy/index.js";
import { solveTriangular } from "./linalg.js";

/** Options of `jax.scipy.linalg.expm(A, *, upper_triangular=False, max_squarings=16)`. */
export interface ExpmOptions {
  /** Take A as upper triangular: the Padé quotient is a triangular solve. */
  upperTriangular?: boolean;
  /** The most squarings; a matrix needing more gives NaN, as in JAX. */
  maxSquarings?: number;
}
const expmOptions = defineOptions(
  "scipy.linalg.expm",
  { upperTriangular: is.bool, maxSquarings: is.nonNegativeInt },
  [],
);

/** Options of `jax.scipy.linalg.expm_frechet(A, E, *, method=None, compute_expm=True)`. */
export interface ExpmFrechetOptions {
  /** Accepted and ignored, as in JAX. */
  method?: string | null;
  /** Also return expm(A): [expm(A), L(A, E)] (default), else L(A, E) alone. */
  computeExpm?: boolean;
}
const expmFrechetOptions = defineOptions(
  "scipy.linalg.expmFrechet",
  { method: orNull(is.string), computeExpm: is.bool },
  [],
);

const mm = (a: NdArray, b: NdArray): NdArray => np.matmul(a, b);
/** Σ cᵢ·Mᵢ (+ c₀·I when given), the even and odd polynomials of the Padé approximants. */
function comb(terms: [number, NdArray][], c0: number | null, I: NdArray): NdArray {
  let s: NdArray = c0 === null ? np.zerosLike(I) : np.multiply(c0, I);
  for (const [c, M] of terms) s = np.add(s, np.multiply(c, M));
  return s;
}

/** [U, V] of the degree-m Padé approximant r_m = (V + U) / (V − U), for m = 3, 5, 7, 9 (JAX's _padeN). */
function padeLow(b: readonly number[]): (A: NdArray) => [NdArray, NdArray] {
  return (A) => {
    const I = np.eye(A.aval.shape[0], { dtype: A.dtype });
    const powers = [I, mm(A, A)];
    while (powers.length < b.length / 2) powers.push(mm(powers[powers.length - 1], powers[1]));
    const odd: [number, NdArray][] = powers.slice(1).map((P, k) => [b[2 * k + 3], P]);
    const even: [number, NdArray][] = powers.slice(1).map((P, k) => [b[2 * k + 2], P]);
    return [mm(A, comb(odd, b[1], I)), comb(even, b[0], I)];
  };
}

const B3 = [120, 60, 12, 1];
const B5 = [30240, 15120, 3360, 420, 30, 1];
const B7 = [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1];
const B9 = [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1];
const B13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
  670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
];

/** Degree 13, with A⁶ factored out of the high terms (JAX's _pade13). */
function pade13(A: NdArray): [NdArray, NdArray] {
  const b = B13;
  const I = np.eye(A.aval.shape[0], { dtype: A.dtype });
  const A2 = mm(A, A);
  const A4 = mm(A2, A2);
  const A6 = mm(A4, A2);
  const hiU = mm(
    A6,
    comb(
      [
        [b[13], A6],
        [b[11], A4],
        [b[9], A2],
      ],
      null,
      I,
    ),
  );
  const U = mm(
    A,
    np.add(
      hiU,
      comb(
        [
          [b[7], A6],
          [b[5], A4],
          [b[3], A2],
        ],
        b[1],
        I,
      ),
    ),
  );
  const hiV = mm(
    A6,
    comb(
      [
        [b[12], A6],
        [b[10], A4],
        [b[8], A2],
      ],
      null,
      I,
    ),
  );
  const V = np.add(
    hiV,
    comb(
      [
        [b[6], A6],
        [b[4], A4],
        [b[2], A2],
      ],
      b[0],
      I,
    ),
  );
  return [U, V];
}

/**
 * Per dtype (JAX's _calc_P_Q): θ_max, the 1-norm bound of the highest degree after scaling, and
 * the norm thresholds that pick the lowest Padé degree accurate to the dtype's precision.
 */
const SCHEDULE = {
  float64: {
    maxnorm: 5.371920351148152,
    conds: [1.495585217958292e-2, 2.53939833006323e-1, 9.504178996162932e-1, 2.097847961257068],
    branches: [padeLow(B3), padeLow(B5), padeLow(B7), padeLow(B9), pade13],
  },
  float32: {
    maxnorm: 3.92572478313866,
    conds: [4.258730016922831e-1, 1.880152677804762],
    branches: [padeLow(B3), padeLow(B5), padeLow(B7)],
  },
};

/** expm of one matrix: s = max(0, ⌊log₂(‖A‖₁/θ)⌋), r_m(A/2ˢ) squared s times. */
function expm2d(A: NdArray, upper: boolean, maxSquarings: number): NdArray {
  const sched = A.dtype === "float64" ? SCHEDULE.float64 : SCHEDULE.float32;
  const norm1 = np.max(np.sum(np.abs(A), { axis: 0 }));
  const s = np.maximum(0, np.floor(np.log2(np.divide(norm1, sched.maxnorm))));
  const scaled = np.divide(A, np.power(2, s));
  const idx = np.digitize(norm1, np.array(sched.conds, { dtype: A.dtype }));
  const [U, V] = switchCase(idx, sched.branches, scaled) as [NdArray, NdArray];
  const P = np.add(U, V);
  const Q = np.subtract(V, U);
  const compute = (P0: NdArray, Q0: NdArray): NdArray => {
    const R = upper ? solveTriangular(Q0, P0) : np.linalg.solve(Q0, P0);
    if (maxSquarings === 0) return R;
    const step = (c: NdArray, i: NdArray): [NdArray, null] => [
      cond(
        np.less(i, s),
        (x: NdArray) => mm(x, x),
        (x: NdArray) => x,
        c,
      ) as NdArray,
      null,
    ];
    return scan(step, R, np.arange(maxSquarings, { dtype: A.dtype }))[0];
  };
  const nan = (P0: NdArray): NdArray => np.fullLike(P0, NaN);
  return cond(np.greater(s, maxSquarings), nan, compute, P, Q) as NdArray;
}

function checkSquareMatrix(op: string, A: NdArray, what: string): number {
  const n = A.aval.shape[A.ndim - 1];
  if (A.ndim < 2 || A.aval.shape[A.ndim - 2] !== n) {
    throw new ShapeError(
      `[${op}] expected ${what} to be a (batched) square matrix: got ${A.aval.str()}, expected [..., n, n].`,
    );
  }
  return n;
}

/**
 * `jax.scipy.linalg.expm(A, *, upper_triangular=False, max_squarings=16)`: the matrix exponential
 * e^A = Σ Aᵏ/k!, batched over leading axes, by Padé approximants of degree 3–13 (3–7 in float32)
 * with scaling and squaring chosen from the 1-norm. A matrix that needs more than
 * `maxSquarings` squarings gives NaN.
 *
 * @example
 * scipy.linalg.expm(np.array([[0, 1], [-1, 0]])); // [[cos 1, sin 1], [-sin 1, cos 1]]
 */
export function expm(A: ArrayLike, ...args: OptArgs<[], ExpmOptions>): NdArray {
  const op = "scipy.linalg.expm";
  const o = expmOptions.parse(args);
  const [a] = promoteToFloat(op, [A]);
  const n = checkSquareMatrix(op, a, "A");
  const upper = o.upperTriangular ?? false;
  const maxSquarings = o.maxSquarings ?? 16;
  const shape = a.aval.shape;
  if (n === 0 || a.size === 0) return a;
  if (a.ndim === 2) return expm2d(a, upper, maxSquarings);
  const flat = np.reshape(a, [-1, n, n]);
  const out = vmap((m: NdArray) => expm2d(m, upper, maxSquarings))(flat);
  return np.reshape(out, shape);
}

/**
 * `jax.scipy.linalg.expm_frechet(A, E, *, method=None, compute_expm=True)`: the Fréchet derivative
 * L(A, E) = d/dt expm(A + tE) at t = 0 (the jvp of `expm`), with `[expm(A), L(A, E)]` when
 * computeExpm is true (default), else L(A, E) alone. A and E: the same shape [..., n, n].
 *
 * @example
 * const [eA, L] = scipy.linalg.expmFrechet(np.eye(2), np.eye(2)) as Array[]; // L = e·I
 */
export function expmFrechet(
  A: ArrayLike,
  E: ArrayLike,
  ...args: OptArgs<[], ExpmFrechetOptions>
): NdArray | [NdArray, NdArray] {
  const op = "scipy.linalg.expmFrechet";
  const o = expmFrechetOptions.parse(args);
  const [a, e] = promoteToFloat(op, [A, E]);
  checkSquareMatrix(op, a, "A");
  checkSquareMatrix(op, e, "E");
  if (a.aval.shape.join() !== e.aval.shape.join()) {
    throw new ShapeError(`[${op}] expected A and E to be the same shape: got A ${a.aval.str()} and E ${e.aval.str()}.`);
  }
  const [eA, L] = jvp((x: NdArray) => expm(x), [a], [e]) as [NdArray, NdArray];
  return (o.computeExpm ?? true) ? [eA, L] : L;
}
