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

/** `jnp.linalg`: norms, solves and factorizations. */
export const linalg = { norm, ...solve, ...spectral };

export type { DType } from "../core/dtypes.js";
