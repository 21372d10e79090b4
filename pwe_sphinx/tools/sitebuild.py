"""Build the whole site: both languages side by side, then the language chooser.

``nox -s docs`` runs ``python -m pwe_sphinx.tools.sitebuild``. The English build
runs the gallery examples and writes their pages, images and downloads into
docs/. The Chinese build starts at the same time, gets ready, and waits for
those files; then it translates them instead of running the examples again
(pwe_sphinx.gallery.follow says how). So on two cores the Chinese build
costs little more than the English one. Each language has its own doctree
folder, because ``language`` is an environment-wide setting in Sphinx.

The examples and the exercises' solutions run side by side in one pool of
worker processes, longest first (``PWE_EXAMPLE_WORKERS``, by default one
per core; pwe_sphinx.gallery.workers), each with one torch thread
(pwe_sphinx.gallery.threads), so they print what a serial run prints.

Across machines, ``--shard K/N`` runs only shard K of N's programs (examples
and executed scripts) and keeps their outputs in ``build/shards/K-of-N/``;
``--from-shards DIR`` checks and installs every shard's outputs and builds
both languages without running a program (pwe_sphinx.tools.shards,
pwe_sphinx.gallery.shard). With the same
``SOURCE_DATE_EPOCH``, that site is byte for byte the one-machine site.

Layout of the result::

    build/html/index.html     sends the reader to their language
    build/html/404.html       what hosts show for a missing address (pwe_sphinx.html.not_found)
    build/html/sitemap.xml    every page of every language, and robots.txt (pwe_sphinx.html.sitemap)
    build/html/en/...         English site
    build/html/zh_CN/...      Chinese site
    build/doctrees/<lang>/    Sphinx's pickled environment, per language
    build/shards/K-of-N/      what ``--shard K/N`` produced: docs/... and manifest.json

Safe to stop and to run twice:

* Each language's sphinx-build runs in its own session (process group). The
  driver waits on all of them together: when one fails, or the driver gets
  Ctrl-C or SIGTERM, it stops every group that is still running (SIGTERM,
  then SIGKILL), and the builds also get SIGTERM if the driver dies.
* ``build/.docs.lock`` (an flock, released by the kernel when its holder
  dies) keeps two builds, or a build and ``nox -s serve``, from writing
  docs/ at the same time; the second one stops at once and names the first.
* Each run gives both builds a random token; the following build waits for
  the ready file holding that token, for an hour at most.
* A leading build stopped before it finished leaves a marker, and the next
  build runs every example again instead of trusting what sphinx-gallery
  recorded; the skip-if-unchanged stamp is removed before a build starts and
  written only when all of it succeeded.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import dataclasses
import fcntl
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import NoReturn

from pwe_sphinx.core import build_plan
from pwe_sphinx.core.build_plan import BuildPlan, Mode
from pwe_sphinx.core.gallery_seam import remove_checksums
from pwe_sphinx.gallery.threads import thread_environment
from pwe_sphinx.html import not_found, sitemap
from pwe_sphinx.tools import shards
from pwe_sphinx.tools.inputs import ROOT, code_fingerprint, input_fingerprint, site_settings


def sphinx_command(language: str, build_dir: Path, fresh: bool = False, plan: BuildPlan = BuildPlan()) -> list[str]:
    """The sphinx-build call for one language, warnings as errors; ``fresh``: read and write every page;
    ``plan``: its part in this run (pwe_sphinx.core.build_plan), which changes no page."""
    return [
        sys.executable, "-m", "sphinx",
        "-b", "html",
        *(["-E"] if fresh else []),
        "-c", str(ROOT),
        "-d", str(build_dir / "doctrees" / language),
        "-D", f"language={language}",
        "-D", f"{build_plan.CONFIG_VALUE}={plan.to_json()}",
        "-W", "--keep-going",
        "-q",
        str(ROOT / "docs"),
        str(build_dir / "html" / language),
    ]


# docs/ is shared by every build of this checkout, whatever its --build-dir: so are these.
LOCK = ROOT / "build" / ".docs.lock"
UNFINISHED = ROOT / "build" / ".gallery-unfinished"
POLL_SECONDS = 0.1
STOP_SECONDS = 10  # how long a stopped build gets to end before SIGKILL


class DocsBusy(RuntimeError):
    """Another build or preview holds the lock on docs/."""


def lock_docs(lock: Path = LOCK) -> int:
    """Take the lock on docs/ for as long as this process lives; its file descriptor.

    Two builds writing the gallery into docs/ at once would mix their files.
    The lock file names its holder, so that the one refused can say who it is.
    """
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 4096, 0).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        raise DocsBusy(f"another build is writing docs/ (pid {holder}); wait for it or stop it") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}: {this_command()}\n".encode(), 0)
    return fd


def this_command() -> str:
    """This process's command line, as ps shows it."""
    try:
        return Path("/proc/self/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return " ".join([sys.executable, *sys.argv])


def distrust_unfinished_gallery() -> None:
    """If the last leading build was stopped midway, make this one run every example again.

    sphinx-gallery records an example's checksum as soon as the example has
    run, before it writes the example's page: a build stopped in between
    leaves a page that later builds would trust. Without the checksums,
    every example runs again. (pwe_sphinx.gallery.executed_scripts writes its record
    last, so its outputs need nothing.)
    """
    if UNFINISHED.exists():
        print("sitebuild: the last build stopped before its examples were done; running them all again",
              flush=True)
        for folder in site_settings().generated_in_docs:
            remove_checksums(ROOT / "docs" / folder)
    UNFINISHED.parent.mkdir(parents=True, exist_ok=True)
    UNFINISHED.touch()


def new_session_that_dies_with_its_parent() -> None:
    """In a build's process, before it starts: a session of its own, and SIGTERM when the driver dies.

    Its own session (process group) lets the driver stop it with all it
    started by one killpg, and keeps a terminal's Ctrl-C to the driver alone,
    which then stops the builds in order. The death signal covers a driver
    killed without a chance to clean up (SIGKILL).
    """
    os.setsid()
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG


def start_builds(languages: tuple[str, ...], build_dir: Path, ready: Path, token: str,
                 processes: dict[str, subprocess.Popen[bytes]], fresh: bool, lead: BuildPlan) -> None:
    """Start every language's build at once into ``processes`` (filled as they start, so that an
    interrupted start leaves nothing unknown); the first runs the examples (pwe_sphinx.gallery.follow),
    in ``lead``'s mode (LEAD; or SHARD with its programs, or MERGE running none: pwe_sphinx.gallery.shard),
    the others following it. Each build's plan gets the ready file and this run's token.

    Every build gets the examples' fixed thread count (pwe_sphinx.gallery.threads)."""
    leading, *following = languages
    plans = {leading: dataclasses.replace(lead, ready_file=ready, token=token)}
    plans.update({language: BuildPlan(mode=Mode.FOLLOW, ready_file=ready, token=token) for language in following})
    for language, plan in plans.items():
        print(f"sitebuild: building {language} into {build_dir / 'html' / language}", flush=True)
        env = {**os.environ, **thread_environment()}
        processes[language] = subprocess.Popen(sphinx_command(language, build_dir, fresh, plan), cwd=ROOT, env=env,
                                               preexec_fn=new_session_that_dies_with_its_parent)


def wait_for_builds(processes: dict[str, subprocess.Popen[bytes]]) -> dict[str, int | None]:
    """Wait until every build has succeeded or one has failed; each exit code, None if still running.

    All are watched together, so that a following build that fails early is
    seen at once, not after the leading one has run every example.
    """
    while True:
        codes = {language: process.poll() for language, process in processes.items()}
        if None not in codes.values() or any(code not in (None, 0) for code in codes.values()):
            return codes
        time.sleep(POLL_SECONDS)


def stop_builds(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    """Stop every build still running, with whatever it started: SIGTERM to its group, then SIGKILL."""
    for signum in (signal.SIGTERM, signal.SIGKILL):
        running = [process for process in processes.values() if process.poll() is None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signum)
        deadline = time.monotonic() + STOP_SECONDS
        for process in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.0, deadline - time.monotonic()))


def gallery_is_complete(lead: subprocess.Popen[bytes], ready: Path, token: str) -> bool:
    """Whether the leading build announced its gallery, or ended by itself (not by a signal, not stopped)."""
    from pwe_sphinx.gallery.follow import holds_token

    return holds_token(ready, token) or (lead.returncode is not None and lead.returncode >= 0)


def run_builds(languages: tuple[str, ...], build_dir: Path, fresh: bool = False,
               lead: BuildPlan = BuildPlan(mode=Mode.LEAD)) -> bool:
    """Run the language builds side by side; whether all succeeded. None is left running on return."""
    ready = build_dir / "gallery.ready"
    ready.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    distrust_unfinished_gallery()
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        start_builds(languages, build_dir, ready, token, processes, fresh, lead)
        codes = wait_for_builds(processes)
    finally:
        stop_builds(processes)
        if languages[0] in processes and gallery_is_complete(processes[languages[0]], ready, token):
            UNFINISHED.unlink(missing_ok=True)
        ready.unlink(missing_ok=True)
    for language, code in codes.items():
        if code is None:
            print(f"sitebuild: stopped the {language} build", file=sys.stderr)
        elif code != 0:
            print(f"sitebuild: the {language} build failed (exit {code}); see the messages above", file=sys.stderr)
    return all(code == 0 for code in codes.values())


def write_site_root(build_dir: Path) -> None:
    """What lies beside the languages' folders: the language chooser, the 404 page, the sitemap."""
    site = site_settings()
    shutil.copyfile(ROOT / "docs" / "_root" / "index.html", build_dir / "html" / "index.html")
    not_found.write_root_page(ROOT / "docs" / "_root" / "404.html", build_dir / "html" / "404.html", site.site_url)
    sitemap.write_sitemap_and_robots(build_dir / "html", site.site_url, site.language_tags)


def build(languages: tuple[str, ...], build_dir: Path, lead: BuildPlan = BuildPlan(mode=Mode.LEAD)) -> int:
    """Build the languages side by side; fail if any of them fails.

    A build whose inputs are byte for byte those of the last successful one
    into the same folder is skipped: its output would be the same (a build
    from shards writes what a one-machine build writes).
    """
    stamp, code_stamp = build_dir / "sitebuild.fingerprint", build_dir / "sitebuild.code"
    code = code_fingerprint()
    fingerprint = input_fingerprint(languages, code)
    if stamp.is_file() and stamp.read_text() == fingerprint and (build_dir / "html" / "index.html").is_file():
        print(f"sitebuild: nothing changed since the last build into {build_dir}; skipped")
        return 0
    stamp.unlink(missing_ok=True)
    build_dir.mkdir(parents=True, exist_ok=True)
    fresh = not code_stamp.is_file() or code_stamp.read_text() != code
    code_stamp.unlink(missing_ok=True)
    if not run_builds(languages, build_dir, fresh, lead):
        return 1
    code_stamp.write_text(code)
    write_site_root(build_dir)
    stamp.write_text(fingerprint)
    print(f"sitebuild: done; open {build_dir / 'html' / 'index.html'}")
    return 0


def build_shard(shard: str, build_dir: Path) -> int:
    """Run shard K of N's programs (``--shard K/N``) and keep their outputs in build/shards/K-of-N/.

    Only the leading language's build runs, and it stops once the gallery is
    written (pwe_sphinx.gallery.shard): pages are the merge's work.
    """
    k, n = shards.parse_shard(shard)
    programs = shards.shard_programs(k, n)
    print(f"sitebuild: shard {k}/{n} runs {len(programs)} programs: "
          + (", ".join(program.relative for program in programs) or "none"), flush=True)
    shard_plan = BuildPlan(mode=Mode.SHARD,
                           shard_examples=tuple(p.relative for p in programs if isinstance(p, shards.Example)),
                           shard_scripts=tuple(p.relative for p in programs if isinstance(p, shards.Script)))
    if not run_builds(site_settings().languages[:1], build_dir, lead=shard_plan):
        return 1
    try:
        artifact = shards.write_shard(k, n, programs, ROOT, build_dir / "shards" / f"{k}-of-{n}")
    except shards.ShardError as error:
        print(f"sitebuild: {error}", file=sys.stderr)
        return 1
    print(f"sitebuild: shard {k}/{n} is in {artifact}")
    return 0


def build_from_shards(folder: Path, languages: tuple[str, ...], build_dir: Path) -> int:
    """Build the site from the shards' outputs in ``folder`` (``--from-shards``), running no program.

    The outputs are checked (every program held, none stale) and copied into
    docs/, which makes the gallery and the scripts' outputs complete; the
    builds then find every program up to date, and one that is not stops
    them by name.
    """
    try:
        programs = shards.install_shards(folder)
    except shards.ShardError as error:
        print(f"sitebuild: {error}", file=sys.stderr)
        return 1
    UNFINISHED.unlink(missing_ok=True)  # the gallery in docs/ is now the shards' complete one
    print(f"sitebuild: the outputs of {len(programs)} programs come from the shards in {folder}", flush=True)
    return build(languages, build_dir, lead=BuildPlan(mode=Mode.MERGE))


def exit_on_signals() -> None:
    """Make SIGTERM and SIGHUP raise SystemExit, and SIGINT KeyboardInterrupt, so that the finally
    blocks that stop the builds run: by default Python dies at once on SIGTERM and leaves them
    running, and a driver started in the background of a script inherits SIGINT ignored."""
    def exit_now(signum: int, frame: FrameType | None) -> NoReturn:
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, exit_now)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv: list[str] | None = None) -> int:
    languages = site_settings().languages
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build", help="where html/ and doctrees/ go")
    parser.add_argument("--language", action="append", choices=languages,
                        help="build only this language (repeatable); default: all")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--shard", metavar="K/N", help="run only shard K of N's programs into build/shards/K-of-N/")
    mode.add_argument("--from-shards", type=Path, metavar="DIR",
                      help="build the site from the shards in DIR (e.g. build/shards), running no program")
    args = parser.parse_args(argv)
    if args.shard:
        try:
            shards.parse_shard(args.shard)
        except shards.ShardError as error:
            parser.error(str(error))
    exit_on_signals()
    try:
        lock = lock_docs()
    except DocsBusy as busy:
        print(f"sitebuild: {busy}", file=sys.stderr)
        return 1
    try:
        build_dir = args.build_dir.resolve()
        if args.shard:
            return build_shard(args.shard, build_dir)
        if args.from_shards:
            return build_from_shards(args.from_shards.resolve(), tuple(args.language or languages), build_dir)
        return build(tuple(args.language or languages), build_dir)
    except KeyboardInterrupt:
        print("sitebuild: interrupted; the builds are stopped", file=sys.stderr)
        return 130
    finally:
        os.close(lock)


if __name__ == "__main__":
    sys.exit(main())
