"""Sessions for building and checking the site.

    nox -s docs    build both languages into build/html
    nox -s tests   build the site and run the test suite on it
    nox -s i18n    refresh the Chinese catalogues after the English changed
"""

from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["docs", "tests"]

PYTHON = "3.11"
# The CPU build of torch 2.13.0 lies on disk here; pointing pip at it keeps
# an unpinned resolver from ever reaching for a multi-GB CUDA build.
LOCAL_WHEELS = Path("/opt/wheels")


def install(session: nox.Session, requirements: str) -> None:
    extra = ["--find-links", str(LOCAL_WHEELS)] if LOCAL_WHEELS.is_dir() else []
    session.install(*extra, "-r", requirements)


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the English and Chinese sites into build/html."""
    install(session, "requirements/docs.txt")
    session.run("python", "-m", "pwe_sphinx.sitebuild", *session.posargs)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Build the site, then run pytest on it and on the examples."""
    install(session, "requirements/tests.txt")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def i18n(session: nox.Session) -> None:
    """Extract the English messages and merge them into docs/locale/zh_CN."""
    install(session, "requirements/docs.txt")
    session.run(
        "python", "-m", "sphinx", "-b", "gettext", "-c", ".", "-d", "build/doctrees/gettext",
        "-W", "--keep-going", "-q", "docs", "build/gettext",
    )
    session.run("sphinx-intl", "update", "-p", "build/gettext", "-d", "docs/locale", "-l", "zh_CN")
    session.run("python", "-m", "pwe_sphinx.catalogues", "prune")
    session.run("python", "-m", "pwe_sphinx.catalogues", "check", success_codes=[0, 1])
