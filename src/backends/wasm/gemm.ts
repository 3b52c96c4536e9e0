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
import { MR, NR } from "./gemm-kernel.js";
import { getPool, type Pool } from "./threads.js";

const KC = 256; // k-block: a B panel (KC×8 floats = 8 KB) stays in L1
const MC = 64; // m-block: an A block (MC×KC floats = 64 KB) stays in L2
/** Below this many multiply-adds per block, the thread hand-off costs more than it saves. */
const PARALLEL_MIN_WORK = 1 << 20;

export function wasmGemmAvailable(): boolean {
  return getPool() !== null;
}

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

function ensureBytes(inst: Pool, bytes: number): Float32Array {
  const have = inst.memory.buffer.byteLength;
  if (have < bytes) inst.memory.grow(Math.ceil((bytes - have) / 65536));
  return new Float32Array(inst.memory.buffer);
}

/** Where a matrix's elements are: element (i, j) is at `data[offset + i·rowStride + j·colStride]`. */
export interface MatrixView {
  data: Float32Array;
  offset: number;
  rowStride: number;
  colStride: number;
}

/** A row-major matrix of `cols` columns. */
export const rowMajor = (data: Float32Array, offset: number, cols: number): MatrixView => ({
  data,
  offset,
  rowStride: cols,
  colStride: 1,
});

/**
 * C = A·B for float32 A (m×k) and B (k×n) given as strided views (so transposed
 * operands need no copy: packing reads them in place), written row-major into
 * `out` at `outOffset`.
 */
export function sgemm(
  a: MatrixView,
  b: MatrixView,
  m: number,
  k: number,
  n: number,
  out: Float32Array,
  outOffset: number,
): void {
  const inst = getPool()!;
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
    packB(b, n, pc, kb, np, mem, bBase);
    for (let ic = 0; ic < m; ic += MC) {
      const mb = Math.min(MC, m - ic);
      const mbp = roundUp(mb, MR);
      packA(a, m, ic, mbp, pc, kb, mem, aBase);
      const args: [number, number, number, number, number, number] = [
        aBase * 4,
        bBase * 4,
        (cBase + ic * np) * 4,
        mbp,
        kb,
        np * 4,
      ];
      inst.run(args, splitColumns(np, mbp * kb * np >= PARALLEL_MIN_WORK ? inst.workers + 1 : 1));
    }
  }
  for (let i = 0; i < m; i++) out.set(mem.subarray(cBase + i * np, cBase + i * np + n), outOffset + i * n);
}

/** B[pc:pc+kb, :] into panels of 8 columns: panel p holds kb rows of B[·, 8p:8p+8] (zeros past n). */
function packB(b: MatrixView, n: number, pc: number, kb: number, np: number, mem: Float32Array, base: number): void {
  const { data, offset, rowStride, colStride } = b;
  for (let p = 0; p < np; p += NR) {
    const panel = base + p * kb;
    const cols = Math.min(NR, n - p);
    for (let kk = 0; kk < kb; kk++) {
      const src = offset + (pc + kk) * rowStride + p * colStride;
      const dst = panel + kk * NR;
      for (let j = 0; j < cols; j++) mem[dst + j] = data[src + j * colStride];
      for (let j = cols; j < NR; j++) mem[dst + j] = 0;
    }
  }
}

/** A[ic:ic+mbp, pc:pc+kb] into panels of 4 rows: panel q holds kb columns of A[4q:4q+4, ·] (zeros past m). */
function packA(
  a: MatrixView,
  m: number,
  ic: number,
  mbp: number,
  pc: number,
  kb: number,
  mem: Float32Array,
  base: number,
): void {
  const { data, offset, rowStride, colStride } = a;
  for (let q = 0; q < mbp; q += MR) {
    const panel = base + q * kb;
    for (let r = 0; r < MR; r++) {
      const row = ic + q + r;
      if (row >= m) {
        for (let kk = 0; kk < kb; kk++) mem[panel + kk * MR + r] = 0;
        continue;
      }
      const src = offset + row * rowStride + pc * colStride;
      for (let kk = 0; kk < kb; kk++) mem[panel + kk * MR + r] = data[src + kk * colStride];
    }
  }
}

/** Column ranges (multiples of NR) for `parts` threads, as even as the panels allow. */
function splitColumns(np: number, parts: number): [number, number][] {
  const panels = np / NR;
  const n = Math.min(parts, panels);
  const ranges: [number, number][] = [];
  for (let t = 0; t < n; t++) {
    const lo = Math.floor((t * panels) / n) * NR;
    const hi = Math.floor(((t + 1) * panels) / n) * NR;
    ranges.push([lo, hi]);
  }
  return ranges;
}
