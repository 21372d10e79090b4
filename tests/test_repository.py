"""The build leaves the working tree as it found it: generated files are ignored."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import ROOT

from pwe_sphinx.tools.inputs import site_settings

GENERATED = ("build/", *(f"docs/{folder}/" for folder in site_settings().generated_in_docs))


def git(*args: str) -> list[str]:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return [line for line in result.stdout.splitlines() if line]


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout")
def test_the_build_writes_nothing_that_git_would_track(site):
    if site.prebuilt:
        pytest.skip("--built-site: the build ran elsewhere, so what it wrote into this checkout is unknown")
    # Files that git does not ignore and that the build wrote: anything in a
    # folder the build generates, compiled catalogues, and anything else the
    # build touched (work in progress that predates the build is not its doing).
    def written_by_build(path: str) -> bool:
        generated = path.startswith(GENERATED) or path.endswith(".mo")
        return generated or ((ROOT / path).exists() and (ROOT / path).stat().st_mtime >= site.started_at)

    touched = [path for path in git("ls-files", "--others", "--modified", "--exclude-standard")
               if written_by_build(path)]
    assert not touched, f"the build left files that git would track: {touched}"
