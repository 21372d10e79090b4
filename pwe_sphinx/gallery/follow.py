"""Let the second language's build overlap the first one's examples.

Running the examples is the one thing a build cannot avoid; everything else
should fit around it. ``pwe_sphinx.tools.sitebuild`` therefore starts both
languages' builds at once, on their own cores:

* the *leading* build (the first language) runs sphinx-gallery as usual and,
  once the example pages, images and downloads are all written into docs/,
  writes this run's token (a random string sitebuild gives both builds) into
  the ready file of its build plan (``pwe_sphinx.core.build_plan``, mode LEAD);
* a *following* build (mode FOLLOW, the same ready file and token) does not
  run sphinx-gallery's generation at all. It imports its extensions, loads
  its dictionaries, and then waits for the file to hold its own run's token
  before it reads a single source: a file left by an earlier, interrupted
  run never releases it. From then on the two builds only read docs/, each
  writing to its own output and doctree folders.

A following build never writes into docs/, so two processes never write the
same file. In the default plan (SINGLE) a build is an ordinary sphinx-gallery
build. If the leading build fails before it announces the gallery,
sitebuild stops the following ones; a following build whose parent has gone
stops by itself, and so does one that has waited its plan's ``wait_seconds``
(default an hour), so that nothing waits forever.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util.typing import ExtensionMetadata

from pwe_sphinx.core.build_plan import BuildPlan, add_step, build_plan
from pwe_sphinx.core.gallery_seam import generation_listeners

POLL_SECONDS = 0.05


def stop_generating(app: Sphinx) -> None:
    """Disconnect sphinx-gallery's generation: the leading build does it.

    Sphinx has no public way to find another extension's listener, so this
    looks in its table of listeners; if sphinx-gallery's handler is not there
    (a release that renamed it), the build stops rather than run every example
    a second time.
    """
    generating = generation_listeners(app)
    if len(generating) != 1:
        raise ExtensionError("follow_gallery: cannot find sphinx-gallery's generate_gallery_rst among the "
                             "builder-inited listeners, so this build would run the examples again; "
                             "this sphinx-gallery is not the one pwe_sphinx.gallery.follow was written for")
    app.disconnect(generating[0].id)


def holds_token(ready: Path, token: str) -> bool:
    """Whether ``ready`` announces this run's gallery (a leftover of another run holds another token)."""
    try:
        return ready.read_text(encoding="utf-8").strip() == token
    except FileNotFoundError:
        return False


def wait_for_gallery(ready: Path, token: str, seconds: float, parent: int) -> None:
    """Return once ``ready`` holds ``token``; raise if the driver ``parent`` goes or ``seconds`` pass.

    A follower left waiting forever would hold the driver, and a CI job, with it.
    """
    deadline = time.monotonic() + seconds
    while not holds_token(ready, token):
        if os.getppid() != parent:
            raise ExtensionError(f"follow_gallery: the build that runs the examples has gone; "
                                 f"{ready} never announced this run's gallery")
        if time.monotonic() > deadline:
            raise ExtensionError(f"follow_gallery: waited {seconds:g} s (pwe_build_plan's wait_seconds) for the build "
                                 f"that runs the examples to announce this run's gallery in {ready}; gave up")
        time.sleep(POLL_SECONDS)


def ready_file(plan: BuildPlan) -> Path:
    """The file the leading build announces its gallery in (parse_plan requires one for LEAD and FOLLOW)."""
    if plan.ready_file is None:
        raise ExtensionError(f"follow_gallery: the build plan of mode {plan.mode.value} names no ready_file")
    return plan.ready_file


def await_gallery(app: Sphinx) -> None:
    plan = build_plan(app)
    wait_for_gallery(ready_file(plan), plan.token, plan.wait_seconds, os.getppid())


def announce_gallery(app: Sphinx) -> None:
    # Written whole, then renamed: a follower never reads half a token.
    ready = ready_file(build_plan(app))
    partial = ready.with_name(ready.name + ".partial")
    partial.write_text(build_plan(app).token + "\n", encoding="utf-8")
    partial.replace(ready)


def take_role(app: Sphinx, config: Config) -> None:
    """Once the configuration (and so the build plan) is read: follow, or announce, or neither."""
    plan = build_plan(app)
    if plan.is_following:
        stop_generating(app)
        add_step(app, "await_gallery", await_gallery)
    elif plan.announces_gallery:
        add_step(app, "announce_gallery", announce_gallery)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("sphinx_gallery.gen_gallery")
    app.setup_extension("pwe_sphinx.core.build_plan")
    app.connect("config-inited", take_role)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
