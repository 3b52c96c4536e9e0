/**
 * lax.dot_general as a batched matrix product. Each operand is seen as
 * [batch, free, contracting] through three strides (read in place when its
 * axes of each group are adjacent in memory, as for transposed operands;
 * otherwise copied once into that order). Three variants, chosen from the
 * shapes and strides, each one pipeline per dtype whatever the size:
 * - "skinny" (matmul-skinny.ts): at most 8 rows or columns, or both at most 64
 *   (less than one tile): K split across the threads of a workgroup.
 * - "vec4" (matmul-tiled.ts): 64×64 tiles with 4-element loads, when an
 *   operand's contiguous axis and its other strides are multiples of 4.
 * - "tiled": the same tiles with scalar loads.
 */
import { ShapedArray, stridesOf } from "../../core/aval.js";
import type { RoutineOf } from "../../kernel/routines.js";
import { MAX_GROUPS, dispatch } from "./device.js";
import { allocGpu, type WebGpuBuffer } from "./buffer.js";
import { elementwiseRoutine, valueType } from "./routines.js";
import { TILE, tiledShader } from "./matmul-tiled.js";
import { COLS, lanesFor, skinnyShader } from "./matmul-skinny.js";

export type MatmulVariant = "tiled" | "vec4" | "skinny";

/** How many times each variant ran (for tests: the intended one was taken). */
export const matmulVariantRuns: Record<MatmulVariant, number> = { tiled: 0, vec4: 0, skinny: 0 };

/** The stride of a group of axes read as one (their positions in order), or null if they are not adjacent in memory. */
function groupStride(axes: number[], shape: readonly number[], strides: number[]): number | null {
  const live = axes.filter((d) => shape[d] !== 1);
  if (live.length === 0) return 0;
  for (let i = 0; i + 1 < live.length; i++) {
    if (strides[live[i]] !== strides[live[i + 1]] * shape[live[i + 1]]) return null;
  }
  return strides[live[live.length - 1]];
}

interface Operand {
  buffer: WebGpuBuffer;
  /** Strides of the batch, free and contracting groups. */
  strides: [number, number, number];
  free: number;
}

/** `x` as [batch, free, contracting]: in place, or copied into that order when its groups are not adjacent. */
function operand(x: WebGpuBuffer, xa: ShapedArray, batch: number[], contract: number[]): Operand {
  const free = xa.shape.map((_, d) => d).filter((d) => !batch.includes(d) && !contract.includes(d));
  const size = (axes: number[]): number => axes.reduce((p, d) => p * xa.shape[d], 1);
  const s = stridesOf(xa.shape);
  const groups = [batch, free, contract].map((g) => groupStride(g, xa.shape, s));
  if (groups.every((g) => g !== null)) {
    return { buffer: x, strides: groups as [number, number, number], free: size(free) };
  }
  const permutation = [...batch, ...free, ...contract];
  const shape = permutation.map((d) => xa.shape[d]);
  const moved = elementwiseRoutine({ name: "transpose", permutation }, [x], [xa], [new ShapedArray(shape, xa.dtype)])!;
  const [f, c] = [size(free), size(contract)];
  return { buffer: moved, strides: [f * c, c, 1], free: f };
}

/** The skinny variant applies: at most 8 rows or columns, or less than one tile each way. */
const isSkinny = (M: number, N: number): boolean => Math.min(M, N) <= COLS || (M <= TILE && N <= TILE);

/**
 * How a vec4 load reads `[batch, rows, depth]` with strides `s`: 0 along depth,
 * 1 along rows (the axis of stride 1, its extent and the other strides multiples
 * of 4, so every vec4 starts on a 16-byte boundary inside the operand), 2 one
 * element at a time.
 */
function vecMode(s: [number, number, number], rows: number, depth: number): number {
  const aligned = (x: number): boolean => x % 4 === 0;
  if (!aligned(s[0])) return 2;
  if (s[2] === 1 && aligned(depth) && aligned(s[1])) return 0;
  if (s[1] === 1 && aligned(rows) && aligned(s[2])) return 1;
  return 2;
}

/** Records the product of `a` ([B, M, K]) and `b` ([B, N, K] strides); false when the grid is too large. */
function run(t: string, a: Operand, b: Operand, K: number, B: number, out: WebGpuBuffer): boolean {
  const [M, N] = [a.free, b.free];
  if (isSkinny(M, N)) {
    // Rows are the longer side; the result is written through its strides (transposed when swapped).
    const swap = M < N;
    const [r, c] = swap ? [b, a] : [a, b];
    const [rows, cols] = swap ? [N, M] : [M, N];
    const L = lanesFor(K);
    const groups: [number, number, number] = [Math.ceil(rows / (256 / L)), Math.ceil(cols / COLS), B];
    if (groups[0] <= MAX_GROUPS) {
      const os = swap ? [M * N, 1, N] : [M * N, N, 1];
      const u = [rows, cols, K, ...r.strides, c.strides[0], c.strides[2], c.strides[1], ...os, L];
      dispatch(skinnyShader(t), u, [r.buffer.gpu, c.buffer.gpu], [out.gpu], groups);
      matmulVariantRuns.skinny++;
      return true;
    }
  }
  const groups: [number, number, number] = [Math.ceil(N / TILE), Math.ceil(M / TILE), B];
  if (Math.max(groups[0], groups[1]) > MAX_GROUPS) return false;
  // b's depth and column strides are its contracting and free groups'.
  const bs: [number, number, number] = [b.strides[0], b.strides[2], b.strides[1]];
  // The shader's b modes: 0 along its columns (free axis), 1 along its depth.
  const [am, bm] = [vecMode(a.strides, M, K), [1, 0, 2][vecMode(b.strides, N, K)]];
  const vec = am !== 2 || bm !== 2;
  const u = [M, N, K, ...a.strides, ...bs, B, am, bm];
  dispatch(tiledShader(t, vec), u, [a.buffer.gpu, b.buffer.gpu], [out.gpu], groups);
  matmulVariantRuns[vec ? "vec4" : "tiled"]++;
  return true;
}

/** dot_general on GPU operands of one dtype; null for other dtypes. */
export function dotGeneral(
  r: RoutineOf<"dot_general">,
  [x, y]: WebGpuBuffer[],
  [xa, ya]: ShapedArray[],
  [oa]: ShapedArray[],
): WebGpuBuffer | null {
  if (xa.dtype !== ya.dtype || oa.dtype !== xa.dtype || xa.dtype === "bool") return null;
  const t = valueType(xa.dtype, "dot_general");
  const [[lc, rc], [lb, rb]] = [r.contracting, r.batch];
  const B = lb.reduce((p, d) => p * xa.shape[d], 1);
  const K = lc.reduce((p, d) => p * xa.shape[d], 1);
  if (B > MAX_GROUPS) return null;
  const a = operand(x, xa, lb, lc);
  const b = operand(y, ya, rb, rc);
  const out = allocGpu(oa.dtype, oa.size, "dot_general");
  const ok = a.free * b.free * B === 0 || run(t, a, b, K, B, out);
  if (a.buffer !== x) a.buffer.dispose();
  if (b.buffer !== y) b.buffer.dispose();
  if (!ok) out.dispose();
  return ok ? out : null;
}
