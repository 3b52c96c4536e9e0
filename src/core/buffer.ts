/**
 * The handle an array holds on its values: a `DeviceBuffer`, owned by the
 * backend that made it. Upper layers never look inside; they pass buffers to a
 * backend (backends/api.ts) or read them through these methods.
 *
 * The cpu and wasm backends keep values in JS memory (`HostBuffer`): both run
 * on the same typed arrays, so an array made by either runs on whichever of the
 * two is selected, with no copy.
 */
import type { DType, TypedArray } from "./dtypes.js";

/** A backend's storage for one array's values (row-major). */
export interface DeviceBuffer {
  /** The platform whose memory holds the values: "cpu" (JS memory, shared by cpu and wasm) or a device's. */
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

/** Values in JS memory: the buffers of the cpu and wasm backends. */
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
