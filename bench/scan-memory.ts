/**
 * Memory of reverse mode through a long scan, with and without `checkpoint` on the body (a figure, not a test).
 *
 * A 10,000-step scan whose body is a small residual MLP on a vector of 256 float32:
 *   h ← 0.99·h + 0.01·tanh(W2·relu(W1·h + b1) + b2)
 * differentiated with respect to the parameters and the initial state. For each variant it prints
 *  - the residuals reverse mode saves (`savedResiduals`): count, per-step (stacked) bytes and total bytes;
 *  - the process's memory (`process.memoryUsage()`): before, after the forward pass (the residuals held by
 *    the VJP closure), and after the backward pass (the gradient computed, the closure dropped);
 *  - the time of the forward and backward passes;
 * and how closely the two gradients agree.
 *
 * Every figure is taken after a full garbage collection (exposed through v8's flags), so that it counts live
 * memory. Typed-array data (all array values) shows under `arrayBuffers`, not `heapUsed`.
 *
 * Run: npx tsx bench/scan-memory.ts
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { checkpoint, lax, numpy as np, savedResiduals, vjp, type Array as NdArray } from "../src/index.js";

const STEPS = 10_000;
const N = 256;
const HIDDEN = 256;

/** Deterministic pseudo-random values in [-scale, scale). */
function values(count: number, seed: number, scale: number): number[] {
  let a = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out.push((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 * scale - scale);
  }
  return out;
}

interface Params {
  W1: NdArray;
  b1: NdArray;
  W2: NdArray;
  b2: NdArray;
}

const params: Params = {
  W1: np.reshape(np.array(values(HIDDEN * N, 1, 1 / Math.sqrt(N))), [HIDDEN, N]),
  b1: np.array(values(HIDDEN, 2, 0.1)),
  W2: np.reshape(np.array(values(N * HIDDEN, 3, 1 / Math.sqrt(HIDDEN))), [N, HIDDEN]),
  b2: np.array(values(N, 4, 0.1)),
};
const h0 = np.array(values(N, 5, 1));

const body =
  (p: Params) =>
  (h: NdArray, _x: null): [NdArray, null] => {
    const pre = np.add(np.matmul(p.W1, h), p.b1);
    const hidden = np.maximum(pre, 0);
    const out = np.tanh(np.add(np.matmul(p.W2, hidden), p.b2));
    return [np.add(np.multiply(0.99, h), np.multiply(0.01, out)), null];
  };

/** loss = Σ h_T² after STEPS steps of the body (checkpointed or not). */
const loss =
  (useCheckpoint: boolean) =>
  (p: Params, h: NdArray): NdArray => {
    const f = useCheckpoint ? checkpoint(body(p)) : body(p);
    const [hT] = lax.scan(f, h, null, { length: STEPS });
    return np.sum(np.square(hT));
  };

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as (() => void) | undefined;
const MB = (b: number) => `${(b / 2 ** 20).toFixed(1).padStart(8)} MB`;

interface Snapshot {
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
}
function snapshot(): Snapshot {
  // Array buffers' backing stores are released after the collection that finds them dead: collect twice.
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers };
}
const showSnap = (label: string, s: Snapshot) =>
  console.log(
    `    ${label.padEnd(34)} rss ${MB(s.rss)}   heapUsed ${MB(s.heapUsed)}   arrayBuffers ${MB(s.arrayBuffers)}`,
  );

interface Held {
  value: NdArray;
  pullback: (ct: NdArray) => [Params, NdArray];
}
function forwardPass(f: (p: Params, h: NdArray) => NdArray): Held {
  const [value, pullback] = vjp(f, params, h0);
  return { value, pullback: pullback as unknown as Held["pullback"] };
}

function run(useCheckpoint: boolean): { grads: [Params, NdArray]; value: number } {
  const name = useCheckpoint ? "with checkpoint(body)" : "without checkpoint";
  console.log(`\n${name}`);
  const f = loss(useCheckpoint);
  const res = savedResiduals(f, params, h0);
  const stacked = res.filter((r) => r.aval.shape[0] === STEPS);
  const total = res.reduce((s, r) => s + r.bytes, 0);
  const stackedBytes = stacked.reduce((s, r) => s + r.bytes, 0);
  console.log(
    `  savedResiduals: ${res.length} residuals, ${MB(total).trim()} in total; ` +
      `${stacked.length} stacked per step (${MB(stackedBytes).trim()}, ${(stackedBytes / STEPS).toFixed(0)} bytes/step):`,
  );
  for (const r of stacked) console.log(`    ${r.aval.str().padEnd(16)} ${MB(r.bytes)}  ${r.source}`);
  const before = snapshot();
  showSnap("before", before);
  const t0 = performance.now();
  // The forward pass in its own frame, so that nothing but `held` keeps the VJP closure (and its residuals) alive.
  let held: Held | null = forwardPass(f);
  const t1 = performance.now();
  const forward = snapshot();
  showSnap("after the forward pass (held)", forward);
  const grads = held.pullback(np.onesLike(held.value));
  const t2 = performance.now();
  const v = Array.from(held.value.dataSync() as ArrayLike<number>)[0];
  held = null;
  const after = snapshot();
  showSnap("after the gradient", after);
  console.log(
    `    forward + residuals: ${MB(forward.rss - before.rss).trim()} rss, ` +
      `${MB(forward.arrayBuffers - before.arrayBuffers).trim()} array buffers; ` +
      `time forward ${((t1 - t0) / 1000).toFixed(2)} s, backward ${((t2 - t1) / 1000).toFixed(2)} s`,
  );
  return { grads, value: v };
}

console.log(
  `Reverse mode through lax.scan: ${STEPS} steps, h ∈ f32[${N}], W1 f32[${HIDDEN},${N}], W2 f32[${N},${HIDDEN}]` +
    ` — Node ${process.version}${gc ? "" : " (no gc: figures include garbage)"}`,
);

const plain = run(false);
const ck = run(true);

const flat = (g: [Params, NdArray]): number[] =>
  [g[0].W1, g[0].b1, g[0].W2, g[0].b2, g[1]].flatMap((a) => Array.from(a.dataSync() as ArrayLike<number>));
const a = flat(plain.grads);
const b = flat(ck.grads);
let maxAbs = 0;
let maxRel = 0;
let scale = 0;
for (let i = 0; i < a.length; i++) {
  const d = Math.abs(a[i] - b[i]);
  maxAbs = Math.max(maxAbs, d);
  scale = Math.max(scale, Math.abs(a[i]));
  if (Math.abs(a[i]) > 1e-3) maxRel = Math.max(maxRel, d / Math.abs(a[i]));
}
console.log(
  `\ngradient agreement (${a.length} entries): loss ${plain.value} vs ${ck.value}; ` +
    `max |Δ| = ${maxAbs.toExponential(2)} (largest |g| = ${scale.toExponential(2)}), ` +
    `max relative Δ over |g| > 1e-3 = ${maxRel.toExponential(2)}` +
    `${a.every((x, i) => x === b[i]) ? " — bit-for-bit equal" : ""}`,
);
