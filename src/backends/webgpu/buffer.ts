/**
 * Arrays in GPU memory. Every dtype takes 32 bits per element there (WGSL has
 * no 8-bit storage): bool is stored as u32 0/1 and converted on upload and read.
 */
import type { DeviceBuffer } from "../../core/buffer.js";
import { DTypeError } from "../../core/errors.js";
import { allocate, type DType, type TypedArray } from "../../core/dtypes.js";
import { readBack, writeBuffer } from "./device.js";
import { WebGpuError, disposedMessage, float64Message, syncReadMessage } from "./errors.js";
import { bytesFor, collected, giveBuffer, takeBuffer } from "./pool.js";

/** The WGSL storage type of a dtype (float64 is a DTypeError naming `op`). */
export function wgslType(dtype: DType, op: string): "f32" | "i32" | "u32" {
  if (dtype === "float64") throw new DTypeError(float64Message(op));
  return dtype === "float32" ? "f32" : dtype === "int32" ? "i32" : "u32";
}

export class WebGpuBuffer implements DeviceBuffer {
  readonly platform = "webgpu";
  #gpu: GPUBuffer | null;

  constructor(
    readonly dtype: DType,
    readonly size: number,
    gpu: GPUBuffer,
  ) {
    this.#gpu = gpu;
    collected.register(this, gpu, this);
  }

  /** The GPU buffer; a WebGpuError after `dispose()`. */
  get gpu(): GPUBuffer {
    if (this.#gpu === null) throw new WebGpuError(disposedMessage(this.dtype, this.size));
    return this.#gpu;
  }

  async read(): Promise<TypedArray> {
    if (this.size === 0) return allocate(this.dtype, 0);
    const bytes = await readBack(this.gpu, this.size * 4);
    const out = allocate(this.dtype, this.size);
    if (this.dtype === "bool") {
      const words = new Uint32Array(bytes);
      for (let i = 0; i < this.size; i++) out[i] = words[i] !== 0 ? 1 : 0;
    } else {
      new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(new Uint8Array(bytes));
    }
    return out;
  }

  readSync(): TypedArray {
    throw new WebGpuError(syncReadMessage(this.dtype, this.size));
  }

  dispose(): void {
    if (this.#gpu === null) return;
    collected.unregister(this);
    giveBuffer(this.#gpu);
    this.#gpu = null;
  }
}

/** A buffer of `size` elements whose contents a kernel will write. */
export function allocGpu(dtype: DType, size: number, op = "webgpu"): WebGpuBuffer {
  wgslType(dtype, op);
  return new WebGpuBuffer(dtype, size, takeBuffer(bytesFor(size)));
}

/** A buffer holding `data` (bool as u32 words). */
export function uploadGpu(dtype: DType, data: TypedArray, op = "webgpu"): WebGpuBuffer {
  const b = allocGpu(dtype, data.length, op);
  const words = dtype === "bool" ? Uint32Array.from(data) : data;
  if (words.length > 0) writeBuffer(b.gpu, words);
  return b;
}

/** Host values already on the GPU, by their (never written) typed array: each is uploaded once. */
const uploaded = new WeakMap<TypedArray, WebGpuBuffer>();

/** `b` on the GPU: itself, or its values uploaded (once per host array). */
export function onGpu(b: DeviceBuffer, op: string): WebGpuBuffer {
  if (b instanceof WebGpuBuffer) return b;
  wgslType(b.dtype, op);
  const data = b.readSync();
  let g = uploaded.get(data);
  if (g === undefined) {
    g = uploadGpu(b.dtype, data, op);
    uploaded.set(data, g);
  }
  return g;
}

/** One result as a routine's list of results; null (not run here) stays null. */
export const oneResult = (out: WebGpuBuffer | null): WebGpuBuffer[] | null => (out === null ? null : [out]);
