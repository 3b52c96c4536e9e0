/** stablehlo.deserialize takes no optional parameters. */
import type { NoOptionsEntry } from "./table.js";

const MODULE = `module @jit_f {
  func.func public @main(%arg0: tensor<2xf32>) -> (tensor<2xf32> {jax.result_info = "result"}) {
    %0 = stablehlo.sine %arg0 : tensor<2xf32>
    return %0 : tensor<2xf32>
  }
}`;

export const stablehloImportNoOptions: NoOptionsEntry[] = [{ name: "stablehlo.deserialize", args: [MODULE] }];
