/**
 * Worker threads for the wasm kernels, in Node (`worker_threads`): each worker
 * runs the gemm kernel on the shared memory, woken through a shared control
 * block (Atomics). The main thread takes a share of the work too and then
 * waits for the others, so a call is synchronous. Where threads are not
 * available (no worker_threads, no shared memory, or a browser main thread,
 * which may not block), everything runs on the calling thread.
 */
import { createRequire } from "node:module";
import { gemmModuleBytes, MAX_PAGES, type GemmFn } from "./gemm-kernel.js";

export interface Pool {
  memory: WebAssembly.Memory;
  /** The calling thread's kernel. */
  gemm: GemmFn;
  /** Number of worker threads (besides the calling thread). */
  workers: number;
  /** Runs gemm on column ranges: ranges[0] here, ranges[i] on worker i-1; returns when all are done. */
  run(args: [number, number, number, number, number, number], ranges: [number, number][]): void;
}

/** Int32 words per worker in the control block: [state, ready, ...gemm arguments]. */
const SLOT = 10;

function cpuCount(): number {
  const os = createRequire(import.meta.url)("node:os") as {
    availableParallelism?: () => number;
    cpus: () => unknown[];
  };
  return os.availableParallelism ? os.availableParallelism() : os.cpus().length;
}

function singleThread(): Pool {
  const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES });
  const gemm = new WebAssembly.Instance(new WebAssembly.Module(gemmModuleBytes(false)), { env: { memory } }).exports
    .gemm as GemmFn;
  return {
    memory,
    gemm,
    workers: 0,
    run: (args, ranges) => {
      for (const [a, b] of ranges) gemm(args[0], args[1], args[2], args[3], a, b, args[4], args[5]);
    },
  };
}

function threaded(count: number): Pool {
  const { Worker } = createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads");
  const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
  const module = new WebAssembly.Module(gemmModuleBytes(true));
  const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm as GemmFn;
  const control = new SharedArrayBuffer(4 * SLOT * count);
  const ctl = new Int32Array(control);
  const url = new URL("./gemm-worker.js", import.meta.url);
  for (let slot = 0; slot < count; slot++) {
    const worker = new Worker(url, { workerData: { module, memory, control, slot, slotSize: SLOT } });
    worker.unref(); // idle workers never keep the process alive
    // A worker that cannot start (e.g. its file missing from a bundle) never says it is ready,
    // and its share of the work runs on the calling thread.
    worker.on("error", () => {});
  }
  // Workers start in the background: until one says it is ready, its share runs here.
  const ready = (i: number) => Atomics.load(ctl, i * SLOT + 1) === 1;
  return {
    memory,
    gemm,
    workers: count,
    run(args, ranges) {
      const posted: number[] = [];
      const here: [number, number][] = [ranges[0]];
      ranges.slice(1).forEach(([jr0, jr1], i) => {
        if (!ready(i)) return void here.push([jr0, jr1]);
        const base = i * SLOT;
        ctl.set([args[0], args[1], args[2], args[3], jr0, jr1, args[4], args[5]], base + 2);
        Atomics.store(ctl, base, 1);
        Atomics.notify(ctl, base);
        posted.push(base);
      });
      for (const [jr0, jr1] of here) gemm(args[0], args[1], args[2], args[3], jr0, jr1, args[4], args[5]);
      for (const base of posted) {
        while (Atomics.load(ctl, base) !== 2) Atomics.wait(ctl, base, 1);
        Atomics.store(ctl, base, 0);
      }
    },
  };
}

function canUseThreads(): boolean {
  const isNode = typeof process !== "undefined" && !!process.versions?.node;
  return isNode && typeof SharedArrayBuffer !== "undefined" && typeof Atomics !== "undefined";
}

let pool: Pool | null | undefined;

/** The kernel pool (created on first use), or null where WebAssembly SIMD is unavailable. */
export function getPool(): Pool | null {
  if (pool !== undefined) return pool;
  try {
    const extra = canUseThreads() ? Math.min(cpuCount(), 8) - 1 : 0;
    pool = extra > 0 ? threaded(extra) : singleThread();
  } catch {
    try {
      pool = singleThread();
    } catch {
      pool = null;
    }
  }
  return pool;
}
