#!/usr/bin/python3
"""onnx's own checker on ONNX files that `research export --format onnx` wrote (docs/interop.md).

  check_onnx.py MODEL.onnx [MODEL.onnx ...]

Runs onnx.checker.check_model with full_check (the structural checks and strict shape inference) on every file and
prints one line each. Exit 0 when every file passes, 1 when one fails, 2 on a missing file. Needs Debian 12's
python3-onnx (1.12), whose checker accepts IR version 8 and opset 17 at most; run it with /usr/bin/python3.
"""
import os
import sys

import onnx


def main(paths):
    if not paths:
        print("check_onnx: give one or more .onnx files")
        return 2
    failed = 0
    for path in paths:
        if not os.path.isfile(path):
            print(f"{path}: no such file")
            return 2
        model = onnx.load(path)
        opsets = ", ".join(f"{o.domain or 'ai.onnx'} {o.version}" for o in model.opset_import)
        try:
            onnx.checker.check_model(model, full_check=True)
        except (onnx.checker.ValidationError, onnx.shape_inference.InferenceError) as e:
            failed += 1
            print(f"{path}: FAILED onnx {onnx.__version__} checker: {str(e).splitlines()[0]}")
            continue
        print(f"{path}: ok (onnx {onnx.__version__} checker, IR {model.ir_version}, opset {opsets}, "
              f"{len(model.graph.node)} nodes, {len(model.graph.initializer)} initializers)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
