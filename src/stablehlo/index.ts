/**
 * `stablehlo`: programs written out as StableHLO text (`jax.export`'s format, which XLA
 * compiles), with their pytrees and avals, as `jax.export`.
 *
 * @example
 * import { numpy as np, stablehlo } from "cotangent";
 * stablehlo.export((x: Array) => np.sin(x), np.ones([3])).mlirModule();
 */
export { Exported, type ExportedParts } from "./exported.js";
export { exportFn as export, type ShapeDtypeStruct } from "./export.js";
export { deserialize } from "./deserialize.js";
export { StableHloError } from "./errors.js";
