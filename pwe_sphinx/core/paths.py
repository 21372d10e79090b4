"""Names of files and folders that the build writes and several layers read.

The gallery writes each script's output under ``OUTPUT_FOLDER``, and the
translation of figures and the input fingerprint of the driver read it; an
exercise's starter is published beside its solution, and both the exercise
directive and the translated downloads tell one from the other. Each name is
defined here once so that no layer has to import another to learn it.
"""

from __future__ import annotations

from pathlib import Path

OUTPUT_FOLDER = "_executed"  # under docs/; written by the build, ignored by git

STARTER_SUFFIX = ".starter.py"  # 03_task.starter.py is what the reader of 03_task.py starts from


def is_starter(path: Path) -> bool:
    """Whether a script is the starter of an exercise rather than a lesson or a solution."""
    return path.name.endswith(STARTER_SUFFIX)
