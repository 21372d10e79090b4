"""Shared fixtures: the built site, and where the project lives.

The site is built once per test run, by the same command `nox -s docs` runs.
Sphinx and sphinx-gallery rebuild only what changed, so after a fresh
`nox -s docs` this costs a few seconds; on a clean clone it is the full build.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.relative_to(ROOT) for p in ROOT.glob("examples_*/*.py"))
LANGUAGES = ("en", "zh_CN")


@dataclass(frozen=True)
class BuiltSite:
    html: Path  # build/html
    started_at: float  # time.time() when the build began
    log: str

    def page(self, language: str, name: str) -> BeautifulSoup:
        """Parse build/html/<language>/<name>.html."""
        path = self.html / language / f"{name}.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def site() -> BuiltSite:
    started_at = time.time()
    result = subprocess.run(
        [sys.executable, "-m", "pwe_sphinx.sitebuild"],
        cwd=ROOT, capture_output=True, text=True,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"the site build failed:\n{log[-6000:]}"
    return BuiltSite(html=ROOT / "build" / "html", started_at=started_at, log=log)


_example_outputs: dict[str, str] = {}


def run_example(relative: str) -> str:
    """Run ``python examples_x/name.py`` on its own, once per test run; its stdout."""
    if relative not in _example_outputs:
        result = subprocess.run(
            [sys.executable, str(ROOT / relative)],
            capture_output=True, text=True, cwd=ROOT / "tests", env=dict(os.environ, MPLBACKEND="Agg"),
        )
        assert result.returncode == 0, f"{relative} failed when run on its own:\n{result.stderr[-4000:]}"
        _example_outputs[relative] = result.stdout
    return _example_outputs[relative]
