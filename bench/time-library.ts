/**
 * Times every workload of one library, alone in this process, and prints the
 * results as one JSON line (bench/compare.ts starts one of these per library).
 * Alone, because libraries loaded side by side bill each other: one library's
 * heap makes every garbage collection of the others longer.
 */
import { time, timeAsync, timingSettings } from "./harness.js";
import {
  WORKLOADS,
  type AsyncWorkloads,
  type RunOnceAsync,
  type WorkloadName,
  type Workloads,
} from "./peers/workloads.js";

/** "no adapter": a webgpu library found no GPU (its message says why); the other libraries run on. */
export type Cell =
  | { kind: "time"; us: number }
  | { kind: "error"; message: string }
  | { kind: "no adapter"; message: string }
  | { kind: "n/a" };
export interface LibraryTimings {
  cells: Partial<Record<WorkloadName, Cell>>;
  /** tfjs only: live tensors before and after timing (a leak check). */
  tensors?: [number, number];
}

const message = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

const SETUPS: Record<string, () => Promise<{ workloads: Workloads | AsyncWorkloads; liveTensors?: () => number }>> = {
  cotangent: async () => ({ workloads: await (await import("./peers/cotangent.js")).setup() }),
  "jax-js": async () => ({ workloads: await (await import("./peers/jaxjs.js")).setup() }),
  // The webgpu libraries: every call awaited (`await x.data()` ends each one).
  "cotangent webgpu": async () => {
    const peer = await import("./peers/cotangent-webgpu.js");
    const workloads = await peer.setup();
    peer.enter();
    return { workloads };
  },
  "jax-js webgpu": async () => {
    const peer = await import("./peers/jaxjs-webgpu.js");
    const workloads = await peer.setup();
    peer.enter();
    return { workloads };
  },
  tfjs: async () => {
    const tfjs = await import("./peers/tfjs.js");
    return { workloads: await tfjs.setup(), liveTensors: tfjs.liveTensors };
  },
};

async function timeLibrary(name: string): Promise<LibraryTimings> {
  const cells: LibraryTimings["cells"] = {};
  const { workloads, liveTensors } = await SETUPS[name]();
  const before = liveTensors?.();
  for (const w of WORKLOADS) {
    const fn = workloads.get(w);
    if (!fn) {
      cells[w] = { kind: "n/a" };
      continue;
    }
    try {
      // Two calls first (the first one compiles, in the libraries that compile), then one timed call to choose the
      // timing settings from.
      await fn();
      await fn();
      const t0 = performance.now();
      const r = fn();
      const isAsync = r instanceof Promise;
      await r;
      const oneCallUs = (performance.now() - t0) * 1000;
      const settings = timingSettings(oneCallUs);
      const us = isAsync ? (await timeAsync(fn as RunOnceAsync, settings)).medianUs : time(fn, settings).medianUs;
      cells[w] = { kind: "time", us };
    } catch (e) {
      cells[w] = { kind: "error", message: message(e) };
    }
  }
  return { cells, tensors: liveTensors ? [before!, liveTensors()] : undefined };
}

const name = process.argv[2];
if (!(name in SETUPS)) throw new Error(`time-library: unknown library ${name}, expected one of ${Object.keys(SETUPS)}`);
console.log(JSON.stringify(await timeLibrary(name)));
process.exit(0); // Dawn's instance would keep the process alive
