/**
 * The spectral factorizations, as JAX's `lax.linalg`: qr (Householder), eigh
 * (symmetric eigendecomposition, eigenvalues ascending) and svd (singular values
 * descending). Each is batched over leading axes; the jvp rules are JAX's
 * `qr_jvp_rule`, `_eigh_jvp_rule` and `_svd_jvp_rule`, with their conventions for
 * repeated eigenvalues and singular values (the reciprocal-difference matrices
 * are finite only on their diagonals: a repeated value gives non-finite tangents
 * for the vectors, as in JAX).
 */
import { ShapedArray } from "../core/aval.js";
import type { NdArray } from "../core/array.js";
import { TransformError } from "../core/errors.js";
import { defineMultiPrimitive, type Primitive } from "../core/primitive.js";
import { lowerEigh, lowerQr, lowerSvd } from "../ir/stablehlo-linalg.js";
import { bind } from "../core/trace.js";
import { moveAxis } from "./batching.js";
import { add, div, mul, scalarLike, sub } from "./elementwise.js";
import { band, bmm, eyeLike, mT, triangularSolve, checkMatrix } from "./linalg-solve.js";
import { reduceSum } from "./reduce.js";
import { reshape } from "./structural.js";

/** The batch shape and the last two axes. */
function split(x: ShapedArray): [number[], number, number] {
  const s = x.shape;
  return [s.slice(0, -2), s[s.length - 2], s[s.length - 1]];
}

/** x[..., None, :] and x[..., :, None] of a stack of vectors. */
const asRow = (x: NdArray) => reshape(x, [...x.aval.shape.slice(0, -1), 1, x.aval.shape[x.ndim - 1]]);
const asCol = (x: NdArray) => reshape(x, [...x.aval.shape, 1]);

/** The diagonal of a stack of square matrices, as a stack of vectors. */
function diag(x: NdArray, eye: NdArray): NdArray {
  return reduceSum(mul(x, eye), [x.ndim - 1]);
}

/** The batching rule shared by the three: the batch axis first, the same parameters, every output batched at 0. */
function vmapFirst(prim: () => Primitive) {
  return (args: NdArray[], dims: (number | null)[], params: Record<string, unknown>): [NdArray[], number[]] => {
    const outs = bind(prim(), [moveAxis(args[0], dims[0]!, 0)], params as never);
    return [outs, outs.map(() => 0)];
  };
}

// --- qr -----------------------------------------------------------------------------------

/** The static parameters of qr. */
export interface QrParams {
  /** Q is m×m and R m×n (true), or Q m×k and R k×n with k = min(m, n). */
  fullMatrices: boolean;
}

/** qr_p: Householder QR, [q, r] with x = q·r, q orthonormal columns, r upper triangular. */
export const qrP: Primitive = defineMultiPrimitive<QrParams & Record<string, unknown>>({
  name: "qr",
  abstractEval([x], { fullMatrices }) {
    checkMatrix("qr", x, false);
    const [batch, m, n] = split(x);
    const k = fullMatrices ? m : Math.min(m, n);
    return [new ShapedArray([...batch, m, k], x.dtype, false), new ShapedArray([...batch, k, n], x.dtype, false)];
  },
  lower: (_avals, { fullMatrices }) => ({ name: "qr", fullMatrices }),
  /**
   * JAX's qr_jvp_rule (j-towns.github.io/papers/qr-derivative.pdf): with X = dx·r⁻¹ and
   * C = qᵀX, dΩ = tril(C, −1) − tril(C, −1)ᵀ; dq = q(dΩ − C) + X, dr = (C − dΩ)·r.
   */
  jvp([x], [dx], p) {
    const [, m, n] = split(x.aval);
    if (m < n || (p.fullMatrices && m !== n)) {
      throw new TransformError(
        `[qr] unimplemented case of QR decomposition derivative: got ${x.aval.str()} with fullMatrices=${p.fullMatrices}, ` +
          `expected m >= n, and a square matrix for fullMatrices (mode "complete"). Use mode "reduced" for tall matrices.`,
      );
    }
    const [q, r] = qr(x, false);
    const dxRinv = triangularSolve(r, dx as NdArray, {
      leftSide: false,
      lower: false,
      transposeA: false,
      unitDiagonal: false,
    });
    const c = bmm(mT(q), dxRinv);
    const low = band(c, -1, true);
    const dOmega = sub(low, mT(low));
    const dq = add(bmm(q, sub(dOmega, c)), dxRinv);
    const dr = bmm(sub(c, dOmega), r);
    return [
      [q, r],
      [dq, dr],
    ];
  },
  vmap: vmapFirst(() => qrP),
  printParams: ({ fullMatrices }) => ({ pivoting: false, full_matrices: fullMatrices, use_magma: false }),
  stablehlo: (c, [x]) => lowerQr(c, x),
});

/** `lax.linalg.qr(x, full_matrices=...)`: [q, r]. */
export function qr(x: NdArray, fullMatrices: boolean): [NdArray, NdArray] {
  const [q, r] = bind(qrP, [x], { fullMatrices } as never);
  return [q, r];
}

// --- eigh ---------------------------------------------------------------------------------

/** The static parameters of eigh. */
export interface EighParams {
  /** Read the lower triangle (true) or the upper one. */
  lower: boolean;
  /** Sort the eigenvalues ascending (and the eigenvectors with them). */
  sortEigenvalues: boolean;
}

/** (x + xᵀ) / 2 */
function symmetrize(x: NdArray): NdArray {
  return div(add(x, mT(x)), scalarLike(2, x));
}

/** eigh_p: [v, w] with x·v = v·diag(w) for the symmetric matrix read from one triangle of x. */
export const eighP: Primitive = defineMultiPrimitive<EighParams & Record<string, unknown>>({
  name: "eigh",
  abstractEval([x]) {
    checkMatrix("eigh", x, true);
    const [batch, , n] = split(x);
    return [new ShapedArray(x.shape, x.dtype, false), new ShapedArray([...batch, n], x.dtype, false)];
  },
  lower: (_avals, { lower, sortEigenvalues }) => ({ name: "eigh", lower, sortEigenvalues }),
  /**
   * JAX's _eigh_jvp_rule, on the symmetrized operand: with F_ij = 1/(w_j − w_i) off the
   * diagonal and 0 on it, and M = vᵀ·ȧ·v: dv = v·(F ∘ M), dw = diag(M).
   */
  jvp([a], [da], p) {
    const [v, w] = eigh(symmetrize(a), p.lower, p.sortEigenvalues);
    const [batch, , n] = split(a.aval);
    const eye = eyeLike(batch, n, a.dtype);
    const one = scalarLike(1, a);
    const f = sub(div(one, add(eye, sub(asRow(w), asCol(w)))), eye);
    const vtAv = bmm(bmm(mT(v), da as NdArray), v);
    const dv = bmm(v, mul(f, vtAv));
    return [
      [v, w],
      [dv, diag(vtAv, eye)],
    ];
  },
  vmap: vmapFirst(() => eighP),
  printParams: ({ lower, sortEigenvalues }) => ({ lower, sort_eigenvalues: sortEigenvalues, subset_by_index: null }),
  stablehlo: (c, [x], { lower }) => lowerEigh(c, x, lower),
});

/** `lax.linalg.eigh(x, lower, symmetrize_input=False, sort_eigenvalues)`: [v, w]. */
export function eigh(x: NdArray, lower = true, sortEigenvalues = true): [NdArray, NdArray] {
  const [v, w] = bind(eighP, [x], { lower, sortEigenvalues } as never);
  return [v, w];
}

// --- svd ----------------------------------------------------------------------------------

/** The static parameters of svd. */
export interface SvdParams {
  /** U is m×m and Vᵀ n×n (true), or m×k and k×n. */
  fullMatrices: boolean;
  /** Return [s, u, vt] (true) or [s]. */
  computeUv: boolean;
}

/** svd_p: [s, u, vt] (or [s]) with x = u·diag(s)·vt, s descending. */
export const svdP: Primitive = defineMultiPrimitive<SvdParams & Record<string, unknown>>({
  name: "svd",
  abstractEval([x], { fullMatrices, computeUv }) {
    checkMatrix("svd", x, false);
    const [batch, m, n] = split(x);
    const k = Math.min(m, n);
    const s = new ShapedArray([...batch, k], x.dtype, false);
    if (!computeUv) return [s];
    return [
      s,
      new ShapedArray([...batch, m, fullMatrices ? m : k], x.dtype, false),
      new ShapedArray([...batch, fullMatrices ? n : k, n], x.dtype, false),
    ];
  },
  lower: (_avals, { fullMatrices, computeUv }) => ({ name: "svd", fullMatrices, computeUv }),
  /**
   * JAX's _svd_jvp_rule: dS = Uᵀ·dA·V, ds = diag(dS); with F_ij = 1/(s_j² − s_i²) off the
   * diagonal (0 on it), dU = U(F ∘ (dS·S + S·dSᵀ)), dV = V(F ∘ (S·dS + dSᵀ·S)), plus the
   * parts outside the span of U (m > n) or V (n > m). The skew term ½(dS − dSᵀ)∘S⁻¹ on the
   * diagonal is zero for real matrices.
   */
  jvp([a], [daT], p) {
    if (p.computeUv && p.fullMatrices) {
      throw new TransformError(
        `[svd] singular value decomposition JVP not implemented for full matrices: got ${a.aval.str()} with fullMatrices=true, ` +
          `expected fullMatrices=false (or computeUv=false) to differentiate it.`,
      );
    }
    const da = daT as NdArray;
    const [s, u, vt] = svd(a, false, true);
    const [batch, m, n] = split(a.aval);
    const k = Math.min(m, n);
    const v = mT(vt);
    const eye = eyeLike(batch, k, a.dtype);
    const dS = bmm(bmm(mT(u), da), v);
    const ds = diag(dS, eye);
    if (!p.computeUv) return [[s], [ds]];
    const sRow = asRow(s);
    const sCol = asCol(s);
    const sDiffs = mul(add(sRow, sCol), sub(sRow, sCol));
    const f = sub(div(scalarLike(1, a), add(sDiffs, eye)), eye);
    const dSS = mul(sRow, dS);
    const sdS = mul(sCol, dS);
    let dU = bmm(u, mul(f, add(dSS, mT(dSS))));
    let dV = bmm(v, mul(f, add(sdS, mT(sdS))));
    if (m > n) {
      const dAV = bmm(da, v);
      dU = add(dU, div(sub(dAV, bmm(u, bmm(mT(u), dAV))), sRow));
    }
    if (n > m) {
      const dAHU = bmm(mT(da), u);
      dV = add(dV, div(sub(dAHU, bmm(v, bmm(vt, dAHU))), sRow));
    }
    return [
      [s, u, vt],
      [ds, dU, mT(dV)],
    ];
  },
  vmap: vmapFirst(() => svdP),
  printParams: ({ fullMatrices, computeUv }) => ({
    full_matrices: fullMatrices,
    compute_uv: computeUv,
    subset_by_index: null,
    algorithm: null,
  }),
  stablehlo: (c, [x], { fullMatrices, computeUv }) => lowerSvd(c, x, fullMatrices, computeUv),
});

/** `lax.linalg.svd(x, full_matrices, compute_uv)`: [s, u, vt], or [s] without computeUv. */
export function svd(x: NdArray, fullMatrices: boolean, computeUv: boolean): NdArray[] {
  return bind(svdP, [x], { fullMatrices, computeUv } as never);
}
