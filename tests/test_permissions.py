"""Role rules live in registry/permissions.py only: no template, view, API module or workflow
compares a user's role with a role name."""

from __future__ import annotations

import ast
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1] / "registry"
# `current_user.role == 'admin'`, `user.role in ('reviewer', 'admin')`, `'designer' != role` ...
TEMPLATE_ROLE_TEST = re.compile(
    r"\brole\s*(==|!=|\bin\b|\bnot\s+in\b)\s*[\"'(\[]|[\"']\s*(==|!=)\s*[\w.]*\brole\b"
)


def _is_role(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "role") or (
        isinstance(node, ast.Name) and node.id == "role"
    )


def _names_a_role(node: ast.AST) -> bool:
    """A string, or a tuple, list or set holding one."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_names_a_role(item) for item in node.elts)
    return False


def role_comparisons(source: str) -> list[int]:
    """Lines where a role is compared with a role name."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(map(_is_role, sides)) and any(map(_names_a_role, sides)):
                lines.append(node.lineno)
    return lines


def test_the_role_check_finds_comparisons_in_python_and_templates():
    assert role_comparisons('if user.role == "admin":\n    pass\n') == [1]
    assert role_comparisons('x = current_user.role in ("reviewer", "admin")\n') == [1]
    assert role_comparisons("stmt.where(User.role == role)\n") == []
    assert TEMPLATE_ROLE_TEST.search("{% if current_user.role == 'designer' %}")
    assert TEMPLATE_ROLE_TEST.search("{% if current_user.role in ('designer', 'locality') %}")
    assert not TEMPLATE_ROLE_TEST.search("{{ current_user.role_label }}")


def test_no_template_or_module_but_permissions_compares_a_role():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted(ROOT.rglob("*.py"))
        if path.name != "permissions.py" or path.parent != ROOT
        for line in role_comparisons(path.read_text())
    ]
    offenders += [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(ROOT.rglob("*.html"))
        for number, text in enumerate(path.read_text().splitlines(), start=1)
        if TEMPLATE_ROLE_TEST.search(text)
    ]
    assert offenders == [], "role rules belong in registry/permissions.py: " + ", ".join(offenders)
