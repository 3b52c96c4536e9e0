/** Global switches, as `jax.config`. */

export interface ConfigValues {
  /** Make float64 (and not float32) the default float dtype, as `jax_enable_x64`. */
  enableX64: boolean;
  /** Throw a FloatingPointError at the first primitive that produces a NaN, as `jax_debug_nans`. */
  debugNans: boolean;
  /** Compare each custom rule with autodiff of its primal function the first time it runs. */
  checkCustomRules: boolean;
  /** Skip the shape checks of customVjp bwd outputs, as `jax_disable_bwd_checks`. */
  disableBwdChecks: boolean;
  /**
   * Where kernels run, as `jax_platforms`: "wasm" (generated WebAssembly, the default
   * where the platform has WebAssembly SIMD) or "cpu" (plain JavaScript, the reference).
   */
  platform: "wasm" | "cpu";
}

const values: ConfigValues = {
  enableX64: false,
  debugNans: false,
  checkCustomRules: false,
  disableBwdChecks: false,
  platform: "wasm",
};

/** `jax.config`: `config.update("enableX64", true)`, `config.read("debugNans")`. */
export const config = {
  update<K extends keyof ConfigValues>(name: K, value: ConfigValues[K]): void {
    if (!(name in values)) {
      const known = Object.keys(values).join(", ");
      throw new Error(`[config.update] unknown option: got "${String(name)}", expected one of ${known}.`);
    }
    if (name === "platform" && value !== "wasm" && value !== "cpu") {
      throw new Error(`[config.update] unknown platform: got ${JSON.stringify(value)}, expected "wasm" or "cpu".`);
    }
    values[name] = value;
  },
  read<K extends keyof ConfigValues>(name: K): ConfigValues[K] {
    return values[name];
  },
  get values(): Readonly<ConfigValues> {
    return values;
  },
};
