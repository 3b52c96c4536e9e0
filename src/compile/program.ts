/**
 * What jit runs: the optimised program rewritten for the backend — transposes
 * folded into matrix products, kernels fused — and the same for the bodies and
 * branches of the control-flow equations inside it (which run many times).
 * Transformations never see the result: they read the program before this step.
 */
import { ClosedJaxpr, Jaxpr, type JaxprEqn } from "../ir/jaxpr.js";
import { foldTransposedDots } from "../ir/passes.js";
import { fuseKernels } from "./fusion.js";

/** Control-flow primitives whose sub-programs (ClosedJaxpr params) are only ever evaluated. */
const CONTROL_FLOW = new Set(["cond", "while", "scan"]);

export function compileProgram(jaxpr: Jaxpr): Jaxpr {
  const eqns = jaxpr.eqns.map((e) => (CONTROL_FLOW.has(e.prim.name) ? compileBodies(e) : e));
  const rewritten = eqns.some((e, i) => e !== jaxpr.eqns[i])
    ? new Jaxpr(jaxpr.constvars, jaxpr.invars, eqns, jaxpr.outvars)
    : jaxpr;
  return fuseKernels(foldTransposedDots(rewritten));
}

const compileClosed = (c: ClosedJaxpr) => new ClosedJaxpr(compileProgram(c.jaxpr), c.consts);

function compileBodies(e: JaxprEqn): JaxprEqn {
  const params: Record<string, unknown> = { ...(e.params as Record<string, unknown>) };
  for (const [key, value] of Object.entries(params)) {
    if (value instanceof ClosedJaxpr) params[key] = compileClosed(value);
    else if (Array.isArray(value) && value.every((v) => v instanceof ClosedJaxpr))
      params[key] = value.map(compileClosed);
  }
  return { ...e, params };
}
