"""Run the scripts that pages show besides the gallery, and keep what they print and draw.

Two kinds of page show a program that is not a gallery example: the lessons'
exercises, whose solutions sit in ``exercises/<lesson>/`` (see
``pwe_sphinx.directives.exercises``), and the installation page, which shows what the
build's own torch reports. Like the examples, these programs run when the
site is built, so that every number on a page is one the build computed.

conf.py lists them as glob patterns relative to docs/ in
``pwe_executed_scripts``. The build that runs the gallery runs them too,
one after another in a process of their own that starts when the builder
starts, beside sphinx-gallery's examples (on two cores, the scripts fill
the core that the gallery's longest example leaves idle), and waits for
them before it announces the gallery to the other languages' builds
(``pwe_sphinx.gallery.follow``), so that every language shows the same
output and only one process writes it. A shard's build
(``pwe_sphinx.gallery.shard``) runs only the scripts its build plan names;
the build that merges the shards runs none, and stops, naming them, if any
script's output is missing or older than the script. Each script's output
goes to ``docs/_executed/<its path from docs/, without .py and ..>/``:

* ``output.txt``, what it printed;
* ``<name>_1.svg``, ``<name>_2.svg``, ... the matplotlib figures it left
  open, saved as the gallery's are (``pwe_sphinx.gallery.svg_figures``: SVG
  whose text stays text, translated by ``pwe_sphinx.i18n.figure_text``),
  where ``<name>`` is the script's path with ``_`` for ``/`` (a page shows
  each figure inline, with the file's name as the id of its ``<svg>``, so
  the names must differ);
* ``cost.json``, how many seconds it ran (``{"time": ...}``, as
  sphinx-gallery records an example's), from which the shards are balanced;
* ``source.sha256``, the digest of the script that produced them and of
  the figure format (``FIGURE_FORMAT``), so that output saved in an older
  format is made again.

A script whose digest matches is not run again. A page that shows a script
whose output does not match the script (it changed after the last run) is an
error naming the script, never a page with old numbers. A script that fails
or runs past conf.py's ``pwe_example_time_limit`` seconds stops the build with its
file name and traceback.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.typing import ExtensionMetadata

from pwe_sphinx.core.build_plan import add_step, build_plan
from pwe_sphinx.core.paths import OUTPUT_FOLDER
from pwe_sphinx.gallery.checks import DEFAULT_TIME_LIMIT, arm_time_limit, register_time_limit
from pwe_sphinx.gallery.svg_figures import save_svg

logger = logging.getLogger(__name__)

STAMP = "source.sha256"  # the digest of the script whose output the folder holds, written last
COST = "cost.json"  # the seconds the script ran, for pwe_sphinx.tools.shards to balance shards with


class ScriptNotRun(ExtensionError):
    """A page shows a script whose current version this build did not run."""


class ScriptWouldRun(ExtensionError):
    """A build from shards found a script whose output no shard provided."""


@dataclass(frozen=True)
class ScriptResult:
    """What a script printed and drew, as the pages show it."""

    script: Path
    folder: Path  # where the build keeps its output
    output: str
    figures: tuple[Path, ...]  # absolute paths of the SVG files, in drawing order


FIGURE_FORMAT = b"svg, text as text, ids in order"  # change it whenever figures are saved differently


def digest_of(script: Path) -> str:
    """The script's bytes and the figure format: a record of either that differs is stale."""
    return hashlib.sha256(script.read_bytes() + b"\0" + FIGURE_FORMAT).hexdigest()


def relative_name(srcdir: Path, script: Path) -> Path:
    """The script's path from docs/ without ``..`` and ``.py``: ``exercises/lesson/01_task``."""
    relative = Path(os.path.relpath(script.resolve(), Path(srcdir).resolve())).with_suffix("")
    return Path(*(part for part in relative.parts if part != ".."))


def output_folder(srcdir: Path, script: Path) -> Path:
    return Path(srcdir) / OUTPUT_FOLDER / relative_name(srcdir, script)


def figure_name(srcdir: Path, script: Path, number: int) -> str:
    """``exercises_lesson_01_task_1.svg`` for the first figure of exercises/lesson/01_task.py."""
    return "_".join(relative_name(srcdir, script).parts) + f"_{number}.svg"


def listed_scripts(srcdir: Path, patterns: list[str]) -> list[Path]:
    """The scripts conf.py's ``pwe_executed_scripts`` patterns (relative to ``srcdir``) name, resolved, sorted."""
    found = {path.resolve() for pattern in patterns for path in Path(srcdir).glob(pattern)}
    return sorted(path for path in found if path.is_file())


def scripts_to_run(app: Sphinx) -> list[Path]:
    return listed_scripts(Path(app.srcdir), app.config.pwe_executed_scripts)


def execute(script: Path, seconds: int = DEFAULT_TIME_LIMIT) -> tuple[str, list[Figure]]:
    """Run ``script`` in this process as ``__main__``, for at most ``seconds``; its stdout and its open figures.

    matplotlib draws off screen (the Agg backend), ``plt.show()`` does nothing,
    and matplotlib's settings are reset first, as sphinx-gallery does between
    examples (its "matplotlib" reset, which conf.py names); torch gets the
    examples' fixed thread count (pwe_sphinx.gallery.threads).
    """
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    from pwe_sphinx.gallery.threads import fix_torch_threads

    plt.close("all")
    plt.rcdefaults()
    fix_torch_threads()
    code = compile(script.read_text(encoding="utf-8"), str(script), "exec")
    namespace = {"__name__": "__main__", "__file__": str(script)}
    printed = io.StringIO()
    with _time_limit(script, seconds), _no_show(plt), contextlib.redirect_stdout(printed):
        exec(code, namespace)
    figures = [plt.figure(number) for number in plt.get_fignums()]
    return printed.getvalue(), figures


@contextlib.contextmanager
def _no_show(plt: Any) -> Iterator[None]:
    show = plt.show
    plt.show = lambda *args, **kwargs: None
    try:
        yield
    finally:
        plt.show = show


@contextlib.contextmanager
def _time_limit(script: Path, seconds: int) -> Iterator[None]:
    previous = signal.getsignal(signal.SIGALRM)
    arm_time_limit(script.name, "a script", seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_and_record(srcdir: Path, script: Path, seconds: int = DEFAULT_TIME_LIMIT) -> None:
    """Run one script, for at most ``seconds``, and write its output folder; ExtensionError naming it if it fails."""
    import matplotlib.pyplot as plt

    folder = output_folder(srcdir, script)
    started = time.perf_counter()
    try:
        output, figures = execute(script, seconds)
    except (Exception, SystemExit) as err:  # whatever the script raises fails the build
        details = "".join(traceback.format_exception(err))
        raise ExtensionError(f"executed_scripts: {script} failed:\n{details}") from err
    ran_for = time.perf_counter() - started
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "output.txt").write_text(output, encoding="utf-8")
    for number, figure in enumerate(figures, start=1):
        save_svg(figure, folder / figure_name(srcdir, script, number))
    plt.close("all")
    (folder / COST).write_text(json.dumps({"time": round(ran_for, 3)}) + "\n", encoding="utf-8")
    (folder / STAMP).write_text(digest_of(script) + "\n", encoding="utf-8")


def holds_output_of(folder: Path, script: Path) -> bool:
    """Whether ``folder`` holds the output of ``script`` as it is now."""
    stamp = folder / STAMP
    return stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == digest_of(script)


def changed_scripts(app: Sphinx) -> list[Path]:
    """Every listed script whose output is missing or older than the script."""
    return [script for script in scripts_to_run(app)
            if not holds_output_of(output_folder(app.srcdir, script), script)]


def scripts_this_build_runs(app: Sphinx) -> list[Path]:
    """The changed scripts this build runs: every one, or in a shard's build those its plan names."""
    plan = build_plan(app)
    if not plan.runs_scripts:
        return []
    changed = changed_scripts(app)
    if not plan.is_shard:
        return changed
    own = {(Path(app.confdir) / relative).resolve() for relative in plan.shard_scripts}
    return [script for script in changed if script in own]


def refuse_changed_scripts(app: Sphinx) -> None:
    """In a build from shards: every script's output must have come from a shard; name those that did not."""
    if build_plan(app).runs_no_programs and (changed := changed_scripts(app)):
        names = "\n  ".join(map(str, changed))
        raise ScriptWouldRun(f"executed_scripts: a build from shards runs no script, and no shard provided "
                             f"output of the current version of:\n  {names}\n(build their shards again)")


def run_in_scripts_process(srcdir: str, script: str, seconds: int) -> str | None:
    """In the scripts' own process: run one script and record its output; the error message if it failed."""
    try:
        run_and_record(Path(srcdir), Path(script), seconds)
    except ExtensionError as error:
        return str(error)
    return None


# The scripts' process each build started, by the id of its application, with the file of its messages.
_started: dict[int, tuple[subprocess.Popen[bytes], typing.IO[bytes]]] = {}
PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # where pwe_sphinx can be imported from


def start_changed_scripts(app: Sphinx) -> None:
    """Start running the changed scripts, in order, in a Python process of their own.

    A new interpreter (``python -m`` this module), not multiprocessing: its
    "spawn" would import the build's main module, which is sphinx-build's
    command line and would start a second build; a fork of a process whose
    torch has started its threads can hang. Its messages go to a file, which
    no amount of output can fill.
    """
    scripts = scripts_this_build_runs(app)
    if not scripts:
        return
    for script in scripts:
        logger.info(f"executed_scripts: running {script}")
    messages = tempfile.TemporaryFile()  # noqa: SIM115 (open until finish_changed_scripts reads and closes it)
    path = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))
    command = [sys.executable, "-m", __name__, str(app.config.pwe_example_time_limit), str(app.srcdir),
               *map(str, scripts)]
    process = subprocess.Popen(command,
                               stdout=messages, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": path})
    _started[id(app)] = (process, messages)


def finish_changed_scripts(app: Sphinx) -> None:
    """Wait for the scripts started with the builder; one that failed stops the build, by name."""
    if id(app) not in _started:
        return
    process, messages = _started.pop(id(app))
    with messages:
        if process.wait() != 0:
            messages.seek(0)
            raise ExtensionError(messages.read().decode(errors="replace").strip()
                                 or f"executed_scripts: the scripts' process failed (exit {process.returncode})")


def main(argv: list[str]) -> int:
    """The scripts' process: ``python -m pwe_sphinx.gallery.executed_scripts SECONDS SRCDIR SCRIPT...``,
    where SECONDS is the time limit of each script."""
    seconds, srcdir, *scripts = argv
    for script in scripts:
        error = run_in_scripts_process(srcdir, script, int(seconds))
        if error:
            print(error, flush=True)
            return 1
    return 0


def result_of(srcdir: Path, script: Path) -> ScriptResult:
    """The recorded output of ``script``; ScriptNotRun if the record is not of its current text."""
    folder = output_folder(srcdir, script)
    if not holds_output_of(folder, script):
        raise ScriptNotRun(
            f"executed_scripts: {script} has no output from its current version; "
            f"conf.py's pwe_executed_scripts must list it so that the build runs it"
        )
    figures: list[Path] = []
    while (folder / figure_name(srcdir, script, len(figures) + 1)).is_file():
        figures.append(folder / figure_name(srcdir, script, len(figures) + 1))
    return ScriptResult(script, folder, (folder / "output.txt").read_text(encoding="utf-8"), tuple(figures))


def runs_scripts(app: Sphinx) -> bool:
    """Only the build that runs the gallery runs scripts (a shard's build its own); never the merge."""
    return build_plan(app).runs_scripts


def start_at_start(app: Sphinx) -> None:
    refuse_changed_scripts(app)
    if runs_scripts(app):
        start_changed_scripts(app)


def finish_after_gallery(app: Sphinx) -> None:
    if runs_scripts(app):
        finish_changed_scripts(app)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.core.build_plan")
    register_time_limit(app)  # the scripts' limit; gallery.checks arms the examples'
    app.add_config_value("pwe_executed_scripts", [], "env", types=frozenset({list}))
    # Started before sphinx-gallery runs the examples, so that both run at once; waited for after them.
    add_step(app, "start_at_start", start_at_start)
    add_step(app, "finish_after_gallery", finish_after_gallery)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
