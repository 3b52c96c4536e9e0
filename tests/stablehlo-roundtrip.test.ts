/**
 * The StableHLO round trip over the JAX golden suite and the primitive table:
 * `deserialize(export(f).mlirModule()).call(...)` must give what `f(...)` gives.
 *
 * Both suites are rerun here with the public `jit` (and, for the golden suite, `valueAndGrad`)
 * replaced by the round trip: `jit(f)(...args)` exports f at args, checks that exporting again
 * gives the same text (the text is deterministic), reads the text back and calls it. So every
 * golden case (its value and gradients, eager, under jit and under vmap) must still match JAX's
 * numbers, and every primitive row's "jit agrees with eager" check compares the round trip with
 * eager evaluation, bit for bit. The other checks of the two suites run unchanged.
 */
import { describe, expect, it, vi } from "vitest";

interface RoundTripLog {
  programs: number;
  texts: Set<string>;
}

vi.mock("../src/index.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/index.js")>();
  const { deserialize } = await import("../src/stablehlo/deserialize.js");
  const log: RoundTripLog = ((globalThis as { stablehloRoundTrips?: RoundTripLog }).stablehloRoundTrips ??= {
    programs: 0,
    texts: new Set(),
  });
  type Fn = (...args: unknown[]) => unknown;
  let depth = 0;
  /** f exported at its arguments, read back from the text, and called: with f's own pytrees. */
  const roundTrip =
    (f: Fn): Fn =>
    (...args) => {
      // Inside another round trip (jit of valueAndGrad), the outer program covers this one.
      if (depth > 0) return f(...args);
      depth++;
      let exported;
      try {
        exported = real.stablehlo.export(f as never, ...args);
      } finally {
        depth--;
      }
      const text = exported.mlirModule();
      depth++;
      let again;
      try {
        again = real.stablehlo.export(f as never, ...args).mlirModule();
      } finally {
        depth--;
      }
      if (again !== text) throw new Error(`stablehlo.export is not deterministic:\n${text}\n---\n${again}`);
      const imported = deserialize(text);
      log.programs++;
      log.texts.add(text);
      const withTrees = new real.stablehlo.Exported({
        fnName: exported.fnName,
        jaxpr: imported.jaxpr,
        inTree: exported.inTree,
        outTree: exported.outTree,
      });
      return withTrees.call(...args);
    };
  const jit = (f: Fn, ...options: unknown[]) =>
    options.length ? real.jit(f as never, ...(options as [])) : roundTrip(f);
  const valueAndGrad = (f: Fn, ...options: unknown[]) =>
    roundTrip(real.valueAndGrad(f as never, ...(options as [])) as Fn);
  return { ...real, jit, valueAndGrad };
});

import "./golden.test.js";
import "./primitives.test.js";
import { grad, lax, numpy as np, stablehlo, type Array as NdArray } from "../src/index.js";
import { deserialize } from "../src/stablehlo/deserialize.js";

/** deserialize(export(f).mlirModule()): the program read back, with the text it came from. */
function readBack(f: (...xs: NdArray[]) => NdArray, ...args: NdArray[]) {
  const text = stablehlo.export(f, ...args).mlirModule();
  expect(stablehlo.export(f, ...args).mlirModule()).toBe(text);
  return { text, g: (...xs: NdArray[]) => deserialize(text).call(...xs) as NdArray };
}

const same = (a: NdArray, b: NdArray) => expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));

describe("stablehlo round trip: control flow", () => {
  const xs = np.array([0.5, 1.5, 2.5]);

  it("scan: a counted while loop, differentiated in reverse mode after the trip", () => {
    const f = (x: NdArray) => {
      const [c, ys] = lax.scan(
        (c: NdArray, xi: NdArray) => [np.add(np.multiply(c, xi), np.sin(xi)), np.multiply(c, 2)],
        np.zeros([]),
        x,
      ) as [NdArray, NdArray];
      return np.add(c, np.sum(ys));
    };
    const { text, g } = readBack(f, xs);
    expect(text).toContain("stablehlo.while");
    same(g(xs), f(xs));
    // The read-back loop runs as lax.scan (its trip count is static), so grad goes through it.
    same(grad(g)(xs), grad(f)(xs));
  });

  it("cond, switch, whileLoop and foriLoop", () => {
    const c = (x: NdArray) =>
      lax.cond(
        np.greater(np.sum(x), 3),
        (y: NdArray) => np.sin(y),
        (y: NdArray) => np.cos(y),
        x,
      ) as NdArray;
    const sw = (x: NdArray) =>
      lax.switch(
        np.argmax(x),
        [(y: NdArray) => np.exp(y), (y: NdArray) => np.negative(y), (y: NdArray) => np.square(y)],
        x,
      ) as NdArray;
    const w = (x: NdArray) =>
      lax.whileLoop(
        (y: NdArray) => np.less(np.sum(y), 100),
        (y: NdArray) => np.multiply(y, 1.5),
        x,
      );
    const fl = (x: NdArray) =>
      lax.foriLoop(0, 4, (i: NdArray, y: NdArray) => np.add(np.multiply(y, 0.5), i), x) as NdArray;
    for (const f of [c, sw, w, fl]) {
      const { g } = readBack(f, xs);
      same(g(xs), f(xs));
    }
    same(grad((x: NdArray) => np.sum(readBack(fl, xs).g(x)))(xs), grad((x: NdArray) => np.sum(fl(x)))(xs));
  });
});

describe("stablehlo round trip: linalg (cholesky and LAPACK custom calls, as JAX lowers them on CPU)", () => {
  const a = np.array([
    [4, 2, 1],
    [2, 3, 0.5],
    [1, 0.5, 2],
  ]);
  const fns: [string, (x: NdArray) => NdArray][] = [
    ["cholesky", (x) => np.linalg.cholesky(x)],
    ["qr", (x) => np.add(np.linalg.qr(x)[0], np.linalg.qr(x)[1])],
    ["eigh", (x) => np.linalg.eigh(x)[0]],
    ["svd", (x) => np.add(np.linalg.svd(x, false)[1], np.sum(np.abs(np.linalg.svd(x, false)[0])))],
    ["solve", (x) => np.linalg.solve(x, np.array([1, 2, 3]))],
    ["det", (x) => np.linalg.det(x)],
    ["inv", (x) => np.linalg.inv(x)],
  ];
  for (const [name, f] of fns) {
    it(name, () => {
      const { g } = readBack(f, a);
      same(g(a), f(a));
      // Gradients: the read-back program may split a factorization in two calls (geqrf for R,
      // orgqr for Q), whose derivative rules sum in another order: equal to a few float32 ulps.
      const gg = Array.from(grad((x: NdArray) => np.sum(g(x)))(a).dataSync());
      const gf = Array.from(grad((x: NdArray) => np.sum(f(x)))(a).dataSync());
      gg.forEach((v, i) => expect(Math.abs(v - gf[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(gf[i]))));
    });
  }
});

describe("stablehlo round trip: summary", () => {
  it("exported and read back the suites' programs", () => {
    const log = (globalThis as { stablehloRoundTrips?: RoundTripLog }).stablehloRoundTrips;
    // Runs last (vitest runs a file's tests in order): every golden case and primitive row went through it.
    expect(log?.programs ?? 0).toBeGreaterThan(100);
    expect(log?.texts.size ?? 0).toBeGreaterThan(50);
  });
});
