/** Global switches, as `jax.config`. */
import { ArgumentTypeError } from "./errors.js";

/** The settings of {@link config} and their types, as JAX's flags (`jax.config`). */
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
   * where the platform has WebAssembly SIMD), "cpu" (plain JavaScript, the reference) or
   * "webgpu" (the GPU, once `await init("webgpu")` has resolved with it).
   */
  platform: "wasm" | "cpu" | "webgpu";
}

const values: ConfigValues = {
  enableX64: false,
  debugNans: false,
  checkCustomRules: false,
  disableBwdChecks: false,
  platform: "wasm",
};

/** Each key's allowed values: a description and a test. */
const checks: { [K in keyof ConfigValues]: [string, (v: unknown) => boolean] } = {
  enableX64: ["a boolean", (v) => typeof v === "boolean"],
  debugNans: ["a boolean", (v) => typeof v === "boolean"],
  checkCustomRules: ["a boolean", (v) => typeof v === "boolean"],
  disableBwdChecks: ["a boolean", (v) => typeof v === "boolean"],
  platform: ['"wasm", "cpu" or "webgpu"', (v) => v === "wasm" || v === "cpu" || v === "webgpu"],
};

/** Checks a platform beyond wasm and cpu before it is selected (installed by backends/api.ts). */
let platformCheck: (platform: string) => void = () => {};

/** @internal Installs the check that a device platform is ready (its `init` has resolved). */
export function installPlatformCheck(check: (platform: string) => void): void {
  platformCheck = check;
}

/** JAX's flag names, for the hint of an unknown key. */
const JAX_NAMES: Record<string, keyof ConfigValues> = {
  jax_enable_x64: "enableX64",
  jax_debug_nans: "debugNans",
  jax_disable_bwd_checks: "disableBwdChecks",
  jax_platforms: "platform",
  jax_platform_name: "platform",
};

function show(v: unknown): string {
  if (typeof v === "string") return `string ${JSON.stringify(v)}`;
  if (v === null || v === undefined) return String(v);
  if (typeof v === "object") return Array.isArray(v) ? "an array" : "an object";
  return `${typeof v} ${String(v)}`;
}

/** The key, checked: only the settings themselves (never inherited names such as `__proto__`). */
function checkKey(op: string, name: unknown): keyof ConfigValues {
  if (typeof name === "string" && Object.hasOwn(values, name)) return name as keyof ConfigValues;
  const known = Object.keys(values).join(", ");
  const close =
    typeof name === "string"
      ? (JAX_NAMES[name] ?? Object.keys(values).find((k) => k.toLowerCase() === name.toLowerCase().replace(/_/g, "")))
      : undefined;
  throw new ArgumentTypeError(
    `[${op}] unknown option ${typeof name === "string" ? `"${name}"` : show(name)}: expected one of ${known}.` +
      (close ? ` Did you mean "${close}"?` : ""),
  );
}

/**
 * `jax.config`: `config.update("enableX64", true)`, `config.read("debugNans")`.
 *
 * @example
 * config.update("enableX64", true); // float64 by default, as jax_enable_x64
 * np.ones([2]).dtype; // "float64"
 * config.update("enableX64", false);
 */
export const config = {
  /**
   * Sets one setting, as `jax.config.update(name, value)` (JAX's flag names such as
   * "jax_enable_x64" are pointed to their camelCase keys); an unknown name or a value of the
   * wrong type is an ArgumentTypeError.
   *
   * @example
   * config.update("debugNans", true);
   */
  update<K extends keyof ConfigValues>(name: K, value: ConfigValues[K], ...rest: []): void {
    const key = checkKey("config.update", name);
    if (rest.length > 0) {
      throw new ArgumentTypeError(
        `[config.update] too many arguments: got ${2 + rest.length}, expected 2 (a setting's name and its value).`,
      );
    }
    const [expected, test] = checks[key];
    if (!test(value)) {
      const what = key === "platform" ? "unknown platform: " : "";
      throw new ArgumentTypeError(`[config.update] ${what}option "${key}" must be ${expected}: got ${show(value)}.`);
    }
    if (key === "platform" && value !== "wasm" && value !== "cpu") platformCheck(value as string);
    (values as unknown as Record<string, unknown>)[key] = value;
  },
  /**
   * Reads one setting, as `jax.config.read(name)`; an unknown name is an ArgumentTypeError.
   *
   * @example
   * config.read("enableX64"); // false
   */
  read<K extends keyof ConfigValues>(name: K): ConfigValues[K] {
    return values[checkKey("config.read", name) as K];
  },
  /** Every setting and its current value (read-only), as `jax.config.values`. */
  get values(): Readonly<ConfigValues> {
    return values;
  },
};
