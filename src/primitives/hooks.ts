/**
 * Fills in the traces' hooks (interpreters/hooks.ts) with this layer's
 * operations: JAX's `add_any` is `add`, zeros are a constant fill, batch axes
 * move by transposes and broadcasts. Imported for its effect by the primitive
 * files that define these operations, so that whichever loads first installs them.
 */
import { installInterpreterHooks } from "../interpreters/hooks.js";
import { batchTo, moveAxis } from "./batching.js";
import { fullAval } from "./constants.js";
import { add } from "./elementwise.js";

// Wrapped in arrows: inside the import circle of this folder the functions may not be bound yet.
installInterpreterHooks({
  addAny: (a, b) => add(a, b),
  zerosLike: (aval) => fullAval(aval, 0),
  moveAxis: (x, from, to) => moveAxis(x, from, to),
  batchTo: (x, dim, to, size) => batchTo(x, dim, to, size),
});
