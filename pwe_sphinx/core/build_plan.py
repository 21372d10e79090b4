"""The build's mode as one typed value, and the one ordered list of steps run when the builder starts.

A build of this site runs in one of five modes (see :class:`Mode`). The
driver (``pwe_sphinx.tools.sitebuild``) chooses it and passes it as one
Sphinx configuration value, ``-D pwe_build_plan=<json>``; :func:`build_plan`
is the only reader. The value is registered with ``rebuild=""``: a mode never
invalidates a saved environment nor changes ``.buildinfo``, so every mode
writes the same site.

The steps that run on ``builder-inited`` are named, in order, in
:data:`BUILDER_INITED_STEPS`; an extension registers its step by name with
:func:`add_step`, which derives the Sphinx priority from the step's place.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ConfigError, ExtensionError

CONFIG_VALUE = "pwe_build_plan"
DEFAULT_WAIT_SECONDS = 3600.0


class Mode(enum.Enum):
    """What a build does with the gallery's programs."""

    SINGLE = "single"  # a plain sphinx-build: runs every program (the default)
    LEAD = "lead"  # runs them, then announces the gallery in the ready file with the token
    FOLLOW = "follow"  # generates nothing: waits until the ready file holds the token
    SHARD = "shard"  # runs only the shard's programs and stops after the gallery
    MERGE = "merge"  # builds from shards' outputs: runs no program, refuses to run one, announces like LEAD


@dataclass(frozen=True)
class BuildPlan:
    """One build's mode and what that mode needs to know."""

    mode: Mode = Mode.SINGLE
    ready_file: Path | None = None  # LEAD writes it, FOLLOW waits for it
    token: str = ""  # this run's secret, so a leftover ready file of another run is not taken
    wait_seconds: float = DEFAULT_WAIT_SECONDS  # how long FOLLOW waits before giving up
    shard_examples: tuple[str, ...] = ()  # SHARD: the examples it runs (paths relative to the project)
    shard_scripts: tuple[str, ...] = ()  # SHARD: the executed scripts it runs (paths relative to the project)

    @property
    def announces_gallery(self) -> bool:
        """Whether this build writes the ready file once its gallery is complete (for its followers)."""
        return self.mode in (Mode.LEAD, Mode.MERGE) and self.ready_file is not None

    @property
    def is_following(self) -> bool:
        """Whether this build takes the gallery another build generates."""
        return self.mode is Mode.FOLLOW

    @property
    def is_shard(self) -> bool:
        """Whether this build runs only some examples and writes no page."""
        return self.mode is Mode.SHARD

    @property
    def runs_no_programs(self) -> bool:
        """Whether running an example or a script is an error (a build from shards)."""
        return self.mode is Mode.MERGE

    @property
    def runs_scripts(self) -> bool:
        """Whether this build runs executed scripts: the one that runs the whole gallery, or a shard
        (its own ones); never a follower, nor the merge, whose scripts' outputs come from the shards."""
        return self.mode in (Mode.SINGLE, Mode.LEAD, Mode.SHARD)

    def to_json(self) -> str:
        """The value sitebuild passes with ``-D pwe_build_plan=``; :func:`parse_plan` reads it back."""
        value: dict[str, Any] = {"mode": self.mode.value}
        if self.ready_file is not None:
            value["ready_file"] = str(self.ready_file)
        if self.token:
            value["token"] = self.token
        if self.wait_seconds != DEFAULT_WAIT_SECONDS:
            value["wait_seconds"] = self.wait_seconds
        if self.shard_examples:
            value["shard_examples"] = list(self.shard_examples)
        if self.shard_scripts:
            value["shard_scripts"] = list(self.shard_scripts)
        return json.dumps(value, sort_keys=True)


FIELDS = {"mode", "ready_file", "token", "wait_seconds", "shard_examples", "shard_scripts"}


def bad_plan(text: str, problem: str) -> ConfigError:
    return ConfigError(f"{CONFIG_VALUE}: {problem} (value given: {text!r})")


def parse_plan(text: str) -> BuildPlan:
    """The plan ``text`` (JSON, as :meth:`BuildPlan.to_json` writes it) describes; empty means SINGLE."""
    if not text.strip():
        return BuildPlan()
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise bad_plan(text, f"not JSON: {error}") from None
    if not isinstance(value, dict):
        raise bad_plan(text, "not a JSON object")
    unknown = sorted(set(value) - FIELDS)
    if unknown:
        raise bad_plan(text, f"unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(FIELDS))}")
    try:
        mode = Mode(value.get("mode", Mode.SINGLE.value))
    except ValueError:
        raise bad_plan(text, f"mode must be one of {', '.join(m.value for m in Mode)}") from None
    ready = value.get("ready_file")
    examples, scripts = value.get("shard_examples", []), value.get("shard_scripts", [])
    for field, paths in (("shard_examples", examples), ("shard_scripts", scripts)):
        if not isinstance(paths, list) or not all(isinstance(name, str) for name in paths):
            raise bad_plan(text, f"{field} must be a list of paths")
    try:
        seconds = float(value.get("wait_seconds", DEFAULT_WAIT_SECONDS))
    except (TypeError, ValueError):
        raise bad_plan(text, "wait_seconds must be a number") from None
    if mode in (Mode.LEAD, Mode.FOLLOW) and not ready:
        raise bad_plan(text, f"mode {mode.value} needs ready_file")
    return BuildPlan(mode=mode, ready_file=Path(ready) if ready else None, token=str(value.get("token", "")),
                     wait_seconds=seconds, shard_examples=tuple(examples), shard_scripts=tuple(scripts))


def build_plan(app: Sphinx) -> BuildPlan:
    """This build's plan, from the configuration value ``pwe_build_plan`` (SINGLE when unset)."""
    return parse_plan(getattr(app.config, CONFIG_VALUE, "") or "")


SPHINX_GALLERY_GENERATES = "generate_gallery_rst"  # sphinx-gallery's own listener, at its default 500
SPHINX_GALLERY_PRIORITY = 500

BUILDER_INITED_STEPS: tuple[str, ...] = (
    "load_dictionary",  # jieba's dictionary, before anything follows or reads pages
    "use_configured_time_limit",  # the examples' time limit, from conf.py, before anything runs one
    "await_gallery",  # FOLLOW: wait for the leading build's gallery
    "rerun_outdated_examples",  # forget outputs whose figures are out of date
    "forbid_running",  # MERGE: arm the guard against running an example
    "run_everything_at_once",  # schedule the examples on the worker pool
    "start_at_start",  # the exercises' scripts start in the background
    "remember_gallery_zips",  # their digests and times, before sphinx-gallery writes them again
    SPHINX_GALLERY_GENERATES,
    "translate_settings",  # the theme's settings in this build's language
    "remember_template_dirs",
    "finish_after_gallery",  # the exercises' scripts are collected
    "stop_after_gallery",  # SHARD: end once its examples and scripts ran
    "check_figures",
    "normalise_gallery_zips",
    "announce_gallery",  # LEAD: last, once everything touching the gallery is done
)


def step_priority(name: str) -> int:
    """The Sphinx priority of step ``name``: in list order, with sphinx-gallery's listener at its own 500."""
    if name not in BUILDER_INITED_STEPS:
        raise ExtensionError(f"build_plan: {name!r} is not a builder-inited step; "
                             f"known steps: {', '.join(BUILDER_INITED_STEPS)}")
    offset = BUILDER_INITED_STEPS.index(name) - BUILDER_INITED_STEPS.index(SPHINX_GALLERY_GENERATES)
    return SPHINX_GALLERY_PRIORITY + 10 * offset


def add_step(app: Sphinx, name: str, function: Callable[[Sphinx], None]) -> int:
    """Connect ``function`` to ``builder-inited`` as the step ``name``; the listener's id."""
    if name == SPHINX_GALLERY_GENERATES:
        raise ExtensionError(f"build_plan: {name} is sphinx-gallery's own step, connected by sphinx-gallery")
    return app.connect("builder-inited", function, priority=step_priority(name))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value(CONFIG_VALUE, "", "", [str])
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
