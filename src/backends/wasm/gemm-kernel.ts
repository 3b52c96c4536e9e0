/**
 * The float32 matrix-multiply kernel in WebAssembly SIMD (see gemm.ts for the
 * blocking). Shared by the main thread and the worker threads.
 */
import { Body, buildModule, I32, V128 } from "./encoder.js";

export const MR = 4; // rows of a micro-tile
export const NR = 8; // columns of a micro-tile (two f32x4)

/**
 * gemm(ap, bp, cp, mc, jr0, jr1, kc, ldcBytes): C[0:mc, jr0:jr1] += Apanels · Bpanels,
 * where A panels are mc/4 blocks of kc×4 floats, B panels blocks of kc×8 floats
 * (columns jr0..jr1, multiples of 8), and C is row-major with a row stride of ldcBytes.
 * Threads split the columns: each C element is summed by one thread in a fixed order.
 */
function gemmKernel(): Body {
  const f = new Body(8);
  const [ap, bp, cp, mc, jr0, jr1, kc, ldc] = [0, 1, 2, 3, 4, 5, 6, 7];
  const jr = f.local(I32);
  const ir = f.local(I32);
  const k = f.local(I32);
  const a = f.local(I32);
  const b = f.local(I32);
  const c = f.local(I32);
  const b0 = f.local(V128);
  const b1 = f.local(V128);
  const av = f.local(V128);
  const acc = Array.from({ length: MR * 2 }, () => f.local(V128));
  f.forLoop(
    jr,
    () => f.get(jr0),
    () => f.get(jr1),
    NR,
    () => {
      f.forLoop(
        ir,
        () => f.i32(0),
        () => f.get(mc),
        MR,
        () => {
          // a = ap + ir·kc·4 bytes; b = bp + jr·kc·4 bytes
          f.get(ap).get(ir).get(kc).i32Mul().i32(4).i32Mul().i32Add().set(a);
          f.get(bp).get(jr).get(kc).i32Mul().i32(4).i32Mul().i32Add().set(b);
          for (const r of acc) f.v128Zero().set(r);
          f.forLoop(
            k,
            () => f.i32(0),
            () => f.get(kc),
            1,
            () => {
              f.get(b).v128Load(0).set(b0);
              f.get(b).v128Load(16).set(b1);
              for (let r = 0; r < MR; r++) {
                // acc[r] += a[r]·b[0:4], acc[r+1] += a[r]·b[4:8]
                f.get(a)
                  .f32Load(4 * r)
                  .f32x4Splat()
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
                .set(b);
            },
          );
          // c = cp + ir·ldc + jr·4; C rows += sums
          f.get(cp).get(ir).get(ldc).i32Mul().i32Add().get(jr).i32(4).i32Mul().i32Add().set(c);
          for (let r = 0; r < MR; r++) {
            for (let h = 0; h < 2; h++) {
              f.get(c)
                .get(c)
                .v128Load(16 * h)
                .get(acc[2 * r + h])
                .f32x4Add()
                .v128Store(16 * h);
            }
            f.get(c).get(ldc).i32Add().set(c);
          }
        },
      );
    },
  );
  return f;
}

/** Largest memory the kernels may use: 1 GiB (64 KiB pages). */
export const MAX_PAGES = 16384;

/** The module: one exported function `gemm`, importing `env.memory` (shared when threads are used). */
export function gemmModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  return buildModule(
    [{ name: "gemm", params: new Array(8).fill(I32), results: [], body: gemmKernel() }],
    16,
    shared,
    MAX_PAGES,
  );
}

export type GemmFn = (
  ap: number,
  bp: number,
  cp: number,
  mc: number,
  jr0: number,
  jr1: number,
  kc: number,
  ldc: number,
) => void;
