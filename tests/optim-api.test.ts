/**
 * optim's public surface: every function is in the options table (tests/options/optim.ts),
 * and every export, called with awkward arguments (the fuzz pool's kinds of values), and each
 * transformation it returns, stepped with awkward updates, either works or throws a typed
 * CotangentError, never a TypeError from deep inside. Seeded, so a failure reproduces.
 */
import { describe, expect, it } from "vitest";
import { CotangentError, numpy as np, optim } from "../src/index.js";
import { optimNoOptions, optimOptionEntries } from "./options/optim.js";
import { rng } from "./helpers/check.js";

const namespaces: [string, Record<string, unknown>][] = [
  ["optim.", optim as unknown as Record<string, unknown>],
  ["optim.losses.", optim.losses as unknown as Record<string, unknown>],
];
const functions = namespaces.flatMap(([prefix, ns]) =>
  Object.entries(ns)
    .filter(([, v]) => typeof v === "function")
    .map(([name, v]) => [prefix + name, v as (...a: unknown[]) => unknown] as const),
);

describe("optim: the options table covers every function", () => {
  it("each function is an entry or listed without options", () => {
    const covered = new Set([...optimOptionEntries.map((e) => e.op), ...optimNoOptions.map((e) => e.name)]);
    expect(functions.map(([n]) => n).filter((n) => !covered.has(n))).toEqual([]);
  });
});

const POOL: [string, () => unknown][] = [
  ["undefined", () => undefined],
  ["null", () => null],
  ["true", () => true],
  ["0", () => 0],
  ["2", () => 2],
  ["-1", () => -1],
  ["1.5", () => 1.5],
  ["NaN", () => NaN],
  ["Infinity", () => Infinity],
  ['"a"', () => "a"],
  ['"float32"', () => "float32"],
  ["[]", () => []],
  ["[2, 3]", () => [2, 3]],
  ["{}", () => ({})],
  ["{ bogusOption: 1 }", () => ({ bogusOption: 1 })],
  ["{ w: f32[3] }", () => ({ w: np.array([1, -2, 3]) })],
  ["new Map()", () => new Map()],
  ["Symbol()", () => Symbol("s")],
  ["fn", () => (c: unknown) => c],
  ["f32[]", () => np.array(1.5)],
  ["f32[0]", () => np.zeros([0])],
  ["f32[3]", () => np.array([1, -2, 3])],
  ["f32[2,3]", () => np.zeros([2, 3])],
  ["i32[3]", () => np.array([0, 1, 5], "int32")],
  ["bool[3]", () => np.array([true, false, true])],
  ["f32[3] NaN", () => np.array([NaN, Infinity, -Infinity])],
  ["sgd", () => optim.sgd(0.1)],
];

function attempt(f: () => unknown): string | null {
  try {
    const r = f() as Record<string, unknown> | null;
    if (r && typeof r === "object" && typeof r.init === "function" && typeof r.update === "function") {
      // A transformation: initialize and step it with a valid tree and with an awkward one.
      const t = r as unknown as optim.GradientTransformation;
      const p = { w: np.array([1, -2, 3]) };
      const s = t.init(p);
      t.update({ w: np.array([0.5, 0.5, NaN]) }, s, p);
      t.update(np.array([1, 2]), s, p);
    } else if (typeof r === "function") {
      (r as (c: unknown) => unknown)(np.array(3, "int32"));
    }
    return null;
  } catch (e) {
    if (e instanceof CotangentError) return null;
    return `${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`;
  }
}

describe("optim: fuzz, only typed errors", () => {
  for (const [name, fn] of functions) {
    it(name, () => {
      const draw = rng(name.length * 7919 + name.charCodeAt(6));
      const findings: string[] = [];
      for (let t = 0; t < 40; t++) {
        const n = 1 + Math.floor(draw() * 3);
        const picks = Array.from({ length: n }, () => POOL[Math.floor(draw() * POOL.length)]);
        const found = attempt(() => fn(...picks.map(([, make]) => make())));
        if (found) findings.push(`${name}(${picks.map(([l]) => l).join(", ")}) → ${found}`);
      }
      expect(findings, findings.slice(0, 5).join("\n")).toEqual([]);
    });
  }
});

describe("optim: fuzz of the optional arguments, with valid required ones", () => {
  for (const entry of optimOptionEntries) {
    it(entry.op, () => {
      const draw = rng(entry.op.length * 104729 + entry.op.charCodeAt(7));
      const findings: string[] = [];
      for (let t = 0; t < 30; t++) {
        const n = 1 + Math.floor(draw() * 2);
        const picks = Array.from({ length: n }, () => POOL[Math.floor(draw() * POOL.length)]);
        const found = attempt(() => entry.call(...picks.map(([, make]) => make())));
        if (found) findings.push(`${entry.op}(..., ${picks.map(([l]) => l).join(", ")}) → ${found}`);
      }
      expect(findings, findings.slice(0, 5).join("\n")).toEqual([]);
    });
  }
});
