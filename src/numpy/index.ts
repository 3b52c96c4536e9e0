/** `cotangent.numpy`: JAX's `jax.numpy`, with snake_case names in camelCase. */
export * from "./creation.js";
export * from "./math.js";
export * from "./reductions.js";
export * from "./shape.js";
export * from "./extras.js";
export * from "./statistics.js";
export * from "./conv.js";
export { matmul, dot, tensordot, einsum, outer, inner, vdot, diagonal, trace } from "./linalg.js";
export { slice, IndexError } from "./indexing.js";
export { asArray } from "../primitives/as-array.js";
import { norm } from "./linalg.js";
import * as solve from "./linalg-solve.js";
import * as spectral from "./linalg-spectral.js";

/**
 * `jnp.linalg`: norms, solves and factorizations.
 *
 * @example
 * np.linalg.norm(np.array([3, 4])); // 5
 * np.linalg.inv(np.array([[2, 0], [0, 4]])); // [[0.5, 0], [0, 0.25]]
 */
export const linalg = { norm, ...solve, ...spectral };

export type { DType } from "../core/dtypes.js";
export type { TypedArrayInput, NestedArrayObject } from "../primitives/as-array.js";
export type { SliceOptions } from "./indexing.js";
export type {
  DotOptions,
  EinsumOptions,
  OuterOptions,
  TensordotAxes,
  TensordotOptions,
  DiagonalOptions,
  TraceOptions,
  NormOrd,
  NormOptions,
  Precision,
  PrecisionName,
} from "./linalg.js";
export type { SlogdetOptions, CholeskyOptions } from "./linalg-solve.js";
export type {
  QrMode,
  QrOptions,
  SvdOptions,
  EighOptions,
  EigvalshOptions,
  PinvOptions,
  LstsqOptions,
  MatrixRankOptions,
} from "./linalg-spectral.js";
export {
  save,
  load,
  savez,
  savezCompressed,
  saveBytes,
  savezBytes,
  savezCompressedBytes,
  NpzFile,
  NpyFormatError,
  type NpySource,
} from "./npy-io.js";
