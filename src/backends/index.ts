/**
 * Backends: where kernels run. `cpu` is plain JavaScript, the reference;
 * `wasm` runs generated WebAssembly kernels where they exist (today: float32
 * matrix multiply) and the cpu kernels elsewhere. Arrays live in JS memory.
 */
import { config } from "../core/config.js";
import { wasmGemmAvailable } from "./wasm/gemm.js";

export interface Device {
  /** The backend's name: "cpu". */
  readonly platform: string;
  readonly id: number;
  toString(): string;
}

const device = (platform: string): Device => ({
  platform,
  id: 0,
  toString: () => `${platform === "cpu" ? "Cpu" : "Wasm"}Device(id=0)`,
});

/** `jax.devices()`: the devices of the default backend. */
export function devices(): Device[] {
  return [device(defaultBackend())];
}

/** `jax.default_backend()`: "wasm" where WebAssembly SIMD is available (unless `config.platform` is "cpu"), else "cpu". */
export function defaultBackend(): string {
  return config.values.platform === "wasm" && wasmGemmAvailable() ? "wasm" : "cpu";
}
