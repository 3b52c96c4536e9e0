/** `cotangent.numpy`: JAX's `jax.numpy`, with snake_case names in camelCase. */
export * from "./creation.js";
export * from "./math.js";
export * from "./reductions.js";
export * from "./shape.js";
export { matmul, dot, tensordot, einsum, outer, inner, vdot, diagonal, trace } from "./linalg.js";
export { slice, IndexError } from "./indexing.js";
export { asArray } from "../primitives/as-array.js";
import { norm } from "./linalg.js";

/** `jnp.linalg`. */
export const linalg = { norm };

export type { DType } from "../core/dtypes.js";
