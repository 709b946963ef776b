#!/usr/bin/python3
"""The executed copy of a notebook, and whether it passes (scripts/notebooks.sh calls this after dotnet-repl).

  check-notebook.py SOURCE EXECUTED OUT   OUT = SOURCE with the outputs of EXECUTED (dotnet-repl's copy), then checked
  check-notebook.py --self-test           shows that each check below rejects what it should

OUT keeps SOURCE's cells and metadata (dotnet-repl rewrites the metadata and adds timestamps to every cell); only the
code cells' outputs and execution counts come from EXECUTED, whose cells must be SOURCE's, in order. OUT fails when
  - a code cell has an error output, or wrote to stderr;
  - no cell shows an image (image/png or image/svg+xml);
  - it is not valid against the nbformat schema of its version (Debian's python3-nbformat, strict: nothing repaired).
Exit 0 and one line when OUT passes; exit 1 and one line per problem otherwise.
"""
import copy
import json
import sys

from nbformat.validator import get_validator

IMAGE_TYPES = ("image/png", "image/svg+xml")


def text(value):
    return "".join(value) if isinstance(value, list) else value


def merge(source, executed):
    """SOURCE with EXECUTED's outputs; ValueError when EXECUTED is not a run of SOURCE."""
    if len(source["cells"]) != len(executed["cells"]):
        raise ValueError(f"the executed copy has {len(executed['cells'])} cells, the notebook {len(source['cells'])}")
    merged = copy.deepcopy(source)
    for k, (cell, run) in enumerate(zip(merged["cells"], executed["cells"]), 1):
        if cell["cell_type"] != run["cell_type"] or text(cell["source"]).strip() != text(run["source"]).strip():
            raise ValueError(f"cell {k} of the executed copy is not the notebook's cell {k}")
        if cell["cell_type"] == "code":
            cell["outputs"] = run.get("outputs", [])
            cell["execution_count"] = run.get("execution_count")
    return merged


def problems(nb):
    found, images = [], 0
    for k, cell in enumerate(nb.get("cells", []), 1):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error":
                found.append(f"cell {k}: error output: {output.get('ename')}: {text(output.get('evalue', '')).strip()[:2000]}")
            elif kind == "stream" and output.get("name") == "stderr":
                found.append(f"cell {k}: wrote to stderr: {text(output.get('text', '')).strip()[:2000]}")
            elif any(mime in output.get("data", {}) for mime in IMAGE_TYPES):
                images += 1
    if images == 0:
        found.append("no image output (image/png or image/svg+xml) in any cell")
    validator = get_validator(nb.get("nbformat", 4), nb.get("nbformat_minor", 0))
    for error in validator.iter_errors(nb):
        where = "/".join(str(p) for p in error.absolute_path) or "notebook"
        found.append(f"nbformat {nb.get('nbformat')}.{nb.get('nbformat_minor')} schema: {where}: {error.message[:300]}")
    return found


def write(nb, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")


def self_test():
    code = {"cell_type": "code", "execution_count": None, "metadata": {}, "source": "1", "outputs": []}
    source = {"cells": [copy.deepcopy(code)], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
    image = {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo="}, "metadata": {}}

    def run(*outputs):
        executed = copy.deepcopy(source)
        executed["cells"][0]["outputs"] = list(outputs)
        return merge(source, executed)

    assert problems(run(image)) == [], problems(run(image))
    error = {"output_type": "error", "ename": "Error", "evalue": "CS0103", "traceback": []}
    assert any("error output" in p for p in problems(run(image, error)))
    stderr = {"output_type": "stream", "name": "stderr", "text": "boom"}
    assert any("stderr" in p for p in problems(run(image, stderr)))
    assert any("no image" in p for p in problems(run({"output_type": "stream", "name": "stdout", "text": "ok"})))
    assert any("schema" in p for p in problems(run(dict(image, unexpected=1))))
    other = copy.deepcopy(source)
    other["cells"][0]["source"] = "2"
    try:
        merge(source, other)
        raise AssertionError("a copy of another notebook was merged")
    except ValueError:
        pass


def main(args):
    if args == ["--self-test"]:
        self_test()
        return 0
    if len(args) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    source_path, executed_path, out_path = args
    with open(source_path, encoding="utf-8") as f:
        source = json.load(f)
    with open(executed_path, encoding="utf-8") as f:
        executed = json.load(f)
    try:
        merged = merge(source, executed)
    except ValueError as e:
        print(f"{source_path}: {e}")
        return 1
    write(merged, out_path)
    found = problems(merged)
    for problem in found:
        print(f"{source_path}: {problem}")
    if found:
        return 1
    outputs = [o for c in merged["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    images = sum(1 for o in outputs if any(m in o.get("data", {}) for m in IMAGE_TYPES))
    code_cells = sum(1 for c in merged["cells"] if c["cell_type"] == "code")
    print(f"{source_path}: ok: {code_cells} code cells, {images} images, no error output, valid nbformat "
          f"{merged['nbformat']}.{merged['nbformat_minor']} -> {out_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
