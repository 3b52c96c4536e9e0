/**
 * Buffer reuse inside compiled programs.
 *
 * Allocating a large typed array is not free: the engine asks the system for
 * fresh zeroed pages and every first touch faults one in (about 0.17 ms for
 * 1.6 MB here, eight times the cost of writing it). A compiled program knows
 * when each of its intermediate arrays dies, so it keeps their buffers in a
 * pool and hands them to later kernels of the same or the next call instead.
 *
 * Only kernels that overwrite every element of their output ask for a pooled
 * buffer (`outputBuffer`); everything else allocates zeroed memory as before.
 */
import { NdArray } from "./array.js";
import { HostBuffer, type ScopedBuffer } from "./buffer.js";
import { allocate, TYPED_ARRAYS, type DType, type TypedArray } from "./dtypes.js";

/** Buffers smaller than this are cheap to allocate and are never pooled. */
export const POOL_MIN_BYTES = 1 << 16;

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, uint32: 4, bool: 1 };

/** Free buffers by byte length. */
export class BufferPool {
  private readonly free = new Map<number, ArrayBuffer[]>();

  give(buffer: ArrayBuffer): void {
    const list = this.free.get(buffer.byteLength);
    if (list) list.push(buffer);
    else this.free.set(buffer.byteLength, [buffer]);
  }

  take(bytes: number): ArrayBuffer | undefined {
    return this.free.get(bytes)?.pop();
  }

  /** Bytes held (for tests and memory reports). */
  get heldBytes(): number {
    let n = 0;
    for (const [bytes, list] of this.free) n += bytes * list.length;
    return n;
  }
}

/**
 * The pool of the program running now, the buffers its kernels were handed
 * during this run, and the buffers a backend keeps in its own memory only while
 * the outermost program runs (`scopedBuffers`).
 */
let current: { pool: BufferPool; handed: Set<ArrayBuffer>; scoped: Set<ScopedBuffer> } | null = null;

/**
 * Runs `f` with `pool` as the source of output buffers (nested programs bring
 * their own). Every buffer that `outputBuffer` hands out meanwhile is added to
 * `handed`: only those can be given back, since nothing but the program holds them.
 * `scoped` collects the program's buffers in a backend's memory (nested programs share the outermost's).
 */
export function withBufferPool<T>(
  pool: BufferPool,
  handed: Set<ArrayBuffer>,
  scoped: Set<ScopedBuffer>,
  f: () => T,
): T {
  const saved = current;
  current = { pool, handed, scoped };
  try {
    return f();
  } finally {
    current = saved;
  }
}

/**
 * An array for a kernel's output that the kernel overwrites completely: its
 * contents are unspecified (a recycled buffer) inside a compiled program, zero otherwise.
 */
export function outputBuffer(dtype: DType, size: number): TypedArray {
  const bytes = size * BYTES[dtype];
  if (current === null || bytes < POOL_MIN_BYTES) return allocate(dtype, size);
  const buffer = current.pool.take(bytes) ?? new ArrayBuffer(bytes);
  current.handed.add(buffer);
  return new TYPED_ARRAYS[dtype](buffer);
}

/**
 * The JS memory behind array `x` if the pool may take it back: its values must be
 * in JS memory (a HostBuffer) and fill the whole of a plain ArrayBuffer.
 */
export function poolableBuffer(x: NdArray): ArrayBuffer | null {
  if (!(x._buffer instanceof HostBuffer)) return null;
  const data = x._buffer.data;
  if (data.byteLength < POOL_MIN_BYTES || data.byteOffset !== 0) return null;
  const buffer = data.buffer;
  return buffer instanceof ArrayBuffer && buffer.byteLength === data.byteLength ? buffer : null;
}

/**
 * Where a backend registers a buffer it keeps in its own memory while a
 * compiled program runs, or null outside programs. The program disposes each
 * such buffer after its last reader, and moves those it returns to JS memory
 * when the outermost program ends (compile/run-program.ts): such buffers never
 * outlive the program, so their memory never waits for the garbage collector.
 */
export function scopedBuffers(): Set<ScopedBuffer> | null {
  return current === null ? null : current.scoped;
}

/** The buffer behind `x` if it is one of a program's scoped buffers. */
export function scopedBufferOf(x: NdArray, scoped: Set<ScopedBuffer>): ScopedBuffer | null {
  const b = x._buffer as ScopedBuffer | null;
  return b !== null && scoped.has(b) ? b : null;
}

/** `x` as a program returns it: with its values moved to JS memory if they are in a scoped buffer. */
export function handedOver(x: NdArray, scoped: Set<ScopedBuffer>): NdArray {
  const b = scopedBufferOf(x, scoped);
  return b === null ? x : new NdArray(x.aval, b.toHost());
}
