/**
 * Linear algebra as JAX lowers it on CPU: `stablehlo.cholesky`, and the LAPACK FFI custom calls
 * (`lapack_{s,d}{potrf,getrf,geqrf,orgqr,syevd,gesdd}_ffi`) run as cotangent's linalg primitives,
 * so gradients follow those primitives' rules. Only what JAX reads of each call is reproduced:
 * geqrf's packed result holds R in its upper triangle (JAX keeps just that triangle) and orgqr
 * computes Q from the matrix geqrf factored (found through geqrf's tau, its second result);
 * every `info` is 0 except potrf's (nonzero where the matrix is not positive definite).
 */
import type { NdArray } from "../core/array.js";
import { bind1, type Params } from "../core/trace.js";
import * as ew from "../primitives/elementwise.js";
import * as un from "../primitives/unary.js";
import { broadcastInDim, transpose } from "../primitives/structural.js";
import { pad } from "../primitives/slicing.js";
import { reduceAndP } from "../primitives/reduce.js";
import { cholesky, lu } from "../primitives/linalg-solve.js";
import { eigh, qr, svd } from "../primitives/linalg-spectral.js";
import { attr, dtypeOf, opError, outType } from "./interpret-util.js";
import type { Op } from "./parse-ops.js";

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** x with its last two axes swapped. */
const mT = (x: NdArray): NdArray => transpose(x, [...range(x.ndim - 2), x.ndim - 1, x.ndim - 2]);

/** A `mhlo.backend_config` entry (`uplo = 76 : ui8`, `mode = 65 : ui8`) as its character. */
function config(op: Op, key: string, fallback: string): string {
  const cfg = attr(op, "mhlo.backend_config", "backend_config");
  const v = cfg?.kind === "dict" ? cfg.entries.get(key) : undefined;
  return v?.kind === "int" ? String.fromCharCode(v.value) : fallback;
}

/** Zeros of the op's k-th result type (an `info` that reports success, an output not asked for). */
function zerosOf(op: Op, k: number, like: NdArray): NdArray {
  const t = outType(op, k);
  const z = ew.convert(ew.scalarLike(0, like), dtypeOf(t));
  return broadcastInDim(z, t.shape, []);
}

/** potrf: the Cholesky factor in the triangle uplo names; info nonzero where it failed. */
function potrf(op: Op, [a]: NdArray[]): NdArray[] {
  const l = cholesky(a);
  const n = a.ndim;
  const ok = bind1(reduceAndP, [un.isFinite(l)], { axes: [n - 2, n - 1] } as Params);
  return [config(op, "uplo", "L") === "U" ? mT(l) : l, ew.convert(un.not(ok), "int32")];
}

/** getrf: the packed LU, LAPACK's 1-based pivots, info. */
function getrf(op: Op, [a]: NdArray[]): NdArray[] {
  const [packed, pivots] = lu(a);
  return [packed, ew.add(pivots, ew.scalarLike(1, pivots)), zerosOf(op, 2, pivots)];
}

/** The matrices geqrf factored, by the tau it returned (orgqr receives that tau). */
type QrMemo = WeakMap<NdArray, NdArray>;

/** geqrf: R (k×n, padded with zero rows to m×n) where LAPACK packs it, and a tau that remembers a. */
function geqrf(op: Op, [a]: NdArray[], memo: QrMemo): NdArray[] {
  const [m, n] = a.shape.slice(-2);
  const k = Math.min(m, n);
  const [, r] = qr(a, false);
  const packed =
    m > k
      ? pad(
          r,
          ew.scalarLike(0, r),
          a.shape.map((_, i) => [0, i === a.ndim - 2 ? m - k : 0, 0]),
        )
      : r;
  const tau = zerosOf(op, 1, a);
  memo.set(tau, a);
  return [packed, tau];
}

/** orgqr: Q of the matrix whose geqrf gave this tau, with as many columns as the result type has. */
function orgqr(op: Op, [, tau]: NdArray[], memo: QrMemo): NdArray[] {
  const a = memo.get(tau);
  if (a === undefined) {
    throw opError(
      op,
      "orgqr without its geqrf",
      ": expected the tau that lapack_*geqrf_ffi returned as its second operand.",
    );
  }
  const t = outType(op);
  const [m, n] = a.shape.slice(-2);
  const cols = t.shape[t.shape.length - 1];
  const full = cols === m && m > n;
  return [qr(a, full)[0]];
}

/** syevd: eigenvectors (as columns) and ascending eigenvalues, from the triangle uplo names. */
function syevd(op: Op, [a]: NdArray[]): NdArray[] {
  const [v, w] = eigh(a, config(op, "uplo", "L") === "L", true);
  return [config(op, "mode", "V") === "N" ? zerosOf(op, 0, a) : v, w, zerosOf(op, 2, w)];
}

/** gesdd: [a (overwritten), s, u, vt, info]; mode 'A' full U and Vᵀ, 'S' reduced, 'N' none. */
function gesdd(op: Op, [a]: NdArray[]): NdArray[] {
  const mode = config(op, "mode", "A");
  if (mode === "N") return [a, svd(a, false, false)[0], zerosOf(op, 2, a), zerosOf(op, 3, a), zerosOf(op, 4, a)];
  // For a square matrix full and reduced factors coincide; the reduced ones are differentiable.
  const [m, n] = a.shape.slice(-2);
  const [s, u, vt] = svd(a, mode === "A" && m !== n, true);
  return [a, s, u, vt, zerosOf(op, 4, s)];
}

/** The LAPACK targets JAX calls on CPU, by their name without the s/d prefix; a fresh QR memo per run. */
export function lapackTargets(): Record<string, (op: Op, args: NdArray[]) => NdArray[]> {
  const memo: QrMemo = new WeakMap();
  const table: Record<string, (op: Op, args: NdArray[]) => NdArray[]> = {
    potrf,
    getrf,
    geqrf: (op, args) => geqrf(op, args, memo),
    orgqr: (op, args) => orgqr(op, args, memo),
    syevd,
    gesdd,
  };
  return Object.fromEntries(
    Object.entries(table).flatMap(([k, f]) => [
      [`lapack_s${k}_ffi`, f],
      [`lapack_d${k}_ffi`, f],
    ]),
  );
}

/** `stablehlo.cholesky %x, lower = true`: the factor in the triangle `lower` names (the other is zero). */
export function choleskyOp(op: Op, [a]: NdArray[]): NdArray[] {
  const lower = attr(op, "lower");
  const l = cholesky(a);
  return [lower?.kind === "bool" && !lower.value ? mT(l) : l];
}
