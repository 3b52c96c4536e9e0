/**
 * Elementwise fusion for jit: consecutive float32 elementwise equations of one
 * shape become a single `fused_elementwise` equation, which runs them as one
 * generated WebAssembly loop (backends/wasm/fused.ts). The fused equation keeps
 * the original equations as a sub-jaxpr: its fallback implementation and its
 * differentiation and batching rules simply run that sub-jaxpr.
 */
import type { ShapedArray } from "../core/aval.js";
import { shapesEqual } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import { config } from "../core/config.js";
import { defineMultiPrimitive, type Primitive } from "../core/primitive.js";
import { currentTrace } from "../core/trace.js";
import { runFused, type FusedOp, type FusedProgram } from "../backends/wasm/fused.js";
import { wasmThresholds } from "../backends/dispatch.js";
import {
  BINARY_OPS,
  UNARY_OPS,
  wasmElementwiseAvailable,
  type WasmBinaryOp,
  type WasmUnaryOp,
} from "../backends/wasm/elementwise.js";
import { jvpFlat } from "../transforms/jvp.js";
import { vmapFlat } from "../transforms/vmap.js";
import { evalJaxpr, Jaxpr, Var, type Atom, type JaxprEqn } from "./jaxpr.js";

const OPS = new Set<string>([...UNARY_OPS, ...BINARY_OPS]);

interface FusedParams {
  program: FusedProgram;
  /** The original equations: inputs are the fused equation's inputs, outputs its outputs. */
  sub: Jaxpr;
}

const runSub = (sub: Jaxpr) => (xs: NdArray[]) => evalJaxpr(sub, [], xs);

export const fusedElementwiseP: Primitive = defineMultiPrimitive<FusedParams>({
  name: "fused_elementwise",
  abstractEval: (_avals, { sub }) => sub.outAvals,
  impl(args, { program, sub }) {
    const out = sub.outAvals;
    const n = out[0].size;
    if (config.values.platform === "wasm" && wasmElementwiseAvailable()) {
      const results = out.map(() => new Float32Array(n));
      if (
        runFused(
          program,
          args.map((a) => a._data as Float32Array),
          results,
          n,
        )
      ) {
        return results.map((r, i) => new NdArray(out[i], r));
      }
    }
    return runSub(sub)(args);
  },
  jvp: (primals, tangents, { sub }) => jvpFlat(runSub(sub), primals, tangents, currentTrace()),
  vmap(args, dims, { sub }, size) {
    const [outs] = vmapFlat(runSub(sub), args, dims, size, 0);
    return [outs, outs.map(() => 0)];
  },
  printParams: ({ sub }) => ({ jaxpr: sub }),
});

/** A scalar broadcast to the chain's shape: inside a fused loop it is just the scalar, splat. */
const isScalarBroadcast = (e: JaxprEqn) => e.prim.name === "broadcast_in_dim" && e.inputs[0].aval.ndim === 0;

function fusible(e: JaxprEqn): ShapedArray | null {
  if (!(OPS.has(e.prim.name) || isScalarBroadcast(e)) || e.outvars.length !== 1) return null;
  const out = e.outvars[0].aval;
  if (out.dtype !== "float32" || out.size < wasmThresholds.fusion) return null;
  const ok = e.inputs.every(
    (a) => a.aval.dtype === "float32" && (a.aval.ndim === 0 || shapesEqual(a.aval.shape, out.shape)),
  );
  return ok ? out : null;
}

/** One fused equation for a run of fusible equations. */
function fuseRun(run: JaxprEqn[], usedLater: Set<Var>): JaxprEqn {
  const defined = new Set<Var>(run.flatMap((e) => e.outvars));
  const externals: Atom[] = [];
  const index = new Map<Atom, number>();
  const valueOf = (a: Atom): number => {
    if (a instanceof Var && defined.has(a)) return index.get(a)!;
    let k = index.get(a);
    if (k === undefined) {
      k = externals.length;
      externals.push(a);
      index.set(a, k);
    }
    return k;
  };
  // Externals first (their indices come first in the program), then one value per equation.
  run.forEach((e) => e.inputs.forEach((a) => !(a instanceof Var && defined.has(a)) && valueOf(a)));
  const ops: FusedOp[] = [];
  run.forEach((e) => {
    if (isScalarBroadcast(e)) return void index.set(e.outvars[0], valueOf(e.inputs[0]));
    ops.push({ op: e.prim.name as WasmUnaryOp | WasmBinaryOp, args: e.inputs.map(valueOf) });
    index.set(e.outvars[0], externals.length + ops.length - 1);
  });
  const outs = run.map((e) => e.outvars[0]).filter((v) => usedLater.has(v));
  const program: FusedProgram = {
    scalarInputs: externals.map((a) => a.aval.ndim === 0),
    ops,
    outputs: outs.map((v) => index.get(v)!),
  };
  // The sub-jaxpr reads fresh input variables in place of the externals.
  const fresh = externals.map((a) => new Var(a.aval));
  const rename = (a: Atom): Atom => {
    const k = externals.indexOf(a);
    return k >= 0 ? fresh[k] : a;
  };
  const eqns = run.map((e) => ({ ...e, inputs: e.inputs.map(rename) }));
  const sub = new Jaxpr([], fresh, eqns, outs);
  return { prim: fusedElementwiseP, inputs: externals, params: { program, sub }, outvars: outs };
}

/** Replaces each run of two or more consecutive fusible equations of one shape by one fused equation. */
export function fuseElementwise(jaxpr: Jaxpr): Jaxpr {
  const eqns = jaxpr.eqns;
  const usedAfter = (from: number): Set<Var> => {
    const used = new Set<Var>();
    for (let j = from; j < eqns.length; j++) for (const a of eqns[j].inputs) if (a instanceof Var) used.add(a);
    for (const a of jaxpr.outvars) if (a instanceof Var) used.add(a);
    return used;
  };
  const out: JaxprEqn[] = [];
  let i = 0;
  while (i < eqns.length) {
    const shape = fusible(eqns[i]);
    let j = i + 1;
    while (shape && j < eqns.length && fusible(eqns[j]) && shapesEqual(fusible(eqns[j])!.shape, shape.shape)) j++;
    if (shape && j - i >= 2) out.push(fuseRun(eqns.slice(i, j), usedAfter(j)));
    else out.push(...eqns.slice(i, j));
    i = j;
  }
  return out.length === eqns.length ? jaxpr : new Jaxpr(jaxpr.constvars, jaxpr.invars, out, jaxpr.outvars);
}
