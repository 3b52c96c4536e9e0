/** Reverse mode: vjp, grad and valueAndGrad (vjp = linearize + transpose). */
import { shapeStr } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import { isFloat } from "../core/dtypes.js";
import { DTypeError, ShapeError, TransformError } from "../core/errors.js";
import { Zero, type MaybeZero } from "../core/trace.js";
import { flatten, mismatch, unflatten, type TreeDef } from "../tree/tree.js";
import { fullAval } from "../lax/creation.js";
import { convert } from "../primitives/elementwise.js";
import { describe } from "../numpy/convert.js";
import { checkCallable, flattenArrays, leafToArray, normalizeArgnums, splitArgs, unflattenPerArg } from "./args.js";
import { linearizeFlat } from "./linearize.js";
import { backwardPass } from "./transpose.js";
import { zerosLikeAval } from "./zeros.js";
import type { Args, AuxOf, Fn, Tangent, Tangents } from "./types.js";

/** Reverse-mode core on flat values: the outputs, and a map from output cotangents to input cotangents. */
export function vjpFlat(
  f: (args: NdArray[]) => NdArray[],
  primals: NdArray[],
): [NdArray[], (cts: MaybeZero[]) => MaybeZero[]] {
  const [outs, lin] = linearizeFlat(f, primals);
  const backward = (cts: MaybeZero[]): MaybeZero[] => {
    const linearCts = cts.filter((_, i) => !lin.outZero[i]);
    const res = backwardPass(lin.jaxpr.jaxpr, lin.jaxpr.consts, linearCts);
    let k = 0;
    return lin.inAvals.map((a, i) => (lin.inZero[i] ? new Zero(a) : (res[k++] as MaybeZero)));
  };
  return [outs, backward];
}

/** A cotangent given by the user, checked against the output it belongs to. */
function checkCotangent(op: string, ct: NdArray, out: NdArray, i: number): NdArray {
  if (ct.ndim !== out.ndim || ct.aval.shape.some((n, k) => n !== out.aval.shape[k])) {
    throw new ShapeError(
      `[${op}] cotangent shape mismatch for output ${i}: got ${ct.aval.str()}, expected ${out.aval.str()}. ` +
        `The cotangent must have the shape of the primal output.`,
    );
  }
  return ct.dtype === out.dtype ? ct : convert(ct, out.dtype, out.weakType);
}

/** Cotangents for the user: symbolic zeros become zeros (of the input's own dtype for ints). */
function materialize(cts: MaybeZero[]): NdArray[] {
  return cts.map((c) => (c instanceof Zero ? zerosLikeAval(c.aval.withWeak(false)) : c));
}

/**
 * `jax.vjp(f, *primals)`: `[out, vjpFn]`, where `vjpFn(ct)` returns one
 * cotangent per primal (same pytree structure as each primal).
 * @example
 * const [y, pullback] = vjp((x) => np.sin(x), 1.0);
 * const [dx] = pullback(1.0); // cos(1)
 */
export function vjp<A extends unknown[], R>(
  f: (...args: A) => R,
  ...primals: Args<A>
): [Tangent<R>, (ct: unknown) => Tangents<A>];
export function vjp(f: Fn, ...primals: unknown[]): [unknown, (ct: unknown) => unknown[]] {
  checkCallable("vjp", f);
  const { leaves, rebuild, trees, counts } = splitArgs(
    "vjp",
    primals,
    primals.map((_, i) => i),
  );
  let outTree: TreeDef | null = null;
  const flat = (xs: NdArray[]): NdArray[] => {
    const out = (f as (...a: unknown[]) => unknown)(...rebuild(xs));
    const [ls, def] = flattenArrays(out, "vjp", "the function's output");
    outTree = def;
    return ls;
  };
  const [outs, backward] = vjpFlat(flat, leaves);
  const vjpFn = (ct: unknown): unknown[] => {
    const [cts, def] = flatten(ct);
    if (!def.equals(outTree!)) throw mismatch("vjp", outTree!, def, "cotangent");
    const checked = cts.map((c, i) => checkCotangent("vjp", leafToArray(c, "vjp", `cotangent leaf ${i}`), outs[i], i));
    return unflattenPerArg(materialize(backward(checked)), trees, counts);
  };
  return [unflatten(outTree!, outs), vjpFn];
}

export interface GradOptions {
  /** Which positional arguments to differentiate (default 0); an array gives an array of gradients. */
  argnums?: number | readonly number[];
  /** `f` returns `[value, aux]`; aux is passed through undifferentiated. */
  hasAux?: boolean;
  /** Accept integer and bool inputs (their gradient is zero). */
  allowInt?: boolean;
}

function checkInputDtypes(op: string, leaves: NdArray[], allowInt: boolean): void {
  if (allowInt) return;
  for (const l of leaves) {
    if (!isFloat(l.dtype)) {
      throw new DTypeError(
        `[${op}] ${op} requires real-valued inputs (a floating-point dtype), but got ${l.dtype}. ` +
          `If you want to use Boolean- or integer-valued inputs, use vjp or set allowInt to true.`,
      );
    }
  }
}

function checkScalarOutput(op: string, value: NdArray): void {
  if (value.ndim !== 0) {
    throw new ShapeError(
      `[${op}] gradient only defined for scalar-output functions: got output shape ${shapeStr(value.aval.shape)}, expected (). ` +
        `Reduce it first (np.sum, np.mean), or use jacrev / vjp for non-scalar outputs.`,
    );
  }
  if (!isFloat(value.dtype)) {
    throw new DTypeError(
      `[${op}] ${op} requires real-valued outputs (a floating-point dtype), but got ${value.dtype}.`,
    );
  }
}

/**
 * `jax.value_and_grad`: `[value, grad]`; with hasAux `[[value, aux], grad]`.
 * @example
 * const [v, g] = valueAndGrad((x) => np.sum(np.square(x)))(np.array([1, 2])); // 5, [2, 4]
 */
export function valueAndGrad<A extends unknown[], R>(
  f: (...args: A) => R,
  options?: GradOptions & { argnums?: 0; hasAux?: false },
): (...args: Args<A>) => [NdArray, Tangent<A[0]>];
export function valueAndGrad<A extends unknown[], R, N extends number>(
  f: (...args: A) => R,
  options: GradOptions & { argnums: N; hasAux?: false },
): (...args: Args<A>) => [NdArray, Tangent<A[N]>];
export function valueAndGrad<A extends unknown[], R>(
  f: (...args: A) => R,
  options: GradOptions & { argnums: readonly number[]; hasAux?: false },
): (...args: Args<A>) => [NdArray, Tangent<A[number]>[]];
export function valueAndGrad<A extends unknown[], R>(
  f: (...args: A) => R,
  options: GradOptions & { hasAux: true },
): (...args: Args<A>) => [[NdArray, Tangent<AuxOf<R>>], unknown];
export function valueAndGrad<A extends unknown[], R>(
  f: (...args: A) => R,
  options?: GradOptions,
): (...args: Args<A>) => [unknown, unknown];
export function valueAndGrad(f: Fn, options: GradOptions = {}): (...args: unknown[]) => [unknown, unknown] {
  checkCallable("valueAndGrad", f);
  const op = "grad";
  const argnumsOpt = options.argnums ?? 0;
  return (...args: unknown[]): [unknown, unknown] => {
    const argnums = normalizeArgnums(op, argnumsOpt, args.length);
    const { leaves, rebuild, trees, counts } = splitArgs(op, args, argnums);
    checkInputDtypes(op, leaves, options.allowInt ?? false);
    let auxTree: TreeDef | null = null;
    const flat = (xs: NdArray[]): NdArray[] => {
      let out = (f as (...a: unknown[]) => unknown)(...rebuild(xs));
      let auxLeaves: NdArray[] = [];
      if (options.hasAux) {
        if (!Array.isArray(out) || out.length !== 2) {
          const got = Array.isArray(out)
            ? `an array of length ${out.length}`
            : out instanceof NdArray
              ? `an Array ${out.aval.str()}`
              : describe(out);
          throw new TransformError(
            `[${op}] expected a function with aux output to return a two-element array [value, aux]: got ${got}. ` +
              `Return [value, aux], or drop hasAux.`,
          );
        }
        const [ls, def] = flattenArrays(out[1], op, "the auxiliary output");
        auxTree = def;
        auxLeaves = ls;
        out = out[0];
      }
      const value = leafToArray(out, op, "the function's output");
      checkScalarOutput(op, value);
      return [value, ...auxLeaves];
    };
    const [outs, backward] = vjpFlat(flat, leaves);
    const value = outs[0];
    const cts: MaybeZero[] = [fullAval(value.aval, 1), ...outs.slice(1).map((o) => new Zero(o.aval))];
    const grads = unflattenPerArg(materialize(backward(cts)), trees, counts);
    const g = typeof argnumsOpt === "number" ? grads[0] : grads;
    const v = options.hasAux ? [value, unflatten(auxTree!, outs.slice(1))] : value;
    return [v, g];
  };
}

/**
 * `jax.grad(f, argnums, has_aux)`.
 * @example
 * grad((x) => np.multiply(x, np.sin(x)))(1.0); // sin(1) + cos(1)
 */
export function grad<A extends unknown[], R>(
  f: (...args: A) => R,
  options?: GradOptions & { argnums?: 0; hasAux?: false },
): (...args: Args<A>) => Tangent<A[0]>;
export function grad<A extends unknown[], R, N extends number>(
  f: (...args: A) => R,
  options: GradOptions & { argnums: N; hasAux?: false },
): (...args: Args<A>) => Tangent<A[N]>;
export function grad<A extends unknown[], R>(
  f: (...args: A) => R,
  options: GradOptions & { argnums: readonly number[]; hasAux?: false },
): (...args: Args<A>) => Tangent<A[number]>[];
export function grad<A extends unknown[], R>(
  f: (...args: A) => R,
  options: GradOptions & { hasAux: true },
): (...args: Args<A>) => [unknown, Tangent<AuxOf<R>>];
export function grad<A extends unknown[], R>(
  f: (...args: A) => R,
  options?: GradOptions,
): (...args: Args<A>) => unknown;
export function grad(f: Fn, options: GradOptions = {}): (...args: unknown[]) => unknown {
  checkCallable("grad", f);
  const vg = valueAndGrad(f as (...a: unknown[]) => unknown, options) as (...args: unknown[]) => [unknown, unknown];
  return (...args: unknown[]): unknown => {
    const [v, g] = vg(...args);
    return options.hasAux ? [g, (v as unknown[])[1]] : g;
  };
}
