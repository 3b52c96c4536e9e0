/**
 * Control flow on webgpu, eager and under jit: scan and foriLoop run their steps
 * on the GPU; cond, whose index cannot be read back synchronously there, runs
 * every branch and selects (as under vmap); whileLoop, whose predicate must be
 * read before each step, is a typed error naming the ways out. Same adapter and
 * skip rule as tests/webgpu.test.ts (COTANGENT_NO_WEBGPU=1 skips it).
 *
 * Tolerance: the programs below are a handful of float32 adds and multiplies on
 * values whose float32 results are exact or within a few ulps on any adapter;
 * results are compared with cpu's within 4 ulps (relative 2^-21).
 */
import { describe, expect, it } from "vitest";
import {
  checkpoint,
  config,
  customJvp,
  customVjp,
  grad,
  jit,
  lax,
  nn,
  numpy as np,
  vmap,
  WebGpuError,
  type Array as JaxArray,
} from "../src/index.js";
import { useWebGpu } from "./helpers/webgpu-everywhere.js";

const SKIP = process.env.COTANGENT_NO_WEBGPU === "1";

type Program = (x: JaxArray) => JaxArray;

/** `f(x)` on webgpu (read back asynchronously) and on cpu, from the same host values. */
async function onBoth(f: Program, xs: number[]): Promise<[number[], number[]]> {
  config.update("platform", "webgpu");
  const y = f(np.array(xs, "float32"));
  expect(y._buffer!.platform).toBe("webgpu");
  const gpu = Array.from((await y.data()) as Float32Array);
  config.update("platform", "cpu");
  const cpu = Array.from(f(np.array(xs, "float32")).dataSync() as Float32Array);
  config.update("platform", "webgpu");
  return [gpu, cpu];
}

function expectClose(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(2 ** -21 * Math.max(1, Math.abs(want[i]))));
}

const xs = [0.5, -1.25, 2, 3.5, -0.75];

describe.skipIf(SKIP)("control flow on webgpu", () => {
  useWebGpu("tests/webgpu-control.test.ts");

  const scanSum: Program = (a) =>
    lax.scan((c: JaxArray, v: JaxArray) => [c.mul(0.5).add(v), c.mul(v)], np.zeros([5]), np.stack([a, a.mul(2), a]))[0];
  const fori: Program = (a) => lax.foriLoop(0, 6, (_i: JaxArray, c: JaxArray) => c.mul(0.75).add(a), a);
  const choose: Program = (a) =>
    lax.cond(
      np.greater(np.sum(a), 3),
      (b: JaxArray) => b.mul(2),
      (b: JaxArray) => b.sub(1),
      a,
    ) as JaxArray;
  const chooseOther: Program = (a) =>
    lax.cond(
      np.greater(np.sum(a), 100),
      (b: JaxArray) => b.mul(2),
      (b: JaxArray) => np.sin(b),
      a,
    ) as JaxArray;
  const switched: Program = (a) =>
    lax.switch(
      np.argmax(a),
      [(b: JaxArray) => b.add(1), (b: JaxArray) => b.mul(b), (b: JaxArray) => np.exp(b)],
      a,
    ) as JaxArray;

  for (const [name, f] of Object.entries({
    scan: scanSum,
    foriLoop: fori,
    cond: choose,
    "cond (false)": chooseOther,
  })) {
    it(`${name}: eager and under jit, equal to cpu, results on the GPU`, async () => {
      const [gpu, cpu] = await onBoth(f, xs);
      expectClose(gpu, cpu);
      const [gpuJit, cpuJit] = await onBoth(jit(f), xs);
      expectClose(gpuJit, cpuJit);
      expectClose(gpuJit, cpu);
    });
  }

  it("switch with an index computed on the GPU picks the same branch as cpu (here 3 ≤ index: clamped to the last)", async () => {
    const [gpu, cpu] = await onBoth(jit(switched), xs);
    expectClose(gpu, cpu);
    expectClose(
      cpu,
      xs.map((v) => Math.fround(Math.exp(v))),
    );
  });

  it("differentiates through scan and cond under jit, and vmaps cond", async () => {
    const loss = (a: JaxArray): JaxArray => np.sum(choose(scanSum(a)).mul(a));
    const [gpu, cpu] = await onBoth(jit(grad(loss)), xs);
    expectClose(gpu, cpu);
    const rows: Program = (a) => vmap(choose)(np.stack([a, a.mul(-1), a.mul(3)]));
    const [gv, cv] = await onBoth(jit(rows), xs);
    expectClose(gv, cv);
  });

  it("custom rules (customJvp, customVjp) and checkpoint under grad, vmap and jit, equal to cpu", async () => {
    const softplus = customJvp((x: JaxArray) => np.log1p(np.exp(x)));
    softplus.defjvp(([x]: JaxArray[], [t]: JaxArray[]) => [softplus(x), t.mul(nn.sigmoid(x))]);
    const clipGrad = customVjp((x: JaxArray) => x);
    clipGrad.defvjp(
      (x: JaxArray) => [x, null],
      (_res: unknown, g: JaxArray) => [np.clip(g, -1, 1)],
    );
    const programs: Program[] = [
      jit(grad((a: JaxArray) => np.sum(softplus(a)))),
      vmap(grad((a: JaxArray) => softplus(a) as JaxArray)),
      jit(grad((a: JaxArray) => np.sum(clipGrad(a).mul(a).mul(3)))),
      jit(grad((a: JaxArray) => np.sum(checkpoint((b: JaxArray) => np.sin(np.sin(b)))(a)))),
    ];
    for (const f of programs) {
      const [gpu, cpu] = await onBoth(f, xs);
      expectClose(gpu, cpu);
    }
    // The custom jvp's sigmoid, not the chain rule through log1p(exp(x)): equal to σ(x) in float32.
    const [sig] = await onBoth(programs[0], xs);
    expectClose(
      sig,
      xs.map((v) => Math.fround(1 / (1 + Math.exp(-v)))),
    );
    // The clipped cotangent: 3·a clipped to [-1, 1], plus 3·a from the product rule.
    const [clipped] = await onBoth(programs[2], xs);
    expectClose(
      clipped,
      xs.map((v) => Math.fround(Math.max(-1, Math.min(1, 3 * v)) + 3 * v)),
    );
  });

  it("whileLoop: a typed error naming foriLoop/scan and cpu/wasm, eager and under jit", () => {
    config.update("platform", "webgpu");
    const loop: Program = (a) =>
      lax.whileLoop(
        (c: JaxArray) => np.less(np.sum(c), 100),
        (c: JaxArray) => c.mul(2).add(1),
        a,
      );
    const message =
      "[whileLoop] the loop's predicate cannot be read on this device: got a predicate in webgpu memory, " +
      "expected one the host can read before each step (WebGPU reads back only asynchronously). " +
      "Give the loop a fixed number of steps (lax.foriLoop or lax.scan, keeping finished steps with np.where), " +
      'or run it on cpu or wasm (config.update("platform", "wasm")).';
    for (const f of [loop, jit(loop)]) {
      const x = np.array(xs, "float32");
      expect(() => f(x)).toThrow(WebGpuError);
      expect(() => f(x)).toThrow(message);
    }
    // A loop over values in JS memory whose predicate stays on the host still runs on webgpu's platform.
    const counted = lax.whileLoop(
      (c: JaxArray) => np.less(c, 5),
      (c: JaxArray) => c.add(1),
      np.array(0, "int32"),
    );
    expect(counted.item()).toBe(5);
  });
});
