/**
 * `npm run bench:micro`: speed figures (never asserted in tests).
 * Prints the median over timed batches, after a warm-up.
 */
import { grad, jit, numpy as np, type Array } from "../src/index.js";
import { fmtUs, time } from "./harness.js";

function row(name: string, fn: () => unknown): void {
  const t = time(fn);
  console.log(`${name.padEnd(58)} ${fmtUs(t.medianUs).padStart(12)}  (min ${fmtUs(t.minUs)})`);
}

console.log(`cotangent benchmarks — Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);

// W4: grad(x => x·sin(x)) on a scalar, eager and jitted (µs per call).
const f = (x: Array | number) => np.multiply(x, np.sin(x));
const df = grad(f);
const jdf = jit(grad(f));
const x0 = np.array(1.0);
row("W4 grad(x·sin x), scalar, eager", () => df(x0));
row("W4 grad(x·sin x), scalar, jit", () => jdf(x0));
row("    one eager op: np.sin(scalar)", () => np.sin(x0));

// Elementwise and reduction throughput on 1,000,000 float32.
const big = np.linspace(-3, 3, 1_000_000);
const w2 = (x: Array) => np.sum(np.multiply(np.log1p(np.exp(np.add(np.multiply(np.sin(x), x), 1))), 0.5));
row("W2 sum(log1p(exp(sin(x)·x + 1))·0.5), 1e6 f32, eager", () => w2(big));
row("W2 value-and-grad, 1e6 f32, eager", () => grad(w2)(big));

// Matrix multiply.
const a = np.ones([256, 256]);
row("matmul 256×256 f32", () => np.matmul(a, a));
