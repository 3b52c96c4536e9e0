/**
 * Typed errors. Every message follows `[op] what is wrong: got X, expected Y. Hint.`
 * and keeps JAX's wording where JAX has a message for the same mistake.
 */

/** Base class of every error cotangent throws on purpose. */
export class CotangentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A value that is not an array or a number where one is expected, or an argument of the wrong type. */
export class ArgumentTypeError extends CotangentError {}

/** Shapes that do not fit together (broadcasting, reshape, matmul, ...). */
export class ShapeError extends CotangentError {}

/** A dtype that an operation cannot take (integer input to `grad`, ...). */
export class DTypeError extends CotangentError {}

/** An axis or index outside an array's rank or extent. */
export class AxisError extends CotangentError {}

/** A traced value was asked to become a JS value (JAX's ConcretizationTypeError). */
export class ConcretizationError extends CotangentError {}

/** A tracer used outside the transformation that made it (JAX's UnexpectedTracerError). */
export class UnexpectedTracerError extends CotangentError {}

/** Two pytrees that should have the same structure do not. */
export class TreeMismatchError extends CotangentError {}

/** Bad arguments to a transformation (argnums, inAxes, outAxes, ...). */
export class TransformError extends CotangentError {}

/** A NaN produced while `config.debugNans` is on (JAX's FloatingPointError). */
export class FloatingPointError extends CotangentError {}

/** Misuse of `customVjp` (missing rule, bad fwd/bwd output, ...). */
export class CustomVjpError extends CotangentError {}

/** Misuse of `customJvp` (missing rule, bad jvp output, ...). */
export class CustomJvpError extends CotangentError {}
