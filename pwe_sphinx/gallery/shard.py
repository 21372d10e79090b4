"""The two gallery roles of shards: run only some examples, or run none.

``pwe_sphinx.tools.sitebuild`` (with ``pwe_sphinx.tools.shards``) gives a
build one of two modes in its build plan (``pwe_sphinx.core.build_plan``):

SHARD
    with the shard's example paths (``examples_nn/dynamic_net.py``): the build
    of one shard. sphinx-gallery ignores every other example (its
    ``ignore_pattern``, which sees file names), runs these, and the build
    then stops, successfully, once the gallery is written: a shard's product
    is the example outputs in docs/, not pages, which the merge job writes.
    An example that failed stops it with sphinx-gallery's report instead
    (which an ordinary build gives only when it finishes).
MERGE
    the merge build from shards: every example's output was copied into
    docs/, so sphinx-gallery should find each one up to date. If it would
    run one all the same (its checksum does not match), a reset function
    stops the build naming that example, before it runs: no shard's output
    is ever silently replaced by a run on the merging machine.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util.typing import ExtensionMetadata

from pwe_sphinx.core.build_plan import add_step, build_plan
from pwe_sphinx.core.gallery_seam import failing_examples


class ExampleWouldRun(ExtensionError):
    """A build from shards found an example whose output no shard provided."""


def ignore_all_but(names: list[str]) -> str:
    """A regular expression that matches every file name except ``names`` (the shard's examples)."""
    return r"^(?!(?:" + "|".join(re.escape(name) for name in sorted(names)) + r")$)"


def refuse_to_run(gallery_conf: dict[str, Any], fname: str | None, when: str) -> None:
    """sphinx-gallery reset function of a build from shards: called only for an example about to run."""
    if fname is not None and when == "before":
        raise ExampleWouldRun(f"gallery.shard: {fname} would run in a build from shards: no shard provided "
                              f"output matching its current source (build its shard again)")


def narrow_to_shard(app: Sphinx, config: Config) -> None:
    """Before sphinx-gallery reads its configuration: ignore every example not in the shard."""
    plan = build_plan(app)
    if not plan.is_shard:
        return
    names = [Path(relative).name for relative in plan.shard_examples]
    config.sphinx_gallery_conf["ignore_pattern"] = ignore_all_but(names) if names else r""


def forbid_running(app: Sphinx) -> None:
    """When the builder has started, before the gallery is generated: add the guard to the reset functions.

    Not earlier: Sphinx writes a digest of the configuration as it is when the
    builder starts into the site (``.buildinfo``), which must be the
    one-machine site's.
    """
    if not build_plan(app).runs_no_programs:
        return
    gallery_conf = app.config.sphinx_gallery_conf
    gallery_conf["reset_modules"] = (*gallery_conf["reset_modules"], f"{__name__}.refuse_to_run")


def stop_after_gallery(app: Sphinx) -> None:
    """End a shard's build once its examples ran; fail first if any of them failed."""
    if not build_plan(app).is_shard:
        return
    failing = failing_examples(app.config.sphinx_gallery_conf)
    if failing:
        details = "\n".join(f"{name}:\n{error}" for name, error in sorted(failing.items()))
        raise ExtensionError(f"gallery.shard: {len(failing)} example(s) of this shard failed:\n{details}")
    sys.stdout.flush()
    raise SystemExit(0)  # Sphinx's command line lets SystemExit through: no page is read or written


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("sphinx_gallery.gen_gallery")
    app.setup_extension("pwe_sphinx.core.build_plan")
    # Before sphinx-gallery fills in its configuration (config-inited, priority 10).
    app.connect("config-inited", narrow_to_shard, priority=6)
    add_step(app, "stop_after_gallery", stop_after_gallery)
    add_step(app, "forbid_running", forbid_running)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
