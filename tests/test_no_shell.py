"""Nothing the package runs goes through a shell: titles and paths can never become commands."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "audiobook"
SHELLS = {("os", "system"), ("os", "popen"), ("subprocess", "getoutput"),
          ("subprocess", "getstatusoutput")}  # fmt: skip


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _dotted(func: ast.expr) -> tuple[str, str] | None:
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id, func.attr
    return None


def test_no_shell_anywhere_in_the_package() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(PACKAGE.parent)}:{call.lineno}"
            if _dotted(call.func) in SHELLS:
                offenders.append(where)
            shell = [k.value for k in call.keywords if k.arg == "shell"]
            if shell and not (isinstance(shell[0], ast.Constant) and shell[0].value is False):
                offenders.append(where)
    assert offenders == []
