"""Build the whole site: both languages side by side, then the language chooser.

``nox -s docs`` runs ``python -m pwe_sphinx.sitebuild``. The English build
runs the gallery examples and writes their pages, images and downloads into
docs/. The Chinese build starts at the same time, gets ready, and waits for
those files; then it translates them instead of running the examples again
(pwe_sphinx.follow_gallery says how). So on two cores the Chinese build
costs little more than the English one. Each language has its own doctree
folder, because ``language`` is an environment-wide setting in Sphinx.

Layout of the result::

    build/html/index.html     sends the reader to their language
    build/html/404.html       what hosts show for a missing address (pwe_sphinx.not_found)
    build/html/sitemap.xml    every page of every language, and robots.txt (pwe_sphinx.sitemap)
    build/html/en/...         English site
    build/html/zh_CN/...      Chinese site
    build/doctrees/<lang>/    Sphinx's pickled environment, per language
"""

from __future__ import annotations

import argparse
import hashlib
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

from pwe_sphinx import not_found, sitemap

ROOT = Path(__file__).resolve().parent.parent
# As conf.py lists them; the first language's build is the one that runs the examples.
CONF = runpy.run_path(str(ROOT / "conf.py"))
LANGUAGES = tuple(CONF["pwe_languages"])
SITE_URL = CONF["pwe_site_url"]  # where the site is published (PWE_SITE_URL)


def sphinx_command(language: str, build_dir: Path) -> list[str]:
    """The sphinx-build call for one language, warnings as errors."""
    return [
        sys.executable, "-m", "sphinx",
        "-b", "html",
        "-c", str(ROOT),
        "-d", str(build_dir / "doctrees" / language),
        "-D", f"language={language}",
        "-W", "--keep-going",
        "-q",
        str(ROOT / "docs"),
        str(build_dir / "html" / language),
    ]


# Folders that the build writes into docs/; they are outputs, not inputs.
GENERATED_IN_DOCS = ("beginner/examples_tensor", "beginner/examples_autograd", "beginner/examples_nn", "_executed")
TOOL_DISTRIBUTIONS = ("sphinx", "sphinx-gallery", "furo", "sphinx-copybutton", "jieba", "latex2mathml", "torch",
                      "numpy", "matplotlib", "scikit-learn", "onnx", "onnxscript", "onnxruntime")


def copy_sources(destination: Path) -> Path:
    """Copy the project without anything a build or a tool generates (for builds from clean)."""
    tool_output = shutil.ignore_patterns(".git", ".nox", "build", "__pycache__", ".pytest_cache", "*.mo")
    generated = {ROOT / "docs" / folder for folder in GENERATED_IN_DOCS}

    def ignore(folder, names):
        return set(tool_output(folder, names)) | {name for name in names if Path(folder, name) in generated}

    shutil.copytree(ROOT, destination, ignore=ignore)
    return destination


def input_fingerprint(languages: tuple[str, ...]) -> str:
    """A digest of everything a build reads: sources, configuration, extension code, tool versions."""
    from importlib import metadata

    digest = hashlib.sha256(repr((sys.version, languages, SITE_URL)).encode())
    for name in TOOL_DISTRIBUTIONS:
        digest.update(f"{name}=={metadata.version(name)}\n".encode())
    docs = ROOT / "docs"
    files = [ROOT / "conf.py", *sorted((ROOT / "pwe_sphinx").rglob("*")), *sorted(docs.rglob("*")),
             *sorted(ROOT.glob("examples_*/*")), *sorted(ROOT.glob("exercises/**/*"))]
    for path in files:
        generated = path.is_relative_to(docs) and str(path.relative_to(docs)).startswith(GENERATED_IN_DOCS)
        if not path.is_file() or generated or path.suffix in {".mo", ".pyc"}:
            continue
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def start_builds(languages: tuple[str, ...], build_dir: Path, ready: Path) -> dict[str, subprocess.Popen]:
    """Start every language's build at once; the first runs the examples (pwe_sphinx.follow_gallery)."""
    lead, *following = languages
    roles = {lead: {"PWE_ANNOUNCE_GALLERY_TO": str(ready)}}
    roles.update({language: {"PWE_AWAIT_GALLERY_FROM": str(ready)} for language in following})
    processes = {}
    for language, role in roles.items():
        print(f"sitebuild: building {language} into {build_dir / 'html' / language}", flush=True)
        processes[language] = subprocess.Popen(sphinx_command(language, build_dir), cwd=ROOT,
                                               env={**os.environ, **role})
    return processes


def build(languages: tuple[str, ...], build_dir: Path) -> int:
    """Build the languages side by side; fail if any of them fails.

    A build whose inputs are byte for byte those of the last successful one
    into the same folder is skipped: its output would be the same.
    """
    stamp = build_dir / "sitebuild.fingerprint"
    fingerprint = input_fingerprint(languages)
    if stamp.is_file() and stamp.read_text() == fingerprint and (build_dir / "html" / "index.html").is_file():
        print(f"sitebuild: nothing changed since the last build into {build_dir}; skipped")
        return 0
    stamp.unlink(missing_ok=True)
    build_dir.mkdir(parents=True, exist_ok=True)
    ready = build_dir / "gallery.ready"
    ready.unlink(missing_ok=True)
    processes = start_builds(languages, build_dir, ready)
    lead = languages[0]
    if processes[lead].wait() != 0 and not ready.exists():
        for language in languages[1:]:  # they would wait for a gallery that never comes
            processes[language].terminate()
            processes[language].wait()
        print(f"sitebuild: the {lead} build failed (exit {processes[lead].returncode}) before its "
              f"examples were done; see the messages above", file=sys.stderr)
        return processes[lead].returncode
    exit_codes = {language: process.wait() for language, process in processes.items()}
    failed = {language: code for language, code in exit_codes.items() if code != 0}
    for language, code in failed.items():
        print(f"sitebuild: the {language} build failed (exit {code}); see the messages above", file=sys.stderr)
    if failed:
        return next(iter(failed.values()))
    ready.unlink()
    shutil.copyfile(ROOT / "docs" / "_root" / "index.html", build_dir / "html" / "index.html")
    not_found.write_root_page(ROOT / "docs" / "_root" / "404.html", build_dir / "html" / "404.html", SITE_URL)
    sitemap.write_sitemap_and_robots(build_dir / "html", SITE_URL, LANGUAGES)
    stamp.write_text(fingerprint)
    print(f"sitebuild: done; open {build_dir / 'html' / 'index.html'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build", help="where html/ and doctrees/ go")
    parser.add_argument("--language", action="append", choices=LANGUAGES,
                        help="build only this language (repeatable); default: all")
    args = parser.parse_args(argv)
    return build(tuple(args.language or LANGUAGES), args.build_dir.resolve())


if __name__ == "__main__":
    sys.exit(main())
