/**
 * Matrix multiply (float32 and float64) in generated WebAssembly SIMD.
 *
 * A call copies the operands as they are (their backing elements, whatever
 * the strides) into the pool's shared memory, unless they are there already
 * (a compiled program's intermediate arrays, buffer.ts), wakes the workers once, and
 * every thread, the calling one included, runs the wasm driver: it takes tiles
 * of C (a few panels of 8 columns, or a block of rows when C is narrow) from a
 * shared counter, packs what the tile needs and multiplies (see
 * gemm-kernel.ts). C is then copied out (or written in place). Both precisions share this code,
 * parameterised by their `GemmShape` (element size and block sizes). Each element is summed by one thread
 * in an order fixed by k alone, so results do not depend on the number of
 * threads, on which thread took which tile, nor on other calls.
 */
import { F32_GEMM, F64_GEMM, type GemmShape } from "./gemm-kernel.js";
import { fitsMemory } from "./memory.js";
import { WasmBuffer } from "./buffer.js";
import { allocRegion, freeRegion } from "./heap.js";
import { CotangentError } from "../../core/errors.js";
import { getPool, WorkerLostError, type Pool } from "./threads.js";

export const gemmTuning = {
  /** Below this many multiply-adds a product runs on the calling thread alone (the hand-off costs more). */
  parallelMinWork: 1 << 20,
  /** Threads taking part (0: all); beyond the pool's threads, extra parts run on the calling thread. */
  parts: 0,
  /** Tiles per taking part, about: finer tiles balance better. */
  tilesPerPart: 8,
  /** Fewest panels (of NR columns: 8 floats, 4 doubles) in a tile. */
  minTilePanels: 2,
  /** @internal Products split because they did not fit the wasm memory (counted, for tests). */
  splits: 0,
};

/** Memory above which a batch is multiplied in several calls. */
const BATCH_BYTES = 256 << 20;

export function wasmGemmAvailable(): boolean {
  return getPool() !== null;
}

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

/** The pool's memory as elements of `size` bytes. */
const elements = (inst: Pool, size: 4 | 8) =>
  size === 4 ? new Float32Array(inst.memory.buffer) : new Float64Array(inst.memory.buffer);

/**
 * Where a matrix's elements are: element (i, j) of batch element t is at
 * `data[offset + t·batchStride + i·rowStride + j·colStride]`. Either
 * precision's product reads either type of data (converting as an assignment
 * between typed arrays does).
 */
export interface MatrixView {
  data: Float32Array | Float64Array;
  offset: number;
  rowStride: number;
  colStride: number;
  batchStride?: number;
  /** The same elements in the pool's memory, read there in place (then `data` is not read). */
  resident?: WasmBuffer;
}

/** Where C goes: JS memory, or an array in the pool's memory. */
export type GemmOutput = Float32Array | Float64Array | WasmBuffer;

/** The output's elements (a view of the pool's memory, for a resident one: take it after any allocation). */
const valuesOf = (out: GemmOutput): Float32Array | Float64Array =>
  out instanceof WasmBuffer ? (out.view() as Float32Array | Float64Array) : out;

/** A row-major matrix of `cols` columns. */
export const rowMajor = (data: Float32Array | Float64Array, offset: number, cols: number): MatrixView => ({
  data,
  offset,
  rowStride: cols,
  colStride: 1,
});

/** The range of `data` indices a view reads: [lo, hi). */
function extent(v: MatrixView, rows: number, cols: number, batch: number): [number, number] {
  let lo = v.offset;
  let hi = v.offset;
  for (const [count, stride] of [
    [rows, v.rowStride],
    [cols, v.colStride],
    [batch, v.batchStride ?? 0],
  ]) {
    const d = (count - 1) * stride;
    if (d < 0) lo += d;
    else hi += d;
  }
  return [lo, hi + 1];
}

/** Bytes rounded up to a cache line. */
const line = (bytes: number) => roundUp(bytes, 64);

/**
 * C_t = A_t·B_t for t < batch, for float32 A_t (m×k) and B_t (k×n) given as
 * strided views (transposed operands need no copy: packing reads them in
 * place), written row-major, one product after the other, into `out` at
 * `outOffset`. Sums are float32.
 */
export function sgemm(
  a: MatrixView,
  b: MatrixView,
  m: number,
  k: number,
  n: number,
  out: GemmOutput,
  outOffset: number,
  batch = 1,
): void {
  gemm(F32_GEMM, a, b, m, k, n, out, outOffset, batch);
}

/** The same as `sgemm` in float64: the elements are read as doubles, and every product and sum is a double's. */
export function dgemm(
  a: MatrixView,
  b: MatrixView,
  m: number,
  k: number,
  n: number,
  out: GemmOutput,
  outOffset: number,
  batch = 1,
): void {
  gemm(F64_GEMM, a, b, m, k, n, out, outOffset, batch);
}

function gemm(
  shape: GemmShape,
  a: MatrixView,
  b: MatrixView,
  m: number,
  k: number,
  n: number,
  out: GemmOutput,
  outOffset: number,
  batch: number,
): void {
  if (m === 0 || n === 0 || batch === 0) return;
  if (k === 0) return void valuesOf(out).fill(0, outOffset, outOffset + batch * m * n);
  const pool = getPool()!;
  const { size, MR, NR, KC } = shape;
  const np = roundUp(n, NR);
  const mp = roundUp(m, MR);
  const [aLo, aHi] = a.resident ? [0, 0] : extent(a, m, k, batch);
  const [bLo, bHi] = b.resident ? [0, 0] : extent(b, k, n, batch);
  const parts = batch * m * n * k < gemmTuning.parallelMinWork ? 1 : gemmTuning.parts || pool.workers + 1;
  const { rb, jw, items } = tiles(shape, m, k, n, batch, parts);
  // C is written in place when it is in the pool's memory and needs no padding.
  const cInPlace = out instanceof WasmBuffer && np === n && mp === m;
  // Layout (bytes from the region's start):
  // [counter][each part's packed A and packed B][A's elements][B's elements][C_t, mp×np each]
  const aScratch = line(rb * k * size);
  const bScratch = line(KC * jw * size);
  const aRel = 64 + parts * (aScratch + bScratch);
  const bRel = aRel + line((aHi - aLo) * size);
  const cRel = bRel + line((bHi - bLo) * size);
  const bytes = cRel + (cInPlace ? 0 : batch * mp * np * size);
  if (batch > 1 && (bytes > BATCH_BYTES || !fitsMemory(bytes))) {
    const half = batch >> 1;
    const shift = (v: MatrixView) => ({ ...v, offset: v.offset + half * (v.batchStride ?? 0) });
    gemm(shape, a, b, m, k, n, out, outOffset, half);
    gemm(shape, shift(a), shift(b), m, k, n, out, outOffset + half * m * n, batch - half);
    return;
  }
  const base = allocRegion(pool, bytes);
  if (base === null) {
    gemmTuning.splits++;
    return gemmInBlocks(shape, a, b, m, k, n, out, outOffset);
  }
  try {
    const mem = elements(pool, size);
    if (!a.resident) mem.set(a.data.subarray(aLo, aHi), (base + aRel) / size);
    if (!b.resident) mem.set(b.data.subarray(bLo, bHi), (base + bRel) / size);
    // Element 0 of each operand's elements, and of C.
    const aAt = a.resident ? a.resident.at : base + aRel - aLo * size;
    const bAt = b.resident ? b.resident.at : base + bRel - bLo * size;
    const cAt = cInPlace ? (out as WasmBuffer).at + outOffset * size : base + cRel;
    runTiles(pool, base, parts, aScratch + bScratch, aScratch, size === 8, [
      aAt + a.offset * size,
      a.rowStride * size,
      a.colStride * size,
      batch > 1 ? (a.batchStride ?? 0) * size : 0,
      bAt + b.offset * size,
      b.rowStride * size,
      b.colStride * size,
      batch > 1 ? (b.batchStride ?? 0) * size : 0,
      cAt,
      m,
      k,
      n,
      rb,
      jw,
      items,
    ]);
    if (!cInPlace) copyOut(elements(pool, size), (base + cRel) / size, valuesOf(out), outOffset, batch, m, n, mp, np);
  } finally {
    freeRegion(pool, base, bytes);
  }
}

/**
 * Runs the driver on every part. `args` are its arguments up to the tile count;
 * the tile counter is at `base`, part p's packing space at base + 64 + p·partBytes.
 */
function runTiles(
  pool: Pool,
  base: number,
  parts: number,
  partBytes: number,
  aScratch: number,
  float64: boolean,
  args: number[],
): void {
  new Int32Array(pool.memory.buffer, base, 1)[0] = 0;
  const argsOf = (part: number) => {
    const at = base + 64 + part * partBytes;
    return [...args, base, at, at + aScratch, float64 ? 1 : 0] as Parameters<Pool["gemm"]>;
  };
  try {
    pool.run(Array.from({ length: parts }, (_, part) => argsOf(part)));
  } catch (e) {
    // A worker died in the middle of its tiles: every tile is computed again here.
    if (!(e instanceof WorkerLostError)) throw e;
    new Int32Array(pool.memory.buffer, base, 1)[0] = 0;
    pool.run([argsOf(0)]);
  }
}

/** Copies C_t (mp×np each, from element `c` of `mem`) into `out` at `outOffset`, row-major m×n each. */
function copyOut(
  mem: Float32Array | Float64Array,
  c: number,
  out: Float32Array | Float64Array,
  outOffset: number,
  batch: number,
  m: number,
  n: number,
  mp: number,
  np: number,
): void {
  if (np === n && mp === m) out.set(mem.subarray(c, c + batch * m * n), outOffset);
  else if (np === n)
    for (let t = 0; t < batch; t++)
      out.set(mem.subarray(c + t * mp * n, c + t * mp * n + m * n), outOffset + t * m * n);
  else
    for (let t = 0; t < batch; t++)
      for (let i = 0; i < m; i++) {
        const from = c + (t * mp + i) * np;
        const to = outOffset + (t * m + i) * n;
        if (n < 32) for (let j = 0; j < n; j++) out[to + j] = mem[from + j];
        else out.set(mem.subarray(from, from + n), to);
      }
}

/**
 * One product (batch 1) too large for the wasm memory at once, as two smaller
 * ones: halving whichever of m, n and k frees the most memory. Halves of m
 * write their own rows of C; halves of n are written through a temporary and
 * copied into their columns; halves of k are added (each element is still
 * summed in an order fixed by k alone).
 */
function gemmInBlocks(
  shape: GemmShape,
  a: MatrixView,
  b: MatrixView,
  m: number,
  k: number,
  n: number,
  out: GemmOutput,
  outOffset: number,
): void {
  const gain = { m: m > 1 ? m * (k + n) : -1, n: n > 1 ? n * (k + m) : -1, k: k > 1 ? k * (m + n) : -1 };
  if (gain.m < 0 && gain.n < 0 && gain.k < 0) {
    throw new CotangentError(`[matmul] the wasm memory limit is below the few kilobytes one product needs.`);
  }
  const temp = (size: number) => (shape.size === 8 ? new Float64Array(size) : new Float32Array(size));
  if (gain.m >= gain.n && gain.m >= gain.k) {
    const h = m >> 1;
    gemm(shape, a, b, h, k, n, out, outOffset, 1);
    gemm(shape, { ...a, offset: a.offset + h * a.rowStride }, b, m - h, k, n, out, outOffset + h * n, 1);
  } else if (gain.n >= gain.k) {
    const h = n >> 1;
    for (const [j0, w] of [
      [0, h],
      [h, n - h],
    ]) {
      const c = temp(m * w);
      gemm(shape, a, { ...b, offset: b.offset + j0 * b.colStride }, m, k, w, c, 0, 1);
      const o = valuesOf(out);
      for (let i = 0; i < m; i++) o.set(c.subarray(i * w, i * w + w), outOffset + i * n + j0);
    }
  } else {
    const h = k >> 1;
    gemm(shape, a, b, m, h, n, out, outOffset, 1);
    const c = temp(m * n);
    const a2 = { ...a, offset: a.offset + h * a.colStride };
    gemm(shape, a2, { ...b, offset: b.offset + h * b.rowStride }, m, k - h, n, c, 0, 1);
    const o = valuesOf(out);
    for (let i = 0; i < m * n; i++) o[outOffset + i] += c[i];
  }
}

/** Most bytes of A a thread keeps packed (for larger A, tiles take blocks of rows). */
const A_PACKED_BYTES = 4 << 20;

/**
 * The tiles the threads share: rb rows × jw columns (a multiple of NR). With
 * enough panels of NR columns, tiles take all rows and a few panels; otherwise
 * (a narrow C) all panels and a block of rows. `gemmTuning.tilesPerPart`
 * tiles per part let threads that start late or run slowly take fewer.
 */
function tiles({ size, MR, NR, NC }: GemmShape, m: number, k: number, n: number, batch: number, parts: number) {
  const mp = roundUp(m, MR);
  const panels = roundUp(n, NR) / NR;
  const maxPanels = NC / NR;
  // Rows of A packed at once: all of them unless that is large.
  const rowLimit = Math.min(mp, Math.max(MR, Math.floor(A_PACKED_BYTES / (size * k) / MR) * MR));
  let rb = rowLimit;
  let jwPanels = Math.min(panels, maxPanels);
  if (parts > 1) {
    const want = parts * gemmTuning.tilesPerPart;
    if (batch * panels >= 2 * parts) {
      const perProduct = Math.min(panels, Math.ceil(want / batch));
      jwPanels = Math.min(maxPanels, Math.max(gemmTuning.minTilePanels, Math.ceil(panels / perProduct)));
    } else {
      const perProduct = Math.ceil(want / (batch * Math.ceil(panels / jwPanels)));
      rb = Math.min(rowLimit, Math.max(4 * MR, roundUp(Math.ceil(m / perProduct), MR)));
    }
  }
  const jw = jwPanels * NR;
  return { rb, jw, items: batch * Math.ceil(m / rb) * Math.ceil((panels * NR) / jw) };
}
