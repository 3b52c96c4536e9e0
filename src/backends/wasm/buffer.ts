/**
 * Arrays kept in the worker pool's WebAssembly memory while a compiled program
 * runs, so that one kernel's result feeds the next kernel or matrix product in
 * place instead of being copied out to JS memory and back in.
 *
 * Such a buffer lives only inside a program (core/buffers.ts `scopedBuffers`):
 * the program disposes it after its last reader and moves its results to JS
 * memory, so nothing waits on the garbage collector to free WebAssembly memory
 * and users never hold one. Where the memory cannot hold another region the
 * backend makes an ordinary JS-memory buffer instead.
 *
 * A region holds the values and then zeros up to a whole loop step (16
 * elements): kernels read and write whole steps, and zero padding gives the
 * lanes past the end the same values as the copying path does.
 */
import { HostBuffer, type DeviceBuffer, type ScopedBuffer } from "../../core/buffer.js";
import { outputBuffer, scopedBuffers } from "../../core/buffers.js";
import { allocate, itemsize, TYPED_ARRAYS, type DType, type TypedArray } from "../../core/dtypes.js";
import { CotangentError } from "../../core/errors.js";
import { allocRegion, freeRegion } from "./heap.js";
import { getPool, type Pool } from "./threads.js";

export const residentTuning = {
  /** Arrays smaller than this stay in JS memory: copying them costs less than the bookkeeping (Infinity: none stay). */
  minBytes: 1 << 14,
  /**
   * The most bytes of arrays kept at once: beyond, results go to JS memory, so
   * that a program with large intermediates leaves room for its kernels'
   * working space and never grows the memory (which never shrinks) to its maximum.
   */
  maxBytes: 256 << 20,
};

/** Bytes of the arrays kept now. */
let keptBytes = 0;

const pad16 = (n: number) => (n + 15) & ~15;

/** The copies `inputOf` made in each program (by the outermost program's set of scoped buffers), by the values copied. */
const mirrors = new WeakMap<Set<ScopedBuffer>, Map<TypedArray, WasmBuffer>>();

export class WasmBuffer implements ScopedBuffer {
  readonly platform = "wasm";
  /** The values as read once into JS memory (the buffer is immutable once its kernel has run). */
  private host: TypedArray | null = null;
  private released = false;

  private constructor(
    private readonly pool: Pool,
    readonly dtype: DType,
    readonly size: number,
    /** The byte address of element 0 in the pool's memory. */
    readonly at: number,
  ) {}

  /** The bytes a region for `size` elements of `dtype` takes (padded to whole loop steps). */
  static regionBytes(dtype: DType, size: number): number {
    return pad16(size) * itemsize(dtype);
  }

  /** A buffer in the pool's memory, registered with the running program; null outside programs, or when it does not fit. */
  static inProgram(dtype: DType, size: number): WasmBuffer | null {
    const scope = scopedBuffers();
    const bytes = WasmBuffer.regionBytes(dtype, size);
    if (scope === null || bytes < residentTuning.minBytes || keptBytes + bytes > residentTuning.maxBytes) return null;
    const pool = getPool();
    const at = pool === null ? null : allocRegion(pool, bytes);
    if (at === null) return null;
    keptBytes += bytes;
    const b = new WasmBuffer(pool!, dtype, size, at);
    b.zeroPadding();
    scope.add(b);
    return b;
  }

  /**
   * The values of `b` in the pool's memory, inside a program: `b` itself if it
   * is there, else a copy made on first use and kept until the program ends (an
   * input or constant read by several kernels is copied in once). Null outside
   * programs and when the memory cannot hold it.
   */
  static inputOf(b: DeviceBuffer): WasmBuffer | null {
    if (b instanceof WasmBuffer) return b;
    const scope = scopedBuffers();
    if (scope === null) return null;
    let copies = mirrors.get(scope);
    if (copies === undefined) mirrors.set(scope, (copies = new Map()));
    const data = b.readSync();
    let copy = copies.get(data);
    if (copy === undefined) {
      const made = WasmBuffer.inProgram(b.dtype, b.size);
      if (made === null) return null;
      made.view().set(data as never);
      copies.set(data, (copy = made));
    }
    return copy;
  }

  /** The values in place (valid until the memory grows: take a fresh view after any allocation). */
  view(): TypedArray {
    this.check();
    return new TYPED_ARRAYS[this.dtype](this.pool.memory.buffer, this.at, this.size) as TypedArray;
  }

  /** Zeros the padding after the values (kernels and products write whole steps or exactly the values). */
  zeroPadding(): void {
    const padded = new TYPED_ARRAYS[this.dtype](this.pool.memory.buffer, this.at, pad16(this.size));
    padded.fill(0, this.size);
  }

  read(): Promise<TypedArray> {
    return Promise.resolve(this.readSync());
  }

  /** A copy in JS memory (made once): cpu routines and results never alias the pool's memory. */
  readSync(): TypedArray {
    if (this.host === null) {
      const copy = allocate(this.dtype, this.size);
      copy.set(this.view() as never);
      this.host = copy;
    }
    return this.host;
  }

  /** The values in JS memory, in a buffer of the running program's pool when there is one (written once, then read). */
  toHost(): HostBuffer {
    const data = outputBuffer(this.dtype, this.size);
    data.set(this.view() as never);
    return new HostBuffer(this.dtype, data);
  }

  dispose(): void {
    if (this.released) return;
    this.released = true;
    this.host = null;
    const bytes = WasmBuffer.regionBytes(this.dtype, this.size);
    keptBytes -= bytes;
    freeRegion(this.pool, this.at, bytes);
  }

  private check(): void {
    if (this.released) {
      throw new CotangentError(
        `[wasm] an array of a compiled program was read after the program released it. ` +
          `Arrays a program returns are in JS memory; this one was an intermediate value.`,
      );
    }
  }
}

/**
 * A buffer for a kernel or product to overwrite: in the pool's memory inside a
 * program when it fits, else in JS memory (recycled inside programs: core/buffers.ts).
 */
export function allocOutput(dtype: DType, size: number): DeviceBuffer {
  return WasmBuffer.inProgram(dtype, size) ?? new HostBuffer(dtype, outputBuffer(dtype, size));
}
