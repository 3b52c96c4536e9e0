/**
 * Control-flow contract errors: each raised with its type (TransformError, ShapeError, DTypeError) and a message
 * that names the operation, what was received and what was expected. Checked eagerly and under jit / vmap where
 * the check happens while tracing.
 */
import { describe, expect, it } from "vitest";
import { Array as NdArray, DTypeError, jit, lax, numpy as np, ShapeError, TransformError, vmap } from "../src/index.js";

const x = np.array(1, "float64");
const id = (a: NdArray) => a;

/** Runs `f`, expecting an error of class `cls` whose message contains every fragment. */
function expectError(f: () => unknown, cls: new (...args: never[]) => Error, ...fragments: string[]): void {
  let caught: unknown = null;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, "no error was thrown").toBeInstanceOf(cls);
  for (const frag of fragments) expect((caught as Error).message).toContain(frag);
}

describe("cond / switch: branch outputs", () => {
  it("different dtypes", () => {
    expectError(
      () => lax.cond(true, id, (a: NdArray) => a.astype("float32"), x),
      TransformError,
      "[cond] branches must return the same types",
      "f64[]",
      "f32[]",
    );
  });

  it("different shapes", () => {
    expectError(
      () => lax.cond(true, id, (a: NdArray) => np.stack([a, a]), x),
      TransformError,
      "[cond] branches must return the same types",
      "f64[2]",
    );
  });

  it("different pytree structures (list vs dict, and lists of different lengths)", () => {
    expectError(
      () =>
        lax.cond(
          true,
          (a: NdArray) => [a, a],
          (a: NdArray) => ({ u: a, v: a }),
          x,
        ),
      TransformError,
      "[cond] branch outputs must have the same pytree structure",
      "PyTreeDef([*, *])",
      "PyTreeDef({'u': *, 'v': *})",
    );
    expectError(
      () =>
        lax.cond(
          true,
          (a: NdArray) => [a, a],
          (a: NdArray) => [a],
          x,
        ),
      TransformError,
      "same pytree structure",
    );
  });

  it("switch names the offending branch", () => {
    expectError(
      () => lax.switch(0, [id, id, (a: NdArray) => a.astype("int32")], x),
      TransformError,
      "[switch] branches must return the same types",
      "(i32[]) from branch 2",
      "(f64[]) from branch 0",
    );
  });

  it("the check also runs under jit and vmap (at trace time)", () => {
    const f = (p: NdArray) => lax.cond(p, id, (a: NdArray) => a.astype("float32"), x);
    expectError(() => jit(f)(np.array(true)), TransformError, "same types");
    expectError(() => vmap(f)(np.array([true, false])), TransformError, "same types");
  });

  it("a branch that is not a function", () => {
    expectError(
      () => lax.cond(true, 3 as unknown as typeof id, id, x),
      TransformError,
      "expected a function to transform",
      "got number 3",
    );
  });

  it("switch with no branches", () => {
    expectError(() => lax.switch(0, [], x), TransformError, "[switch] needs at least one branch");
  });
});

describe("cond / switch: predicate and index", () => {
  it("a non-scalar predicate", () => {
    expectError(
      () => lax.cond(np.array([true, false]), id, id, x),
      ShapeError,
      "[cond] the predicate must be a scalar",
      "bool[2]",
      "expected shape ()",
    );
    expectError(
      () => jit((p: NdArray) => lax.cond(p, id, id, x))(np.array([true, false])),
      ShapeError,
      "predicate must be a scalar",
    );
  });

  it("a branch index that is not an integer (float array, non-integral JS number)", () => {
    expectError(
      () => lax.switch(np.array(1, "float32"), [id, id], x),
      DTypeError,
      "[switch] the branch index must be an integer scalar",
      "f32[]",
      "expected int32",
    );
    expectError(() => lax.switch(1.5, [id, id], x), DTypeError, "must be an integer scalar");
    // under jit, a float index is a traced float: rejected too
    expectError(() => jit((i: NdArray) => lax.switch(i, [id, id], x))(np.array(1, "float64")), DTypeError, "integer");
  });

  it("a non-scalar branch index", () => {
    expectError(
      () => lax.switch(np.array([0, 1], "int32"), [id, id], x),
      ShapeError,
      "[switch] the index must be a scalar",
      "i32[2]",
    );
  });

  it("an integral JS number is a valid index (weakly typed, as a Python int in JAX)", () => {
    expect(Array.from((lax.switch(1, [id, (a: NdArray) => np.negative(a)], x) as NdArray).dataSync())).toEqual([-1]);
  });
});

describe("whileLoop", () => {
  const lt10 = (c: NdArray) => np.less(c, 10);
  const dbl = (c: NdArray) => np.multiply(c, 2);

  it("cond_fun must return a boolean scalar (not a float, an int or a boolean vector)", () => {
    expectError(
      () => lax.whileLoop(id, dbl, x),
      TransformError,
      "[whileLoop] cond_fun must return a boolean scalar",
      "[f64[]]",
    );
    expectError(() => lax.whileLoop(() => np.array(1, "int32"), dbl, x), TransformError, "boolean scalar", "[i32[]]");
    expectError(
      () => lax.whileLoop(lt10, dbl, np.array([1, 2], "float64")),
      TransformError,
      "boolean scalar",
      "[bool[2]]",
    );
  });

  it("the body must keep the carry's dtype, shape and structure", () => {
    expectError(
      () => lax.whileLoop(lt10, (c: NdArray) => dbl(c).astype("float32"), x),
      TransformError,
      "[whileLoop] body function carry input and carry output must have equal types",
      "the input carry component 0 has type f64[] but the output has type f32[]",
    );
    expectError(
      () =>
        lax.whileLoop(
          (c: NdArray) => np.less(np.sum(c), 10),
          (c: NdArray) => np.concatenate([c, c]),
          np.ones([1]),
        ),
      TransformError,
      "must have equal types",
      "f32[1] but the output has type f32[2]",
    );
    expectError(
      () =>
        lax.whileLoop(
          ([c]: NdArray[]) => lt10(c),
          ([c]: NdArray[]) => [c, c],
          [x],
        ),
      TransformError,
      "[whileLoop] the body must return a carry with the structure of its input",
      "got PyTreeDef([*, *]), expected PyTreeDef([*])",
    );
  });

  it("a weakly typed (JS number) initial value is not a type change", () => {
    const out = lax.whileLoop(lt10, dbl, 1 as unknown as NdArray);
    expect(Array.from(out.dataSync())).toEqual([16]);
  });

  it("foriLoop bodies are checked the same way (static and traced bounds)", () => {
    const body = (_i: NdArray, v: NdArray) => v.astype("float32");
    expectError(() => lax.foriLoop(0, 3, body, x), TransformError, "must have equal types", "f64[]", "f32[]");
    expectError(
      () => lax.foriLoop(np.array(0, "int32"), 3, body, x),
      TransformError,
      "[whileLoop] body function carry input and carry output must have equal types",
    );
  });
});

describe("scan", () => {
  const xs = np.array([1, 2], "float64");

  it("the body must keep the carry's dtype and shape", () => {
    expectError(
      () => lax.scan((c: NdArray, v: NdArray) => [np.add(c, v).astype("float32"), null] as const, x, xs),
      TransformError,
      "[scan] body function carry input and carry output must have equal types",
      "the input carry component 0 has type f64[] but the output has type f32[]",
    );
    expectError(
      () => lax.scan((c: NdArray, v: NdArray) => [np.stack([c, v]), null] as const, x, xs),
      TransformError,
      "must have equal types",
      "f64[] but the output has type f64[2]",
    );
  });

  it("the body must keep the carry's structure", () => {
    expectError(
      () => lax.scan(((c: NdArray[], v: NdArray) => [[c[0], v], null]) as never, [x], xs),
      TransformError,
      "[scan] the body must return a carry with the structure of its input",
      "expected PyTreeDef([*])",
    );
  });

  it("the body must return a pair [carry, y]", () => {
    expectError(
      () => lax.scan(((c: NdArray) => c) as never, x, xs),
      TransformError,
      "[scan] the scanned function must return a pair [carry, y]",
    );
    expectError(
      () => lax.scan(((c: NdArray) => [c, c, c]) as never, x, xs),
      TransformError,
      "must return a pair",
      "an array of length 3",
    );
  });

  it("xs leaves with different lengths, or a length option that disagrees", () => {
    expectError(
      () => lax.scan((c: NdArray, _v: NdArray[]) => [c, null] as const, x, [np.zeros([3]), np.zeros([4])]),
      ShapeError,
      "[scan] scan got values with different leading axis sizes: 3, 4",
    );
    expectError(
      () => lax.scan((c: NdArray, _v: NdArray) => [c, null] as const, x, np.zeros([3]), { length: 5 }),
      ShapeError,
      "different leading axis sizes: 3, 5",
    );
  });

  it("no xs and no length", () => {
    expectError(
      () => lax.scan((c: NdArray, _v: null) => [c, null] as const, x, null),
      ShapeError,
      "[scan] the length is unknown",
      "expected a length option",
    );
  });

  it("a scalar xs leaf has no axis to scan over", () => {
    expectError(
      () => lax.scan((c: NdArray, _v: NdArray) => [c, null] as const, x, np.array(3, "float64")),
      ShapeError,
      "[scan] every leaf of xs needs a leading axis",
    );
  });
});
