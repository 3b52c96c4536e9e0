/// <reference types="@webgpu/types" />
/**
 * The GPU device and its command stream. In Node the optional `webgpu` package
 * (Dawn) provides `navigator.gpu`'s twin; in browsers `navigator.gpu` itself.
 *
 * Work is recorded into one command encoder (one compute pass per dispatch) and
 * submitted in batches: when a read needs the results, before a host write
 * (`queue.writeBuffer` runs ahead of unsubmitted commands), every `BATCH`
 * dispatches, and at the end of the current synchronous task (a microtask).
 */
import type { DType } from "../../core/dtypes.js";
import { WebGpuError, missingPackageMessage, noAdapterMessage } from "./errors.js";

/** Dispatches recorded before a submit is forced. */
const BATCH = 64;

interface Gpu {
  /** Held for the life of the device: Dawn tears the device down when its instance is collected. */
  instance: GPU;
  adapter: GPUAdapter;
  device: GPUDevice;
  /** The largest storage binding, in bytes. */
  maxBinding: number;
  maxStorageBuffers: number;
}

let gpu: Gpu | null = null;
let encoder: GPUCommandEncoder | null = null;
let recorded = 0;
/** Uniform buffers of the recorded dispatches, destroyed once submitted. */
let temporaries: GPUBuffer[] = [];
let flushScheduled = false;
/** The first error the device reported since the last read (an invalid shader would otherwise read as zeros). */
let deviceError: string | null = null;

/** The device; a WebGpuError before `await init("webgpu")` has made it. */
export function gpuDevice(): Gpu {
  if (gpu === null)
    throw new WebGpuError('[webgpu] no device yet: got no adapter, expected one. Call `await init("webgpu")` first.');
  return gpu;
}

export const hasDevice = (): boolean => gpu !== null;

/** The GPU entry point: `navigator.gpu` in browsers, the `webgpu` package (Dawn) in Node. */
async function gpuEntry(): Promise<{ gpu: GPU; where: string }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, where: "navigator.gpu" };
  // A name in a variable: bundlers leave the optional package out of the bundle.
  const name = "webgpu";
  let mod: { create(flags: string[]): GPU; globals: object };
  try {
    mod = (await import(/* @vite-ignore */ name)) as typeof mod;
  } catch (e) {
    throw new WebGpuError(missingPackageMessage(e instanceof Error ? e.message.split("\n")[0] : String(e)));
  }
  // GPUBufferUsage, GPUMapMode and friends, as browsers define them.
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  return { gpu: mod.create([]), where: 'the "webgpu" package (Dawn)' };
}

/** Makes the device (once). Rejects with a WebGpuError naming the cause. */
export async function openDevice(): Promise<void> {
  if (gpu !== null) return;
  const entry = await gpuEntry();
  const adapter = await entry.gpu.requestAdapter();
  if (adapter === null) throw new WebGpuError(noAdapterMessage(entry.where));
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
    },
  });
  device.addEventListener("uncapturederror", (e) => {
    deviceError ??= (e as GPUUncapturedErrorEvent).error.message;
  });
  gpu = {
    instance: entry.gpu,
    adapter,
    device,
    maxBinding: l.maxStorageBufferBindingSize,
    maxStorageBuffers: l.maxStorageBuffersPerShaderStage,
  };
}

/** Submits what is recorded. */
export function flush(): void {
  if (encoder === null) return;
  gpu!.device.queue.submit([encoder.finish()]);
  for (const b of temporaries) b.destroy();
  encoder = null;
  recorded = 0;
  temporaries = [];
}

function currentEncoder(): GPUCommandEncoder {
  if (encoder === null) {
    encoder = gpuDevice().device.createCommandEncoder();
    if (!flushScheduled) {
      flushScheduled = true;
      queueMicrotask(() => {
        flushScheduled = false;
        flush();
      });
    }
  }
  return encoder;
}

/** A shader and the layout of its bindings: 0 the uniforms, then `reads` read-only and `writes` writable storage buffers. */
interface Program {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
}

const programs = new Map<string, Program>();

/** How many pipelines exist (for tests: one serves every size). */
export const pipelineCount = (): number => programs.size;

function program(code: string, reads: number, writes: number): Program {
  const key = `${reads},${writes}\n${code}`;
  let p = programs.get(key);
  if (p === undefined) {
    const { device } = gpuDevice();
    const entries: GPUBindGroupLayoutEntry[] = [
      { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: "uniform" } },
    ];
    for (let i = 0; i < reads + writes; i++) {
      const type = i < reads ? "read-only-storage" : "storage";
      entries.push({ binding: i + 1, visibility: GPUShaderStage.COMPUTE, buffer: { type } });
    }
    const layout = device.createBindGroupLayout({ entries });
    const module = device.createShaderModule({ code });
    const pipeline = device.createComputePipeline({
      layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: "main" },
    });
    p = { pipeline, layout };
    programs.set(key, p);
  }
  return p;
}

/** The most workgroups along one dispatch dimension (WebGPU's guaranteed limit). */
export const MAX_GROUPS = 65535;

/**
 * Records one dispatch of `code` over `groups` workgroups ([x, y, z]), with
 * `uniforms` (u32 words, read in WGSL through `uget(i)`) and the buffers bound in order.
 */
export function dispatch(
  code: string,
  uniforms: ArrayLike<number>,
  reads: GPUBuffer[],
  writes: GPUBuffer[],
  groups: [number, number, number],
): void {
  if (groups[0] === 0 || groups[1] === 0 || groups[2] === 0) return;
  const { device } = gpuDevice();
  const p = program(code, reads.length, writes.length);
  const words = Math.max(4, Math.ceil(uniforms.length / 4) * 4);
  const ubuf = device.createBuffer({ size: words * 4, usage: GPUBufferUsage.UNIFORM, mappedAtCreation: true });
  new Uint32Array(ubuf.getMappedRange()).set(uniforms);
  ubuf.unmap();
  temporaries.push(ubuf);
  const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: ubuf } }];
  [...reads, ...writes].forEach((b, i) => entries.push({ binding: i + 1, resource: { buffer: b } }));
  const pass = currentEncoder().beginComputePass();
  pass.setPipeline(p.pipeline);
  pass.setBindGroup(0, device.createBindGroup({ layout: p.layout, entries }));
  pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
  pass.end();
  if (++recorded >= BATCH) flush();
}

/** Workgroup counts [x, y, 1] covering `n` workgroups (x at most MAX_GROUPS); shaders use `wid.x + wid.y * nwg.x`. */
export function spread(n: number): [number, number, number] {
  return n <= MAX_GROUPS ? [n, 1, 1] : [MAX_GROUPS, Math.ceil(n / MAX_GROUPS), 1];
}

/** The uniform declaration and reader shared by every shader (uniforms as 16-byte rows of u32). */
export function uniformDecl(words: number): string {
  const rows = Math.max(1, Math.ceil(words / 4));
  return (
    `struct U { v: array<vec4<u32>, ${rows}> }\n@group(0) @binding(0) var<uniform> u: U;\n` +
    "fn uget(i: u32) -> u32 { return u.v[i / 4u][i % 4u]; }\n"
  );
}

/** Copies `bytes` of `src` into a new host buffer and returns them, once the recorded work is done. */
export async function readBack(src: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  flush();
  const { device } = gpuDevice();
  const staging = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, staging, 0, bytes);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = staging.getMappedRange().slice(0);
  staging.unmap();
  staging.destroy();
  if (deviceError !== null) {
    const message = deviceError;
    deviceError = null;
    throw new WebGpuError(
      `[webgpu] the device reported an error: got "${message.split("\n")[0]}", expected none. This is a bug of the webgpu backend: please report it.`,
    );
  }
  return out;
}

/** Writes host values into `dst` (after the recorded work, which may still read its old contents). */
export function writeBuffer(dst: GPUBuffer, data: ArrayBufferView): void {
  flush();
  gpuDevice().device.queue.writeBuffer(dst, 0, data.buffer, data.byteOffset, data.byteLength);
}

/** Invocations per workgroup of the one-per-element shaders. */
const EACH_WG = 256;

/** The storage word type of a dtype in these shaders (bool is a u32 0 or 1). */
export const storageType = (d: DType): "f32" | "i32" | "u32" =>
  d === "float32" ? "f32" : d === "int32" ? "i32" : "u32";

/** The flat index of this invocation (dispatches spread over x and y, see device.ts). */
export const INVOCATION = `@compute @workgroup_size(${EACH_WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let e = (wid.x + wid.y * nwg.x) * ${EACH_WG}u + lid.x;`;

/** Records a dispatch of one invocation per element of `n`. */
export function dispatchEach(code: string, u: Uint32Array, reads: GPUBuffer[], writes: GPUBuffer[], n: number): void {
  dispatch(code, u, reads, writes, spread(Math.ceil(n / EACH_WG)));
}
