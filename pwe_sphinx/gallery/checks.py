"""Hold every gallery example to two promises: it ends in time, and it draws.

* A time limit. sphinx-gallery runs examples in the build process with no
  limit, so one stuck example stalls the build forever. ``time_limit`` is a
  sphinx-gallery reset function (conf.py lists it in ``reset_modules``): before
  each example it arms an alarm, after it disarms it. An example that runs
  past the limit raises ``TimeoutError`` inside the example, which
  sphinx-gallery reports as a failing example, with its file name. The limit
  is ``PWE_EXAMPLE_TIME_LIMIT`` seconds (default 300).
* A figure. Every lesson ends with a plot; an example that produced no image
  fails the build by name, unless conf.py lists it in
  ``pwe_examples_without_figures``.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from sphinx.errors import ExtensionError

from pwe_sphinx.core.build_plan import add_step
from pwe_sphinx.core.gallery_seam import figure_glob

DEFAULT_TIME_LIMIT = 300


def arm_time_limit(name: str, kind: str) -> None:
    """Raise TimeoutError in the code that runs next once it passes the limit; ``signal.alarm(0)`` disarms.

    ``kind`` says what ``name`` is in the message: "an example", "a script".
    """
    seconds = int(os.environ.get("PWE_EXAMPLE_TIME_LIMIT", DEFAULT_TIME_LIMIT))

    def stop(signum, frame):
        raise TimeoutError(f"{name} ran past the {seconds} s limit for {kind} (PWE_EXAMPLE_TIME_LIMIT)")

    signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)


def time_limit(gallery_conf, fname, when) -> None:
    if fname is None:  # called when sphinx-gallery enters a folder, not for an example
        return
    if when == "before":
        arm_time_limit(Path(fname).name, "an example")
    else:
        signal.alarm(0)


def examples_without_figure(app) -> list[str]:
    """Example scripts whose gallery folder holds no figure of theirs."""
    conf = app.config.sphinx_gallery_conf
    srcdir = Path(app.srcdir)
    missing = []
    for examples, gallery in zip(conf["examples_dirs"], conf["gallery_dirs"]):
        for script in sorted((srcdir / examples).resolve().glob("*.py")):
            relative = f"{Path(examples).name}/{script.name}"
            if relative in app.config.pwe_examples_without_figures:
                continue
            if not list((srcdir / gallery / "images").glob(figure_glob(script.stem, "svg"))):
                missing.append(relative)
    return missing


def check_figures(app) -> None:
    missing = examples_without_figure(app)
    if missing:
        raise ExtensionError(
            "gallery_checks: these examples produced no figure (every lesson ends with a plot; "
            "list deliberate exceptions in pwe_examples_without_figures): " + ", ".join(missing)
        )


def setup(app):
    app.add_config_value("pwe_examples_without_figures", [], "env", types=frozenset({list}))
    # After sphinx-gallery, which runs the examples when the builder starts.
    add_step(app, "check_figures", check_figures)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
