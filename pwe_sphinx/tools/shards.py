"""Split the gallery's examples over machines, and bring their outputs back into one site.

``python -m pwe_sphinx.tools.sitebuild --shard K/N`` runs only the examples of
shard K of N (``pwe_sphinx.gallery.shard`` tells sphinx-gallery which) and
leaves what sphinx-gallery wrote for them in ``build/shards/K-of-N/``:

* ``docs/<gallery>/...``: each example's page source, copies of its script
  and notebook, checksum, figures and thumbnail, code-object and cost records,
  at their paths under docs/;
* ``manifest.json``: the shard (K and N) and, for each example, its gallery
  and the sha256 of the source that produced those files.

``--from-shards build/shards`` checks that the shards found there hold every
example of the current sources (:func:`install_shards`), copies their files
into docs/, where sphinx-gallery finds each example up to date by its
checksum, and builds both languages as usual; a guard in
``pwe_sphinx.gallery.shard`` fails the build if an example would run anyway.
An example that no shard holds, or whose source changed since its shard
ran, is an error naming it: never a page without output.

Shards are balanced by recorded run times, longest first onto the least
loaded shard (:func:`partition`), and the same inputs always give the same
shards. The times are in ``example_times.json`` at the top of the project,
refreshed from the ``<name>.cost.json`` files sphinx-gallery writes beside
each example it runs (``python -m pwe_sphinx.tools.shards record`` after a
build); an example not recorded there counts as :data:`UNRECORDED_SECONDS`.
The partition only decides where an example runs, never what it prints, so
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


def shard_examples(k: int, n: int, root: Path = ROOT) -> list[Example]:
    """The examples shard K of N runs."""
    examples = gallery_examples(root)
    chosen = set(partition([example.relative for example in examples], recorded_seconds(root), n)[k - 1])
    return [example for example in examples if example.relative in chosen]


def source_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def outputs_of(example: Example, docs: Path) -> list[Path]:
    """The files sphinx-gallery wrote for ``example`` under ``docs``, relative to it.

    Its own files are named after it (``dynamic_net.rst``, ``dynamic_net.py.md5``
    ...) and so are its figures (``images/sphx_glr_dynamic_net_001.png``, the
    thumbnail ``images/thumb/sphx_glr_dynamic_net_thumb.png``); the dot or the
    number after the name keeps ``polynomial_nn`` apart from a longer name
    that starts with it.
    """
    gallery = docs / example.gallery
    own = [path for path in gallery.glob(f"{example.stem}.*") if path.is_file()]
    figure = figure_file_name(example.stem)
    figures = [path for path in (*gallery.glob("images/*"), *gallery.glob("images/thumb/*"))
               if path.is_file() and figure.fullmatch(path.name)]
    return sorted(path.relative_to(docs) for path in own + figures)


def write_shard(k: int, n: int, examples: list[Example], root: Path, destination: Path) -> Path:
    """Copy what the shard's build wrote for ``examples`` into ``destination`` with its manifest.

    An example whose checksum file or page is missing did not run to the end:
    a ShardError names it, so that no artifact misses an example silently.
    """
    docs = root / "docs"
    shutil.rmtree(destination, ignore_errors=True)
    entries = {}
    for example in examples:
        files = outputs_of(example, docs)
        names = {path.name for path in files}
        expected = (checksum_path(Path(f"{example.stem}.py"), gallery=Path()).name, f"{example.stem}.rst")
        missing = [name for name in expected if name not in names]
        if missing:
            raise ShardError(f"shard {k}/{n}: {example.relative} left no {', '.join(missing)}; it did not run")
        for relative in files:
            (destination / "docs" / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(docs / relative, destination / "docs" / relative)
        entries[example.relative] = {"gallery": example.gallery, "sha256": source_digest(root / example.relative),
                                     "files": [str(path) for path in files]}
    manifest = {"shard": k, "shards": n, "examples": entries}
    destination.mkdir(parents=True, exist_ok=True)
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return destination


def read_shards(folder: Path) -> dict[str, list[tuple[Path, dict[str, Any]]]]:
    """Every example the shards under ``folder`` hold: each shard's folder and manifest entry for it."""
    manifests = sorted(folder.glob(f"*/{MANIFEST}"))
    if not manifests:
        raise ShardError(f"{folder} holds no shard (no */{MANIFEST}); build them with --shard K/N")
    held: dict[str, list[tuple[Path, dict[str, Any]]]] = {}
    for manifest in manifests:
        for relative, entry in json.loads(manifest.read_text(encoding="utf-8"))["examples"].items():
            held.setdefault(relative, []).append((manifest.parent, entry))
    return held


def current_outputs(held: dict[str, list[tuple[Path, dict[str, Any]]]], examples: list[Example],
                    root: Path) -> tuple[dict[str, tuple[Path, dict[str, Any]]], list[str]]:
    """For each example, a shard holding the output of its current source; and what is wrong, by name.

    Shards of an earlier split may lie beside the current ones: any shard
    whose digest matches will do.
    """
    found, problems = {}, []
    for example in examples:
        holders = held.get(example.relative, [])
        digest = source_digest(root / example.relative)
        current = [holder for holder in holders if holder[1]["sha256"] == digest]
        if current:
            found[example.relative] = current[0]
        elif holders:
            names = ", ".join(shard.name for shard, _ in holders)
            problems.append(f"{example.relative}: changed since {names} ran it; build that shard again")
        else:
            problems.append(f"{example.relative}: no shard holds its output")
    return found, problems


def install_shards(folder: Path, root: Path = ROOT) -> list[Example]:
    """Copy the shards' outputs into docs/ after checking they are those of every current example.

    Raises ShardError listing each example that no shard holds or whose
    source changed since its shard ran; nothing is copied then.
    """
    examples = gallery_examples(root)
    found, problems = current_outputs(read_shards(folder), examples, root)
    if problems:
        raise ShardError("the shards in {} cannot build this site:\n  {}".format(folder, "\n  ".join(problems)))
    for example in examples:
        shard, entry = found[example.relative]
        for relative in entry["files"]:
            target = root / "docs" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shard / "docs" / relative, target)
    return examples


def measured_seconds(root: Path = ROOT) -> dict[str, float]:
    """Each example's last run time, from the ``.cost.json`` sphinx-gallery wrote beside its page."""
    seconds = {}
    for example in gallery_examples(root):
        cost = root / "docs" / example.gallery / f"{example.stem}.cost.json"
        if cost.is_file():
            seconds[example.relative] = round(json.loads(cost.read_text(encoding="utf-8"))["time"], 2)
    return seconds


def record_times(root: Path = ROOT) -> Path:
    """Write ``example_times.json`` from the last build's run times (``... shards record``)."""
    path = root / TIMES_FILE
    path.write_text(json.dumps(measured_seconds(root), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Shards of the gallery: show them, or record run times")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("record", help=f"write {TIMES_FILE} from the last build's run times")
    show = commands.add_parser("show", help="print which examples each of N shards runs")
    show.add_argument("count", type=int)
    args = parser.parse_args(argv)
    if args.command == "record":
        print(f"shards: wrote {record_times()}")
        return 0
    seconds = recorded_seconds(ROOT)
    for k in range(1, args.count + 1):
        examples = shard_examples(k, args.count)
        total = sum(seconds.get(example.relative, UNRECORDED_SECONDS) for example in examples)
        print(f"shard {k}/{args.count} ({total:.1f} s): " + ", ".join(e.relative for e in examples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
