/**
 * Worker threads for the wasm kernels, in Node (`worker_threads`): each worker
 * runs the gemm driver (or another registered kernel) on the shared memory,
 * woken through a shared control block (Atomics). The main thread takes a
 * share of the work too and then waits for the others, so a call is
 * synchronous. Where threads are not available (no worker_threads, no shared
 * memory, or a browser main thread, which may not block), everything runs on
 * the calling thread.
 */
import { createRequire } from "node:module";
import { gemmModuleBytes, MAX_PAGES, type GemmFn } from "./gemm-kernel.js";

export interface Pool {
  memory: WebAssembly.Memory;
  /** The calling thread's gemm driver (float32 or float64, by its last argument). */
  gemm: GemmFn;
  /** Number of worker threads (besides the calling thread). */
  workers: number;
  /**
   * Runs the gemm driver once per argument list: the first here, list i on worker
   * i-1 (lists beyond the workers, or for a worker not started yet, here after
   * the first); returns when all are done. The lists share one pool of work
   * (see gemm-kernel.ts), so a list that a worker has not begun by the time the
   * calling thread is done is called off rather than waited for. Returns what
   * each list's driver returned (the tiles it took), -1 for one called off.
   */
  run(argLists: Parameters<GemmFn>[]): number[];
  /**
   * Compiles a kernel module (one exported function `run`, importing the pool's
   * memory) for every thread; returns its id for `runKernel`.
   */
  register(bytes: Uint8Array<ArrayBuffer>): number;
  /** Runs kernel `id` once per argument list (the first here, the others on workers); returns each result. */
  runKernel(id: number, argLists: number[][]): number[];
}

/** Int32 words per worker in the control block: [state, ready, kernel, result, ...arguments]. */
const SLOT = 24;
const MAX_ARGS = SLOT - 4;
/** States of a slot (see gemm-worker.js). */
const [IDLE, POSTED, DONE, FAILED] = [0, 1, 2, 5];

type KernelFn = (...args: number[]) => number;

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
  const kernels: KernelFn[] = [];
  return {
    memory,
    gemm,
    workers: 0,
    run: (argLists) => argLists.map((args) => gemm(...args)),
    register(bytes) {
      const run = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.run as KernelFn;
      return kernels.push(run) - 1;
    },
    runKernel: (id, argLists) => argLists.map((args) => kernels[id](...args)),
  };
}

function threaded(count: number): Pool {
  const { Worker, MessageChannel } = createRequire(import.meta.url)(
    "node:worker_threads",
  ) as typeof import("node:worker_threads");
  const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
  const module = new WebAssembly.Module(gemmModuleBytes(true));
  const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm as GemmFn;
  const kernels: KernelFn[] = [];
  const control = new SharedArrayBuffer(4 * SLOT * count);
  const ctl = new Int32Array(control);
  const url = new URL("./gemm-worker.js", import.meta.url);
  const ports: import("node:worker_threads").MessagePort[] = [];
  for (let slot = 0; slot < count; slot++) {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1);
    port1.unref();
    const worker = new Worker(url, {
      workerData: { module, memory, control, slot, slotSize: SLOT, port: port2 },
      transferList: [port2],
    });
    worker.unref(); // idle workers never keep the process alive
    // A worker that cannot start (e.g. its file missing from a bundle) never says it is ready,
    // and its share of the work runs on the calling thread.
    worker.on("error", () => {});
  }
  // Workers start in the background: until one says it is ready, its share runs here.
  const ready = (i: number) => i < count && Atomics.load(ctl, i * SLOT + 1) === 1;
  /**
   * Runs kernel `id` (-1: gemm) once per argument list, the first here (with `here`), the
   * others on workers. With `callOff`, a list that no worker has started by the time this
   * thread is done is dropped (its result is -1): the gemm lists share their work.
   */
  function dispatch(id: number, argLists: number[][], here: (args: number[]) => number, callOff: boolean): number[] {
    const results = new Array<number>(argLists.length).fill(-1);
    const posted: [number, number][] = [];
    const local: number[] = [0];
    argLists.slice(1).forEach((args, i) => {
      if (!ready(i) || args.length > MAX_ARGS) return void local.push(i + 1);
      const base = i * SLOT;
      ctl[base + 2] = id;
      ctl.fill(0, base + 4, base + SLOT);
      ctl.set(args, base + 4);
      Atomics.store(ctl, base, POSTED);
      Atomics.notify(ctl, base);
      posted.push([base, i + 1]);
    });
    let error: unknown = null;
    try {
      for (const k of local) results[k] = here(argLists[k]);
    } catch (e) {
      error = e; // the workers are still joined: their slots must be idle for the next call
    }
    let failed = false;
    for (const [base, k] of posted) {
      if (callOff && Atomics.compareExchange(ctl, base, POSTED, IDLE) === POSTED) continue;
      let s = Atomics.load(ctl, base);
      for (; s !== DONE && s !== FAILED; s = Atomics.load(ctl, base)) Atomics.wait(ctl, base, s);
      failed ||= s === FAILED;
      results[k] = ctl[base + 3];
      Atomics.store(ctl, base, IDLE);
    }
    if (error !== null) throw error;
    if (failed) throw new Error("a wasm kernel failed on a worker thread");
    return results;
  }
  return {
    memory,
    gemm,
    workers: count,
    run: (argLists) => dispatch(-1, argLists, (args) => gemm(...(args as Parameters<GemmFn>)), true),
    register(bytes) {
      const module = new WebAssembly.Module(bytes);
      const id = kernels.push(new WebAssembly.Instance(module, { env: { memory } }).exports.run as KernelFn) - 1;
      for (const port of ports) port.postMessage({ id, module });
      return id;
    },
    runKernel: (id, argLists) => dispatch(id, argLists, (args) => kernels[id](...args), false),
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
