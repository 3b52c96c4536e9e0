/**
 * The error of StableHLO text that cotangent cannot read: malformed text, an op it does not
 * know, a type it has no dtype for. Messages carry the line and column of the offending text.
 */
import { CotangentError } from "../core/errors.js";

/**
 * StableHLO text that cannot be read or run, with its place in the text (1-based `line` and
 * `column`, 0 when the error concerns the module as a whole). JAX raises `ValueError` or an
 * MLIR parse error here (No JAX twin class).
 *
 * @example
 * try {
 *   stablehlo.deserialize("module { func.func public @main() -> () { stablehlo.bogus } }");
 * } catch (e) {
 *   if (e instanceof StableHloError) console.log(e.line, e.column); // 1 44
 * }
 */
export class StableHloError extends CotangentError {
  constructor(
    message: string,
    readonly line = 0,
    readonly column = 0,
  ) {
    super(message);
  }
}

/** A place in the source text (1-based). */
export interface Pos {
  line: number;
  column: number;
}

/** `[stablehlo.deserialize] <what> at line L, column C<detail>`, detail being `: got X, expected Y. Hint.` */
export function errorAt(pos: Pos | null, what: string, detail = "."): StableHloError {
  const where = pos ? ` at line ${pos.line}, column ${pos.column}` : "";
  return new StableHloError(`[stablehlo.deserialize] ${what}${where}${detail}`, pos?.line ?? 0, pos?.column ?? 0);
}
