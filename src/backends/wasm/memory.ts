/**
 * How much WebAssembly memory the kernels may use, and growing it safely.
 *
 * A kernel memory is capped (`MAX_PAGES`, 1 GiB) and the system may refuse to
 * grow it sooner. Kernels whose buffers would not fit work in pieces (rows of a
 * generated kernel, blocks of a matrix product) or give way to the cpu kernels:
 * a large array never meets an untyped RangeError from the wasm memory.
 */
import { MAX_PAGES } from "./gemm-kernel.js";

const PAGE = 65536;

/**
 * @internal The most bytes a kernel's memory may hold. Tests lower it to send
 * small arrays down the large-array paths without allocating gigabytes.
 */
export const wasmMemoryLimit = { bytes: MAX_PAGES * PAGE };

/** Whether `bytes` fit under the limit (and a memory's own maximum, in pages). */
export function fitsMemory(bytes: number, maxPages = MAX_PAGES): boolean {
  return bytes <= Math.min(wasmMemoryLimit.bytes, maxPages * PAGE);
}

/**
 * Grows `memory` to at least `bytes`; false (the memory unchanged) when that is
 * over the limit or the system refuses.
 */
export function growMemory(memory: WebAssembly.Memory, bytes: number, maxPages = MAX_PAGES): boolean {
  if (!fitsMemory(bytes, maxPages)) return false;
  const have = memory.buffer.byteLength;
  if (have >= bytes) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / PAGE));
    return true;
  } catch {
    return false;
  }
}
