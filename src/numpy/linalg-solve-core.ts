/**
 * Shared pieces of np.linalg's solves and scipy.linalg's factorizations (not
 * exported to users): shape checks, batch broadcasting, LU solves from a
 * permutation (JAX's `lax.linalg.lu_solve`) and pivots to a permutation
 * (JAX's `lu_pivots_to_permutation`), all composites of the primitives.
 */
import type { Shape } from "../core/aval.js";
import type { NdArray } from "../core/array.js";
import { ShapeError } from "../core/errors.js";
import { eq, selectN } from "../primitives/elementwise.js";
import { iota } from "../primitives/iota.js";
import { triangularSolve } from "../primitives/linalg-solve.js";
import { reduceSum } from "../primitives/reduce.js";
import { broadcastShapes } from "../primitives/shapes.js";
import { sliceAxis } from "../primitives/slicing.js";
import { sort } from "../primitives/sort.js";
import { broadcastInDim, broadcastTo, reshape } from "../primitives/structural.js";
import { takeAlongAxis } from "../primitives/take.js";

/** Throws unless x is a square matrix or a stack of them. */
export function checkSquare(op: string, x: NdArray): number {
  const n = x.aval.shape[x.ndim - 1];
  if (x.ndim < 2 || x.aval.shape[x.ndim - 2] !== n) {
    throw new ShapeError(
      `[${op}] the matrix must be square (or a stack of square matrices): got ${x.aval.str()}, expected shape [..., n, n].`,
    );
  }
  return n;
}

/** x broadcast to `batch` + its own last `keep` axes. */
export function toBatch(x: NdArray, batch: Shape, keep: number): NdArray {
  const shape = [...batch, ...x.aval.shape.slice(x.ndim - keep)];
  return broadcastTo(x, shape);
}

/** The leading (batch) axes of x, all but the last `keep`. */
export const batchOf = (x: NdArray, keep: number): number[] => x.aval.shape.slice(0, x.ndim - keep);

/** The batch shape of several operands, broadcast as NumPy's. */
export const batchShape = (op: string, ...shapes: Shape[]): number[] => broadcastShapes(op, ...shapes);

/** Rows of b [..., m, k] gathered by an index vector idx [..., m]: out[..., i, :] = b[..., idx[i], :]. */
export function takeRows(b: NdArray, idx: NdArray): NdArray {
  const shape = b.aval.shape;
  return takeAlongAxis(b, broadcastInDim(idx, shape, [...Array(b.ndim - 1).keys()]), b.ndim - 2);
}

/**
 * Solves A·x = b (trans 0) or Aᵀ·x = b (trans 1) from P·A = L·U, with lu [..., m, m],
 * perm [..., m] and b [..., m, k], of equal batch axes (JAX's `_lu_solve_core`).
 */
export function luSolveMatrix(luM: NdArray, perm: NdArray, b: NdArray, trans: 0 | 1): NdArray {
  const solve = (x: NdArray, lower: boolean, transposeA: boolean) =>
    triangularSolve(luM, x, { leftSide: true, lower, transposeA, unitDiagonal: lower });
  if (trans === 0) return solve(solve(takeRows(b, perm), true, false), false, false);
  // Aᵀ = Uᵀ·Lᵀ·P, so x = Pᵀ·L⁻ᵀ·U⁻ᵀ·b: the rows go back through the inverse permutation.
  const y = solve(solve(b, false, true), true, true);
  const m = perm.aval.shape[perm.ndim - 1];
  const inverse = sort([perm, broadcastTo(iota("int32", [m], 0), perm.aval.shape)], {
    dimension: perm.ndim - 1,
    numKeys: 1,
  })[1];
  return takeRows(y, inverse);
}

/**
 * JAX's `lu_solve(lu, permutation, b, trans)`: b is a (stack of) vector(s) when it has one axis
 * fewer than lu, else a (stack of) matrices; the batch axes broadcast.
 */
export function luSolveBroadcast(op: string, luM: NdArray, perm: NdArray, b: NdArray, trans: 0 | 1): NdArray {
  const m = checkSquare(op, luM);
  const vector = b.ndim === luM.ndim - 1 || b.ndim === 1;
  if (b.ndim < 1 || b.aval.shape[b.ndim - (vector ? 1 : 2)] !== m) {
    throw new ShapeError(
      `[${op}] the right-hand side does not match the matrix: got a ${luM.aval.str()} and b ${b.aval.str()}, ` +
        `expected b of shape [..., ${m}] or [..., ${m}, k].`,
    );
  }
  const bm = vector ? reshape(b, [...b.aval.shape, 1]) : b;
  const batch = batchShape(op, batchOf(luM, 2), batchOf(perm, 1), batchOf(bm, 2));
  const x = luSolveMatrix(toBatch(luM, batch, 2), toBatch(perm, batch, 1), toBatch(bm, batch, 2), trans);
  return vector ? reshape(x, x.aval.shape.slice(0, -1)) : x;
}

/**
 * JAX's `lu_pivots_to_permutation(pivots, m)`: the identity permutation with rows i and
 * pivots[i] swapped for i = 0, 1, ... in turn. Pivots out of range are clamped.
 */
export function pivotsToPermutation(pivots: NdArray, m: number): NdArray {
  const batch = batchOf(pivots, 1);
  const k = pivots.aval.shape[pivots.ndim - 1];
  const nd = pivots.ndim;
  const ar = broadcastTo(iota("int32", [m], 0), [...batch, m]);
  let perm = ar;
  for (let i = 0; i < Math.min(k, m); i++) {
    const j = sliceAxis(pivots, nd - 1, i, i + 1); // [..., 1]
    const pi = sliceAxis(perm, nd - 1, i, i + 1);
    const pj = takeAlongAxis(perm, j, nd - 1);
    const atJ = eq(ar, broadcastTo(j, [...batch, m]));
    const atI = eq(ar, broadcastTo(sliceAxis(ar, nd - 1, i, i + 1), [...batch, m]));
    perm = selectN(atI, [selectN(atJ, [perm, broadcastTo(pi, [...batch, m])]), broadcastTo(pj, [...batch, m])]);
  }
  return perm;
}

/** Sums over the last axis. */
export const sumLast = (x: NdArray): NdArray => reduceSum(x, [x.ndim - 1]);
