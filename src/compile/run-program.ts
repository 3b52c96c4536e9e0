/**
 * Running a compiled program: its equations in order, with every intermediate
 * array's buffer given back to the program's pool when its last reader has run,
 * so that later kernels — in this call or the next — write into it instead of
 * into freshly allocated memory (core/buffers.ts).
 *
 * A buffer is given back only if a kernel of this run was handed it
 * (`outputBuffer`) and no live variable still reads it (reshape shares its
 * operand's buffer, so buffers are counted per reader). Inputs, constants and
 * outputs of the program are never given back.
 *
 * Buffers a backend keeps in its own memory during a run (scoped buffers,
 * core/buffers.ts `scopedBuffers`) are counted the same way and disposed after
 * their last reader; the outermost program moves those among its results to JS
 * memory and disposes the rest when it ends, even when it throws.
 */
import type { NdArray } from "../core/array.js";
import type { DeviceBuffer, ScopedBuffer } from "../core/buffer.js";
import {
  BufferPool,
  handedOver,
  poolableBuffer,
  scopedBufferOf,
  scopedBuffers,
  withBufferPool,
} from "../core/buffers.js";
import { bind } from "../core/trace.js";
import { Literal, Var, type Atom, type Jaxpr } from "../ir/jaxpr.js";

interface Plan {
  /** For each equation, the variables read for the last time by it. */
  dying: Var[][];
  pool: BufferPool;
}

const plans = new WeakMap<Jaxpr, Plan>();

function planOf(jaxpr: Jaxpr): Plan {
  let plan = plans.get(jaxpr);
  if (plan === undefined) {
    const last = new Map<Var, number>();
    jaxpr.eqns.forEach((e, i) => e.inputs.forEach((a) => a instanceof Var && last.set(a, i)));
    for (const a of jaxpr.outvars) if (a instanceof Var) last.delete(a); // outputs live on
    const dying: Var[][] = jaxpr.eqns.map(() => []);
    for (const [v, i] of last) dying[i].push(v);
    plan = { dying, pool: new BufferPool() };
    plans.set(jaxpr, plan);
  }
  return plan;
}

export function runProgram(jaxpr: Jaxpr, args: NdArray[]): NdArray[] {
  const { dying, pool } = planOf(jaxpr);
  const env = new Map<Var, NdArray>();
  const read = (a: Atom): NdArray => (a instanceof Literal ? a.value : env.get(a)!);
  jaxpr.invars.forEach((v, i) => env.set(v, args[i]));
  const handed = new Set<ArrayBuffer>();
  const outer = scopedBuffers();
  const scoped = outer ?? new Set<ScopedBuffer>();
  const readers = new Map<ArrayBuffer | DeviceBuffer, number>();
  /** What is given back when x's last reader has run: JS memory handed out in this run, or a scoped buffer. */
  const owned = (x: NdArray): ArrayBuffer | DeviceBuffer | null => {
    const s = scopedBufferOf(x, scoped);
    if (s !== null) return s;
    const b = poolableBuffer(x);
    return b !== null && handed.has(b) ? b : null;
  };
  const giveBack = (b: ArrayBuffer | DeviceBuffer) => {
    if (b instanceof ArrayBuffer) return pool.give(b);
    scoped.delete(b as ScopedBuffer);
    b.dispose();
  };
  try {
    return withBufferPool(pool, handed, scoped, () => {
      jaxpr.eqns.forEach((eqn, i) => {
        const outs = bind(eqn.prim, eqn.inputs.map(read), eqn.params);
        eqn.outvars.forEach((v, k) => {
          env.set(v, outs[k]);
          const b = owned(outs[k]);
          if (b) readers.set(b, (readers.get(b) ?? 0) + 1);
        });
        for (const v of dying[i]) {
          const b = owned(env.get(v)!);
          env.delete(v);
          if (b === null) continue;
          const left = readers.get(b)! - 1;
          if (left > 0) readers.set(b, left);
          else {
            readers.delete(b);
            giveBack(b);
          }
        }
      });
      const outs = jaxpr.outvars.map(read);
      // The outermost program hands its results over in JS memory (recycled from its pool); nested ones leave that to it.
      if (outer !== null) return outs;
      return outs.map((x) => handedOver(x, scoped));
    });
  } finally {
    if (outer === null) for (const b of scoped) b.dispose();
  }
}

/** The buffer pool of a program that has run (for tests and memory reports). */
export const programPool = (jaxpr: Jaxpr): BufferPool | undefined => plans.get(jaxpr)?.pool;
