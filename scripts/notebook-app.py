#!/usr/bin/python3
"""A notebook's walkthrough as a .NET 10 file-based app, for `dotnet run` without a notebook kernel.

  notebook-app.py NOTEBOOK.ipynb     prints notebooks/apps/NAME.cs (scripts/notebooks.sh --update writes it)

The app is the notebook's cells in order: markdown as comments, every cell's usings gathered at the top, the
`#load "research.csx"` cell replaced by FileApp.Start, and the kernel's display() by FileApp.display (plots become
PNG files under runs/apps/NAME/). Parameters are read the same way ($RESEARCH_NB_<name>).
"""
import json
import os
import re
import sys

USING = re.compile(r"^using (static )?[\w.]+;$")


def text(value):
    return "".join(value) if isinstance(value, list) else value


def app(path):
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    name = os.path.splitext(os.path.basename(path))[0]
    usings, body = set(), []
    for cell in nb["cells"]:
        lines = text(cell["source"]).rstrip("\n").split("\n")
        if cell["cell_type"] == "markdown":
            body.append([("// " + line).rstrip() for line in lines])
        elif cell["cell_type"] == "code":
            if any(line.strip() == '#load "research.csx"' for line in lines):
                body.append([f'FileApp.Start("{name}", () => Console.Out, () => Console.Error);'])
                continue
            code = []
            for line in lines:
                if USING.match(line.strip()):
                    usings.add(line.strip())
                elif code or line.strip():
                    code.append(line.rstrip())
            body.append(code)
    usings.add("using Research.Experiments.Notebooks;")
    usings.add("using static Research.Experiments.Notebooks.FileApp;")

    def order(u):
        static = u.startswith("using static ")
        target = u[len("using static "):] if static else u[len("using "):]
        return (static, not (target == "System" or target.startswith("System.")), target)

    title = text(nb["cells"][0]["source"]).split("\n")[0].lstrip("# ").strip()
    out = [
        f"// {title}: notebooks/{name}.ipynb as a .NET 10 file-based app. Generated from the notebook by",
        "// scripts/notebooks.sh --update: edit the notebook, not this file. Run from anywhere:",
        f"//   dotnet run notebooks/apps/{name}.cs          (figures: runs/apps/{name}/)",
        "#:project ../../experiments/Research.Experiments.csproj",
        "#:property PublishAot=false",
        "",
    ]
    out += sorted(usings, key=order)
    for block in body:
        out.append("")
        out += block
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    sys.stdout.write(app(sys.argv[1]))
