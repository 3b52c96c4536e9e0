/**
 * Runs a compiled kernel (kernel-codegen.ts) on the worker pool's memory: the
 * inputs are copied in once, every thread runs the same function, taking rows
 * from a shared counter until none is left, and the outputs are copied out. The
 * partial results of reductions are combined here, in row order, so a result
 * never depends on how many threads ran.
 */
import { buildModule, I32, type ValType } from "./encoder.js";
import { MAX_PAGES } from "./gemm-kernel.js";
import { getPool, type Pool } from "./threads.js";
import { kernelBody, stagesOf, type Staging } from "./kernel-codegen.js";
import { kernelKey, needsRows, perRow, valueTypes, type Kernel, type KernelType } from "../../kernel/ir.js";

/** Elements per row of a flat kernel: the grain of thread splits and of partial sums. */
export const FLAT_BLOCK = 4096;
/** Below this many elements a kernel runs on the calling thread only. */
const PARALLEL_MIN_ELEMENTS = 1 << 16;

export type KernelData = Float32Array | Uint8Array;

/** Compiled kernels by structure (equal kernels from different programs share one module). */
const registered = new Map<string, number>();
/** The same, by kernel object: a program's kernel is looked up without re-serialising it on every call. */
const byObject = new WeakMap<Kernel, Map<string, number>>();

/** The compiled variant of a kernel for rows of `cols` elements: vectors per step, and stages. */
function kernelId(pool: Pool, k: Kernel, unroll: number, staging: Staging): number {
  let ids = byObject.get(k);
  if (ids === undefined) byObject.set(k, (ids = new Map()));
  const variant = `${unroll}:${staging.stage.join(",")}`;
  let id = ids.get(variant);
  if (id !== undefined) return id;
  const key = `${variant}:${kernelKey(k)}`;
  id = registered.get(key);
  if (id === undefined) {
    const params = new Array<ValType>(k.inputs.length + k.outputs.length + 6).fill(I32);
    const shared = typeof SharedArrayBuffer !== "undefined" && pool.memory.buffer instanceof SharedArrayBuffer;
    const bytes = buildModule(
      [{ name: "run", params, results: [I32], body: kernelBody(k, unroll, staging) }],
      1,
      shared,
      MAX_PAGES,
    );
    id = pool.register(bytes);
    registered.set(key, id);
  }
  ids.set(variant, id);
  return id;
}

/**
 * Vectors per loop step: four (measured best: independent chains overlap, few
 * enough registers spill), or fewer where a row is not a multiple of 16 elements.
 */
const unrollFor = (k: Kernel, cols: number) => (!needsRows(k) || cols % 16 === 0 ? 4 : cols % 8 === 0 ? 2 : 1);
/** Buffers are padded to whole loop steps (at most 16 elements). */
const pad16 = (n: number) => (n + 15) & ~15;
/** Bytes before the buffers: the shared row counter (aligned for the vectors after it). */
const COUNTER_BYTES = 16;
const align16 = (bytes: number) => (bytes + 15) & ~15;
const bytesOf = (t: KernelType) => (t === "bool" ? 1 : 4);

/** The kernel's iteration space: [rows, cols] as given, or flat blocks of FLAT_BLOCK elements. */
export function iterationSpace(k: Kernel, rows: number, cols: number): { rows: number; cols: number; n: number } {
  const n = rows * cols;
  if (needsRows(k)) return { rows, cols, n };
  return { rows: Math.max(1, Math.ceil(n / FLAT_BLOCK)), cols: FLAT_BLOCK, n };
}

/**
 * Runs kernel `k` over the [rows, cols] matrix. `outputs` receives one array per
 * kernel output: stored values (rows·cols), sums or maxima over everything
 * (length 1), over rows (length cols) or over columns (length rows). Returns false if the kernel asked to
 * be re-run operation by operation (sin/cos of huge arguments); the outputs are
 * then unspecified.
 */
export function runKernel(k: Kernel, inputs: KernelData[], outputs: KernelData[], rows: number, cols: number): boolean {
  const pool = getPool();
  if (pool === null) return false;
  const space = iterationSpace(k, rows, cols);
  const staging = stagesOf(k, space.cols);
  const id = kernelId(pool, k, unrollFor(k, space.cols), staging);
  const parts = threadsFor(pool, k, space.n, space.rows);

  // Layout: every buffer 16-byte aligned, padded to whole vectors.
  const inputBytes = k.inputs.map((inp, i) => {
    const len = inp.kind === "full" ? space.n : inp.kind === "row" ? space.cols : inp.kind === "col" ? space.rows : 1;
    return align16(pad16(len) * bytesOf(k.inputs[i].type));
  });
  const outputBytes = k.outputs.map((o) => {
    if (o.kind === "store") return align16(pad16(space.n) * 4);
    if (perRow(o)) return space.rows * (o.reducer === "sum" ? 32 : 16);
    return align16(space.cols * (o.reducer === "sum" ? 8 : 4));
  });
  const offsets: number[] = [];
  let end = COUNTER_BYTES; // the shared row counter comes first
  for (const b of [...inputBytes, ...outputBytes]) {
    offsets.push(end);
    end += b;
  }
  // Then every thread's scratch rows for the values that cross stages.
  const scratch = end;
  end += parts * staging.crossing.length * pad16(space.cols) * 4;
  const have = pool.memory.buffer.byteLength;
  if (have < end) pool.memory.grow(Math.ceil((end - have) / 65536));
  const buffer = pool.memory.buffer;
  const f32 = new Float32Array(buffer);
  const u8 = new Uint8Array(buffer);

  inputs.forEach((x, i) => {
    const view = k.inputs[i].type === "bool" ? u8 : f32;
    const at = offsets[i] / bytesOf(k.inputs[i].type);
    view.set(x, at);
    view.fill(0, at + x.length, at + inputBytes[i] / bytesOf(k.inputs[i].type));
  });
  k.outputs.forEach((o, j) => {
    if (o.kind === "reduce" && o.over === "rows") {
      const at = offsets[k.inputs.length + j];
      if (o.reducer === "sum") new Float64Array(buffer, at, space.cols).fill(0);
      else f32.fill(-Infinity, at / 4, at / 4 + space.cols);
    }
  });

  new Int32Array(buffer, 0, 2).fill(0); // the row counter and the thread counter
  // Rows taken at a time: about eight grabs per thread, so that a thread slowed by other work takes fewer.
  const chunk = Math.max(1, Math.floor(space.rows / (8 * parts)));
  const args = [...offsets, 0, space.rows, space.cols, space.n, chunk, scratch];
  const argLists = Array.from({ length: parts }, () => args);
  if (pool.runKernel(id, argLists).some((flag) => flag !== 0)) return false;

  const types = valueTypes(k);
  k.outputs.forEach((o, j) => {
    const at = offsets[k.inputs.length + j];
    const out = outputs[j];
    if (o.kind === "store") {
      const t = types[o.value];
      const from = at / bytesOf(t);
      out.set((t === "bool" ? u8 : f32).subarray(from, from + out.length));
    } else if (o.over === "all") out[0] = combinePartials(buffer, at, 0, space.rows, o.reducer);
    else if (o.over === "cols")
      for (let r = 0; r < space.rows; r++) out[r] = combinePartials(buffer, at, r, r + 1, o.reducer);
    else if (o.reducer === "sum") (out as Float32Array).set(new Float64Array(buffer, at, space.cols));
    else out.set(f32.subarray(at / 4, at / 4 + space.cols));
  });
  return true;
}

/** How many threads share the rows: one for small kernels and for column reductions (fixed summation order). */
function threadsFor(pool: Pool, k: Kernel, n: number, rows: number): number {
  const rowReduction = k.outputs.some((o) => o.kind === "reduce" && o.over === "rows");
  if (rowReduction || n < PARALLEL_MIN_ELEMENTS) return 1;
  return Math.min(pool.workers + 1, rows);
}

/** The per-row partial results of rows [r0, r1), combined in row order. */
function combinePartials(buffer: ArrayBufferLike, at: number, r0: number, r1: number, reducer: "sum" | "max"): number {
  if (reducer === "sum") {
    const p = new Float64Array(buffer, at, r1 * 4);
    let s = 0;
    for (let r = r0; r < r1; r++) s += p[4 * r] + p[4 * r + 1] + (p[4 * r + 2] + p[4 * r + 3]);
    return s;
  }
  const p = new Float32Array(buffer, at, r1 * 4).subarray(r0 * 4);
  let m = -Infinity;
  for (let i = 0; i < p.length; i++) {
    if (Number.isNaN(p[i])) return NaN;
    if (p[i] > m) m = p[i];
  }
  return m;
}
