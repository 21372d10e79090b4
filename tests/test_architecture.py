"""The architecture contract: pwe_sphinx's subpackages are layers without cycles.

The contract is import-linter's configuration in pyproject.toml. These tests
run its ``lint-imports`` from the venv that runs the tests, on the package
as it is, and on a copy with one upward import added, so the contract is
shown to catch what it is for.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def contracts() -> list[dict]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the package and configuration under ``project``, importing the package from there."""
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=project, capture_output=True,
                          text=True, env={"PATH": str(LINT_IMPORTS.parent), "PYTHONPATH": str(project)})


def broken_contracts(output: str) -> list[str]:
    return re.findall(r"^(.*) BROKEN\b", output, flags=re.MULTILINE)


def test_the_package_keeps_every_contract():
    result = lint_imports(ROOT)
    assert not broken_contracts(result.stdout), f"broken: {broken_contracts(result.stdout)}\n{result.stdout[-3000:]}"
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_every_subpackage_is_a_layer():
    layers = next(contract for contract in contracts() if contract["type"] == "layers")["layers"]
    subpackages = {f"pwe_sphinx.{path.parent.name}" for path in (ROOT / "pwe_sphinx").glob("*/__init__.py")}
    assert set(layers) == subpackages


def test_an_upward_import_breaks_the_layers_contract(tmp_path):
    shutil.copytree(ROOT / "pwe_sphinx", tmp_path / "pwe_sphinx", ignore=shutil.ignore_patterns("__pycache__", "locale"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    paths = tmp_path / "pwe_sphinx" / "core" / "paths.py"
    paths.write_text(paths.read_text(encoding="utf-8") + "\n\ndef lazy():\n    from pwe_sphinx.i18n import catalogues\n",
                     encoding="utf-8")
    result = lint_imports(tmp_path)
    layers = next(contract for contract in contracts() if contract["type"] == "layers")["name"]
    assert result.returncode != 0
    assert layers in broken_contracts(result.stdout), result.stdout[-3000:]
    assert "pwe_sphinx.core.paths -> pwe_sphinx.i18n.catalogues" in result.stdout, result.stdout[-3000:]
