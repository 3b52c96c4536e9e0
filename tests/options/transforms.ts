/**
 * Option cases for the transformations (grad, vmap, jit, ... and the custom-rule
 * methods). JAX makes jit's and checkpoint's options keyword-only, and vjp's and
 * linearize's `has_aux` keyword-only after variadic primals: those are tried in
 * object form only.
 */
import {
  checkGrads,
  checkpoint,
  checkpointPolicies,
  customJvp,
  customVjp,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jit,
  jvp,
  linearize,
  makeJaxpr,
  numpy as np,
  valueAndGrad,
  vjp,
  vmap,
  type Array,
} from "../../src/index.js";
import { isPlainObject, OptionError } from "../../src/core/options.js";
import type { NoOptionsEntry, OptionTableEntry } from "./table.js";

const x = np.array([0.5, -1, 2]);
const y = np.array([1.5, 2, -0.5]);
const loss = (a: Array, b: Array) => np.sum(np.multiply(np.sin(a), b));
const vec = (a: Array, b: Array) => np.multiply(np.sin(a), b);

/**
 * vjp's and linearize's trailing arguments are data (the primals), so a trailing
 * object whose keys are not all option keys is a primal. Python's `f(x)` refuses
 * an extra argument where JS drops it silently; this `f` refuses it as Python
 * would, so the table's checks see the stray value reach `f` as data.
 */
function strictUnary(f: (a: Array) => Array) {
  return (a: Array, ...extra: unknown[]): Array => {
    if (extra.length > 0) {
      const e = extra[0];
      throw new OptionError(
        isPlainObject(e)
          ? `[f] unknown option "${Object.keys(e)[0]}": expected one of (none: f takes one argument, and got the object as data).`
          : `[f] too many arguments: f takes one argument, got ${1 + extra.length}.`,
      );
    }
    return f(a);
  };
}

const gradLike = (op: "grad" | "valueAndGrad"): OptionTableEntry => ({
  op,
  call: (...o) => (op === "grad" ? grad : valueAndGrad)(loss, ...(o as []))(x, y),
  cases: [
    { positional: [1], object: { argnums: 1 } },
    { positional: [[0, 1]], object: { argnums: [0, 1] } },
    {
      positional: [0, false, false, false, []],
      object: { argnums: 0, hasAux: false, holomorphic: false, allowInt: false, reduceAxes: [] },
    },
    {
      positional: [undefined, undefined, undefined, true],
      object: { allowInt: true },
      mixed: [[0], { allowInt: true }],
    },
  ],
});

const jacLike = (op: "jacfwd" | "jacrev" | "hessian"): OptionTableEntry => {
  const t = { jacfwd, jacrev, hessian }[op] as (...a: unknown[]) => (...b: unknown[]) => unknown;
  return {
    op,
    call: (...o) => t(op === "hessian" ? loss : vec, ...o)(x, y),
    cases: [
      { positional: [1], object: { argnums: 1 } },
      { positional: [[0, 1], false], object: { argnums: [0, 1], hasAux: false } },
      { positional: [0, false, false], object: { holomorphic: false }, mixed: [[0], { holomorphic: false }] },
      ...(op === "jacrev" ? [{ positional: [0, false, false, true], object: { allowInt: true } }] : []),
    ],
  };
};

export const transformOptions: OptionTableEntry[] = [
  gradLike("grad"),
  gradLike("valueAndGrad"),
  jacLike("jacfwd"),
  jacLike("jacrev"),
  jacLike("hessian"),
  {
    op: "vmap",
    call: (...o) => vmap((a: Array, b: Array) => np.multiply(a, b), ...(o as []))(np.stack([x, y]), y),
    cases: [
      { positional: [[0, null]], object: { inAxes: [0, null] } },
      { positional: [[1, 0], 1], object: { inAxes: [1, 0], outAxes: 1 } },
      {
        positional: [[0, null], 0, "batch", 2, null],
        object: { inAxes: [0, null], axisName: "batch", axisSize: 2, spmdAxisName: null },
        mixed: [[[0, null]], { axisSize: 2 }],
      },
    ],
  },
  {
    op: "vjp",
    call: (...o) => {
      const [out, pullback] = vjp(strictUnary(np.sin), x, ...(o as []));
      return [out, pullback(y)];
    },
    cases: [],
    keywordOnly: [{ hasAux: false }],
  },
  {
    op: "linearize",
    call: (...o) => {
      const [out, push] = linearize(strictUnary(np.sin), x, ...(o as []));
      return [out, push(y)];
    },
    cases: [],
    keywordOnly: [{ hasAux: false }],
  },
  {
    op: "jvp",
    call: (...o) => jvp(np.sin, [x], [y], ...(o as [])),
    cases: [{ positional: [false], object: { hasAux: false } }],
  },
  {
    op: "jit",
    call: (...o) => jit((a: Array, n: number) => np.multiply(a, n), ...(o as []))(x, 3),
    cases: [],
    keywordOnly: [
      { staticArgnums: [1] },
      { staticArgnums: -1, staticArgnames: [] },
      { donateArgnums: [0], donateArgnames: ["a"] },
      { keepUnused: true, inline: false },
    ],
  },
  {
    op: "makeJaxpr",
    call: (...o) => {
      const r = (makeJaxpr as (...a: unknown[]) => (...b: unknown[]) => unknown)(
        (a: Array, n: number) => np.multiply(a, n),
        ...o,
      )(x, 3);
      return globalThis.Array.isArray(r) ? r.map(String) : String(r);
    },
    cases: [
      { positional: [[1]], object: { staticArgnums: [1] } },
      { positional: [null, []], object: { axisEnv: [] } },
      { positional: [1, null, true], object: { staticArgnums: 1, returnShape: true } },
    ],
  },
  {
    op: "customVjp",
    call: (...o) => {
      const f = customVjp((a: Array) => np.sin(a), ...(o as []));
      f.defvjp(
        (a: Array) => [np.sin(a), np.cos(a)] as const,
        (c: Array, g: Array) => [np.multiply(c, g)],
      );
      return grad((a: Array) => np.sum(f(a)))(x);
    },
    cases: [{ positional: [[]], object: { nondiffArgnums: [] } }],
    keywordOnly: [{ nondiffArgnames: [] }],
  },
  {
    op: "customVjp.defvjp",
    call: (...o) => {
      const f = customVjp((a: Array) => np.sin(a));
      (f.defvjp as (...a: unknown[]) => void)(
        (a: Array) => [np.sin(a), np.cos(a)] as const,
        (c: Array, g: Array) => [np.multiply(c, g)],
        ...o,
      );
      return grad((a: Array) => np.sum(f(a)))(x);
    },
    cases: [
      { positional: [false], object: { symbolicZeros: false } },
      { positional: [false, true], object: { optimizeRemat: true } },
    ],
  },
  {
    op: "customJvp",
    call: (...o) => {
      const f = customJvp((a: Array) => np.sin(a), ...(o as []));
      f.defjvp(([a]: Array[], [t]: Array[]) => [np.sin(a), np.multiply(np.cos(a), t)]);
      return grad((a: Array) => np.sum(f(a)))(x);
    },
    cases: [{ positional: [[]], object: { nondiffArgnums: [] } }],
  },
  {
    op: "customJvp.defjvp",
    call: (...o) => {
      const f = customJvp((a: Array) => np.sin(a));
      (f.defjvp as (...a: unknown[]) => unknown)(
        ([a]: Array[], [t]: Array[]) => [np.sin(a), np.multiply(np.cos(a), t)],
        ...o,
      );
      return grad((a: Array) => np.sum(f(a)))(x);
    },
    cases: [{ positional: [false], object: { symbolicZeros: false } }],
  },
  {
    op: "checkpoint",
    call: (...o) => grad(checkpoint((a: Array, n: number) => np.sum(np.sin(np.sin(a)).mul(n)), ...(o as [])))(x, 2),
    cases: [],
    keywordOnly: [
      { preventCse: false },
      { policy: checkpointPolicies.dotsSaveable },
      { policy: null, staticArgnums: [1] },
    ],
  },
  {
    op: "checkGrads",
    call: (...o) => {
      (checkGrads as (...a: unknown[]) => void)((a: Array) => np.sin(a), [np.array([0.5, 1], "float64")], 2, ...o);
      return "checked";
    },
    cases: [
      { positional: [["fwd"]], object: { modes: ["fwd"] } },
      { positional: [null, 1e-3, 1e-3, 1e-4], object: { atol: 1e-3, rtol: 1e-3, eps: 1e-4 } },
    ],
    keywordOnly: [{ seed: 3 }],
  },
];

export const transformNoOptions: NoOptionsEntry[] = [
  {
    name: "evalShape",
    args: [(a: Array) => np.sin(a), 1.0],
    variadic: "its trailing arguments are f's arguments",
  },
  {
    name: "printSavedResiduals",
    args: [(a: Array) => np.sin(a), 1.0],
    variadic: "its trailing arguments are f's arguments",
  },
  {
    name: "savedResiduals",
    args: [(a: Array) => np.sin(a), 1.0],
    variadic: "its trailing arguments are f's arguments",
  },
  { name: "stopGradient", args: [x] },
];
