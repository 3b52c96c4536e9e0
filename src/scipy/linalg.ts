/**
 * `jax.scipy.linalg`'s triangular solves and factorizations: solveTriangular,
 * choFactor/choSolve, luFactor/luSolve and lu, composites of `lax.linalg`'s
 * cholesky, lu and triangular_solve. SciPy's `overwrite_*`, `check_finite` and
 * `debug` are accepted and ignored, as JAX does.
 */
import type { ArrayLike, NdArray } from "../core/array.js";
import { ArgumentTypeError, ShapeError } from "../core/errors.js";
import { defineOptions, describeValue, is, oneOf, type OptArgs } from "../core/options.js";
import { promoteToFloat, asArray } from "../primitives/as-array.js";
import { add, convert, eq } from "../primitives/elementwise.js";
import { iota } from "../primitives/iota.js";
import { band, bmm, cholesky, eyeLike, lu as luPrim, mT, triangularSolve } from "../primitives/linalg-solve.js";
import { sliceAxis } from "../primitives/slicing.js";
import { broadcastInDim, reshape } from "../primitives/structural.js";
import {
  batchOf,
  batchShape,
  checkSquare,
  luSolveBroadcast,
  pivotsToPermutation,
  toBatch,
} from "../numpy/linalg-solve-core.js";

type Trans = 0 | 1 | 2 | "N" | "T" | "C";
const transCheck = oneOf(0, 1, 2, "N", "T", "C");
/** SciPy's trans as "transpose a" (real matrices: "C" is "T"). */
const transposes = (t: Trans | undefined): boolean => t !== undefined && t !== 0 && t !== "N";

/** Options of `jax.scipy.linalg.solve_triangular`. */
export interface SolveTriangularOptions {
  /** 0/"N": a·x = b; 1/"T" or 2/"C": aᵀ·x = b. */
  trans?: Trans;
  /** Read a's lower triangle (default: the upper one). */
  lower?: boolean;
  /** Take a's diagonal as ones. */
  unitDiagonal?: boolean;
  /** Accepted and ignored. */
  overwriteB?: boolean;
  /** Accepted and ignored. */
  debug?: unknown;
  /** Accepted and ignored. */
  checkFinite?: boolean;
}
const solveTriangularOptions = defineOptions(
  "scipy.linalg.solveTriangular",
  {
    trans: transCheck,
    lower: is.bool,
    unitDiagonal: is.bool,
    overwriteB: is.bool,
    debug: is.any,
    checkFinite: is.bool,
  },
  ["trans", "lower", "unitDiagonal", "overwriteB", "debug", "checkFinite"],
);

/**
 * a·x = b with a triangular, b a vector [..., m] (one axis fewer than a) or matrices
 * [..., m, k]; leading axes broadcast.
 */
function solveTri(op: string, A: NdArray, B: NdArray, lower: boolean, transposeA: boolean, unit: boolean): NdArray {
  const m = checkSquare(op, A);
  const vector = B.ndim === A.ndim - 1 || B.ndim === 1;
  if (B.ndim < 1 || B.aval.shape[B.ndim - (vector ? 1 : 2)] !== m) {
    throw new ShapeError(
      `[${op}] b does not match a: got a ${A.aval.str()} and b ${B.aval.str()}, expected b of shape [..., ${m}] or [..., ${m}, k].`,
    );
  }
  const Bm = vector ? reshape(B, [...B.aval.shape, 1]) : B;
  const batch = batchShape(op, batchOf(A, 2), batchOf(Bm, 2));
  const x = triangularSolve(toBatch(A, batch, 2), toBatch(Bm, batch, 2), {
    leftSide: true,
    lower,
    transposeA,
    unitDiagonal: unit,
  });
  return vector ? reshape(x, x.aval.shape.slice(0, -1)) : x;
}

/**
 * `jax.scipy.linalg.solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False,
 * overwrite_b=False, debug=None, check_finite=True)`: x with a·x = b (or aᵀ·x = b), reading
 * only a's upper (or lower) triangle. A zero on the diagonal gives infinities and NaNs.
 *
 * @example
 * scipy.linalg.solveTriangular([[2, 0], [1, 1]], [2, 3], { lower: true });   // [1, 2]
 */
export function solveTriangular(
  a: ArrayLike,
  b: ArrayLike,
  ...args: OptArgs<[Trans, boolean, boolean, boolean, unknown, boolean], SolveTriangularOptions>
): NdArray {
  const o = solveTriangularOptions.parse(args);
  const [A, B] = promoteToFloat("scipy.linalg.solveTriangular", [a, b]);
  return solveTri("scipy.linalg.solveTriangular", A, B, o.lower ?? false, transposes(o.trans), o.unitDiagonal ?? false);
}

/** Options of `jax.scipy.linalg.cho_factor`. */
export interface ChoFactorOptions {
  /** Return the lower factor L (a = L·Lᵀ) instead of the upper U (a = Uᵀ·U). */
  lower?: boolean;
  /** Accepted and ignored. */
  overwriteA?: boolean;
  /** Accepted and ignored. */
  checkFinite?: boolean;
}
const choFactorOptions = defineOptions(
  "scipy.linalg.choFactor",
  { lower: is.bool, overwriteA: is.bool, checkFinite: is.bool },
  ["lower", "overwriteA", "checkFinite"],
);

/**
 * `jax.scipy.linalg.cho_factor(a, lower=False, overwrite_a=False, check_finite=True)`:
 * [c, lower], c the Cholesky factor (upper by default) with zeros in the other triangle;
 * only a's triangle on that side is read. Not positive definite: NaNs, as in JAX.
 *
 * @example
 * const [c, lower] = scipy.linalg.choFactor([[4, 2], [2, 5]]);   // c = [[2, 1], [0, 2]], lower = false
 */
export function choFactor(
  a: ArrayLike,
  ...args: OptArgs<[boolean, boolean, boolean], ChoFactorOptions>
): [NdArray, boolean] {
  const o = choFactorOptions.parse(args);
  const lower = o.lower ?? false;
  const [A] = promoteToFloat("scipy.linalg.choFactor", [a]);
  checkSquare("scipy.linalg.choFactor", A);
  const L = cholesky(lower ? A : mT(A));
  return [lower ? L : mT(L), lower];
}

/** Options of `jax.scipy.linalg.cho_solve` (both accepted and ignored). */
export interface ChoSolveOptions {
  /** Accepted and ignored (JAX's `overwrite_b`: arrays are immutable). */
  overwriteB?: boolean;
  /** Accepted and ignored (JAX's `check_finite`). */
  checkFinite?: boolean;
}
const choSolveOptions = defineOptions("scipy.linalg.choSolve", { overwriteB: is.bool, checkFinite: is.bool }, [
  "overwriteB",
  "checkFinite",
]);

function pairOf(op: string, v: unknown, what: string): [unknown, unknown] {
  if (!Array.isArray(v) || v.length !== 2) {
    throw new ArgumentTypeError(`[${op}] the first argument must be ${what}: got ${describeValue(v)}.`);
  }
  return [v[0], v[1]];
}

/**
 * `jax.scipy.linalg.cho_solve(c_and_lower, b, overwrite_b=False, check_finite=True)`: x with
 * a·x = b, from choFactor's [c, lower].
 *
 * @example
 * scipy.linalg.choSolve(scipy.linalg.choFactor(a), b);
 */
export function choSolve(
  cAndLower: readonly [ArrayLike, boolean],
  b: ArrayLike,
  ...args: OptArgs<[boolean, boolean], ChoSolveOptions>
): NdArray {
  choSolveOptions.parse(args);
  const op = "scipy.linalg.choSolve";
  const [c, lower] = pairOf(op, cAndLower, "[c, lower], as choFactor returns");
  if (typeof lower !== "boolean") {
    throw new ArgumentTypeError(
      `[${op}] lower (the pair's second entry) must be a boolean: got ${describeValue(lower)}.`,
    );
  }
  const [C, B] = promoteToFloat(op, [c, b]);
  // a = L·Lᵀ: solve L·y = b, then Lᵀ·x = y (with L = Cᵀ for an upper factor).
  const y = solveTri(op, C, B, lower, !lower, false);
  return solveTri(op, C, y, lower, lower, false);
}

/** Options of `jax.scipy.linalg.lu_factor` (both accepted and ignored). */
export interface LuFactorOptions {
  /** Accepted and ignored (JAX's `overwrite_a`: arrays are immutable). */
  overwriteA?: boolean;
  /** Accepted and ignored (JAX's `check_finite`). */
  checkFinite?: boolean;
}
const luFactorOptions = defineOptions("scipy.linalg.luFactor", { overwriteA: is.bool, checkFinite: is.bool }, [
  "overwriteA",
  "checkFinite",
]);

/**
 * `jax.scipy.linalg.lu_factor(a, overwrite_a=False, check_finite=True)`: [lu, piv], LAPACK's
 * packed LU with partial pivoting (row i was swapped with row piv[i], 0-based, int32).
 *
 * @example
 * const [lu, piv] = scipy.linalg.luFactor([[1, 2], [3, 4]]);   // piv = [1, 1]
 */
export function luFactor(a: ArrayLike, ...args: OptArgs<[boolean, boolean], LuFactorOptions>): [NdArray, NdArray] {
  luFactorOptions.parse(args);
  const [A] = promoteToFloat("scipy.linalg.luFactor", [a]);
  if (A.ndim < 2) {
    throw new ShapeError(
      `[scipy.linalg.luFactor] the operand must be a matrix: got ${A.aval.str()}, expected [..., m, n].`,
    );
  }
  const [luM, piv] = luPrim(A);
  return [luM, piv];
}

/** Options of `jax.scipy.linalg.lu_solve`. */
export interface LuSolveOptions {
  /** 0: a·x = b; 1 or 2: aᵀ·x = b. */
  trans?: 0 | 1 | 2;
  /** Accepted and ignored. */
  overwriteB?: boolean;
  /** Accepted and ignored. */
  checkFinite?: boolean;
}
const luSolveOptions = defineOptions(
  "scipy.linalg.luSolve",
  { trans: oneOf(0, 1, 2), overwriteB: is.bool, checkFinite: is.bool },
  ["trans", "overwriteB", "checkFinite"],
);

/**
 * `jax.scipy.linalg.lu_solve(lu_and_piv, b, trans=0, overwrite_b=False, check_finite=True)`:
 * x with a·x = b (trans 0) or aᵀ·x = b (trans 1 or 2), from luFactor's [lu, piv].
 *
 * @example
 * scipy.linalg.luSolve(scipy.linalg.luFactor(a), b);
 */
export function luSolve(
  luAndPiv: readonly [ArrayLike, ArrayLike],
  b: ArrayLike,
  ...args: OptArgs<[0 | 1 | 2, boolean, boolean], LuSolveOptions>
): NdArray {
  const o = luSolveOptions.parse(args);
  const op = "scipy.linalg.luSolve";
  const [l, p] = pairOf(op, luAndPiv, "[lu, piv], as luFactor returns");
  const [LU, B] = promoteToFloat(op, [l, b]);
  const m = checkSquare(op, LU);
  const piv = asArray(p, undefined, op);
  if (piv.dtype !== "int32" && piv.dtype !== "uint32") {
    throw new ArgumentTypeError(`[${op}] piv must be an integer array: got ${piv.aval.str()}, expected int32 pivots.`);
  }
  if (piv.ndim < 1) throw new ShapeError(`[${op}] piv must have at least one axis: got ${piv.aval.str()}.`);
  const perm = pivotsToPermutation(convert(piv, "int32"), m);
  return luSolveBroadcast(op, LU, perm, B, o.trans ? 1 : 0);
}

/** Options of `jax.scipy.linalg.lu`. */
export interface LuOptions {
  /** Return [p·l, u] instead of [p, l, u]. */
  permuteL?: boolean;
  /** Accepted and ignored. */
  overwriteA?: boolean;
  /** Accepted and ignored. */
  checkFinite?: boolean;
}
const luOptions = defineOptions("scipy.linalg.lu", { permuteL: is.bool, overwriteA: is.bool, checkFinite: is.bool }, [
  "permuteL",
  "overwriteA",
  "checkFinite",
]);

/**
 * `jax.scipy.linalg.lu(a, permute_l=False, overwrite_a=False, check_finite=True)`:
 * [p, l, u] with a = p·l·u, p a permutation matrix, l [..., m, k] unit lower triangular and
 * u [..., k, n] upper triangular (k = min(m, n)); with `permuteL`, [p·l, u].
 *
 * @example
 * const [p, l, u] = scipy.linalg.lu([[1, 2], [3, 4]]);
 */
export function lu(
  a: ArrayLike,
  ...args: OptArgs<[boolean, boolean, boolean], LuOptions>
): [NdArray, NdArray, NdArray] | [NdArray, NdArray] {
  const o = luOptions.parse(args);
  const op = "scipy.linalg.lu";
  const [A] = promoteToFloat(op, [a]);
  if (A.ndim < 2)
    throw new ShapeError(`[${op}] the operand must be a matrix: got ${A.aval.str()}, expected [..., m, n].`);
  const [luM, , perm] = luPrim(A);
  const nd = A.ndim;
  const [m, n] = A.aval.shape.slice(-2);
  const k = Math.min(m, n);
  const batch = batchOf(A, 2);
  // p[..., i, j] = (perm[j] == i)
  const permB = broadcastInDim(perm, [...batch, m, m], [...batch.map((_, i) => i), nd - 1]);
  const rows = broadcastInDim(iota("int32", [m], 0), [...batch, m, m], [nd - 2]);
  const p = convert(eq(permB, rows), A.dtype);
  const eyeMk = sliceAxis(eyeLike(batch, m, A.dtype), nd - 1, 0, k);
  const l = add(band(sliceAxis(luM, nd - 1, 0, k), -1, true), eyeMk);
  const u = band(sliceAxis(luM, nd - 2, 0, k), 0, false);
  return o.permuteL ? [bmm(p, l), u] : [p, l, u];
}
