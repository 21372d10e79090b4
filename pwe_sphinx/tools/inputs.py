"""What a build of this site reads: conf.py's settings, the input files, their digests.

The driver (``pwe_sphinx.tools.sitebuild``) skips a build whose inputs are
those of the last successful one, and starts from a fresh environment when
the code that writes the pages changed; the preview
(``pwe_sphinx.tools.serve``) watches the same inputs and ignores the same
outputs. Both take the site's languages and address from conf.py, read here
when they are needed rather than when a module is imported.
"""

from __future__ import annotations

import hashlib
import os
import runpy
import shutil
import sys
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

from pwe_sphinx.core.paths import OUTPUT_FOLDER as EXECUTED_OUTPUT

ROOT = Path(__file__).resolve().parents[2]


class SiteSettings(NamedTuple):
    """What the driver needs to know of the site, all of it from conf.py."""

    languages: tuple[str, ...]  # the first one's build runs the examples
    language_tags: dict[str, str]  # for the sitemap's hreflang
    site_url: str
    generated_in_docs: tuple[str, ...]  # folders under docs/ that builds write: outputs, not inputs
    galleries: tuple[tuple[str, str], ...]  # (examples folder from the root, its gallery from docs/)
    executed_scripts: tuple[str, ...]  # conf.py's pwe_executed_scripts: glob patterns from docs/


def site_settings() -> SiteSettings:
    """conf.py's settings, read when a build needs them rather than when this module is imported:
    importing a module should not run the project's configuration, and the address follows
    ``PWE_SITE_URL`` as it is at that moment."""
    conf = runpy.run_path(str(ROOT / "conf.py"))
    gallery_conf = conf["sphinx_gallery_conf"]
    galleries = tuple(gallery_conf["gallery_dirs"])
    examples = [Path(os.path.normpath(ROOT / "docs" / folder)).relative_to(ROOT).as_posix()
                for folder in gallery_conf["examples_dirs"]]
    return SiteSettings(languages=tuple(conf["pwe_languages"]), language_tags=dict(conf["pwe_language_tags"]),
                        site_url=conf["pwe_site_url"], generated_in_docs=(*galleries, EXECUTED_OUTPUT),
                        galleries=tuple(zip(examples, galleries, strict=True)),
                        executed_scripts=tuple(conf["pwe_executed_scripts"]))


# Environment variables that change what a build writes, besides every PWE_* one (conf.py reads
# them), less the one that only steers one run (the number of workers). A build's part in a run
# (leading, following, a shard) is no variable: sitebuild passes it as pwe_sphinx.core.build_plan's
# configuration value. Thread counts are not among them: the build fixes its own
# (pwe_sphinx.gallery.threads).
OUTPUT_ENVIRONMENT = frozenset({"SOURCE_DATE_EPOCH"})
PER_RUN_ENVIRONMENT = frozenset({"PWE_EXAMPLE_WORKERS"})


def copy_sources(destination: Path) -> Path:
    """Copy the project without anything a build or a tool generates (for builds from clean)."""
    tool_output = shutil.ignore_patterns(".git", ".nox", "build", "__pycache__", ".pytest_cache", "*.mo")
    generated = {ROOT / "docs" / folder for folder in site_settings().generated_in_docs}

    def ignore(folder: str, names: list[str]) -> set[str]:
        return set(tool_output(folder, names)) | {name for name in names if Path(folder, name) in generated}

    shutil.copytree(ROOT, destination, ignore=ignore)
    return destination


def environment_read() -> list[tuple[str, str]]:
    """The environment variables that change the output, with their values."""
    return sorted((name, value) for name, value in os.environ.items()
                  if name in OUTPUT_ENVIRONMENT or (name.startswith("PWE_") and name not in PER_RUN_ENVIRONMENT))


def installed_distributions() -> list[tuple[str, str]]:
    """Name and version of every installed distribution: any of them may change a page or an output."""
    return sorted({(str(dist.metadata["Name"]), str(dist.version)) for dist in metadata.distributions()})


def input_fingerprint(languages: tuple[str, ...], code: str | None = None) -> str:
    """A digest of everything a build reads: sources, configuration, environment, and the code that
    turns them into pages (``code``, :func:`code_fingerprint`'s digest, computed if not given)."""
    digest = hashlib.sha256(repr((languages, site_settings(), environment_read())).encode())
    digest.update((code or code_fingerprint()).encode())
    digest_files(digest, input_files())
    return digest.hexdigest()


def code_fingerprint() -> str:
    """A digest of the code that turns sources into pages: this package and every installed distribution.

    Sphinx writes again the pages whose sources or configuration changed, but
    not those that changed code would write differently (a transform, the HTML
    translator, a label's translation). When this digest changes, the builds
    start from a fresh environment, which reads and writes every page again;
    the examples do not run again (sphinx-gallery keeps their checksums in docs/).
    """
    digest = hashlib.sha256(repr((sys.version, installed_distributions())).encode())
    digest_files(digest, [path for path in sorted((ROOT / "pwe_sphinx").rglob("*")) if is_source(path)])
    return digest.hexdigest()


def digest_files(digest: hashlib._Hash, paths: list[Path]) -> None:
    """Add each file's path (from the project's root) and bytes to ``digest``."""
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")


def is_source(path: Path) -> bool:
    """A file a build reads, not one a tool compiled from it."""
    return path.is_file() and path.suffix not in {".mo", ".pyc"}


def input_files() -> list[Path]:
    """The sources a build reads: conf.py, docs/ (less what builds write there), the examples,
    the exercises and the questions. (The extension's own files are in :func:`code_fingerprint`.)"""
    docs = ROOT / "docs"
    generated = site_settings().generated_in_docs
    files = [ROOT / "conf.py", *sorted(docs.rglob("*")), *sorted(ROOT.glob("examples_*/*")),
             *sorted(ROOT.glob("exercises/**/*")), *sorted(ROOT.glob("questions/**/*"))]
    return [path for path in files
            if is_source(path)
            and not (path.is_relative_to(docs) and str(path.relative_to(docs)).startswith(generated))]
