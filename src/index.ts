/**
 * cotangent: JAX's composable function transformations for TypeScript.
 *
 * @example
 * import { grad, numpy as np } from "cotangent";
 * grad((x) => np.multiply(x, np.sin(x)))(1.0);
 */
import "./numpy/methods.js";
export { NdArray as Array, Slice, type ArrayLike, type Index } from "./core/array.js";
export { ShapedArray } from "./core/aval.js";
export { config } from "./core/config.js";
export type { DType } from "./core/dtypes.js";
export {
  CotangentError,
  ShapeError,
  DTypeError,
  AxisError,
  ConcretizationError,
  UnexpectedTracerError,
  TreeMismatchError,
  TransformError,
  FloatingPointError,
  CustomVjpError,
  CustomJvpError,
  WebGpuError,
} from "./core/errors.js";
export { grad, valueAndGrad, vjp, type GradOptions } from "./transforms/grad.js";
export { jvp, linearize } from "./transforms/forward.js";
export { jacfwd, jacrev, hessian, type JacobianOptions } from "./transforms/jacobian.js";
export { vmap, type VmapOptions, type AxisSpec } from "./transforms/vmap-api.js";
export { jit, makeJaxpr, type JitOptions, TracedJaxpr } from "./transforms/jit-api.js";
export { checkGrads, GradientCheckError, type CheckGradsOptions } from "./transforms/check-grads.js";
export { customVjp, type CustomVjpFunction, type CustomVjpOptions } from "./transforms/custom-vjp.js";
export { customJvp, type CustomJvpFunction, type CustomJvpOptions } from "./transforms/custom-jvp.js";
export {
  checkpoint,
  remat,
  checkpointPolicies,
  type CheckpointPolicy,
  type CheckpointOptions,
} from "./transforms/checkpoint.js";
export { evalShape } from "./transforms/eval-shape.js";
export { printSavedResiduals, savedResiduals, type SavedResidual } from "./transforms/saved-residuals.js";
export { ClosedJaxpr, Jaxpr } from "./ir/jaxpr.js";
export { stopGradient } from "./lax/index.js";
export { ArgumentTypeError } from "./primitives/as-array.js";
export { OptionError } from "./core/options.js";
export { IndexError } from "./numpy/indexing.js";
export * as numpy from "./numpy/index.js";
export * as lax from "./lax/index.js";
export * as nn from "./nn/index.js";
export * as scipy from "./scipy/index.js";
export * as random from "./random/index.js";
export * as tree from "./tree/index.js";
export * as optim from "./optim/index.js";
export * as stablehlo from "./stablehlo/index.js";
export { devices, defaultBackend, init, type Device } from "./backends/api.js";
export type { NestedNumbers } from "./core/array.js";
export type { TypedArray } from "./core/dtypes.js";
export type { Shape } from "./core/aval.js";
export type { ConfigValues } from "./core/config.js";
export type { JvpOptions } from "./transforms/forward.js";
export type { VjpOptions } from "./transforms/grad.js";
export type { Jitted, MakeJaxprOptions } from "./transforms/jit-api.js";
export type { DefjvpOptions } from "./transforms/custom-jvp.js";
export type { DefvjpOptions } from "./transforms/custom-vjp.js";
export type { ReshapeMethodOptions } from "./numpy/methods.js";
export type { AtUpdater, UpdateOptions, GetOptions, IndexMode } from "./numpy/indexing.js";
