/**
 * `customJvp(f, { nondiffArgnums })` with `.defjvp(rule)` and `.defjvps(...)`:
 * JAX's `jax.custom_jvp`. Reverse mode comes for free: the rule is linearized
 * and its tangent part transposed, so it must be linear in the tangents.
 */
import { NdArray } from "../core/array.js";
import { config } from "../core/config.js";
import { isFloat } from "../core/dtypes.js";
import { CustomJvpError } from "../core/errors.js";
import { bindCustom, Tracer, Zero, type MaybeZero } from "../core/trace.js";
import { add, convert } from "../primitives/elementwise.js";
import { stopGradient } from "../primitives/stop-gradient.js";
import { flatten, map as treeMap, unflatten, type TreeDef } from "../tree/tree.js";
import { defineOptions, describeValue, is, type OptArgs } from "../core/options.js";
import { argnumsCheck, callUser, checkCallable, flattenArrays } from "./args.js";
import { fnName, nondiffPositions, splitCall, typeTree } from "./custom-common.js";
import { CustomJvpCall, type FlatJvpRule } from "./custom-jvp-call.js";
import { checkJvpRule } from "./check-rules.js";

/**
 * The options of `customJvp`, as `jax.custom_jvp(fun, nondiff_argnums=())`.
 */
export interface CustomJvpOptions {
  /** Positions of arguments that are not differentiated; passed first to the rule. */
  nondiffArgnums?: number | readonly number[];
}

const customJvpOptions = defineOptions("customJvp", { nondiffArgnums: argnumsCheck }, ["nondiffArgnums"]);

/** The options of `defjvp` (JAX's `symbolic_zeros`). */
export interface DefjvpOptions {
  /** The rule receiving symbolic zeros: not supported (it always receives materialised zeros), so only false. */
  symbolicZeros?: boolean;
}

const defjvpOptions = defineOptions("customJvp.defjvp", { symbolicZeros: is.bool }, ["symbolicZeros"]);

type Fn = (...args: never[]) => unknown;
/** `(primals, tangents) → [primalOut, tangentOut]`, with nondiff arguments first when there are some. */
type JvpRule = (...args: never[]) => unknown;
/** One argument's contribution: `(tangent, primalOut, ...primals) → tangent contribution`. */
type JvpsRule = ((t: never, out: never, ...primals: never[]) => unknown) | null;

/** A function with a custom forward-mode rule. */
export interface CustomJvpFunction<F extends Fn> {
  (...args: Parameters<F>): ReturnType<F>;
  /** Sets the rule and returns it (usable as a decorator, as in JAX). */
  defjvp<R extends JvpRule>(rule: R, ...options: OptArgs<[symbolicZeros?: boolean], DefjvpOptions>): R;
  /** One rule per argument, each giving that argument's tangent contribution (null: none). */
  defjvps(...rules: JvpsRule[]): void;
  readonly fun: F;
}

function describe(x: unknown): string {
  if (x instanceof NdArray) return x instanceof Tracer ? x.aval.str() : String(x.tolist());
  return Array.isArray(x) ? `[${x.map(describe).join(", ")}]` : String(x);
}

/**
 * `jax.custom_jvp`.
 * @example
 * const f = customJvp((x: Array) => np.log1p(np.exp(x)));
 * f.defjvp(([x], [t]) => [f(x), np.multiply(t, nn.sigmoid(x))]);
 */
export function customJvp<F extends Fn>(
  f: F,
  ...options: OptArgs<[nondiffArgnums?: number | readonly number[]], CustomJvpOptions>
): CustomJvpFunction<F> {
  checkCallable("customJvp", f);
  const name = fnName(f, "fun");
  const nondiffPos = nondiffPositions("customJvp", customJvpOptions.parse(options).nondiffArgnums);
  let rule: JvpRule | null = null;

  const self = (...args: unknown[]): unknown => {
    if (!rule) throw new CustomJvpError(`[customJvp] No JVP defined for custom_jvp function ${name} using defjvp.`);
    const r = rule;
    // Traced non-differentiable arguments are allowed, but never differentiated (A6.3).
    const stopped = args.map((a, i) => (nondiffPos.includes(i) ? treeMap(stopIfArray as never, a) : a));
    const split = splitCall("customJvp", stopped, nondiffPos);
    const state: { outTree: TreeDef | null; funTree: TreeDef | null; funOuts: NdArray[] } = {
      outTree: null,
      funTree: null,
      funOuts: [],
    };
    const fun = (xs: NdArray[]): NdArray[] => {
      const [ls, def] = flattenArrays(callUser("customJvp", f, split.rebuild(xs)), "customJvp", "the output");
      state.outTree = def;
      state.funTree = def;
      state.funOuts = ls;
      return ls;
    };
    const flatRule: FlatJvpRule = (ps, ts) => {
      const out = callUser("customJvp", r, [...split.nondiff, split.dynArgs(ps), split.dynArgs(ts)], "the jvp rule");
      // JAX's order: a pair (B-J2), equal structures (B-J3), the primal output against f's (B-J5, B-J6), then tangent types (B-J4).
      const [outs, tOuts, def] = checkRuleOutput(name, fnName(r, "jvp"), out, state.funTree ? state : null);
      state.outTree = def;
      return [outs, tOuts];
    };
    const onJvp = config.values.checkCustomRules ? (ps: NdArray[]) => checkJvpRule(r, name, fun, flatRule, ps) : null;
    const outs = bindCustom(new CustomJvpCall(name, fun, flatRule, 0, onJvp), split.leaves);
    return unflatten(state.outTree!, outs);
  };

  const defjvp = <R extends JvpRule>(r: R, ...rest: unknown[]): R => {
    const d = defjvpOptions.parse(rest);
    if (typeof r !== "function") {
      throw new CustomJvpError(
        `[customJvp.defjvp] the jvp rule of ${name} must be a function: got ${describeValue(r)}. ` +
          `Call f.defjvp((primals, tangents) => [out, tangentOut]).`,
      );
    }
    if (d.symbolicZeros) {
      throw new CustomJvpError(
        `[customJvp.defjvp] symbolicZeros=true is not supported: got true, expected false. ` +
          `The rule always receives materialised zero tangents, as with JAX's default symbolic_zeros=False.`,
      );
    }
    rule = r;
    return r;
  };
  const defjvps = (...rules: JvpsRule[]): void => {
    if (nondiffPos.length) throw new CustomJvpError("[customJvp] Can't use ``defjvps`` with ``nondiff_argnums``.");
    rules.forEach((ri, i) => {
      if (ri !== null && ri !== undefined && typeof ri !== "function") {
        throw new CustomJvpError(
          `[customJvp.defjvps] rule ${i} of ${name} must be a function or null: got ${describeValue(ri)}.`,
        );
      }
    });
    rule = ((primals: unknown[], tangents: unknown[]) => {
      const out = (self as (...a: unknown[]) => unknown)(...primals);
      let total: unknown = null;
      rules.forEach((ri, i) => {
        if (!ri) return;
        const term = (ri as unknown as (...a: unknown[]) => unknown)(tangents[i], out, ...primals);
        total = total === null ? term : treeMap(((a: NdArray, b: NdArray) => add(a, b)) as never, total, term);
      });
      return [out, total ?? treeMap(((o: NdArray) => zerosOf(o)) as never, out)];
    }) as JvpRule;
  };
  return Object.assign(self, { defjvp, defjvps, fun: f }) as unknown as CustomJvpFunction<F>;
}

function stopIfArray(x: unknown): unknown {
  return x instanceof Tracer ? stopGradient(x) : x;
}

function zerosOf(x: NdArray): NdArray {
  return x.mul(0);
}

/** B-J5, B-J6 (A13.2): when f's output type is known (f was staged first), the rule's primal output must match it. */
function checkRuleAgainstPrimal(
  name: string,
  ruleName: string,
  fTree: TreeDef,
  ruleTree: TreeDef,
  ruleOuts: NdArray[],
  fOuts: NdArray[],
): void {
  const head =
    `[customJvp] Custom JVP rule ${ruleName} for function ${name} must produce a pair (list or tuple of length two) where the first ` +
    `element represents the primal output (equal in value to the output of the custom_jvp-decorated function ${name}, and in particular`;
  const tail = "but instead the JVP rule output's first element had";
  if (!fTree.equals(ruleTree)) {
    throw new CustomJvpError(
      `${head} of the same container/pytree structure), ${tail} container/pytree structure:\n    ${typeTree(ruleTree, ruleOuts)}\n` +
        `while the custom_jvp-decorated function ${name} had output container/pytree structure:\n    ${typeTree(fTree, fOuts)}.`,
    );
  }
  if (ruleOuts.some((o, i) => !o.aval.equals(fOuts[i].aval))) {
    throw new CustomJvpError(
      `${head} with leaves of the same shape/dtype), ${tail} shapes/dtypes of:\n    ${typeTree(ruleTree, ruleOuts)}\n` +
        `while the custom_jvp-decorated function ${name} had output shapes/dtypes of:\n    ${typeTree(fTree, fOuts)}`,
    );
  }
}

/** B-J2, B-J3, (B-J5, B-J6 when f's output is known), B-J4, in JAX's order. */
function checkRuleOutput(
  name: string,
  ruleName: string,
  out: unknown,
  fun: { funTree: TreeDef | null; funOuts: NdArray[] } | null,
): [NdArray[], MaybeZero[], TreeDef] {
  if (!Array.isArray(out) || out.length !== 2) {
    throw new CustomJvpError(
      `[customJvp] Custom JVP rule ${ruleName} for function ${name} must produce a pair (list or tuple of length two) representing ` +
        `primal and tangent outputs, but got ${describe(out)}.`,
    );
  }
  const [outs, outDef] = flattenArrays(out[0], "customJvp", "the rule's primal output");
  const [tRaw, tDef] = flatten(out[1]);
  if (!outDef.equals(tDef)) {
    throw new CustomJvpError(
      `[customJvp] Custom JVP rule ${ruleName} for function ${name} must produce primal and tangent outputs with equal container ` +
        `(pytree) structures, but got ${outDef} and ${tDef} respectively.`,
    );
  }
  if (fun?.funTree) checkRuleAgainstPrimal(name, ruleName, fun.funTree, outDef, outs, fun.funOuts);
  const tOuts = tRaw.map((t, i) => tangentLeaf(t, outs[i]));
  const bad = tOuts
    .map((t, i) =>
      t instanceof Zero
        ? -1
        : t.aval.shape.length === outs[i].ndim && t.aval.shape.every((n, k) => n === outs[i].aval.shape[k])
          ? -1
          : i,
    )
    .filter((i) => i >= 0);
  if (bad.length) {
    const lines = bad.map(
      (i) =>
        `Expected ${outs[i].aval.str()} (tangent type of ${outs[i].aval.str()}) but got ${(tOuts[i] as NdArray).aval.str()}`,
    );
    throw new CustomJvpError(
      `[customJvp] Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes. ${lines.join("; ")}.`,
    );
  }
  return [outs, tOuts, outDef];
}

/** A tangent leaf: arrays and numbers; integer outputs have no tangent. */
function tangentLeaf(t: unknown, out: NdArray): MaybeZero {
  if (!isFloat(out.dtype) || t === null || t === undefined) return new Zero(out.aval);
  const arr = t instanceof NdArray ? t : flattenArrays(t, "customJvp", "the rule's tangent output")[0][0];
  return arr.dtype === out.dtype ? arr : convert(arr, out.dtype, out.weakType);
}
