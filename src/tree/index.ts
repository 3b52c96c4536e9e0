/** `cotangent.tree`: JAX's `jax.tree` / `jax.tree_util`. */
export {
  flatten,
  unflatten,
  map,
  leaves,
  structure,
  reduce,
  all,
  transpose,
  registerNode,
  TreeDef,
  type NodeType,
  type IsLeaf,
  type FlattenOptions,
  type MapOptions,
  type ReduceOptions,
  type TreeMapped,
} from "./tree.js";
