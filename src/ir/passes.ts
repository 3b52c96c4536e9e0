/**
 * Jaxpr passes: constant folding, dead-code elimination, common-subexpression
 * elimination, and folding transposes into matrix products.
 * Every primitive is pure, so an equation whose outputs are unused can go, and
 * two equations with the same primitive, inputs and params compute the same values.
 */
import { readValues } from "../core/array.js";
import { evalTrace, withTrace } from "../core/trace.js";
import { ClosedJaxpr, evalJaxpr, Jaxpr, Literal, Var, type Atom, type JaxprEqn } from "./jaxpr.js";

/** Drops equations whose outputs no output depends on. */
export function dce(jaxpr: Jaxpr): Jaxpr {
  const live = new Set<Var>();
  for (const a of jaxpr.outvars) if (a instanceof Var) live.add(a);
  const kept: JaxprEqn[] = [];
  for (let i = jaxpr.eqns.length - 1; i >= 0; i--) {
    const e = jaxpr.eqns[i];
    if (!e.outvars.some((v) => live.has(v))) continue;
    kept.push(e);
    for (const a of e.inputs) if (a instanceof Var) live.add(a);
  }
  kept.reverse();
  return new Jaxpr(jaxpr.constvars, jaxpr.invars, kept, jaxpr.outvars);
}

function paramsKey(params: object): string | null {
  try {
    return JSON.stringify(params, (_k, v) => {
      if (typeof v === "function" || (typeof v === "object" && v !== null && ("eqns" in v || "jaxpr" in v)))
        throw new Error("opaque");
      return v;
    });
  } catch {
    return null;
  }
}

/** Replaces repeated equations (same primitive, inputs and params) by the first one. */
export function cse(jaxpr: Jaxpr): Jaxpr {
  const rename = new Map<Var, Var>();
  const ids = new Map<Var, number>();
  let next = 0;
  const id = (a: Atom): string => {
    if (a instanceof Literal) return `L${a.aval.str()}:${String(readValues(a.value)[0])}:${a.aval.weakType}`;
    const v = rename.get(a) ?? a;
    if (!ids.has(v)) ids.set(v, next++);
    return `V${ids.get(v)}`;
  };
  const seen = new Map<string, Var[]>();
  const eqns: JaxprEqn[] = [];
  for (const e of jaxpr.eqns) {
    const inputs = e.inputs.map((a) => (a instanceof Var ? (rename.get(a) ?? a) : a));
    const pk = paramsKey(e.params);
    const key = pk === null ? null : `${e.prim.name}|${inputs.map(id).join(",")}|${pk}`;
    const prev = key === null ? undefined : seen.get(key);
    if (prev) {
      e.outvars.forEach((v, i) => rename.set(v, prev[i]));
      continue;
    }
    if (key !== null) seen.set(key, e.outvars);
    eqns.push({ ...e, inputs });
  }
  const outvars = jaxpr.outvars.map((a) => (a instanceof Var ? (rename.get(a) ?? a) : a));
  return new Jaxpr(jaxpr.constvars, jaxpr.invars, eqns, outvars);
}

/** The passes every staged program goes through: constant folding, CSE, DCE. */
export function optimize(jaxpr: Jaxpr): Jaxpr {
  return dce(cse(foldConstants(jaxpr)));
}

/** DCE, then drops constants nothing uses any more (so their values can be freed). */
export function dceClosed(closed: ClosedJaxpr): ClosedJaxpr {
  const j = dce(closed.jaxpr);
  const used = new Set<Var>();
  for (const e of j.eqns) for (const a of e.inputs) if (a instanceof Var) used.add(a);
  for (const a of j.outvars) if (a instanceof Var) used.add(a);
  const keep = j.constvars.map((v) => used.has(v));
  return new ClosedJaxpr(
    new Jaxpr(
      j.constvars.filter((_, i) => keep[i]),
      j.invars,
      j.eqns,
      j.outvars,
    ),
    closed.consts.filter((_, i) => keep[i]),
  );
}

/**
 * transpose(dot_general(a, b)) → dot_general(b, a) where the transpose only
 * swaps the operands' free axes (no batch axes): (A·B)ᵀ = Bᵀ·Aᵀ. Reverse mode
 * produces this pattern for every weight gradient (xᵀ·g, transposed back into
 * the weight's layout); the swapped product writes that layout directly, with
 * the same products summed in the same order, so the values are identical.
 * Only applied where the transpose is the product's sole use.
 */
export function foldTransposedDots(jaxpr: Jaxpr): Jaxpr {
  const uses = new Map<Var, number>();
  const count = (a: Atom) => a instanceof Var && uses.set(a, (uses.get(a) ?? 0) + 1);
  jaxpr.eqns.forEach((e) => e.inputs.forEach(count));
  jaxpr.outvars.forEach(count);
  const producer = new Map<Var, JaxprEqn>();
  const atTranspose = new Map<JaxprEqn, JaxprEqn>(); // transpose equation → the swapped product
  const dropped = new Set<JaxprEqn>(); // products now computed at their transpose
  for (const e of jaxpr.eqns) {
    e.outvars.forEach((v) => producer.set(v, e));
    const src = e.inputs[0];
    if (e.prim.name !== "transpose" || !(src instanceof Var) || uses.get(src) !== 1) continue;
    const dot = producer.get(src);
    const swapped =
      dot?.prim.name === "dot_general" ? swappedDot(dot, (e.params as { permutation: number[] }).permutation) : null;
    if (dot && swapped) {
      atTranspose.set(e, { ...swapped, outvars: e.outvars });
      dropped.add(dot);
    }
  }
  if (dropped.size === 0) return jaxpr;
  const eqns = jaxpr.eqns.filter((e) => !dropped.has(e)).map((e) => atTranspose.get(e) ?? e);
  return new Jaxpr(jaxpr.constvars, jaxpr.invars, eqns, jaxpr.outvars);
}

/** dot_general(b, a) computing the transpose `perm` of dot_general(a, b), if it is the free-axes swap. */
function swappedDot(dot: JaxprEqn, perm: number[]): JaxprEqn | null {
  const { contracting, batch } = dot.params as { contracting: [number[], number[]]; batch: [number[], number[]] };
  if (batch[0].length > 0) return null;
  const [l, r] = dot.inputs;
  const lFree = l.aval.ndim - contracting[0].length;
  const rFree = r.aval.ndim - contracting[1].length;
  const swap = [...Array.from({ length: rFree }, (_, i) => lFree + i), ...Array.from({ length: lFree }, (_, i) => i)];
  if (perm.length !== swap.length || perm.some((p, i) => p !== swap[i])) return null;
  const params = { contracting: [contracting[1], contracting[0]], batch: [[], []] };
  return { prim: dot.prim, inputs: [r, l], params, outvars: [] };
}

/** Largest result (in elements) that constant folding computes at compile time and keeps as a literal. */
const FOLD_MAX_SIZE = 1;

/**
 * Constant folding: an equation whose inputs are all literals is computed once,
 * at compile time, and its (scalar) results become literals of the equations
 * that read them — `mul 1.0 -1.0` and the chains of scalar arithmetic that
 * differentiation leaves behind cost nothing when the program runs.
 */
export function foldConstants(jaxpr: Jaxpr): Jaxpr {
  const known = new Map<Var, Literal>();
  const subst = (a: Atom): Atom => (a instanceof Var ? (known.get(a) ?? a) : a);
  const eqns: JaxprEqn[] = [];
  for (const e of jaxpr.eqns) {
    const inputs = e.inputs.map(subst);
    const foldable =
      inputs.every((a) => a instanceof Literal) &&
      e.outvars.every((v) => v.aval.size <= FOLD_MAX_SIZE) &&
      paramsKey(e.params) !== null; // no sub-programs or functions
    if (foldable) {
      // Evaluated now, whatever trace is current: the operands are constants (a program
      // optimised inside jit, vmap or a loop body must not record them on the enclosing trace).
      const outs = withTrace(evalTrace, () => evalJaxpr(new Jaxpr([], [], [{ ...e, inputs }], e.outvars), [], []));
      e.outvars.forEach((v, i) => known.set(v, new Literal(outs[i])));
      continue;
    }
    eqns.push({ ...e, inputs });
  }
  if (known.size === 0) return jaxpr;
  return new Jaxpr(jaxpr.constvars, jaxpr.invars, eqns, jaxpr.outvars.map(subst));
}
