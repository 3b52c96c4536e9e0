#!/usr/bin/env python3
"""Runs a StableHLO module written by cotangent's `stablehlo.export` on XLA, through JAX.

    python scripts/stablehlo_on_xla.py step.mlir inputs.npz [--out outputs.npz] [--check-only]

`step.mlir` is `exported.mlirModule()` saved to a file; `inputs.npz` holds the flat
arguments in order (`np.savez(path, tree.leaves(args))` in cotangent names them 0, 1, ...).
The module's `@main` signature is checked against the inputs first (shapes and dtypes),
without JAX; `--check-only` stops there. Then, with JAX installed, the module becomes a
`jax.export.Exported` and runs under `jax.jit` on JAX's default device (CPU, GPU or TPU),
and the outputs are printed and saved.

The same `load_exported(text)` serves multi-device runs: the module is single-device and
unsharded, so `jax.jit(exp.call, in_shardings=..., out_shardings=...)` with a `NamedSharding`
over a mesh lets XLA partition it (docs/xla.md shows how).
"""
from __future__ import annotations

import argparse
import re
import sys

import numpy as np

# MLIR element types of the tensors cotangent writes, as NumPy dtypes.
ELEMENT_TYPES = {
    "f32": np.float32,
    "f64": np.float64,
    "i32": np.int32,
    "ui32": np.uint32,
    "i1": np.bool_,
}


def main_signature(text: str) -> list[tuple[tuple[int, ...], np.dtype]]:
    """The (shape, dtype) of each argument of `func.func public @main`, read from the text."""
    match = re.search(r"func\.func public @main\((.*?)\)\s*->", text, re.S)
    if match is None:
        raise ValueError("no `func.func public @main(...)` in the module: is it a StableHLO export?")
    out = []
    for dims, element in re.findall(r"tensor<((?:\d+x)*)(\w+)>", match.group(1)):
        if element not in ELEMENT_TYPES:
            raise ValueError(f"argument element type {element} is not one cotangent exports")
        shape = tuple(int(d) for d in dims.split("x") if d)
        out.append((shape, np.dtype(ELEMENT_TYPES[element])))
    return out


def check_inputs(text: str, inputs: list[np.ndarray]) -> None:
    """Raises ValueError naming the first argument whose shape or dtype differs from @main's."""
    expected = main_signature(text)
    if len(expected) != len(inputs):
        raise ValueError(f"@main takes {len(expected)} arguments, got {len(inputs)} arrays")
    for k, ((shape, dtype), x) in enumerate(zip(expected, inputs)):
        if tuple(x.shape) != shape or x.dtype != dtype:
            raise ValueError(
                f"argument {k}: @main expects {dtype}{list(shape)}, got {x.dtype}{list(x.shape)}"
            )


def load_inputs(path: str) -> list[np.ndarray]:
    """The arrays of an .npz in argument order: by number when named 0, 1, ... or arr_0, arr_1, ...;
    else in the file's order."""
    with np.load(path) as z:
        names = list(z.files)
        numbered = [re.fullmatch(r"(?:arr_)?(\d+)", n) for n in names]
        if all(numbered):
            names = [n for _, n in sorted(zip((int(m.group(1)) for m in numbered), names))]
        return [z[n] for n in names]


def load_exported(text: str, platform: str | None = None):
    """A `jax.export.Exported` over the module text, for `exp.call(*args)` under `jax.jit`.

    Built from the module as `jax.export` builds its own (calling convention 9: no platform
    index or effect tokens, one device, no shardings), the text being serialized as a
    portable StableHLO artifact at the minimum version this JAX accepts.
    """
    import jax
    from jax import export, tree_util
    from jax._src import core
    from jax._src.lib import xla_client
    from jax._src.lib.mlir.dialects import hlo

    signature = main_signature(text)
    results = re.search(r"func\.func public @main\(.*?\)\s*->\s*\((.*?)\)\s*\{", text, re.S)
    result_types = re.findall(r"tensor<((?:\d+x)*)(\w+)>", results.group(1) if results else "")
    in_avals = tuple(core.ShapedArray(s, d) for s, d in signature)
    out_avals = tuple(
        core.ShapedArray(tuple(int(x) for x in dims.split("x") if x), np.dtype(ELEMENT_TYPES[e]))
        for dims, e in result_types
    )
    name = re.search(r"module @(\w+)", text)
    serialized = xla_client._xla.mlir.serialize_portable_artifact(text, hlo.get_minimum_version())
    return export.Exported(
        fun_name=name.group(1).removeprefix("jit_") if name else "main",
        in_tree=tree_util.tree_structure((tuple(0 for _ in in_avals), {})),
        in_avals=in_avals,
        out_tree=tree_util.tree_structure(tuple(0 for _ in out_avals)),
        out_avals=out_avals,
        in_shardings_hlo=(None,) * len(in_avals),
        out_shardings_hlo=(None,) * len(out_avals),
        nr_devices=1,
        platforms=(platform or export.default_export_platform(),),
        ordered_effects=(),
        unordered_effects=(),
        disabled_safety_checks=(),
        mlir_module_serialized=serialized,
        calling_convention_version=9,
        module_kept_var_idx=tuple(range(len(in_avals))),
        uses_global_constants=False,
        _get_vjp=None,
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", help="StableHLO text from exported.mlirModule()")
    parser.add_argument("inputs", help=".npz of the flat arguments, in order")
    parser.add_argument("--out", help="write the outputs to this .npz")
    parser.add_argument("--check-only", action="store_true", help="check the inputs against @main, run nothing")
    args = parser.parse_args(argv)
    with open(args.module, encoding="utf-8") as f:
        text = f.read()
    inputs = load_inputs(args.inputs)
    try:
        check_inputs(text, inputs)
    except ValueError as e:
        print(f"stablehlo_on_xla: {e}", file=sys.stderr)
        return 2
    print(f"inputs match @main: {len(inputs)} arguments")
    if args.check_only:
        return 0
    try:
        import jax
    except ImportError:
        print("stablehlo_on_xla: JAX is not installed here: `pip install jax` (or jax[cuda12]), then run again", file=sys.stderr)
        return 3

    outputs = jax.jit(load_exported(text).call)(*inputs)
    outputs = [np.asarray(o) for o in outputs]
    print(f"ran on {jax.devices()[0]}")
    for k, o in enumerate(outputs):
        print(f"output {k}: {o.dtype}{list(o.shape)} {np.array2string(o.ravel()[:8], precision=7)}")
    if args.out:
        np.savez(args.out, *outputs)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
