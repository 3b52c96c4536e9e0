/**
 * The GPU for the webgpu columns of `npm run bench`. In Node, `navigator.gpu` comes from the `webgpu` package (Dawn):
 * jax-js looks for `navigator.gpu` only, and cotangent uses it when present, so both libraries open the same adapter.
 */
import { cpus } from "node:os";

/** What the adapter is, for the report; `software` when it is a CPU emulating a GPU (lavapipe, SwiftShader). */
export interface AdapterReport {
  description: string;
  software: boolean;
}

/** Thrown by a webgpu peer's setup when no adapter is found: its cells then read "no adapter". */
export class NoAdapterError extends Error {
  override name = "NoAdapterError";
}

type Nav = { gpu?: GPU; userAgent?: string; hardwareConcurrency?: number };

/**
 * Makes `navigator.gpu` exist (Node 20 has no `navigator`; Node 21+ has one without `gpu`), with the WebGPU constants
 * (`GPUBufferUsage`, `GPUMapMode`, …) browsers define. The Dawn instance lives as long as `navigator` holds it.
 */
export async function installNavigatorGpu(): Promise<GPU> {
  const g = globalThis as unknown as { navigator?: Nav };
  if (g.navigator?.gpu) return g.navigator.gpu;
  let mod: { create(flags: string[]): GPU; globals: object };
  try {
    mod = (await import("webgpu")) as unknown as typeof mod;
  } catch (e) {
    throw new NoAdapterError(`the "webgpu" package did not load (npm i webgpu): ${String(e).split("\n")[0]}`);
  }
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  const gpu = mod.create([]);
  if (g.navigator) Object.defineProperty(g.navigator, "gpu", { value: gpu, configurable: true });
  else g.navigator = { gpu, userAgent: `Node.js/${process.version}`, hardwareConcurrency: cpus().length };
  return gpu;
}

/** The adapter's description, or a NoAdapterError saying why there is none. */
export async function describeAdapter(): Promise<AdapterReport> {
  const gpu = await installNavigatorGpu();
  const adapter = await gpu.requestAdapter();
  if (adapter === null) throw new NoAdapterError("no WebGPU adapter (navigator.gpu.requestAdapter() gave null)");
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const description = [info.vendor, info.architecture, info.description || info.device].filter(Boolean).join(" / ");
  const software =
    info.isFallbackAdapter === true ||
    info.architecture === "software" ||
    /llvmpipe|lavapipe|swiftshader/i.test(`${info.description} ${info.device}`);
  return { description, software };
}
