/**
 * The cpu convolution and windowed reductions: direct loops, accumulating in float64.
 * Each output position visits the operand positions its window covers; an axis's
 * table maps (output index, window index) to the operand index, or -1 where the
 * window falls on padding or on a hole of the dilated operand.
 */
import { stridesOf } from "../../core/aval.js";
import type { NdArray } from "../../core/array.js";
import { outputBuffer } from "../../core/buffers.js";
import type { TypedArray } from "../../core/dtypes.js";
import type { RoutineOf, WindowParams } from "../../kernel/routines.js";
import type { CpuRoutines } from "./table.js";

/**
 * For one axis: operand index at (output i, window k) or -1. The operand of size n is
 * dilated by `base`, padded by [lo, hi]; the window of size w is dilated by `wdil`.
 */
function axisTable(n: number, out: number, w: number, stride: number, lo: number, base: number, wdil: number) {
  const t = new Int32Array(out * w);
  const dilated = n === 0 ? 0 : (n - 1) * base + 1;
  for (let i = 0; i < out; i++) {
    for (let k = 0; k < w; k++) {
      const p = i * stride + k * wdil - lo;
      t[i * w + k] = p < 0 || p >= dilated || p % base !== 0 ? -1 : p / base;
    }
  }
  return t;
}

/** A convolution's axis tables (`axisTable`), one per spatial axis of lhs. */
export function convTables(
  r: RoutineOf<"conv_general_dilated">,
  lhsShape: readonly number[],
  outSp: number[],
  kSp: number[],
): Int32Array[] {
  return r.lhsSpec
    .slice(2)
    .map((a, d) =>
      axisTable(lhsShape[a], outSp[d], kSp[d], r.windowStrides[d], r.padding[d][0], r.lhsDilation[d], r.rhsDilation[d]),
    );
}

/** Odometer over a multi-index: advances `idx` within `shape`; false once past the end. */
export function next(idx: number[], shape: readonly number[]): boolean {
  for (let d = shape.length - 1; d >= 0; d--) {
    if (++idx[d] < shape[d]) return true;
    idx[d] = 0;
  }
  return false;
}

/**
 * For every output position (row-major over `outShape`), the flat operand offsets (by `strides`)
 * its window covers, and, in `win`, the window's flat offset of each (row-major over `w`).
 */
function windowOffsets(
  tables: Int32Array[],
  outShape: readonly number[],
  w: readonly number[],
  strides: readonly number[],
): { offsets: number[][]; win: number[][] } {
  const offsets: number[][] = [];
  const win: number[][] = [];
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  if (size(outShape) === 0) return { offsets, win };
  const oi = new Array<number>(outShape.length).fill(0);
  do {
    const offs: number[] = [];
    const ws: number[] = [];
    if (size(w) > 0) {
      const ki = new Array<number>(w.length).fill(0);
      let flat = 0;
      do {
        let off = 0;
        for (let d = 0; d < w.length && off >= 0; d++) {
          const j = tables[d][oi[d] * w[d] + ki[d]];
          off = j < 0 ? -1 : off + j * strides[d];
        }
        if (off >= 0) {
          offs.push(off);
          ws.push(flat);
        }
        flat++;
      } while (next(ki, w));
    }
    offsets.push(offs);
    win.push(ws);
  } while (next(oi, outShape));
  return { offsets, win };
}

/**
 * Calls `visit(i, offs, count)` for every output position i (row-major over `outShape`) with the
 * flat operand offsets its window covers in offs[0..count), in window order; offs is reused.
 */
function forEachWindow(
  tables: Int32Array[],
  outShape: readonly number[],
  w: readonly number[],
  strides: readonly number[],
  visit: (i: number, offs: Int32Array, count: number) => void,
): void {
  const nOut = outShape.reduce((a, b) => a * b, 1);
  const nWin = w.reduce((a, b) => a * b, 1);
  if (nOut === 0) return;
  const offs = new Int32Array(nWin);
  const oi = new Array<number>(outShape.length).fill(0);
  const ki = new Array<number>(w.length).fill(0);
  let i = 0;
  do {
    let count = 0;
    if (nWin > 0) {
      ki.fill(0);
      do {
        let off = 0;
        for (let d = 0; d < w.length && off >= 0; d++) {
          const j = tables[d][oi[d] * w[d] + ki[d]];
          off = j < 0 ? -1 : off + j * strides[d];
        }
        if (off >= 0) offs[count++] = off;
      } while (next(ki, w));
    }
    visit(i++, offs, count);
  } while (next(oi, outShape));
}

function windowTables(x: NdArray, outShape: readonly number[], p: WindowParams): Int32Array[] {
  return x.aval.shape.map((n, d) =>
    axisTable(
      n,
      outShape[d],
      p.windowDimensions[d],
      p.windowStrides[d],
      p.padding[d][0],
      p.baseDilation[d],
      p.windowDilation[d],
    ),
  );
}

/** For each window, the operand offset of its first maximum (minimum), or -1 for an empty window. */
function selected(x: NdArray, outShape: readonly number[], p: WindowParams, select: "max" | "min"): Int32Array {
  const v = x._data!;
  const better = select === "max" ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  const out = new Int32Array(outShape.reduce((a, b) => a * b, 1));
  const tables = windowTables(x, outShape, p);
  forEachWindow(tables, outShape, p.windowDimensions, stridesOf(x.aval.shape), (i, offs, count) => {
    let best = -1;
    for (let q = 0; q < count; q++) {
      const o = offs[q];
      // NaN is chosen (it propagates through max/min), the first of equal values is kept.
      if (best < 0 || (!Number.isNaN(v[best]) && (Number.isNaN(v[o]) || better(v[o], v[best])))) best = o;
    }
    out[i] = best;
  });
  return out;
}

export const convRoutines: Pick<
  CpuRoutines,
  "conv_general_dilated" | "reduce_window" | "select_and_gather_add" | "select_and_scatter_add"
> = {
  conv_general_dilated(r, [lhs, rhs], [outAval]) {
    const { lhsSpec, rhsSpec, outSpec, featureGroupCount: fgc, batchGroupCount: bgc } = r;
    const ls = stridesOf(lhs.aval.shape);
    const rs = stridesOf(rhs.aval.shape);
    const os = stridesOf(outAval.shape);
    const L = lhs._data!;
    const R = rhs._data!;
    const out = outputBuffer(outAval.dtype, outAval.size);
    const nOut = outAval.shape[outSpec[0]];
    const O = rhs.aval.shape[rhsSpec[0]];
    const I = rhs.aval.shape[rhsSpec[1]];
    const sp = lhsSpec.length - 2;
    const outSp = outSpec.slice(2).map((a) => outAval.shape[a]);
    const kSp = rhsSpec.slice(2).map((a) => rhs.aval.shape[a]);
    const tables = convTables(r, lhs.aval.shape, outSp, kSp);
    // Per output spatial position: pairs of (lhs spatial offset, rhs spatial offset).
    const { offsets, win } = windowOffsets(
      tables,
      outSp,
      kSp,
      lhsSpec.slice(2).map((a) => ls[a]),
    );
    const kStrides = rhsSpec.slice(2).map((a) => rs[a]);
    const kShapeStrides = stridesOf(kSp);
    const rOffs = win.map((ws) =>
      ws.map((flat) => {
        let off = 0;
        for (let d = 0; d < sp; d++) off += (Math.floor(flat / kShapeStrides[d]) % kSp[d]) * kStrides[d];
        return off;
      }),
    );
    const outSpStrides = outSpec.slice(2).map((a) => os[a]);
    const outSpShapeStrides = stridesOf(outSp);
    const oSpOff = offsets.map((_, flat) => {
      let off = 0;
      for (let d = 0; d < sp; d++) off += (Math.floor(flat / outSpShapeStrides[d]) % outSp[d]) * outSpStrides[d];
      return off;
    });
    const oPerGroup = O / Math.max(fgc, bgc);
    const lsC = ls[lhsSpec[1]];
    const rsI = rs[rhsSpec[1]];
    for (let n = 0; n < nOut; n++) {
      for (let o = 0; o < O; o++) {
        const g = Math.floor(o / oPerGroup);
        // feature groups: group g reads input features g·I ...; batch groups: lhs batch g·nOut + n.
        const lhsBase = (bgc > 1 ? g * nOut + n : n) * ls[lhsSpec[0]] + (fgc > 1 ? g * I : 0) * ls[lhsSpec[1]];
        const rhsBase = o * rs[rhsSpec[0]];
        const oBase = n * os[outSpec[0]] + o * os[outSpec[1]];
        for (let y = 0; y < offsets.length; y++) {
          const lo = offsets[y];
          const ro = rOffs[y];
          let acc = 0;
          for (let q = 0; q < lo.length; q++) {
            const lb = lhsBase + lo[q];
            const rb = rhsBase + ro[q];
            for (let i = 0; i < I; i++) acc += L[lb + i * lsC] * R[rb + i * rsI];
          }
          out[oBase + oSpOff[y]] = acc;
        }
      }
    }
    return [out];
  },

  reduce_window(r, [x], [outAval]) {
    const v = x._data!;
    const out: TypedArray = outputBuffer(outAval.dtype, outAval.size);
    // The identities of max and min: the dtype's lowest and highest value (false and true for bool).
    const bounds: Partial<Record<string, [number, number]>> = {
      int32: [-2147483648, 2147483647],
      uint32: [0, 4294967295],
      bool: [0, 1],
    };
    const ints = bounds[outAval.dtype] ?? null;
    const [lowest, highest] = ints ?? [-Infinity, Infinity];
    const identity = r.reducer === "sum" ? 0 : r.reducer === "max" ? lowest : highest;
    const f =
      r.reducer === "sum"
        ? (a: number, b: number) => a + b
        : r.reducer === "max"
          ? (a: number, b: number) => (a > b || Number.isNaN(a) ? a : b)
          : (a: number, b: number) => (a < b || Number.isNaN(a) ? a : b);
    const tables = windowTables(x, outAval.shape, r);
    forEachWindow(tables, outAval.shape, r.windowDimensions, stridesOf(x.aval.shape), (i, offs, count) => {
      let acc = identity;
      for (let q = 0; q < count; q++) acc = f(v[offs[q]], acc);
      out[i] = acc;
    });
    return [out];
  },

  select_and_gather_add(r, [t, x], [outAval]) {
    const sel = selected(x, outAval.shape, r, r.select);
    const out = outputBuffer(outAval.dtype, outAval.size);
    const tv = t._data!;
    for (let i = 0; i < sel.length; i++) out[i] = sel[i] < 0 ? 0 : tv[sel[i]];
    return [out];
  },

  select_and_scatter_add(r, [ct, x], [outAval]) {
    const sel = selected(x, ct.aval.shape, r, r.select);
    const acc = new Float64Array(outAval.size);
    const cv = ct._data!;
    for (let i = 0; i < sel.length; i++) if (sel[i] >= 0) acc[sel[i]] += cv[i];
    const out = outputBuffer(outAval.dtype, outAval.size);
    for (let i = 0; i < acc.length; i++) out[i] = acc[i];
    return [out];
  },
};
