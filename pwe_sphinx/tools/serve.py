"""Preview one language of the site while editing it: rebuild on every change, reload the browser.

``nox -s serve`` runs ``python -m pwe_sphinx.tools.serve``, which runs
sphinx-autobuild on the sources: it builds the site once, serves it on
http://127.0.0.1:8000/, watches the files a build reads, rebuilds when one of
them changes (only the pages that changed, and only the examples that
changed), and tells the open pages to reload. ``--language zh_CN`` previews
the Chinese site instead of the English one.

The preview builds into a folder of its own, ``build/serve/<lang>/``, with its
own doctrees, so that it never disturbs ``nox -s docs`` and its skip-if-unchanged
check. Warnings are shown but do not stop the preview; ``nox -s docs`` is the
strict build.

A build also writes into folders it reads: sphinx-gallery writes the example
pages into docs/beginner/examples_*, Sphinx compiles each catalogue into a
``.mo`` beside its ``.po``, and Python caches bytecode in ``__pycache__``.
Were those watched, every rebuild would set off the next one, so they are
ignored, along with everything under build/.

Because the preview writes into docs/ as ``nox -s docs`` does, it takes the
same lock first (``build/.docs.lock``, pwe_sphinx.tools.sitebuild) and holds it
until it stops: started beside a build, either one stops at once with a
message that names the other.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pwe_sphinx.tools.inputs import ROOT, site_settings
from pwe_sphinx.tools.sitebuild import DocsBusy, lock_docs

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def watched_paths() -> list[Path]:
    """What a build reads besides docs/ (which sphinx-autobuild watches as the source folder)."""
    return [ROOT / "conf.py", ROOT / "pwe_sphinx", *sorted(ROOT.glob("examples_*/")),
            ROOT / "exercises", ROOT / "questions"]


def ignored_paths() -> list[str]:
    """What a build writes inside the watched folders, and editors' scratch files.

    sphinx-autobuild ignores a path that lies under one of these folders or
    matches one of these glob patterns; in them ``*`` matches ``/`` too, so
    ``<root>/*.mo`` is every ``.mo`` file in the project.
    """
    return [
        str(ROOT / "build"),
        *(str(ROOT / "docs" / folder) for folder in site_settings().generated_in_docs),
        *(str(ROOT / pattern) for pattern in ("*.mo", "*/__pycache__/*", "*.swp", "*~")),
    ]


def autobuild_command(language: str, build_dir: Path, host: str = DEFAULT_HOST,
                      port: int = DEFAULT_PORT) -> list[str]:
    """The sphinx-autobuild call that previews ``language`` from ``build_dir/<language>``."""
    output = build_dir / language
    return [
        sys.executable, "-m", "sphinx_autobuild",
        "--host", host, "--port", str(port),
        *(argument for path in watched_paths() for argument in ("--watch", str(path))),
        *(argument for pattern in ignored_paths() for argument in ("--ignore", pattern)),
        "-b", "html",
        "-c", str(ROOT),
        "-d", str(output / "doctrees"),
        "-D", f"language={language}",
        str(ROOT / "docs"),
        str(output / "html"),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    languages = site_settings().languages
    parser.add_argument("--language", choices=languages, default=languages[0],
                        help=f"the language to preview (default: {languages[0]})")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to serve on (default: {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port to serve on, 0 for any free one (default: {DEFAULT_PORT})")
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build" / "serve",
                        help="where <language>/html and <language>/doctrees go")
    args = parser.parse_args(argv)
    command = autobuild_command(args.language, args.build_dir.resolve(), args.host, args.port)
    try:
        lock = lock_docs()
    except DocsBusy as busy:
        sys.exit(f"serve: {busy}")
    os.set_inheritable(lock, True)  # held across exec, until sphinx-autobuild ends
    # sphinx-autobuild takes over this process, so Ctrl+C reaches it directly.
    os.chdir(ROOT)
    os.execv(sys.executable, command)


if __name__ == "__main__":
    main()
