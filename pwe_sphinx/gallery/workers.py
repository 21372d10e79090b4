"""Run every program a build must run in one pool of worker processes, the longest first.

A cold build runs two kinds of program: the galleries' examples, which
sphinx-gallery runs, and the executed scripts (the exercises' solutions, the
installation check, ``pwe_sphinx.gallery.executed_scripts``). Left to
themselves they share two cores badly. sphinx-gallery's parallel mode works
through one gallery folder at a time: its workers wait for the folder's
longest example before the next folder starts. The scripts ran meanwhile in
a process of their own, a third busy process on two cores.

So when the builder starts, before sphinx-gallery generates the galleries,
this extension gives every example that will run and every script whose
output is out of date to one joblib pool (loky, the backend
sphinx-gallery's own parallel mode uses), in one queue, longest first by the
times recorded in ``example_times.json`` (a program never recorded there: examples
first, then scripts). An example runs through sphinx-gallery's own
``generate_file_rst``, which writes its page, figures and checksum as a
serial build does; sphinx-gallery then finds every example up to date and
runs none. One that failed wrote no checksum, so sphinx-gallery runs it
again in its own pass and reports it as it always does. A script runs
through ``run_and_record``, as in the scripts' own process, and one that
failed stops the build with its message.

The printed numbers are those of a serial run: each worker has the fixed
thread count (``pwe_sphinx.gallery.threads``, applied before each example
by sphinx-gallery's reset functions and before each script by
``run_and_record``).

conf.py's ``pwe_example_workers`` (``PWE_EXAMPLE_WORKERS``, by default one
per core) is how many programs may run at once. With one worker, or one
program to run, no pool starts: sphinx-gallery runs the examples in the
build's own process and the scripts run in theirs, beside it. The setting
is registered as changing nothing written, and sphinx-gallery's own
``parallel`` stays off, so that Sphinx's digest of the configuration
(``.buildinfo``) does not depend on the machine's cores: a site merged
from shards is the one-machine site.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.typing import ExtensionMetadata

from pwe_sphinx.core.build_plan import add_step, build_plan
from pwe_sphinx.core.gallery_seam import checksum_is_current, run_example_file
from pwe_sphinx.gallery.checks import DEFAULT_TIME_LIMIT, set_time_limit
from pwe_sphinx.gallery.executed_scripts import run_in_scripts_process, scripts_this_build_runs

logger = logging.getLogger(__name__)
# The examples' run times a build recorded (``python -m pwe_sphinx.tools.shards record``), in the
# project's root: the pool starts the longest first, and the shards are balanced by them.
TIMES_FILE = "example_times.json"


def recorded_seconds(root: Path) -> dict[str, float]:
    """The committed run times under ``root``, example path to seconds; empty when the file is absent."""
    path = root / TIMES_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}



@dataclass(frozen=True)
class Example:
    """A gallery example, as sphinx-gallery's ``generate_file_rst`` takes it."""

    script: Path  # examples_nn/dynamic_net.py, absolute
    gallery: Path  # where its page goes: docs/beginner/examples_nn, absolute
    time_limit: int = DEFAULT_TIME_LIMIT  # seconds; a fresh worker knows no configuration

    def run(self, gallery_conf: dict[str, Any]) -> None:
        from pwe_sphinx.gallery import notebook_details

        notebook_details.install()  # a fresh worker process has sphinx-gallery's own converter
        set_time_limit(self.time_limit)  # what sphinx-gallery's reset function (checks.time_limit) arms
        (self.gallery / "images" / "thumb").mkdir(parents=True, exist_ok=True)
        run_example_file(self.script, self.gallery, gallery_conf)


@dataclass(frozen=True)
class Script:
    """An executed script whose recorded output is out of date."""

    script: Path
    srcdir: Path
    time_limit: int = DEFAULT_TIME_LIMIT  # seconds

    def run(self, gallery_conf: dict[str, Any]) -> str | None:
        return run_in_scripts_process(str(self.srcdir), str(self.script), self.time_limit)


# What the pool runs: each has a ``script`` and a ``run(gallery_conf)``.
Program = Example | Script


def stale_examples(gallery_conf: dict[str, Any], time_limit: int = DEFAULT_TIME_LIMIT) -> list[Example]:
    """The examples sphinx-gallery will run: those whose recorded checksum is not their source's.

    sphinx-gallery keeps a copy of each example beside its page, and the
    copy's checksum in ``<name>.py.md5``, taken in text mode. Its
    ``ignore_pattern`` (which a shard narrows to its own examples) is honoured.
    Each may run for ``time_limit`` seconds.
    """
    stale: list[Example] = []
    src_dir = Path(gallery_conf["src_dir"])
    for examples, gallery in zip(gallery_conf["examples_dirs"], gallery_conf["gallery_dirs"], strict=True):
        for script in sorted((src_dir / examples).glob("*.py")):
            if re.search(gallery_conf["ignore_pattern"], script.name):
                continue
            if not checksum_is_current(script, src_dir / gallery):
                stale.append(Example(script.resolve(), (src_dir / gallery).resolve(), time_limit))
    return stale


def longest_first(programs: list[Program], seconds: dict[str, float], root: Path) -> list[Program]:
    """The programs in the order to start them: by recorded time, longest first.

    Then those never recorded: examples (a new one may be long), then
    scripts (the exercises' solutions are short variations of their lesson).
    """
    def key(program: Program) -> tuple[bool, bool, float, str]:
        relative = program.script.relative_to(root).as_posix() if program.script.is_relative_to(root) else ""
        recorded = seconds.get(relative)
        return (recorded is None, isinstance(program, Script), -(recorded or 0.0), relative)

    return sorted(programs, key=key)


def programs_to_run(app: Sphinx) -> list[Program]:
    """Every program this build must run: its stale examples, then (if it runs scripts) its changed scripts."""
    seconds = app.config.pwe_example_time_limit
    programs: list[Program] = [*stale_examples(app.config.sphinx_gallery_conf, seconds)]
    programs += [Script(script, Path(app.srcdir), seconds) for script in scripts_this_build_runs(app)]
    return programs


def run_in_pool(programs: list[Program], workers: int, gallery_conf: dict[str, Any]) -> list[str]:
    """Run the programs in ``workers`` loky processes, in the order given; the scripts' error messages
    (each program's ``run`` returns None, or a failed script's message)."""
    from joblib import Parallel, delayed

    pool = Parallel(n_jobs=workers, backend="loky", batch_size=1, pre_dispatch="n_jobs")
    return [error for error in pool(delayed(program.run)(gallery_conf) for program in programs) if error]


def run_everything_at_once(app: Sphinx) -> None:
    """When the builder starts: run what the build must run in one pool, when more than one program can."""

    gallery_conf = app.config.sphinx_gallery_conf
    gallery_conf["parallel"] = False
    # A build that follows another's gallery, or builds from shards, runs no example.
    plan = build_plan(app)
    if plan.is_following or plan.runs_no_programs or app.config.pwe_example_workers < 2:
        return
    programs = programs_to_run(app)
    workers = min(app.config.pwe_example_workers, len(programs))
    if workers < 2:
        return
    root = Path(app.srcdir).resolve().parent
    ordered = longest_first(programs, recorded_seconds(root), root)
    logger.info(f"gallery.workers: running {len(ordered)} programs in {workers} worker processes, longest first")
    errors = run_in_pool(ordered, workers, gallery_conf)
    if errors:
        raise ExtensionError("\n".join(errors))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("sphinx_gallery.gen_gallery")
    app.setup_extension("pwe_sphinx.gallery.executed_scripts")
    # Rebuild "": how many processes run the programs changes no page.
    app.add_config_value("pwe_example_workers", 1, "", types=frozenset({int}))
    add_step(app, "run_everything_at_once", run_everything_at_once)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
