"""Layers only look down: every import inside the package goes to a layer below (or its own module group).

The order is data (docs/architecture.md draws it); a new module belongs to a
layer, and an import that goes up or sideways fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "nl80211dec"

# lowest first; a module may import its own layer's modules and any layer before it
LAYERS: list[set[str]] = [
    {"errors", "wire", "version"},
    {"capture"},
    {"link"},
    {"netlink"},
    {"nl80211"},
    {"dot11"},
    {"sae"},
    {"pipeline"},
    {"air"},
    {"textlog"},
    {"sequence"},
    {"query"},
    {"render"},
    {"session", "diff"},
    {"api"},
    {"cli", "live", "__main__", "__init__", "_pure", "testing"},  # entry points: the command lines, the live capture,
    # the package itself (and its NL80211DEC_PURE import finder)
]
LEVEL = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def layer_of(module: str) -> str:
    """'nl80211dec.sequence.verdicts' -> 'sequence'."""
    parts = module.split(".")
    if len(parts) < 2 or not ((PACKAGE / parts[1]).is_dir() or (PACKAGE / f"{parts[1]}.py").exists()):
        return "__init__"  # the package itself, or a name defined in its __init__ (``__version__``)
    return parts[1]


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import of the package in one file, lazy imports included."""
    package = list(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                names = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
            else:
                names = [node.module or ""]
            out += [(node.lineno, n) for n in names if n.startswith("nl80211dec")]
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("nl80211dec")]
    return out


def test_every_module_has_a_layer():
    for path in PACKAGE.rglob("*.py"):
        name = layer_of(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        assert name in LEVEL, f"{path}: put {name!r} in a layer of tests/test_layers.py"


def test_imports_only_go_down():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        me = layer_of(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        for line, target in imports_of(path):
            them = layer_of(target)
            top = LEVEL[me] == len(LAYERS) - 1  # the entry points may use each other
            if LEVEL[them] > LEVEL[me] or (LEVEL[them] == LEVEL[me] and them != me and not top):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {me} imports {target} ({them})")
    assert not wrong, "\n".join(wrong)
