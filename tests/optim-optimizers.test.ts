/**
 * optim's optimizers against optax's update equations, step by step: each optimizer runs
 * five steps on a small pytree with a fixed gradient sequence, and its parameters are
 * compared with the same recurrences written here in plain float64 JS. In float64 the
 * only differences are rounding in a different operation order, so 1e-12 (relative)
 * holds; in float32 the recurrences round at each of a few dozen operations, so 1e-5.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { config, jit, numpy as np, optim, tree, type Array as NdArray } from "../src/index.js";

type Leaf = Float64Array;
/** One reference step: gradients and current params (leaves) to the update (leaves). */
type RefStep = (g: Leaf[], p: Leaf[], t: number) => Leaf[];

const SHAPES = { b: [3], w: [2, 3] };
const STEPS = 5;

/** A fixed, varied gradient sequence: both signs, several magnitudes. */
function gradLeaves(t: number): Leaf[] {
  return [3, 6].map((n, leaf) =>
    Float64Array.from({ length: n }, (_, i) => 2 * Math.sin(1.3 * t + 0.7 * i + 2.1 * leaf) + 0.05 * (i - 1)),
  );
}
const initLeaves = (): Leaf[] =>
  [3, 6].map((n, leaf) => Float64Array.from({ length: n }, (_, i) => 0.5 - 0.3 * i + leaf));

function toTree(ls: Leaf[], dtype: "float32" | "float64"): { b: NdArray; w: NdArray } {
  return { b: np.array(Array.from(ls[0]), dtype), w: np.reshape(np.array(Array.from(ls[1]), dtype), SHAPES.w) };
}
const leavesOf = (t: unknown): Leaf[] => (tree.leaves(t) as NdArray[]).map((x) => Float64Array.from(x.dataSync()));

/** Elementwise map over leaves. */
const map = (f: (...xs: number[]) => number, ...ls: Leaf[][]): Leaf[] =>
  ls[0].map((l, j) => l.map((_, i) => f(...ls.map((x) => x[j][i]))));
const zerosLike = (ls: Leaf[]): Leaf[] => ls.map((l) => new Float64Array(l.length));
const norm = (l: Leaf): number => Math.sqrt(l.reduce((a, x) => a + x * x, 0));

/** Runs an optimizer eagerly for STEPS steps and returns the params after each. */
function run(opt: optim.GradientTransformation, dtype: "float32" | "float64"): Leaf[][] {
  let params = toTree(initLeaves(), dtype);
  let state = opt.init(params);
  const out: Leaf[][] = [];
  for (let t = 0; t < STEPS; t++) {
    const [u, s] = opt.update(toTree(gradLeaves(t), dtype), state, params);
    params = optim.applyUpdates(params, u);
    state = s;
    out.push(leavesOf(params));
  }
  return out;
}

function runRef(step: RefStep): Leaf[][] {
  let p = initLeaves();
  const out: Leaf[][] = [];
  for (let t = 0; t < STEPS; t++) {
    const u = step(gradLeaves(t), p, t);
    p = map((a, b) => a + b, p, u);
    out.push(p);
  }
  return out;
}

function expectClose(got: Leaf[][], want: Leaf[][], rtol: number): void {
  got.forEach((ls, t) =>
    ls.forEach((l, j) =>
      l.forEach((x, i) => {
        const w = want[t][j][i];
        expect(Math.abs(x - w), `step ${t} leaf ${j}[${i}]: ${x} vs ${w}`).toBeLessThanOrEqual(
          rtol * (1 + Math.abs(w)),
        );
      }),
    ),
  );
}

// --- optax's recurrences, in float64 ---------------------------------------------------------

const lrAt = (lr: number | ((t: number) => number), t: number): number => (typeof lr === "number" ? lr : lr(t));

function refTrace(decay: number, nesterov: boolean): (g: Leaf[]) => Leaf[] {
  let tr: Leaf[] | null = null;
  return (g) => {
    tr = map((gi, ti) => gi + decay * ti, g, tr ?? zerosLike(g));
    return nesterov ? map((gi, ti) => gi + decay * ti, g, tr) : tr;
  };
}

function refSgd(lr: number, momentum?: number, nesterov = false): RefStep {
  const tr = momentum === undefined ? (g: Leaf[]) => g : refTrace(momentum, nesterov);
  return (g) => map((u) => -lr * u, tr(g));
}

interface AdamRef {
  b1?: number;
  b2?: number;
  eps?: number;
  epsRoot?: number;
  nesterov?: boolean;
}
/** scale_by_adam's update (before the learning rate). */
function refScaleByAdam(o: AdamRef = {}): (g: Leaf[]) => Leaf[] {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, nesterov = false } = o;
  let mu: Leaf[] | null = null;
  let nu: Leaf[] | null = null;
  let count = 0;
  return (g) => {
    mu = map((gi, m) => (1 - b1) * gi + b1 * m, g, mu ?? zerosLike(g));
    nu = map((gi, v) => (1 - b2) * gi * gi + b2 * v, g, nu ?? zerosLike(g));
    count++;
    const c = count;
    const muHat = nesterov
      ? map((m, gi) => (b1 * m) / (1 - b1 ** (c + 1)) + ((1 - b1) * gi) / (1 - b1 ** c), mu, g)
      : map((m) => m / (1 - b1 ** c), mu);
    return map((m, v) => m / (Math.sqrt(v / (1 - b2 ** c) + epsRoot) + eps), muHat, nu);
  };
}

function refAdam(lr: number | ((t: number) => number), o: AdamRef = {}): RefStep {
  const s = refScaleByAdam(o);
  return (g, _p, t) => map((u) => -lrAt(lr, t) * u, s(g));
}

/** adamw; `decays[j]` says whether leaf j (b, w) decays (the mask). */
function refAdamw(lr: number, wd: number, o: AdamRef = {}, decays = [true, true]): RefStep {
  const s = refScaleByAdam(o);
  return (g, p) => s(g).map((l, j) => l.map((u, i) => -lr * (u + (decays[j] ? wd * p[j][i] : 0))));
}

function refRmsprop(
  lr: number,
  o: {
    decay?: number;
    eps?: number;
    centered?: boolean;
    momentum?: number;
    epsInSqrt?: boolean;
    initialScale?: number;
    biasCorrection?: boolean;
  } = {},
): RefStep {
  const { decay = 0.9, eps = 1e-8, centered = false, epsInSqrt = true, initialScale = 0, biasCorrection = false } = o;
  let nu: Leaf[] | null = null;
  let mu: Leaf[] | null = null;
  let count = 0;
  const tr = o.momentum === undefined ? (u: Leaf[]) => u : refTrace(o.momentum, false);
  return (g) => {
    nu = map((gi, v) => (1 - decay) * gi * gi + decay * v, g, nu ?? g.map((l) => l.map(() => initialScale)));
    mu = map((gi, m) => (1 - decay) * gi + decay * m, g, mu ?? zerosLike(g));
    count++;
    const bc = biasCorrection ? 1 - decay ** count : 1;
    const u = map(
      (gi, v, m) => {
        const variance = v / bc - (centered ? (m / bc) ** 2 : 0);
        return gi * (epsInSqrt ? 1 / Math.sqrt(variance + eps) : 1 / (Math.sqrt(variance) + eps));
      },
      g,
      nu,
      mu,
    );
    return tr(map((x) => -lr * x, u));
  };
}

function refAdagrad(lr: number, init = 0.1, eps = 1e-7): RefStep {
  let s: Leaf[] | null = null;
  return (g) => {
    s = map((gi, si) => si + gi * gi, g, s ?? g.map((l) => l.map(() => init)));
    return map((gi, si) => -lr * (si > 0 ? gi / Math.sqrt(si + eps) : 0), g, s);
  };
}

function refLamb(lr: number, wd: number): RefStep {
  const s = refScaleByAdam({ eps: 1e-6 });
  return (g, p) => {
    const u = map((x, pi) => x + wd * pi, s(g), p);
    return u.map((l, j) => {
      const pn = norm(p[j]);
      const un = norm(l);
      const ratio = pn === 0 || un === 0 ? 1 : pn / un;
      return l.map((x) => -lr * x * ratio);
    });
  };
}

function refLion(lr: number, b1 = 0.9, b2 = 0.99, wd = 1e-3): RefStep {
  let mu: Leaf[] | null = null;
  return (g, p) => {
    const m0 = mu ?? zerosLike(g);
    const u = map((gi, m) => Math.sign((1 - b1) * gi + b1 * m), g, m0);
    mu = map((gi, m) => (1 - b2) * gi + b2 * m, g, m0);
    return map((x, pi) => -lr * (x + wd * pi), u, p);
  };
}

const cases: [string, () => optim.GradientTransformation, () => RefStep][] = [
  ["sgd", () => optim.sgd(0.1), () => refSgd(0.1)],
  ["sgd momentum", () => optim.sgd(0.1, 0.9), () => refSgd(0.1, 0.9)],
  ["sgd nesterov", () => optim.sgd(0.1, { momentum: 0.9, nesterov: true }), () => refSgd(0.1, 0.9, true)],
  ["adam", () => optim.adam(0.05), () => refAdam(0.05)],
  [
    "adam epsRoot",
    () => optim.adam(0.05, 0.8, 0.99, 1e-3, 1e-4),
    () => refAdam(0.05, { b1: 0.8, b2: 0.99, eps: 1e-3, epsRoot: 1e-4 }),
  ],
  ["nadam", () => optim.adam(0.05, { nesterov: true }), () => refAdam(0.05, { nesterov: true })],
  [
    "adam schedule",
    () => optim.adam(optim.linearSchedule(0.1, 0.01, 4)),
    () => refAdam((t) => 0.1 + ((0.01 - 0.1) * Math.min(t, 4)) / 4),
  ],
  ["adamw", () => optim.adamw(0.05, { weightDecay: 0.1 }), () => refAdamw(0.05, 0.1)],
  ["adamw default decay", () => optim.adamw(0.05), () => refAdamw(0.05, 1e-4)],
  [
    "adamw masked",
    () => optim.adamw(0.05, { weightDecay: 0.5, mask: { b: false, w: true } }),
    () => refAdamw(0.05, 0.5, {}, [false, true]),
  ],
  ["rmsprop", () => optim.rmsprop(0.01), () => refRmsprop(0.01)],
  [
    "rmsprop centered momentum",
    () => optim.rmsprop(0.01, { centered: true, momentum: 0.9 }),
    () => refRmsprop(0.01, { centered: true, momentum: 0.9 }),
  ],
  [
    "rmsprop pytorch-style, bias-corrected",
    () => optim.rmsprop(0.01, 0.95, 1e-6, 0.5, false, false, null, false, true),
    () => refRmsprop(0.01, { decay: 0.95, eps: 1e-6, initialScale: 0.5, epsInSqrt: false, biasCorrection: true }),
  ],
  ["adagrad", () => optim.adagrad(0.1), () => refAdagrad(0.1)],
  ["adagrad options", () => optim.adagrad(0.1, 0.5, 1e-3), () => refAdagrad(0.1, 0.5, 1e-3)],
  ["lamb", () => optim.lamb(0.01, { weightDecay: 0.1 }), () => refLamb(0.01, 0.1)],
  ["lion", () => optim.lion(0.01), () => refLion(0.01)],
  ["lion options", () => optim.lion(0.01, 0.5, 0.9, null, 0.1), () => refLion(0.01, 0.5, 0.9, 0.1)],
];

describe("optimizers follow optax's equations (float64)", () => {
  beforeEach(() => config.update("enableX64", true));
  afterEach(() => config.update("enableX64", false));
  for (const [name, make, ref] of cases) {
    it(name, () => expectClose(run(make(), "float64"), runRef(ref()), 1e-12));
  }

  it("a jitted update step gives the eager numbers", () => {
    for (const [, make] of cases) {
      const opt = make();
      const step = jit((params: unknown, state: unknown, grads: unknown) => {
        const [u, s] = opt.update(grads, state, params);
        return [optim.applyUpdates(params, u), s];
      });
      let params: unknown = toTree(initLeaves(), "float64");
      let state = opt.init(params);
      const got: Leaf[][] = [];
      for (let t = 0; t < STEPS; t++) {
        [params, state] = step(params, state, toTree(gradLeaves(t), "float64")) as [unknown, unknown];
        got.push(leavesOf(params));
      }
      expectClose(got, run(make(), "float64"), 1e-12);
    }
  });
});

describe("optimizers in float32", () => {
  for (const [name, make, ref] of cases) {
    it(name, () => {
      const got = run(make(), "float32");
      expectClose(got, runRef(ref()), 1e-5);
    });
  }
  it("a jitted update step gives the eager numbers", () => {
    for (const [, make] of cases) {
      const opt = make();
      const step = jit((params: unknown, state: unknown, grads: unknown) => {
        const [u, s] = opt.update(grads, state, params);
        return [optim.applyUpdates(params, u), s];
      });
      let params: unknown = toTree(initLeaves(), "float32");
      let state = opt.init(params);
      const got: Leaf[][] = [];
      for (let t = 0; t < STEPS; t++) {
        [params, state] = step(params, state, toTree(gradLeaves(t), "float32")) as [unknown, unknown];
        got.push(leavesOf(params));
      }
      // Fused kernels may round differently from eager ones: a few float32 ulps.
      expectClose(got, run(make(), "float32"), 1e-6);
    }
  });
  it("state and updates keep the params' dtype", () => {
    const opt = optim.adam(0.1);
    const p = toTree(initLeaves(), "float32");
    const [u, s] = opt.update(toTree(gradLeaves(0), "float32"), opt.init(p), p);
    expect((u as { w: NdArray }).w.dtype).toBe("float32");
    const st = (s as unknown[])[0] as optim.ScaleByAdamState;
    expect(st.count.dtype).toBe("int32");
    expect(st.count.item()).toBe(1);
  });
});
