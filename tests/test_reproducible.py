"""Sphinx's parallel jobs write the same site as one job.

That two clean builds of the same sources are byte for byte the same is
checked by tests/test_shards_build.py, whose two sites are built from clean
copies, one on one machine and one from shards.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

def file_digests(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def test_parallel_jobs_give_the_same_site(built_project_copy, tmp_path):
    # Every extension's setup() says whether it is safe to read and write in
    # parallel; the claim holds if `-j 2` builds the same pages as `-j 1`.
    # (An extension that says it is unsafe makes Sphinx fall back to serial
    # work, with a warning, so this build runs without -W.) The copy keeps the
    # gallery the site build generated, so no example runs again.
    project = built_project_copy
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")
    outputs = {}
    for jobs in ("1", "2"):
        output = tmp_path / f"html-j{jobs}"
        result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-c", ".", "-d",
                                 str(tmp_path / f"doctrees-j{jobs}"), "-j", jobs, "-q", "docs", str(output)],
                                cwd=project, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr[-3000:]
        outputs[jobs] = file_digests(output)
    serial, parallel = outputs["1"], outputs["2"]
    assert serial.keys() == parallel.keys(), sorted(serial.keys() ^ parallel.keys())[:40]
    differences = [name for name in serial if serial[name] != parallel[name]]
    assert not differences, f"-j 2 wrote {len(differences)} files differently: {differences[:20]}"
