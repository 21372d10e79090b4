"""Split every program the site runs over machines, and bring their outputs back into one site.

The programs are the gallery's examples and the executed scripts (the
exercises' solutions, the questions' programs, the installation check:
``pwe_sphinx.gallery.executed_scripts``). ``python -m
pwe_sphinx.tools.sitebuild --shard K/N`` runs only the programs of shard K
of N (``pwe_sphinx.gallery.shard`` tells sphinx-gallery which examples, the
build plan tells the scripts' runner which scripts) and leaves what they
wrote in ``build/shards/K-of-N/``:

* ``docs/<gallery>/...``: each example's page source, copies of its script
  and notebook, checksum, figures and thumbnail, code-object and cost records,
  at their paths under docs/;
* ``docs/_executed/<script>/...``: each script's output, figures, cost and stamp;
* ``manifest.json``: the shard (K and N) and, for each program, its gallery
  (an example) or output folder (a script), its files and the sha256 of the
  source that produced them.

``--from-shards build/shards`` checks that the shards found there hold every
program of the current sources (:func:`install_shards`), copies their files
into docs/, where sphinx-gallery finds each example up to date by its
checksum and the scripts' runner each script by its stamp, and builds both
languages as usual, running no program: guards in ``pwe_sphinx.gallery.shard``
and ``pwe_sphinx.gallery.executed_scripts`` fail the build if one would run
anyway. A program that no shard holds, or whose source changed since its
shard ran, is an error naming it: never a page without output.

Shards are balanced by recorded run times, longest first onto the least
loaded shard (:func:`partition`), and the same inputs always give the same
shards. The times are in ``example_times.json`` at the top of the project,
refreshed from the ``cost.json`` records the build writes beside each
program's output (``python -m pwe_sphinx.tools.shards record`` after a
build); a program not recorded there counts as :data:`UNRECORDED_SECONDS`.
The partition only decides where a program runs, never what it prints, so
the file is not an input of the site.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pwe_sphinx.core.gallery_seam import checksum_path, figure_file_name
from pwe_sphinx.core.paths import OUTPUT_FOLDER
from pwe_sphinx.gallery.executed_scripts import COST, STAMP, listed_scripts, relative_name
from pwe_sphinx.gallery.workers import TIMES_FILE, recorded_seconds
from pwe_sphinx.tools.inputs import ROOT, site_settings

UNRECORDED_SECONDS = 1.0
MANIFEST = "manifest.json"


class ShardError(RuntimeError):
    """A shard request or a set of shards that cannot build the site; the message names what."""


@dataclass(frozen=True)
class Example:
    """One gallery example: where its source is, and where sphinx-gallery writes its outputs."""

    relative: str  # "examples_nn/dynamic_net.py", from the project's root
    gallery: str  # "beginner/examples_nn", from docs/

    @property
    def stem(self) -> str:
        return Path(self.relative).stem


@dataclass(frozen=True)
class Script:
    """One executed script: where its source is, and the folder its output goes to."""

    relative: str  # "exercises/dynamic_net/01_no_momentum.py", from the project's root
    output: str  # "_executed/exercises/dynamic_net/01_no_momentum", from docs/


Program = Example | Script


def parse_shard(text: str) -> tuple[int, int]:
    """``"K/N"`` as (K, N), 1 ≤ K ≤ N; ShardError saying what is wrong otherwise."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match:
        raise ShardError(f"--shard {text!r}: write it K/N, e.g. 1/2 (shard K of N)")
    k, n = int(match[1]), int(match[2])
    if not 1 <= k <= n:
        raise ShardError(f"--shard {text}: K must be between 1 and N")
    return k, n


def gallery_examples(root: Path = ROOT) -> list[Example]:
    """Every example of every gallery conf.py names, sorted by path."""
    found = []
    for examples, gallery in site_settings().galleries:
        folder = root / examples
        found += [Example(f"{examples}/{script.name}", gallery) for script in sorted(folder.glob("*.py"))]
    return sorted(found, key=lambda example: example.relative)


def executed_scripts(root: Path = ROOT) -> list[Script]:
    """Every script conf.py's ``pwe_executed_scripts`` names, sorted by path."""
    docs = root / "docs"
    scripts = [Script(path.relative_to(root.resolve()).as_posix(),
                      (Path(OUTPUT_FOLDER) / relative_name(docs, path)).as_posix())
               for path in listed_scripts(docs, list(site_settings().executed_scripts))]
    return sorted(scripts, key=lambda script: script.relative)


def site_programs(root: Path = ROOT) -> list[Program]:
    """Every program the site runs: the gallery's examples and the executed scripts, sorted by path."""
    return sorted([*gallery_examples(root), *executed_scripts(root)], key=lambda program: program.relative)


def partition(names: list[str], seconds: dict[str, float], count: int) -> list[list[str]]:
    """``count`` shards of ``names`` whose recorded times are as even as a greedy pass makes them.

    Longest first, each onto the shard with the least time so far (the lower
    number on a tie): deterministic, and within the longest example of the
    best split. Each shard lists its examples by name.
    """
    shards: list[list[str]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for name in sorted(names, key=lambda name: (-seconds.get(name, UNRECORDED_SECONDS), name)):
        lightest = min(range(count), key=lambda index: (loads[index], index))
        shards[lightest].append(name)
        loads[lightest] += seconds.get(name, UNRECORDED_SECONDS)
    return [sorted(shard) for shard in shards]


def shard_programs(k: int, n: int, root: Path = ROOT) -> list[Program]:
    """The programs shard K of N runs."""
    programs = site_programs(root)
    chosen = set(partition([program.relative for program in programs], recorded_seconds(root), n)[k - 1])
    return [program for program in programs if program.relative in chosen]


def source_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def outputs_of(program: Program, docs: Path) -> list[Path]:
    """The files written for ``program`` under ``docs``, relative to it.

    A script's are the files of its output folder. An example's are those
    sphinx-gallery wrote: its own files are named after it (``dynamic_net.rst``, ``dynamic_net.py.md5``
    ...) and so are its figures (``images/sphx_glr_dynamic_net_001.png``, the
    thumbnail ``images/thumb/sphx_glr_dynamic_net_thumb.png``); the dot or the
    number after the name keeps ``polynomial_nn`` apart from a longer name
    that starts with it.
    """
    if isinstance(program, Script):
        return sorted(path.relative_to(docs) for path in (docs / program.output).rglob("*") if path.is_file())
    gallery = docs / program.gallery
    own = [path for path in gallery.glob(f"{program.stem}.*") if path.is_file()]
    figure = figure_file_name(program.stem)
    figures = [path for path in (*gallery.glob("images/*"), *gallery.glob("images/thumb/*"))
               if path.is_file() and figure.fullmatch(path.name)]
    return sorted(path.relative_to(docs) for path in own + figures)


def proof_of_run(program: Program) -> tuple[str, ...]:
    """The files a program leaves only when it ran to the end: an example's checksum and page, a script's stamp."""
    if isinstance(program, Script):
        return (STAMP,)
    return (checksum_path(Path(f"{program.stem}.py"), gallery=Path()).name, f"{program.stem}.rst")


def manifest_entry(program: Program, root: Path, files: list[Path]) -> dict[str, Any]:
    place = {"output": program.output} if isinstance(program, Script) else {"gallery": program.gallery}
    return {**place, "sha256": source_digest(root / program.relative), "files": [str(path) for path in files]}


def write_shard(k: int, n: int, programs: list[Program], root: Path, destination: Path) -> Path:
    """Copy what the shard's build wrote for ``programs`` into ``destination`` with its manifest.

    A program whose proof of a finished run (:func:`proof_of_run`) is missing
    did not run to the end: a ShardError names it, so that no artifact misses
    a program silently.
    """
    docs = root / "docs"
    shutil.rmtree(destination, ignore_errors=True)
    entries = {}
    for program in programs:
        files = outputs_of(program, docs)
        names = {path.name for path in files}
        missing = [name for name in proof_of_run(program) if name not in names]
        if missing:
            raise ShardError(f"shard {k}/{n}: {program.relative} left no {', '.join(missing)}; it did not run")
        for relative in files:
            (destination / "docs" / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(docs / relative, destination / "docs" / relative)
        entries[program.relative] = manifest_entry(program, root, files)
    manifest = {"shard": k, "shards": n, "programs": entries}
    destination.mkdir(parents=True, exist_ok=True)
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return destination


def read_shards(folder: Path) -> dict[str, list[tuple[Path, dict[str, Any]]]]:
    """Every program the shards under ``folder`` hold: each shard's folder and manifest entry for it."""
    manifests = sorted(folder.glob(f"*/{MANIFEST}"))
    if not manifests:
        raise ShardError(f"{folder} holds no shard (no */{MANIFEST}); build them with --shard K/N")
    held: dict[str, list[tuple[Path, dict[str, Any]]]] = {}
    for manifest in manifests:
        record = json.loads(manifest.read_text(encoding="utf-8"))
        if "programs" not in record:
            raise ShardError(f"{manifest}: no programs listed; it was written by an older sitebuild, "
                             f"build that shard again")
        for relative, entry in record["programs"].items():
            held.setdefault(relative, []).append((manifest.parent, entry))
    return held


def current_outputs(held: dict[str, list[tuple[Path, dict[str, Any]]]], programs: list[Program],
                    root: Path) -> tuple[dict[str, tuple[Path, dict[str, Any]]], list[str]]:
    """For each program, a shard holding the output of its current source; and what is wrong, by name.

    Shards of an earlier split may lie beside the current ones: any shard
    whose digest matches will do.
    """
    found, problems = {}, []
    for program in programs:
        holders = held.get(program.relative, [])
        digest = source_digest(root / program.relative)
        current = [holder for holder in holders if holder[1]["sha256"] == digest]
        if current:
            found[program.relative] = current[0]
        elif holders:
            names = ", ".join(shard.name for shard, _ in holders)
            problems.append(f"{program.relative}: changed since {names} ran it; build that shard again")
        else:
            problems.append(f"{program.relative}: no shard holds its output")
    return found, problems


def install_shards(folder: Path, root: Path = ROOT) -> list[Program]:
    """Copy the shards' outputs into docs/ after checking they are those of every current program.

    Raises ShardError listing each program that no shard holds or whose
    source changed since its shard ran; nothing is copied then. A script's
    output folder is emptied first: a figure left from an older version
    would otherwise show after the new ones.
    """
    programs = site_programs(root)
    found, problems = current_outputs(read_shards(folder), programs, root)
    if problems:
        raise ShardError("the shards in {} cannot build this site:\n  {}".format(folder, "\n  ".join(problems)))
    for program in programs:
        shard, entry = found[program.relative]
        if isinstance(program, Script):
            shutil.rmtree(root / "docs" / program.output, ignore_errors=True)
        for relative in entry["files"]:
            target = root / "docs" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shard / "docs" / relative, target)
    return programs


def cost_record(program: Program, docs: Path) -> Path:
    """Where the last run's time of ``program`` is: sphinx-gallery's ``<name>.cost.json``, or the script's."""
    if isinstance(program, Script):
        return docs / program.output / COST
    return docs / program.gallery / f"{program.stem}.cost.json"


def measured_seconds(root: Path = ROOT) -> dict[str, float]:
    """Each program's last run time, from the cost record written beside its output."""
    seconds = {}
    for program in site_programs(root):
        cost = cost_record(program, root / "docs")
        if cost.is_file():
            seconds[program.relative] = round(json.loads(cost.read_text(encoding="utf-8"))["time"], 2)
    return seconds


def record_times(root: Path = ROOT) -> Path:
    """Write ``example_times.json`` from the last build's run times (``... shards record``)."""
    path = root / TIMES_FILE
    path.write_text(json.dumps(measured_seconds(root), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Shards of the site's programs: show them, or record run times")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("record", help=f"write {TIMES_FILE} from the last build's run times")
    show = commands.add_parser("show", help="print which programs each of N shards runs")
    show.add_argument("count", type=int)
    args = parser.parse_args(argv)
    if args.command == "record":
        print(f"shards: wrote {record_times()}")
        return 0
    seconds = recorded_seconds(ROOT)
    for k in range(1, args.count + 1):
        programs = shard_programs(k, args.count)
        total = sum(seconds.get(program.relative, UNRECORDED_SECONDS) for program in programs)
        print(f"shard {k}/{args.count} ({total:.1f} s): " + ", ".join(p.relative for p in programs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
