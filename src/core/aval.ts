/** Abstract values: what a tracer knows about an array (shape, dtype, weak type). */
import { type DType, SHORT_NAME } from "./dtypes.js";

/**
 * An array's shape: one length per axis (`[]` for a scalar).
 */
export type Shape = readonly number[];

/**
 * An abstract value: the shape, dtype and weak type of an array without its values, as
 * `jax.core.ShapedArray` (what `evalShape` returns and what tracers carry).
 *
 * @example
 * evalShape((x: Array) => np.sum(x, 0), np.ones([2, 3])).toString(); // "f32[3]"
 * new ShapedArray([2, 3], "float32").toString(); // "f32[2,3]"
 */
export class ShapedArray {
  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
    readonly weakType = false,
  ) {}

  get ndim(): number {
    return this.shape.length;
  }

  get size(): number {
    return shapeSize(this.shape);
  }

  /** JAX's short form: `f32[3,4]`. */
  str(): string {
    return `${SHORT_NAME[this.dtype]}[${this.shape.join(",")}]`;
  }

  toString(): string {
    return this.str();
  }

  equals(other: ShapedArray): boolean {
    return this.dtype === other.dtype && shapesEqual(this.shape, other.shape);
  }

  withShape(shape: Shape): ShapedArray {
    return new ShapedArray(shape, this.dtype, this.weakType);
  }

  withWeak(weak: boolean): ShapedArray {
    return weak === this.weakType ? this : new ShapedArray(this.shape, this.dtype, weak);
  }
}

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Row-major strides, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function shapeStr(shape: Shape): string {
  return `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;
}
