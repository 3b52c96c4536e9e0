/**
 * Gather and scatter on the cpu (the routines of primitives/indexing.ts).
 * gather: indices clamped into range; scatter: out-of-range updates dropped.
 */
import { shapeSize, stridesOf } from "../../core/aval.js";
import type { NdArray } from "../../core/array.js";
import { outputBuffer } from "../../core/buffers.js";
import type { ScatterMode } from "../../kernel/routines.js";
import type { CpuRoutines } from "./table.js";

function restAxes(ndim: number, axes: number[]): number[] {
  return Array.from({ length: ndim }, (_, i) => i).filter((i) => !axes.includes(i));
}

/**
 * Where a gather reads (or a scatter writes): for each batch position b, the
 * offset in x of its indexed element (indices clamped into range, or -1 for an
 * out-of-range position when not clamping), and for each position r of the
 * non-indexed ("rest") axes, its offset from there. Element (b, r) is x[base[b] + rest[r]].
 */
function gatherPlan(
  xShape: readonly number[],
  idx: NdArray,
  axes: number[],
  clamp: boolean,
): { bases: Int32Array; rest: Int32Array } {
  const xStrides = stridesOf(xShape);
  const restAx = restAxes(xShape.length, axes);
  const restShape = restAx.map((i) => xShape[i]);
  const restStrides = stridesOf(restShape);
  const R = shapeSize(restShape);
  const k = axes.length;
  const nb = shapeSize(idx.aval.shape.slice(0, -1));
  const id = idx._data!;
  const rest = new Int32Array(R);
  for (let r = 0; r < R; r++) {
    let off = 0;
    for (let j = 0; j < restAx.length; j++)
      off += (Math.floor(r / restStrides[j]) % restShape[j]) * xStrides[restAx[j]];
    rest[r] = off;
  }
  const bases = new Int32Array(nb); // element offsets: arrays have fewer than 2³¹ elements
  const sizes = axes.map((a) => xShape[a]);
  const strides = axes.map((a) => xStrides[a]);
  for (let b = 0; b < nb; b++) {
    let base = 0;
    for (let j = 0; j < k; j++) {
      let i = id[b * k + j];
      const n = sizes[j];
      if (i < 0 || i >= n) {
        if (!clamp) {
          base = -1;
          break;
        }
        i = i < 0 ? 0 : n - 1;
      }
      base += i * strides[j];
    }
    bases[b] = base;
  }
  return { bases, rest };
}

/** True if the rest offsets are 0, 1, 2, …: each batch position reads one contiguous run. */
const contiguous = (rest: Int32Array): boolean => rest.every((o, r) => o === r);

const COMBINE: Record<ScatterMode, (a: number, b: number) => number> = {
  set: (_a, b) => b,
  add: (a, b) => a + b,
  mul: (a, b) => a * b,
  min: (a, b) => (a !== a || b !== b ? NaN : Math.min(a, b)),
  max: (a, b) => (a !== a || b !== b ? NaN : Math.max(a, b)),
};

export const indexingRoutines: Pick<CpuRoutines, "gather" | "scatter"> = {
  gather: ({ axes }, [x, idx], [o]) => {
    const out = outputBuffer(o.dtype, shapeSize(o.shape));
    const src = x._data!;
    if (x.ndim === 1) {
      // One element per index (np.take of a flat array, x[idx]): clamp and read, in one pass.
      const id = idx._data!;
      const last = x.size - 1;
      for (let b = 0; b < id.length; b++) {
        const i = id[b];
        out[b] = src[i < 0 ? 0 : i > last ? last : i];
      }
      return [out];
    }
    const { bases, rest } = gatherPlan(x.aval.shape, idx, axes, true);
    const R = rest.length;
    if (R === 1) {
      const r0 = rest[0];
      for (let b = 0; b < bases.length; b++) out[b] = src[bases[b] + r0];
    } else if (contiguous(rest)) {
      for (let b = 0; b < bases.length; b++) out.set(src.subarray(bases[b], bases[b] + R), b * R);
    } else {
      for (let b = 0; b < bases.length; b++) for (let r = 0; r < R; r++) out[b * R + r] = src[bases[b] + rest[r]];
    }
    return [out];
  },
  scatter: ({ axes, mode }, [x, idx, u]) => {
    const out = x._data!.slice();
    const src = u._data!;
    const { bases, rest } = gatherPlan(x.aval.shape, idx, axes, false);
    const R = rest.length;
    const combine = COMBINE[mode];
    for (let b = 0; b < bases.length; b++) {
      const base = bases[b];
      if (base < 0) continue; // out of range: dropped
      if (mode === "add") for (let r = 0; r < R; r++) out[base + rest[r]] += src[b * R + r];
      else if (mode === "set") for (let r = 0; r < R; r++) out[base + rest[r]] = src[b * R + r];
      else for (let r = 0; r < R; r++) out[base + rest[r]] = combine(out[base + rest[r]], src[b * R + r]);
    }
    return [out];
  },
};
