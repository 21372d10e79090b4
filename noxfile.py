"""Sessions for building and checking the site.

    nox -s docs    build both languages into build/html; `-- --shard K/N` runs one shard's
                   examples into build/shards/, `-- --from-shards build/shards` builds from them
    nox -s serve   preview one language while editing: rebuilds on change, reloads the browser
    nox -s tests   lint, then build the site and run the test suite on it (every test, all tiers);
                   `-- --built-site build/html` tests a site built before instead of building one
    nox -s unit    the fast tier (`pytest -m unit`) in a light environment: no torch, no browser,
                   no Debian packages; under a minute
    nox -s lint    ruff, mypy --strict on pwe_sphinx, and the import-linter contract
    nox -s i18n    refresh the Chinese catalogues after the English changed
    nox -s bench   build times against the cost of the examples, a synthetic gallery's scaling
                   over workers and shards (`-- --quick` for a short run); page weight and Lighthouse
"""

import os
import shutil
import subprocess
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["docs", "tests"]

PYTHON = "3.11"
# The CPU build of torch 2.13.0 lies on disk here; pointing pip at it keeps
# an unpinned resolver from ever reaching for a multi-GB CUDA build.
LOCAL_WHEELS = Path("/opt/wheels")
# Elsewhere (CI, GitHub Pages, a laptop) the CPU build comes from PyTorch's
# own index: on PyPI, torch's Linux wheels are the CUDA build.
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"


# Debian packages, each with a command that already provides it (or None):
# GNU gettext's msgfmt, whose strict check of the catalogues the build applies
# as every translator's tool does; for the tests, the browser they drive
# (Playwright runs Debian's chromium, never a downloaded one) and the Java that
# runs the HTML checker. No font for Chinese: figures are drawn once, in
# English, and the Chinese site's copies carry their words as SVG text, which
# the reader's browser draws (pwe_sphinx/i18n/figure_text.py); no test looks at
# rendered Chinese glyphs.
DOCS_SYSTEM_PACKAGES = {"gettext": "msgfmt"}
# One pytest worker per core; each test module stays on one worker, so that its module-scoped
# fixtures (a browser context, a page audit) are made once, and modules are handed out in the order
# tests/conftest.py gives them (the longest first). `-- -n 0` runs everything in one process.
PARALLEL_PYTEST = ("-n", "auto", "--dist", "loadfile", "--no-loadscope-reorder")
TESTS_SYSTEM_PACKAGES = {**DOCS_SYSTEM_PACKAGES, "chromium": "chromium", "default-jre-headless": "java"}


def install(session: nox.Session, requirements: str) -> None:
    extra = ["--find-links", str(LOCAL_WHEELS)] if LOCAL_WHEELS.is_dir() else ["--extra-index-url", TORCH_CPU_INDEX]
    session.install(*extra, "-r", requirements)


def install_system_packages(session: nox.Session, packages: dict[str, str | None]) -> None:
    """apt-get install what is missing, as root or through passwordless sudo."""
    if shutil.which("dpkg") is None:
        session.warn(f"not a Debian system: make sure these are installed: {' '.join(packages)}")
        return

    def present(package: str, command: str | None) -> bool:
        if command and shutil.which(command):
            return True
        return subprocess.run(["dpkg", "-s", package], capture_output=True).returncode == 0

    missing = [package for package, command in packages.items() if not present(package, command)]
    if not missing:
        return
    if os.geteuid() == 0:
        sudo = []
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        sudo = ["sudo", "-n"]
    else:
        session.error(f"these Debian packages are needed and only root can install them: "
                      f"sudo apt-get install -y {' '.join(missing)}")
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run(*sudo, "apt-get", "update", "-q", external=True, env=env)
    session.run(*sudo, "apt-get", "install", "-y", "-q", "--no-install-recommends", *missing,
                external=True, env=env)


@nox.session(python=PYTHON)
def unit(session: nox.Session) -> None:
    """The fast tier: tiny in-process Sphinx builds and pure functions, without torch or a browser."""
    session.install("-r", "requirements/unit.txt")
    session.run("python", "-m", "pytest", "-q", "-m", "unit", *session.posargs)


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the English and Chinese sites into build/html."""
    install_system_packages(session, DOCS_SYSTEM_PACKAGES)
    install(session, "requirements/docs.txt")
    session.run("python", "-m", "pwe_sphinx.tools.sitebuild", *session.posargs)


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Preview one language on http://127.0.0.1:8000/ (`-- --language zh_CN`), rebuilt on every change."""
    install_system_packages(session, DOCS_SYSTEM_PACKAGES)
    install(session, "requirements/serve.txt")
    session.run("python", "-m", "pwe_sphinx.tools.serve", *session.posargs)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Build the site, then run pytest on it and on the examples."""
    # A browser named by PWE_CHROMIUM (the publish workflow's Playwright Chromium) replaces Debian's.
    packages = {name: command for name, command in TESTS_SYSTEM_PACKAGES.items()
                if not (name == "chromium" and os.environ.get("PWE_CHROMIUM"))}
    install_system_packages(session, packages)
    install(session, "requirements/tests.txt")
    # The README's test command is `./run tests`: it runs the lint first, so a
    # lint failure stops the run before the twenty-odd minutes of tests start.
    run_lint(session)
    session.run("pytest", *PARALLEL_PYTEST, *session.posargs)


def run_lint(session: nox.Session) -> None:
    """ruff, mypy and lint-imports, with the settings in pyproject.toml."""
    session.install("-r", "requirements/lint.txt")
    session.run("ruff", "check", ".")
    session.run("mypy")
    session.run("lint-imports")


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check the code: ruff, mypy --strict on pwe_sphinx, and the layers' import contract."""
    run_lint(session)


@nox.session(python=PYTHON)
def i18n(session: nox.Session) -> None:
    """Extract the English messages and merge them into docs/locale/zh_CN."""
    install(session, "requirements/docs.txt")
    session.run(
        "python", "-m", "sphinx", "-b", "gettext", "-c", ".", "-d", "build/doctrees/gettext",
        "-W", "--keep-going", "-q", "docs", "build/gettext",
    )
    session.run("sphinx-intl", "update", "-p", "build/gettext", "-d", "docs/locale", "-l", "zh_CN")
    session.run("python", "-m", "pwe_sphinx.i18n.catalogues", "prune")
    session.run("python", "-m", "pwe_sphinx.i18n.catalogues", "check", success_codes=[0, 1])


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Time cold, warm and one-example builds against the examples alone, and a synthetic gallery over
    workers and shards; weigh and score pages."""
    install_system_packages(session, TESTS_SYSTEM_PACKAGES)
    install(session, "requirements/tests.txt")
    lighthouse_dir = Path(session.cache_dir) / "lighthouse"
    session.run("npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(lighthouse_dir),
                "lighthouse@13.5.0", external=True)
    session.run("python", "benchmarks/bench.py",
                "--lighthouse", str(lighthouse_dir / "node_modules" / ".bin" / "lighthouse"), *session.posargs)
