/**
 * A small WebAssembly binary encoder: enough to build modules of numeric
 * kernels at run time (no toolchain, no eval). Function bodies are written
 * with `Body`, whose methods append instructions; `buildModule` wraps them in
 * a module that imports one memory from `env.memory` and exports the functions.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

function uleb(n: number, out: number[]): void {
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
}

function sleb(n: number, out: number[]): void {
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

/** Instructions of one function body. Locals are numbered after the parameters. */
export class Body {
  readonly code: number[] = [];
  readonly locals: ValType[] = [];
  /**
   * v128 constants read from mutable globals (one per distinct value) instead
   * of being built in registers at every use: V8 materialises a v128.const
   * with three instructions, one of them a GPR-to-vector move (one per cycle),
   * while a global is one load. `constants` lists their bytes; `constantRefs`
   * the offsets in `code` of the 5-byte global indices that buildModule patches.
   */
  readonly constants: number[][] = [];
  readonly constantRefs: { at: number; index: number }[] = [];
  private readonly constantIndex = new Map<string, number>();
  constantsInGlobals = false;
  constructor(readonly numParams: number) {}

  /** Declares a local of type `t`, returning its index. */
  local(t: ValType): number {
    this.locals.push(t);
    return this.numParams + this.locals.length - 1;
  }

  private op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  private simd(opcode: number, ...imm: number[]): this {
    this.code.push(0xfd);
    uleb(opcode, this.code);
    this.code.push(...imm);
    return this;
  }

  get(i: number): this {
    this.op(0x20);
    uleb(i, this.code);
    return this;
  }
  set(i: number): this {
    this.op(0x21);
    uleb(i, this.code);
    return this;
  }
  tee(i: number): this {
    this.op(0x22);
    uleb(i, this.code);
    return this;
  }
  i32(v: number): this {
    this.op(0x41);
    sleb(v | 0, this.code);
    return this;
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32LtU(): this {
    return this.op(0x49);
  }
  /** block ... end (branch depth 0 from inside jumps to the end). */
  block(inner: () => void): this {
    this.op(0x02, 0x40);
    inner();
    return this.op(0x0b);
  }
  /** loop ... end (branch depth 0 from inside jumps to the start). */
  loop(inner: () => void): this {
    this.op(0x03, 0x40);
    inner();
    return this.op(0x0b);
  }
  brIf(depth: number): this {
    this.op(0x0d);
    uleb(depth, this.code);
    return this;
  }
  br(depth: number): this {
    this.op(0x0c);
    uleb(depth, this.code);
    return this;
  }
  // ---- integer scalars, byte loads and stores, lane conversions (kernels with boolean values and row loops)
  i32LtS(): this {
    return this.op(0x48);
  }
  /** select: a if c else b, for [a, b, c] on the stack. */
  select(): this {
    return this.op(0x1b);
  }
  i32Load8U(offset = 0): this {
    this.op(0x2d, 0x00);
    uleb(offset, this.code);
    return this;
  }
  /** Loads 4 bytes into lane 0 of a zeroed v128. */
  v128Load32Zero(offset = 0): this {
    this.simd(0x5c, 0x02);
    uleb(offset, this.code);
    return this;
  }
  /** Stores 32-bit lane `lane` of the v128 on the stack. */
  v128Store32Lane(lane: number, offset = 0): this {
    this.simd(0x5a, 0x02);
    uleb(offset, this.code);
    this.code.push(lane);
    return this;
  }
  i8x16NarrowI16x8U(): this {
    return this.simd(0x66);
  }
  i16x8NarrowI32x4U(): this {
    return this.simd(0x86);
  }
  i16x8ExtendLowI8x16U(): this {
    return this.simd(0x89);
  }
  i32x4ExtendLowI16x8U(): this {
    return this.simd(0xa9);
  }
  i32x4Neg(): this {
    return this.simd(0xa1);
  }
  i32Eqz(): this {
    return this.op(0x45);
  }
  i32And(): this {
    return this.op(0x71);
  }
  /** i32.atomic.rmw.add: [address, value] → the old value (on shared or unshared memory). */
  i32AtomicRmwAdd(offset = 0): this {
    this.code.push(0xfe, 0x1e, 2);
    uleb(offset, this.code);
    return this;
  }
  /** `for (i = start; i < end; i += step) body()`, with end and step in locals/constants given as emitters. */
  forLoop(i: number, start: () => void, end: () => void, step: number, body: () => void): this {
    start();
    this.set(i);
    return this.block(() => {
      this.loop(() => {
        this.get(i);
        end();
        this.i32LtU();
        this.op(0x45); // i32.eqz: leave when i >= end
        this.brIf(1);
        body();
        this.get(i).i32(step).i32Add().set(i);
        this.br(0);
      });
    });
  }
  f32Load(offset = 0): this {
    this.op(0x2a, 0x02);
    uleb(offset, this.code);
    return this;
  }
  v128Load(offset = 0): this {
    this.simd(0x00, 0x04);
    uleb(offset, this.code);
    return this;
  }
  v128Store(offset = 0): this {
    this.simd(0x0b, 0x04);
    uleb(offset, this.code);
    return this;
  }
  v128Zero(): this {
    return this.simd(0x0c, ...new Array<number>(16).fill(0));
  }
  f32x4Splat(): this {
    return this.simd(0x13);
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }

  // ---- More SIMD (opcodes from the WebAssembly SIMD proposal's table) ----

  /** v128.const with 16 raw little-endian bytes. */
  v128Const(bytes: ArrayLike<number>): this {
    if (bytes.length !== 16) throw new RangeError("v128.const needs 16 bytes");
    if (this.constantsInGlobals) {
      const b = Array.from(bytes, (v) => v & 0xff);
      const key = b.join(",");
      let k = this.constantIndex.get(key);
      if (k === undefined) {
        k = this.constants.length;
        this.constants.push(b);
        this.constantIndex.set(key, k);
      }
      this.code.push(0x23);
      this.constantRefs.push({ at: this.code.length, index: k });
      this.code.push(0x80, 0x80, 0x80, 0x80, 0x00); // patched by buildModule
      return this;
    }
    return this.simd(0x0c, ...Array.from(bytes, (b) => b & 0xff));
  }
  /** v128.const of four f32 lanes (one value is splatted). */
  f32x4Const(...v: number[]): this {
    return this.v128Const(new Uint8Array(Float32Array.from(v.length === 1 ? [v[0], v[0], v[0], v[0]] : v).buffer));
  }
  /** v128.const of four i32 lanes (one value is splatted); values are taken modulo 2³². */
  i32x4Const(...v: number[]): this {
    return this.v128Const(new Uint8Array(Int32Array.from(v.length === 1 ? [v[0], v[0], v[0], v[0]] : v).buffer));
  }
  /** v128.const of two f64 lanes (one value is splatted). */
  f64x2Const(...v: number[]): this {
    return this.v128Const(new Uint8Array(Float64Array.from(v.length === 1 ? [v[0], v[0]] : v).buffer));
  }
  /** i8x16.shuffle: byte i of the result is byte lanes[i] of a‖b (0–15 from a, 16–31 from b). */
  i8x16Shuffle(lanes: number[]): this {
    if (lanes.length !== 16) throw new RangeError("i8x16.shuffle needs 16 lane indices");
    return this.simd(0x0d, ...lanes);
  }
  i32x4Splat(): this {
    return this.simd(0x11);
  }
  f64x2Splat(): this {
    return this.simd(0x14);
  }
  f32x4Eq(): this {
    return this.simd(0x41);
  }
  f32x4Ne(): this {
    return this.simd(0x42);
  }
  f32x4Lt(): this {
    return this.simd(0x43);
  }
  f32x4Gt(): this {
    return this.simd(0x44);
  }
  f32x4Le(): this {
    return this.simd(0x45);
  }
  f32x4Ge(): this {
    return this.simd(0x46);
  }
  v128Not(): this {
    return this.simd(0x4d);
  }
  v128And(): this {
    return this.simd(0x4e);
  }
  /** a & ~b */
  v128AndNot(): this {
    return this.simd(0x4f);
  }
  v128Or(): this {
    return this.simd(0x50);
  }
  v128Xor(): this {
    return this.simd(0x51);
  }
  /** bitselect(a, b, c) = (a & c) | (b & ~c), operands pushed in that order. */
  v128Bitselect(): this {
    return this.simd(0x52);
  }
  /** i32: 1 if any bit of the v128 is set. */
  v128AnyTrue(): this {
    return this.simd(0x53);
  }
  f32x4DemoteF64x2Zero(): this {
    return this.simd(0x5e);
  }
  f64x2PromoteLowF32x4(): this {
    return this.simd(0x5f);
  }
  f32x4Ceil(): this {
    return this.simd(0x67);
  }
  f32x4Floor(): this {
    return this.simd(0x68);
  }
  f32x4Trunc(): this {
    return this.simd(0x69);
  }
  f32x4Nearest(): this {
    return this.simd(0x6a);
  }
  f64x2Nearest(): this {
    return this.simd(0x94);
  }
  i32x4Eq(): this {
    return this.simd(0x37);
  }
  i32x4GtS(): this {
    return this.simd(0x3b);
  }
  /** i32x4.shl by an i32 count on the stack. */
  i32x4Shl(): this {
    return this.simd(0xab);
  }
  i32x4ShrS(): this {
    return this.simd(0xac);
  }
  i32x4ShrU(): this {
    return this.simd(0xad);
  }
  i32x4Add(): this {
    return this.simd(0xae);
  }
  i32x4Sub(): this {
    return this.simd(0xb1);
  }
  i32x4Mul(): this {
    return this.simd(0xb5);
  }
  /** i64x2.shl by an i32 count on the stack. */
  i64x2Shl(): this {
    return this.simd(0xcb);
  }
  i64x2ShrS(): this {
    return this.simd(0xcc);
  }
  i64x2Add(): this {
    return this.simd(0xce);
  }
  f32x4Abs(): this {
    return this.simd(0xe0);
  }
  f32x4Neg(): this {
    return this.simd(0xe1);
  }
  f32x4Sqrt(): this {
    return this.simd(0xe3);
  }
  f32x4Sub(): this {
    return this.simd(0xe5);
  }
  f32x4Div(): this {
    return this.simd(0xe7);
  }
  /** Lane-wise minimum; NaN if either lane is NaN, and min(-0, +0) = -0. */
  f32x4Min(): this {
    return this.simd(0xe8);
  }
  /** Lane-wise maximum; NaN if either lane is NaN, and max(-0, +0) = +0. */
  f32x4Max(): this {
    return this.simd(0xe9);
  }
  f64x2Abs(): this {
    return this.simd(0xec);
  }
  f64x2Add(): this {
    return this.simd(0xf0);
  }
  f64x2Sub(): this {
    return this.simd(0xf1);
  }
  f64x2Mul(): this {
    return this.simd(0xf2);
  }
  f64x2Div(): this {
    return this.simd(0xf3);
  }
  i32x4TruncSatF32x4S(): this {
    return this.simd(0xf8);
  }
  f32x4ConvertI32x4S(): this {
    return this.simd(0xfa);
  }
  i32x4TruncSatF64x2SZero(): this {
    return this.simd(0xfc);
  }
  i32x4MinS(): this {
    return this.simd(0xb6);
  }
  /** Pseudo-minimum b < a ? b : a (one instruction; NaN in b is ignored, NaN in a kept). */
  f32x4Pmin(): this {
    return this.simd(0xea);
  }
  /** Pseudo-maximum a < b ? b : a (one instruction; NaN in b is ignored, NaN in a kept). */
  f32x4Pmax(): this {
    return this.simd(0xeb);
  }
  f64x2Pmin(): this {
    return this.simd(0xf6);
  }
  f64x2Pmax(): this {
    return this.simd(0xf7);
  }
}

export interface FunctionDef {
  name: string;
  params: ValType[];
  results: ValType[];
  body: Body;
}

function section(id: number, payload: number[], out: number[]): void {
  out.push(id);
  uleb(payload.length, out);
  out.push(...payload);
}

function vec(items: number[][]): number[] {
  const out: number[] = [];
  uleb(items.length, out);
  for (const it of items) out.push(...it);
  return out;
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  const out: number[] = [];
  uleb(bytes.length, out);
  return [...out, ...bytes];
}

/** A module importing `env.memory` (at least `minPages` pages, optionally shared) and exporting `funcs`. */
export function buildModule(
  funcs: FunctionDef[],
  minPages = 1,
  shared = false,
  maxPages = 65536,
): Uint8Array<ArrayBuffer> {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = funcs.map((f) => [0x60, ...vec(f.params.map((p) => [p])), ...vec(f.results.map((r) => [r]))]);
  section(1, vec(types), out);
  const limits: number[] = [shared ? 0x03 : 0x01];
  uleb(minPages, limits);
  uleb(maxPages, limits);
  section(2, vec([[...name("env"), ...name("memory"), 0x02, ...limits]]), out);
  section(
    3,
    vec(
      funcs.map((_, i) => {
        const b: number[] = [];
        uleb(i, b);
        return b;
      }),
    ),
    out,
  );
  const globalIndex = new Map<string, number>();
  const globals: number[][] = [];
  for (const f of funcs) {
    const ids = f.body.constants.map((b) => {
      const key = b.join(",");
      let g = globalIndex.get(key);
      if (g === undefined) {
        g = globals.length;
        globals.push([V128, 0x01, 0xfd, 0x0c, ...b, 0x0b]);
        globalIndex.set(key, g);
      }
      return g;
    });
    for (const { at, index } of f.body.constantRefs) {
      const g = ids[index];
      for (let i = 0; i < 5; i++) f.body.code[at + i] = ((g >>> (7 * i)) & 0x7f) | (i < 4 ? 0x80 : 0);
    }
  }
  if (globals.length > 0) section(6, vec(globals), out);
  section(
    7,
    vec(
      funcs.map((f, i) => {
        const b = [...name(f.name), 0x00];
        uleb(i, b);
        return b;
      }),
    ),
    out,
  );
  const bodies = funcs.map((f) => {
    const locals = vec(f.body.locals.map((t) => [0x01, t]));
    const body = [...locals, ...f.body.code, 0x0b];
    const sized: number[] = [];
    uleb(body.length, sized);
    return [...sized, ...body];
  });
  section(10, vec(bodies), out);
  return new Uint8Array(out);
}
