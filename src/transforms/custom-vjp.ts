/**
 * `customVjp(f, { nondiffArgnums })` with `.defvjp(fwd, bwd)`: JAX's
 * `jax.custom_vjp`. This file is the pytree boundary and the checks of JAX's
 * fwd/bwd contracts; custom-vjp-call.ts is what each trace does with the call.
 */
import { NdArray } from "../core/array.js";
import { config } from "../core/config.js";
import { isFloat } from "../core/dtypes.js";
import { CustomVjpError, TransformError, UnexpectedTracerError } from "../core/errors.js";
import { check, defineOptions, is, orNull, type OptArgs } from "../core/options.js";
import { bindCustom, Zero, type MaybeZero } from "../core/trace.js";
import { convert } from "../primitives/elementwise.js";
import { flatten, unflatten, TreeDef } from "../tree/tree.js";
import { argnumsCheck, callUser, checkCallable, flattenArrays, flattenExpanding, leafToArray } from "./args.js";
import { containsTracer, fnName, nondiffPositions, splitCall, typeTree } from "./custom-common.js";
import { CustomVjpCall, type FlatBwd, type FlatFwd } from "./custom-vjp-call.js";
import { checkVjpRule } from "./check-rules.js";

/**
 * The options of `customVjp`, as `jax.custom_vjp(fun, nondiff_argnums=())`.
 */
export interface CustomVjpOptions {
  /** Positions of arguments that are not differentiated (functions, static values); passed first to bwd. */
  nondiffArgnums?: number | readonly number[];
  /** JAX's nondiff_argnames: JS has no keyword arguments, so only an empty list (or null) is accepted. */
  nondiffArgnames?: string | readonly string[] | null;
}

const argNames = check<string | readonly string[]>(
  "a string or an array of strings",
  (v) => typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string")),
);
const customVjpOptions = defineOptions(
  "customVjp",
  { nondiffArgnums: argnumsCheck, nondiffArgnames: orNull(argNames) },
  ["nondiffArgnums"],
);

/** The options of `defvjp` (JAX's `symbolic_zeros`, `optimize_remat`). */
export interface DefvjpOptions {
  /** bwd receiving symbolic zeros: not supported (bwd always receives materialised zeros), so only false. */
  symbolicZeros?: boolean;
  /** JAX's remat optimisation of fwd: no visible effect, accepted and ignored. */
  optimizeRemat?: boolean;
}

const defvjpOptions = defineOptions("customVjp.defvjp", { symbolicZeros: is.bool, optimizeRemat: is.bool }, [
  "symbolicZeros",
  "optimizeRemat",
]);

type Fn = (...args: never[]) => unknown;

/** A function with a custom reverse-mode rule. */
export interface CustomVjpFunction<F extends Fn> {
  (...args: Parameters<F>): ReturnType<F>;
  /**
   * Sets the rules: `fwd(...args) → [out, residuals]`, `bwd(...nondiff, residuals, ct) → one cotangent per argument`.
   * Options: `(symbolicZeros, optimizeRemat)` positionally or in a trailing object.
   */
  defvjp(
    fwd: (...args: Parameters<F>) => readonly [unknown, unknown],
    bwd: (...args: never[]) => unknown,
    ...options: OptArgs<[symbolicZeros?: boolean, optimizeRemat?: boolean], DefvjpOptions>
  ): void;
  readonly fun: F;
}

const NONDIFF_TRACER_ERROR =
  "Found a JAX Tracer object passed as an argument to a custom_vjp function in a position indicated by nondiff_argnums " +
  "as non-differentiable. Tracers cannot be passed as non-differentiable arguments to custom_vjp functions; instead, " +
  "nondiff_argnums should only be used for arguments that can't be or contain JAX tracers, e.g. function-valued " +
  "arguments. In particular, array-valued arguments should typically not be indicated as nondiff_argnums.";

function describeValue(x: unknown): string {
  if (x instanceof NdArray) return x.aval.str();
  if (Array.isArray(x)) return `[${x.map(describeValue).join(", ")}]`;
  return String(x);
}

/**
 * `jax.custom_vjp`.
 * @example
 * const f = customVjp((x: Array) => np.log1p(np.exp(x)));
 * f.defvjp((x) => [f(x), x], (x, g) => [np.multiply(g, nn.sigmoid(x))]);
 */
export function customVjp<F extends Fn>(
  f: F,
  ...options: OptArgs<[nondiffArgnums?: number | readonly number[]], CustomVjpOptions>
): CustomVjpFunction<F> {
  checkCallable("customVjp", f);
  const o = customVjpOptions.parse(options);
  refuseArgnames("customVjp", o.nondiffArgnames);
  const name = fnName(f, "fun");
  const nondiffPos = nondiffPositions("customVjp", o.nondiffArgnums);
  let rules: { fwd: Fn; bwd: Fn } | null = null;

  const call = (...args: unknown[]): unknown => {
    if (!rules) throw new CustomVjpError(`[customVjp] No VJP defined for custom_vjp function ${name} using defvjp.`);
    const { fwd, bwd } = rules;
    const split = splitCall("customVjp", args, nondiffPos);
    if (split.nondiff.some(containsTracer)) throw new UnexpectedTracerError(`[customVjp] ${NONDIFF_TRACER_ERROR}`);
    const state: {
      outTree: TreeDef | null;
      outs: NdArray[];
      fwdTree: TreeDef | null;
      resRebuild: ((leaves: NdArray[]) => unknown) | null;
    } = {
      outTree: null,
      outs: [],
      fwdTree: null,
      resRebuild: null,
    };

    const fun = (xs: NdArray[]): NdArray[] => {
      const [ls, def] = flattenArrays(callUser("customVjp", f, split.rebuild(xs)), "customVjp", "the output");
      state.outTree = def;
      state.outs = ls;
      return ls;
    };
    const flatFwd: FlatFwd = (xs) => {
      const pair = callUser("customVjp", fwd, split.rebuild(xs), "the fwd rule");
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new CustomVjpError(
          `[customVjp] Custom VJP fwd rule ${fnName(fwd, "fwd")} for function ${name} must produce a pair (list or tuple of length two) ` +
            `where the first element represents the primal output (equal to those of the custom_vjp-decorated function ${name}) ` +
            `and the second element represents residuals (i.e. values stored from the forward pass for use on the backward pass), ` +
            `but instead of a pair the fwd rule ${fnName(fwd, "fwd")} produced ${describeValue(pair)}.`,
        );
      }
      const [outs, outDef] = flattenArrays(pair[0], "customVjp", "the fwd rule's primal output");
      // Residuals: any pytree of arrays, including functions returned by vjp (JAX's nestable vjp).
      const [res, resRebuild] = flattenExpanding(pair[1], "customVjp", "the fwd rule's residuals");
      if (state.outTree) checkFwdAgainstPrimal(name, fnName(fwd, "fwd"), state.outTree, outDef, outs, state.outs);
      state.fwdTree = outDef;
      state.resRebuild = resRebuild;
      return [outs, res];
    };
    const flatBwd: FlatBwd = (res, cts) => {
      const resPy = state.resRebuild!(res);
      const ctPy = unflatten(state.fwdTree!, cts);
      const out = callUser("customVjp", bwd, [...split.nondiff, resPy, ctPy], "the bwd rule");
      return normalizeBwdOutput(name, out, split.inTree, split.leaves);
    };
    const onLinearize = config.values.checkCustomRules
      ? (primals: NdArray[]) => checkVjpRule(bwd, name, fun, flatFwd, flatBwd, primals)
      : null;
    const outs = bindCustom(new CustomVjpCall(name, fun, flatFwd, flatBwd, 0, onLinearize), split.leaves);
    return unflatten(state.fwdTree ?? state.outTree!, outs);
  };

  return Object.assign(call, {
    defvjp(fwd: Fn, bwd: Fn, ...rest: unknown[]): void {
      const d = defvjpOptions.parse(rest);
      for (const [what, r] of [
        ["fwd", fwd],
        ["bwd", bwd],
      ] as const) {
        if (typeof r !== "function") {
          throw new CustomVjpError(
            `[customVjp.defvjp] the ${what} rule of ${name} must be a function: got ${describeValue(r)}. ` +
              `Call f.defvjp(fwd, bwd) with fwd(...args) → [out, residuals] and bwd(residuals, ct) → cotangents.`,
          );
        }
      }
      if (d.symbolicZeros) {
        throw new CustomVjpError(
          `[customVjp.defvjp] symbolicZeros=true is not supported: got true, expected false. ` +
            `bwd always receives materialised zero cotangents, as with JAX's default symbolic_zeros=False.`,
        );
      }
      rules = { fwd, bwd };
    },
    fun: f,
  }) as unknown as CustomVjpFunction<F>;
}

/** Argument names need keyword arguments, which JS functions do not have. */
export function refuseArgnames(op: string, v: string | readonly string[] | null | undefined): void {
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return;
  throw new TransformError(
    `[${op}] nondiffArgnames needs keyword arguments, which JS functions do not have: got ${JSON.stringify(v)}, ` +
      `expected [] or null. Give the positions with nondiffArgnums.`,
  );
}

/** A3.4: when f's output type is known, fwd's primal output must match it. */
function checkFwdAgainstPrimal(
  name: string,
  fwdName: string,
  fTree: TreeDef,
  fwdTree: TreeDef,
  fwdOuts: NdArray[],
  fOuts: NdArray[],
): void {
  const head =
    `[customVjp] Custom VJP fwd rule ${fwdName} for function ${name} must produce a pair (list or tuple of length two) where the first ` +
    `element represents the primal output (equal to the output of the custom_vjp-decorated function ${name}) and the second element ` +
    `represents residuals (i.e. values stored from the forward pass for use on the backward pass), but instead the fwd rule output's first element had`;
  if (!fTree.equals(fwdTree)) {
    throw new CustomVjpError(
      `${head} container/pytree structure:\n    ${typeTree(fwdTree, fwdOuts)}\nwhile the custom_vjp-decorated function ${name} had output container/pytree structure:\n    ${typeTree(fTree, fOuts)}.`,
    );
  }
  if (fwdOuts.some((o, i) => !o.aval.equals(fOuts[i].aval))) {
    throw new CustomVjpError(
      `${head} shapes/dtypes of:\n    ${typeTree(fwdTree, fwdOuts)}\nwhile the custom_vjp-decorated function ${name} had output shapes/dtypes of:\n    ${typeTree(fTree, fOuts)}`,
    );
  }
}

/**
 * bwd's result, checked as JAX checks it (A4.3–A4.5): one entry per
 * differentiable argument; null means zero at any depth; a single array in the
 * place of a whole subtree is used for every leaf; shapes must match; integer
 * and bool inputs get zero whatever bwd returned.
 */
function normalizeBwdOutput(name: string, out: unknown, inTree: TreeDef, inputs: NdArray[]): MaybeZero[] {
  const numArgs = inTree.children.length;
  const structureError = () =>
    new CustomVjpError(
      `[customVjp] Custom VJP bwd rule must produce an output with the same container (pytree) structure as the args tuple of the ` +
        `primal function, and in particular must produce a tuple of length equal to the number of arguments to the primal function, ` +
        `but got bwd output structure ${flatten(out, (x) => x === null)[1]} for primal input structure ${inTree}. ` +
        `Return a JS array with one entry per differentiable argument (null for a zero cotangent).`,
    );
  if (!Array.isArray(out) || out.length !== numArgs) throw structureError();
  const leaves: (unknown | null)[] = [];
  inTree.children.forEach((argTree, i) => {
    if (!matchPrefix(out[i], argTree, leaves)) throw structureError();
  });
  return leaves.map((ct, i) => normalizeLeaf(name, ct, inputs[i], i));
}

/** Walks `value` against `tree`, pushing one cotangent (or null) per leaf of `tree`. */
function matchPrefix(value: unknown, tree: TreeDef, out: unknown[]): boolean {
  const n = tree.numLeaves;
  if (value === null || value === undefined) {
    for (let i = 0; i < n; i++) out.push(null);
    return true;
  }
  if (tree.kind === "leaf" || value instanceof NdArray || typeof value === "number") {
    for (let i = 0; i < n; i++) out.push(value);
    return tree.kind === "leaf" || n > 0;
  }
  const [, def] = flatten(value, (x) => x === null);
  if (tree.kind === "array" && Array.isArray(value) && value.length === tree.children.length) {
    return tree.children.every((c, i) => matchPrefix(value[i], c, out));
  }
  if (tree.kind === "object" && typeof value === "object" && def.kind === "object") {
    const keys = tree.meta as string[];
    const vkeys = Object.keys(value as object).sort();
    if (keys.join("\u0000") !== vkeys.join("\u0000")) return false;
    return keys.every((k, i) => matchPrefix((value as Record<string, unknown>)[k], tree.children[i], out));
  }
  if (tree.kind === "custom" && def.kind === "custom" && def.nodeType === tree.nodeType) {
    const [children] = tree.nodeType!.flatten(value);
    return tree.children.every((c, i) => matchPrefix(children[i], c, out));
  }
  return false;
}

function normalizeLeaf(name: string, ct: unknown, input: NdArray, index: number): MaybeZero {
  if (ct === null || ct === undefined || !isFloat(input.dtype)) return new Zero(input.aval);
  const arr = leafToArray(ct, "customVjp", `bwd output leaf ${index}`);
  if (!config.values.disableBwdChecks) {
    const same = arr.ndim === input.ndim && arr.shape.every((n, k) => n === input.aval.shape[k]);
    if (!same) {
      throw new CustomVjpError(
        `[customVjp] Custom VJP bwd rule attached to ${name} must produce an output with the same type as the args tuple of the ` +
          `primal function, but at output[${index}] the bwd rule produced an output of type ${arr.aval.str()} corresponding to an ` +
          `input of type ${input.aval.str()}, so the shapes do not match.`,
      );
    }
  }
  // A dtype-only difference is tolerated (as JAX does) and converted so cotangents can be summed.
  return arr.dtype === input.dtype ? arr : convert(arr, input.dtype, input.weakType);
}
