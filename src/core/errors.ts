/**
 * Typed errors. Every message follows `[op] what is wrong: got X, expected Y. Hint.`
 * and keeps JAX's wording where JAX has a message for the same mistake.
 */

/**
 * Base class of every error cotangent throws on purpose. No JAX twin: JAX raises Python's
 * `TypeError` / `ValueError` and `jax.errors.*`; here each kind of mistake has its own class,
 * and every message reads `[op] what is wrong: got X, expected Y. Hint.`
 *
 * @example
 * try {
 *   np.reshape(np.ones([2, 3]), [4]);
 * } catch (e) {
 *   if (e instanceof CotangentError) console.log(e.message);
 * }
 */
export class CotangentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A value that is not an array or a number where one is expected, or an argument of the wrong
 * type. JAX raises `TypeError` here (No JAX twin class).
 *
 * @example
 * np.add("a" as never, 1); // throws ArgumentTypeError: [add] cannot make an array from string "a" ...
 */
export class ArgumentTypeError extends CotangentError {}

/**
 * Shapes that do not fit together (broadcasting, reshape, matmul, ...). JAX raises `TypeError` or
 * `ValueError` here (No JAX twin class).
 *
 * @example
 * np.reshape(np.ones([2, 3]), [4]); // throws ShapeError: [reshape] cannot reshape array of shape (2, 3) ...
 */
export class ShapeError extends CotangentError {}

/**
 * A dtype that an operation cannot take (integer input to `grad`, ...). JAX raises `TypeError`
 * here (No JAX twin class).
 *
 * @example
 * grad((i: Array) => i)(np.array([1], { dtype: "int32" })); // throws DTypeError: [grad] grad requires real-valued inputs ...
 */
export class DTypeError extends CotangentError {}

/**
 * An axis or index outside an array's rank or extent, as `numpy.exceptions.AxisError`.
 *
 * @example
 * np.sum(np.ones([2]), { axis: 3 }); // throws AxisError: [sum] axis 3 is out of bounds for an array of rank 1 ...
 */
export class AxisError extends CotangentError {}

/**
 * A traced value was asked to become a JS value: `jax.errors.ConcretizationTypeError`. Use
 * `lax.cond`, `np.where` or `staticArgnums` instead.
 *
 * @example
 * jit((x: Array) => (x.item() > 0 ? x : np.negative(x)))(1); // throws ConcretizationError
 * jit((x: Array) => np.where(np.greater(x, 0), x, np.negative(x)))(1); // works
 */
export class ConcretizationError extends CotangentError {}

/**
 * A tracer used outside the transformation that made it: `jax.errors.UnexpectedTracerError`.
 *
 * @example
 * let leaked: Array | undefined;
 * jit((x: Array) => ((leaked = x), x))(1);
 * np.add(leaked!, 1); // throws UnexpectedTracerError
 */
export class UnexpectedTracerError extends CotangentError {}

/**
 * Two pytrees that should have the same structure do not. JAX raises `ValueError` here (No JAX
 * twin class).
 *
 * @example
 * tree.map((a: Array, b: Array) => np.add(a, b), [1, 2], [1]); // throws TreeMismatchError
 */
export class TreeMismatchError extends CotangentError {}

/**
 * Bad arguments to a transformation (argnums, inAxes, outAxes, ...). JAX raises `TypeError` or
 * `ValueError` here (No JAX twin class).
 *
 * @example
 * grad((x: Array) => x, { argnums: 3 })(1); // throws TransformError: argnums=3 requires at least 4 positional arguments
 */
export class TransformError extends CotangentError {}

/**
 * A NaN produced while `config.debugNans` is on, as with `jax.config.update("jax_debug_nans", True)`
 * (JAX raises Python's `FloatingPointError`).
 *
 * @example
 * config.update("debugNans", true);
 * np.log(np.array([-1])); // throws FloatingPointError: [log] invalid value (nan) encountered in log ...
 * config.update("debugNans", false);
 */
export class FloatingPointError extends CotangentError {}

/**
 * Misuse of `customVjp` (missing rule, bad fwd/bwd output, ...), with the texts of JAX's errors
 * from `jax.custom_vjp`.
 *
 * @example
 * customVjp((x: Array) => x)(1); // throws CustomVjpError: No VJP defined for custom_vjp function fun using defvjp.
 */
export class CustomVjpError extends CotangentError {}

/**
 * Misuse of `customJvp` (missing rule, bad jvp output, ...), with the texts of JAX's errors
 * from `jax.custom_jvp`.
 *
 * @example
 * customJvp((x: Array) => x)(1); // throws CustomJvpError: No JVP defined for custom_jvp function fun using defjvp.
 */
export class CustomJvpError extends CotangentError {}

/**
 * What the webgpu backend cannot do: a synchronous read of an array in GPU memory
 * (`dataSync()`, `item()`, a `whileLoop` predicate), a routine it does not run, no
 * adapter or no `webgpu` package. No JAX twin (JAX blocks on device reads; WebGPU
 * reads back only asynchronously). The message names the way out.
 *
 * @example
 * await init("webgpu");
 * config.update("platform", "webgpu");
 * try {
 *   np.ones([3]).dataSync();
 * } catch (e) {
 *   if (e instanceof WebGpuError) console.log(e.message); // ... Use `await x.data()` ...
 * }
 */
export class WebGpuError extends CotangentError {}
