"""The build driver (pwe_sphinx.tools.sitebuild) is safe to stop and to run twice.

The unit tests need no build. The driver tests start ``python -m
pwe_sphinx.tools.sitebuild`` in a copy of the project and stop it a few seconds
into its build, so they need no full build either; they find the copy's
processes by their command lines in /proc.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import LANGUAGES
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import docutils_namespace
from sphinx_gallery import gen_gallery

from pwe_sphinx.core.build_plan import BuildPlan, Mode, parse_plan
from pwe_sphinx.gallery import follow as follow_gallery
from pwe_sphinx.gallery.follow import wait_for_gallery
from pwe_sphinx.tools import inputs, sitebuild
from pwe_sphinx.tools.inputs import copy_sources, input_fingerprint
from pwe_sphinx.tools.sitebuild import DocsBusy, lock_docs

DRIVER = [sys.executable, "-m", "pwe_sphinx.tools.sitebuild"]


# The hand-off between the languages


def test_a_stale_ready_file_with_another_token_does_not_release_the_follower(tmp_path):
    ready = tmp_path / "gallery.ready"
    ready.write_text("an-earlier-run\n", encoding="utf-8")
    with pytest.raises(ExtensionError, match="gave up"):
        wait_for_gallery(ready, "this-run", seconds=0.5, parent=os.getppid())
    ready.write_text("this-run\n", encoding="utf-8")
    started = time.monotonic()
    wait_for_gallery(ready, "this-run", seconds=30, parent=os.getppid())
    assert time.monotonic() - started < 5


def test_the_followers_wait_gives_up_after_its_deadline_with_a_clear_error(tmp_path):
    started = time.monotonic()
    with pytest.raises(ExtensionError) as raised:
        wait_for_gallery(tmp_path / "never.ready", "this-run", seconds=0.3, parent=os.getppid())
    assert 0.3 <= time.monotonic() - started < 5
    message = str(raised.value)
    assert "waited 0.3 s" in message and "wait_seconds" in message and "never.ready" in message


def test_the_follower_stops_when_its_parent_has_gone(tmp_path):
    with pytest.raises(ExtensionError, match="has gone"):
        wait_for_gallery(tmp_path / "never.ready", "this-run", seconds=30, parent=-1)


def test_the_only_variable_of_one_run_is_the_worker_count():
    # It changes nothing written: the site is the same whichever number of workers ran an example.
    # A build's part in the run travels in its build plan, not in the environment.
    assert {"PWE_EXAMPLE_WORKERS"} == inputs.PER_RUN_ENVIRONMENT


def test_each_build_of_a_run_gets_its_part_as_a_build_plan(tmp_path, monkeypatch):
    started = {}

    def record(command, **kwargs):
        plan_value = next(arg for arg in command if arg.startswith("pwe_build_plan="))
        started[command[command.index("-D") + 1]] = parse_plan(plan_value.partition("=")[2])
        assert not any(name.startswith("PWE_") and name != "PWE_EXAMPLE_WORKERS" and name not in os.environ
                       for name in kwargs["env"])
        return SimpleNamespace(pid=0)

    monkeypatch.setattr(sitebuild.subprocess, "Popen", record)
    ready = tmp_path / "gallery.ready"
    sitebuild.start_builds(("en", "zh_CN"), tmp_path, ready, "tok", {}, False, BuildPlan(mode=Mode.MERGE))
    assert started == {"language=en": BuildPlan(mode=Mode.MERGE, ready_file=ready, token="tok"),
                       "language=zh_CN": BuildPlan(mode=Mode.FOLLOW, ready_file=ready, token="tok")}


# The skip-if-unchanged fingerprint


def test_the_fingerprint_changes_with_source_date_epoch_and_the_sites_variables(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("PWE_EXAMPLE_TIME_LIMIT", raising=False)
    unset = input_fingerprint(LANGUAGES)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    epoch = input_fingerprint(LANGUAGES)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225601")
    later_epoch = input_fingerprint(LANGUAGES)
    monkeypatch.setenv("PWE_EXAMPLE_TIME_LIMIT", "2")
    time_limit = input_fingerprint(LANGUAGES)
    assert len({unset, epoch, later_epoch, time_limit}) == 4
    monkeypatch.setenv("PWE_EXAMPLE_WORKERS", "3")  # steers one run only
    assert input_fingerprint(LANGUAGES) == time_limit


class RenamedVersion:
    """An installed distribution whose version string reads otherwise."""

    def __init__(self, dist, version):
        self.metadata, self.version = dist.metadata, version


def test_the_fingerprint_changes_with_the_version_of_any_installed_distribution(monkeypatch):
    before = input_fingerprint(LANGUAGES)
    distributions = list(inputs.metadata.distributions())
    # One no build step names: any installed package may change what a build writes.
    chosen = next(dist for dist in distributions if dist.metadata["Name"].lower() == "soupsieve")
    changed = [RenamedVersion(dist, dist.version + ".post1") if dist is chosen else dist for dist in distributions]
    monkeypatch.setattr(inputs.metadata, "distributions", lambda: iter(changed))
    assert input_fingerprint(LANGUAGES) != before


def test_the_fingerprint_reads_the_exercises_and_the_install_check():
    root = inputs.ROOT
    read = {str(path.relative_to(root)) for path in inputs.input_files()}
    exercises = {str(path.relative_to(root)) for path in root.glob("exercises/*/*.py")}
    assert "docs/install_check.py" in read and "conf.py" in read
    assert exercises and exercises <= read
    assert not any(name.startswith(("docs/beginner/examples_", "docs/_executed")) for name in read)


# Waiting on and stopping the builds


def sleeper(seconds: float = 120) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", f"import time; time.sleep({seconds})"],
                            preexec_fn=sitebuild.new_session_that_dies_with_its_parent)


def test_a_failing_build_is_seen_at_once_and_the_others_are_stopped():
    slow = sleeper()
    failing = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    try:
        started = time.monotonic()
        codes = sitebuild.wait_for_builds({"en": slow, "zh_CN": failing})
        assert codes == {"en": None, "zh_CN": 3}
        assert time.monotonic() - started < 30
        sitebuild.stop_builds({"en": slow, "zh_CN": failing})
        assert slow.returncode == -signal.SIGTERM
    finally:
        slow.kill()
        slow.wait()


# The lock on docs/


def test_a_second_holder_of_the_docs_lock_is_refused_with_the_first_ones_pid(tmp_path):
    lock = tmp_path / "build" / ".docs.lock"
    first = lock_docs(lock)
    try:
        with pytest.raises(DocsBusy, match=rf"another build is writing docs/ \(pid {os.getpid()}: .*python.*\); "
                                           r"wait for it or stop it"):
            lock_docs(lock)
    finally:
        os.close(first)
    os.close(lock_docs(lock))  # released with its holder


# The driver itself, in a copy of the project


def processes_of(project: Path) -> list[str]:
    """The command lines of the running processes that name ``project`` (zombies have none)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or entry.name == str(os.getpid()):
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(project) in command:
            found.append(f"{entry.name}: {command}")
    return found


def wait_until(condition, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


@pytest.fixture
def project(tmp_path):
    """A copy of the project whose fingerprint stamp says its inputs are built; its processes end with it."""
    copy = copy_sources(tmp_path / "project")
    subprocess.run([sys.executable, "-c", "import pwe_sphinx.tools.inputs as s; "
                    "(s.ROOT / 'build' / 'html').mkdir(parents=True); "
                    "(s.ROOT / 'build' / 'html' / 'index.html').write_text(''); "
                    "(s.ROOT / 'build' / 'sitebuild.fingerprint').write_text(s.input_fingerprint(s.site_settings().languages))"],
                   cwd=copy, check=True)
    skipped = subprocess.run(DRIVER, cwd=copy, capture_output=True, text=True, timeout=120)
    assert "skipped" in skipped.stdout, skipped.stdout + skipped.stderr
    yield copy
    for line in processes_of(copy):  # only if a test failed: what our drivers left
        os.kill(int(line.split(":")[0]), signal.SIGKILL)


def start_driver(project: Path, log: Path) -> subprocess.Popen:
    with log.open("w") as output:
        return subprocess.Popen(DRIVER, cwd=project, stdout=output, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})


def test_sigterm_stops_every_build_and_a_second_driver_is_refused_meanwhile(project, tmp_path):
    glossary = project / "docs" / "glossary.rst"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text + "\n.. an edit, so that the driver builds\n", encoding="utf-8")
    first_log = tmp_path / "first.log"
    first = start_driver(project, first_log)
    wait_until(lambda: len([p for p in processes_of(project) if " -m sphinx " in p]) == 2,
               "the driver never started both builds")
    time.sleep(3)  # into the build: loading extensions, running examples

    second = subprocess.run(DRIVER, cwd=project, capture_output=True, text=True, timeout=60)
    assert second.returncode != 0
    assert f"another build is writing docs/ (pid {first.pid}: " in second.stderr, second.stderr
    assert "pwe_sphinx.tools.sitebuild" in second.stderr

    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=60) != 0
    wait_until(lambda: not processes_of(project), f"left running: {processes_of(project)}", seconds=2)
    assert (project / "build" / ".gallery-unfinished").exists()

    # The inputs are again those of the stamp, but the stopped build removed it.
    glossary.write_text(text, encoding="utf-8")
    next_log = tmp_path / "next.log"
    following = start_driver(project, next_log)
    wait_until(lambda: "building" in next_log.read_text() or following.poll() is not None,
               "the next driver neither built nor stopped")
    following.send_signal(signal.SIGTERM)
    following.wait(timeout=60)
    log = next_log.read_text()
    assert "skipped" not in log and "running them all again" in log, log
    wait_until(lambda: not processes_of(project), f"left running: {processes_of(project)}", seconds=2)


def test_the_preview_is_refused_while_a_build_holds_the_lock(project):
    lock = lock_docs(project / "build" / ".docs.lock")
    try:
        preview = subprocess.run([sys.executable, "-m", "pwe_sphinx.tools.serve", "--port", "0"], cwd=project,
                                 capture_output=True, text=True, timeout=60)
    finally:
        os.close(lock)
    assert preview.returncode != 0
    assert f"serve: another build is writing docs/ (pid {os.getpid()}: " in preview.stderr, preview.stderr


def test_a_change_of_the_extensions_code_makes_the_next_build_read_and_write_every_page(monkeypatch, tmp_path):
    # Sphinx rebuilds pages whose sources changed, not those that changed code writes differently.
    code = {"digest": "code before"}
    runs = []
    monkeypatch.setattr(sitebuild, "input_fingerprint", lambda languages, code: str(len(runs)))  # never skip
    monkeypatch.setattr(sitebuild, "code_fingerprint", lambda: code["digest"])
    monkeypatch.setattr(sitebuild, "run_builds", lambda languages, build_dir, fresh, lead=None: runs.append(fresh) or False)
    for _ in range(2):
        sitebuild.build(("en",), tmp_path)
    assert runs == [True, True], "a build that failed must not record the code it ran"
    monkeypatch.setattr(sitebuild, "run_builds", lambda languages, build_dir, fresh, lead=None: runs.append(fresh) or True)
    monkeypatch.setattr(sitebuild, "write_site_root", lambda build_dir: None)
    sitebuild.build(("en",), tmp_path)
    sitebuild.build(("en",), tmp_path)
    code["digest"] = "code after"
    sitebuild.build(("en",), tmp_path)
    assert runs == [True, True, True, False, True]
    assert "-E" in sitebuild.sphinx_command("en", tmp_path, fresh=True)
    assert "-E" not in sitebuild.sphinx_command("en", tmp_path, fresh=False)


def test_the_code_digest_covers_every_file_of_the_extension_but_compiled_ones(monkeypatch, tmp_path):
    package = tmp_path / "pwe_sphinx" / "html"
    package.mkdir(parents=True)
    (package / "markup.py").write_text("X = 1\n")
    monkeypatch.setattr(inputs, "ROOT", tmp_path)
    before = inputs.code_fingerprint()
    (package / "markup.cpython-311.pyc").write_bytes(b"compiled")
    assert inputs.code_fingerprint() == before
    (package / "markup.py").write_text("X = 2\n")
    assert inputs.code_fingerprint() != before


def test_the_following_build_stops_sphinx_gallerys_generation_or_says_it_cannot(tmp_path):
    def follower(extra_handlers):
        """Just what stop_generating uses of a Sphinx application: its listeners and disconnect()."""
        listeners = [SimpleNamespace(handler=handler, id=number) for number, handler in enumerate(extra_handlers)]
        disconnected = []
        app = SimpleNamespace(events=SimpleNamespace(listeners={"builder-inited": listeners}),
                              disconnect=disconnected.append)
        return app, disconnected

    app, disconnected = follower([print, gen_gallery.generate_gallery_rst])
    follow_gallery.stop_generating(app)
    assert disconnected == [1]
    app, disconnected = follower([print])
    with pytest.raises(ExtensionError, match="generate_gallery_rst"):
        follow_gallery.stop_generating(app)
    # And in a real Sphinx: the listener is where this module looks for it.
    (tmp_path / "conf.py").write_text('extensions = ["sphinx_gallery.gen_gallery"]\n'
                                      'sphinx_gallery_conf = {"examples_dirs": [], "gallery_dirs": []}\n')
    (tmp_path / "index.rst").write_text("Home\n====\n")
    with docutils_namespace():
        real = Sphinx(str(tmp_path), str(tmp_path), str(tmp_path / "out"), str(tmp_path / "doctrees"), "html",
                      status=None, warning=None)
        handlers = [listener.handler for listener in real.events.listeners["builder-inited"]]
        assert gen_gallery.generate_gallery_rst in handlers
        follow_gallery.stop_generating(real)
        handlers = [listener.handler for listener in real.events.listeners["builder-inited"]]
        assert gen_gallery.generate_gallery_rst not in handlers
