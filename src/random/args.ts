/** Argument checks shared by the samplers: keys, shapes, dtypes, parameter shapes, and the option checks. */
import { NdArray, type ArrayLike } from "../core/array.js";
import { shapeStr, type Shape } from "../core/aval.js";
import { defaultFloat, isFloat, SHORT_NAME, type DType } from "../core/dtypes.js";
import { ArgumentTypeError, DTypeError, ShapeError } from "../core/errors.js";
import { check, describeValue, is, oneOf, orNull } from "../core/options.js";
import { asArray } from "../primitives/as-array.js";
import { broadcastShapes } from "../primitives/shapes.js";

const KEY_HINT = "Make keys with random.key(seed) (or random.PRNGKey(seed)) and new ones with random.split(key).";

/** A legacy threefry key: a uint32 array of shape [2] (a tracer of that aval inside transformations). */
export function checkKey(op: string, key: unknown): NdArray {
  if (!(key instanceof NdArray)) {
    throw new DTypeError(
      `[random.${op}] a key must be a uint32 array of shape [2]: got ${describeValue(key)}, expected u32[2]. ${KEY_HINT}`,
    );
  }
  if (key.dtype !== "uint32") {
    throw new DTypeError(
      `[random.${op}] a key must be a uint32 array of shape [2]: got ${key.aval.str()}, expected u32[2]. ${KEY_HINT}`,
    );
  }
  if (key.ndim !== 1 || key.shape[0] !== 2) {
    const batched = key.ndim > 1 && key.shape[key.ndim - 1] === 2;
    const hint = batched
      ? "This is an array of keys: pass one of them (keys.get(i)), or map over them with vmap."
      : KEY_HINT;
    throw new ShapeError(
      `[random.${op}] ${batched ? `${op} accepts a single key, but was given a key array` : "a key must be a uint32 array of shape [2]"}: ` +
        `got ${key.aval.str()}, expected u32[2]. ${hint}`,
    );
  }
  return key;
}

/** A shape: a JS array of non-negative integers (as JAX, a bare number is not a shape). */
export function checkShape(op: string, shape: unknown): number[] {
  const ok = Array.isArray(shape) && shape.every((d) => typeof d === "number" && Number.isInteger(d) && d >= 0);
  if (!ok) {
    const hint = typeof shape === "number" ? ` Write the shape as a list: [${shape}].` : "";
    throw new ShapeError(
      `[random.${op}] invalid shape: got ${describeValue(shape)}, expected an array of non-negative integers such as [2, 3].${hint}`,
    );
  }
  return checkDrawSize(op, [...(shape as number[])]);
}

/** Counters are 32-bit here (JAX's are 64-bit): a draw must have fewer than 2^32 values. */
export function checkDrawSize(op: string, shape: number[]): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n >= 2 ** 32) {
    throw new ShapeError(
      `[random.${op}] too many values in one draw: got shape ${shapeStr(shape)} (${n} values), expected fewer than 2^32. ` +
        `Split the key and draw in parts.`,
    );
  }
  return shape;
}

/** A float dtype for a sampler; the default is the default float (float64 under enableX64). JAX's wording. */
export function floatDType(op: string, dtype: DType | null | undefined): "float32" | "float64" {
  if (dtype === undefined || dtype === null) return defaultFloat() as "float32" | "float64";
  if (isFloat(dtype)) return dtype as "float32" | "float64";
  throw new DTypeError(
    `[random.${op}] dtype argument to \`${op}\` must be a float dtype: got ${SHORT_NAME[dtype]}, expected "float32" or "float64".`,
  );
}

/** An integer dtype for randint; int32 by default (there is no int64). */
export function intDType(op: string, dtype: DType | null | undefined): "int32" | "uint32" {
  if (dtype === undefined || dtype === null) return "int32";
  if (dtype === "int32" || dtype === "uint32") return dtype;
  throw new DTypeError(
    `[random.${op}] ${op} only accepts integer dtypes: got ${SHORT_NAME[dtype]}, expected "int32" or "uint32".`,
  );
}

/**
 * JAX's `_check_shape`: parameter shapes must broadcast to the requested shape,
 * and the broadcast must be that shape (parameters do not add axes).
 */
export function checkParamShapes(op: string, shape: Shape, ...params: Shape[]): void {
  const joined = broadcastShapes(`random.${op}`, shape, ...params);
  if (joined.length !== shape.length || joined.some((d, i) => d !== shape[i])) {
    throw new ShapeError(
      `[random.${op}] parameter shapes must broadcast to the shape argument: got parameter shapes ` +
        `${params.map(shapeStr).join(", ")} for shape ${shapeStr(shape)}, which broadcast to ${shapeStr(joined)}, ` +
        `expected ${shapeStr(shape)}. Pass a shape that includes the parameters' axes, or omit it.`,
    );
  }
}

/** A non-negative integer count (split's num). */
export function checkCount(op: string, what: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new ShapeError(
      `[random.${op}] ${what} must be a non-negative integer: got ${describeValue(n)}, expected 0, 1, 2, ...`,
    );
  }
  checkDrawSize(op, [n]);
  return n;
}

/** A required array argument (bounds, logits, probabilities): checked, then an array. */
export function arrayArg(op: string, name: string, x: unknown): NdArray {
  if (!is.arrayLike.test(x)) {
    throw new ArgumentTypeError(
      `[random.${op}] ${name} must be an array: got ${describeValue(x)}, expected ${is.arrayLike.expected}.`,
    );
  }
  return asArray(x as ArrayLike, undefined, `random.${op}`);
}

/** The option checks the samplers share. */
export const opt = {
  /** Loose on purpose: the values are checked by {@link checkShape}, which explains a bare number. */
  shape: check<readonly number[]>(
    "a shape (an array of non-negative integers such as [2, 3])",
    (v) => Array.isArray(v) || typeof v === "number",
  ),
  dtype: orNull(is.dtype),
  array: is.arrayLike,
  mode: orNull(oneOf("low", "high")),
  /** JAX's keyword-only `out_sharding`: one device here, so only null (the default). */
  outSharding: check<null>("null (cotangent runs on one device: there is no sharding to choose)", (v) => v === null),
};
