"""A page that shows every program of a folder is read again when a program is added or removed.

The exercises and questions of a lesson are the ``.py`` files of its folder
(``exercises/<lesson>/``, ``questions/<lesson>/``). Each file the page shows
is a Sphinx dependency of the page, so an edit to one re-reads it; a file
added to the folder is not among them. Sphinx's dependencies are files: a
folder noted as one counts as missing, and the page was then read again in
every build, in each language (nine lesson pages here, a few seconds of
every rebuild). Instead the page records the names of the folder's ``.py``
files when it is read (:func:`note_folder`), and before each build a page
whose folder now lists other names is read again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

# On the build environment, pickled with it: page -> folder -> the names of its .py files.
ATTRIBUTE = "pwe_folder_listings"
Listings = dict[str, dict[str, list[str]]]


def listings_of(env: BuildEnvironment) -> Listings:
    if not hasattr(env, ATTRIBUTE):
        setattr(env, ATTRIBUTE, {})
    listings: Listings = getattr(env, ATTRIBUTE)
    return listings


def python_files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("*.py")) if folder.is_dir() else []


def note_folder(env: BuildEnvironment, folder: Path) -> None:
    """Record that the page being read shows the programs of ``folder``."""
    listings_of(env).setdefault(env.docname, {})[str(folder)] = python_files(folder)


def pages_whose_folders_changed(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                                removed: set[str]) -> list[str]:
    """``env-get-outdated``: the pages one of whose folders gained or lost a program since they were read."""
    return sorted(page for page, folders in listings_of(env).items()
                  if any(python_files(Path(folder)) != names for folder, names in folders.items()))


def forget_page(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    listings_of(env).pop(docname, None)


def merge_listings(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    """A parallel read's pages bring their listings back to the main environment."""
    theirs = listings_of(other)
    listings_of(env).update({page: theirs[page] for page in docnames if page in theirs})


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("env-get-outdated", pages_whose_folders_changed)
    app.connect("env-purge-doc", forget_page)
    app.connect("env-merge-info", merge_listings)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
