/** Argument checks shared by the samplers: keys, shapes, dtypes, parameter shapes. */
import { NdArray } from "../core/array.js";
import { shapeStr, type Shape } from "../core/aval.js";
import { defaultFloat, isDType, isFloat, SHORT_NAME, type DType } from "../core/dtypes.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { describe } from "../numpy/convert.js";
import { broadcastShapes } from "../primitives/shapes.js";

const KEY_HINT = "Make keys with random.key(seed) (or random.PRNGKey(seed)) and new ones with random.split(key).";

/** A legacy threefry key: a uint32 array of shape [2] (a tracer of that aval inside transformations). */
export function checkKey(op: string, key: unknown): NdArray {
  if (!(key instanceof NdArray)) {
    throw new DTypeError(
      `[random.${op}] a key must be a uint32 array of shape [2]: got ${describe(key)}, expected u32[2]. ${KEY_HINT}`,
    );
  }
  if (key.dtype !== "uint32") {
    throw new DTypeError(
      `[random.${op}] a key must be a uint32 array of shape [2]: got ${key.aval.str()}, expected u32[2]. ${KEY_HINT}`,
    );
  }
  if (key.ndim !== 1 || key.shape[0] !== 2) {
    const hint =
      key.ndim > 1 && key.shape[key.ndim - 1] === 2
        ? "This is an array of keys: pass one of them (keys.get(i)), or map over them with vmap."
        : KEY_HINT;
    throw new ShapeError(`[random.${op}] expects a single key: got ${key.aval.str()}, expected u32[2]. ${hint}`);
  }
  return key;
}

/** A shape: a JS array of non-negative integers (as JAX, a bare number is not a shape). */
export function checkShape(op: string, shape: unknown): number[] {
  const ok = Array.isArray(shape) && shape.every((d) => typeof d === "number" && Number.isInteger(d) && d >= 0);
  if (!ok) {
    const hint = typeof shape === "number" ? ` Write the shape as a list: [${shape}].` : "";
    throw new ShapeError(
      `[random.${op}] invalid shape: got ${JSON.stringify(shape) ?? String(shape)}, expected an array of non-negative integers such as [2, 3].${hint}`,
    );
  }
  return [...(shape as number[])];
}

/** A float dtype for a sampler; the default is the default float (float64 under enableX64). */
export function floatDType(op: string, dtype: unknown): DType {
  if (dtype === undefined || dtype === null) return defaultFloat();
  if (isDType(dtype) && isFloat(dtype)) return dtype;
  const got = isDType(dtype) ? SHORT_NAME[dtype] : JSON.stringify(dtype);
  throw new DTypeError(`[random.${op}] dtype must be a float dtype: got ${got}, expected "float32" or "float64".`);
}

/** An integer dtype for randint; int32 by default (there is no int64). */
export function intDType(op: string, dtype: unknown): "int32" | "uint32" {
  if (dtype === undefined || dtype === null) return "int32";
  if (dtype === "int32" || dtype === "uint32") return dtype;
  const got = isDType(dtype) ? SHORT_NAME[dtype] : JSON.stringify(dtype);
  throw new DTypeError(`[random.${op}] dtype must be an integer dtype: got ${got}, expected "int32" or "uint32".`);
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

/** A non-negative integer count (split's num, permutation's n, choice's a). */
export function checkCount(op: string, what: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new ShapeError(
      `[random.${op}] ${what} must be a non-negative integer: got ${describe(n)}, expected 0, 1, 2, ...`,
    );
  }
  return n;
}

/** Every prefix of a tuple: [A, B] → [A, B] | [A] | []. */
type Prefixes<P extends unknown[]> = P extends [...infer Init, unknown] ? P | Prefixes<Init> : [];

/**
 * Optional arguments in JAX's convention: any prefix of the positional ones `P`,
 * optionally followed by an options object `O` (`uniform(key, [3], { maxval: 2 })`).
 */
export type OptionalArgs<P extends unknown[], O> =
  Prefixes<P> extends infer Q ? (Q extends unknown[] ? Q | [...Q, O] : never) : never;
