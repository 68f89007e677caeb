"""The stages as a checked contract: every import of the package, at the top of a module or
inside a function, looks down the stages or stays within its own stage. Nothing is excused."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "impactreport"

# lowest first: a module may import its own stage folder and anything listed before it
LAYERS = (
    "__init__",
    "errors",
    "digests",
    "folders",
    "paths",
    "lock",
    "yamlfile",
    "config",
    "inputs",
    "analysis",
    "publishing",
    "pipeline",
    "commands",
    "cli",
    "__main__",
)
FOLDERS = {name for name in LAYERS if (PACKAGE / name).is_dir()}
# what a notebook kernel may import: the stages below publishing
KERNEL = LAYERS.index("analysis")


def layer(module: str) -> int:
    """The stage of ``impactreport.x.y``: the position of ``x`` in ``LAYERS``."""
    parts = module.split(".")
    assert parts[0] == "impactreport", module
    top = parts[1] if len(parts) > 1 else "__init__"
    assert top in LAYERS, f"{module}: a module of no stage; add it to LAYERS"
    return LAYERS.index(top)


def is_module(name: str) -> bool:
    return (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").is_file()


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every ``impactreport`` module an AST imports, with its line; relative imports resolved."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found += [(node.lineno, base)]
            # ``from impactreport import config`` names a module: its own stage counts
            if base == "impactreport":
                found += [
                    (node.lineno, f"impactreport.{a.name}") for a in node.names if is_module(a.name)
                ]
    return [(line, name) for line, name in found if name.split(".")[0] == "impactreport"]


def upward(path: Path) -> list[str]:
    module = module_name(path)
    own = layer(module)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = imported(tree, module, path.name == "__init__.py")
    wrong = []
    for line, name in found:
        if name == "impactreport":
            continue
        theirs = layer(name)
        same_folder = theirs == own and LAYERS[own] in FOLDERS
        if theirs > own or (theirs == own and not same_folder and name != module):
            wrong.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return wrong


def package_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "skeleton" not in p.parts)


def test_no_import_runs_back_up_a_stage():
    wrong = [line for path in package_files() for line in upward(path)]
    assert not wrong, "imports that run back up the stages:\n" + "\n".join(wrong)


def test_every_module_has_a_stage():
    for path in package_files():
        layer(module_name(path))


def kernel_sources() -> list[tuple[str, str]]:
    """The code a notebook kernel runs: the project's notebooks, the skeleton's, and helpers."""
    sources = []
    for folder in (ROOT / "notebooks", PACKAGE / "skeleton" / "notebooks"):
        for path in sorted(folder.glob("*.py")):
            sources.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
        for path in sorted(folder.glob("*.ipynb")):
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            for n, cell in enumerate(cells):
                if cell["cell_type"] == "code":
                    code = "".join(cell["source"])
                    # IPython's magics are no Python
                    code = "\n".join(x for x in code.splitlines() if x.lstrip()[:1] not in "%!")
                    sources.append((f"{path.relative_to(ROOT)} cell {n}", code))
    return sources


def test_notebooks_import_only_the_stages_below_publishing():
    wrong = []
    for where, code in kernel_sources():
        for line, name in imported(ast.parse(code), "notebook", False):
            if name != "impactreport" and layer(name) > KERNEL:
                wrong.append(f"{where}:{line} imports {name}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("from impactreport.pipeline import build", True),
        ("def f():\n    from impactreport.commands import init", True),
        ("import impactreport.cli", True),
        ("from impactreport import config", False),
        ("from impactreport.inputs import door", False),
        ("from impactreport.analysis.editions import load", True),
    ],
)
def test_the_reader_sees_an_upward_import_at_any_depth(code, expected):
    """The check itself can fail: an import from inputs up to a later stage is seen, inside a
    function too, while one within the stage or down to the foundation is not."""
    module = PACKAGE / "inputs" / "probe.py"
    found = imported(ast.parse(code), module_name(module), False)
    own = layer(module_name(module))
    assert any(layer(n) > own for _, n in found if n != "impactreport") is expected
