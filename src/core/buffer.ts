/**
 * The handle an array holds on its values: a `DeviceBuffer`, owned by the
 * backend that made it. Upper layers never look inside; they pass buffers to a
 * backend (backends/api.ts) or read them through these methods.
 *
 * Backends that run on the host keep values in JS memory (`HostBuffer`): they
 * share the same typed arrays, so an array made by one runs on whichever host
 * backend is selected, with no copy.
 */
import type { DType, TypedArray } from "./dtypes.js";

/** A backend's storage for one array's values (row-major). */
export interface DeviceBuffer {
  /** The platform whose memory holds the values: "cpu" (JS memory, shared by the host backends) or a device's. */
  readonly platform: string;
  readonly dtype: DType;
  readonly size: number;
  /** The values, once the work that produces them is done (`x.data()`). */
  read(): Promise<TypedArray>;
  /** The values now (`x.dataSync()`); a typed error naming `await x.data()` where a backend cannot read synchronously. */
  readSync(): TypedArray;
  /** Releases the storage early; a FinalizationRegistry does it otherwise (JS memory is simply collected). */
  dispose(): void;
}

/** Values in JS memory: the buffers of the host backends. */
export class HostBuffer implements DeviceBuffer {
  readonly platform = "cpu";
  constructor(
    readonly dtype: DType,
    /** The values themselves (not a copy): nothing may write them once the buffer is made. */
    readonly data: TypedArray,
  ) {}
  get size(): number {
    return this.data.length;
  }
  read(): Promise<TypedArray> {
    return Promise.resolve(this.data);
  }
  readSync(): TypedArray {
    return this.data;
  }
  dispose(): void {
    // JS memory is garbage collected: nothing to release early.
  }
}

/**
 * A buffer a backend keeps in its own memory only while a compiled program
 * runs (core/buffers.ts `scopedBuffers`): the program disposes it, or moves it
 * to JS memory when it returns it.
 */
export interface ScopedBuffer extends DeviceBuffer {
  /** The values in a new buffer in JS memory (this one is disposed right after). */
  toHost(): HostBuffer;
}
