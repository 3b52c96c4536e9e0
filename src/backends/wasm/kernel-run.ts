/**
 * Runs a compiled kernel (kernel-codegen.ts) on the worker pool's memory: the
 * inputs are copied in once (or read in place, when they are there already), every thread runs the same function, taking rows
 * from a shared counter until none is left, and the outputs are copied out. The
 * partial results of reductions are combined here, in row order, so a result
 * never depends on how many threads ran.
 */
import { buildModule, I32, type ValType } from "./encoder.js";
import { MAX_PAGES } from "./gemm-kernel.js";
import { WasmBuffer } from "./buffer.js";
import type { DeviceBuffer } from "../../core/buffer.js";
import { allocRegion, freeRegion } from "./heap.js";
import { getPool, WorkerLostError, type Pool } from "./threads.js";
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
 * be re-run operation by operation (sin/cos of huge arguments), or if even one
 * row does not fit the wasm memory; the outputs are then unspecified and the
 * caller computes them otherwise (the cpu kernels).
 *
 * Operands already in the pool's memory (WasmBuffer) are read and written in
 * place; the others are copied into the call's working space and out of it.
 * When the working space does not fit the memory at once (see memory.ts), the
 * rows are run in blocks, each copied in and out in turn; sums and maxima are
 * carried from block to block in the same order, so the result is the same bits as one run.
 */
export function runKernel(
  k: Kernel,
  inputs: KernelOperand[],
  outputs: KernelOperand[],
  rows: number,
  cols: number,
): boolean {
  const pool = getPool();
  if (pool === null) return false;
  const space = iterationSpace(k, rows, cols);
  if (space.n === 0) return false;
  const staging = stagesOf(k, space.cols);
  const id = kernelId(pool, k, unrollFor(k, space.cols), staging);
  const operands = [...inputs, ...outputs];
  // The largest block of rows whose working space fits (all rows, when they fit);
  // operands in the memory are used in place when all rows run at once.
  let block = space.rows;
  let inPlace = operands.map((x) => (x instanceof WasmBuffer ? x.at : null));
  let layout = layoutOf(pool, k, staging, space, 0, block, inPlace);
  let base: number | null;
  while ((base = allocRegion(pool, layout.end)) === null) {
    if (block === 1) return false;
    block = Math.ceil(block / 2);
    inPlace = operands.map(() => null);
    layout = layoutOf(pool, k, staging, space, 0, block, inPlace);
  }
  try {
    if (block < space.rows) largeKernelRuns.inBlocks++;
    // Views of the operands in the memory, taken now that it has grown for this call.
    const data = (x: KernelOperand) => (x instanceof WasmBuffer ? (x.view() as KernelData) : x);
    const ins = inputs.map(data);
    const outs = outputs.map(data);
    const carry = new Carry(k, space);
    for (let r0 = 0; r0 < space.rows; r0 += block) {
      const r1 = Math.min(space.rows, r0 + block);
      const at = { base, inPlace };
      if (!runBlock(pool, id, k, staging, space, r0, r1, at, ins, outs, carry)) return false;
    }
    carry.finish(outs);
    outputs.forEach((o, j) => o instanceof WasmBuffer && k.outputs[j].kind === "store" && o.zeroPadding());
    return true;
  } finally {
    freeRegion(pool, base, layout.end);
  }
}

/** An operand of a kernel: values in JS memory, or an array in the pool's memory. */
export type KernelOperand = KernelData | WasmBuffer;

/** A buffer as a kernel's input: in the pool's memory inside a program (copied there once), else its values. */
export const kernelInput = (b: DeviceBuffer): KernelOperand => WasmBuffer.inputOf(b) ?? (b.readSync() as KernelData);

/** A buffer as a kernel's output: written in place if it is in the pool's memory. */
export const kernelOutput = (b: DeviceBuffer): KernelOperand =>
  b instanceof WasmBuffer ? b : (b.readSync() as KernelData);

/** @internal How many kernels ran in blocks of rows because they did not fit the memory (tests check the path). */
export const largeKernelRuns = { inBlocks: 0 };

type Space = ReturnType<typeof iterationSpace>;

/**
 * Where the block of `rows` rows from row `r0` puts its buffers in the call's
 * working space (bytes from its start; none for an operand used in place), and
 * how many threads it takes.
 */
function layoutOf(
  pool: Pool,
  k: Kernel,
  staging: Staging,
  space: Space,
  r0: number,
  rows: number,
  inPlace: (number | null)[],
) {
  const n = Math.min(space.n - r0 * space.cols, rows * space.cols);
  const parts = threadsFor(pool, k, n, rows);
  // Every buffer 16-byte aligned, padded to whole vectors.
  const inputBytes = k.inputs.map((inp) => {
    const len = inp.kind === "full" ? n : inp.kind === "row" ? space.cols : inp.kind === "col" ? rows : 1;
    return align16(pad16(len) * bytesOf(inp.type));
  });
  const outputBytes = k.outputs.map((o) => {
    if (o.kind === "store") return align16(pad16(n) * 4);
    if (perRow(o)) return rows * (o.reducer === "sum" ? 32 : 16);
    return align16(space.cols * (o.reducer === "sum" ? 8 : 4));
  });
  const offsets: number[] = [];
  let end = COUNTER_BYTES; // the shared row counter comes first
  [...inputBytes, ...outputBytes].forEach((b, i) => {
    // Reductions always write partial results into the working space.
    const stored = i < k.inputs.length || k.outputs[i - k.inputs.length].kind === "store";
    if (inPlace[i] !== null && stored) return offsets.push(-1);
    offsets.push(end);
    end += b;
  });
  // Then every thread's scratch rows for the values that cross stages.
  const scratch = end;
  end += parts * staging.crossing.length * pad16(space.cols) * 4;
  return { n, parts, inputBytes, offsets, scratch, end };
}
/** What reductions carry from one block of rows to the next, in the order of one run. */
class Carry {
  /** Per output: the running sum or maximum over everything, or over rows (per column; sums in float64). */
  readonly all: number[];
  readonly overRows: (Float64Array | Float32Array | null)[];
  constructor(k: Kernel, space: Space) {
    this.all = k.outputs.map((o) => (o.kind === "reduce" && o.reducer === "max" ? -Infinity : 0));
    this.overRows = k.outputs.map((o) =>
      o.kind === "reduce" && o.over === "rows"
        ? o.reducer === "sum"
          ? new Float64Array(space.cols)
          : new Float32Array(space.cols).fill(-Infinity)
        : null,
    );
  }
  finish(outputs: KernelData[]): void {
    this.overRows.forEach((acc, j) => {
      if (acc !== null) outputs[j].set(acc);
    });
  }
}

/**
 * Runs rows [r0, r1): copies their inputs in, runs every thread, copies their
 * outputs out. `at.base` is the working space's address; `at.inPlace` the
 * address of each operand used in place (null: copied).
 */
function runBlock(
  pool: Pool,
  id: number,
  k: Kernel,
  staging: Staging,
  space: Space,
  r0: number,
  r1: number,
  at: { base: number; inPlace: (number | null)[] },
  inputs: KernelData[],
  outputs: KernelData[],
  carry: Carry,
): boolean {
  const rows = r1 - r0;
  const layout = layoutOf(pool, k, staging, space, r0, rows, at.inPlace);
  const { n, parts, inputBytes } = layout;
  const offsets = layout.offsets.map((o, i) => (o < 0 ? at.inPlace[i]! : at.base + o));
  const scratch = at.base + layout.scratch;
  const first = r0 * space.cols; // the block's first element
  const buffer = pool.memory.buffer;
  const f32 = new Float32Array(buffer);
  const u8 = new Uint8Array(buffer);

  inputs.forEach((x, i) => {
    if (layout.offsets[i] < 0) return;
    const inp = k.inputs[i];
    const part = inp.kind === "full" ? x.subarray(first, first + n) : inp.kind === "col" ? x.subarray(r0, r1) : x;
    const view = inp.type === "bool" ? u8 : f32;
    const at = offsets[i] / bytesOf(inp.type);
    view.set(part, at);
    view.fill(0, at + part.length, at + inputBytes[i] / bytesOf(inp.type));
  });
  const launch = (threads: number): boolean => {
    k.outputs.forEach((o, j) => {
      const acc = carry.overRows[j];
      if (acc === null) return;
      const at = offsets[k.inputs.length + j];
      if (acc instanceof Float64Array) new Float64Array(buffer, at, space.cols).set(acc);
      else f32.set(acc, at / 4);
    });
    new Int32Array(buffer, at.base, 2).fill(0); // the row counter and the thread counter
    // Rows taken at a time: about eight grabs per thread, so that a thread slowed by other work takes fewer.
    const chunk = Math.max(1, Math.floor(rows / (8 * threads)));
    const args = [...offsets, at.base, rows, space.cols, n, chunk, scratch];
    const argLists = Array.from({ length: threads }, () => args);
    return pool.runKernel(id, argLists).every((flag) => flag === 0);
  };
  let ok: boolean;
  try {
    ok = launch(parts);
  } catch (e) {
    // A worker died in the middle: which rows it did is unknown, so all of them run again here.
    if (!(e instanceof WorkerLostError)) throw e;
    ok = launch(1);
  }
  if (!ok) return false;

  const types = valueTypes(k);
  k.outputs.forEach((o, j) => {
    const at = offsets[k.inputs.length + j];
    const out = outputs[j];
    if (o.kind === "store") {
      if (layout.offsets[k.inputs.length + j] < 0) return;
      const t = types[o.value];
      const from = at / bytesOf(t);
      out.set((t === "bool" ? u8 : f32).subarray(from, from + n), first);
    } else if (o.over === "all") carry.all[j] = out[0] = combinePartials(buffer, at, 0, rows, o.reducer, carry.all[j]);
    else if (o.over === "cols")
      for (let r = 0; r < rows; r++) out[r0 + r] = combinePartials(buffer, at, r, r + 1, o.reducer);
    else if (o.reducer === "sum") carry.overRows[j]!.set(new Float64Array(buffer, at, space.cols));
    else carry.overRows[j]!.set(f32.subarray(at / 4, at / 4 + space.cols));
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
function combinePartials(
  buffer: ArrayBufferLike,
  at: number,
  r0: number,
  r1: number,
  reducer: "sum" | "max",
  init = reducer === "sum" ? 0 : -Infinity,
): number {
  if (reducer === "sum") {
    const p = new Float64Array(buffer, at, r1 * 4);
    let s = init;
    for (let r = r0; r < r1; r++) s += p[4 * r] + p[4 * r + 1] + (p[4 * r + 2] + p[4 * r + 3]);
    return s;
  }
  const p = new Float32Array(buffer, at, r1 * 4).subarray(r0 * 4);
  let m = init;
  if (Number.isNaN(m)) return NaN;
  for (let i = 0; i < p.length; i++) {
    if (Number.isNaN(p[i])) return NaN;
    if (p[i] > m) m = p[i];
  }
  return m;
}
