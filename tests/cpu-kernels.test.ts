import { afterEach, describe, expect, it } from "vitest";
import { config, numpy as np, type Array } from "../src/index.js";

// The plain-JS kernels have fast paths (row broadcasts, selects with scalar cases, reductions
// over a block of axes); each is checked here against a direct JS loop, on the cpu platform
// so that the WebAssembly kernels do not take the calls. Exact: the same float operations.
const values = (a: Array) => globalThis.Array.from(a.dataSync() as ArrayLike<number>);

describe("cpu kernel fast paths", () => {
  afterEach(() => config.update("platform", "wasm"));

  it("binary ops with a row broadcast on either side", () => {
    config.update("platform", "cpu");
    const m = np.reshape(np.sin(np.arange(3 * 4 * 5)), [3, 4, 5]);
    const row = np.cos(np.arange(5));
    const plane = np.reshape(np.cos(np.arange(20)), [1, 4, 5]);
    const mv = values(m);
    const rv = values(row);
    const pv = values(plane);
    expect(values(np.add(m, row))).toEqual(mv.map((x, i) => Math.fround(x + rv[i % 5])));
    expect(values(np.subtract(row, m))).toEqual(mv.map((x, i) => Math.fround(rv[i % 5] - x)));
    expect(values(np.multiply(m, plane))).toEqual(mv.map((x, i) => Math.fround(x * pv[i % 20])));
  });

  it("select with full-size and scalar cases", () => {
    config.update("platform", "cpu");
    const x = np.sin(np.arange(40));
    const xv = values(x);
    expect(values(np.where(np.greater(x, 0), x, 0))).toEqual(xv.map((v) => (v > 0 ? v : 0)));
    expect(values(np.where(np.less(x, 0), 2, x))).toEqual(xv.map((v) => (v < 0 ? 2 : v)));
  });

  it("reductions over leading, middle, trailing and scattered axes", () => {
    config.update("platform", "cpu");
    const shape = [2, 3, 4];
    const x = np.reshape(np.arange(24), shape).astype("float32");
    const at = (i: number, j: number, k: number) => i * 12 + j * 4 + k;
    const sum = (f: (i: number, j: number, k: number) => boolean) => {
      let s = 0;
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) if (f(i, j, k)) s += at(i, j, k);
      return s;
    };
    expect(values(np.sum(x, 0))).toEqual(
      [...globalThis.Array(12).keys()].map((p) => sum((i, j, k) => j * 4 + k === p)),
    );
    expect(values(np.sum(x, 1))).toEqual([...globalThis.Array(8).keys()].map((p) => sum((i, j, k) => i * 4 + k === p)));
    expect(values(np.sum(x, [1, 2]))).toEqual([0, 1].map((p) => sum((i) => i === p)));
    expect(values(np.sum(x, [0, 2]))).toEqual([0, 1, 2].map((p) => sum((i, j) => j === p)));
    expect(values(np.max(x, [0, 2]))).toEqual([0, 1, 2].map((p) => at(1, p, 3)));
  });
});
