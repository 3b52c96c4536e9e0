/**
 * The wasm platform's limits: arrays whose kernels do not fit the wasm memory
 * (lowered here through `wasmMemoryLimit`, so that no test allocates
 * gigabytes) give the cpu platform's results, and a worker thread that dies
 * never makes a kernel wait forever.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  ArgumentTypeError,
  config,
  defaultBackend,
  devices,
  init,
  jit,
  numpy as np,
  type Array as NdArray,
} from "../src/index.js";
import { wasmMemoryLimit, growMemory } from "../src/backends/wasm/memory.js";
import { largeKernelRuns } from "../src/backends/wasm/kernel-run.js";
import { gemmTuning } from "../src/backends/wasm/gemm.js";
import {
  getPool,
  threadTuning,
  webThreaded,
  WorkerLostError,
  type Waiter,
  type WorkerLike,
} from "../src/backends/wasm/threads.js";
import { Body, buildModule, I32 } from "../src/backends/wasm/encoder.js";
import { MAX_PAGES } from "../src/backends/wasm/gemm-kernel.js";

const saved = { limit: wasmMemoryLimit.bytes, platform: config.values.platform, tuning: { ...threadTuning } };
afterEach(() => {
  wasmMemoryLimit.bytes = saved.limit;
  config.update("platform", saved.platform);
  Object.assign(threadTuning, saved.tuning);
});

describe("kernels larger than the wasm memory", () => {
  const N = 200_000;
  const v = np.arange(N).astype("float32").div(N);
  const m = np
    .arange(300 * 200)
    .reshape(300, 200)
    .astype("float32")
    .div(1000);
  const fused = jit((a: NdArray) => np.sum(np.exp(a).mul(2)));
  const cases: Record<string, () => NdArray> = {
    "sum over everything": () => v.sum(),
    "max over everything": () => v.max(),
    "sum over rows": () => m.sum(0),
    "sum over columns": () => m.sum(1),
    "max over rows": () => m.max(0),
    "elementwise with a bias row": () => m.add(m.get(0)),
    cumsum: () => np.cumsum(v),
    "a fused jit kernel": () => fused(v),
    "matmul (m split)": () => np.matmul(m, m.T),
    "matmul (n split)": () => np.matmul(np.ones([1, 500]), np.ones([500, 3000])),
    "matmul (k split)": () => np.matmul(np.ones([1, 20000]), np.ones([20000, 1])),
    "batched matmul": () => np.matmul(np.ones([8, 50, 60]), np.ones([8, 60, 70])),
  };

  it("run in blocks under a lowered limit, giving the cpu platform's values", () => {
    config.update("platform", "cpu");
    const cpu = Object.fromEntries(Object.entries(cases).map(([k, f]) => [k, f().tolist()]));
    config.update("platform", "wasm");
    const before = { blocks: largeKernelRuns.inBlocks, splits: gemmTuning.splits };
    wasmMemoryLimit.bytes = 256 * 1024; // a quarter MiB: every case above needs more
    for (const [name, f] of Object.entries(cases)) {
      const got = f();
      const want = cpu[name];
      if (name.startsWith("matmul") || name === "batched matmul") {
        // float32 sums in another order (k split): equal to rounding.
        const g = got.dataSync();
        const w = np.array(want as number[]).dataSync();
        for (let i = 0; i < w.length; i++)
          expect(Math.abs(g[i] - w[i]), name).toBeLessThanOrEqual(1e-5 * Math.abs(w[i]));
      } else expect(got.tolist(), name).toEqual(want);
    }
    expect(largeKernelRuns.inBlocks).toBeGreaterThan(before.blocks);
    expect(gemmTuning.splits).toBeGreaterThan(before.splits);
  });

  it("blocks give the same bits as one run (sums carried in order)", () => {
    const one = [v.sum().item(), m.sum(0).tolist(), fused(v).item()];
    wasmMemoryLimit.bytes = 128 * 1024;
    expect([v.sum().item(), m.sum(0).tolist(), fused(v).item()]).toEqual(one);
  });

  it("a memory the system refuses to grow is a fallback, not a RangeError", () => {
    const refusing = {
      buffer: new ArrayBuffer(65536),
      grow() {
        throw new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded");
      },
    } as unknown as WebAssembly.Memory;
    expect(growMemory(refusing, 1 << 20)).toBe(false);
    expect(growMemory(refusing, 1000)).toBe(true);
    wasmMemoryLimit.bytes = 1 << 20;
    expect(growMemory(refusing, 2 << 20)).toBe(false);
  });
});

describe("a worker thread that dies", () => {
  const pool = getPool();
  const a = np
    .arange(256 * 256)
    .reshape(256, 256)
    .astype("float32")
    .div(65536);
  const big = np.arange(1 << 18).astype("float32");
  /** The values with every worker well (the wasm platform's own, which are the same however many threads ran). */
  const expected = () => [big.sum().item(), np.matmul(a, a).tolist()];

  it.runIf(pool !== null && pool.killWorker !== undefined)(
    "is noticed: threaded kernels and gemm still return the right values (killed between calls, then at once)",
    async () => {
      const want = expected();
      await new Promise((r) => setTimeout(r, 300)); // the workers have started
      await pool!.killWorker!(0);
      let t = Date.now();
      expect([big.sum().item(), np.matmul(a, a).tolist()]).toEqual(want);
      expect(Date.now() - t).toBeLessThan(5000);
      await new Promise((r) => setTimeout(r, 300)); // a replacement starts
      expect([big.sum().item(), np.matmul(a, a).tolist()]).toEqual(want);
      // Killed with no turn of the event loop before the next kernel: no 'exit' event yet.
      void pool!.killWorker!(0);
      t = Date.now();
      for (let i = 0; i < 4; i++) expect([big.sum().item(), np.matmul(a, a).tolist()]).toEqual(want);
      expect(Date.now() - t).toBeLessThan(10_000);
    },
  );

  it.runIf(pool !== null)("a lost worker's share is computed again on the calling thread", () => {
    const want = expected();
    const p = pool!;
    const { run, runKernel } = p;
    let lost = 0;
    try {
      p.runKernel = (id, lists) => {
        const r = runKernel(id, lists);
        if (lists.length > 1 || lost === 0) {
          lost++;
          throw new WorkerLostError("[wasm] simulated");
        }
        return r;
      };
      p.run = (lists) => {
        const r = run(lists);
        if (lost < 2) {
          lost++;
          throw new WorkerLostError("[wasm] simulated");
        }
        return r;
      };
      expect(big.sum().item()).toEqual(want[0]);
      expect(np.matmul(a, a).tolist()).toEqual(want[1]);
      expect(lost).toBe(2);
    } finally {
      p.run = run;
      p.runKernel = runKernel;
    }
  });
});

describe("the dispatcher's last resort (a browser pool with stand-in workers)", () => {
  /** run(a, b) = a·b */
  const kernel = () => {
    const body = new Body(2);
    body.get(0).get(1).i32Mul();
    return buildModule([{ name: "run", params: [I32, I32], results: [I32], body }], 1, true, MAX_PAGES);
  };
  /** A stand-in worker: says it is ready and has every kernel, then never does anything. */
  const silent = (terminated: number[]) => (): WorkerLike => ({
    postMessage(m) {
      const msg = m as { control?: SharedArrayBuffer; counts?: Int32Array; slot?: number; slotSize?: number };
      if (msg.control === undefined) return;
      new Int32Array(msg.control)[msg.slot! * msg.slotSize! + 1] = 1;
      msg.counts![msg.slot! + 1] = 1000;
    },
    addEventListener() {},
    terminate: () => void terminated.push(1),
  });

  it("work a worker never takes is taken back and run here; the worker is retired after a few calls", () => {
    threadTuning.takeBackMs = 20;
    const terminated: number[] = [];
    const pool = webThreaded(1, silent(terminated), (ctl, base, ms) => {
      const end = Date.now() + (ms ?? 0);
      while (Date.now() < end) void 0;
      return Atomics.load(ctl, base);
    });
    const id = pool.register(kernel());
    for (let i = 0; i < threadTuning.strikes; i++) {
      expect(
        pool.runKernel(id, [
          [2, 3],
          [4, 5],
        ]),
      ).toEqual([6, 20]);
    }
    expect(terminated.length).toBe(1);
    const t = Date.now();
    expect(
      pool.runKernel(id, [
        [2, 3],
        [4, 5],
      ]),
    ).toEqual([6, 20]);
    expect(Date.now() - t).toBeLessThan(20); // no longer posted to: no wait
    pool.close();
  });

  it("a worker that took work and died is a typed WorkerLostError after lostAfterMs, not a hang", () => {
    threadTuning.lostAfterMs = 50;
    const terminated: number[] = [];
    // The "worker" takes the job (posted → running) and then never finishes it.
    const takesAndDies: Waiter = (ctl, base) => {
      Atomics.compareExchange(ctl, base, 1, 4);
      return Atomics.load(ctl, base);
    };
    const pool = webThreaded(1, silent(terminated), takesAndDies);
    const id = pool.register(kernel());
    const t = Date.now();
    expect(() =>
      pool.runKernel(id, [
        [2, 3],
        [4, 5],
      ]),
    ).toThrow(WorkerLostError);
    expect(Date.now() - t).toBeLessThan(2000);
    expect(terminated.length).toBe(1);
    expect(
      pool.runKernel(id, [
        [2, 3],
        [4, 5],
      ]),
    ).toEqual([6, 20]);
    pool.close();
  });
});

describe("the backend registry: init, devices, defaultBackend, data()", () => {
  afterEach(() => config.update("platform", "wasm"));

  it("init() readies every platform of this build that can run here; init(name) the named ones", async () => {
    expect(await init()).toEqual(expect.arrayContaining(["cpu", "wasm"]));
    expect(await init("cpu")).toEqual(["cpu"]);
    expect(await init("wasm", "cpu")).toEqual(["wasm", "cpu"]);
  });

  it("an unknown platform is a typed error at the call (not a rejected Promise), naming the known ones", () => {
    expect(() => init("tpu")).toThrow(ArgumentTypeError);
    expect(() => init("tpu")).toThrow(/\[init\] unknown platform: got string "tpu", expected one of "cpu", "wasm"/);
    expect(() => init(3 as unknown as string)).toThrow(/got number 3/);
  });

  it("devices() and defaultBackend() follow the platform option; arrays made on one platform run on the other", async () => {
    const x = np.array([1, 2, 3]);
    expect(defaultBackend()).toBe("wasm");
    expect(devices().map(String)).toEqual(["WasmDevice(id=0)"]);
    config.update("platform", "cpu");
    expect(defaultBackend()).toBe("cpu");
    expect(devices().map((d) => [d.platform, d.id])).toEqual([["cpu", 0]]);
    expect(Array.from(await np.multiply(x, 2).data())).toEqual([2, 4, 6]);
  });

  it("data() resolves to a copy that does not alias the array", async () => {
    const x = np.array([1, 2]);
    const d = await x.data();
    d[0] = 99;
    expect(x.tolist()).toEqual([1, 2]);
  });
});
