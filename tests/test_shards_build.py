"""Two clean builds give the same site byte for byte, even when one of them is merged from shards, and
parallel programs print what serial ones do.

One project copy is built the ordinary way, its programs (the examples and
the executed scripts) run by two workers; another runs its programs in two
shards (``--shard 1/2``, ``--shard 2/2``), each serially, and builds the
site from them (``--from-shards``). With the same ``SOURCE_DATE_EPOCH`` every
file of the two sites must be the same, which holds only if every program
printed and drew the same in a worker as in a serial run
(pwe_sphinx.gallery.threads fixes torch's thread count for that). The merge
must run no program: each example's and each script's cost record, which a
run rewrites, must still be the shard's. Both copies start clean, so the comparison is also
the check that two clean builds are identical (a separate pair of one-machine
builds would cost two more full builds and check nothing these two do not).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_reproducible import file_digests

from pwe_sphinx.tools import shards
from pwe_sphinx.tools.inputs import copy_sources

pytestmark = pytest.mark.slow

EPOCH = "1767225600"


def sitebuild(project: Path, *args: str, workers: int) -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PWE_EXAMPLE_WORKERS=str(workers))
    result = subprocess.run([sys.executable, "-m", "pwe_sphinx.tools.sitebuild", *args], cwd=project, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, f"sitebuild {' '.join(args)} failed:\n{result.stderr[-3000:]}"


def gallery_pages(project: Path) -> dict[str, str]:
    """What sphinx-gallery wrote for each example in docs/ (its page source holds the printed output)."""
    return {name: digest for name, digest in file_digests(project / "docs" / "beginner").items()
            if name.endswith((".rst", ".png", ".svg")) and "/examples_" in f"/{name}"}


@pytest.fixture(scope="module")
def two_clean_builds(tmp_path_factory) -> tuple[Path, Path, Path]:
    """The one-machine project, the sharded project, and the shards' artifacts, all built."""
    one_machine = copy_sources(tmp_path_factory.mktemp("one-machine") / "project")
    sitebuild(one_machine, workers=2)
    sharded = copy_sources(tmp_path_factory.mktemp("sharded") / "project")
    for k in (1, 2):
        sitebuild(sharded, "--shard", f"{k}/2", workers=1)
    artifacts = sharded / "build" / "shards"
    assert sorted(path.name for path in artifacts.iterdir()) == ["1-of-2", "2-of-2"]
    sitebuild(sharded, "--from-shards", str(artifacts), workers=1)
    return one_machine, sharded, artifacts


def test_examples_in_parallel_workers_print_and_draw_what_serial_shards_do(two_clean_builds):
    one_machine, sharded, _ = two_clean_builds
    parallel, serial = gallery_pages(one_machine), gallery_pages(sharded)
    assert parallel.keys() == serial.keys() and len(parallel) > 30
    differing = sorted(name for name in parallel if parallel[name] != serial[name])
    assert not differing, f"examples whose output differs between parallel and serial runs: {differing}"


def test_two_clean_builds_one_merged_from_shards_are_identical(two_clean_builds):
    one_machine, sharded, _ = two_clean_builds
    first, second = (file_digests(project / "build" / "html") for project in (one_machine, sharded))
    assert first.keys() == second.keys(), sorted(first.keys() ^ second.keys())[:40]
    differences = [name for name in first if first[name] != second[name]]
    assert not differences, f"{len(differences)} files differ: {differences[:40]}"
    assert len(first) > 200  # pages, images, downloads and zips of both languages


def test_the_build_from_shards_ran_no_program(two_clean_builds):
    """Every example and every executed script ran in a shard (each shard ran some of each kind), and
    none ran again in the merge: each cost record, which a run rewrites with its own time, is the shard's."""
    _, sharded, artifacts = two_clean_builds
    held = shards.read_shards(artifacts)
    programs = shards.site_programs(sharded)
    assert set(held) == {program.relative for program in programs}
    for manifest in sorted(artifacts.glob("*/manifest.json")):
        kinds = {"output" in entry for entry in json.loads(manifest.read_text(encoding="utf-8"))["programs"].values()}
        assert kinds == {True, False}, f"{manifest.parent.name} did not run both examples and scripts"
    for program in programs:
        cost = shards.cost_record(program, sharded / "docs")
        shard = held[program.relative][0][0]
        assert cost.read_bytes() == (shard / cost.relative_to(sharded)).read_bytes(), \
            f"{program.relative} ran again in the build from shards"
