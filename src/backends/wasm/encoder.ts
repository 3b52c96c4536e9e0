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
