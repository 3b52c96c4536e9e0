/**
 * Single-precision matrix multiply in generated WebAssembly SIMD.
 *
 * The blocking follows the usual high-performance layout (GotoBLAS): B is
 * packed into panels of 8 columns and A into panels of 4 rows, both laid out
 * so that the inner loop reads memory contiguously; a 4×8 micro-kernel keeps
 * its 32 sums in eight f32x4 registers across a block of k. Matrices are padded
 * to the panel sizes with zeros so the kernel has no edge cases. The sum over k
 * runs in a fixed order, so results do not depend on sizes of other calls.
 */
import { Body, buildModule, I32, V128 } from "./encoder.js";

const MR = 4; // rows of a micro-tile
const NR = 8; // columns of a micro-tile (two f32x4)
const KC = 256; // k-block: a B panel (KC×8 floats = 8 KB) stays in L1
const MC = 64; // m-block: an A block (MC×KC floats = 64 KB) stays in L2

/**
 * gemm(ap, bp, cp, mc, nc, kc, ldcBytes): C[mc×nc] += Apanels · Bpanels, where
 * A panels are mc/4 blocks of kc×4 floats, B panels nc/8 blocks of kc×8 floats,
 * and C is row-major with a row stride of ldcBytes.
 */
function gemmKernel(): Body {
  const f = new Body(7);
  const [ap, bp, cp, mc, nc, kc, ldc] = [0, 1, 2, 3, 4, 5, 6];
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
    () => f.i32(0),
    () => f.get(nc),
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

interface Instance {
  memory: WebAssembly.Memory;
  gemm: (ap: number, bp: number, cp: number, mc: number, nc: number, kc: number, ldc: number) => void;
}

let instance: Instance | null | undefined;

/** The compiled kernel, or null where WebAssembly SIMD is not available. */
function getInstance(): Instance | null {
  if (instance !== undefined) return instance;
  try {
    const bytes = buildModule([{ name: "gemm", params: new Array(7).fill(I32), results: [], body: gemmKernel() }]);
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536 });
    const mod = new WebAssembly.Module(bytes);
    const inst = new WebAssembly.Instance(mod, { env: { memory } });
    instance = { memory, gemm: inst.exports.gemm as Instance["gemm"] };
  } catch {
    instance = null;
  }
  return instance;
}

export function wasmGemmAvailable(): boolean {
  return getInstance() !== null;
}

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

function ensureBytes(inst: Instance, bytes: number): Float32Array {
  const have = inst.memory.buffer.byteLength;
  if (have < bytes) inst.memory.grow(Math.ceil((bytes - have) / 65536));
  return new Float32Array(inst.memory.buffer);
}

/**
 * C = A·B for row-major A (m×k) and B (k×n), float32, written into `out`
 * (row-major m×n) at `outOffset`.
 */
export function sgemm(
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  m: number,
  k: number,
  n: number,
  out: Float32Array,
  outOffset: number,
): void {
  const inst = getInstance()!;
  const np = roundUp(n, NR);
  const mp = roundUp(m, MR);
  const kc = Math.min(KC, k);
  // Layout (in floats): [A block MC×KC][B panels KC×np][C mp×np]
  const aBase = 0;
  const bBase = MC * KC;
  const cBase = bBase + kc * np;
  const mem = ensureBytes(inst, (cBase + mp * np) * 4);
  mem.fill(0, cBase, cBase + mp * np);
  for (let pc = 0; pc < k; pc += KC) {
    const kb = Math.min(KC, k - pc);
    packB(b, bOff, n, pc, kb, np, mem, bBase);
    for (let ic = 0; ic < m; ic += MC) {
      const mb = Math.min(MC, m - ic);
      const mbp = roundUp(mb, MR);
      packA(a, aOff, k, m, ic, mbp, pc, kb, mem, aBase);
      inst.gemm(aBase * 4, bBase * 4, (cBase + ic * np) * 4, mbp, np, kb, np * 4);
    }
  }
  for (let i = 0; i < m; i++) out.set(mem.subarray(cBase + i * np, cBase + i * np + n), outOffset + i * n);
}

/** B[pc:pc+kb, :] into panels of 8 columns: panel p holds kb rows of b[·, 8p:8p+8] (zeros past n). */
function packB(
  b: Float32Array,
  off: number,
  n: number,
  pc: number,
  kb: number,
  np: number,
  mem: Float32Array,
  base: number,
): void {
  for (let p = 0; p < np; p += NR) {
    const panel = base + p * kb;
    const cols = Math.min(NR, n - p);
    for (let kk = 0; kk < kb; kk++) {
      const src = off + (pc + kk) * n + p;
      const dst = panel + kk * NR;
      for (let j = 0; j < cols; j++) mem[dst + j] = b[src + j];
      for (let j = cols; j < NR; j++) mem[dst + j] = 0;
    }
  }
}

/** A[ic:ic+mbp, pc:pc+kb] into panels of 4 rows: panel q holds kb columns of a[4q:4q+4, ·] (zeros past m). */
function packA(
  a: Float32Array,
  off: number,
  k: number,
  m: number,
  ic: number,
  mbp: number,
  pc: number,
  kb: number,
  mem: Float32Array,
  base: number,
): void {
  for (let q = 0; q < mbp; q += MR) {
    const panel = base + q * kb;
    for (let r = 0; r < MR; r++) {
      const row = ic + q + r;
      if (row >= m) {
        for (let kk = 0; kk < kb; kk++) mem[panel + kk * MR + r] = 0;
        continue;
      }
      const src = off + row * k + pc;
      for (let kk = 0; kk < kb; kk++) mem[panel + kk * MR + r] = a[src + kk];
    }
  }
}
