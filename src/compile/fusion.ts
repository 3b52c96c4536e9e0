/**
 * Kernel fusion for jit: each run of consecutive equations that one kernel can
 * compute — float32/bool elementwise operations over one shape, broadcasts
 * into it, and the sums and maxima that consume them — becomes a single
 * `fused_kernel` equation, run as one compiled loop by the backend (for the
 * operations that backend's kernels take: `kernelSupport`). The fused
 * equation keeps the original equations as a sub-jaxpr: where the backend
 * does not run the loop, and for differentiation and batching, it simply runs them.
 */
import type { ShapedArray } from "../core/aval.js";
import type { NdArray } from "../core/array.js";
import { defineMultiPrimitive, type Primitive } from "../core/primitive.js";
import { currentTrace } from "../core/trace.js";
import { kernelSupport, runFusedKernel, type KernelSupport } from "../backends/api.js";
import { jvpFlat } from "../interpreters/jvp.js";
import { vmapFlat } from "../interpreters/batch.js";
import { evalJaxpr, Jaxpr, Var, type JaxprEqn } from "../ir/jaxpr.js";
import { needsRows, type Kernel } from "../kernel/ir.js";
import { isElementwise, lowerRun, reductionOver } from "./lower.js";
import { matrixOf } from "../kernel/shapes.js";

interface FusedParams {
  kernel: Kernel;
  /** The kernel's iteration space. */
  rows: number;
  cols: number;
  /** The original equations: inputs are the fused equation's inputs, outputs its outputs. */
  sub: Jaxpr;
}

const runSub = (sub: Jaxpr) => (xs: NdArray[]) => evalJaxpr(sub, [], xs);

export const fusedKernelP: Primitive = defineMultiPrimitive<FusedParams>({
  name: "fused_kernel",
  abstractEval: (_avals, { sub }) => sub.outAvals,
  // A call: the backend runs the compiled loop, or its equations run one by one.
  impl: (args, { kernel, rows, cols, sub }) =>
    runFusedKernel(kernel, args, sub.outAvals, rows, cols) ?? runSub(sub)(args),
  jvp: (primals, tangents, { sub }) => jvpFlat(runSub(sub), primals, tangents, currentTrace()),
  vmap(args, dims, { sub }, size) {
    const [outs] = vmapFlat(runSub(sub), args, dims, size, 0);
    return [outs, outs.map(() => 0)];
  },
  printParams: ({ sub }) => ({ jaxpr: sub }),
  // A fused kernel is its equations: they are written out one by one.
  stablehlo: (c, args, { sub }) => c.lowerJaxpr(sub, [], args),
});

/** The shape a run starting at `e` would have, or null if `e` cannot start one. */
function runShape(e: JaxprEqn, ops: KernelSupport): ShapedArray | null {
  if (e.outvars.length !== 1) return null;
  const out = e.outvars[0].aval;
  if (out.size < ops.minSize || !isElementwise(e, out.shape, ops)) return null;
  return out;
}

/** Can `e` join the run `run` of shape `s`? */
function joins(e: JaxprEqn, run: JaxprEqn[], s: readonly number[], ops: KernelSupport): boolean {
  if (!isElementwise(e, s, ops) && reductionOver(e, s) === null) return false;
  // A reduction's result exists only after the loop: nothing in the run may read it.
  const reduced = new Set<Var>(run.filter((r) => reductionOver(r, s) !== null).flatMap((r) => r.outvars));
  return !e.inputs.some((a) => a instanceof Var && reduced.has(a));
}

/** One fused equation for a run. */
function fuseRun(run: JaxprEqn[], s: ShapedArray, usedLater: Set<Var>): JaxprEqn {
  const { kernel, externals, outvars } = lowerRun(run, s.shape, usedLater);
  const [rows, cols] = matrixOf(s.shape);
  // The sub-jaxpr reads fresh input variables in place of the outside operands.
  const fresh = externals.map((a) => new Var(a.aval));
  const rename = (a: (typeof externals)[number]) => {
    const k = externals.indexOf(a);
    return k >= 0 ? fresh[k] : a;
  };
  const eqns = run.map((e) => ({ ...e, inputs: e.inputs.map(rename) }));
  const sub = new Jaxpr([], fresh, eqns, outvars);
  return { prim: fusedKernelP, inputs: externals, params: { kernel, rows, cols, sub }, outvars };
}

/** Is the lowered run within the kernel limits? */
function fits(run: JaxprEqn[], s: ShapedArray, usedLater: Set<Var>, ops: KernelSupport): boolean {
  const { kernel } = lowerRun(run, s.shape, usedLater);
  const [, cols] = matrixOf(s.shape);
  const rowsFit = !needsRows(kernel) || cols % ops.colsMultiple === 0;
  return kernel.inputs.length + kernel.outputs.length <= ops.maxBuffers && rowsFit;
}

const isScalarBroadcast = (e: JaxprEqn) => e.prim.name === "broadcast_in_dim" && e.inputs[0].aval.size === 1;

/**
 * Gives every consumer of a broadcast scalar its own copy of the broadcast, just
 * before it: a kernel then reads the scalar itself instead of a materialised
 * array that another kernel had to write (CSE had merged them).
 */
function copyScalarBroadcasts(eqns: JaxprEqn[], programOutputs: Set<Var>): JaxprEqn[] {
  const broadcasts = new Map<Var, JaxprEqn>();
  const out: JaxprEqn[] = [];
  for (const e of eqns) {
    if (isScalarBroadcast(e) && !programOutputs.has(e.outvars[0])) {
      broadcasts.set(e.outvars[0], e);
      continue;
    }
    const inputs = e.inputs.map((a) => {
      const b = a instanceof Var ? broadcasts.get(a) : undefined;
      if (b === undefined) return a;
      const copy = new Var(b.outvars[0].aval);
      out.push({ ...b, outvars: [copy] });
      return copy;
    });
    out.push({ ...e, inputs });
  }
  return out;
}

/** Replaces each run of two or more equations that one kernel can compute by one fused equation. */
export function fuseKernels(jaxpr: Jaxpr, ops: KernelSupport | null = kernelSupport()): Jaxpr {
  if (ops === null) return jaxpr;
  const outputs = new Set(jaxpr.outvars.filter((a): a is Var => a instanceof Var));
  const eqns = copyScalarBroadcasts(jaxpr.eqns, outputs);
  const usedAfter = (from: number): Set<Var> => {
    const used = new Set<Var>();
    for (let j = from; j < eqns.length; j++) for (const a of eqns[j].inputs) if (a instanceof Var) used.add(a);
    for (const a of jaxpr.outvars) if (a instanceof Var) used.add(a);
    return used;
  };
  const out: JaxprEqn[] = [];
  let i = 0;
  while (i < eqns.length) {
    const s = runShape(eqns[i], ops);
    let j = i + 1;
    while (s && j < eqns.length && joins(eqns[j], eqns.slice(i, j), s.shape, ops)) {
      if (!fits(eqns.slice(i, j + 1), s, usedAfter(j + 1), ops)) break;
      j++;
    }
    const run = eqns.slice(i, j);
    if (s && run.length >= 2 && run.some((e) => e.prim.name !== "broadcast_in_dim")) {
      out.push(fuseRun(run, s, usedAfter(j)));
    } else out.push(...run);
    i = j;
  }
  return out.length === eqns.length ? jaxpr : new Jaxpr(jaxpr.constvars, jaxpr.invars, out, jaxpr.outvars);
}
