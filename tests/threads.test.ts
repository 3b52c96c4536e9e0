import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { Body, buildModule, I32 } from "../src/backends/wasm/encoder.js";
import { MAX_PAGES } from "../src/backends/wasm/gemm-kernel.js";
import {
  blockingWait,
  canBlock,
  planPool,
  pollingWait,
  webThreaded,
  type Environment,
  type WorkerLike,
} from "../src/backends/wasm/threads.js";

const shim = new URL("./helpers/web-worker-shim.mjs", import.meta.url);
const script = new URL("../src/backends/wasm/gemm-worker-web.js", import.meta.url);

/** A browser worker as a Node worker thread running the browser worker script (or `url`). */
function spawner(url = script) {
  return (): WorkerLike => {
    const w = new Worker(shim, { workerData: { url: url.href } });
    w.unref();
    return {
      postMessage: (m) => w.postMessage(m),
      addEventListener: (type, listener) => void w.on(type, listener),
      terminate: () => void w.terminate(),
    };
  };
}

/** A kernel module: run(a, b) = a·b, or one that traps. */
function kernelBytes(trap = false): Uint8Array<ArrayBuffer> {
  const body = new Body(2);
  if (trap) body.code.push(0x00);
  else body.get(0).get(1).i32Mul();
  return buildModule([{ name: "run", params: [I32, I32], results: [I32], body }], 1, true, MAX_PAGES);
}

async function until(test: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const pools: { close(): void }[] = [];
afterEach(() => {
  for (const p of pools.splice(0)) p.close();
});

describe("choosing the pool", () => {
  const page: Environment = {
    window: {},
    crossOriginIsolated: true,
    SharedArrayBuffer,
    Atomics,
    Worker: function () {},
    navigator: { hardwareConcurrency: 4 },
  };
  it("gives a cross-origin isolated page hardwareConcurrency - 1 workers (at most 7), polling on its main thread", () => {
    const plan = planPool(page, () => false);
    expect(plan).toEqual({ kind: "web", workers: 3, wait: pollingWait });
    expect(planPool({ ...page, navigator: { hardwareConcurrency: 32 } }, () => true)).toEqual({
      kind: "web",
      workers: 7,
      wait: blockingWait,
    });
    const worker = { ...page, window: undefined, WorkerGlobalScope: function () {} };
    expect(planPool(worker, () => true)).toEqual({ kind: "web", workers: 3, wait: blockingWait });
  });
  it("falls back to one thread without isolation, shared memory, Worker or a second core", () => {
    expect(planPool({ ...page, crossOriginIsolated: false }, () => false)).toBeNull();
    expect(planPool({ ...page, crossOriginIsolated: undefined }, () => false)).toBeNull();
    expect(planPool({ ...page, SharedArrayBuffer: undefined }, () => false)).toBeNull();
    expect(planPool({ ...page, Worker: undefined }, () => false)).toBeNull();
    expect(planPool({ ...page, navigator: { hardwareConcurrency: 1 } }, () => false)).toBeNull();
    expect(planPool({ ...page, window: undefined }, () => false)).toBeNull();
  });
  it("keeps Node's worker_threads in Node", () => {
    const plan = planPool();
    if (plan !== null) expect(plan.kind).toBe("node");
    expect(canBlock()).toBe(true);
  });
});

describe("waiting", () => {
  it("returns the final state, blocking or polling", async () => {
    for (const wait of [blockingWait, pollingWait]) {
      const ctl = new Int32Array(new SharedArrayBuffer(4 * 24));
      ctl[0] = 2;
      expect(wait(ctl, 0)).toBe(2);
      ctl[0] = 5;
      expect(wait(ctl, 0)).toBe(5);
    }
  });
});

describe("the browser pool (its worker script in Node worker threads)", () => {
  it("runs kernels on the workers once they have them, polling as a page's main thread does", async () => {
    const pool = webThreaded(2, spawner(), pollingWait);
    pools.push(pool);
    // Before the workers have started everything runs here.
    const id = pool.register(kernelBytes());
    expect(
      pool.runKernel(id, [
        [2, 3],
        [4, 5],
        [6, 7],
      ]),
    ).toEqual([6, 20, 42]);
    await until(() => pool.workers === 2);
    const ready = () => {
      pool.runKernel(id, [
        [1, 1],
        [1, 1],
        [1, 1],
      ]);
      return pool.last.results.filter((r) => r !== undefined).length === 3;
    };
    await until(ready);
    expect(
      pool.runKernel(id, [
        [2, 3],
        [4, 5],
        [6, 7],
        [8, 9],
      ]),
    ).toEqual([6, 20, 42, 72]);
    expect(pool.last.results).toEqual([6 + 72, 20, 42]);
    // A kernel registered while the workers wait: they go back to their event loop for it.
    const second = pool.register(kernelBytes());
    await until(() => {
      pool.runKernel(second, [
        [1, 1],
        [1, 1],
        [1, 1],
      ]);
      return pool.last.results.filter((r) => r !== undefined).length === 3;
    });
    expect(
      pool.runKernel(second, [
        [3, 3],
        [5, 5],
        [7, 7],
      ]),
    ).toEqual([9, 25, 49]);
  });

  it("blocks where it may, and reports a kernel that traps on a worker", async () => {
    const pool = webThreaded(1, spawner(), blockingWait);
    pools.push(pool);
    const id = pool.register(kernelBytes(true));
    await until(() => pool.workers === 1);
    await new Promise((r) => setTimeout(r, 50)); // the worker instantiates the kernel
    expect(() =>
      pool.runKernel(id, [
        [0, 0],
        [0, 0],
      ]),
    ).toThrow();
    // Whichever thread trapped, the slot is idle again: the next call runs normally.
    const ok = pool.register(kernelBytes());
    await new Promise((r) => setTimeout(r, 50));
    expect(
      pool.runKernel(ok, [
        [2, 2],
        [3, 3],
      ]),
    ).toEqual([4, 9]);
  });

  it("runs everything on the calling thread when the worker script is missing", async () => {
    const pool = webThreaded(2, spawner(new URL("./missing-worker.js", script)), pollingWait);
    pools.push(pool);
    const id = pool.register(kernelBytes());
    await new Promise((r) => setTimeout(r, 200));
    expect(pool.workers).toBe(0);
    expect(
      pool.runKernel(id, [
        [2, 3],
        [4, 5],
        [6, 7],
      ]),
    ).toEqual([6, 20, 42]);
    expect(pool.last.results).toEqual([68]);
  });

  it("throws when a worker cannot be created (the pool then falls back to one thread)", () => {
    const spawn = () => {
      throw new Error("blocked by Content-Security-Policy");
    };
    expect(() => webThreaded(2, spawn, pollingWait)).toThrow(/Content-Security-Policy/);
  });
});
