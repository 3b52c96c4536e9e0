/**
 * lax.sort on the GPU: several operands permuted together along one dimension
 * by the lexicographic order of the first `numKeys`, stably, with cpu's order
 * (backends/cpu/reduce.ts): NaN after every number, -0 equal to +0.
 *
 * Two steps. (1) The indices 0..n-1 of every line are sorted by a bitonic
 * network (sort-shaders.ts) whose order compares the keys, read through the
 * indices, then the index: a strict total order, so the network's result is
 * the stable order. Stages whose distances fit a workgroup tile run in shared
 * memory, one dispatch for several; larger distances are one dispatch per
 * step. Lines of any length and any number of lines go in one virtual array
 * (short lines share a tile), and every shape is a uniform: one pipeline per
 * tuple of key dtypes serves every size. (2) Every operand is gathered
 * through the permutation.
 *
 * More keys than a shader may bind sort in passes, least significant group
 * first, each pass breaking ties by the rank of the previous pass's order
 * (a stable LSD sort over groups of keys).
 */
import type { ShapedArray } from "../../core/aval.js";
import { stridesOf } from "../../core/aval.js";
import type { RoutineOf } from "../../kernel/routines.js";
import { allocGpu, wgslType, type WebGpuBuffer } from "./buffer.js";
import { dispatch, gpuDevice, spread } from "./device.js";
import { GATHER, RANK, TILE, WG, globalShader, localShader } from "./sort-shaders.js";

/** Storage buffers one shader binds here at most (Chromium allows 10; some adapters fewer). */
const MAX_BUFFERS = 8;

/** Keys per pass: the bindings left beside the permutation, its first keys and the previous ranks. */
export const keysPerPass = (): number => Math.min(gpuDevice().maxStorageBuffers, MAX_BUFFERS) - 3;

/** Key indices grouped for passes, least significant group first; one (maybe empty) group at least. */
export function keyGroups(numKeys: number, perPass: number): number[][] {
  const groups: number[][] = [];
  for (let hi = numKeys; hi > 0; hi -= perPass) {
    groups.push(Array.from({ length: Math.min(perPass, hi) }, (_, i) => Math.max(0, hi - perPass) + i));
  }
  return groups.length > 0 ? groups : [[]];
}

/**
 * Sorts the indices of every line in `perm` by the keys `keys` (then by
 * `rank`, when given, else by index). `u` holds n, inner, log₂P, lines.
 */
function sortPass(
  keys: WebGpuBuffer[],
  keyTypes: string[],
  rank: WebGpuBuffer | null,
  [perm, sk]: WebGpuBuffer[],
  [n, inner, logP, lines]: number[],
): void {
  const P = 2 ** logP;
  const reads = [...keys.map((k) => k.gpu), ...(rank === null ? [] : [rank.gpu])];
  const local = localShader(keyTypes, rank !== null);
  const global = globalShader(keyTypes, rank !== null);
  const tiles = spread(Math.ceil((lines * P) / TILE));
  const pairs = spread(Math.ceil((lines * P) / 2 / WG));
  dispatch(local, [n, inner, logP, lines, 2, Math.min(P, TILE), 1, 0], reads, [perm.gpu, sk.gpu], tiles);
  for (let k = 2 * TILE; k <= P; k *= 2) {
    for (let j = k / 2; j >= TILE; j /= 2) {
      dispatch(global, [n, inner, logP, lines, j, j === k / 2 ? 1 : 0, 0, 0], reads, [perm.gpu, sk.gpu], pairs);
    }
    dispatch(local, [n, inner, logP, lines, k, k, 0, 0], reads, [perm.gpu, sk.gpu], tiles);
  }
}

/** sort on GPU operands, lines of any length, any number of keys. */
export function sort(
  { dimension, numKeys }: RoutineOf<"sort">,
  xs: WebGpuBuffer[],
  inAvals: ShapedArray[],
): WebGpuBuffer[] {
  const shape = inAvals[0].shape;
  const n = shape[dimension];
  const size = inAvals[0].size;
  if (size === 0) return inAvals.map((a) => allocGpu(a.dtype, 0, "sort"));
  const keyTypes = inAvals.map((a) => (a.dtype === "bool" ? "u32" : wgslType(a.dtype, "sort")));
  const lines = size / n;
  const u = [n, stridesOf(shape)[dimension], Math.ceil(Math.log2(n)), lines, 0, 0, 0, 0];
  const perm = allocGpu("uint32", size, "sort");
  const sk = allocGpu("uint32", size, "sort");
  const groups = keyGroups(numKeys, keysPerPass());
  const rank = groups.length > 1 ? allocGpu("uint32", size, "sort") : null;
  groups.forEach((group, g) => {
    if (g > 0) dispatch(RANK, u, [perm.gpu], [rank!.gpu], spread(Math.ceil(size / WG)));
    const keys = group.map((k) => xs[k]);
    sortPass(
      keys,
      group.map((k) => keyTypes[k]),
      g > 0 ? rank : null,
      [perm, sk],
      u,
    );
  });
  rank?.dispose();
  sk.dispose();
  const outs = xs.map((x, k) => {
    const out = allocGpu(inAvals[k].dtype, size, "sort");
    dispatch(GATHER, u, [x.gpu, perm.gpu], [out.gpu], spread(Math.ceil(size / WG)));
    return out;
  });
  perm.dispose();
  return outs;
}
