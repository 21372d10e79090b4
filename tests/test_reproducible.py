"""Two builds of the same sources, each from clean, are byte for byte the same."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pwe_sphinx.sitebuild import copy_sources

pytestmark = pytest.mark.slow

def file_digests(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def test_two_clean_builds_are_identical(tmp_path):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")
    outputs = []
    for name in ("first", "second"):
        project = copy_sources(tmp_path / name)
        result = subprocess.run([sys.executable, "-m", "pwe_sphinx.sitebuild"], cwd=project, env=env,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr[-3000:]
        outputs.append(project / "build" / "html")
    first, second = (file_digests(output) for output in outputs)
    assert first.keys() == second.keys(), sorted(first.keys() ^ second.keys())[:40]
    differences = [name for name in first if first[name] != second[name]]
    assert not differences, f"{len(differences)} files differ: {differences[:40]}"
    assert len(first) > 200  # pages, images, downloads and zips of both languages
