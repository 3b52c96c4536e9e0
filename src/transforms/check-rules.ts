/**
 * `config.update("checkCustomRules", true)`: the first time a custom rule runs
 * for an input signature, compare it with autodiff of the primal function (or
 * central finite differences where autodiff gives nothing finite), in random
 * directions, and raise an error naming the argument and the relative error.
 */
import { NdArray } from "../core/array.js";
import { config } from "../core/config.js";
import { isFloat } from "../core/dtypes.js";
import { CustomJvpError, CustomVjpError } from "../core/errors.js";
import { evalTrace, Tracer, withTrace, Zero, type MaybeZero } from "../core/trace.js";
import { fromValues } from "../primitives/as-array.js";
import type { FlatBwd, FlatFwd } from "./custom-vjp-call.js";
import type { FlatJvpRule } from "./custom-jvp-call.js";
import { jvpFlat } from "../interpreters/jvp.js";
import { vjpFlat } from "./grad.js";

const checked = new WeakMap<object, Set<string>>();
/** Marks the signature being checked as done; called only once the check has passed. */
let pending: () => void = () => {};

function firstTime(rule: object, primals: NdArray[]): boolean {
  if (primals.some((p) => p instanceof Tracer)) return false; // only concrete calls can be checked
  const key = primals.map((p) => p.aval.str()).join(",");
  let seen = checked.get(rule);
  if (!seen) checked.set(rule, (seen = new Set()));
  if (seen.has(key)) return false;
  pending = () => seen!.add(key);
  return true;
}

/** Deterministic directions: a fixed low-discrepancy sequence in (-1, 1). */
function direction(like: NdArray, salt: number): NdArray {
  const values = Array.from({ length: like.size }, (_, i) => Math.sin(12.9898 * (i + 1) + 78.233 * salt) * 0.9);
  return fromValues(values, like.shape, isFloat(like.dtype) ? like.dtype : "float32");
}

const toNumbers = (x: MaybeZero, like: NdArray): number[] =>
  x instanceof Zero ? new Array<number>(like.size).fill(0) : Array.from(x.dataSync() as ArrayLike<number>);

function relativeError(got: number[], want: number[]): number {
  let num = 0;
  let den = 0;
  got.forEach((g, i) => {
    num += (g - want[i]) ** 2;
    den += want[i] ** 2;
  });
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-12);
}

function tolerance(xs: NdArray[]): number {
  return xs.every((x) => x.dtype === "float64") ? 1e-6 : 2e-3;
}

/** Runs `fn` on the eval trace with rule checking off (no recursion into nested custom rules). */
function quietly<T>(fn: () => T): T {
  config.update("checkCustomRules", false);
  try {
    return withTrace(evalTrace, fn);
  } finally {
    config.update("checkCustomRules", true);
  }
}

/** Central differences of `fun` along `t`: (f(x + εt) - f(x - εt)) / 2ε, per output. */
function finiteDifferences(fun: (xs: NdArray[]) => NdArray[], primals: NdArray[], t: NdArray[]): number[][] {
  const eps = primals.every((p) => p.dtype === "float64") ? 1e-6 : 1e-3;
  const shift = (s: number) => primals.map((p, i) => (isFloat(p.dtype) ? p.add(t[i].mul(s)) : p));
  const plus = fun(shift(eps));
  const minus = fun(shift(-eps));
  return plus.map((o, i) => toNumbers(o, o).map((v, k) => (v - toNumbers(minus[i], minus[i])[k]) / (2 * eps)));
}

export function checkVjpRule(
  rule: object,
  name: string,
  fun: (xs: NdArray[]) => NdArray[],
  fwd: FlatFwd,
  bwd: FlatBwd,
  primals: NdArray[],
): void {
  if (!firstTime(rule, primals)) return;
  quietly(() => {
    const [outs, res] = fwd(primals);
    const cts = outs.map((o, i) => direction(o, i + 1));
    const ruleCts = bwd(res, cts);
    const [, pullback] = vjpFlat(fun, primals);
    const autoCts = pullback(cts);
    const tol = tolerance(primals);
    primals.forEach((p, i) => {
      if (!isFloat(p.dtype)) return;
      let want = toNumbers(autoCts[i], p);
      const got = toNumbers(ruleCts[i], p);
      if (!want.every(Number.isFinite) && got.every(Number.isFinite)) want = fdCotangent(fun, primals, cts, i);
      if (!want.every(Number.isFinite)) return; // no finite reference at this point: nothing to compare
      const err = relativeError(got, want);
      if (!(err <= tol)) {
        throw new CustomVjpError(
          `[checkCustomRules] the bwd rule of ${name} disagrees with differentiation of the primal function for argument leaf ${i}: ` +
            `got relative error ${err.toExponential(3)}, expected at most ${tol}. Check the bwd rule (and the residuals fwd saves), ` +
            `or turn the check off with config.update("checkCustomRules", false).`,
        );
      }
    });
  });
  pending();
}

/** Jᵀct for one input leaf by finite differences along each basis vector (small inputs only). */
function fdCotangent(fun: (xs: NdArray[]) => NdArray[], primals: NdArray[], cts: NdArray[], leaf: number): number[] {
  const p = primals[leaf];
  const out: number[] = [];
  for (let k = 0; k < p.size; k++) {
    const basis = primals.map((q, j) =>
      fromValues(
        Array.from({ length: q.size }, (_, m) => (j === leaf && m === k ? 1 : 0)),
        q.shape,
        isFloat(q.dtype) ? q.dtype : "float32",
      ),
    );
    const cols = finiteDifferences(fun, primals, basis);
    out.push(cols.reduce((s, col, i) => s + col.reduce((a, v, m) => a + v * toNumbers(cts[i], cts[i])[m], 0), 0));
  }
  return out;
}

export function checkJvpRule(
  rule: object,
  name: string,
  fun: (xs: NdArray[]) => NdArray[],
  flatRule: FlatJvpRule,
  primals: NdArray[],
): void {
  if (!firstTime(rule, primals)) return;
  quietly(() => {
    const ts = primals.map((p, i) => direction(p, i + 1));
    const [, ruleT] = flatRule(primals, ts);
    const [, autoT] = jvpFlat(
      fun,
      primals,
      ts.map((t, i) => (isFloat(primals[i].dtype) ? t : new Zero(primals[i].aval))),
      evalTrace,
    );
    const fd = finiteDifferences(fun, primals, ts);
    const tol = tolerance(primals);
    ruleT.forEach((t, i) => {
      const like = autoT[i] instanceof NdArray ? (autoT[i] as NdArray) : (t as NdArray);
      let want = toNumbers(autoT[i], like);
      if (!want.every(Number.isFinite)) want = fd[i];
      if (!want.every(Number.isFinite)) return; // no finite reference at this point: nothing to compare
      const err = relativeError(toNumbers(t, like), want);
      if (!(err <= tol)) {
        throw new CustomJvpError(
          `[checkCustomRules] the jvp rule of ${name} disagrees with differentiation of the primal function for output leaf ${i}: ` +
            `got relative error ${err.toExponential(3)}, expected at most ${tol}. Check the tangent the rule returns, ` +
            `or turn the check off with config.update("checkCustomRules", false).`,
        );
      }
    });
  });
  pending();
}
