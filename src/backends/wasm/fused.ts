/**
 * Fused elementwise kernels: one WebAssembly SIMD loop evaluates a whole chain
 * of float32 elementwise operations (what jit groups together), reading each
 * input once and writing only the values needed outside the chain — no
 * intermediate arrays, one pass over memory instead of one per operation.
 *
 * A program lists its inputs (arrays of n elements, or scalars), then its
 * operations in order, each reading earlier values by index (inputs first).
 */
import { Body, buildModule, I32, V128, type ValType } from "./encoder.js";
import { bind } from "./simd-math.js";
import { emitUnary, type WasmBinaryOp, type WasmUnaryOp } from "./elementwise.js";
import { MAX_PAGES } from "./gemm-kernel.js";
import { getPool } from "./threads.js";

export interface FusedOp {
  op: WasmUnaryOp | WasmBinaryOp;
  args: number[];
}

export interface FusedProgram {
  /** true for a scalar input (broadcast to every element). */
  scalarInputs: boolean[];
  ops: FusedOp[];
  /** Value indices written out. */
  outputs: number[];
}

const BINARY = new Set(["add", "sub", "mul", "div", "max", "min"]);

/** fused(inPtrs..., outPtrs..., bytes) → i32 (1 if a sin/cos lane needs the slow path). */
function kernel(p: FusedProgram): Body {
  const nIn = p.scalarInputs.length;
  const f = new Body(nIn + p.outputs.length + 1);
  const bytes = nIn + p.outputs.length;
  const i = f.local(I32);
  const flags = f.local(V128);
  f.v128Zero().set(flags);
  // Scalars are loaded and splat once, before the loop.
  const scalar = p.scalarInputs.map((s, k) => (s ? bind(f, () => f.get(k).f32Load(0).f32x4Splat()) : -1));
  f.forLoop(
    i,
    () => f.i32(0),
    () => f.get(bytes),
    16,
    () => {
      const vals: number[] = p.scalarInputs.map((s, k) =>
        s ? scalar[k] : bind(f, () => f.get(k).get(i).i32Add().v128Load()),
      );
      for (const { op, args } of p.ops) {
        if (BINARY.has(op)) {
          vals.push(
            bind(f, () => {
              f.get(vals[args[0]]).get(vals[args[1]]);
              if (op === "add") f.f32x4Add();
              else if (op === "sub") f.f32x4Sub();
              else if (op === "mul") f.f32x4Mul();
              else if (op === "div") f.f32x4Div();
              else if (op === "max") f.f32x4Max();
              else f.f32x4Min();
            }),
          );
        } else vals.push(emitUnary(f, op as WasmUnaryOp, vals[args[0]], flags));
      }
      p.outputs.forEach((v, k) =>
        f
          .get(nIn + k)
          .get(i)
          .i32Add()
          .get(vals[v])
          .v128Store(),
      );
    },
  );
  f.get(flags).v128AnyTrue();
  return f;
}

type KernelFn = (...args: number[]) => number;

const CHUNK = 8192; // floats per buffer per call
const cache = new Map<string, { fn: KernelFn; memory: WebAssembly.Memory }>();

function compile(p: FusedProgram): { fn: KernelFn; memory: WebAssembly.Memory } {
  const key = JSON.stringify(p);
  let k = cache.get(key);
  if (!k) {
    const buffers = p.scalarInputs.length + p.outputs.length;
    const pages = Math.ceil(((buffers + 1) * CHUNK * 4) / 65536);
    const params = new Array<ValType>(buffers + 1).fill(I32);
    const bytes = buildModule([{ name: "fused", params, results: [I32], body: kernel(p) }], pages);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    k = { fn: inst.exports.fused as KernelFn, memory };
    cache.set(key, k);
  }
  return k;
}

/**
 * Runs a fused program over n elements. Returns false (nothing written) when a
 * sin/cos lane fell outside the range the kernel reduces accurately, so that
 * the caller can evaluate the chain operation by operation instead.
 */
export function runFused(p: FusedProgram, inputs: Float32Array[], outputs: Float32Array[], n: number): boolean {
  const pool = getPool();
  if (pool && pool.workers > 0 && n >= PARALLEL_MIN_ELEMENTS) return runParallel(p, inputs, outputs, n);
  const { fn, memory } = compile(p);
  const mem = new Float32Array(memory.buffer);
  const nIn = inputs.length;
  const base = (k: number) => k * CHUNK;
  p.scalarInputs.forEach((s, k) => {
    if (s) mem[base(k)] = inputs[k][0];
  });
  const args = new Array<number>(nIn + outputs.length + 1);
  for (let k = 0; k < nIn + outputs.length; k++) args[k] = base(k) * 4;
  for (let off = 0; off < n; off += CHUNK) {
    const len = Math.min(CHUNK, n - off);
    const padded = (len + 3) & ~3;
    inputs.forEach((x, k) => {
      if (p.scalarInputs[k]) return;
      mem.set(x.subarray(off, off + len), base(k));
      mem.fill(0, base(k) + len, base(k) + padded);
    });
    args[nIn + outputs.length] = padded * 4;
    if (fn(...args) !== 0) return false;
    outputs.forEach((o, k) => o.set(mem.subarray(base(nIn + k), base(nIn + k) + len), off));
  }
  return true;
}

/** Below this many elements a fused loop is not split across threads. */
const PARALLEL_MIN_ELEMENTS = 1 << 16;

/** Pool kernel ids of programs compiled for the shared memory. */
const registered = new Map<string, number>();

/**
 * The same loop split across the worker threads: the whole inputs are copied into
 * the pool's shared memory once, every thread runs the kernel on its own range of
 * elements (pointers offset into the same arrays), and the outputs are copied out.
 */
function runParallel(p: FusedProgram, inputs: Float32Array[], outputs: Float32Array[], n: number): boolean {
  const pool = getPool()!;
  const key = JSON.stringify(p);
  let id = registered.get(key);
  if (id === undefined) {
    const buffers = p.scalarInputs.length + p.outputs.length;
    const params = new Array<ValType>(buffers + 1).fill(I32);
    id = pool.register(buildModule([{ name: "run", params, results: [I32], body: kernel(p) }], 16, true, MAX_PAGES));
    registered.set(key, id);
  }
  const padded = (n + 3) & ~3;
  const buffers = inputs.length + outputs.length;
  const need = buffers * padded * 4;
  const have = pool.memory.buffer.byteLength;
  if (have < need) pool.memory.grow(Math.ceil((need - have) / 65536));
  const mem = new Float32Array(pool.memory.buffer);
  const base = (k: number) => k * padded;
  inputs.forEach((x, k) => {
    if (p.scalarInputs[k]) mem[base(k)] = x[0];
    else {
      mem.set(x.subarray(0, n), base(k));
      mem.fill(0, base(k) + n, base(k) + padded);
    }
  });
  const threads = pool.workers + 1;
  const argLists: number[][] = [];
  for (let t = 0; t < threads; t++) {
    const lo = Math.floor((t * padded) / threads / 4) * 4;
    const hi = t === threads - 1 ? padded : Math.floor(((t + 1) * padded) / threads / 4) * 4;
    const ptrs = Array.from(
      { length: buffers },
      (_, k) => (base(k) + (k < inputs.length && p.scalarInputs[k] ? 0 : lo)) * 4,
    );
    argLists.push([...ptrs, (hi - lo) * 4]);
  }
  if (pool.runKernel(id, argLists).some((flag) => flag !== 0)) return false;
  outputs.forEach((o, k) => o.set(mem.subarray(base(inputs.length + k), base(inputs.length + k) + n)));
  return true;
}
