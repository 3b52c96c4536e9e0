/// <reference lib="esnext.disposable" preserve="true" />
/**
 * `Array`: an n-dimensional array. Concrete arrays hold a `DeviceBuffer` (their
 * backend's storage); tracers (subclasses) stand for arrays inside
 * transformations and hold none. Buffers in JS memory are garbage collected:
 * nothing needs disposing. A device's buffers (webgpu) go back to its pool when
 * collected, or at `dispose()` / the end of a `using` block.
 */
import { ShapedArray } from "./aval.js";
import { HostBuffer, type DeviceBuffer } from "./buffer.js";
import type { DType, TypedArray } from "./dtypes.js";
import { ConcretizationError } from "./errors.js";
import { formatArray } from "./format.js";

/** Node's hook for `console.log` / `util.inspect` (a registered symbol: no `node:util` import, so browsers load this too). */
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** What the library accepts wherever an array is expected. */
export type ArrayLike =
  NdArray | number | boolean | NestedNumbers | Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;
/** Nested JS arrays of numbers or booleans (`[[1, 2], [3, 4]]`), accepted wherever an array is. */
// A recursive array type needs an interface; it adds no members on purpose.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NestedNumbers extends ReadonlyArray<number | boolean | NestedNumbers> {}

/** An index for `get` / `at`: a number, `null` (new axis), `"..."`, a slice, or an integer array. */
export type Index = number | null | "..." | Slice | NdArray | NestedNumbers;

/**
 * `np.slice(start, stop, step)`: Python's `start:stop:step`.
 *
 * Python's slice object, as `numpy.s_[start:stop:step]`; `null` means the end.
 *
 * @example
 * np.arange(10).get(np.slice(1, null, 3)); // [1, 4, 7]
 */
export class Slice {
  constructor(
    readonly start: number | null = null,
    readonly stop: number | null = null,
    readonly step: number | null = null,
  ) {}
}

/** The iterator of an array of at least one dimension: `x.get(0)`, `x.get(1)`, ... */
function* iterateFirstAxis(this: NdArray): Iterator<NdArray> {
  const n = this.aval.shape[0];
  for (let i = 0; i < n; i++) yield this.get(i);
}

/**
 * `jax.Array`: an n-dimensional array of one dtype, immutable; exported as `Array`.
 *
 * It has `shape`, `dtype`, `ndim`, `size`, `item()`, `tolist()`, `dataSync()` (a typed-array
 * copy), `await data()` (works on every backend), `toString()`, NumPy's methods (`add`, `sum`,
 * `reshape`, `astype`, ...), indexing with `x.get(...index)` and functional updates with
 * `x.at(...index).set(v)` (JAX's `x[idx]` and `x.at[idx].set(v)`). Memory is garbage-collected.
 *
 * @example
 * const x = np.array([[1, 2], [3, 4]]);
 * x.shape; // [2, 2]
 * x.dtype; // "float32"
 * x.get(0, 1).item(); // 2
 * x.sum().item(); // 10
 * x.at(0, 0).set(9).tolist(); // [[9, 2], [3, 4]]
 */
export class NdArray {
  /** @internal */ readonly _aval: ShapedArray;
  /** @internal The backend's storage of the values; null for tracers. */
  readonly _buffer: DeviceBuffer | null;

  /** @internal Arrays are made by `np.array` and friends, not with `new`. */
  constructor(aval: ShapedArray, buffer: DeviceBuffer | null) {
    this._aval = aval;
    this._buffer = buffer;
  }

  /**
   * @internal The values, read synchronously without a copy (core and backends
   * only: everything else reads through a backend or `dataSync()`). Null for tracers.
   */
  get _data(): TypedArray | null {
    return this._buffer === null ? null : this._buffer.readSync();
  }

  /** @internal The abstract value: shape, dtype, weak type. */
  get aval(): ShapedArray {
    return this._aval;
  }
  get shape(): number[] {
    return this.aval.shape.slice();
  }
  get dtype(): DType {
    return this.aval.dtype;
  }
  get ndim(): number {
    return this.aval.shape.length;
  }
  get size(): number {
    return this.aval.size;
  }
  /** True for arrays made from JS numbers, which take the dtype of what they meet. */
  get weakType(): boolean {
    return this.aval.weakType;
  }

  /** @internal The concrete array behind this value, or a ConcretizationError naming `op`. */
  concrete(_op: string): NdArray {
    return this;
  }

  /** A typed-array copy of the values, in row-major order. */
  dataSync(): TypedArray {
    const c = this.concrete("dataSync()");
    return c._data!.slice() as TypedArray;
  }

  /** The values, as a Promise (the form that GPU backends need). */
  data(): Promise<TypedArray> {
    return this.concrete("data()")
      ._buffer!.read()
      .then((d) => d.slice() as TypedArray);
  }

  /**
   * Releases the array's storage now rather than when it is collected: on webgpu its GPU
   * buffer goes back to the pool, and any later use of the array is a typed error. In JS
   * memory (cpu, wasm) there is nothing to release early and the values stay readable.
   * JAX's `x.delete()`. `using x = ...` calls it at the end of the block.
   *
   * @example
   * {
   *   using h = np.tanh(np.matmul(w, x)); // on webgpu: freed at the end of this block
   *   total = await np.sum(h).data();
   * }
   */
  dispose(): void {
    this.concrete("dispose()")._buffer!.dispose();
  }

  /** `using x = ...`: disposes the array at the end of the block (see `dispose()`). */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The value of a one-element array as a JS number (booleans for bool arrays). */
  item(): number | boolean {
    const c = this.concrete("item()");
    if (c.size !== 1) {
      throw new ConcretizationError(
        `[item()] only one-element arrays convert to a JS value: got shape ${c.aval.str()}, expected one element. Index it first, e.g. x.get(0).item().`,
      );
    }
    const v = c._data![0];
    return c.dtype === "bool" ? v !== 0 : v;
  }

  /** Nested JS arrays of the values (numbers, or booleans for bool arrays). */
  tolist(): unknown {
    const c = this.concrete("tolist()");
    const data = c._data!;
    const asValue = (i: number): number | boolean => (c.dtype === "bool" ? data[i] !== 0 : data[i]);
    const shape = c.aval.shape;
    const build = (dim: number, offset: number, stride: number): unknown => {
      if (dim === shape.length) return asValue(offset);
      const inner = stride / shape[dim];
      const out: unknown[] = [];
      for (let i = 0; i < shape[dim]; i++) out.push(build(dim + 1, offset + i * inner, inner));
      return out;
    };
    return build(0, 0, c.size);
  }

  /** JAX's text form, e.g. `Array([1., 2.], dtype=float32)`. */
  toString(): string {
    const c = this.concrete("toString()");
    return formatArray(c.aval, c._data!);
  }

  /**
   * Iteration over the first axis, as JAX's `iter(x)`: `for (const row of x)`,
   * `[...x]`, `Array.from(x)`, `const [k1, k2] = random.split(key)`. Each item is
   * `x.get(i)`. Tracers iterate too: their shape is known.
   *
   * A 0-d array is not iterable, as in JAX (a TypeError: JS's own "is not
   * iterable"). It has no iterator at all rather than one that throws, so that
   * test frameworks comparing arrays element by element (vitest's and jest's
   * `toEqual` iterate whatever is iterable) reach the 0-d items and compare them
   * as values.
   *
   * There is deliberately no `length` (JAX's `len(x)` is `x.shape[0]`): a `length`
   * would make arrays array-like to JS APIs that then read `x[0]`, `x[1]`, ...
   */
  get [Symbol.iterator](): () => Iterator<NdArray> {
    return (this.aval.shape.length === 0 ? undefined : iterateFirstAxis) as () => Iterator<NdArray>;
  }

  /** `JSON.stringify(x)`: the nested lists of `tolist()`. Tracers under jit/vmap throw a ConcretizationError. */
  toJSON(): unknown {
    return this.concrete("JSON.stringify(x)").tolist();
  }

  /** `console.log(x)`, `util.inspect(x)`: JAX's repr, `Array([1., 2.], dtype=float32)`. */
  [INSPECT](): string {
    return this.toString();
  }

  /** `Number(x)`, `x > 0`, `` `${x}` ``: scalars convert; tracers without a value throw. */
  [Symbol.toPrimitive](hint: string): number | string | boolean {
    const op = hint === "string" ? "`${x}`" : hint === "number" ? "Number(x)" : "x (used as a JS value)";
    const c = this.concrete(op);
    if (hint === "string") return c.toString();
    if (c.size !== 1) {
      throw new ConcretizationError(
        `[${op}] only one-element arrays convert to a JS number: got ${c.aval.str()}, expected one element. Reduce it first (np.sum, np.all) or index it.`,
      );
    }
    const v = c._data![0];
    return c.dtype === "bool" ? v !== 0 : v;
  }
}

/** @internal An array over values in JS memory (the backends' results, and values made on the host). */
export function hostArray(aval: ShapedArray, data: TypedArray): NdArray {
  return new NdArray(aval, new HostBuffer(aval.dtype, data));
}

/** @internal The same values under another aval of the same dtype and size (a reshape, a weak type dropped). */
export function retype(x: NdArray, aval: ShapedArray): NdArray {
  return new NdArray(aval, x._buffer);
}

/**
 * @internal Whether `readValues(x)` can answer now: the values are in JS memory
 * (a device such as webgpu reads back only asynchronously).
 */
export function readableNow(x: NdArray): boolean {
  return x.concrete("a read of its values")._buffer!.platform === "cpu";
}

/**
 * @internal The values through the buffer's synchronous read, without a copy: for the
 * library's own reads of small concrete values (literals, predicates, keys). Never written.
 */
export function readValues(x: NdArray): TypedArray {
  return x.concrete("a read of its values")._buffer!.readSync();
}
