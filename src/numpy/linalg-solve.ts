/**
 * `jnp.linalg`'s solves and determinants: solve, inv, det, slogdet, cholesky and
 * matrixPower, as JAX writes them over `lax.linalg`'s lu, cholesky and
 * triangular_solve (composites: their derivatives come from those primitives).
 * Singular matrices give what JAX gives: infinities and NaNs, or a zero
 * determinant, never an exception.
 */
import type { ArrayLike, NdArray } from "../core/array.js";
import { ArgumentTypeError, ShapeError } from "../core/errors.js";
import { defineOptions, is, noExtraArgs, oneOf, orNull, type OptArgs } from "../core/options.js";
import { asArray, promoteToFloat } from "../primitives/as-array.js";
import { fullConst } from "../primitives/constants.js";
import { add, convert, div, eq, lt, mul, ne, rem, selectN, sub } from "../primitives/elementwise.js";
import { iota } from "../primitives/iota.js";
import { cholesky as choleskyPrim, eyeLike, lu, mT } from "../primitives/linalg-solve.js";
import { sliceAxis } from "../primitives/slicing.js";
import { broadcastTo, reshape } from "../primitives/structural.js";
import { abs, exp, log } from "../primitives/unary.js";
import { reduceOrP } from "../primitives/reduce.js";
import { bind1 } from "../core/trace.js";
import { diagonal, matmul } from "./linalg.js";
import { batchOf, batchShape, checkSquare, luSolveMatrix, sumLast, toBatch } from "./linalg-solve-core.js";

/**
 * `jnp.linalg.solve(a, b)`: x with a·x = b, through a's LU factorization with partial
 * pivoting. b is a vector [m] or a (stack of) matrices [..., m, k]; a's and b's leading
 * axes broadcast. A singular a gives infinities and NaNs, as in JAX.
 *
 * @example
 * np.linalg.solve([[3, 1], [1, 2]], [9, 8]);   // [2, 3]
 */
export function solve(a: ArrayLike, b: ArrayLike, ...rest: []): NdArray {
  noExtraArgs("linalg.solve", rest);
  const [A, B] = promoteToFloat("linalg.solve", [a, b]);
  const m = checkSquare("linalg.solve", A);
  const vector = B.ndim === 1;
  if (B.ndim === 0 || B.aval.shape[B.ndim - (vector ? 1 : 2)] !== m) {
    throw new ShapeError(
      `[linalg.solve] b does not match a: got a ${A.aval.str()} and b ${B.aval.str()}, ` +
        `expected b of shape [${m}] or [..., ${m}, k].`,
    );
  }
  const Bm = vector ? reshape(B, [m, 1]) : B;
  const batch = batchShape("linalg.solve", batchOf(A, 2), batchOf(Bm, 2));
  const Ab = toBatch(A, batch, 2);
  const [luM, , perm] = lu(Ab);
  const x = luSolveMatrix(luM, perm, toBatch(Bm, batch, 2), 0);
  return vector ? reshape(x, x.aval.shape.slice(0, -1)) : x;
}

/**
 * `jnp.linalg.inv(a)`: the inverse of a square matrix (or of each in a stack), as
 * `solve(a, eye)`. A singular matrix gives infinities and NaNs, as in JAX.
 *
 * @example
 * np.linalg.inv([[2, 0], [0, 4]]);   // [[0.5, 0], [0, 0.25]]
 */
export function inv(a: ArrayLike, ...rest: []): NdArray {
  noExtraArgs("linalg.inv", rest);
  const [A] = promoteToFloat("linalg.inv", [a]);
  const n = checkSquare("linalg.inv", A);
  return solve(A, eyeLike(batchOf(A, 2), n, A.dtype));
}

/** Options of `jnp.linalg.slogdet(a, *, method=None)`. */
export interface SlogdetOptions {
  /** The factorization: null or "lu" (cotangent has no "qr" method). */
  method?: "lu" | null;
}
const slogdetOptions = defineOptions("linalg.slogdet", { method: orNull(oneOf("lu")) }, []);

/** sign and log|det| from the LU factorization (JAX's `_slogdet_lu`). */
function slogdetLu(A: NdArray): [NdArray, NdArray] {
  const n = A.aval.shape[A.ndim - 1];
  const [luM, pivots] = lu(A);
  const diag = diagonal(luM, 0, -2, -1);
  const zero = fullConst(diag.aval.shape, 0, A.dtype);
  const isZero = bind1(reduceOrP, [eq(diag, zero)], { axes: [diag.ndim - 1] });
  const swaps = convert(ne(pivots, broadcastTo(iota("int32", [n], 0), pivots.aval.shape)), "int32");
  const negatives = convert(lt(diag, zero), "int32");
  const parity = add(sumLast(swaps), sumLast(negatives));
  const odd = convert(rem(parity, fullConst(parity.aval.shape, 2, "int32")), A.dtype);
  const shape = odd.aval.shape;
  const signFlip = sub(fullConst(shape, 1, A.dtype), mul(fullConst(shape, 2, A.dtype), odd));
  const sign = selectN(isZero, [signFlip, fullConst(shape, 0, A.dtype)]);
  const logdet = selectN(isZero, [sumLast(log(abs(diag))), fullConst(shape, -Infinity, A.dtype)]);
  return [sign, logdet];
}

/**
 * `jnp.linalg.slogdet(a, *, method=None)`: [sign, logabsdet] with det(a) = sign·exp(logabsdet),
 * from the LU factorization: stable where det itself would overflow. A singular matrix
 * gives [0, -inf].
 *
 * @example
 * const [sign, logabsdet] = np.linalg.slogdet([[1, 2], [3, 4]]);   // -1, log(2)
 */
export function slogdet(a: ArrayLike, ...args: OptArgs<[], SlogdetOptions>): [NdArray, NdArray] {
  slogdetOptions.parse(args);
  const [A] = promoteToFloat("linalg.slogdet", [a]);
  checkSquare("linalg.slogdet", A);
  return slogdetLu(A);
}

/** a[..., i, j] as an array of the batch shape. */
function entry(A: NdArray, i: number, j: number): NdArray {
  const nd = A.ndim;
  const e = sliceAxis(sliceAxis(A, nd - 2, i, i + 1), nd - 1, j, j + 1);
  return reshape(e, A.aval.shape.slice(0, -2));
}

/**
 * `jnp.linalg.det(a)`: the determinant, by JAX's explicit formulas for 2×2 and 3×3
 * matrices and as sign·exp(logabsdet) from the LU factorization otherwise.
 *
 * @example
 * np.linalg.det([[1, 2], [3, 4]]);   // -2
 */
export function det(a: ArrayLike, ...rest: []): NdArray {
  noExtraArgs("linalg.det", rest);
  const [A] = promoteToFloat("linalg.det", [a]);
  const n = checkSquare("linalg.det", A);
  const e = (i: number, j: number) => entry(A, i, j);
  if (n === 2) return sub(mul(e(0, 0), e(1, 1)), mul(e(0, 1), e(1, 0)));
  if (n === 3) {
    const t = (a: number, b: number, c: number) => mul(mul(e(0, a), e(1, b)), e(2, c));
    const plus = add(add(t(0, 1, 2), t(1, 2, 0)), t(2, 0, 1));
    return sub(sub(sub(plus, t(2, 1, 0)), t(0, 2, 1)), t(1, 0, 2));
  }
  const [sign, logdet] = slogdetLu(A);
  return mul(sign, exp(logdet));
}

/** Options of `jnp.linalg.cholesky(a, *, upper=False, symmetrize_input=True)`. */
export interface CholeskyOptions {
  /** Return the upper factor U = Lᵀ (a = Uᵀ·U) instead of L. */
  upper?: boolean;
  /** Factor (a + aᵀ)/2 (true, the default) or read only a's lower triangle. */
  symmetrizeInput?: boolean;
}
const choleskyOptions = defineOptions("linalg.cholesky", { upper: is.bool, symmetrizeInput: is.bool }, []);

/**
 * `jnp.linalg.cholesky(a, *, upper=False, symmetrize_input=True)`: the lower triangular L
 * with a = L·Lᵀ (or U = Lᵀ with `upper`). A matrix that is not positive definite gives
 * NaNs, as in JAX.
 *
 * @example
 * np.linalg.cholesky([[4, 2], [2, 5]]);   // [[2, 0], [1, 2]]
 */
export function cholesky(a: ArrayLike, ...args: OptArgs<[], CholeskyOptions>): NdArray {
  const o = choleskyOptions.parse(args);
  const [A] = promoteToFloat("linalg.cholesky", [a]);
  checkSquare("linalg.cholesky", A);
  const sym = (o.symmetrizeInput ?? true) ? div(add(A, mT(A)), fullConst(A.aval.shape, 2, A.dtype)) : A;
  const L = choleskyPrim(sym);
  return o.upper ? mT(L) : L;
}

/**
 * `jnp.linalg.matrix_power(a, n)`: a multiplied by itself n times by repeated squaring;
 * n = 0 gives the identity, n < 0 powers of inv(a).
 *
 * @example
 * np.linalg.matrixPower([[1, 1], [0, 1]], 3);   // [[1, 3], [0, 1]]
 */
export function matrixPower(a: ArrayLike, n: number, ...rest: []): NdArray {
  noExtraArgs("linalg.matrixPower", rest);
  let A = asArray(a, undefined, "linalg.matrixPower");
  if (A.ndim < 2) {
    throw new ShapeError(
      `[linalg.matrixPower] ${A.ndim}-dimensional array given: got ${A.aval.str()}, expected at least two dimensions.`,
    );
  }
  const size = checkSquare("linalg.matrixPower", A);
  if (typeof n !== "number" || !Number.isSafeInteger(n)) {
    throw new ArgumentTypeError(
      `[linalg.matrixPower] exponent must be an integer: got ${String(n)}, expected an integer.`,
    );
  }
  if (n === 0) return eyeLike(batchOf(A, 2), size, A.dtype);
  if (n < 0) A = inv(A);
  let k = Math.abs(n);
  if (k === 1) return A;
  if (k === 2) return matmul(A, A);
  if (k === 3) return matmul(matmul(A, A), A);
  let z: NdArray | null = null;
  let result: NdArray | null = null;
  while (k > 0) {
    z = z === null ? A : matmul(z, z);
    const bit = k % 2;
    k = Math.floor(k / 2);
    if (bit) result = result === null ? z : matmul(result, z);
  }
  return result!;
}
