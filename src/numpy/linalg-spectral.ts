/**
 * `jnp.linalg`'s spectral functions: qr, svd, eigh, eigvalsh, and those JAX writes
 * over the SVD: pinv (with JAX's custom JVP, Golub & Pereyra), lstsq and
 * matrixRank. They are composites over the qr, eigh and svd primitives
 * (src/primitives/linalg-spectral.ts), whose rules give their derivatives.
 */
import type { ArrayLike, NdArray } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import { ShapeError } from "../core/errors.js";
import { defineOptions, is, oneOf, orNull, type OptArgs } from "../core/options.js";
import { bind1 } from "../core/trace.js";
import { asArray, promoteToFloat } from "../primitives/as-array.js";
import { fullConst } from "../primitives/constants.js";
import { add, convert, div, ge, gt, mul, ne, scalarLike, selectN, sub } from "../primitives/elementwise.js";
import { bmm, mT } from "../primitives/linalg-solve.js";
import { eigh as eighPrim, qr as qrPrim, svd as svdPrim } from "../primitives/linalg-spectral.js";
import { reduceMaxP, reduceOrP, reduceSum } from "../primitives/reduce.js";
import { sliceAxis } from "../primitives/slicing.js";
import { reshape } from "../primitives/structural.js";
import { neg } from "../primitives/unary.js";
import { customJvp } from "../transforms/custom-jvp.js";

/** The machine epsilon of a float dtype (JAX's finfo(dtype).eps). */
const eps = (d: DType): number => (d === "float64" ? 2 ** -52 : 2 ** -23);

function checkMatrix(op: string, a: NdArray): [number, number] {
  if (a.ndim < 2) {
    throw new ShapeError(
      `[${op}] ${a.ndim}-dimensional array given. Array must be at least two-dimensional: got ${a.aval.str()}, expected shape [..., m, n].`,
    );
  }
  return [a.aval.shape[a.ndim - 2], a.aval.shape[a.ndim - 1]];
}

function checkSquare(op: string, a: NdArray): number {
  const [m, n] = checkMatrix(op, a);
  if (m !== n) {
    throw new ShapeError(
      `[${op}] last 2 dimensions of the array must be square: got ${a.aval.str()}, expected shape [..., n, n].`,
    );
  }
  return n;
}

/** x[..., :, None] */
const asCol = (x: NdArray) => reshape(x, [...x.aval.shape, 1]);

// --- qr -------------------------------------------------------------------------------

/** A QR mode: "reduced" (Q m×k, R k×n), "complete" (Q m×m, R m×n) or "r" (R alone, k×n). */
export type QrMode = "reduced" | "complete" | "r";
/** Options of `np.linalg.qr` (JAX: `qr(a, mode="reduced")`). */
export interface QrOptions {
  /** "reduced" (default), "complete" or "r". */
  mode?: QrMode;
}
const qrOptions = defineOptions("linalg.qr", { mode: oneOf("reduced", "complete", "r") }, ["mode"]);

/**
 * `jnp.linalg.qr(a, mode="reduced")`: [Q, R] with a = Q·R (Householder, the signs of
 * LAPACK and NumPy), or R alone for mode "r". Batched over leading axes.
 *
 * @example
 * const [q, r] = np.linalg.qr([[1, 2], [3, 4], [5, 6]]);   // q [3, 2], r [2, 2]
 * const r2 = np.linalg.qr(a, "r");
 */
export function qr(a: ArrayLike, mode: "r" | { mode: "r" }): NdArray;
export function qr(
  a: ArrayLike,
  ...args: OptArgs<["reduced" | "complete"], { mode?: "reduced" | "complete" }>
): [NdArray, NdArray];
export function qr(a: ArrayLike, ...args: OptArgs<[QrMode], QrOptions>): NdArray | [NdArray, NdArray];
export function qr(a: ArrayLike, ...args: OptArgs<[QrMode], QrOptions>): NdArray | [NdArray, NdArray] {
  const mode = qrOptions.parse(args).mode ?? "reduced";
  const [A] = promoteToFloat("linalg.qr", [a]);
  checkMatrix("linalg.qr", A);
  const [q, r] = qrPrim(A, mode === "complete");
  return mode === "r" ? r : [q, r];
}

// --- svd -------------------------------------------------------------------------------

/** Options of `np.linalg.svd` (JAX: `svd(a, full_matrices=True, compute_uv=True, hermitian=False)`). */
export interface SvdOptions {
  /** U m×m and Vh n×n (true, the default), or U m×k and Vh k×n. */
  fullMatrices?: boolean;
  /** Return [U, S, Vh] (true, the default) or S alone. */
  computeUv?: boolean;
  /** Accepted; the general algorithm is used whatever its value. */
  hermitian?: boolean;
}
const svdOptions = defineOptions("linalg.svd", { fullMatrices: is.bool, computeUv: is.bool, hermitian: is.bool }, [
  "fullMatrices",
  "computeUv",
  "hermitian",
]);

/**
 * `jnp.linalg.svd(a, full_matrices=True, compute_uv=True, hermitian=False)`: [U, S, Vh]
 * with a = U·diag(S)·Vh, S descending; S alone when computeUv is false. Batched over
 * leading axes. Differentiating U and Vh needs `fullMatrices: false`, as in JAX.
 *
 * @example
 * const [u, s, vh] = np.linalg.svd(a, false);
 * const s2 = np.linalg.svd(a, { computeUv: false });
 */
export function svd(
  a: ArrayLike,
  ...args: [boolean | undefined, false] | [boolean | undefined, false, boolean | undefined]
): NdArray;
export function svd(a: ArrayLike, options: SvdOptions & { computeUv: false }): NdArray;
export function svd(
  a: ArrayLike,
  ...args: OptArgs<[boolean, true, boolean], SvdOptions & { computeUv?: true }>
): [NdArray, NdArray, NdArray];
export function svd(
  a: ArrayLike,
  ...args: OptArgs<[boolean, boolean, boolean], SvdOptions>
): NdArray | [NdArray, NdArray, NdArray];
export function svd(
  a: ArrayLike,
  ...args: OptArgs<[boolean, boolean, boolean], SvdOptions>
): NdArray | [NdArray, NdArray, NdArray] {
  const o = svdOptions.parse(args);
  const [A] = promoteToFloat("linalg.svd", [a]);
  checkMatrix("linalg.svd", A);
  const computeUv = o.computeUv ?? true;
  const outs = svdPrim(A, o.fullMatrices ?? true, computeUv);
  return computeUv ? [outs[1], outs[0], outs[2]] : outs[0];
}

/** The reduced SVD [u, s, vt] of a float matrix (or stack). */
function reducedSvd(a: NdArray): [NdArray, NdArray, NdArray] {
  const [s, u, vt] = svdPrim(a, false, true);
  return [u, s, vt];
}

// --- eigh ------------------------------------------------------------------------------

/** Options of `np.linalg.eigh` (JAX: `eigh(a, UPLO=None, symmetrize_input=True)`). */
export interface EighOptions {
  /** The triangle read: "L" (default) or "U". */
  UPLO?: "L" | "U" | null;
  /** Use (a + aᵀ)/2 (true, the default), or only the triangle UPLO names. */
  symmetrizeInput?: boolean;
}
const eighOptions = defineOptions("linalg.eigh", { UPLO: orNull(oneOf("L", "U")), symmetrizeInput: is.bool }, [
  "UPLO",
  "symmetrizeInput",
]);

/** Eigenvalues and eigenvectors [w, v] of a symmetric matrix (JAX's eigh over lax.linalg.eigh). */
function eighImpl(
  op: string,
  a: ArrayLike,
  uplo: "L" | "U" | null | undefined,
  symmetrize: boolean,
): [NdArray, NdArray] {
  let [A] = promoteToFloat(op, [a]);
  checkSquare(op, A);
  if (symmetrize) A = div(add(A, mT(A)), scalarLike(2, A));
  const [v, w] = eighPrim(A, uplo !== "U");
  return [w, v];
}

/**
 * `jnp.linalg.eigh(a, UPLO=None, symmetrize_input=True)`: [eigenvalues, eigenvectors] of a
 * symmetric matrix, eigenvalues ascending, eigenvectors as the columns (a·v = v·diag(w)).
 * Batched over leading axes.
 *
 * @example
 * const [w, v] = np.linalg.eigh([[2, 1], [1, 2]]);   // w = [1, 3]
 */
export function eigh(a: ArrayLike, ...args: OptArgs<["L" | "U" | null, boolean], EighOptions>): [NdArray, NdArray] {
  const o = eighOptions.parse(args);
  return eighImpl("linalg.eigh", a, o.UPLO, o.symmetrizeInput ?? true);
}

/** Options of `np.linalg.eigvalsh` (JAX: `eigvalsh(a, UPLO="L", *, symmetrize_input=True)`). */
export interface EigvalshOptions {
  /** The triangle read: "L" (default) or "U". */
  UPLO?: "L" | "U" | null;
  /** Use (a + aᵀ)/2 (true, the default), or only the triangle UPLO names. */
  symmetrizeInput?: boolean;
}
const eigvalshOptions = defineOptions("linalg.eigvalsh", { UPLO: orNull(oneOf("L", "U")), symmetrizeInput: is.bool }, [
  "UPLO",
]);

/**
 * `jnp.linalg.eigvalsh(a, UPLO="L", *, symmetrize_input=True)`: the eigenvalues of a
 * symmetric matrix, ascending.
 *
 * @example
 * np.linalg.eigvalsh([[2, 1], [1, 2]]);   // [1, 3]
 */
export function eigvalsh(a: ArrayLike, ...args: OptArgs<["L" | "U" | null], EigvalshOptions>): NdArray {
  const o = eigvalshOptions.parse(args);
  return eighImpl("linalg.eigvalsh", a, o.UPLO, o.symmetrizeInput ?? true)[0];
}

// --- pinv ------------------------------------------------------------------------------

/** Options of `np.linalg.pinv` (JAX: `pinv(a, rtol=None, hermitian=False, *, rcond)`). */
export interface PinvOptions {
  /** Singular values at or below rtol·σ_max are dropped. Default 10·max(m, n)·eps. */
  rtol?: ArrayLike | null;
  /** Accepted; the general algorithm is used whatever its value. */
  hermitian?: boolean;
  /** NumPy's older name for rtol. */
  rcond?: ArrayLike | null;
}
const pinvOptions = defineOptions(
  "linalg.pinv",
  { rtol: orNull(is.arrayLike), hermitian: is.bool, rcond: orNull(is.arrayLike) },
  ["rtol", "hermitian"],
);

/** JAX's `_pinv`: V·diag(1/s)·Uᵀ over the singular values above the cutoff. */
function pinvImpl(A: NdArray, rtolGiven: ArrayLike | null): NdArray {
  const [m, n] = checkMatrix("linalg.pinv", A);
  const batch = A.aval.shape.slice(0, -2);
  if (m === 0 || n === 0) return fullConst([...batch, n, m], 0, A.dtype);
  const rtol =
    rtolGiven === null
      ? scalarLike(10 * Math.max(m, n) * eps(A.dtype), A)
      : convert(asArray(rtolGiven, undefined, "linalg.pinv"), A.dtype);
  const [u, s, vt] = reducedSvd(A);
  // rtol·σ_max computed from s first: an operation on constants alone, inside the custom_jvp
  // function, would be handed to an enclosing jit's trace.
  const sMax = reshape(sliceAxis(s, s.ndim - 1, 0, 1), s.aval.shape.slice(0, -1));
  const cutoff = asCol(mul(sMax, rtol));
  const kept = selectN(gt(s, cutoff), [fullConst(s.aval.shape, Infinity, s.dtype), s]);
  return bmm(mT(vt), div(mT(u), asCol(kept)));
}

/**
 * `jnp.linalg.pinv(a, rtol=None, hermitian=False)`: the Moore–Penrose pseudo-inverse
 * from the SVD, with JAX's custom derivative (Golub & Pereyra), which stays finite
 * where the rank is deficient. Batched over leading axes.
 *
 * @example
 * np.linalg.pinv([[1, 2], [2, 4]]);   // [[0.04, 0.08], [0.08, 0.16]]
 */
export function pinv(a: ArrayLike, ...args: OptArgs<[ArrayLike | null, boolean], PinvOptions>): NdArray {
  const o = pinvOptions.parse(args);
  const rtol = o.rtol ?? o.rcond ?? null;
  const [A] = promoteToFloat("linalg.pinv", [a]);
  checkMatrix("linalg.pinv", A);
  const f = customJvp((x: NdArray) => pinvImpl(x, rtol));
  // JAX's _pinv_jvp: ṗ = −p·ȧ·p + s − s·a·p + t − p·a·t with s = p·pᵀ·ȧᵀ and t = ȧᵀ·pᵀ·p
  // (the products grouped by which side of the matrix is smaller).
  f.defjvp(([x]: NdArray[], [dx]: NdArray[]): [NdArray, NdArray] => {
    const p = f(x);
    const [m, n] = x.aval.shape.slice(-2);
    const pT = mT(p);
    const dxT = mT(dx);
    let pDot: NdArray;
    if (m >= n) {
      const s = bmm(bmm(p, pT), dxT);
      const t = bmm(bmm(dxT, pT), p);
      pDot = add(neg(bmm(bmm(p, dx), p)), sub(s, bmm(bmm(s, x), p)));
      pDot = add(pDot, sub(t, bmm(bmm(p, x), t)));
    } else {
      const s = bmm(p, bmm(pT, dxT));
      const t = bmm(dxT, bmm(pT, p));
      pDot = add(neg(bmm(p, bmm(dx, p))), sub(s, bmm(s, bmm(x, p))));
      pDot = add(pDot, sub(t, bmm(p, bmm(x, t))));
    }
    return [p, pDot];
  });
  return f(A);
}

// --- lstsq -----------------------------------------------------------------------------

/** Options of `np.linalg.lstsq` (JAX: `lstsq(a, b, rcond=None, *, numpy_resid=False)`). */
export interface LstsqOptions {
  /** Singular values below rcond·σ_max count as zero; default eps·max(m, n); negative means eps. */
  rcond?: number | null;
}
const lstsqOptions = defineOptions("linalg.lstsq", { rcond: orNull(is.number) }, ["rcond"]);

/**
 * `jnp.linalg.lstsq(a, b, rcond=None)`: [x, residuals, rank, s], the least-squares solution
 * of a·x = b through the SVD of a (a is m×n, b is [m] or [m, k]); residuals are the
 * squared 2-norms of the columns of b − a·x (always computed, as JAX does), rank is int32.
 *
 * @example
 * const [x, resid, rank, s] = np.linalg.lstsq([[1, 0], [1, 1], [1, 2]], [1, 2, 4]);
 */
export function lstsq(
  a: ArrayLike,
  b: ArrayLike,
  ...args: OptArgs<[number | null], LstsqOptions>
): [NdArray, NdArray, NdArray, NdArray] {
  const o = lstsqOptions.parse(args);
  const [A, B0] = promoteToFloat("linalg.lstsq", [a, b]);
  if (A.ndim !== 2) {
    throw new ShapeError(
      `[linalg.lstsq] ${A.ndim}-dimensional array given. Array must be two-dimensional: got a ${A.aval.str()}, expected [m, n].`,
    );
  }
  if (B0.ndim !== 1 && B0.ndim !== 2) {
    throw new ShapeError(
      `[linalg.lstsq] ${B0.ndim}-dimensional array given. Array must be one or two-dimensional: got b ${B0.aval.str()}, expected [m] or [m, k].`,
    );
  }
  const [m, n] = A.aval.shape;
  if (B0.aval.shape[0] !== m) {
    throw new ShapeError(
      `[linalg.lstsq] leading dimensions of input arrays must match: got a ${A.aval.str()} and b ${B0.aval.str()}, expected b with ${m} rows.`,
    );
  }
  const B = B0.ndim === 1 ? reshape(B0, [m, 1]) : B0;
  const k = B.aval.shape[1];
  let x: NdArray;
  let s: NdArray;
  let rank: NdArray;
  if (A.size === 0) {
    s = fullConst([0], 0, A.dtype);
    rank = fullConst([], 0, "int32");
    x = fullConst([n, k], 0, A.dtype);
  } else {
    const e = eps(A.dtype);
    const rcond = o.rcond === null || o.rcond === undefined ? e * Math.max(m, n) : o.rcond < 0 ? e : o.rcond;
    const [u, s0, vt] = reducedSvd(A);
    s = s0;
    const mask = ge(s, mul(scalarLike(rcond, s), sliceAxis(s, 0, 0, 1)));
    rank = reduceSum(convert(mask, "int32"), [0]);
    const zero = fullConst(s.aval.shape, 0, s.dtype);
    const safe = selectN(mask, [fullConst(s.aval.shape, 1, s.dtype), s]);
    const sInv = selectN(mask, [zero, div(scalarLike(1, s), safe)]);
    const uTb = bmm(mT(u), B);
    x = bmm(mT(vt), mul(asCol(sInv), uTb));
  }
  const r = sub(B, bmm(A, x));
  const resid = reduceSum(mul(r, r), [0]);
  if (B0.ndim === 1) x = reshape(x, [n]);
  return [x, resid, rank, s];
}

// --- matrixRank --------------------------------------------------------------------------

/** Options of `np.linalg.matrixRank` (JAX: `matrix_rank(M, rtol=None, *, tol)`). */
export interface MatrixRankOptions {
  /** Singular values above it count (JAX uses it as an absolute threshold); default σ_max·max(m, n)·eps. */
  rtol?: ArrayLike | null;
  /** NumPy's older name for it. */
  tol?: ArrayLike | null;
}
const matrixRankOptions = defineOptions(
  "linalg.matrixRank",
  { rtol: orNull(is.arrayLike), tol: orNull(is.arrayLike) },
  ["rtol"],
);

/**
 * `jnp.linalg.matrix_rank(M, rtol=None)`: the number of singular values above the
 * threshold (int32); for fewer than two axes, 1 if any entry is non-zero.
 *
 * @example
 * np.linalg.matrixRank([[1, 2], [2, 4]]);   // 1
 */
export function matrixRank(M: ArrayLike, ...args: OptArgs<[ArrayLike | null], MatrixRankOptions>): NdArray {
  const o = matrixRankOptions.parse(args);
  const tolGiven = o.rtol ?? o.tol ?? null;
  const [A] = promoteToFloat("linalg.matrixRank", [M]);
  if (A.ndim < 2) {
    const any = bind1(reduceOrP, [ne(A, scalarLike(0, A))], { axes: A.aval.shape.map((_, i) => i) });
    return convert(any, "int32");
  }
  const [m, n] = A.aval.shape.slice(-2);
  const S = svdPrim(A, false, false)[0];
  const batch = A.aval.shape.slice(0, -2);
  if (Math.min(m, n) === 0) return fullConst(batch, 0, "int32");
  const tol =
    tolGiven === null
      ? mul(bind1(reduceMaxP, [S], { axes: [S.ndim - 1] }), scalarLike(Math.max(m, n) * eps(S.dtype), S))
      : convert(asArray(tolGiven, undefined, "linalg.matrixRank"), S.dtype);
  return reduceSum(convert(gt(S, asCol(tol)), "int32"), [S.ndim - 1]);
}
