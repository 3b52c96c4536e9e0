/**
 * cumsum / cumprod / cummax / cummin along one axis as generated WebAssembly,
 * for float32 and int32 arrays. Like the reference kernel, the running value is
 * a float64 (each element is widened, combined with it, and the result rounded
 * to the output type), so results are bit-identical to it. Along the last axis
 * a scalar loop runs per row with the running value in a local; along other
 * axes the running values of a whole row of inner elements live in a float64
 * scratch row, updated four floats at a time (two f64x2 halves) for float32.
 */
import { growMemory } from "./memory.js";
import { Body, buildModule, F64, I32, type FunctionDef, type ValType } from "./encoder.js";

export type CumulativeOp = "cumsum" | "cumprod" | "cummax" | "cummin";
const OPS: readonly CumulativeOp[] = ["cumsum", "cumprod", "cummax", "cummin"];
type ElemType = "f32" | "i32";

function raw(f: Body, ...bytes: number[]): void {
  f.code.push(...bytes);
}
const f64Const = (f: Body, v: number) => raw(f, 0x44, ...new Uint8Array(Float64Array.of(v).buffer));

/** Loads the element at the address on the stack, widened to f64. */
function loadElem(f: Body, t: ElemType): void {
  if (t === "f32")
    raw(f, 0x2a, 0x02, 0x00, 0xbb); // f32.load; f64.promote_f32
  else raw(f, 0x28, 0x02, 0x00, 0xb7); // i32.load; f64.convert_i32_s
}
/** Stores the f64 on the stack (rounded, or wrapped modulo 2³² for int32) at the address under it. */
function storeElem(f: Body, t: ElemType): void {
  if (t === "f32")
    raw(f, 0xb6, 0x38, 0x02, 0x00); // f32.demote_f64; f32.store
  else raw(f, 0xfc, 0x06, 0xa7, 0x36, 0x02, 0x00); // i64.trunc_sat_f64_s; i32.wrap_i64; i32.store
}

/** Pushes combine(acc, x) for f64 locals acc and x, exactly as the reference's JS combine. */
function combineScalar(f: Body, op: CumulativeOp, acc: number, x: number): void {
  // x first: where both are NaN, the JS reference's result carries x's payload (as the x86 instructions
  // V8 emits for it do), and wasm's f64.add/mul carry their first operand's.
  if (op === "cumsum") {
    f.get(x).get(acc);
    raw(f, 0xa0); // f64.add
  } else if (op === "cumprod") {
    f.get(x).get(acc);
    raw(f, 0xa2); // f64.mul
  } else {
    f64Const(f, NaN);
    f.get(acc).get(x).get(acc).get(x);
    raw(f, op === "cummax" ? 0x64 : 0x63); // f64.gt / f64.lt
    f.select();
    f.get(acc).get(acc);
    raw(f, 0x62); // f64.ne
    f.get(x).get(x);
    raw(f, 0x62, 0x72); // f64.ne; i32.or
    f.select();
  }
}

/** Pushes combine(acc, x) lane-wise for f64x2 locals. */
function combineVector(f: Body, op: CumulativeOp, acc: number, x: number): void {
  if (op === "cumsum") f.get(x).get(acc).f64x2Add();
  else if (op === "cumprod") f.get(x).get(acc).f64x2Mul();
  else {
    f.f64x2Const(NaN);
    // pmax(x, acc) = x < acc ? acc : x, which is acc > x ? acc : x; pmin likewise.
    f.get(x).get(acc);
    if (op === "cummax") f.f64x2Pmax();
    else f.f64x2Pmin();
    f.get(acc).get(acc);
    raw(f, 0xfd, 0x48); // f64x2.ne
    f.get(x).get(x);
    raw(f, 0xfd, 0x48);
    f.v128Or().v128Bitselect();
  }
}

/** while (i < end) { body; i += step } with i, end locals. */
function whileLt(f: Body, i: number, end: number, body: () => void): void {
  f.block(() =>
    f.loop(() => {
      f.get(i).get(end).i32LtS().i32Eqz().brIf(1);
      body();
      f.br(0);
    }),
  );
}

/** Params of both functions: src, dst, acc (scratch), outer, n, inner, first, step, rowBytes (byte addresses and strides). */
const PARAMS: ValType[] = new Array<ValType>(9).fill(I32);
const [SRC, DST, ACC, OUTER, N, INNER, FIRST, STEP, ROW] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

/** Every line has inner = 1: the running value stays in a local. */
function rowsKernel(op: CumulativeOp, t: ElemType): Body {
  const f = new Body(PARAMS.length);
  const [o, s, p, q] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const [acc, x] = [f.local(F64), f.local(F64)];
  f.i32(0).set(o);
  whileLt(f, o, OUTER, () => {
    f.get(o).get(ROW).i32Mul().get(FIRST).i32Add().tee(p).get(DST).i32Add().set(q);
    f.get(p).get(SRC).i32Add().set(p);
    f.get(p);
    loadElem(f, t);
    f.set(acc);
    f.get(q).get(acc);
    storeElem(f, t);
    f.i32(1).set(s);
    whileLt(f, s, N, () => {
      f.get(p).get(STEP).i32Add().tee(p);
      loadElem(f, t);
      f.set(x);
      combineScalar(f, op, acc, x);
      f.set(acc);
      f.get(q).get(STEP).i32Add().tee(q).get(acc);
      storeElem(f, t);
      f.get(s).i32(1).i32Add().set(s);
    });
    f.get(o).i32(1).i32Add().set(o);
  });
  return f;
}

/** Lines with inner elements: a float64 scratch row of running values, four lanes at a time for float32. */
function innerKernel(op: CumulativeOp, t: ElemType): Body {
  const f = new Body(PARAMS.length);
  const [o, s, p, q, i, a, vecEnd, end] = Array.from({ length: 8 }, () => f.local(I32));
  const [accS, xS] = [f.local(F64), f.local(F64)];
  const [xv, lo, hi, accV] = [f.local(0x7b), f.local(0x7b), f.local(0x7b), f.local(0x7b)];
  f.get(INNER).i32(4).i32Mul().set(end);
  if (t === "f32") f.get(end).i32(-16).i32And().set(vecEnd);
  else f.i32(0).set(vecEnd);
  const lowHalf = [0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7];
  const highHalf = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
  const row = (first: boolean) => {
    f.i32(0).set(i);
    f.get(ACC).set(a);
    whileLt(f, i, vecEnd, () => {
      f.get(p).get(i).i32Add().v128Load().set(xv);
      for (const [half, dstLocal, accOff] of [
        [lowHalf, lo, 0],
        [highHalf, hi, 16],
      ] as const) {
        f.get(xv)
          .get(xv)
          .i8x16Shuffle([...half])
          .f64x2PromoteLowF32x4()
          .set(dstLocal);
        if (!first) {
          f.get(a).v128Load(accOff).set(accV);
          const tmp = dstLocal;
          combineVector(f, op, accV, tmp);
          f.set(dstLocal);
        }
        f.get(a).get(dstLocal).v128Store(accOff);
      }
      f.get(q).get(i).i32Add();
      f.get(lo).f32x4DemoteF64x2Zero().get(hi).f32x4DemoteF64x2Zero();
      f.i8x16Shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]).v128Store();
      f.get(i).i32(16).i32Add().set(i);
      f.get(a).i32(32).i32Add().set(a);
    });
    whileLt(f, i, end, () => {
      f.get(p).get(i).i32Add();
      loadElem(f, t);
      f.set(xS);
      if (!first) {
        f.get(a);
        raw(f, 0x2b, 0x03, 0x00); // f64.load
        f.set(accS);
        combineScalar(f, op, accS, xS);
        f.set(xS);
      }
      f.get(a).get(xS);
      raw(f, 0x39, 0x03, 0x00); // f64.store
      f.get(q).get(i).i32Add().get(xS);
      storeElem(f, t);
      f.get(i).i32(4).i32Add().set(i);
      f.get(a).i32(8).i32Add().set(a);
    });
  };
  f.i32(0).set(o);
  whileLt(f, o, OUTER, () => {
    f.get(o).get(ROW).i32Mul().get(FIRST).i32Add().tee(p).get(DST).i32Add().set(q);
    f.get(p).get(SRC).i32Add().set(p);
    row(true);
    f.i32(1).set(s);
    whileLt(f, s, N, () => {
      f.get(p).get(STEP).i32Add().set(p);
      f.get(q).get(STEP).i32Add().set(q);
      row(false);
      f.get(s).i32(1).i32Add().set(s);
    });
    f.get(o).i32(1).i32Add().set(o);
  });
  return f;
}

type Fn = (...args: number[]) => void;
interface Instance {
  memory: WebAssembly.Memory;
  fns: Map<string, Fn>;
}
let instance: Instance | null | undefined;

function getInstance(): Instance | null {
  if (instance !== undefined) return instance;
  try {
    const funcs: FunctionDef[] = [];
    for (const op of OPS) {
      for (const t of ["f32", "i32"] as const) {
        funcs.push({ name: `${op}_${t}_rows`, params: PARAMS, results: [], body: rowsKernel(op, t) });
        funcs.push({ name: `${op}_${t}_inner`, params: PARAMS, results: [], body: innerKernel(op, t) });
      }
    }
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(buildModule(funcs, 1)), { env: { memory } });
    instance = { memory, fns: new Map(funcs.map((d) => [d.name, inst.exports[d.name] as Fn])) };
  } catch {
    instance = null;
  }
  return instance;
}

/**
 * dst = the cumulative `op` of src along an axis of extent n, with `outer`
 * lines before and `inner` elements after it; false (and nothing written) if
 * WebAssembly SIMD is unavailable.
 */
export function wasmCumulative(
  op: CumulativeOp,
  src: Float32Array | Int32Array,
  dst: Float32Array | Int32Array,
  outer: number,
  n: number,
  inner: number,
  reverse: boolean,
): boolean {
  const inst = getInstance();
  if (inst === null) return false;
  const size = src.length;
  const bytes = (size * 4 + 15) & -16;
  const need = 2 * bytes + inner * 8 + 16;
  // Too large for the memory (or refused by the system): the cpu kernel runs instead.
  if (!growMemory(inst.memory, need, 65536)) return false;
  const t: ElemType = src instanceof Float32Array ? "f32" : "i32";
  const view = t === "f32" ? new Float32Array(inst.memory.buffer) : new Int32Array(inst.memory.buffer);
  view.set(src, 0);
  const fn = inst.fns.get(`${op}_${t}_${inner === 1 ? "rows" : "inner"}`)!;
  const step = inner * 4;
  fn(0, bytes, 2 * bytes, outer, n, inner, reverse ? (n - 1) * step : 0, reverse ? -step : step, n * step);
  dst.set(view.subarray(bytes / 4, bytes / 4 + size));
  return true;
}
