/**
 * The table behind tests/options.test.ts: for each exported function with
 * optional parameters, how to call it and which values to try. Every option
 * key a function declares (`optionRegistry`) must appear in at least one case,
 * so a new option without a both-forms test fails the suite.
 */

/** One way of giving options: the same call positionally (JAX's order) and as a trailing object. */
export interface OptionCase {
  /** The optional arguments in JAX's positional order (undefined skips one). */
  positional: unknown[];
  /** The same options, camelCased, in a trailing object. */
  object: Record<string, unknown>;
  /** Some positional, the rest in the object: [positional prefix, object]. Optional. */
  mixed?: [unknown[], Record<string, unknown>];
}

/** The cases of one function (its registered name, e.g. "sum", "lax.sort", "nn.gelu"). */
export interface OptionTableEntry {
  /** The name the function registers its options under (`defineOptions(name, ...)`). */
  op: string;
  /** The export it tests, when its name differs from `op` (np.asArray checks under "asarray"). */
  exportName?: string;
  /** Calls the function with its required arguments, then the optional ones given. */
  call: (...optional: unknown[]) => unknown;
  /** Calls in both forms that must agree. Keys of keyword-only options appear only in `object`. */
  cases: OptionCase[];
  /**
   * Its trailing arguments may be data (tree.map's extra trees): a trailing object with an
   * unknown key is data, not options, so the unknown-key check does not apply.
   */
  trailingData?: boolean;
  /** Keyword-only options: tried only in object form. [object, expected-value-check?] */
  keywordOnly?: Record<string, unknown>[];
}

/** A function without optional parameters: its required arguments, so the test can append a stray one. */
export interface NoOptionsEntry {
  /** The export's path: "add", "linalg.norm", "lax.neg", "nn.relu", "random.split", "grad", ... */
  name: string;
  /** Valid required arguments. */
  args: unknown[];
  /**
   * Its trailing arguments are data of any kind (cond's operands, broadcastArrays' arrays,
   * tree.map's extra trees), so a trailing object cannot be refused: the reason, in words.
   */
  variadic?: string;
}
