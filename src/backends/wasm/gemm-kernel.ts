/**
 * The float32 matrix-multiply module in WebAssembly SIMD, shared by the main
 * thread and the worker threads (see gemm.ts for how a call is set up).
 *
 * The blocking follows the usual high-performance layout (GotoBLAS / BLIS).
 * Threads share C as tiles (a few panels of 8 columns, or a block of rows),
 * taken one at a time from a shared counter. For a tile, a thread packs its
 * rows of A (kept for its next tile over the same rows) into panels of 4 rows,
 * and for each block of k its columns of B into panels of 8 columns, laid out
 * so that the inner loop reads memory contiguously; then a 4×8 micro-kernel
 * keeps its 32 sums in eight f32x4 registers across the block of k. Packing
 * pads to the panel sizes with zeros, so the micro-kernel has no edge cases;
 * it is written in wasm too, with SIMD paths for the usual layouts (row-major
 * and transposed operands) and a strided scalar loop for any other.
 *
 * Sums over k run in a fixed order that depends on k alone (the k blocks are
 * fixed by k; within a block the micro-kernel adds in order, then the block's
 * sum is added to C), so every element has the same bits whatever the split
 * of the work between threads and whatever ran before.
 */
import { Body, buildModule, I32, V128 } from "./encoder.js";

export const MR = 4; // rows of a micro-tile
export const NR = 8; // columns of a micro-tile (two f32x4)
/** k-block: a B micro-panel (KC×8 floats) stays in L1, an A block (MC×KC) in L2. */
export const KC = 256;
/** m-block. */
export const MC = 128;
/** Most columns in a tile (its packed B is KC×NC floats at most). */
export const NC = 512;

/** Largest memory the kernels may use: 1 GiB (64 KiB pages). */
export const MAX_PAGES = 16384;

function uleb(n: number, out: number[]): void {
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
}

/** Body with the few scalar instructions the packing and driver loops need besides the encoder's. */
class Asm extends Body {
  private raw(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  private mem(opcode: number, align: number, offset: number): this {
    this.code.push(opcode, align);
    uleb(offset, this.code);
    return this;
  }
  storeF32(offset = 0): this {
    return this.mem(0x38, 2, offset);
  }
  zeroF32(): this {
    return this.raw(0x43, 0, 0, 0, 0);
  }
  eqzI32(): this {
    return this.raw(0x45);
  }
  eqI32(): this {
    return this.raw(0x46);
  }
  divUI32(): this {
    return this.raw(0x6e);
  }
  andI32(): this {
    return this.raw(0x71);
  }
  shlI32(): this {
    return this.raw(0x74);
  }
  /** select: [a, b, cond] → cond ? a : b. */
  selectI32(): this {
    return this.raw(0x1b);
  }
  /** if (condition on the stack) then() else otherwise(). */
  ifThenElse(then: () => void, otherwise?: () => void): this {
    this.raw(0x04, 0x40);
    then();
    if (otherwise) {
      this.raw(0x05);
      otherwise();
    }
    return this.raw(0x0b);
  }
  callFn(index: number): this {
    this.raw(0x10);
    uleb(index, this.code);
    return this;
  }
  /** v128.load32_splat: [address] → the f32 there in every lane. */
  load32Splat(offset = 0): this {
    return this.simdMem(0x09, 2, offset);
  }
  private simdMem(opcode: number, align: number, offset: number): this {
    this.code.push(0xfd);
    uleb(opcode, this.code);
    this.code.push(align);
    uleb(offset, this.code);
    return this;
  }
  /** i32.atomic.rmw.add: [address, value] → the old value. */
  atomicAddI32(offset = 0): this {
    this.code.push(0xfe, 0x1e, 2);
    uleb(offset, this.code);
    return this;
  }
  /** Pushes min(x, y) of two unsigned values given as emitters. */
  minU(x: () => void, y: () => void): this {
    x();
    y();
    x();
    y();
    this.i32LtU();
    return this.selectI32();
  }
  /** Pushes the sum of the locals' values (pointer arithmetic). */
  sum(...locals: number[]): this {
    this.get(locals[0]);
    for (const l of locals.slice(1)) this.get(l).i32Add();
    return this;
  }
  /** Pushes x·y of two locals. */
  mul(x: number, y: number): this {
    return this.get(x).get(y).i32Mul();
  }
}

/** The module's functions, by index (calls refer to these). */
const KERNEL = 0;
const PACK_SCALAR = 1;
const PACK_A = 2;
const PACK_B = 3;

/** i8x16 shuffle lanes that pick f32 lanes [i, j, k, l] of a‖b (0–3 from a, 4–7 from b). */
const lanes = (...f: number[]) => f.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);

/**
 * Transposes the 4×4 block whose rows are the v128 locals `rows`, calling
 * store(i, emit) for each column i, where emit() pushes that column.
 */
function transpose4(f: Asm, rows: number[], tmp: number[], store: (i: number, emit: () => void) => void): void {
  const [low, high] = [lanes(0, 4, 1, 5), lanes(2, 6, 3, 7)];
  // tmp: rows 0 and 1 interleaved (lanes 0–1, then 2–3), rows 2 and 3 likewise
  const pairs: [number, number, number[]][] = [
    [0, 1, low],
    [0, 1, high],
    [2, 3, low],
    [2, 3, high],
  ];
  pairs.forEach(([x, y, l], i) => f.get(rows[x]).get(rows[y]).i8x16Shuffle(l).set(tmp[i]));
  // column i: halves of two of them
  const halves: [number, number, number[]][] = [
    [0, 2, lanes(0, 1, 4, 5)],
    [0, 2, lanes(2, 3, 6, 7)],
    [1, 3, lanes(0, 1, 4, 5)],
    [1, 3, lanes(2, 3, 6, 7)],
  ];
  halves.forEach(([x, y, l], i) => store(i, () => f.get(tmp[x]).get(tmp[y]).i8x16Shuffle(l)));
}

/**
 * kernel(ap, bp, cp, mc, jn, kc, ldc, first): C[0:mc, 0:jn] (+)= Apanels · Bpanels,
 * where the A panels are mc/4 blocks of kc×4 floats, the B panels jn/8 blocks
 * of kc×8 floats, and C is row-major with a row stride of ldc bytes. The first
 * k block stores its sums, later ones add to C.
 */
function kernel(): Asm {
  const f = new Asm(8);
  const [ap, bp, cp, mc, jn, kc, ldc, first] = [0, 1, 2, 3, 4, 5, 6, 7];
  const jr = f.local(I32);
  const ir = f.local(I32);
  const a = f.local(I32);
  const b = f.local(I32);
  const end = f.local(I32);
  const c = f.local(I32);
  const b0 = f.local(V128);
  const b1 = f.local(V128);
  const av = f.local(V128);
  const acc = Array.from({ length: MR * 2 }, () => f.local(V128));
  f.forLoop(
    jr,
    () => f.i32(0),
    () => f.get(jn),
    NR,
    () => {
      f.forLoop(
        ir,
        () => f.i32(0),
        () => f.get(mc),
        MR,
        () => {
          // a = ap + ir·kc·4 bytes; b = bp + jr·kc·4 bytes, up to end = b + kc·32
          f.get(ap).mul(ir, kc).i32(2).shlI32().i32Add().set(a);
          f.get(bp).mul(jr, kc).i32(2).shlI32().i32Add().tee(b);
          f.get(kc).i32(5).shlI32().i32Add().set(end);
          for (const r of acc) f.v128Zero().set(r);
          f.loop(() => {
            f.get(b).v128Load(0).set(b0);
            f.get(b).v128Load(16).set(b1);
            for (let r = 0; r < MR; r++) {
              // acc[2r] += a[r]·b[0:4], acc[2r+1] += a[r]·b[4:8] (a load-splat: one instruction)
              f.get(a)
                .load32Splat(4 * r)
                .set(av);
              f.get(acc[2 * r])
                .get(av)
                .get(b0)
                .f32x4Mul()
                .f32x4Add()
                .set(acc[2 * r]);
              f.get(acc[2 * r + 1])
                .get(av)
                .get(b1)
                .f32x4Mul()
                .f32x4Add()
                .set(acc[2 * r + 1]);
            }
            f.get(a)
              .i32(4 * MR)
              .i32Add()
              .set(a);
            f.get(b)
              .i32(4 * NR)
              .i32Add()
              .tee(b);
            f.get(end).i32LtU().brIf(0);
          });
          // c = cp + ir·ldc + jr·4
          f.get(cp).mul(ir, ldc).i32Add().get(jr).i32(2).shlI32().i32Add().set(c);
          f.get(first).ifThenElse(
            () => {
              for (let r = 0; r < MR; r++) {
                for (let h = 0; h < 2; h++)
                  f.get(c)
                    .get(acc[2 * r + h])
                    .v128Store(16 * h);
                f.get(c).get(ldc).i32Add().set(c);
              }
            },
            () => {
              for (let r = 0; r < MR; r++) {
                for (let h = 0; h < 2; h++)
                  f.get(c)
                    .get(c)
                    .v128Load(16 * h)
                    .get(acc[2 * r + h])
                    .f32x4Add()
                    .v128Store(16 * h);
                f.get(c).get(ldc).i32Add().set(c);
              }
            },
          );
        },
      );
    },
  );
  return f;
}

/**
 * packScalar(src, laneStride, kStride, width, valid, k0, k1, dst): for kk in [k0, k1),
 * dst[kk·width + l] = src[l·laneStride + kk·kStride] for l < valid, and 0 for
 * valid ≤ l < width (strides in bytes; dst indices in floats). The general case
 * and the edges of the fast paths of packA and packB.
 */
function packScalar(): Asm {
  const f = new Asm(8);
  const [src, laneStride, kStride, width, valid, k0, k1, dst] = [0, 1, 2, 3, 4, 5, 6, 7];
  const kk = f.local(I32);
  const l = f.local(I32);
  const s = f.local(I32);
  const d = f.local(I32);
  f.forLoop(
    kk,
    () => f.get(k0),
    () => f.get(k1),
    1,
    () => {
      f.get(src).mul(kk, kStride).i32Add().set(s);
      f.get(dst).mul(kk, width).i32(2).shlI32().i32Add().set(d);
      f.forLoop(
        l,
        () => f.i32(0),
        () => f.get(valid),
        1,
        () => {
          f.get(d).get(s).f32Load(0).storeF32(0);
          f.sum(s, laneStride).set(s);
          f.get(d).i32(4).i32Add().set(d);
        },
      );
      f.forLoop(
        l,
        () => f.get(valid),
        () => f.get(width),
        1,
        () => {
          f.get(d).zeroF32().storeF32(0);
          f.get(d).i32(4).i32Add().set(d);
        },
      );
    },
  );
  return f;
}

/**
 * packA(src, rs, cs, mb, kb, dst): A[0:mb, 0:kb] (element (i, kk) at src + i·rs + kk·cs
 * bytes) into panels of 4 rows: panel q holds, for each kk, rows 4q..4q+3 of
 * column kk (zeros past mb).
 */
function packA(): Asm {
  const f = new Asm(6);
  const [src, rs, cs, mb, kb, dst] = [0, 1, 2, 3, 4, 5];
  const q = f.local(I32);
  const s = f.local(I32);
  const d = f.local(I32);
  const valid = f.local(I32);
  const k0 = f.local(I32);
  const kk = f.local(I32);
  const x = f.local(I32);
  const e = f.local(I32);
  const rows = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const v = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const t = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  f.forLoop(
    q,
    () => f.i32(0),
    () => f.get(mb),
    MR,
    () => {
      f.get(src).mul(q, rs).i32Add().set(s);
      f.get(dst).mul(q, kb).i32(2).shlI32().i32Add().set(d);
      f.minU(
        () => f.i32(MR),
        () => f.get(mb).get(q).i32Sub(),
      ).set(valid);
      f.i32(0).set(k0);
      f.get(valid)
        .i32(MR)
        .eqI32()
        .ifThenElse(() =>
          f
            .get(cs)
            .i32(4)
            .eqI32()
            .ifThenElse(
              () => {
                // Rows contiguous in k (row-major A): 4×4 blocks, transposed.
                f.get(kb).i32(-4).andI32().set(k0);
                for (let r = 0; r < MR; r++) f.get(s).get(rs).i32(r).i32Mul().i32Add().set(rows[r]);
                f.get(d).set(e);
                f.forLoop(
                  kk,
                  () => f.i32(0),
                  () => f.get(k0),
                  4,
                  () => {
                    for (let r = 0; r < MR; r++) {
                      f.get(rows[r]).v128Load(0).set(v[r]);
                      f.get(rows[r]).i32(16).i32Add().set(rows[r]);
                    }
                    transpose4(f, v, t, (i, emit) => {
                      f.get(e);
                      emit();
                      f.v128Store(16 * i);
                    });
                    f.get(e).i32(64).i32Add().set(e);
                  },
                );
              },
              () =>
                f
                  .get(rs)
                  .i32(4)
                  .eqI32()
                  .ifThenElse(() => {
                    // Columns contiguous in m (transposed A): one v128 per kk.
                    f.get(kb).set(k0);
                    f.get(s).set(x);
                    f.get(d).set(e);
                    f.forLoop(
                      kk,
                      () => f.i32(0),
                      () => f.get(kb),
                      1,
                      () => {
                        f.get(e).get(x).v128Load(0).v128Store(0);
                        f.sum(x, cs).set(x);
                        f.get(e).i32(16).i32Add().set(e);
                      },
                    );
                  }),
            ),
        );
      f.get(s).get(rs).get(cs).i32(MR).get(valid).get(k0).get(kb).get(d).callFn(PACK_SCALAR);
    },
  );
  return f;
}

/**
 * packB(src, rs, cs, nvalid, jn, kb, dst): B[0:kb, 0:jn] (element (kk, j) at
 * src + kk·rs + j·cs bytes) into panels of 8 columns: panel p holds, for each kk,
 * columns 8p..8p+7 of row kk (zeros past nvalid).
 */
function packB(): Asm {
  const f = new Asm(7);
  const [src, rs, cs, nvalid, jn, kb, dst] = [0, 1, 2, 3, 4, 5, 6];
  const p = f.local(I32);
  const s = f.local(I32);
  const d = f.local(I32);
  const valid = f.local(I32);
  const k0 = f.local(I32);
  const kk = f.local(I32);
  const x = f.local(I32);
  const e = f.local(I32);
  const cols = Array.from({ length: NR }, () => f.local(I32));
  const v = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const t = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  f.forLoop(
    p,
    () => f.i32(0),
    () => f.get(jn),
    NR,
    () => {
      f.get(src).mul(p, cs).i32Add().set(s);
      f.get(dst).mul(p, kb).i32(2).shlI32().i32Add().set(d);
      f.minU(
        () => f.i32(NR),
        () => f.get(nvalid).get(p).i32Sub(),
      ).set(valid);
      f.i32(0).set(k0);
      f.get(valid)
        .i32(NR)
        .eqI32()
        .ifThenElse(() =>
          f
            .get(cs)
            .i32(4)
            .eqI32()
            .ifThenElse(
              () => {
                // Rows contiguous in n (row-major B): two v128 per kk.
                f.get(kb).set(k0);
                f.get(s).set(x);
                f.get(d).set(e);
                f.forLoop(
                  kk,
                  () => f.i32(0),
                  () => f.get(kb),
                  1,
                  () => {
                    f.get(e).get(x).v128Load(0).v128Store(0);
                    f.get(e).get(x).v128Load(16).v128Store(16);
                    f.sum(x, rs).set(x);
                    f.get(e).i32(32).i32Add().set(e);
                  },
                );
              },
              () =>
                f
                  .get(rs)
                  .i32(4)
                  .eqI32()
                  .ifThenElse(() => {
                    // Columns contiguous in k (transposed B): two 4×4 blocks per 4 kk, transposed.
                    f.get(kb).i32(-4).andI32().set(k0);
                    for (let j = 0; j < NR; j++) f.get(s).get(cs).i32(j).i32Mul().i32Add().set(cols[j]);
                    f.get(d).set(e);
                    f.forLoop(
                      kk,
                      () => f.i32(0),
                      () => f.get(k0),
                      4,
                      () => {
                        for (let h = 0; h < 2; h++) {
                          for (let r = 0; r < 4; r++) {
                            f.get(cols[4 * h + r])
                              .v128Load(0)
                              .set(v[r]);
                            f.get(cols[4 * h + r])
                              .i32(16)
                              .i32Add()
                              .set(cols[4 * h + r]);
                          }
                          transpose4(f, v, t, (i, emit) => {
                            f.get(e);
                            emit();
                            f.v128Store(32 * i + 16 * h);
                          });
                        }
                        f.get(e).i32(128).i32Add().set(e);
                      },
                    );
                  }),
            ),
        );
      f.get(s).get(cs).get(rs).i32(NR).get(valid).get(k0).get(kb).get(d).callFn(PACK_SCALAR);
    },
  );
  return f;
}

/**
 * gemm(a, ars, acs, abs, b, brs, bcs, bbs, c, m, k, n, rb, jw, items, counter, sa, sb):
 * a share of the products C_t = A_t·B_t (t < batch), for A_t m×k at a + t·abs and
 * B_t k×n at b + t·bbs (strides in bytes). C_t is row-major at c + t·mp·np·4
 * bytes, where mp and np are m and n rounded up to 4 and 8 (rows np floats long).
 *
 * The work is `items` tiles of rb rows × jw columns (jw a multiple of 8),
 * numbered t-major, then by row block, then by column block. Every thread
 * running this on the same arguments takes the next tile from the shared
 * counter at `counter` (an atomic add) until none is left, so a thread that
 * starts late, or runs slowly, just takes fewer. A thread packs the rows of
 * A_t of its tile (all of k) into `sa` (kept for its next tile of the same
 * rows), then, for each k block, the tile's columns of B into `sb` and runs
 * the micro-kernel. Returns the number of tiles it took.
 */
function driver(): Asm {
  const f = new Asm(18);
  const [a, ars, acs, abs, b, brs, bcs, bbs, c, m, k, n, rb, jw, items, counter, sa, sb] = Array.from(
    { length: 18 },
    (_, i) => i,
  );
  const [np, ldc, cbs, ich, jch, nkb, kbase, krem, u, rest, t, packed, i0, i1, rowsP, j0, jn, kt, pc, pcNext, kb] =
    Array.from({ length: 21 }, () => f.local(I32));
  const [ic, x, done] = [f.local(I32), f.local(I32), f.local(I32)];
  /**
   * Sets kb and pcNext for k block kt starting at pc: the k blocks depend on k alone,
   * nkb = ⌈k/KC⌉ of them as even as possible (the first k mod nkb one longer).
   */
  const kBlock = () => {
    f.get(kbase).get(kt).get(krem).i32LtU().i32Add().set(kb);
    f.sum(pc, kb).set(pcNext);
  };
  const forKBlocks = (body: () => void) => {
    f.i32(0).set(pc);
    f.forLoop(
      kt,
      () => f.i32(0),
      () => f.get(nkb),
      1,
      () => {
        kBlock();
        body();
        f.get(pcNext).set(pc);
      },
    );
  };
  const ceilDiv = (x: () => void, d: () => void) => {
    x();
    d();
    f.i32Add().i32(1).i32Sub();
    d();
    f.divUI32();
  };
  f.get(n)
    .i32(NR - 1)
    .i32Add()
    .i32(-NR)
    .andI32()
    .set(np);
  f.get(np).i32(2).shlI32().set(ldc);
  f.get(m)
    .i32(MR - 1)
    .i32Add()
    .i32(-MR)
    .andI32()
    .get(ldc)
    .i32Mul()
    .set(cbs);
  ceilDiv(
    () => f.get(m),
    () => f.get(rb),
  );
  f.set(ich);
  ceilDiv(
    () => f.get(np),
    () => f.get(jw),
  );
  f.set(jch);
  ceilDiv(
    () => f.get(k),
    () => f.i32(KC),
  );
  f.set(nkb);
  f.get(k).get(nkb).divUI32().set(kbase);
  f.get(k).mul(kbase, nkb).i32Sub().set(krem);
  f.i32(-1).set(packed);
  f.block(() =>
    f.loop(() => {
      // u = the next tile; leave when none is left.
      f.get(counter).i32(1).atomicAddI32().tee(u).get(items).i32LtU().eqzI32().brIf(1);
      f.get(u).get(jch).divUI32().set(rest); // t·ich + row block
      f.get(u).mul(rest, jch).i32Sub().get(jw).i32Mul().set(j0);
      f.minU(
        () => f.get(jw),
        () => f.get(np).get(j0).i32Sub(),
      ).set(jn);
      f.get(rest).get(ich).divUI32().set(t);
      f.get(rest).mul(t, ich).i32Sub().get(rb).i32Mul().set(i0);
      f.minU(
        () => f.get(m),
        () => f.get(i0).get(rb).i32Add(),
      ).set(i1);
      f.get(i1)
        .get(i0)
        .i32Sub()
        .i32(MR - 1)
        .i32Add()
        .i32(-MR)
        .andI32()
        .set(rowsP);
      f.get(rest)
        .get(packed)
        .eqI32()
        .eqzI32()
        .ifThenElse(() => {
          // The tile's rows of A_t, every k block: block kt at sa + rowsP·pc floats.
          f.get(a).mul(t, abs).i32Add().mul(i0, ars).i32Add().set(x);
          forKBlocks(() => {
            f.get(x).mul(pc, acs).i32Add().get(ars).get(acs);
            f.get(i1).get(i0).i32Sub().get(kb);
            f.get(sa).mul(rowsP, pc).i32(2).shlI32().i32Add();
            f.callFn(PACK_A);
          });
          f.get(rest).set(packed);
        });
      forKBlocks(() => {
        f.get(b).mul(t, bbs).i32Add().mul(j0, bcs).i32Add().mul(pc, brs).i32Add().get(brs).get(bcs);
        f.get(n).get(j0).i32Sub().get(jn).get(kb).get(sb).callFn(PACK_B);
        f.forLoop(
          ic,
          () => f.get(i0),
          () => f.get(i1),
          MC,
          () => {
            // A: sa + (rowsP·pc + (ic - i0)·kb)·4; C: c + t·cbs + ic·ldc + j0·4
            f.get(sa).mul(rowsP, pc).get(ic).get(i0).i32Sub().get(kb).i32Mul().i32Add().i32(2).shlI32().i32Add();
            f.get(sb);
            f.get(c).mul(t, cbs).i32Add().mul(ic, ldc).i32Add().get(j0).i32(2).shlI32().i32Add();
            f.minU(
              () => f.i32(MC),
              () => f.get(i1).get(ic).i32Sub(),
            )
              .i32(MR - 1)
              .i32Add()
              .i32(-MR)
              .andI32();
            f.get(jn).get(kb).get(ldc).get(kt).eqzI32().callFn(KERNEL);
          },
        );
      });
      f.get(done).i32(1).i32Add().set(done);
      f.br(0);
    }),
  );
  f.get(done);
  return f;
}

/**
 * The module (importing `env.memory`, shared when threads are used). Exports
 * `gemm` (the driver), and its parts for measurements.
 */
export function gemmModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const funcs = [
    { name: "kernel", params: 8, body: kernel() },
    { name: "packScalar", params: 8, body: packScalar() },
    { name: "packA", params: 6, body: packA() },
    { name: "packB", params: 7, body: packB() },
    { name: "gemm", params: 18, body: driver() },
  ];
  return buildModule(
    funcs.map(({ name, params, body }) => ({
      name,
      params: new Array(params).fill(I32),
      results: name === "gemm" ? [I32] : [],
      body,
    })),
    16,
    shared,
    MAX_PAGES,
  );
}

/** The driver (see `driver`): all arguments are int32; pointers and strides in bytes. */
export type GemmFn = (
  a: number,
  ars: number,
  acs: number,
  abs: number,
  b: number,
  brs: number,
  bcs: number,
  bbs: number,
  c: number,
  m: number,
  k: number,
  n: number,
  rb: number,
  jw: number,
  items: number,
  counter: number,
  sa: number,
  sb: number,
) => number;
