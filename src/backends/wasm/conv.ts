/**
 * conv_general_dilated on wasm, as matrix products (im2col): for each batch
 * element n and group, the kernel matrix W (the group's output features × the
 * (input feature, window position) pairs) times the patches matrix Pₙ (those
 * pairs × the output positions; zero where the window falls on padding or on a
 * hole of the dilated operand), by the gemm of gemm.ts:
 *
 *   out[n, o, y] = Σ_{i, q} rhs[o, i, q] · lhs[n, i, window(y, q)]  =  (W · Pₙ)[o, y]
 *
 * With OIHW-like kernels W is the kernel itself, read in place; with NCHW-like
 * outputs and one group the products are written straight into the output,
 * one batched gemm call per chunk of images; other layouts go through a
 * temporary. Pₙ is built row by row, each row a run over the output positions.
 * float32 products sum in float32 (the cpu loop sums in float64). Images are
 * taken a few at a time so that the patches stay under `PATCH_BYTES`.
 */
import type { ShapedArray } from "../../core/aval.js";
import { stridesOf } from "../../core/aval.js";
import { NdArray } from "../../core/array.js";
import { outputBuffer } from "../../core/buffers.js";
import { HostBuffer } from "../../core/buffer.js";
import type { RoutineOf } from "../../kernel/routines.js";
import { convTables, next } from "../cpu/conv.js";
import { dgemm, sgemm, wasmGemmAvailable, type MatrixView } from "./gemm.js";
import { wasmThresholds } from "./routines.js";

/** The most bytes one patches matrix takes; larger batches are split. */
const PATCH_BYTES = 32 << 20;

type Floats = Float32Array | Float64Array;

/** @internal How many convolutions ran here (tests check that the path is taken). */
export const wasmConvRuns = { count: 0 };

/** The convolution as products, or null (not float32/float64, too small, no wasm) for the cpu's loops. */
export function wasmConv(
  r: RoutineOf<"conv_general_dilated">,
  [lhs, rhs]: NdArray[],
  [outAval]: ShapedArray[],
): NdArray[] | null {
  const dtype = lhs.dtype;
  if ((dtype !== "float32" && dtype !== "float64") || rhs.dtype !== dtype || !wasmGemmAvailable()) return null;
  const l = convLayout(r, lhs.aval, rhs.aval, outAval);
  if (l.nOut * l.nY * l.K * l.O < wasmThresholds.matmul || l.K === 0) return null;
  const out = outputBuffer(dtype, outAval.size) as Floats;
  const L = lhs._data as Floats;
  const R = rhs._data as Floats;
  const make = (size: number): Floats => (dtype === "float64" ? new Float64Array(size) : new Float32Array(size));
  const gemm = dtype === "float64" ? dgemm : sgemm;
  const groups = Math.max(r.featureGroupCount, r.batchGroupCount);
  const oPerGroup = l.O / groups;
  // Output features, then positions, contiguous within each image: products go straight in.
  const direct = groups === 1 && l.outFeature === l.nY && l.outOffsets.every((off, y) => off === y);
  const perChunk = Math.max(1, Math.floor(PATCH_BYTES / (8 * l.nY * l.K)));
  for (let g = 0; g < groups; g++) {
    const w = kernelMatrix(l, R, g * oPerGroup, oPerGroup, make);
    for (let n0 = 0; n0 < l.nOut; n0 += perChunk) {
      const n1 = Math.min(l.nOut, n0 + perChunk);
      const p: MatrixView = { data: patches(l, r, L, g, n0, n1, make), offset: 0, rowStride: l.nY, colStride: 1 };
      p.batchStride = l.K * l.nY;
      if (direct) gemm(w, p, oPerGroup, l.K, l.nY, out, n0 * l.outBatch, n1 - n0);
      else {
        const c = make((n1 - n0) * oPerGroup * l.nY);
        gemm(w, p, oPerGroup, l.K, l.nY, c, 0, n1 - n0);
        scatter(l, c, out, n0, n1, g * oPerGroup, oPerGroup);
      }
    }
  }
  wasmConvRuns.count++;
  return [new NdArray(outAval, new HostBuffer(dtype, out))];
}

type Layout = ReturnType<typeof convLayout>;

/** Sizes and strides of the three operands, and each output position's window on lhs. */
function convLayout(r: RoutineOf<"conv_general_dilated">, lhs: ShapedArray, rhs: ShapedArray, out: ShapedArray) {
  const { lhsSpec, rhsSpec, outSpec } = r;
  const ls = stridesOf(lhs.shape);
  const rs = stridesOf(rhs.shape);
  const os = stridesOf(out.shape);
  const outSp = outSpec.slice(2).map((a) => out.shape[a]);
  const kSp = rhsSpec.slice(2).map((a) => rhs.shape[a]);
  const nWin = kSp.reduce((a, b) => a * b, 1);
  const I = rhs.shape[rhsSpec[1]];
  const nY = outSp.reduce((a, b) => a * b, 1);
  const nOut = out.shape[outSpec[0]];
  const tables = convTables(r, lhs.shape, outSp, kSp);
  const window = windowGrid(
    tables,
    outSp,
    kSp,
    lhsSpec.slice(2).map((a) => ls[a]),
  );
  return {
    nOut,
    nY,
    nWin,
    I,
    O: rhs.shape[rhsSpec[0]],
    K: nWin * I,
    rows: nOut * nY,
    /** lhs offsets of the windows (spatial axes only), as runs of consecutive positions (`runsOf`). */
    runs: runsOf(window, nWin, nY),
    lhsBatch: ls[lhsSpec[0]],
    lhsFeature: ls[lhsSpec[1]],
    /** rhs offset of window position q (spatial axes only). */
    kernelOffsets: spatialOffsets(
      kSp,
      rhsSpec.slice(2).map((a) => rs[a]),
    ),
    rhsOut: rs[rhsSpec[0]],
    rhsIn: rs[rhsSpec[1]],
    /** Output offset of position y (spatial axes only). */
    outOffsets: spatialOffsets(
      outSp,
      outSpec.slice(2).map((a) => os[a]),
    ),
    outBatch: os[outSpec[0]],
    outFeature: os[outSpec[1]],
  };
}

/** For each row-major index of `shape`, its offset by `strides`. */
function spatialOffsets(shape: number[], strides: number[]): Int32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const offs = new Int32Array(size);
  if (size === 0) return offs;
  const idx = new Array<number>(shape.length).fill(0);
  let i = 0;
  do {
    let off = 0;
    for (let d = 0; d < shape.length; d++) off += idx[d] * strides[d];
    offs[i++] = off;
  } while (next(idx, shape));
  return offs;
}

/** The lhs spatial offset of window position q for output position y ([q·nY + y]), or -1 (padding or a dilation hole). */
function windowGrid(tables: Int32Array[], outSp: number[], kSp: number[], strides: number[]): Int32Array {
  const nY = outSp.reduce((a, b) => a * b, 1);
  const nWin = kSp.reduce((a, b) => a * b, 1);
  const grid = new Int32Array(nY * nWin);
  if (nY === 0 || nWin === 0) return grid;
  const yi = new Array<number>(outSp.length).fill(0);
  const qi = new Array<number>(kSp.length).fill(0);
  let y = 0;
  do {
    qi.fill(0);
    let q = 0;
    do {
      let off = 0;
      for (let d = 0; d < kSp.length && off >= 0; d++) {
        const j = tables[d][yi[d] * kSp[d] + qi[d]];
        off = j < 0 ? -1 : off + j * strides[d];
      }
      grid[q++ * nY + y] = off;
    } while (next(qi, kSp));
    y++;
  } while (next(yi, outSp));
  return grid;
}

/**
 * W for output features [o0, o0 + count): row o − o0, column i·nWin + q = rhs[o, i, q] (batch stride 0).
 * The kernel itself where its elements are in that order (OIHW), else a copy.
 */
function kernelMatrix(l: Layout, R: Floats, o0: number, count: number, make: (n: number) => Floats): MatrixView {
  const inPlace = l.rhsIn === l.nWin && l.kernelOffsets.every((off, q) => off === q);
  if (inPlace) return { data: R, offset: o0 * l.rhsOut, rowStride: l.rhsOut, colStride: 1, batchStride: 0 };
  const w = make(count * l.K);
  for (let o = 0; o < count; o++)
    for (let i = 0; i < l.I; i++)
      for (let q = 0; q < l.nWin; q++)
        w[o * l.K + i * l.nWin + q] = R[(o0 + o) * l.rhsOut + i * l.rhsIn + l.kernelOffsets[q]];
  return { data: w, offset: 0, rowStride: l.K, colStride: 1, batchStride: 0 };
}

/**
 * Pₙ for images [n0, n1) of group g, one after the other: row i·nWin + q, column y =
 * lhs[image, g·I + i (feature groups), window(y, q)], the image being g·nOut + n for batch groups.
 */
function patches(
  l: Layout,
  r: RoutineOf<"conv_general_dilated">,
  L: Floats,
  g: number,
  n0: number,
  n1: number,
  make: (n: number) => Floats,
): Floats {
  // Every element is written (the gaps between runs with zeros): the scratch is reused from call to call.
  const p = scratch(make, (n1 - n0) * l.K * l.nY);
  const featureBase = r.featureGroupCount > 1 ? g * l.I * l.lhsFeature : 0;
  const runs = l.runs;
  for (let n = n0; n < n1; n++) {
    const image = (r.batchGroupCount > 1 ? g * l.nOut + n : n) * l.lhsBatch + featureBase;
    for (let i = 0; i < l.I; i++) {
      const from = image + i * l.lhsFeature;
      for (let q = 0; q < l.nWin; q++) {
        const to = ((n - n0) * l.K + i * l.nWin + q) * l.nY;
        for (let k = runs.start[q]; k < runs.start[q + 1]; k += 4) {
          const y0 = to + runs.data[k];
          const src = from + runs.data[k + 1];
          const len = runs.data[k + 2];
          for (let j = 0; j < len; j++) p[y0 + j] = L[src + j];
          p.fill(0, y0 + len, y0 + len + runs.data[k + 3]);
        }
      }
    }
  }
  return p;
}

/**
 * The window grid as runs: for each window position q, quadruples (first output position
 * y, its lhs offset, length, then how many positions after the run fall off the operand)
 * of consecutive positions whose offsets are consecutive too (a row of the image, for unit
 * strides), so that building the patches copies runs. A run of length 0 at y = 0 carries
 * the positions off the operand at the start.
 */
function runsOf(grid: Int32Array, nWin: number, nY: number): { start: Int32Array; data: Int32Array } {
  const start = new Int32Array(nWin + 1);
  const data: number[] = [];
  for (let q = 0; q < nWin; q++) {
    start[q] = data.length;
    const at = (y: number) => grid[q * nY + y];
    let y = 0;
    let off = -1;
    let len = 0;
    while (y < nY) {
      if (at(y) < 0) {
        // Positions off the operand: the gap after the current run (a run of length 0 at the start).
        let gap = 0;
        while (y + gap < nY && at(y + gap) < 0) gap++;
        data.push(y - len, off, len, gap);
        y += gap;
        len = 0;
        continue;
      }
      if (len > 0 && at(y) === off + len) {
        len++;
        y++;
        continue;
      }
      if (len > 0) data.push(y - len, off, len, 0);
      off = at(y);
      len = 1;
      y++;
    }
    if (len > 0) data.push(y - len, off, len, 0);
  }
  start[nWin] = data.length;
  return { start, data: Int32Array.from(data) };
}

/** The patches' memory, kept from call to call (the gemm copies it into the wasm memory before returning). */
let patchScratch: Floats | null = null;

function scratch(make: (n: number) => Floats, size: number): Floats {
  const kind = make(0).constructor;
  if (patchScratch === null || patchScratch.constructor !== kind || patchScratch.length < size) {
    patchScratch = make(size);
  }
  return patchScratch.subarray(0, size);
}

/** Writes the products (image n − n0, feature o − o0, position y) to the output's layout. */
function scatter(l: Layout, c: Floats, out: Floats, n0: number, n1: number, o0: number, count: number): void {
  for (let n = n0; n < n1; n++)
    for (let o = 0; o < count; o++) {
      const row = ((n - n0) * count + o) * l.nY;
      const at = n * l.outBatch + (o0 + o) * l.outFeature;
      for (let y = 0; y < l.nY; y++) out[at + l.outOffsets[y]] = c[row + y];
    }
}
