"""User data is never turned into code: no pickle, eval, exec or unsafe YAML anywhere in the package."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "syngen"
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve"}


def test_no_module_unpickles_or_evaluates_anything():
    offences = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
                offences.append(f"{path.name}:{node.lineno} calls {node.func.id}()")
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                offences += [f"{path.name}:{node.lineno} imports {n}" for n in names
                             if n.split(".")[0] in FORBIDDEN_MODULES]
            if isinstance(node, ast.Attribute) and node.attr == "load" and getattr(node.value, "id", "") == "yaml":
                offences.append(f"{path.name}:{node.lineno} uses yaml.load")
    assert offences == []
