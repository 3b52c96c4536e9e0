/**
 * Regions of the worker pool's memory: each call's working space (its counter,
 * copied operands, partial results) and the arrays that stay in the memory
 * while a compiled program runs (buffer.ts).
 *
 * Sizes are rounded up to a class (a power of two, or three times one: at most
 * a third wasted) and freed regions are kept by class for the next request of
 * that class; new regions are cut from the top, growing the memory. When no
 * region is in use the whole memory is free again (the usual case between
 * eager calls), so classes never fragment it for long.
 *
 * A request over `wasmMemoryLimit` (memory.ts) is refused as before, which is
 * what sends a too large kernel down its blocked path, and so is one the
 * memory cannot grow to hold.
 */
import { MAX_PAGES } from "./gemm-kernel.js";
import { fitsMemory } from "./memory.js";
import type { Pool } from "./threads.js";

const PAGE = 65536;
/** Every region starts on a cache line (the vectors and counters in it are aligned). */
const ALIGN = 64;
/** Regions start above this: address 0 is never handed out. */
const BASE = 64;

/** The size class of a request: the least 2^k or 3·2^k at or above it that is a whole number of ALIGN. */
export function sizeClass(bytes: number): number {
  if (bytes <= 2 * ALIGN) return bytes <= ALIGN ? ALIGN : 2 * ALIGN;
  const p = 2 ** Math.ceil(Math.log2(bytes));
  return (3 * p) / 4 >= bytes ? (3 * p) / 4 : p;
}

interface Heap {
  top: number;
  free: Map<number, number[]>;
  live: number;
}

const heaps = new WeakMap<Pool, Heap>();

function heapOf(pool: Pool): Heap {
  let h = heaps.get(pool);
  if (h === undefined) heaps.set(pool, (h = { top: BASE, free: new Map(), live: 0 }));
  return h;
}

/** A region of at least `bytes` in the pool's memory (its address), or null where that does not fit. */
export function allocRegion(pool: Pool, bytes: number): number | null {
  if (!fitsMemory(bytes)) return null;
  const h = heapOf(pool);
  const size = sizeClass(bytes);
  const reused = h.free.get(size)?.pop();
  if (reused !== undefined) {
    h.live++;
    return reused;
  }
  const at = h.top;
  if (!growTo(pool.memory, at + size)) return null;
  h.top = at + size;
  h.live++;
  return at;
}

/** Gives back the region at `at` that `allocRegion(pool, bytes)` returned. */
export function freeRegion(pool: Pool, at: number, bytes: number): void {
  const h = heapOf(pool);
  h.live--;
  if (h.live === 0) {
    h.top = BASE;
    h.free.clear();
    return;
  }
  const size = sizeClass(bytes);
  const list = h.free.get(size);
  if (list === undefined) h.free.set(size, [at]);
  else list.push(at);
}

/** @internal Regions in use (tests check that every call gives its space back). */
export const regionsInUse = (pool: Pool): number => heapOf(pool).live;

/** Grows `memory` to hold `end` bytes, within its maximum; false if it cannot. */
function growTo(memory: WebAssembly.Memory, end: number): boolean {
  const have = memory.buffer.byteLength;
  if (have >= end) return true;
  if (end > MAX_PAGES * PAGE) return false;
  try {
    memory.grow(Math.ceil((end - have) / PAGE));
    return true;
  } catch {
    return false;
  }
}
