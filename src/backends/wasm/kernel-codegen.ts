/**
 * Compiles a kernel (src/kernel/ir.ts) into one WebAssembly SIMD function:
 *
 *   run(buf₀, …, bufₖ, counter, rows, cols, n, chunk, scratch) → i32
 *
 * with one pointer per input, then one per output, then a shared row counter,
 * the number of rows, the row length, the total element count, how many rows
 * to take at a time, and the threads' scratch area (see `stagesOf`). Every
 * thread calls the same function, which takes `chunk` rows from the counter
 * (an atomic add) until none is left, so a thread slowed by other work simply
 * takes fewer rows. Row r covers elements [r·cols, min((r+1)·cols, n)); a flat
 * kernel (no row structure) is run with cols = a fixed block length, so its
 * last row is partial. A loop step handles `unroll` vectors of four lanes;
 * buffers are padded to whole steps.
 *
 * Values are computed where they first vary: operations on scalars only run
 * once before the loop, those on per-row values once per row. Booleans are
 * lane masks inside the loop and bytes (0 or 1) in memory.
 *
 * Output buffers: a stored value is an array like the inputs; a reduction over
 * every element or over the columns writes one partial result per row (two
 * f64x2 sums, 32 bytes, or one f32x4 maximum, 16 bytes), which the driver
 * combines in row order; a reduction over rows accumulates into one float64
 * (sum) or float32 (max) per column, which the driver initialises. Sums are
 * accumulated in float64.
 *
 * The result is 1 when a sin/cos lane fell outside the range the vector code
 * reduces accurately (the caller then evaluates the region op by op).
 */
import { Body, I32, V128 } from "./encoder.js";
import { bind, emitSinAndCos } from "./simd-math.js";
import { BINARY_OPS, emitBinary, emitUnary, type WasmBinaryOp, type WasmUnaryOp } from "./elementwise.js";
import type { CompareOpName, Kernel, KernelOp, KernelOutput, KernelType } from "../../kernel/ir.js";
import { perRow, valueTypes } from "../../kernel/ir.js";

/** Where a value first varies: 0 once per call, 1 once per row, 2 every element. */
type Level = 0 | 1 | 2;

const BINARY = new Set<string>(BINARY_OPS);

const COMPARE: Record<CompareOpName, (f: Body) => Body> = {
  lt: (f) => f.f32x4Lt(),
  le: (f) => f.f32x4Le(),
  gt: (f) => f.f32x4Gt(),
  ge: (f) => f.f32x4Ge(),
  eq: (f) => f.f32x4Eq(),
  ne: (f) => f.f32x4Ne(),
};

/** Emits one operation on value locals, returning the result's local. */
function emitOp(f: Body, o: KernelOp, vals: number[], flags: number): number {
  const a = o.args.map((i) => vals[i]);
  if (o.op === "select") return bind(f, () => f.get(a[2]).get(a[1]).get(a[0]).v128Bitselect());
  if (o.op === "not") return bind(f, () => f.get(a[0]).v128Not());
  if (o.op in COMPARE) return bind(f, () => COMPARE[o.op as CompareOpName](f.get(a[0]).get(a[1])));
  if (BINARY.has(o.op)) return emitBinary(f, o.op as WasmBinaryOp, a[0], a[1]);
  return emitUnary(f, o.op as WasmUnaryOp, a[0], flags);
}

/** Pairs (both ways) each sin operation with a cos of the same value. */
function sinCosPairs(k: Kernel): Map<number, number> {
  const pairs = new Map<number, number>();
  k.ops.forEach((o, j) => {
    if (o.op !== "sin" || pairs.has(j)) return;
    const c = k.ops.findIndex((q, i) => q.op === "cos" && q.args[0] === o.args[0] && !pairs.has(i));
    if (c >= 0) pairs.set(j, c).set(c, j);
  });
  return pairs;
}

/** Where each value first varies (inputs, then operations). */
export function levelsOf(k: Kernel): Level[] {
  const level: Level[] = k.inputs.map((i) => (i.kind === "scalar" ? 0 : i.kind === "col" ? 1 : 2));
  for (const o of k.ops) level.push(Math.max(0, ...o.args.map((a) => level[a])) as Level);
  return level;
}

/** Operations whose vector code is long: a kernel with several of them is split into stages. */
const EXPENSIVE = new Set(["exp", "expm1", "log", "log1p", "sin", "cos", "tan", "tanh", "logistic", "erf", "pow"]);

/** Rows longer than this are not split into stages (their staged values would not stay in the L1 cache). */
const MAX_STAGED_COLS = 8192;

/** How a kernel's per-element operations are split into loops (see `stagesOf`). */
export interface Staging {
  /** Each operation's stage (per-element operations; others 0). */
  stage: number[];
  /** The values computed in one stage and read in a later one. */
  crossing: number[];
}

/**
 * Loop fission. A long chain of expensive operations in one loop body runs
 * slower than the same operations in separate loops (the out-of-order window
 * and the 16 vector registers no longer cover it), so the per-element
 * operations are split into stages of at most one expensive operation (a sin
 * with its cos counts once), each a loop over the row of its own; values that
 * cross stages go through a per-thread scratch row, which stays in the L1 cache.
 * Returns each per-element operation's stage and the values that cross stages.
 */
export function stagesOf(k: Kernel, cols: number): Staging {
  const level = levelsOf(k);
  const nIn = k.inputs.length;
  const stage = k.ops.map(() => 0);
  if (cols > MAX_STAGED_COLS) return { stage, crossing: [] };
  const partner = sinCosPairs(k);
  let current = 0;
  let expensive = false;
  k.ops.forEach((o, j) => {
    if (level[nIn + j] !== 2) return;
    const pairedEarlier = partner.has(j) && partner.get(j)! < j;
    if (EXPENSIVE.has(o.op) && !pairedEarlier) {
      if (expensive) current++;
      expensive = true;
    }
    stage[j] = pairedEarlier ? stage[partner.get(j)!] : current;
  });
  const crossing = new Set<number>();
  k.ops.forEach((o, j) => {
    if (level[nIn + j] !== 2) return;
    for (const a of o.args) if (a >= nIn && level[a] === 2 && stage[a - nIn] < stage[j]) crossing.add(a);
  });
  return { stage, crossing: [...crossing].sort((a, b) => a - b) };
}

/** Pushes a boolean mask from 4 bytes (0 or 1) at the address on the stack. */
function loadBoolLanes(f: Body, offset: number): void {
  f.v128Load32Zero(offset).i16x8ExtendLowI8x16U().i32x4ExtendLowI16x8U().i32x4Neg();
}

export function kernelBody(k: Kernel, unroll: number, staging: Staging): Body {
  const nIn = k.inputs.length;
  const nBuf = nIn + k.outputs.length;
  const f = new Body(nBuf + 6);
  const [COUNTER, ROWS, COLS, N, CHUNK, SCRATCH] = [nBuf, nBuf + 1, nBuf + 2, nBuf + 3, nBuf + 4, nBuf + 5];
  const { stage, crossing } = staging;
  const stages = Math.max(0, ...stage) + 1;
  const scratch = f.local(I32); // this thread's scratch rows: one per crossing value
  const rowBytes = f.local(I32); // a scratch row: cols rounded up to 16 floats
  const r0 = f.local(I32); // the rows taken: [r0, r1)
  const r1 = f.local(I32);
  const types = valueTypes(k);
  const r = f.local(I32);
  const c = f.local(I32);
  const rowStart = f.local(I32); // r·cols
  const limit = f.local(I32); // valid elements in this row
  const off = f.local(I32); // rowStart + c
  const addr = f.local(I32);
  const flags = f.local(V128);
  f.v128Zero().set(flags);

  const level = levelsOf(k);
  const vals: number[] = new Array<number>(types.length).fill(-1);

  const splatInput = (i: number, addr: () => void) => {
    vals[i] = bind(f, () => {
      addr();
      if (types[i] === "bool") f.i32Load8U().i32x4Splat().i32x4Neg();
      else f.f32Load().f32x4Splat();
    });
  };
  // sin and cos of the same value share their reduction and polynomials.
  const partner = sinCosPairs(k);
  /** Emits operation j into the value locals `v`, unless its sin/cos partner already did. */
  const emitInto = (j: number, v: number[]) => {
    if (v[nIn + j] !== -1) return;
    const o = k.ops[j];
    const p = partner.get(j);
    if (p === undefined) return void (v[nIn + j] = emitOp(f, o, v, flags));
    const [sin, cos] = emitSinAndCos(f, v[o.args[0]], flags);
    v[nIn + (o.op === "sin" ? j : p)] = sin;
    v[nIn + (o.op === "sin" ? p : j)] = cos;
  };
  const emitOpsAt = (lv: Level) =>
    k.ops.forEach((_, j) => {
      if (level[nIn + j] === lv) emitInto(j, vals);
    });

  // Once per call: scalars, and what depends on them only.
  k.inputs.forEach((inp, i) => inp.kind === "scalar" && splatInput(i, () => f.get(i)));
  emitOpsAt(0);
  const accs = k.outputs.map((o) => (perRow(o) ? [f.local(V128), f.local(V128)] : []));

  if (crossing.length > 0) {
    // A scratch area per thread: the thread's number is taken from the second counter word.
    f.get(COLS).i32(15).i32Add().i32(-16).i32And().i32(4).i32Mul().set(rowBytes);
    f.get(COUNTER).i32(1).i32AtomicRmwAdd(4).i32(crossing.length).i32Mul().get(rowBytes).i32Mul();
    f.get(SCRATCH).i32Add().set(scratch);
  }
  // Take `chunk` rows at a time from the shared counter until none is left.
  f.block(() =>
    f.loop(() => {
      f.get(COUNTER).get(CHUNK).i32AtomicRmwAdd().tee(r0).get(ROWS).i32LtU().i32Eqz().brIf(1);
      f.get(r0).get(CHUNK).i32Add().tee(r1).get(ROWS).get(r1).get(ROWS).i32LtU().select().set(r1);
      emitRows();
      f.br(0);
    }),
  );
  f.get(flags).v128AnyTrue();
  return f;

  /** Rows [r0, r1). */
  function emitRows(): void {
    f.forLoop(
      r,
      () => f.get(r0),
      () => f.get(r1),
      1,
      () => {
        f.get(r).get(COLS).i32Mul().set(rowStart);
        // limit = min(cols, n − rowStart)
        f.get(COLS).get(N).get(rowStart).i32Sub().get(COLS).get(N).get(rowStart).i32Sub().i32LtS().select().set(limit);
        k.inputs.forEach(
          (inp, i) =>
            inp.kind === "col" && splatInput(i, () => f.get(i).get(r).i32(bytesOf(types[i])).i32Mul().i32Add()),
        );
        emitOpsAt(1);
        k.outputs.forEach((o, j) => {
          if (o.kind !== "reduce" || !perRow(o)) return;
          const init = () => (o.reducer === "sum" ? f.v128Zero() : f.f32x4Const(-Infinity));
          init().set(accs[j][0]);
          init().set(accs[j][1]);
        });
        for (let st = 0; st < stages; st++) {
          f.forLoop(
            c,
            () => f.i32(0),
            () => f.get(limit),
            4 * unroll,
            () => emitElements(st),
          );
        }
        // One partial per row for the reductions over every element.
        k.outputs.forEach((o, j) => {
          if (o.kind !== "reduce" || !perRow(o)) return;
          const ptr = nIn + j;
          const row = () =>
            f
              .get(ptr)
              .get(r)
              .i32(o.reducer === "sum" ? 32 : 16)
              .i32Mul()
              .i32Add();
          row().get(accs[j][0]).v128Store();
          if (o.reducer === "sum") row().get(accs[j][1]).v128Store(16);
        });
      },
    );
  }

  /**
   * The loop body: elements (r, c … c + 4·unroll − 1), as `unroll` independent
   * vectors whose operations are interleaved, so that one vector's long
   * dependency chains (exp, log, sin …) overlap with the other's.
   */
  function emitElements(st: number): void {
    f.get(rowStart).get(c).i32Add().set(off);
    const at = (ptr: number, index: number, t: KernelType | "f64") => () =>
      f.get(ptr).get(index).i32(bytesOf(t)).i32Mul().i32Add();
    const inStage = (j: number) => level[nIn + j] === 2 && stage[j] === st;
    const needed = new Set<number>();
    k.ops.forEach((o, j) => inStage(j) && o.args.forEach((a) => needed.add(a)));
    // Outputs are written in the stage that computes their value (inputs and per-row values: the first).
    const producedHere = (v: number) => (v >= nIn && level[v] === 2 ? stage[v - nIn] === st : st === 0);
    k.outputs.forEach((o) => producedHere(o.value) && needed.add(o.value));
    const lanes = Array.from({ length: unroll }, () => vals.slice());
    k.inputs.forEach((inp, i) => {
      if ((inp.kind !== "full" && inp.kind !== "row") || !needed.has(i)) return;
      const index = inp.kind === "full" ? off : c;
      const bytes = 4 * bytesOf(types[i]);
      lanes.forEach((v, u) => {
        v[i] = bind(f, () => {
          at(i, index, types[i])();
          if (types[i] === "bool") loadBoolLanes(f, u * bytes);
          else f.v128Load(u * bytes);
        });
      });
    });
    // Values from earlier stages: their scratch row, element c (16 bytes per vector, masks as they are).
    const scratchAt = (slot: number) =>
      f.get(scratch).i32(slot).get(rowBytes).i32Mul().i32Add().get(c).i32(4).i32Mul().i32Add();
    crossing.forEach((v, slot) => {
      if (!needed.has(v) || stage[v - nIn] === st) return;
      lanes.forEach((l, u) => {
        l[v] = bind(f, () => scratchAt(slot).v128Load(16 * u));
      });
    });
    k.ops.forEach((_, j) => {
      if (inStage(j)) lanes.forEach((v) => emitInto(j, v));
    });
    crossing.forEach((v, slot) => {
      if (stage[v - nIn] !== st) return;
      lanes.forEach((l, u) =>
        scratchAt(slot)
          .get(l[v])
          .v128Store(16 * u),
      );
    });
    k.outputs.forEach((o, j) => {
      if (producedHere(o.value)) lanes.forEach((v, u) => emitOutput(o, nIn + j, v[o.value], u, at));
    });
  }

  /** Writes vector `u` of output value v. */
  function emitOutput(
    o: KernelOutput,
    ptr: number,
    v: number,
    u: number,
    at: (ptr: number, index: number, t: KernelType | "f64") => () => void,
  ): void {
    if (o.kind === "store") {
      at(ptr, off, types[o.value])();
      if (types[o.value] === "bool") {
        const b = bind(f, () => f.get(v).i32x4Const(1).v128And());
        f.get(b).get(b).i16x8NarrowI32x4U().set(b);
        f.get(b)
          .get(b)
          .i8x16NarrowI16x8U()
          .v128Store32Lane(0, 4 * u);
      } else f.get(v).v128Store(16 * u);
    } else if (perRow(o)) {
      // Lanes past the end of the row do not count: lane l is valid if c + 4u + l < limit.
      const valid = () =>
        f
          .get(limit)
          .get(c)
          .i32Sub()
          .i32x4Splat()
          .i32x4Const(4 * u, 4 * u + 1, 4 * u + 2, 4 * u + 3)
          .i32x4GtS();
      const [a0, a1] = accs[ptr - nIn];
      if (o.reducer === "sum") {
        const x = bind(f, () => (f.get(v), valid(), f.v128And()));
        f.get(a0).get(x).f64x2PromoteLowF32x4().f64x2Add().set(a0);
        f.get(a1).get(x).get(x).i8x16Shuffle(HIGH_HALF).f64x2PromoteLowF32x4().f64x2Add().set(a1);
      } else {
        f.get(a0).get(v).f32x4Const(-Infinity);
        valid();
        f.v128Bitselect().f32x4Max().set(a0);
      }
    } else if (o.reducer === "sum") {
      // Column sums in float64: acc[c..c+1] += v[0..1], acc[c+2..c+3] += v[2..3].
      at(ptr, c, "f64")();
      f.set(addr);
      f.get(addr)
        .get(addr)
        .v128Load(32 * u)
        .get(v)
        .f64x2PromoteLowF32x4()
        .f64x2Add()
        .v128Store(32 * u);
      f.get(addr)
        .get(addr)
        .v128Load(32 * u + 16)
        .get(v)
        .get(v)
        .i8x16Shuffle(HIGH_HALF)
        .f64x2PromoteLowF32x4();
      f.f64x2Add().v128Store(32 * u + 16);
    } else {
      at(ptr, c, "float32")();
      f.set(addr);
      f.get(addr)
        .get(addr)
        .v128Load(16 * u)
        .get(v)
        .f32x4Max()
        .v128Store(16 * u);
    }
  }
}

/** Shuffle lanes taking the upper two f32 lanes into the lower half. */
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];

const bytesOf = (t: KernelType | "f64"): number => (t === "bool" ? 1 : t === "f64" ? 8 : 4);
