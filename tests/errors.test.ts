/**
 * Every bad input gets a typed error with a message that names the operation,
 * says what is wrong and what was expected. Where JAX has a message for the same
 * mistake, the key phrase of JAX's wording is checked as well.
 */
import { OptionError } from "../src/core/options.js";
import { definePrimitive, type Primitive } from "../src/core/primitive.js";
import { bind1 } from "../src/core/trace.js";
import { describe, expect, it } from "vitest";
import {
  Array as NdArray,
  ArgumentTypeError,
  AxisError,
  ConcretizationError,
  CotangentError,
  DTypeError,
  grad,
  IndexError,
  jit,
  jvp,
  linearize,
  makeJaxpr,
  numpy as np,
  ShapeError,
  stopGradient,
  TransformError,
  tree,
  TreeMismatchError,
  UnexpectedTracerError,
  valueAndGrad,
  vjp,
  vmap,
} from "../src/index.js";
import { lowerUnary } from "../src/ir/stablehlo-elementwise.js";

type ErrorClass = abstract new (...args: never[]) => Error;

/** Runs `fn`, expects an error of class `cls` (a CotangentError), and checks every pattern on its message. */
function expectError(fn: () => unknown, cls: ErrorClass, ...patterns: RegExp[]): Error {
  let caught: unknown = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, "expected the call to throw").not.toBeNull();
  expect(caught).toBeInstanceOf(cls);
  expect(caught).toBeInstanceOf(CotangentError);
  const err = caught as Error;
  expect(err.name).toBe(cls.name);
  for (const p of patterns) expect(err.message).toMatch(p);
  return err;
}

const ones = (shape: number[]) => np.ones(shape);

describe("shape errors", () => {
  it("shapes that do not broadcast", () => {
    // JAX: "add got incompatible shapes for broadcasting: (3,), (4,)".
    expectError(
      () => np.add(ones([3]), ones([4])),
      ShapeError,
      /^\[add\]/,
      /incompatible shapes for broadcasting/,
      /\(3,\) and \(4,\)/,
    );
    expectError(() => np.multiply(ones([2, 3]), ones([3, 2])), ShapeError, /^\[multiply\]/, /\(2, 3\) and \(3, 2\)/);
    expectError(() => ones([3]).add(ones([2])), ShapeError, /incompatible shapes for broadcasting/);
    expectError(() => np.broadcastTo(ones([3]), [4]), ShapeError, /incompatible shapes for broadcasting/);
  });

  it("reshape to an incompatible size, eagerly and under jit", () => {
    // JAX: "cannot reshape array of shape (2, 3) (size 6) into shape (4, 2) (size 8)".
    expectError(
      () => np.reshape(ones([2, 3]), [4, 2]),
      ShapeError,
      /^\[reshape\]/,
      /cannot reshape array of shape \(2, 3\) \(size 6\) into shape \(4, 2\)/,
      /f32\[2,3\]/,
    );
    expectError(() => ones([2, 3]).reshape(5), ShapeError, /\(size 6\) into shape \(5,?\)/);
    expectError(() => np.reshape(ones([2, 3]), [-1, 4]), ShapeError, /\(size 6\)/);
    expectError(() => np.reshape(ones([2, 3]), [-1, -1]), ShapeError, /only specify one unknown dimension/);
    expectError(() => jit((x: NdArray) => x.reshape(4))(ones([2, 3])), ShapeError, /\(size 6\) into shape \(4,?\)/);
  });

  it("matmul with mismatched contracting dimensions", () => {
    expectError(
      () => np.matmul(ones([2, 3]), ones([4, 2])),
      ShapeError,
      /^\[matmul\]/,
      /contracting dimensions do not match/,
      /f32\[2,3\] @ f32\[4,2\]/,
      /\(3\).*\(4\)/,
    );
    expectError(() => np.matmul(ones([2, 3]), ones([2])), ShapeError, /contracting dimensions do not match/);
    expectError(() => np.matmul(ones([3]), 2), ShapeError, /at least one axis/);
    expectError(() => np.dot(ones([2, 3]), ones([2, 3])), ShapeError, /^\[dot\]/, /not aligned/);
  });

  it("concatenate of arrays that do not fit together", () => {
    expectError(
      () => np.concatenate([ones([2, 3]), ones([2, 4])], 0),
      ShapeError,
      /^\[concatenate\]/,
      /except on axis 0/,
      /f32\[2,3\], f32\[2,4\]/,
    );
  });

  it("ragged nested arrays in np.array", () => {
    // NumPy: "setting an array element with a sequence. The requested array has an inhomogeneous shape".
    expectError(() => np.array([[1, 2], [3]]), ShapeError, /^\[array\]/, /ragged/, /rectangular/);
    expectError(() => np.array([1, [2, 3]] as never), ShapeError, /ragged/);
    expectError(
      () =>
        np.array([
          [[1], [2]],
          [[3], [4, 5]],
        ]),
      ShapeError,
      /ragged/,
    );
  });

  it("non-numbers in np.array", () => {
    expectError(
      () => np.array(["a", "b"] as never),
      ArgumentTypeError,
      /^\[array\]/,
      /array elements must be numbers or booleans/,
    );
    expectError(() => np.array({ a: 1 } as never), ArgumentTypeError, /cannot make an array from/);
  });
});

describe("axis and index errors", () => {
  it("axis out of range", () => {
    // NumPy: "axis 5 is out of bounds for array of dimension 2".
    expectError(
      () => np.sum(ones([3, 2]), 5),
      AxisError,
      /^\[sum\]/,
      /axis 5 is out of bounds for an array of rank 2/,
      /\[-2, 1\]/,
    );
    expectError(() => np.sum(ones([3, 2]), -3), AxisError, /axis -3 is out of bounds/);
    expectError(() => np.mean(ones([3]), 1), AxisError, /^\[mean\]/, /out of bounds/);
    expectError(() => np.transpose(ones([2, 3]), [0, 0]), AxisError, /repeated axis/);
  });

  it("index out of range", () => {
    // NumPy / JAX: "index 5 is out of bounds for axis 0 with size 3".
    expectError(() => ones([3]).get(5), IndexError, /^\[get\]/, /index 5 is out of bounds for axis 0 with size 3/);
    expectError(() => ones([3]).get(-4), IndexError, /index -4 is out of bounds for axis 0 with size 3/);
    expectError(() => ones([2, 3]).get(0, 3), IndexError, /index 3 is out of bounds for axis 1 with size 3/);
    // NumPy: "too many indices for array: array is 1-dimensional, but 2 were indexed".
    expectError(
      () => ones([3]).get(0, 0),
      IndexError,
      /too many indices for array: array is 1-dimensional, but 2 were indexed/,
    );
  });
});

describe("dtype errors", () => {
  it("unknown dtype names", () => {
    // A dtype option is checked by the options mechanism: an OptionError (an ArgumentTypeError) listing the dtypes.
    expectError(
      () => np.zeros([2], "float16" as never),
      OptionError,
      /^\[zeros\]/,
      /option "dtype" must be a dtype/,
      /"float32", "float64", "int32", "uint32", "bool"/,
      /got string "float16"/,
    );
    expectError(
      () => np.ones([2]).astype("int64" as never),
      DTypeError,
      /^\[Array.astype\]/,
      /unknown dtype: got string "int64"/,
    );
    expectError(() => np.array([1, 2], "foo" as never), OptionError, /^\[array\]/, /option "dtype" must be a dtype/);
  });
});

describe("grad errors", () => {
  it("non-scalar output", () => {
    // JAX: "Gradient only defined for scalar-output functions. Output had shape: (3,)."
    expectError(
      () => grad((x: NdArray) => np.sin(x))(ones([3])),
      ShapeError,
      /^\[grad\]/,
      /gradient only defined for scalar-output functions/,
      /\(3,\)/,
    );
    expectError(
      () => valueAndGrad((x: NdArray) => np.stack([x, x]))(1.0),
      ShapeError,
      /gradient only defined for scalar-output functions/,
      /\(2,\)/,
    );
  });

  it("integer input", () => {
    // JAX: "grad requires real- or complex-valued inputs (input dtype that is a sub-dtype of np.inexact), but got int32.
    // If you want to use Boolean- or integer-valued inputs, use vjp or set allow_int to True."
    expectError(
      () => grad((x: NdArray) => np.sum(x))(np.arange(3)),
      DTypeError,
      /^\[grad\]/,
      /grad requires real-valued inputs/,
      /but got int32/,
      /use vjp or set allowInt to true/,
    );
    // allowInt accepts it, with a zero gradient (the output must still be a float, as in JAX).
    const g = grad((x: NdArray) => np.sum(np.multiply(x, 1.5)), {
      allowInt: true,
    })(np.arange(3)) as NdArray;
    expect(g.tolist()).toEqual([0, 0, 0]);
  });

  it("integer output", () => {
    expectError(
      () => grad((x: NdArray) => np.argmax(x))(ones([2])),
      DTypeError,
      /requires real-valued outputs/,
      /int32/,
    );
  });

  it("argnums out of range", () => {
    // JAX: "differentiating with respect to argnums=2 requires at least 3 positional arguments to be passed by the caller, but got only 2".
    const two = (x: NdArray, y: NdArray) => np.add(x, y);
    expectError(
      () => grad(two, { argnums: 2 })(1.0, 2.0),
      TransformError,
      /^\[grad\]/,
      /differentiating with respect to argnums=2 requires at least 3 positional arguments to be passed by the caller, but got only 2/,
    );
    expectError(() => grad(two, { argnums: [0, 3] })(1.0, 2.0), TransformError, /argnums=\[0,3\] requires at least 4/);
    expectError(() => grad(two, { argnums: -3 })(1.0, 2.0), TransformError, /requires at least 3/);
    // A non-integer argnums is refused when the transformation is made, as a wrong option type.
    expectError(() => grad(two, { argnums: 0.5 })(1.0, 2.0), OptionError, /option "argnums" must be/);
  });

  it("hasAux function that does not return a pair", () => {
    // JAX: "expected function with aux output to return a two-element tuple".
    expectError(
      () => grad((x: NdArray) => np.sin(x), { hasAux: true })(1.0),
      TransformError,
      /^\[grad\]/,
      /with aux output to return a two-element array \[value, aux\]/,
      /got an Array f32\[\]/,
    );
    expectError(
      () => grad((x: NdArray) => [np.sin(x), 1, 2], { hasAux: true })(1.0),
      TransformError,
      /two-element array/,
      /an array of length 3/,
    );
    expectError(
      () => valueAndGrad((x: NdArray) => ({ v: x }), { hasAux: true })(1.0),
      TransformError,
      /two-element array/,
      /got Object/,
    );
  });

  it("arguments that are not arrays, and non-functions", () => {
    expectError(
      () => grad((x: NdArray) => x)("abc" as never),
      ArgumentTypeError,
      /^\[grad\]/,
      /argument 0 is string abc/,
    );
    expectError(() => grad(3 as never), TransformError, /^\[grad\]/, /expected a function to transform: got number 3/);
    expectError(() => vmap("f" as never), TransformError, /^\[vmap\]/, /expected a function/);
    expectError(() => jit(null as never), TransformError, /^\[jit\]/, /expected a function/);
  });
});

describe("vmap errors", () => {
  it("inAxes that do not fit the arguments", () => {
    // JAX: "vmap in_axes must be an int, None, or a tuple of entries corresponding to the positional arguments passed to the function".
    expectError(
      () => vmap((x: NdArray, y: NdArray) => np.add(x, y), { inAxes: [0, 0, 0] })(ones([3]), ones([3])),
      TransformError,
      /^\[vmap\]/,
      /inAxes must be a number, null, or an array with one entry per positional argument/,
      /got 3 entries for 2 arguments/,
    );
    // JAX: "vmap was requested to map its argument along axis 2, which implies that its rank should be at least 3, but is only 2 (its shape is (3, 2))".
    expectError(
      () => vmap((x: NdArray) => x, { inAxes: 2 })(ones([3, 2])),
      TransformError,
      /vmap was requested to map its argument along axis 2, which implies that its rank should be at least 3, but is only 2 \(its shape is \(3, 2\)\)/,
    );
    expectError(
      () => vmap((x: NdArray) => x, { inAxes: -3 })(ones([3, 2])),
      TransformError,
      /along axis -3.*rank should be at least 3/,
    );
    expectError(
      () => vmap((x: NdArray) => x)(np.array(1.0)),
      TransformError,
      /rank should be at least 1, but is only 0/,
    );
    expectError(
      () => vmap((x: NdArray) => x, { inAxes: 0.5 })(ones([3])),
      OptionError,
      /option "inAxes" must be an integer, null, or an array/,
    );
    expectError(
      () =>
        vmap((p: { w: NdArray }) => p.w, { inAxes: [{ w: 0, c: 0 }] })({
          w: ones([2]),
          b: ones([2]),
        } as never),
      TreeMismatchError,
      /^\[vmap\]/,
      /axis specification does not fit the arguments/,
    );
  });

  it("inconsistent batch sizes", () => {
    // JAX: "vmap got inconsistent sizes for array axes to be mapped".
    const err = expectError(
      () => vmap((x: NdArray, y: NdArray) => np.add(x, y))(ones([3]), ones([4])),
      TransformError,
      /^\[vmap\]/,
      /vmap got inconsistent sizes for array axes to be mapped/,
    );
    expect(err.message).toMatch(/size 3: axis 0 of argument leaf 0/);
    expect(err.message).toMatch(/size 4: axis 0 of argument leaf 1/);
    expectError(() => vmap((x: NdArray) => x, { axisSize: 5 })(ones([3])), TransformError, /inconsistent sizes/);
  });

  it("no batched argument, outAxes out of range, and a batched output with outAxes null", () => {
    // JAX: "vmap must have at least one non-None value in in_axes".
    expectError(
      () => vmap((x: NdArray) => x, { inAxes: null })(ones([3])),
      TransformError,
      /vmap must have at least one non-null value in inAxes/,
    );
    expectError(() => vmap((x: NdArray) => x, { outAxes: 3 })(ones([3])), TransformError, /outAxes 3 is out of bounds/);
    // JAX: "vmap has mapped output but out_axes is None".
    expectError(
      () => vmap((x: NdArray) => x, { outAxes: null })(ones([3])),
      TransformError,
      /vmap has mapped output but outAxes is null/,
    );
  });
});

describe("tracers turned into JS values", () => {
  // JAX: "Abstract tracer value encountered where concrete value is expected".
  const concreteMsg = /abstract tracer value encountered where a concrete value is expected/;
  const conversions: [string, (x: NdArray) => unknown, RegExp][] = [
    ["if (x > 0)", (x) => ((x as unknown as number) > 0 ? x : np.negative(x)), /^\[Number\(x\)\]/],
    ["Number(x)", (x) => Number(x), /^\[Number\(x\)\]/],
    ["`${x}`", (x) => `${x}`, /^\[`\$\{x\}`\]/],
    ["x.item()", (x) => x.item(), /^\[item\(\)\]/],
    ["x.tolist()", (x) => x.tolist(), /^\[tolist\(\)\]/],
    ["x.dataSync()", (x) => x.dataSync(), /^\[dataSync\(\)\]/],
  ];

  for (const [name, body, opPattern] of conversions) {
    it(`${name} under jit, vmap and makeJaxpr`, () => {
      expectError(
        () => jit((x: NdArray) => body(x))(np.array(1.0)),
        ConcretizationError,
        opPattern,
        concreteMsg,
        /under DynamicJaxprTrace/,
        /staticArgnums/,
      );
      expectError(
        () => vmap((x: NdArray) => body(x))(ones([3])),
        ConcretizationError,
        opPattern,
        concreteMsg,
        /under BatchTrace/,
      );
      expectError(() => makeJaxpr((x: NdArray) => body(x))(1.0), ConcretizationError, concreteMsg);
    });
  }

  it("the same conversions work under grad and jvp, where the primal is concrete", () => {
    const g = grad((x: NdArray) => ((x as unknown as number) > 0 ? np.multiply(x, x) : np.negative(x)));
    expect(Number(g(3.0))).toBe(6);
    expect(Number(g(-3.0))).toBe(-1);
    expect(Number(jvp((x: NdArray) => np.multiply(x, Number(x)), [2.0], [1.0])[1])).toBe(2);
  });

  it("a branch under vmap∘grad is traced, so it is an error", () => {
    const g = grad((x: NdArray) => ((x as unknown as number) > 0 ? np.multiply(x, x) : np.negative(x)));
    expectError(() => vmap(g)(ones([2])), ConcretizationError, concreteMsg);
    expectError(() => jit(g)(1.0), ConcretizationError, concreteMsg);
  });

  it("a one-element requirement for conversions of concrete arrays", () => {
    expectError(() => Number(ones([2])), ConcretizationError, /only one-element arrays convert to a JS number/);
    expectError(() => ones([2]).item(), ConcretizationError, /only one-element arrays convert to a JS value/);
  });
});

describe("escaped tracers", () => {
  // JAX: "Encountered an unexpected tracer".
  const escapedMsg = /encountered an unexpected tracer/;

  it("a tracer leaked from jit, used later eagerly or in another jit", () => {
    let leaked: NdArray | null = null;
    jit((x: NdArray) => {
      leaked = x;
      return x;
    })(np.array(1.0));
    expectError(
      () => np.sin(leaked!),
      UnexpectedTracerError,
      escapedMsg,
      /DynamicJaxprTrace that has already returned/,
      /escaped its transformation/,
    );
    expectError(
      () => jit((y: NdArray | number) => np.add(y, leaked!))(2.0),
      UnexpectedTracerError,
      escapedMsg,
      /already returned/,
    );
    expectError(() => grad((y: NdArray) => np.multiply(y, leaked!))(2.0), UnexpectedTracerError, escapedMsg);
  });

  it("a tracer leaked from vmap or grad, used later", () => {
    let fromVmap: NdArray | null = null;
    vmap((x: NdArray) => {
      fromVmap = x;
      return x;
    })(ones([3]));
    expectError(() => np.sin(fromVmap!), UnexpectedTracerError, escapedMsg, /BatchTrace that has already returned/);
    expectError(() => grad((z: NdArray) => np.multiply(z, np.sum(fromVmap!)))(1.0), UnexpectedTracerError, escapedMsg);

    let fromGrad: NdArray | null = null;
    grad((x: NdArray) => {
      fromGrad = x;
      return x;
    })(1.0);
    expectError(() => np.exp(fromGrad!), UnexpectedTracerError, escapedMsg, /already returned/);
  });
});

describe("pytree structure mismatches", () => {
  it("vjp cotangent with the wrong structure or shape", () => {
    const [, pullback] = vjp((x: NdArray) => [np.sin(x), np.cos(x)], 1.0);
    // JAX: "Tree structure of cotangent input ..., does not match structure of primal output ...".
    expectError(
      () => pullback([1.0]),
      TreeMismatchError,
      /^\[vjp\]/,
      /cotangent structure mismatch/,
      /got PyTreeDef\(\[\*\]\), expected PyTreeDef\(\[\*, \*\]\)/,
    );
    expectError(() => pullback({ a: 1.0, b: 1.0 }), TreeMismatchError, /cotangent structure mismatch/);
    const [, pb2] = vjp((x: NdArray) => np.sin(x), ones([3]));
    expectError(
      () => pb2(ones([4])),
      ShapeError,
      /cotangent shape mismatch for output 0: got f32\[4\], expected f32\[3\]/,
    );
  });

  it("jvp and linearize tangents with the wrong structure or shape", () => {
    // JAX: "primal and tangent arguments to jax.jvp must have the same tree structure".
    expectError(
      () => jvp((x: NdArray, y: NdArray) => np.add(x, y), [1.0, 2.0], [1.0] as never),
      TreeMismatchError,
      /^\[jvp\]/,
      /tangent structure mismatch/,
    );
    expectError(
      () => jvp((p: { a: NdArray }) => p.a, [{ a: 1.0 }], [{ b: 1.0 }] as never),
      TreeMismatchError,
      /got PyTreeDef\(\[\{'b': \*\}\]\), expected PyTreeDef\(\[\{'a': \*\}\]\)/,
    );
    // JAX: "primal and tangent arguments to jax.jvp do not match".
    expectError(
      () => jvp((x: NdArray) => x, [ones([3])], [ones([2])]),
      ShapeError,
      /primal and tangent arguments do not match/,
      /f32\[3\].*f32\[2\]/,
    );
    expectError(
      () => jvp((x: NdArray) => x, [ones([3])], [np.arange(3)]),
      DTypeError,
      /primal and tangent arguments do not match/,
      /tangent dtype int32/,
    );
    expectError(
      () => jvp((x: NdArray) => x, 1.0 as never, 1.0 as never),
      TransformError,
      /primals and tangents must be JS arrays/,
    );
    const [, fLin] = linearize((x: NdArray, y: NdArray) => np.multiply(x, y), 2.0, 3.0);
    expectError(
      () => (fLin as (...a: unknown[]) => unknown)(1.0),
      TreeMismatchError,
      /^\[linearize\]/,
      /tangent structure mismatch/,
    );
  });

  it("tree.map over trees of different structure", () => {
    expectError(
      () => tree.map((a: unknown) => a, { a: 1 }, { b: 1 }),
      TreeMismatchError,
      /^\[tree\.map\]/,
      /structure mismatch/,
    );
  });
});

describe("jit argument errors", () => {
  it("staticArgnums out of range, and non-array dynamic arguments", () => {
    expectError(
      () =>
        jit((x: NdArray | number, n: number) => np.multiply(x, n), {
          staticArgnums: 3,
        })(1.0, 2),
      TransformError,
      /^\[jit\]/,
      /staticArgnums 3 is out of range for a call with 2 arguments/,
    );
    expectError(
      () => jit((x: NdArray | number, s: string) => (s === "a" ? x : x))(1.0, "a"),
      ArgumentTypeError,
      /^\[jit\]/,
      /expected an Array or a number/,
      /staticArgnums/,
    );
  });
});

describe("a primitive declared nondifferentiable", () => {
  // A primitive whose values are neg's, declared without a JVP rule that could be right.
  const opaqueP: Primitive = definePrimitive({
    name: "test_opaque_neg",
    abstractEval: ([x]) => x,
    lower: () => ({ name: "unary", op: "neg" }),
    jvp: "nondifferentiable",
    vmap: ([x], [d]) => [bind1(opaqueP, [x]), d],
    stablehlo: (c, [x]) => lowerUnary(c, "neg", x),
  });
  const opaque = (x: NdArray) => bind1(opaqueP, [x]);

  it("evaluates, batches, and takes zero tangents", () => {
    expect(opaque(np.array([1, -2])).tolist()).toEqual([-1, 2]);
    expect(vmap(opaque)(np.array([3, 4])).tolist()).toEqual([-3, -4]);
    const g = grad((x: NdArray) => np.add(x, np.sum(opaque(stopGradient(x)))));
    expect(g(np.array(2)).item()).toBe(1);
  });

  it("raises a TransformError naming it when a non-zero tangent reaches it", () => {
    expect(() => grad((x: NdArray) => opaque(x))(np.array(2))).toThrow(TransformError);
    expect(() => jvp(opaque, [np.array(2)], [np.array(1)])).toThrow(
      /\[test_opaque_neg\] differentiation rule for 'test_opaque_neg' not implemented: got a non-zero tangent/,
    );
  });
});
