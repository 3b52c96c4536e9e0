/**
 * The real-GPU measurement of issue 11 item 8, in one run (bench/gpu-device.sh starts it with the NVIDIA Vulkan
 * driver selected): cotangent on webgpu through Dawn, W1 at 1024² and 4096² in TFLOP/s, W2 and W5 in ms per call,
 * W3 in steps per second. Targets: W1 4096² ≥ 8 TFLOP/s, W3 ≥ 1,800 steps/s.
 *
 *   node --import tsx bench/gpu-device.ts [--sizes 1024,4096]
 *
 * W1 times products queued back to back with one 8-element read at the end (what a GPU program does between reads),
 * and checks those 8 entries against float64 dot products. W2 and W5 read every output of every call, as
 * `npm run bench` does. W3 is a training loop: one jitted SGD step, then `await loss.data()` each step (the
 * parameters stay on the GPU), and also the bench's form that reads every parameter back each step.
 */
import { config, init, jit, lax, numpy as np, tree, valueAndGrad, type Array as JArray } from "../src/index.js";
import { timeAsync, timingSettings } from "./harness.js";
import { mlpLoss, workloadsWith, type Layer } from "./peers/cotangent.js";
import { onGpu } from "./peers/cotangent-webgpu.js";
import { describeAdapter } from "./peers/webgpu-adapter.js";
import { LEARNING_RATE, mlpBatch, mlpInit, type Readout, type WorkloadName } from "./peers/workloads.js";

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};
const sizes = (arg("sizes") ?? "1024,4096").split(",").map(Number);

/** Median per call in µs, with the bench's settings scaled to one call's cost. */
async function medianUs(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  await fn();
  const t0 = performance.now();
  await fn();
  return (await timeAsync(fn, timingSettings((performance.now() - t0) * 1000))).medianUs;
}

/** W1: N×N products, `reps` in a row, then the first 8 entries of the last one read back. */
async function matmul(n: number): Promise<string> {
  const a = Float32Array.from({ length: n * n }, (_, i) => Math.sin(i));
  const b = Float32Array.from({ length: n * n }, (_, i) => Math.cos(i));
  const [ga, gb] = [onGpu(np.asArray(a).reshape([n, n])), onGpu(np.asArray(b).reshape([n, n]))];
  const corner = (c: JArray): Promise<ArrayLike<number>> => lax.slice(c, [0, 0], [1, 8]).data();
  // float64 references for those 8 entries; the error bound per entry is γ_n·Σ_k|a_0k·b_kj| (n·2^-24 relative).
  const want = Array.from({ length: 8 }, (_, j) => {
    let [sum, abs] = [0, 0];
    for (let k = 0; k < n; k++) [sum, abs] = [sum + a[k] * b[k * n + j], abs + Math.abs(a[k] * b[k * n + j])];
    return { sum, abs };
  });
  const got = await corner(np.matmul(ga, gb));
  const worst = Math.max(...want.map((w, j) => Math.abs(got[j] - w.sum) / w.abs));
  let reps = 1;
  const run = async (): Promise<void> => {
    let c = np.matmul(ga, gb);
    for (let r = 1; r < reps; r++) c = np.matmul(ga, gb);
    await corner(c);
  };
  // Enough products per timed call to last about 0.2 s (one read's latency then costs little).
  for (let t = 0; t < 0.2 && reps < 256; reps *= 2) {
    const t0 = performance.now();
    await run();
    t = (performance.now() - t0) / 1000;
    if (t >= 0.2) break;
  }
  const us = (await medianUs(run)) / reps;
  const tflops = (2 * n ** 3) / (us * 1e-6) / 1e12;
  return (
    `W1 matmul ${n}×${n}: ${tflops.toPrecision(3)} TFLOP/s (${(us / 1000).toFixed(3)} ms per product, ${reps} per read); ` +
    `8 entries within ${worst.toExponential(1)}·Σ|a·b| of float64 (bound ${((n * 2 ** -24) / (1 - n * 2 ** -24)).toExponential(1)})`
  );
}

/** W3 as a training loop: the jitted step, then only the loss read back. */
async function trainingLoop(): Promise<string> {
  let params: Layer[] = mlpInit().map((l) => ({
    w: onGpu(np.asArray(l.w).reshape([l.fanIn, l.fanOut])),
    b: onGpu(np.asArray(l.b)),
  }));
  const batch = mlpBatch();
  const x = onGpu(np.asArray(batch.x).reshape([-1, params[0].w.shape[0]]));
  const y = onGpu(np.asArray(batch.y).reshape([x.shape[0], -1]));
  const step = jit((p: Layer[], xb: JArray, yb: JArray) => {
    const [loss, g] = valueAndGrad(mlpLoss)(p, xb, yb);
    return { loss, next: tree.map((w: JArray, dw: JArray) => np.subtract(w, np.multiply(LEARNING_RATE, dw)), p, g) };
  });
  const first = (await step(params, x, y).loss.data())[0];
  const us = await medianUs(async () => {
    const { loss, next } = step(params, x, y);
    params = next as Layer[];
    return loss.data();
  });
  const last = (await step(params, x, y).loss.data())[0];
  return `W3 MLP SGD step, loss read each step: ${(1e6 / us).toPrecision(4)} steps/s (${(us / 1000).toFixed(3)} ms; loss ${first.toFixed(4)} → ${last.toFixed(4)})`;
}

const adapter = await describeAdapter();
console.log(`adapter: ${adapter.description}${adapter.software ? " (SOFTWARE: not a GPU; figures mean nothing)" : ""}`);
await init("webgpu");
config.update("platform", "webgpu");
console.log(`Node ${process.version}, ${new Date().toISOString()}`);
for (const n of sizes) console.log(await matmul(n));

const workloads = workloadsWith<Promise<Readout>>((...xs) => Promise.all(xs.map((x) => x.data())), onGpu);
const names: WorkloadName[] = ["W2 forward", "W2 value-and-grad", "W5 grad of custom softplus", "W3 MLP SGD step"];
for (const w of names) {
  const us = await medianUs(workloads.get(w)!);
  const rate = w.startsWith("W3") ? ` = ${(1e6 / us).toPrecision(4)} steps/s, every parameter read back each step` : "";
  console.log(`${w}: ${(us / 1000).toFixed(3)} ms per call${rate}`);
}
console.log(await trainingLoop());
process.exit(0); // the Dawn instance would keep the process alive
