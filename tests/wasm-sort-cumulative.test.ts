/**
 * The wasm platform's sort (radix) and cumulative (generated WebAssembly)
 * kernels give bit-identical results to the cpu platform's reference kernels.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config, lax, numpy as jnp } from "../src/index.js";
import { onCpu } from "./helpers/platform.js";
import { hostArray, NdArray } from "../src/core/array.js";
import { ShapedArray } from "../src/core/aval.js";
import type { DType, TypedArray } from "../src/core/dtypes.js";
import { sortCalls, wasmThresholds } from "../src/backends/wasm/routines.js";

const saved = { ...wasmThresholds };
beforeAll(() => {
  config.update("platform", "wasm");
  wasmThresholds.elementwise = 0;
});
afterAll(() => {
  Object.assign(wasmThresholds, saved);
  config.update("platform", "wasm");
});

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bit patterns of float32 values that order in special ways: NaNs of both signs and several payloads, ±0, ±∞, subnormals. */
const SPECIAL_BITS = [
  0x7fc00000, 0xffc00000, 0x7fc00001, 0xffd12345, 0x7fffffff, 0x00000000, 0x80000000, 0x7f800000, 0xff800000,
  0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x3f800000, 0xbf800000, 0x7f7fffff, 0xff7fffff,
];

function floatData(size: number, seed: number): Float32Array {
  const r = rng(seed);
  const bits = new Uint32Array(size);
  const pool = Array.from({ length: 5 }, () => Math.floor(r() * 4294967296));
  for (let i = 0; i < size; i++) {
    const u = r();
    if (u < 0.15) bits[i] = SPECIAL_BITS[Math.floor(r() * SPECIAL_BITS.length)];
    else if (u < 0.35) bits[i] = pool[Math.floor(r() * pool.length)];
    else if (u < 0.6) bits[i] = new Uint32Array(Float32Array.of(Math.round((r() - 0.5) * 20)).buffer)[0];
    else bits[i] = new Uint32Array(Float32Array.of((r() - 0.5) * 1e3).buffer)[0];
  }
  return new Float32Array(bits.buffer);
}

function intData(size: number, seed: number, range: number): Int32Array {
  const r = rng(seed);
  return Int32Array.from({ length: size }, () =>
    r() < 0.1 ? [-2147483648, 2147483647, 0, -1][Math.floor(r() * 4)] : Math.floor((r() - 0.5) * range),
  );
}

const make = (data: TypedArray, dtype: DType, shape: number[]) => hostArray(new ShapedArray(shape, dtype, false), data);

function bits(x: NdArray): Uint32Array {
  const d = x._data!;
  return new Uint32Array(d.buffer, d.byteOffset, d.byteLength / 4);
}

/** Runs f on the cpu platform and on the wasm platform; expects bit-identical outputs and returns the wasm calls made. */
/**
 * With `nanPayloads` false, two NaNs count as equal whatever their bits: where
 * both operands of a float64 add or multiply are NaN, which payload the JS
 * reference's result carries depends on how V8 compiled it at the time.
 */
function sameOnBoth(f: () => NdArray[], counter: "radix" | "cumulative", label = "", nanPayloads = true): void {
  const want = onCpu(f);
  const before = sortCalls[counter];
  const got = f();
  expect(sortCalls[counter]).toBeGreaterThan(before);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    expect(g.dtype).toBe(want[i].dtype);
    expect(g.aval.shape).toEqual(want[i].aval.shape);
    const a = bits(g);
    const b = bits(want[i]);
    let firstDiff = -1;
    const isNaN32 = (u: number) => (u & 0x7fffffff) > 0x7f800000;
    for (let k = 0; k < a.length && firstDiff < 0; k++) {
      if (a[k] !== b[k] && (nanPayloads || !(isNaN32(a[k]) && isNaN32(b[k])))) firstDiff = k;
    }
    const at = firstDiff;
    expect(firstDiff, `${label} operand ${i} differs at ${at}: ${a[at]?.toString(16)} for ${b[at]?.toString(16)}`).toBe(
      -1,
    );
  });
}

const CASES: [number[], number][] = [
  [[1], 0],
  [[7], 0],
  [[64], 0],
  [[1023], 0],
  [[4097], 0],
  [[1023, 3], 0],
  [[3, 7, 5], 0],
  [[3, 7, 5], 1],
  [[3, 7, 5], 2],
  [[2, 1023, 3], 1],
  [[5, 129], 1],
  [[4, 300], 0],
  [[2, 3, 4097], 2],
];

describe("sort on the wasm platform", () => {
  CASES.forEach(([shape, axis], c) => {
    const size = shape.reduce((a, b) => a * b, 1);
    it(`float32 sort and argsort, shape [${shape}] axis ${axis}`, () => {
      for (let seed = 0; seed < 3; seed++) {
        const x = make(floatData(size, 100 * c + seed), "float32", shape);
        sameOnBoth(() => [jnp.sort(x, axis)], "radix");
        sameOnBoth(() => [jnp.argsort(x, axis)], "radix");
      }
    });
    it(`int32 and uint32 keys with carried operands, shape [${shape}] axis ${axis}`, () => {
      const k = make(intData(size, 7 * c + 1, 40), "int32", shape);
      const big = make(intData(size, 7 * c + 2, 2 ** 32), "int32", shape);
      const u = make(new Uint32Array(intData(size, 7 * c + 3, 50).buffer), "uint32", shape);
      const v = make(floatData(size, 7 * c + 4), "float32", shape);
      const w = make(Float64Array.from(floatData(size, 7 * c + 5)), "float64", shape);
      sameOnBoth(() => lax.sort([k, v, w], axis, true, 1), "radix");
      sameOnBoth(() => lax.sort([big, k], axis, true, 1), "radix");
      sameOnBoth(() => lax.sort([u, v], axis, true, 1), "radix");
    });
    it(`lexicographic sorts on several keys, shape [${shape}] axis ${axis}`, () => {
      const a = make(intData(size, 11 * c + 1, 4), "int32", shape);
      const b = make(floatData(size, 11 * c + 2), "float32", shape);
      const d = make(new Uint32Array(intData(size, 11 * c + 3, 6).buffer), "uint32", shape);
      const iota = make(
        Int32Array.from({ length: size }, (_, i) => i),
        "int32",
        shape,
      );
      sameOnBoth(() => lax.sort([a, b, iota], axis, true, 2), "radix");
      sameOnBoth(() => lax.sort([b, a, d, iota], axis, true, 3), "radix");
    });
  });
  it("sorts NaN last, treats every NaN alike and -0 like +0, stably", () => {
    const xs = [NaN, -0, 0, -Infinity, Infinity, -NaN, -0, 1, 0];
    const b = new Float32Array(xs);
    new Uint32Array(b.buffer)[5] = 0xffc00001;
    const x = make(b, "float32", [xs.length]);
    const p = jnp.argsort(x);
    expect(Array.from(p._data!)).toEqual([3, 1, 2, 6, 8, 7, 4, 0, 5]);
  });
  it("float64 keys stay on the reference", () => {
    const before = sortCalls.radix;
    jnp.sort(make(new Float64Array([3, 1, 2]), "float64", [3]));
    expect(sortCalls.radix).toBe(before);
  });
});

describe("cumulative ops on the wasm platform", () => {
  const ops = [
    ["cumsum", lax.cumsum],
    ["cumprod", lax.cumprod],
    ["cummax", lax.cummax],
    ["cummin", lax.cummin],
  ] as const;
  CASES.forEach(([shape, axis], c) => {
    const size = shape.reduce((a, b) => a * b, 1);
    it(`float32 and int32, shape [${shape}] axis ${axis}`, () => {
      const r = rng(c);
      const plain = make(
        Float32Array.from({ length: size }, () => (r() < 0.02 ? -0 : (r() - 0.5) * 4)),
        "float32",
        shape,
      );
      const special = make(floatData(size, 31 * c), "float32", shape);
      const ints = make(intData(size, 3 * c, 2 ** 32), "int32", shape);
      for (const [name, op] of ops) {
        for (const reverse of [false, true]) {
          sameOnBoth(() => [op(plain, axis, reverse)], "cumulative");
          const label = `${name} reverse=${reverse}`;
          sameOnBoth(() => [op(special, axis, reverse)], "cumulative", label, name === "cummax" || name === "cummin");
          if (name !== "cumprod") sameOnBoth(() => [op(ints, axis, reverse)], "cumulative");
        }
      }
    });
  });
});
