/**
 * Float32 elementwise kernels in generated WebAssembly SIMD.
 *
 * One module holds one exported function per operation; each is a loop over
 * 16-byte vectors (four f32 lanes, two vectors per iteration) from input
 * pointer(s) to an output pointer. The JS driver processes arrays in chunks:
 * it copies a chunk into the wasm memory, pads it with zeros to a multiple of
 * eight lanes (so the kernels need no scalar tail), runs the kernel and copies
 * back only the chunk's values. Chunks keep the working set in cache and the
 * memory at a fixed size. `emitUnary` and `emitBinary` are also used by the
 * fused kernels that jit generates.
 *
 * Accuracy, measured over all 2³² float32 inputs against the float64 reference
 * (`Math.*`, the cpu backend's erf) rounded to float32 (see
 * tests/wasm-elementwise.test.ts): add, sub, mul, div, max, min, sqrt, neg,
 * abs, floor, ceil and sign are exact; exp, expm1, log, log1p, tan, tanh, erf
 * and rsqrt are within 1 ulp; sin, cos and logistic within 2; pow within 1 ulp
 * over ~4·10⁸ sampled pairs, with the special cases of JS `Math.pow`.
 * Subnormal results (exp, logistic, pow) are rounded, not flushed. The
 * approximations are described in simd-math.ts.
 */
import { Body, buildModule, I32, V128, type FunctionDef, type ValType } from "./encoder.js";
import {
  bind,
  emitErf,
  emitExp,
  emitExpm1,
  emitLog,
  emitLog1p,
  emitLogistic,
  emitPow,
  emitRsqrt,
  emitSign,
  emitSinCos,
  emitTan,
  emitTanh,
  SINCOS_LIMIT,
} from "./simd-math.js";

export type WasmUnaryOp =
  | "neg"
  | "abs"
  | "sqrt"
  | "rsqrt"
  | "exp"
  | "log"
  | "log1p"
  | "expm1"
  | "sin"
  | "cos"
  | "tan"
  | "tanh"
  | "logistic"
  | "floor"
  | "ceil"
  | "sign"
  | "erf";
export type WasmBinaryOp = "add" | "sub" | "mul" | "div" | "max" | "min" | "pow";

/** The ops with kernels here; lax primitive names. */
export const UNARY_OPS: readonly WasmUnaryOp[] = [
  "neg",
  "abs",
  "sqrt",
  "rsqrt",
  "exp",
  "log",
  "log1p",
  "expm1",
  "sin",
  "cos",
  "tan",
  "tanh",
  "logistic",
  "floor",
  "ceil",
  "sign",
  "erf",
];
export const BINARY_OPS: readonly WasmBinaryOp[] = ["add", "sub", "mul", "div", "max", "min", "pow"];

/**
 * Emits op(x) for the f32x4 local x, returning the result local. `flags` is a
 * v128 local or-ed with lanes the JS driver must recompute (sin, cos).
 */
export function emitUnary(f: Body, op: WasmUnaryOp, x: number, flags: number): number {
  const native = (emit: () => void) => bind(f, () => (f.get(x), emit()));
  switch (op) {
    case "neg":
      return native(() => f.f32x4Neg());
    case "abs":
      return native(() => f.f32x4Abs());
    case "sqrt":
      return native(() => f.f32x4Sqrt());
    case "floor":
      return native(() => f.f32x4Floor());
    case "ceil":
      return native(() => f.f32x4Ceil());
    case "rsqrt":
      return emitRsqrt(f, x);
    case "sign":
      return emitSign(f, x);
    case "exp":
      return emitExp(f, x);
    case "expm1":
      return emitExpm1(f, x);
    case "log":
      return emitLog(f, x);
    case "log1p":
      return emitLog1p(f, x);
    case "sin":
      return emitSinCos(f, x, false, flags);
    case "cos":
      return emitSinCos(f, x, true, flags);
    case "tan":
      return emitTan(f, x, flags);
    case "erf":
      return emitErf(f, x);
    case "tanh":
      return emitTanh(f, x);
    case "logistic":
      return emitLogistic(f, x);
  }
}

/** Emits op(a, b) for the f32x4 locals a and b, returning the result local. */
export function emitBinary(f: Body, op: WasmBinaryOp, a: number, b: number): number {
  if (op === "pow") return emitPow(f, a, b);
  return bind(f, () => {
    f.get(a).get(b);
    if (op === "add") f.f32x4Add();
    else if (op === "sub") f.f32x4Sub();
    else if (op === "mul") f.f32x4Mul();
    else if (op === "div") f.f32x4Div();
    else if (op === "max") f.f32x4Max();
    else f.f32x4Min();
  });
}

/**
 * Vectors per loop iteration. Two independent computations give the
 * out-of-order core more to overlap (the sequences are long dependency chains):
 * 10–20% faster than one vector for exp, log1p, sin and tanh, and no better
 * with four. Buffers are padded to LANES floats.
 */
const UNROLL = 2;
const LANES = 4 * UNROLL;

/**
 * unary(src, dst, bytes) → i32: for (i = 0; i < bytes; i += 16) dst[i] = op(src[i]), `bytes` a multiple of
 * 16·UNROLL, returning 1 if some lane needs recomputing by the caller (|x| > SINCOS_LIMIT for sin/cos/tan).
 */
function unaryKernel(op: WasmUnaryOp): Body {
  const f = new Body(3);
  const [src, dst, bytes] = [0, 1, 2];
  const i = f.local(I32);
  const flags = f.local(V128);
  f.v128Zero().set(flags);
  f.forLoop(
    i,
    () => f.i32(0),
    () => f.get(bytes),
    16 * UNROLL,
    () => {
      // All loads first: a store before a load would order them (the buffers may alias).
      const xs = Array.from({ length: UNROLL }, (_, u) =>
        bind(f, () =>
          f
            .get(src)
            .get(i)
            .i32Add()
            .v128Load(16 * u),
        ),
      );
      const ys = xs.map((x) => emitUnary(f, op, x, flags));
      ys.forEach((y, u) =>
        f
          .get(dst)
          .get(i)
          .i32Add()
          .get(y)
          .v128Store(16 * u),
      );
    },
  );
  f.get(flags).v128AnyTrue();
  return f;
}

/**
 * binary(a, b, dst, bytes, aStep, bStep): dst[i] = op(a[·], b[·]) over `bytes` (a multiple of 16·UNROLL),
 * the a and b pointers advancing by aStep and bStep per vector (16, or 0 for a broadcast scalar stored in all
 * four lanes).
 */
function binaryKernel(op: WasmBinaryOp): Body {
  const f = new Body(6);
  const [a, b, dst, bytes, aStep, bStep] = [0, 1, 2, 3, 4, 5];
  const i = f.local(I32);
  f.forLoop(
    i,
    () => f.i32(0),
    () => f.get(bytes),
    16 * UNROLL,
    () => {
      const xy = Array.from({ length: UNROLL }, () => {
        const x = bind(f, () => f.get(a).v128Load());
        const y = bind(f, () => f.get(b).v128Load());
        f.get(a).get(aStep).i32Add().set(a);
        f.get(b).get(bStep).i32Add().set(b);
        return [x, y];
      });
      const zs = xy.map(([x, y]) => emitBinary(f, op, x, y));
      zs.forEach((z, u) =>
        f
          .get(dst)
          .get(i)
          .i32Add()
          .get(z)
          .v128Store(16 * u),
      );
    },
  );
  return f;
}

type UnaryFn = (src: number, dst: number, bytes: number) => number;
type BinaryFn = (a: number, b: number, dst: number, bytes: number, aStep: number, bStep: number) => void;

interface Instance {
  memory: WebAssembly.Memory;
  unary: Record<WasmUnaryOp, UnaryFn>;
  binary: Record<WasmBinaryOp, BinaryFn>;
}

/** Floats per buffer: three buffers of 64 KiB (inputs a, b and the output). */
const CHUNK = 16384;
const BUF_BYTES = CHUNK * 4;
const PAGES = Math.ceil((3 * BUF_BYTES) / 65536);

let instance: Instance | null | undefined;
let view: Float32Array | undefined;

/** The compiled module, or null where WebAssembly SIMD is not available. */
function getInstance(): Instance | null {
  if (instance !== undefined) return instance;
  try {
    const i32s = (k: number): ValType[] => new Array<ValType>(k).fill(I32);
    const funcs: FunctionDef[] = [
      ...UNARY_OPS.map((op) => ({ name: op, params: i32s(3), results: i32s(1), body: unaryKernel(op) })),
      ...BINARY_OPS.map((op) => ({ name: op, params: i32s(6), results: [], body: binaryKernel(op) })),
    ];
    const bytes = buildModule(funcs, PAGES);
    const memory = new WebAssembly.Memory({ initial: PAGES, maximum: 65536 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    const ex = inst.exports;
    instance = {
      memory,
      unary: Object.fromEntries(UNARY_OPS.map((op) => [op, ex[op]])) as Instance["unary"],
      binary: Object.fromEntries(BINARY_OPS.map((op) => [op, ex[op]])) as Instance["binary"],
    };
  } catch {
    instance = null;
  }
  return instance;
}

/** True where WebAssembly SIMD is available (the kernels compile). */
export function wasmElementwiseAvailable(): boolean {
  return getInstance() !== null;
}

/** A float view of the wasm memory, at least `bytes` long (growing the memory if needed). */
function memoryView(inst: Instance, bytes: number): Float32Array {
  const have = inst.memory.buffer.byteLength;
  if (have < bytes) inst.memory.grow(Math.ceil((bytes - have) / 65536));
  if (view === undefined || view.buffer !== inst.memory.buffer) view = new Float32Array(inst.memory.buffer);
  return view;
}

/** The float64 function used for lanes the sin/cos/tan kernels do not reduce accurately (|x| > 2²⁶, ±∞). */
const LARGE: Partial<Record<WasmUnaryOp, (x: number) => number>> = { sin: Math.sin, cos: Math.cos, tan: Math.tan };

/** dst[i] = op(src[i]) for float32; returns false (and does nothing) if wasm SIMD is unavailable. */
export function wasmUnaryF32(op: WasmUnaryOp, src: Float32Array, dst: Float32Array): boolean {
  const inst = getInstance();
  if (inst === null) return false;
  const n = src.length;
  if (dst.length !== n) throw new RangeError(`wasmUnaryF32: dst has length ${dst.length}, src ${n}`);
  const fn = inst.unary[op];
  if (fn === undefined) throw new RangeError(`wasmUnaryF32: unknown op ${String(op)}`);
  const mem = memoryView(inst, BUF_BYTES);
  for (let off = 0; off < n; off += CHUNK) {
    const len = Math.min(CHUNK, n - off);
    const padded = (len + LANES - 1) & -LANES;
    mem.set(src.subarray(off, off + len), 0);
    mem.fill(0, len, padded);
    if (fn(0, 0, padded * 4) !== 0) {
      // Lanes the kernel flagged: recompute in float64 and round (src still holds this chunk's inputs).
      const g = LARGE[op]!;
      for (let i = 0; i < len; i++) {
        const x = src[off + i];
        if (Math.abs(x) > SINCOS_LIMIT) mem[i] = g(x);
      }
    }
    dst.set(mem.subarray(0, len), off);
  }
  return true;
}

/** dst[i] = op(a[i or 0], b[i or 0]) where a and/or b may have length 1 (a broadcast scalar); else all lengths equal. */
export function wasmBinaryF32(op: WasmBinaryOp, a: Float32Array, b: Float32Array, dst: Float32Array): boolean {
  const inst = getInstance();
  if (inst === null) return false;
  const n = dst.length;
  if ((a.length !== n && a.length !== 1) || (b.length !== n && b.length !== 1))
    throw new RangeError(`wasmBinaryF32: lengths ${a.length} and ${b.length} do not broadcast to ${n}`);
  const fn = inst.binary[op];
  if (fn === undefined) throw new RangeError(`wasmBinaryF32: unknown op ${String(op)}`);
  const mem = memoryView(inst, 3 * BUF_BYTES);
  const [aBase, bBase, dBase] = [0, CHUNK, 2 * CHUNK];
  const aScalar = a.length === 1 && n !== 1;
  const bScalar = b.length === 1 && n !== 1;
  if (aScalar) mem.fill(a[0], aBase, aBase + 4);
  if (bScalar) mem.fill(b[0], bBase, bBase + 4);
  for (let off = 0; off < n; off += CHUNK) {
    const len = Math.min(CHUNK, n - off);
    const padded = (len + LANES - 1) & -LANES;
    if (!aScalar) {
      mem.set(a.subarray(off, off + len), aBase);
      mem.fill(0, aBase + len, aBase + padded);
    }
    if (!bScalar) {
      mem.set(b.subarray(off, off + len), bBase);
      mem.fill(0, bBase + len, bBase + padded);
    }
    fn(aBase * 4, bBase * 4, dBase * 4, padded * 4, aScalar ? 0 : 16, bScalar ? 0 : 16);
    dst.set(mem.subarray(dBase, dBase + len), off);
  }
  return true;
}
