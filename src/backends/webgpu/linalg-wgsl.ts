/**
 * Pieces shared by the linear-algebra shaders (linalg-*.ts): one workgroup of
 * WG threads per matrix (or per matrix and block of right-hand sides), the
 * matrix in a storage buffer, every elimination step separated from the next
 * by a barrier. Shapes are uniforms: one pipeline serves every size and batch.
 */
import type { ShapedArray } from "../../core/aval.js";
import { dispatch, spread } from "./device.js";

/** Threads per workgroup. */
export const WG = 256;

/** Between two steps: every thread's storage writes are seen by every other thread of the workgroup. */
export const BARRIER = "storageBarrier(); workgroupBarrier();";

/**
 * The entry point of a shader run by one workgroup per item: `g` the item (its
 * workgroup, spread over x and y), `t` the thread. Workgroups past the count in
 * uniform word `countWord` return at once (a uniform branch: barriers stay legal).
 */
export function perWorkgroup(countWord: number): string {
  return `@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let g = wid.x + wid.y * nwg.x;
  if (g >= uget(${countWord}u)) { return; }
  let t = lid.x;`;
}

/** Records `groups` workgroups of `code`. */
export function dispatchGroups(
  code: string,
  uniforms: ArrayLike<number>,
  reads: GPUBuffer[],
  writes: GPUBuffer[],
  groups: number,
): void {
  dispatch(code, uniforms, reads, writes, spread(groups));
}

/** [batch, rows, cols] of a stack of matrices [..., rows, cols]. */
export function matrices(a: ShapedArray): [number, number, number] {
  const s = a.shape;
  const rows = s[s.length - 2];
  const cols = s[s.length - 1];
  const batch = s.slice(0, -2).reduce((p, d) => p * d, 1);
  return [batch, rows, cols];
}
