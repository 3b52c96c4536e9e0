/**
 * `npm run bench:training`: memory of a long jitted training loop. A small MLP
 * (64-128-10, batch 32) takes 10,000 SGD steps through one jitted
 * value-and-grad step; the resident set and the array memory are printed at the
 * start, along the way and at the end. Memory that grows with the number of
 * steps would be a leak (of compiled programs, kernels, worker buffers or arrays).
 * A figure, not a test.
 */
import { jit, nn, numpy as np, tree, valueAndGrad, type Array } from "../src/index.js";

type Layer = { w: Array; b: Array };

function init(sizes: number[]): Layer[] {
  return sizes.slice(1).map((out, i) => {
    const fanIn = sizes[i];
    const w = np.reshape(np.multiply(np.sin(np.arange(fanIn * out)), 1 / Math.sqrt(fanIn)), [fanIn, out]);
    return { w, b: np.zeros([out]) };
  });
}

function loss(params: Layer[], x: Array, y: Array): Array {
  let h = x;
  params.forEach(({ w, b }, i) => {
    h = np.add(np.matmul(h, w), b);
    if (i < params.length - 1) h = nn.relu(h);
  });
  return np.negative(np.mean(np.sum(np.multiply(nn.logSoftmax(h), y), { axis: -1 })));
}

const step = jit((params: Layer[], x: Array, y: Array) => {
  const [l, g] = valueAndGrad(loss)(params, x, y);
  return [l, tree.map((p: Array, d: Array) => np.subtract(p, np.multiply(0.05, d)), params, g) as Layer[]] as const;
});

const mb = (n: number) => `${(n / 2 ** 20).toFixed(1).padStart(7)} MB`;
function report(label: string): void {
  const m = process.memoryUsage();
  console.log(`${label.padEnd(14)} rss ${mb(m.rss)}   heapUsed ${mb(m.heapUsed)}   arrayBuffers ${mb(m.arrayBuffers)}`);
}

const x = np.reshape(np.cos(np.arange(32 * 64)), [32, 64]);
const y = nn.oneHot(np.remainder(np.arange(32), 10), 10);
let params = init([64, 128, 10]);
const gc = (globalThis as { gc?: () => void }).gc;
const STEPS = 10_000;
report("start");
let last = 0;
for (let i = 1; i <= STEPS; i++) {
  const [l, next] = step(params, x, y);
  params = next as Layer[];
  if (i % 2500 === 0) {
    last = l.item() as number;
    gc?.();
    report(`step ${i}`);
  }
}
console.log(`loss after ${STEPS} steps: ${last.toFixed(6)}; compiled programs: ${step.cacheSize()}`);
