/**
 * Dtypes and JAX's type promotion.
 *
 * JAX promotes along a lattice in which JS numbers (like Python scalars) are
 * "weakly typed": they take the dtype of the array they meet. Two choices here
 * differ from Python because JS has one number type:
 *  - a JS number on its own is a weak float (`np.array(2)` is float32, as `jnp.array(2.)`);
 *  - a JS number that is a whole number, met with an integer array, is a weak
 *    integer (`idx.add(1)` stays int32, as `idx + 1` does in JAX).
 */
import { config } from "./config.js";
import { DTypeError } from "./errors.js";

/**
 * The name of an element type: "float32" (the default float), "float64" (the default with
 * `config.update("enableX64", true)`), "int32", "uint32" or "bool".
 */
export type DType = "float32" | "float64" | "int32" | "uint32" | "bool";

/**
 * The typed array `x.dataSync()` and `await x.data()` give: Float32Array, Float64Array,
 * Int32Array, Uint32Array, or Uint8Array for bool.
 */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

export const DTYPES: readonly DType[] = ["float32", "float64", "int32", "uint32", "bool"];

/** JAX's short names, used when printing avals (`f32[3,4]`). */
export const SHORT_NAME: Record<DType, string> = {
  float32: "f32",
  float64: "f64",
  int32: "i32",
  uint32: "u32",
  bool: "bool",
};

export function isDType(x: unknown): x is DType {
  return typeof x === "string" && (DTYPES as readonly string[]).includes(x);
}

export function isFloat(d: DType): boolean {
  return d === "float32" || d === "float64";
}

export function isInteger(d: DType): boolean {
  return d === "int32" || d === "uint32";
}

export function itemsize(d: DType): number {
  return d === "float64" ? 8 : d === "bool" ? 1 : 4;
}

/** The typed array class that holds each dtype's values. */
export const TYPED_ARRAYS = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint32: Uint32Array,
  bool: Uint8Array,
} as const;

/** The float dtype JAX would pick by default (`jax_enable_x64` decides). */
export function defaultFloat(): DType {
  return config.read("enableX64") ? "float64" : "float32";
}

export function allocate(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(size);
    case "float64":
      return new Float64Array(size);
    case "int32":
      return new Int32Array(size);
    case "uint32":
      return new Uint32Array(size);
    case "bool":
      return new Uint8Array(size);
  }
}

/** Parses a dtype given by name, or throws a DTypeError listing the valid ones. */
export function checkDType(op: string, d: unknown): DType {
  if (isDType(d)) return d;
  throw new DTypeError(`[${op}] unknown dtype: got ${JSON.stringify(d)}, expected one of ${DTYPES.join(", ")}.`);
}

// --- promotion -----------------------------------------------------------

/** A dtype and whether it is weak, the unit of JAX's promotion lattice. */
export interface TypeKey {
  dtype: DType;
  weak: boolean;
}

const KIND_RANK = { bool: 0, int: 1, float: 2 } as const;

function kind(d: DType): keyof typeof KIND_RANK {
  return d === "bool" ? "bool" : isInteger(d) ? "int" : "float";
}

/**
 * Joins two types as JAX does (`jnp.promote_types` with weak types):
 * the higher kind wins; a strong type beats a weak type of the same or lower kind;
 * int32 with uint32 gives int32 (JAX's int64, canonicalised without x64).
 */
export function promoteTypes(a: TypeKey, b: TypeKey): TypeKey {
  const ka = KIND_RANK[kind(a.dtype)];
  const kb = KIND_RANK[kind(b.dtype)];
  if (a.weak && b.weak) return ka >= kb ? a : b;
  if (a.weak !== b.weak) {
    const [strong, weak] = a.weak ? [b, a] : [a, b];
    const ks = KIND_RANK[kind(strong.dtype)];
    const kw = KIND_RANK[kind(weak.dtype)];
    // A weak scalar only moves the result up a kind: int32 + 1.5 is a (weak) float.
    if (kw <= ks) return { dtype: strong.dtype, weak: false };
    if (kind(weak.dtype) === "int") return { dtype: "int32", weak: true };
    return { dtype: weak.dtype === "float64" ? "float64" : defaultFloat(), weak: true };
  }
  if (a.dtype === b.dtype) return a;
  if (ka !== kb) return ka > kb ? a : b;
  if (kind(a.dtype) === "float") return { dtype: "float64", weak: false };
  return { dtype: "int32", weak: false };
}

export function resultType(keys: TypeKey[]): TypeKey {
  let out = keys[0];
  for (let i = 1; i < keys.length; i++) out = promoteTypes(out, keys[i]);
  return out;
}
