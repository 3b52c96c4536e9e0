/**
 * A browser page that trains a small classifier live and plots its loss:
 * two interleaved half-moons, a 2→16→16→2 network, Adam, every step jitted.
 * Build and open it (any static server; threads need the COOP/COEP headers of
 * docs/browsers.md):
 *
 *   npm run build:browser-example && npx http-server examples/browser
 *
 * `npm run test:browser` opens it in headless Chromium and checks that it learns, on wasm and
 * (index.html?platform=webgpu) on the GPU through WebGPU.
 */
import {
  config,
  defaultBackend,
  grad,
  init as initPlatforms,
  jit,
  nn,
  numpy as np,
  optim,
  random,
  type Array,
} from "../../src/index.js";

type Params = { w1: Array; b1: Array; w2: Array; b2: Array; w3: Array; b3: Array };

/** Two interleaving half circles with Gaussian noise (scikit-learn's make_moons), labels 0 and 1. */
function twoMoons(n: number, noise: number, seed: number): { x: Array; y: Array } {
  const [k1, k2] = random.split(random.key(seed));
  const half = Math.floor(n / 2);
  const t = np.multiply(random.uniform(k1, [n]), Math.PI);
  const upper = np.less(np.arange(n), half);
  const x0 = np.where(upper, np.cos(t), np.subtract(1, np.cos(t)));
  const x1 = np.where(upper, np.sin(t), np.subtract(0.5, np.sin(t)));
  const x = np.add(np.stack([x0, x1], 1), np.multiply(random.normal(k2, [n, 2]), noise));
  return { x, y: np.where(upper, 0, 1).astype("int32") };
}

function init(key: Array): Params {
  const [k1, k2, k3] = random.split(key, 3);
  const glorot = nn.initializers.glorotNormal();
  return {
    w1: glorot(k1, [2, 16]),
    b1: np.zeros([16]),
    w2: glorot(k2, [16, 16]),
    b2: np.zeros([16]),
    w3: glorot(k3, [16, 2]),
    b3: np.zeros([2]),
  };
}

const logits = (p: Params, x: Array) => {
  const h1 = np.tanh(np.add(np.matmul(x, p.w1), p.b1));
  const h2 = np.tanh(np.add(np.matmul(h1, p.w2), p.b2));
  return np.add(np.matmul(h2, p.w3), p.b3);
};
const loss = (p: Params, x: Array, y: Array) =>
  np.mean(optim.losses.softmaxCrossEntropyWithIntegerLabels(logits(p, x), y));

/** Draws the loss curve as an SVG polyline (steps across, log-scaled loss up). */
function plot(svg: SVGSVGElement, losses: number[]): void {
  const [w, h] = [600, 240];
  const logs = losses.map((l) => Math.log10(Math.max(l, 1e-6)));
  const [lo, hi] = [Math.min(...logs), Math.max(...logs)];
  const points = logs.map(
    (l, i) => `${(i / Math.max(1, losses.length - 1)) * w},${h - ((l - lo) / (hi - lo || 1)) * h}`,
  );
  svg.innerHTML = `<polyline fill="none" stroke="#2563eb" stroke-width="2" points="${points.join(" ")}"/>`;
}

async function main(): Promise<void> {
  const status = document.getElementById("status")!;
  const svg = document.getElementById("loss") as unknown as SVGSVGElement;
  // index.html?platform=webgpu trains on the GPU: three lines, and results read with `await x.data()`.
  // ?steps=N trains N steps instead of 400 (software WebGPU adapters are slow).
  const query = new URLSearchParams(location.search);
  const steps = Math.max(2, Math.floor(Number(query.get("steps") ?? 400)) || 400);
  if (query.get("platform") === "webgpu") {
    await initPlatforms("webgpu");
    config.update("platform", "webgpu");
  }
  const { x, y } = twoMoons(256, 0.1, 0);
  let params = init(random.key(1));
  const opt = optim.adam(0.03);
  let state = opt.init(params);
  const step = jit((p: Params, s: typeof state, xb: Array, yb: Array) => {
    const g = grad(loss)(p, xb, yb);
    const [updates, next] = opt.update(g, s, p);
    return [optim.applyUpdates(p, updates), next, loss(p, xb, yb)] as const;
  });
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const [p, s, l] = step(params, state, x, y);
    [params, state] = [p as Params, s as typeof state];
    losses.push((await (l as Array).data())[0]);
    if (i % 20 === 19) {
      plot(svg, losses);
      status.textContent = `step ${i + 1}: loss ${losses[i].toFixed(4)}`;
      await new Promise((r) => requestAnimationFrame(r)); // let the page draw
    }
  }
  const predicted = np.argmax(logits(params, x), 1);
  const accuracy = (await np.mean(np.equal(predicted, y)).data())[0];
  status.textContent = `trained ${steps} steps on ${defaultBackend()}: loss ${losses[losses.length - 1].toFixed(4)}, accuracy ${(100 * accuracy).toFixed(1)}%`;
  (window as unknown as { trainingResult: unknown }).trainingResult = { losses, accuracy, platform: defaultBackend() };
}

main().catch((e: unknown) => {
  document.getElementById("status")!.textContent = `error: ${String(e)}`;
  (window as unknown as { trainingResult: unknown }).trainingResult = { error: String(e) };
});
