"""Build the whole site: English, then Chinese, then the language chooser.

``nox -s docs`` runs ``python -m pwe_sphinx.sitebuild``. The English build
runs the gallery examples and writes their pages, images and downloads into
docs/; the Chinese build finds them up to date (sphinx-gallery compares each
script's MD5 with the one it stored) and translates them instead of running
them again. Each language has its own doctree folder, because ``language``
is an environment-wide setting in Sphinx.

Layout of the result::

    build/html/index.html     sends the reader to their language
    build/html/en/...         English site
    build/html/zh_CN/...      Chinese site
    build/doctrees/<lang>/    Sphinx's pickled environment, per language
"""

from __future__ import annotations

import argparse
import hashlib
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# As conf.py lists them; the first language's build is the one that runs the examples.
LANGUAGES = tuple(runpy.run_path(str(ROOT / "conf.py"))["pwe_languages"])


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
GENERATED_IN_DOCS = ("beginner/examples_tensor", "beginner/examples_autograd", "beginner/examples_nn")
TOOL_DISTRIBUTIONS = ("sphinx", "sphinx-gallery", "furo", "jieba", "torch", "numpy", "matplotlib")


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

    digest = hashlib.sha256(repr((sys.version, languages)).encode())
    for name in TOOL_DISTRIBUTIONS:
        digest.update(f"{name}=={metadata.version(name)}\n".encode())
    docs = ROOT / "docs"
    files = [ROOT / "conf.py", *sorted((ROOT / "pwe_sphinx").rglob("*")), *sorted(docs.rglob("*")),
             *sorted(ROOT.glob("examples_*/*"))]
    for path in files:
        generated = path.is_relative_to(docs) and str(path.relative_to(docs)).startswith(GENERATED_IN_DOCS)
        if not path.is_file() or generated or path.suffix in {".mo", ".pyc"}:
            continue
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build(languages: tuple[str, ...], build_dir: Path) -> int:
    """Build each language in turn; stop at the first that fails.

    A build whose inputs are byte for byte those of the last successful one
    into the same folder is skipped: its output would be the same.
    """
    stamp = build_dir / "sitebuild.fingerprint"
    fingerprint = input_fingerprint(languages)
    if stamp.is_file() and stamp.read_text() == fingerprint and (build_dir / "html" / "index.html").is_file():
        print(f"sitebuild: nothing changed since the last build into {build_dir}; skipped")
        return 0
    stamp.unlink(missing_ok=True)
    for language in languages:
        print(f"sitebuild: building {language} into {build_dir / 'html' / language}", flush=True)
        result = subprocess.run(sphinx_command(language, build_dir), cwd=ROOT)
        if result.returncode != 0:
            print(f"sitebuild: the {language} build failed (exit {result.returncode}); see the messages above",
                  file=sys.stderr)
            return result.returncode
    shutil.copyfile(ROOT / "docs" / "_root" / "index.html", build_dir / "html" / "index.html")
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
