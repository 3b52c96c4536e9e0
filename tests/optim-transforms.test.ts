/**
 * optim's building blocks and wrappers: clipping, chain, weight decay with masks and
 * schedules, learning-rate scaling, multiSteps' accumulation, applyIfFinite's skipping and
 * counting (eager and jitted), bad-input errors, and an end-to-end fit under jit.
 */
import { describe, expect, it } from "vitest";
import {
  ArgumentTypeError,
  jit,
  numpy as np,
  OptionError,
  optim,
  random,
  TreeMismatchError,
  valueAndGrad,
  type Array as NdArray,
} from "../src/index.js";

const vals = (x: unknown): number[] => Array.from((x as NdArray).dataSync());
const num = (x: unknown): number => Number((x as NdArray).item());

describe("clipping", () => {
  it("clip bounds each element", () => {
    const t = optim.clip(1.5);
    expect(vals(t.update(np.array([-3, 0.5, 2]), t.init(np.zeros([3])))[0])).toEqual([-1.5, 0.5, 1.5]);
  });
  it("clipByGlobalNorm rescales all leaves together only above the limit", () => {
    const t = optim.clipByGlobalNorm(1);
    const [u] = t.update({ a: np.array([3.0]), b: np.array([[4.0]]) }, {});
    expect(vals(u.a)[0]).toBeCloseTo(0.6, 6);
    expect(vals(u.b)[0]).toBeCloseTo(0.8, 6);
    const [v] = optim.clipByGlobalNorm(10).update({ a: np.array([3.0]) }, {});
    expect(vals(v.a)).toEqual([3]);
    const jitted = jit((g: NdArray) => t.update(g, {})[0]);
    expect(vals(jitted(np.array([0, 5])))).toEqual([0, 1]);
  });
});

describe("chain, scaling, weight decay", () => {
  it("chain applies in order and keeps a JS array of states", () => {
    const opt = optim.chain(optim.scale(2), optim.clip(3), optim.scaleByLearningRate(0.5));
    const s = opt.init(np.zeros([2]));
    expect(Array.isArray(s) && s.length).toBe(3);
    expect(vals(opt.update(np.array([1, 2]), s)[0])).toEqual([-1, -1.5]);
  });
  it("identity passes updates through", () => {
    const t = optim.identity();
    expect(vals(t.update(np.array([1, 2]), t.init(np.zeros([2])))[0])).toEqual([1, 2]);
  });
  it("scaleByLearningRate: flipSign false, and a schedule counts steps", () => {
    expect(vals(optim.scaleByLearningRate(0.5, { flipSign: false }).update(np.array([2]), {})[0])).toEqual([1]);
    const t = optim.scaleByLearningRate(optim.linearSchedule(1, 0, 4));
    let s = t.init(np.zeros([1]));
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [u, n] = t.update(np.array([1]), s);
      seen.push(vals(u)[0]);
      s = n;
    }
    expect(seen).toEqual([-1, -0.75, -0.5]);
    expect(num((s as optim.CountState).count)).toBe(3);
  });
  it("addDecayedWeights: masks as trees and functions, schedules", () => {
    const p = { a: np.array([1.0, 2.0]), b: np.array([4.0]) };
    const g = { a: np.zeros([2]), b: np.zeros([1]) };
    const t = optim.addDecayedWeights(0.5, { a: true, b: false });
    const [u] = t.update(g, t.init(p), p);
    expect(vals(u.a)).toEqual([0.5, 1]);
    expect(vals(u.b)).toEqual([0]);
    const f = optim.addDecayedWeights(0.5, (params: typeof p) => ({ a: false, b: params.b.size === 1 }));
    expect(vals(f.update(g, f.init(p), p)[0].b)).toEqual([2]);
    const sch = optim.addDecayedWeights((c) => np.add(c, 1));
    let s = sch.init(p);
    [, s] = sch.update(g, s, p);
    expect(vals(sch.update(g, s, p)[0].a)).toEqual([2, 4]);
  });
  it("traceTransform is optax's trace (momentum)", () => {
    const t = optim.traceTransform(0.5, true);
    let s = t.init(np.zeros([1]));
    let u: NdArray;
    [u, s] = t.update(np.array([1]), s);
    expect(vals(u)).toEqual([1.5]);
    [u] = t.update(np.array([1]), s);
    expect(vals(u)).toEqual([1 + 0.5 * 1.5]);
  });
});

describe("multiSteps", () => {
  it("accumulates the mean over k and applies the inner optimizer every k-th step", () => {
    const opt = optim.multiSteps(optim.sgd(1), 3);
    let s = opt.init({ w: np.zeros([2]) });
    const out: number[][] = [];
    const updated: boolean[] = [];
    const grads = [
      [1, 2],
      [3, 4],
      [5, 9],
      [1, 1],
      [1, 1],
      [4, 1],
    ];
    for (const g of grads) {
      const [u, n] = opt.update({ w: np.array(g) }, s);
      out.push(vals(u.w).map((v) => v + 0)); // emit * u: -0 where not emitted, as optax
      updated.push(Boolean(opt.hasUpdated(n).item()));
      s = n;
    }
    expect(out).toEqual([
      [0, 0],
      [0, 0],
      [-3, -5],
      [0, 0],
      [0, 0],
      [-2, -1],
    ]);
    expect(updated).toEqual([false, false, true, false, false, true]);
    expect(num(s.gradientStep)).toBe(2);
    expect(num(s.miniStep)).toBe(0);
  });
  it("sums with useGradMean false, keeps inner state between emits, and jits", () => {
    const opt = optim.multiSteps(optim.adam(0.1), 2, false);
    const step = jit((g: NdArray, st: optim.MultiStepsState) => opt.update(g, st));
    let s = opt.init(np.zeros([1]));
    let se = s;
    for (const g of [1, 2, -1, 0.5]) {
      const [u, n] = step(np.array([g]), s) as [NdArray, optim.MultiStepsState];
      const [ue, ne] = opt.update(np.array([g]), se);
      expect(vals(u)[0]).toBeCloseTo(vals(ue)[0], 6);
      s = n;
      se = ne;
    }
    const adamState = (s.innerOptState as unknown[])[0] as optim.ScaleByAdamState;
    expect(num(adamState.count)).toBe(2);
  });
  it("skips non-finite mini-steps with skipNotFinite", () => {
    const opt = optim.multiSteps(optim.sgd(1), 2, { shouldSkipUpdateFn: optim.skipNotFinite });
    let s = opt.init(np.zeros([1]));
    let u: NdArray;
    [u, s] = opt.update(np.array([2]), s);
    [u, s] = opt.update(np.array([NaN]), s);
    expect(vals(u)).toEqual([0]);
    expect(num(s.miniStep)).toBe(1);
    [u, s] = opt.update(np.array([4]), s);
    expect(vals(u)).toEqual([-3]);
  });
});

describe("applyIfFinite", () => {
  it("zeroes non-finite updates, keeps the inner state and counts", () => {
    const opt = optim.applyIfFinite(optim.adam(0.1), 2);
    let s = opt.init(np.zeros([2]));
    let u: NdArray;
    [u, s] = opt.update(np.array([1, 1]), s);
    expect(Boolean(s.lastFinite.item())).toBe(true);
    for (const k of [1, 2]) {
      [u, s] = opt.update(np.array([NaN, 1]), s);
      expect(vals(u)).toEqual([0, 0]);
      expect(num(s.notfiniteCount)).toBe(k);
      expect(num(s.totalNotfinite)).toBe(k);
      expect(num(((s.innerState as unknown[])[0] as optim.ScaleByAdamState).count)).toBe(1);
    }
    // The third in a row exceeds maxConsecutiveErrors = 2: it goes through, as optax.
    [u, s] = opt.update(np.array([Infinity, 1]), s);
    expect(Number.isNaN(vals(u)[0])).toBe(true);
    [u, s] = opt.update(np.array([1, 1]), s);
    expect(num(s.notfiniteCount)).toBe(0);
    expect(num(s.totalNotfinite)).toBe(3);
  });
  it("the same under jit", () => {
    const opt = optim.applyIfFinite(optim.sgd(0.5), 5);
    const step = jit((g: NdArray, st: optim.ApplyIfFiniteState) => opt.update(g, st));
    let s = opt.init(np.zeros([1]));
    const out: number[] = [];
    for (const g of [1, NaN, 2]) {
      const [u, n] = step(np.array([g]), s) as [NdArray, optim.ApplyIfFiniteState];
      out.push(vals(u)[0]);
      s = n;
    }
    expect(out).toEqual([-0.5, 0, -1]);
    expect(num(s.totalNotfinite)).toBe(1);
  });
});

describe("bad input", () => {
  it("applyUpdates names both structures when they differ", () => {
    const call = () => optim.applyUpdates({ w: np.zeros([2]), b: np.zeros([1]) }, { w: np.zeros([2]) });
    expect(call).toThrow(TreeMismatchError);
    expect(call).toThrow(/got .*w.*expected .*b.*w/);
  });
  it("updates that do not fit the state are a TreeMismatchError", () => {
    const opt = optim.adam(0.1);
    const s = opt.init({ w: np.zeros([2]) });
    expect(() => opt.update({ v: np.zeros([2]) }, s)).toThrow(TreeMismatchError);
    expect(() => opt.update({ w: np.zeros([2]) }, [] as never)).toThrow(/state must be the JS array of 2 states/);
  });
  it("transformations that need params say so", () => {
    const opt = optim.adamw(0.1);
    expect(() => opt.update(np.zeros([1]), opt.init(np.zeros([1])))).toThrow(/needs the params/);
    const l = optim.lamb(0.1);
    expect(() => l.update(np.zeros([1]), l.init(np.zeros([1])))).toThrow(ArgumentTypeError);
  });
  it("learning rates, hyperparameters, options and transformations are checked", () => {
    expect(() => optim.adam("fast" as never)).toThrow(/learningRate must be a number, a scalar Array or a schedule/);
    expect(() => optim.sgd(0.1, { momentun: 0.9 } as never)).toThrow(OptionError);
    expect(() => optim.adam(0.1, { b1: "x" } as never)).toThrow(/option "b1" must be a number/);
    expect(() => optim.chain(optim.sgd(0.1), 3 as never)).toThrow(/transform 1 must be a GradientTransformation/);
    expect(() => optim.multiSteps(optim.sgd(1), 0)).toThrow(/positive integer/);
    expect(() => optim.applyIfFinite({} as never, 1)).toThrow(ArgumentTypeError);
  });
  it("a mask of the wrong structure is named", () => {
    const t = optim.addDecayedWeights(0.1, { a: true });
    const p = { a: np.zeros([1]), b: np.zeros([1]) };
    expect(() => t.update(p, t.init(p), p)).toThrow(/mask structure mismatch/);
  });
});

describe("end to end", () => {
  it("adam fits a linear regression under jit", () => {
    const [k1, k2] = random.split(random.PRNGKey(0));
    const x = random.normal(k1, [64, 3]);
    const wTrue = np.array([[1.5], [-2.0], [0.5]]);
    const y = np.add(np.matmul(x, wTrue), np.multiply(0.01, random.normal(k2, [64, 1])));
    const loss = (p: { w: NdArray; b: NdArray }) =>
      np.mean(optim.losses.squaredError(np.add(np.matmul(x, p.w), p.b), y));
    const opt = optim.adam(0.1);
    const step = jit((p: { w: NdArray; b: NdArray }, s: unknown) => {
      const [l, g] = valueAndGrad(loss)(p);
      const [u, next] = opt.update(g, s, p);
      return [optim.applyUpdates(p, u), next, l];
    });
    let params = { w: np.zeros([3, 1]), b: np.zeros([1]) };
    let state = opt.init(params);
    let l: NdArray = np.array(Infinity);
    for (let i = 0; i < 300; i++) [params, state, l] = step(params, state) as [typeof params, unknown, NdArray];
    // Noise variance 1e-4 is the floor; 1e-3 shows convergence from an initial loss near 6.
    expect(num(loss(params))).toBeLessThan(1e-3);
    expect(Number(l.item())).toBeLessThan(1e-3);
  });
});
