"""The README's layout section names every module and folder of the package, and nothing
that is gone."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _layout() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("## Layout", 1)[1].split("```")[1]


def _entries(folder: pathlib.Path) -> set[str]:
    return {
        p.name + ("/" if p.is_dir() else "")
        for p in folder.iterdir()
        if p.name != "__pycache__" and not p.name.startswith(".")
    }


def test_the_layout_names_every_module_and_folder_of_the_package():
    named = set(re.findall(r"[\w.]+/?", _layout()))
    for folder in (ROOT / "registry", ROOT / "registry" / "storage"):
        missing = {e for e in _entries(folder) if e not in named and e != "__init__.py"}
        assert missing == set(), f"{folder.relative_to(ROOT)}: not in the README's layout"


def test_every_python_module_the_layout_names_exists():
    names = set(re.findall(r"\b(\w+\.py)\b", _layout()))
    existing = {p.name for p in (ROOT / "registry").rglob("*.py")}
    existing |= {p.name for p in (ROOT / "tests").glob("*.py")}
    assert names - existing == set()
