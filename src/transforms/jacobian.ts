/** jacfwd, jacrev and hessian, built from vmap over jvp / vjp with basis vectors. */
import { NdArray } from "../core/array.js";
import { isFloat } from "../core/dtypes.js";
import { DTypeError } from "../core/errors.js";
import { defineOptions, is, type OptArgs } from "../core/options.js";
import { unflatten, type TreeDef } from "../tree/tree.js";
import { iota } from "../primitives/iota.js";
import { reshape } from "../primitives/structural.js";
import { convert, eq } from "../primitives/elementwise.js";
import { moveAxis } from "../primitives/batching.js";
import { sliceAxis } from "../primitives/slicing.js";
import { currentTrace, Zero } from "../core/trace.js";
import {
  argnumsCheck,
  callUser,
  checkCallable,
  flattenArrays,
  normalizeArgnums,
  refuseHolomorphic,
  splitArgs,
} from "./args.js";
import { checkInputDtypes, splitAux, vjpFlat } from "./grad.js";
import { jvpFlat } from "../interpreters/jvp.js";
import { vmapFlat } from "../interpreters/batch.js";
import { zerosLikeAval } from "../interpreters/zeros.js";
import type { Args, AuxOf, Fn, IfAux, Jacobian, MainOf, OptionOf, Tangent, WrtArgs } from "./types.js";

/** The options of jacfwd, jacrev and hessian (JAX's names, camelCased). */
export interface JacobianOptions {
  /** Which positional arguments to differentiate (default 0); an array gives one block per argument. */
  argnums?: number | readonly number[];
  /** `f` returns `[out, aux]`: the result is `[jacobian, aux]`. */
  hasAux?: boolean;
  /** JAX's complex differentiation: cotangent has no complex dtypes, so only false is accepted. */
  holomorphic?: boolean;
  /** jacrev only: accept integer and bool inputs (their Jacobian blocks are zero). */
  allowInt?: boolean;
}

const jacChecks = { argnums: argnumsCheck, hasAux: is.bool, holomorphic: is.bool };
const jacfwdOptions = defineOptions("jacfwd", jacChecks, ["argnums", "hasAux", "holomorphic"]);
const jacrevOptions = defineOptions("jacrev", { ...jacChecks, allowInt: is.bool }, [
  "argnums",
  "hasAux",
  "holomorphic",
  "allowInt",
]);
const hessianOptions = defineOptions("hessian", jacChecks, ["argnums", "hasAux", "holomorphic"]);

/** The optional arguments of jacfwd and hessian: `(argnums, hasAux, holomorphic)` or an options object. */
export type JacfwdArgs = OptArgs<
  [argnums?: number | readonly number[], hasAux?: boolean, holomorphic?: boolean],
  Omit<JacobianOptions, "allowInt">
>;
/** The optional arguments of jacrev: `(argnums, hasAux, holomorphic, allowInt)` or an options object. */
export type JacrevArgs = OptArgs<
  [argnums?: number | readonly number[], hasAux?: boolean, holomorphic?: boolean, allowInt?: boolean],
  JacobianOptions
>;

type Wrt<A extends readonly unknown[], O extends readonly unknown[]> = WrtArgs<A, OptionOf<O, 0, "argnums", 0>>;

/** What a Jacobian function returns: the Jacobian (output structure over input structure), or `[jacobian, aux]`. */
export type JacobianResult<A extends readonly unknown[], R, O extends readonly unknown[]> = IfAux<
  OptionOf<O, 1, "hasAux", false>,
  [Jacobian<MainOf<R>, Wrt<A, O>>, Tangent<AuxOf<R>>],
  Jacobian<R, Wrt<A, O>>
>;

/** What a Hessian function returns: the Jacobian of the Jacobian, or `[hessian, aux]`. */
export type HessianResult<A extends readonly unknown[], R, O extends readonly unknown[]> = IfAux<
  OptionOf<O, 1, "hasAux", false>,
  [Jacobian<Jacobian<MainOf<R>, Wrt<A, O>>, Wrt<A, O>>, Tangent<AuxOf<R>>],
  Jacobian<Jacobian<R, Wrt<A, O>>, Wrt<A, O>>
>;

interface ParsedJac {
  argnums: number | readonly number[];
  hasAux: boolean;
  allowInt: boolean;
}

/** Rows of the identity, shaped [n, ...shape], in x's dtype. */
function basis(x: NdArray): NdArray {
  const n = x.size;
  // The identity: 1 where the row index equals the column index.
  const identity = eq(iota("int32", [n, n], 0), iota("int32", [n, n], 1));
  return reshape(convert(identity, x.dtype), [n, ...x.aval.shape]);
}

/** Assembles jac[out][in] (out leaf × in leaf blocks) into the output-of-inputs pytree. */
function assemble(
  blocks: NdArray[][],
  outTree: TreeDef,
  inTrees: TreeDef[],
  counts: number[],
  single: boolean,
): unknown {
  const perOut = blocks.map((row) => {
    let k = 0;
    const perArg = inTrees.map((t, j) => {
      const part = row.slice(k, k + counts[j]);
      k += counts[j];
      return unflatten(t, part);
    });
    return single ? perArg[0] : perArg;
  });
  return unflatten(outTree, perOut);
}

/**
 * The flat problem: the selected arguments' leaves, and `f` on them returning
 * its output leaves followed by its aux leaves (`box` records both structures).
 */
function flatProblem(f: Fn, args: unknown[], argnums: number[], op: string, hasAux: boolean) {
  const { leaves, rebuild, trees, counts } = splitArgs(op, args, argnums);
  const box: { outTree: TreeDef | null; auxTree: TreeDef | null; numOut: number } = {
    outTree: null,
    auxTree: null,
    numOut: 0,
  };
  const flat = (xs: NdArray[]): NdArray[] => {
    let out = callUser(op, f, rebuild(xs));
    let auxLeaves: NdArray[] = [];
    if (hasAux) {
      const [value, aux] = splitAux(op, out);
      [auxLeaves, box.auxTree] = flattenArrays(aux, op, "the auxiliary output");
      out = value;
    }
    const [ls, def] = flattenArrays(out, op, "the function's output");
    box.outTree = def;
    box.numOut = ls.length;
    return [...ls, ...auxLeaves];
  };
  return { leaves, trees, counts, flat, box };
}

function withAux(jac: unknown, hasAux: boolean, auxTree: TreeDef | null, aux: NdArray[]): unknown {
  return hasAux ? [jac, unflatten(auxTree!, aux)] : jac;
}

function jacfwdImpl(op: string, f: Fn, o: ParsedJac): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => {
    const argnums = normalizeArgnums(op, o.argnums, args.length);
    const { leaves, trees, counts, flat, box } = flatProblem(f, args, argnums, op, o.hasAux);
    checkInputDtypes(op, leaves, false);
    const single = typeof o.argnums === "number";
    if (leaves.length === 0) {
      // Nothing to differentiate: f once, and an empty block per output.
      const outs = flat([]);
      const blocks = outs.slice(0, box.numOut).map(() => []);
      return withAux(
        assemble(blocks, box.outTree!, trees, counts, single),
        o.hasAux,
        box.auxTree,
        outs.slice(box.numOut),
      );
    }
    let aux: NdArray[] = [];
    // For each input leaf j: push its basis through jvp, batched over basis rows.
    const columns = leaves.map((x, j) => {
      const push = ([t]: NdArray[]): NdArray[] => {
        const tangents = leaves.map((l, k) => (k === j ? t : new Zero(l.aval)));
        const [outs, tOut] = jvpFlat(flat, leaves, tangents, currentTrace());
        const tangentsOut = tOut.slice(0, box.numOut).map((v) => (v instanceof Zero ? zerosLikeAval(v.aval) : v));
        // The aux outputs ride along (they do not depend on the basis row).
        return [...tangentsOut, ...outs.slice(box.numOut)];
      };
      const [outs] = vmapFlat(push, [basis(x)], [0], x.size, 0);
      if (j === 0) aux = outs.slice(box.numOut).map((a) => reshape(sliceAxis(a, 0, 0, 1), a.aval.shape.slice(1)));
      // [n_in, ...outShape] → [...outShape, ...inShape]
      return outs.slice(0, box.numOut).map((v) => {
        const moved = moveAxis(v, 0, v.ndim - 1);
        return reshape(moved, [...v.aval.shape.slice(1), ...x.aval.shape]);
      });
    });
    const blocks = columns[0].map((_, i) => columns.map((col) => col[i]));
    return withAux(assemble(blocks, box.outTree!, trees, counts, single), o.hasAux, box.auxTree, aux);
  };
}

function jacrevImpl(op: string, f: Fn, o: ParsedJac): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => {
    const argnums = normalizeArgnums(op, o.argnums, args.length);
    const { leaves, trees, counts, flat, box } = flatProblem(f, args, argnums, op, o.hasAux);
    checkInputDtypes(op, leaves, o.allowInt);
    const [all, backward] = vjpFlat(flat, leaves);
    const outs = all.slice(0, box.numOut);
    for (const y of outs) {
      if (!isFloat(y.dtype)) {
        throw new DTypeError(
          `[${op}] ${op} requires real-valued outputs (output dtype that is a floating-point dtype), but got ${y.dtype}. ` +
            `For differentiation of functions with integer outputs, use vjp directly.`,
        );
      }
    }
    const blocks = outs.map((y, i) => {
      const pull = ([ct]: NdArray[]): NdArray[] => {
        const cts = all.map((v, k) => (k === i ? ct : new Zero(v.aval)));
        return backward(cts).map((c) => (c instanceof Zero ? zerosLikeAval(c.aval) : c));
      };
      if (leaves.length === 0) return [];
      const [rows] = vmapFlat(pull, [basis(y)], [0], y.size, 0);
      // [n_out, ...inShape] → [...outShape, ...inShape]
      return rows.map((r, j) => reshape(r, [...y.aval.shape, ...leaves[j].aval.shape]));
    });
    const jac = assemble(blocks, box.outTree!, trees, counts, typeof o.argnums === "number");
    return withAux(jac, o.hasAux, box.auxTree, all.slice(box.numOut));
  };
}

function parseJac(
  op: string,
  parser: { parse(a: readonly unknown[]): JacobianOptions },
  f: unknown,
  options: readonly unknown[],
): ParsedJac {
  checkCallable(op, f);
  const o = parser.parse(options);
  refuseHolomorphic(op, o.holomorphic);
  return { argnums: o.argnums ?? 0, hasAux: o.hasAux ?? false, allowInt: o.allowInt ?? false };
}

/**
 * `jax.jacfwd(fun, argnums=0, has_aux=False, holomorphic=False)`: the Jacobian by forward
 * mode, one jvp per input element (vmapped). For f: R^n → R^m the result has shape
 * [...outShape, ...inShape]; with hasAux, `[jacobian, aux]`.
 * @example
 * jacfwd((x: Array) => np.sin(x))(np.array([0, 1])); // diag(cos x)
 */
export function jacfwd<A extends unknown[], R, const O extends JacfwdArgs = []>(
  f: (...args: A) => R,
  ...options: O
): (...args: Args<A>) => JacobianResult<A, R, O>;
export function jacfwd(f: Fn, ...options: unknown[]): (...args: unknown[]) => unknown {
  return jacfwdImpl("jacfwd", f, parseJac("jacfwd", jacfwdOptions, f, options));
}

/**
 * `jax.jacrev(fun, argnums=0, has_aux=False, holomorphic=False, allow_int=False)`: the
 * Jacobian by reverse mode, one vjp per output element (vmapped).
 * @example
 * jacrev((x: Array) => np.sin(x), { argnums: 0 })(np.array([0, 1])); // diag(cos x)
 */
export function jacrev<A extends unknown[], R, const O extends JacrevArgs = []>(
  f: (...args: A) => R,
  ...options: O
): (...args: Args<A>) => JacobianResult<A, R, O>;
export function jacrev(f: Fn, ...options: unknown[]): (...args: unknown[]) => unknown {
  return jacrevImpl("jacrev", f, parseJac("jacrev", jacrevOptions, f, options));
}

/**
 * `jax.hessian(fun, argnums=0, has_aux=False, holomorphic=False)` = `jacfwd(jacrev(f))`.
 * @example
 * hessian((x: Array) => np.sum(np.power(x, 3)))(np.array([1, 2])); // diag(6x)
 */
export function hessian<A extends unknown[], R, const O extends JacfwdArgs = []>(
  f: (...args: A) => R,
  ...options: O
): (...args: Args<A>) => HessianResult<A, R, O>;
export function hessian(f: Fn, ...options: unknown[]): (...args: unknown[]) => unknown {
  const o = parseJac("hessian", hessianOptions, f, options);
  return jacfwdImpl("hessian", jacrevImpl("hessian", f, o) as Fn, o);
}
