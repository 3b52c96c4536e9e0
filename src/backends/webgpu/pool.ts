/**
 * GPU memory by size: buffers go back to a pool keyed by their byte size when
 * their arrays are disposed or collected, and the next allocation of that size
 * takes one instead of asking the driver. Reuse is safe without waiting: the
 * queue runs commands in order, and host writes first submit what is recorded
 * (device.ts `writeBuffer`).
 */
import { gpuDevice } from "./device.js";

/** Buffers kept per size; more are destroyed. */
const KEEP_PER_SIZE = 16;

const free = new Map<number, GPUBuffer[]>();

/** Bytes for `size` 32-bit elements: a multiple of 16, at least 16 (empty arrays get a buffer too). */
export const bytesFor = (size: number): number => Math.max(16, Math.ceil((size * 4) / 16) * 16);

/** A storage buffer of `bytes` bytes (a pooled one if there is one); its contents are unspecified. */
export function takeBuffer(bytes: number): GPUBuffer {
  const b = free.get(bytes)?.pop();
  if (b !== undefined) return b;
  return gpuDevice().device.createBuffer({
    size: bytes,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
}

/** Gives a buffer back to the pool. */
export function giveBuffer(b: GPUBuffer): void {
  const list = free.get(b.size);
  if (list === undefined) free.set(b.size, [b]);
  else if (list.length < KEEP_PER_SIZE) list.push(b);
  else b.destroy();
}

/** Bytes held by the pool (for tests). */
export function pooledBytes(): number {
  let n = 0;
  for (const [bytes, list] of free) n += bytes * list.length;
  return n;
}

/** Returns buffers to the pool when their arrays are garbage collected without `dispose()`. */
export const collected = new FinalizationRegistry<GPUBuffer>(giveBuffer);
