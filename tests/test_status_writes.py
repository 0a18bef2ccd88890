"""Only registry/workflow.py writes a submission's status: no other module assigns `.status`,
passes `status=` to Submission(…), or updates the column with update(Submission).values(…)."""

from __future__ import annotations

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1] / "registry"


def _mentions_submission(node: ast.AST) -> bool:
    return "Submission" in ast.unparse(node)


def _other_models(function: ast.AST) -> set[str]:
    """Names the function annotates with a type that cannot be a Submission."""
    annotated = [
        *(a for a in ast.walk(function) if isinstance(a, ast.arg) and a.annotation),
        *(a for a in ast.walk(function) if isinstance(a, ast.AnnAssign)),
    ]
    names = set()
    for item in annotated:
        name = item.arg if isinstance(item, ast.arg) else ast.unparse(item.target)
        if not _mentions_submission(item.annotation):
            names.add(name)
    return names


def _targets(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.Assign):
        found = []
        for target in node.targets:
            found += target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
        return found
    if isinstance(node, ast.AugAssign | ast.AnnAssign):
        return [node.target]
    return []


def _sets_status(call: ast.Call) -> bool:
    """`status=` among the keywords, or a dict with a "status" key among the arguments."""
    if any(k.arg == "status" for k in call.keywords):
        return True
    return any(
        isinstance(a, ast.Dict)
        and any(isinstance(k, ast.Constant) and k.value == "status" for k in a.keys)
        for a in call.args
    )


def _statement_on_submissions(node: ast.AST) -> bool:
    """Whether a chain like update(Submission).where(…) starts from the submissions table."""
    while isinstance(node, ast.Attribute | ast.Call):
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func).rsplit(".", 1)[-1]
            if name in ("update", "insert", "query") and any(map(_mentions_submission, node.args)):
                return True
            node = node.func
        else:
            node = node.value
    return False


def status_writes(source: str) -> list[int]:
    """Lines of the source that may write a submission's status."""
    tree = ast.parse(source)
    scopes = [
        (node, _other_models(node))
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]

    def others_at(line: int) -> set[str]:
        inner = [names for f, names in scopes if f.lineno <= line <= (f.end_lineno or line)]
        return set().union(*inner) if inner else set()

    lines = [
        node.lineno
        for node in ast.walk(tree)
        for target in _targets(node)
        if isinstance(target, ast.Attribute)
        and target.attr == "status"
        and ast.unparse(target.value) not in others_at(node.lineno)
    ]
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func).rsplit(".", 1)[-1]
        if name == "setattr":
            status = [a for a in node.args[1:2] if isinstance(a, ast.Constant)]
            if status and status[0].value == "status":
                lines.append(node.lineno)
        elif (
            name == "Submission"
            and _sets_status(node)
            or (
                name in ("values", "update")
                and _sets_status(node)
                and _statement_on_submissions(node.func)
            )
        ):
            lines.append(node.lineno)
    return sorted(set(lines))


def test_the_check_finds_every_way_of_writing_a_status():
    writes = """
def a(submission):
    submission.status = "approved"
def b(s, other):
    s.status, other.x = "approved", 1
def c(user, asset):
    asset.submission.status = "revoked"
def d():
    db.session.execute(sa.update(Submission).where(Submission.id == 1).values(status="x"))
def e():
    db.session.execute(update(Submission).values({"status": "x"}))
def f(target):
    setattr(target, "status", "draft")
def g():
    return Submission(title="t", status="approved")
def h():
    db.session.query(Submission).filter_by(id=1).update({"status": "x"})
"""
    assert status_writes(writes) == [3, 5, 7, 9, 11, 13, 15, 17]
    fine = """
def a(display: Display):
    display.status = "installed"
def b(submission):
    if submission.status == "draft":
        return sa.update(Review).values(status="x")
def c():
    return sa.select(Submission).where(Submission.status == "approved")
"""
    assert status_writes(fine) == []


def test_only_the_workflow_module_writes_a_submission_status():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted(ROOT.rglob("*.py"))
        if path != ROOT / "workflow.py"
        for line in status_writes(path.read_text())
    ]
    assert offenders == [], "only registry/workflow.py changes a status: " + ", ".join(offenders)


def test_the_workflow_module_is_where_the_status_is_written():
    assert status_writes((ROOT / "workflow.py").read_text()), "the check no longer sees it"
