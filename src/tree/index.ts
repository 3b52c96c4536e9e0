/** `cotangent.tree`: JAX's `jax.tree_util` / `jax.tree`. */
export {
  flatten,
  unflatten,
  map,
  leaves,
  structure,
  registerNode,
  TreeDef,
  type NodeType,
  type IsLeaf,
} from "./tree.js";
