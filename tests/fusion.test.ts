import { afterEach, describe, expect, it } from "vitest";
import { config, grad, jit, jvp, makeJaxpr, numpy as np, valueAndGrad, vmap, type Array } from "../src/index.js";
import { onCpu } from "./helpers/platform.js";
import { evalJaxpr, Jaxpr } from "../src/ir/jaxpr.js";
import { fuseKernels } from "../src/compile/fusion.js";
import { getPool } from "../src/backends/wasm/threads.js";

const w2 = (x: Array) => np.sum(np.multiply(np.log1p(np.exp(np.add(np.multiply(np.sin(x), x), 1))), 0.5));
const chain = (x: Array) => np.tanh(np.add(np.multiply(np.exp(np.negative(np.abs(x))), 2), np.cos(x)));
const x = np.linspace(-3, 3, 5000);

/**
 * The wasm kernels are within 1–2 ulp of the correctly rounded value per operation,
 * the cpu kernels within 1 ulp: a 6-operation chain agrees to a few times 2⁻²³ relative.
 */
const REL = 4e-6;
const close = (a: Array, b: Array, rel = REL) => {
  const p = a.dataSync() as Float32Array;
  const q = b.dataSync() as Float32Array;
  expect(p.length).toBe(q.length);
  p.forEach((v, i) => expect(Math.abs(v - q[i])).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(q[i]))));
};
const fused = (f: (x: Array) => Array, arg: Array): Jaxpr => {
  const j = makeJaxpr(f)(arg).jaxpr;
  return fuseKernels(j);
};

describe("elementwise fusion under jit", () => {
  afterEach(() => config.update("platform", "wasm"));

  it("turns a chain of elementwise operations and the sum that consumes it into one fused equation", () => {
    const j = fused(w2, x);
    expect(j.eqns.map((e) => e.prim.name)).toEqual(["fused_kernel"]);
    const sub = j.eqns[0].params as { sub: Jaxpr };
    expect(sub.sub.eqns.map((e) => e.prim.name)).toEqual(["sin", "mul", "add", "exp", "log1p", "mul", "reduce_sum"]);
    // Small arrays are left alone: a pass over them costs less than a kernel call.
    expect(fused(w2, np.ones([10])).eqns.some((e) => e.prim.name === "fused_kernel")).toBe(false);
  });

  it("keeps an intermediate that is used after the chain as an extra output", () => {
    const f = (a: Array) => {
      const s = np.sin(a);
      const t = np.exp(np.multiply(s, 2));
      return np.add(np.sum(t), np.max(s)); // s and t are both read after the chain
    };
    const j = fused(f, x);
    expect(j.eqns[0].prim.name).toBe("fused_kernel");
    expect(j.eqns[0].outvars).toHaveLength(2);
    close(
      jit(f)(x),
      onCpu(() => f(x)),
    );
  });

  it("gives the values of the unfused program, forward and with gradients", () => {
    close(
      jit(w2)(x),
      onCpu(() => w2(x)),
    );
    close(
      jit(chain)(x),
      onCpu(() => chain(x)),
    );
    const [v, g] = jit(valueAndGrad(w2))(x);
    const [vr, gr] = onCpu(() => valueAndGrad(w2)(x));
    close(v, vr);
    close(g, gr);
    close(
      jit(grad((a: Array) => np.sum(chain(a))))(x),
      onCpu(() => grad((a: Array) => np.sum(chain(a)))(x)),
    );
  });

  it("falls back to operation-by-operation evaluation for sin arguments beyond the kernel's range", () => {
    const big = np.add(np.multiply(np.linspace(0, 1, 2048), 3e8), 1e8); // |x| > 2²⁶
    const f = (a: Array) => np.multiply(np.sin(a), np.cos(a));
    close(
      jit(f)(big),
      onCpu(() => f(big)),
      1e-6,
    );
  });

  it("splits large fused loops across the worker threads, with the same bits as one thread", async () => {
    const big = np.linspace(-3, 3, 100_000);
    const f = jit(chain);
    const pool = getPool()!;
    const workers = pool.workers;
    expect(workers).toBeGreaterThanOrEqual(1);
    pool.workers = 0; // the single-thread path
    const single = f(big).dataSync();
    pool.workers = workers;
    await new Promise((resolve) => setTimeout(resolve, 200)); // workers started
    const realRunKernel = pool.runKernel;
    let threads = 0;
    pool.runKernel = (id, argLists) => {
      threads = argLists.length;
      return realRunKernel(id, argLists);
    };
    const parallel = f(big).dataSync();
    pool.runKernel = realRunKernel;
    expect(threads).toBe(workers + 1);
    expect(globalThis.Array.from(parallel)).toEqual(globalThis.Array.from(single));
  });

  it("takes scalars broadcast to the chain's shape into the loop as scalars", () => {
    // The gradient of a sum seeds the backward pass with ones: a broadcast of 1.0.
    const g = (a: Array) => np.sum(np.multiply(np.tanh(a), np.exp(a)));
    const j = fused(grad(g), x);
    const names = j.eqns.map((e) => e.prim.name);
    expect(names).not.toContain("broadcast_in_dim");
    const sub = j.eqns.flatMap((e) => (e.prim.name === "fused_kernel" ? (e.params as { sub: Jaxpr }).sub.eqns : []));
    expect(sub.map((e) => e.prim.name)).toContain("broadcast_in_dim");
    close(
      jit(grad(g))(x),
      onCpu(() => grad(g)(x)),
    );
  });

  it("fused equations differentiate and batch through their sub-jaxpr", () => {
    const j = fused(chain, x);
    const run = (a: Array) => evalJaxpr(j, [], [a])[0];
    const t = np.cos(x);
    close(
      jvp(run, [x], [t])[1],
      onCpu(() => jvp(chain, [x], [t])[1]),
    );
    close(
      grad((a: Array) => np.sum(run(a)))(x),
      onCpu(() => grad((a: Array) => np.sum(chain(a)))(x)),
    );
    const xs = np.reshape(np.linspace(-2, 2, 2 * 5000), [2, 5000]);
    close(
      vmap(run)(xs),
      onCpu(() => vmap(chain)(xs)),
    );
  });
});
