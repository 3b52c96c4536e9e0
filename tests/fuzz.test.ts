/**
 * A fuzzer over the public API: every exported function is called with
 * arguments drawn from a pool of awkward values (wrong types, NaN and ±inf,
 * negative, fractional and huge numbers, 0-size and rank-0 arrays, bad shapes
 * and dtypes, stray objects). Whatever a call does, it must either return or
 * throw a typed CotangentError: never a TypeError or RangeError from deep
 * inside, never a hang. The draws are seeded, so a failure reproduces.
 */
import { describe, expect, it } from "vitest";
import * as cotangent from "../src/index.js";
import { CotangentError, numpy as np, random } from "../src/index.js";
import { rng } from "./helpers/check.js";

function zeroFn(): number {
  return 0;
}

/** The pool: each value with a label, so a failure names what was passed. */
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
  ["-Infinity", () => -Infinity],
  ["1e15", () => 1e15],
  ["3n", () => 3n],
  ['"a"', () => "a"],
  ['"float32"', () => "float32"],
  ['"int32"', () => "int32"],
  ["[]", () => []],
  ["[2, 3]", () => [2, 3]],
  ["[-1]", () => [-1]],
  ["[1.5]", () => [1.5]],
  ["[[1, 2], [3]]", () => [[1, 2], [3]]],
  ['["a"]', () => ["a"]],
  ["{}", () => ({})],
  ["{ axis: 7 }", () => ({ axis: 7 })],
  ["{ bogusOption: 1 }", () => ({ bogusOption: 1 })],
  ["new Map()", () => new Map()],
  ["Symbol()", () => Symbol("s")],
  ["zeroFn", () => zeroFn],
  ["f32[]", () => np.array(1.5)],
  ["f32[0]", () => np.zeros([0])],
  ["f32[2,0]", () => np.zeros([2, 0])],
  ["f32[3]", () => np.array([1, -2, 3])],
  ["f32[2,3]", () => np.reshape(np.arange(6, { dtype: "float32" }), [2, 3])],
  ["i32[3]", () => np.array([0, 1, 5], { dtype: "int32" })],
  ["bool[3]", () => np.array([true, false, true])],
  ["f32[3] with NaN", () => np.array([NaN, Infinity, -Infinity])],
  ["key", () => random.PRNGKey(0)],
  ["Float64Array", () => new Float64Array([1, 2])],
];

/** Every exported function, by its dotted name. */
function exportedFunctions(): [string, (...a: unknown[]) => unknown][] {
  const out: [string, (...a: unknown[]) => unknown][] = [];
  const namespaces: [string, Record<string, unknown>][] = [
    ["", cotangent as unknown as Record<string, unknown>],
    ["np.", cotangent.numpy as unknown as Record<string, unknown>],
    ["np.linalg.", cotangent.numpy.linalg as unknown as Record<string, unknown>],
    ["lax.", cotangent.lax as unknown as Record<string, unknown>],
    ["nn.", cotangent.nn as unknown as Record<string, unknown>],
    ["random.", cotangent.random as unknown as Record<string, unknown>],
    ["scipy.special.", cotangent.scipy.special as unknown as Record<string, unknown>],
    ["scipy.linalg.", cotangent.scipy.linalg as unknown as Record<string, unknown>],
    ["scipy.signal.", cotangent.scipy.signal as unknown as Record<string, unknown>],
    ["nn.initializers.", cotangent.nn.initializers as unknown as Record<string, unknown>],
    ["optim.", cotangent.optim as unknown as Record<string, unknown>],
    ["optim.losses.", cotangent.optim.losses as unknown as Record<string, unknown>],
    ["tree.", cotangent.tree as unknown as Record<string, unknown>],
    ["stablehlo.", cotangent.stablehlo as unknown as Record<string, unknown>],
  ];
  for (const [prefix, ns] of namespaces) {
    for (const [name, v] of Object.entries(ns)) {
      // Classes (errors, Array, Jaxpr) are constructed by the library, not called.
      if (typeof v !== "function" || /^[A-Z]/.test(name)) continue;
      out.push([prefix + name, v as (...a: unknown[]) => unknown]);
    }
  }
  return out;
}

/** What a call did: "ok", a typed error, or the untyped error (a finding). */
function attempt(f: () => unknown): string | null {
  try {
    const r = f();
    // A transformation returns a function: call it with one pool value too.
    if (typeof r === "function") (r as (...a: unknown[]) => unknown)(np.array([1, 2]));
    return null;
  } catch (e) {
    if (e instanceof CotangentError) return null;
    return `${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`;
  }
}

const ARGS_PER_FUNCTION = 40;

describe("fuzz: every export throws only typed errors", () => {
  for (const [name, fn] of exportedFunctions()) {
    it(name, () => {
      const draw = rng(name.length * 7919 + name.charCodeAt(0));
      const findings: string[] = [];
      for (let t = 0; t < ARGS_PER_FUNCTION; t++) {
        const n = 1 + Math.floor(draw() * 3);
        const picks = Array.from({ length: n }, () => POOL[Math.floor(draw() * POOL.length)]);
        const found = attempt(() => fn(...picks.map(([, make]) => make())));
        if (found) findings.push(`${name}(${picks.map(([label]) => label).join(", ")}) → ${found}`);
      }
      expect(findings, findings.slice(0, 5).join("\n")).toEqual([]);
    });
  }
});
