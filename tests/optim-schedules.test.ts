/**
 * optim's schedules against their closed forms (optax's definitions) at counts before,
 * at and after each boundary, called with JS numbers, with int32 Array counts and under
 * jit with a traced count. Values are compared in float64 to 1e-12 (a few roundings of
 * cos/pow); float32 to 1e-6.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ArgumentTypeError,
  config,
  jit,
  numpy as np,
  optim,
  OptionError,
  type Array as NdArray,
} from "../src/index.js";

const value = (v: unknown): number => (typeof v === "number" ? v : Number((v as NdArray).item()));
const COUNTS = [0, 1, 3, 4, 5, 6, 9, 10, 11, 20, 100];

type Case = [string, optim.Schedule, (c: number) => number];
const poly =
  (i: number, e: number, p: number, n: number, b = 0) =>
  (c: number) =>
    (i - e) * (1 - Math.min(Math.max(c - b, 0), n) / n) ** p + e;
const cosine =
  (i: number, n: number, alpha = 0, exponent = 1) =>
  (c: number) =>
    i * ((1 - alpha) * (0.5 * (1 + Math.cos((Math.PI * Math.min(c, n)) / n))) ** exponent + alpha);
const expo =
  (i: number, n: number, r: number, b = 0, stair = false, end?: number) =>
  (c: number) => {
    const d = c - b;
    const p = stair ? Math.floor(d / n) : d / n;
    const v = d <= 0 ? i : i * r ** p;
    return end === undefined ? v : r < 1 ? Math.max(v, end) : Math.min(v, end);
  };
const warmup =
  (i: number, peak: number, w: number, n: number, end = 0, exponent = 1) =>
  (c: number) =>
    c < w ? poly(i, peak, 1, w)(c) : cosine(peak, n - w, end / peak, exponent)(c - w);

const cases: Case[] = [
  ["constant", optim.constantSchedule(0.3), () => 0.3],
  ["linear", optim.linearSchedule(1, 0.1, 10), poly(1, 0.1, 1, 10)],
  ["linear with begin", optim.linearSchedule(1, 0.1, 5, 4), poly(1, 0.1, 1, 5, 4)],
  ["linear negative begin counts as 0", optim.linearSchedule(1, 0.1, 5, -3), poly(1, 0.1, 1, 5, 0)],
  ["polynomial", optim.polynomialSchedule(2, 0.5, 3, 10), poly(2, 0.5, 3, 10)],
  ["exponential", optim.exponentialDecay(1, 4, 0.5), expo(1, 4, 0.5)],
  ["exponential staircase begin", optim.exponentialDecay(1, 4, 0.5, 3, true), expo(1, 4, 0.5, 3, true)],
  ["exponential end value", optim.exponentialDecay(1, 2, 0.5, { endValue: 0.2 }), expo(1, 2, 0.5, 0, false, 0.2)],
  ["exponential growth capped", optim.exponentialDecay(1, 2, 1.5, 0, false, 3), expo(1, 2, 1.5, 0, false, 3)],
  ["exponential zero steps is constant", optim.exponentialDecay(0.7, 0, 0.5), () => 0.7],
  ["cosine", optim.cosineDecaySchedule(1, 10), cosine(1, 10)],
  ["cosine alpha exponent", optim.cosineDecaySchedule(2, 10, 0.1, 2), cosine(2, 10, 0.1, 2)],
  [
    "warmup cosine (object)",
    optim.warmupCosineDecaySchedule({ initValue: 0, peakValue: 1, warmupSteps: 4, decaySteps: 20, endValue: 0.1 }),
    warmup(0, 1, 4, 20, 0.1),
  ],
  [
    "warmup cosine (positional)",
    optim.warmupCosineDecaySchedule(0.1, 1, 5, 10, 0.05, 2),
    warmup(0.1, 1, 5, 10, 0.05, 2),
  ],
  [
    "join",
    optim.joinSchedules(
      [optim.constantSchedule(1), optim.linearSchedule(1, 0, 5), optim.constantSchedule(0.25)],
      [4, 9],
    ),
    (c) => (c < 4 ? 1 : c < 9 ? poly(1, 0, 1, 5)(c - 4) : 0.25),
  ],
];

describe("schedules: closed forms (float64)", () => {
  beforeEach(() => config.update("enableX64", true));
  afterEach(() => config.update("enableX64", false));
  for (const [name, s, f] of cases) {
    it(name, () => {
      for (const c of COUNTS) {
        expect(value(s(c)), `count ${c}`).toBeCloseTo(f(c), 12);
        expect(value(s(np.array(c, "int32"))), `int32 count ${c}`).toBeCloseTo(f(c), 12);
      }
    });
  }
  it("under jit with a traced int32 count", () => {
    for (const [name, s, f] of cases) {
      const js = jit((c: NdArray) => np.asArray(s(c)));
      for (const c of COUNTS) expect(value(js(np.array(c, "int32"))), `${name} at ${c}`).toBeCloseTo(f(c), 12);
    }
  });
});

describe("schedules in float32", () => {
  it("agree with the closed forms to 1e-6", () => {
    for (const [name, s, f] of cases) {
      for (const c of COUNTS)
        expect(Math.abs(value(s(np.array(c, "int32"))) - f(c)), `${name} at ${c}`).toBeLessThan(1e-6);
    }
  });
});

describe("schedules: bad input", () => {
  it("refuses non-positive cosine decay steps, as optax", () => {
    expect(() => optim.cosineDecaySchedule(1, 0)).toThrow(ArgumentTypeError);
    expect(() => optim.cosineDecaySchedule(1, 0)).toThrow(/positive decaySteps/);
  });
  it("refuses mismatched boundaries and non-functions", () => {
    expect(() => optim.joinSchedules([optim.constantSchedule(1)], [3])).toThrow(/boundaries must be an array of 0/);
    expect(() => optim.joinSchedules([1 as never], [])).toThrow(ArgumentTypeError);
  });
  it("warmupCosineDecaySchedule names a missing key and refuses unknown ones", () => {
    expect(() => optim.warmupCosineDecaySchedule({ initValue: 0, peakValue: 1, warmupSteps: 2 } as never)).toThrow(
      /missing decaySteps/,
    );
    expect(() =>
      optim.warmupCosineDecaySchedule({
        initValue: 0,
        peakValue: 1,
        warmupSteps: 2,
        decaySteps: 5,
        endvalue: 0,
      } as never),
    ).toThrow(OptionError);
  });
  it("steps must be integers", () => {
    expect(() => optim.linearSchedule(1, 0, 2.5)).toThrow(/integer number of steps/);
  });
});
