/**
 * Worker threads for the wasm kernels: `worker_threads` in Node, module Web
 * Workers in browsers (only where the page is cross-origin isolated, which
 * shared memory needs). Each worker runs the gemm driver (or another registered
 * kernel) on the shared memory, woken through a shared control block
 * (Atomics). The calling thread takes a share of the work too and then waits
 * for the others, so a call is synchronous: with `Atomics.wait` where it may
 * block, by polling `Atomics.load` on a browser's main thread, which may not.
 * Where threads are not available (no shared memory, no workers, a page that
 * is not cross-origin isolated), everything runs on the calling thread.
 */
import { gemmModuleBytes, MAX_PAGES, type GemmFn } from "./gemm-kernel.js";
import { CotangentError } from "../../core/errors.js";

/**
 * How the calling thread copes with a worker that died or stopped answering.
 * A worker that exits (Node's 'exit'/'error' events, a Web Worker's 'error') is
 * never given work again and is restarted in the background (at most
 * `respawns` times per slot). Events only arrive between calls, so waiting has
 * a clock as a last resort: work a worker has not taken after `takeBackMs` is
 * taken back and run on the calling thread (after `strikes` such calls in a
 * row the worker is retired and replaced); a worker still running a job
 * `lostAfterMs` after the calling thread finished its own share is declared
 * lost, and the kernel is run again on the calling thread alone.
 */
export const threadTuning = { takeBackMs: 100, strikes: 3, lostAfterMs: 30_000, respawns: 3 };

/** @internal A worker died or hung in the middle of a job: its share is unknown, the caller runs the job again alone. */
export class WorkerLostError extends CotangentError {}

const now = (): number => (typeof performance !== "undefined" ? performance.now() : Date.now());

export interface Pool {
  memory: WebAssembly.Memory;
  /** The calling thread's gemm driver (float32 or float64, by its last argument). */
  gemm: GemmFn;
  /**
   * Number of worker threads (besides the calling thread). In a browser, the
   * workers started so far: they start in the background, and until then their
   * work would run on the calling thread anyway. Tests may set it (fewer parts).
   */
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
  /**
   * @internal For tests: terminates worker `i` as a crash would (no notice to the pool);
   * resolves when it has exited.
   */
  killWorker?(i: number): Promise<void>;
  /**
   * For tests: what the last `run` or `runKernel` did on each thread; `[0]` is the
   * calling thread, `[i]` worker i-1, which is undefined where that worker ran nothing.
   */
  readonly last: { kernel: number; results: (number | undefined)[] };
}

/** Int32 words per worker in the control block: [state, ready, kernel, result, ...arguments]. */
const SLOT = 24;
const MAX_ARGS = SLOT - 4;
/** States of a slot (see gemm-worker.js). */
const [IDLE, POSTED, DONE, FAILED] = [0, 1, 2, 5];
/** Most worker threads. */
const MAX_WORKERS = 7;

type KernelFn = (...args: number[]) => number;

/** Node's built-in modules, without a static `node:` import (which a browser could not load). */
function nodeBuiltin<T>(name: string): T {
  const get = (globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined)?.getBuiltinModule;
  if (get !== undefined) return get(name) as T;
  if (nodeRequire === null) throw new Error(`node:${name} is not available yet`);
  return nodeRequire(name) as T;
}

/** A `require` for Nodes without `process.getBuiltinModule` (before 20.16): loaded with the module. */
let nodeRequire: ((id: string) => unknown) | null = null;
if (isNode() && typeof process.getBuiltinModule !== "function") {
  const specifier = "node:module";
  import(/* @vite-ignore */ /* webpackIgnore: true */ specifier).then(
    (m: typeof import("node:module")) => void (nodeRequire = m.createRequire(import.meta.url)),
    () => {},
  );
}

function isNode(): boolean {
  return typeof process !== "undefined" && !!process.versions?.node;
}

function cpuCount(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>("os");
  return os.availableParallelism ? os.availableParallelism() : os.cpus().length;
}

export function singleThread(): Pool {
  const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES });
  const gemm = new WebAssembly.Instance(new WebAssembly.Module(gemmModuleBytes(false)), { env: { memory } }).exports
    .gemm as GemmFn;
  const kernels: KernelFn[] = [];
  const last = { kernel: -1, results: [] as (number | undefined)[] };
  const record = (kernel: number, results: number[]) => {
    last.kernel = kernel;
    last.results = [results.reduce((a, b) => a + Math.max(b, 0), 0)];
    return results;
  };
  return {
    memory,
    gemm,
    workers: 0,
    run: (argLists) =>
      record(
        -1,
        argLists.map((args) => gemm(...args)),
      ),
    register(bytes) {
      const run = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.run as KernelFn;
      return kernels.push(run) - 1;
    },
    runKernel: (id, argLists) =>
      record(
        id,
        argLists.map((args) => kernels[id](...args)),
      ),
    last,
  };
}

/**
 * How the calling thread waits for worker `slot`'s state word at `ctl[base]` to
 * become done or failed: at most `timeoutMs` (then it returns the state as it is).
 */
export type Waiter = (ctl: Int32Array, base: number, timeoutMs?: number) => number;

/** Blocks with `Atomics.wait` (Node, browser workers). */
export const blockingWait: Waiter = (ctl, base, timeoutMs = Infinity) => {
  const end = now() + timeoutMs;
  let s = Atomics.load(ctl, base);
  while (s !== DONE && s !== FAILED) {
    const left = end - now();
    if (left <= 0) break;
    Atomics.wait(ctl, base, s, left === Infinity ? undefined : left);
    s = Atomics.load(ctl, base);
  }
  return s;
};

/**
 * Polls with `Atomics.load` (a browser's main thread, which may not block). The
 * wait is short: the calling thread has done its own share first, and work is
 * only ever posted to a worker that is running and has the kernel.
 */
export const pollingWait: Waiter = (ctl, base, timeoutMs = Infinity) => {
  const end = timeoutMs === Infinity ? Infinity : now() + timeoutMs;
  let s = Atomics.load(ctl, base);
  for (let spins = 0; s !== DONE && s !== FAILED; s = Atomics.load(ctl, base)) {
    if ((++spins & 1023) === 0 && now() > end) break;
  }
  return s;
};

/** Whether this thread may block in `Atomics.wait` (a browser's main thread may not). */
export function canBlock(): boolean {
  try {
    // The value differs, so this returns at once where waiting is allowed, and throws where it is not.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The calling side of a pool: posts argument lists to the workers' slots, runs
 * its own (and those of workers that cannot take them), then waits for the rest.
 * `ready(i, id)`: whether worker i is running and can run kernel `id` (-1: gemm).
 * `retire(i)`: worker i stopped answering; stop using it (and replace it if possible).
 */
function dispatcher(
  ctl: Int32Array,
  ready: (i: number, id: number) => boolean,
  wait: Waiter,
  retire: (i: number) => void,
) {
  const last = { kernel: -1, results: [] as (number | undefined)[] };
  /** Per worker: calls in a row whose work it did not take. */
  const strikes: number[] = [];
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
      if (!ready(i, id) || args.length > MAX_ARGS) return void local.push(i + 1);
      const base = i * SLOT;
      ctl[base + 2] = id;
      ctl.fill(0, base + 4, base + SLOT);
      ctl.set(args, base + 4);
      Atomics.store(ctl, base, POSTED);
      Atomics.notify(ctl, base);
      posted.push([base, i + 1]);
    });
    let error: unknown = null;
    const runHere = (k: number) => {
      try {
        results[k] = here(argLists[k]);
      } catch (e) {
        error ??= e; // the workers are still joined: their slots must be idle for the next call
      }
    };
    for (const k of local) runHere(k);
    let failed = false;
    let lost = false;
    const byThread: (number | undefined)[] = [0];
    for (const k of local) byThread[0]! += Math.max(results[k], 0);
    for (const [base, k] of posted) {
      const slot = base / SLOT;
      if (callOff && Atomics.compareExchange(ctl, base, POSTED, IDLE) === POSTED) continue;
      let s = wait(ctl, base, threadTuning.takeBackMs);
      if (s === POSTED && Atomics.compareExchange(ctl, base, POSTED, IDLE) === POSTED) {
        // Not taken: the worker is dead or stalled. Its list runs here.
        if ((strikes[slot] = (strikes[slot] ?? 0) + 1) >= threadTuning.strikes) retire(slot);
        runHere(k);
        byThread[0]! += Math.max(results[k], 0);
        continue;
      }
      const since = now();
      while (s !== DONE && s !== FAILED && now() - since < threadTuning.lostAfterMs) s = wait(ctl, base, 100);
      if (s !== DONE && s !== FAILED) {
        // Taken and never finished: the worker died in the middle of the job.
        lost = true;
        retire(slot);
        continue;
      }
      strikes[slot] = 0;
      failed ||= s === FAILED;
      results[k] = ctl[base + 3];
      byThread[slot + 1] = results[k];
      Atomics.store(ctl, base, IDLE);
    }
    last.kernel = id;
    last.results = byThread;
    if (error !== null) throw error;
    if (lost) {
      throw new WorkerLostError(
        `[wasm] a worker thread stopped in the middle of a kernel: got no answer in ${threadTuning.lostAfterMs} ms, expected its share of the work. The kernel is run again on the calling thread.`,
      );
    }
    if (failed) throw new CotangentError("[wasm] a kernel failed on a worker thread (a WebAssembly trap).");
    return results;
  }
  return { dispatch, last };
}

function nodeThreaded(count: number): Pool {
  const { Worker, MessageChannel } = nodeBuiltin<typeof import("node:worker_threads")>("worker_threads");
  const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
  const module = new WebAssembly.Module(gemmModuleBytes(true));
  const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm as GemmFn;
  const kernels: KernelFn[] = [];
  const modules: WebAssembly.Module[] = [];
  const control = new SharedArrayBuffer(4 * SLOT * count);
  const ctl = new Int32Array(control);
  const url = new URL("./gemm-worker.js", import.meta.url);
  interface Slot {
    worker: import("node:worker_threads").Worker;
    port: import("node:worker_threads").MessagePort;
    alive: boolean;
  }
  const slots: Slot[] = [];
  const respawned = new Array<number>(count).fill(0);
  /** Starts the worker of `slot` (again): it fetches the kernel modules from its port as it needs them. */
  function start(slot: number): void {
    Atomics.store(ctl, slot * SLOT + 1, 0); // not ready until it says so
    Atomics.store(ctl, slot * SLOT, IDLE);
    const { port1, port2 } = new MessageChannel();
    port1.unref();
    const worker = new Worker(url, {
      workerData: { module, memory, control, slot, slotSize: SLOT, port: port2 },
      transferList: [port2],
    });
    worker.unref(); // idle workers never keep the process alive
    const s: Slot = { worker, port: port1, alive: true };
    slots[slot] = s;
    modules.forEach((m, id) => port1.postMessage({ id, module: m }));
    // A worker that cannot start (e.g. its file missing from a bundle) or that dies: 'error', then 'exit'.
    worker.on("error", () => {});
    worker.on("exit", () => {
      if (slots[slot] === s && s.alive) retire(slot);
    });
  }
  /** Stops using the worker of `slot`, and starts a new one there (a few times at most). */
  function retire(slot: number): void {
    const s = slots[slot];
    if (!s.alive) return;
    s.alive = false;
    void s.worker.terminate();
    s.port.close();
    if (respawned[slot]++ < threadTuning.respawns) start(slot);
  }
  for (let slot = 0; slot < count; slot++) start(slot);
  // Workers start in the background: until one says it is ready, its share runs here.
  const ready = (i: number) => i < count && slots[i].alive && Atomics.load(ctl, i * SLOT + 1) === 1;
  const { dispatch, last } = dispatcher(ctl, ready, blockingWait, retire);
  return {
    memory,
    gemm,
    workers: count,
    run: (argLists) => dispatch(-1, argLists, (args) => gemm(...(args as Parameters<GemmFn>)), true),
    register(bytes) {
      const module = new WebAssembly.Module(bytes);
      const id = kernels.push(new WebAssembly.Instance(module, { env: { memory } }).exports.run as KernelFn) - 1;
      modules.push(module);
      for (const s of slots) if (s.alive) s.port.postMessage({ id, module });
      return id;
    },
    runKernel: (id, argLists) => dispatch(id, argLists, (args) => kernels[id](...args), false),
    last,
    async killWorker(i) {
      await slots[i].worker.terminate();
    },
  };
}

/** What the browser pool needs of a `Worker`. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  addEventListener(type: "error", listener: () => void): void;
  terminate(): void;
}

/**
 * A pool of `count` browser workers (`gemm-worker-web.js`), each created by
 * `spawn`. The workers get the gemm module, the memory and the control block
 * in a message, and every kernel module in a message after it; a worker
 * receives messages only between jobs, so it counts the modules it has
 * (`have`, beside the number registered) and is given a kernel's work only
 * once it has that kernel. `wait`: how the calling thread waits.
 */
export function webThreaded(count: number, spawn: () => WorkerLike, wait: Waiter): Pool & { close(): void } {
  const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
  const module = new WebAssembly.Module(gemmModuleBytes(true));
  const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm as GemmFn;
  const kernels: KernelFn[] = [];
  const control = new SharedArrayBuffer(4 * SLOT * count);
  const ctl = new Int32Array(control);
  // [kernels registered, then each worker's count of kernels instantiated]
  const counts = new Int32Array(new SharedArrayBuffer(4 * (count + 1)));
  const workers: WorkerLike[] = [];
  const alive = new Array<boolean>(count).fill(true);
  try {
    for (let slot = 0; slot < count; slot++) {
      const worker = spawn();
      workers.push(worker);
      // A worker that cannot start (its file missing from a bundle, a Content-Security-Policy)
      // never says it is ready, and one that fails later is not used again: their share of the
      // work runs on the calling thread.
      worker.addEventListener("error", () => void (alive[slot] = false));
      worker.postMessage({ module, memory, control, counts, slot, slotSize: SLOT });
    }
  } catch (e) {
    for (const w of workers) w.terminate();
    throw e;
  }
  const ready = (i: number, id: number) =>
    i < count && alive[i] && Atomics.load(ctl, i * SLOT + 1) === 1 && (id < 0 || Atomics.load(counts, i + 1) > id);
  const retire = (i: number) => {
    if (!alive[i]) return;
    alive[i] = false;
    workers[i].terminate();
  };
  const { dispatch, last } = dispatcher(ctl, ready, wait, retire);
  let started = 0;
  let override: number | null = null;
  return {
    memory,
    gemm,
    get workers() {
      if (override !== null) return override;
      // Counted until all have started (then never again).
      if (started < count) started = workers.filter((_, i) => Atomics.load(ctl, i * SLOT + 1) === 1).length;
      return started;
    },
    set workers(n: number) {
      override = n;
    },
    run: (argLists) => dispatch(-1, argLists, (args) => gemm(...(args as Parameters<GemmFn>)), true),
    register(bytes) {
      const module = new WebAssembly.Module(bytes);
      const id = kernels.push(new WebAssembly.Instance(module, { env: { memory } }).exports.run as KernelFn) - 1;
      for (const worker of workers) worker.postMessage({ id, module });
      Atomics.store(counts, 0, kernels.length);
      // Wake idle workers: they go back to their event loop to receive the module.
      for (let i = 0; i < count; i++) Atomics.notify(ctl, i * SLOT);
      return id;
    },
    runKernel: (id, argLists) => dispatch(id, argLists, (args) => kernels[id](...args), false),
    last,
    close() {
      for (let i = 0; i < count; i++) {
        Atomics.store(ctl, i * SLOT, 3);
        Atomics.notify(ctl, i * SLOT);
      }
      for (const w of workers) w.terminate();
    },
  };
}

/** Which pool this environment gets: Node workers, browser workers (how many, how to wait) or none. */
export type PoolPlan = { kind: "node"; workers: number } | { kind: "web"; workers: number; wait: Waiter } | null;

/** The globals the choice reads (`globalThis` but for tests). */
export interface Environment {
  process?: { versions?: { node?: string } };
  window?: unknown;
  WorkerGlobalScope?: unknown;
  crossOriginIsolated?: boolean;
  SharedArrayBuffer?: unknown;
  Atomics?: unknown;
  Worker?: unknown;
  navigator?: { hardwareConcurrency?: number };
}

/**
 * Chooses the pool: Node's worker_threads; in a browser page or worker that is
 * cross-origin isolated, with shared memory and `Worker`, hardwareConcurrency - 1
 * Web Workers (at most 7); otherwise none (one thread).
 */
export function planPool(env: Environment = globalThis as Environment, blocks: () => boolean = canBlock): PoolPlan {
  if (typeof env.SharedArrayBuffer === "undefined" || typeof env.Atomics === "undefined") return null;
  if (env.process?.versions?.node) {
    const workers = Math.min(cpuCount(), MAX_WORKERS + 1) - 1;
    return workers > 0 ? { kind: "node", workers } : null;
  }
  const browser = typeof env.window !== "undefined" || typeof env.WorkerGlobalScope !== "undefined";
  if (!browser || env.crossOriginIsolated !== true || typeof env.Worker !== "function") return null;
  const workers = Math.min((env.navigator?.hardwareConcurrency ?? 1) - 1, MAX_WORKERS);
  return workers > 0 ? { kind: "web", workers, wait: blocks() ? blockingWait : pollingWait } : null;
}

let pool: Pool | null | undefined;

/** The kernel pool (created on first use), or null where WebAssembly SIMD is unavailable. */
export function getPool(): Pool | null {
  if (pool !== undefined) return pool;
  try {
    const plan = planPool();
    if (plan === null) pool = singleThread();
    else if (plan.kind === "node") pool = nodeThreaded(plan.workers);
    else {
      const spawn = () => new Worker(new URL("./gemm-worker-web.js", import.meta.url), { type: "module" });
      pool = webThreaded(plan.workers, spawn, plan.wait);
    }
  } catch {
    try {
      pool = singleThread();
    } catch {
      pool = null;
    }
  }
  return pool;
}
