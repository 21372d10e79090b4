"""Hold every gallery example to two promises: it ends in time, and it draws.

* A time limit. sphinx-gallery runs examples in the build process with no
  limit, so one stuck example stalls the build forever. ``time_limit`` is a
  sphinx-gallery reset function (conf.py lists it in ``reset_modules``): before
  each example it arms an alarm, after it disarms it. An example that runs
  past the limit raises ``TimeoutError`` inside the example, which
  sphinx-gallery reports as a failing example, with its file name. The limit
  is conf.py's ``pwe_example_time_limit`` seconds (``PWE_EXAMPLE_TIME_LIMIT``,
  default 300). A step when the builder starts copies it here, for the reset
  function in the build's process; the worker pool
  (``pwe_sphinx.gallery.workers``) and the scripts' process
  (``pwe_sphinx.gallery.executed_scripts``) are handed the seconds explicitly.
* A figure. Every lesson ends with a plot; an example that produced no image
  fails the build by name, unless conf.py lists it in
  ``pwe_examples_without_figures``.
"""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.typing import ExtensionMetadata

from pwe_sphinx.core.build_plan import add_step
from pwe_sphinx.core.gallery_seam import figure_glob

DEFAULT_TIME_LIMIT = 300

# The limit that ``time_limit`` arms in this process: set from the configuration when the builder
# starts (``use_configured_time_limit``), or by a worker from the seconds it was handed.
_example_time_limit = DEFAULT_TIME_LIMIT


def set_time_limit(seconds: int) -> None:
    """Make ``seconds`` the limit that sphinx-gallery's reset function arms in this process."""
    global _example_time_limit
    _example_time_limit = seconds


def use_configured_time_limit(app: Sphinx) -> None:
    """When the builder starts: the build's process arms conf.py's ``pwe_example_time_limit``."""
    set_time_limit(app.config.pwe_example_time_limit)


def register_time_limit(app: Sphinx) -> None:
    """Register ``pwe_example_time_limit``, once: the gallery's checks and the executed scripts both read it."""
    if "pwe_example_time_limit" not in app.config:
        # Rebuild "": the limit decides whether a build fails, never what a page shows.
        app.add_config_value("pwe_example_time_limit", DEFAULT_TIME_LIMIT, "", types=frozenset({int}))


def arm_time_limit(name: str, kind: str, seconds: int) -> None:
    """Raise TimeoutError in the code that runs next once it passes ``seconds``; ``signal.alarm(0)`` disarms.

    ``kind`` says what ``name`` is in the message: "an example", "a script".
    """

    def stop(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"{name} ran past the {seconds} s limit for {kind} (PWE_EXAMPLE_TIME_LIMIT)")

    signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)


def time_limit(gallery_conf: dict[str, Any], fname: str | None, when: str) -> None:
    """sphinx-gallery's reset function: arm the limit before an example, disarm it after."""
    if fname is None:  # called when sphinx-gallery enters a folder, not for an example
        return
    if when == "before":
        arm_time_limit(Path(fname).name, "an example", _example_time_limit)
    else:
        signal.alarm(0)


def examples_without_figure(app: Sphinx) -> list[str]:
    """Example scripts whose gallery folder holds no figure of theirs."""
    conf = app.config.sphinx_gallery_conf
    srcdir = Path(app.srcdir)
    missing = []
    for examples, gallery in zip(conf["examples_dirs"], conf["gallery_dirs"], strict=True):
        for script in sorted((srcdir / examples).resolve().glob("*.py")):
            relative = f"{Path(examples).name}/{script.name}"
            if relative in app.config.pwe_examples_without_figures:
                continue
            if not list((srcdir / gallery / "images").glob(figure_glob(script.stem, "svg"))):
                missing.append(relative)
    return missing


def check_figures(app: Sphinx) -> None:
    missing = examples_without_figure(app)
    if missing:
        raise ExtensionError(
            "gallery_checks: these examples produced no figure (every lesson ends with a plot; "
            "list deliberate exceptions in pwe_examples_without_figures): " + ", ".join(missing)
        )


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_config_value("pwe_examples_without_figures", [], "env", types=frozenset({list}))
    register_time_limit(app)
    add_step(app, "use_configured_time_limit", use_configured_time_limit)
    # After sphinx-gallery, which runs the examples when the builder starts.
    add_step(app, "check_figures", check_figures)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
