"""Shards of the gallery (pwe_sphinx.tools.shards, pwe_sphinx.gallery.shard), workers and the thread count.

These need no build: the partition, the artifacts' files and manifest, and
the refusals of a merge whose shards miss an example or hold a stale one,
both as functions and as ``sitebuild --from-shards`` reports them. The builds
that prove a merged site equals a one-machine site, and that parallel
examples print what serial ones print, are in tests/test_shards_build.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import EXAMPLES, ROOT

from pwe_sphinx.core.build_plan import BuildPlan, Mode
from pwe_sphinx.gallery import shard, threads, workers
from pwe_sphinx.tools import shards
from pwe_sphinx.tools.inputs import copy_sources

pytestmark = pytest.mark.unit

# The programs besides the examples, found on disk: each exercise's solution, each question's program,
# and the installation check.
SCRIPTS = sorted([*ROOT.glob("exercises/*/*.py"), *ROOT.glob("questions/*/*.py"), ROOT / "docs" / "install_check.py"])


@pytest.mark.parametrize("text, expected", [("1/2", (1, 2)), ("3/3", (3, 3)), (" 2 / 4 ", (2, 4))])
def test_a_shard_is_written_k_of_n(text, expected):
    assert shards.parse_shard(text) == expected


@pytest.mark.parametrize("text", ["0/2", "3/2", "2", "a/b", "1/0"])
def test_a_malformed_shard_is_refused_with_the_text(text):
    with pytest.raises(shards.ShardError, match=re.escape(text.strip())):
        shards.parse_shard(text)


def test_partition_puts_every_example_in_exactly_one_shard_the_same_way_every_time():
    names = [f"examples_x/e{i:02}.py" for i in range(16)]
    seconds = {name: float(i % 5 + 1) for i, name in enumerate(names)}
    first = shards.partition(names, seconds, 3)
    assert first == shards.partition(list(reversed(names)), seconds, 3)
    assert sorted(name for shard_names in first for name in shard_names) == sorted(names)


def test_partition_balances_by_recorded_seconds_longest_first():
    seconds = {"long.py": 10.0, "a.py": 3.0, "b.py": 3.0, "c.py": 2.0, "d.py": 2.0}
    first, second = shards.partition(list(seconds), seconds, 2)
    assert first == ["long.py"] and second == ["a.py", "b.py", "c.py", "d.py"]


def test_an_unrecorded_example_counts_as_the_default_and_more_shards_than_examples_leave_some_empty():
    assert shards.partition(["a.py", "b.py"], {}, 3) == [["a.py"], ["b.py"], []]


def test_every_program_of_the_project_has_a_recorded_time():
    programs = {str(path) for path in EXAMPLES} | {str(path.relative_to(ROOT)) for path in SCRIPTS}
    assert set(shards.recorded_seconds(ROOT)) == programs


def test_the_programs_are_the_examples_and_every_executed_script():
    programs = shards.site_programs(ROOT)
    assert [p.relative for p in programs if isinstance(p, shards.Example)] == [str(path) for path in EXAMPLES]
    scripts = [p for p in programs if isinstance(p, shards.Script)]
    assert {script.relative for script in scripts} == {str(path.relative_to(ROOT)) for path in SCRIPTS}
    assert "_executed/install_check" in {script.output for script in scripts}
    assert "_executed/exercises/dynamic_net/01_no_momentum" in {script.output for script in scripts}


def fake_project(root: Path) -> list[shards.Program]:
    """A project folder with the real galleries' layout, one example each, and one exercise's solution,
    with their outputs in docs/."""
    examples: list[shards.Program] = []
    for folder, gallery in shards.site_settings().galleries:
        source = root / folder / f"{Path(folder).name}_one.py"
        source.parent.mkdir(parents=True)
        source.write_text(f"print({folder!r})\n", encoding="utf-8")
        example = shards.Example(f"{folder}/{source.name}", gallery)
        out = root / "docs" / gallery
        (out / "images" / "thumb").mkdir(parents=True)
        for name in (f"{example.stem}.rst", f"{example.stem}.py.md5", f"{example.stem}.ipynb",
                     f"images/sphx_glr_{example.stem}_001.png", f"images/thumb/sphx_glr_{example.stem}_thumb.png",
                     # another example's files, whose name starts with this one's
                     f"{example.stem}_two.rst", f"images/sphx_glr_{example.stem}_two_001.png"):
            (out / name).write_text(name, encoding="utf-8")
        examples.append(example)
    solution = root / "exercises" / "lesson" / "01_task.py"
    solution.parent.mkdir(parents=True)
    solution.write_text("print('solved')\n", encoding="utf-8")
    script = shards.Script("exercises/lesson/01_task.py", "_executed/exercises/lesson/01_task")
    output = root / "docs" / script.output
    output.mkdir(parents=True)
    for name in ("output.txt", "exercises_lesson_01_task_1.svg", "cost.json", "source.sha256"):
        (output / name).write_text(name, encoding="utf-8")
    return [*examples, script]


def test_an_examples_outputs_are_its_own_files_and_figures_not_a_longer_names(tmp_path):
    example = fake_project(tmp_path)[0]
    assert isinstance(example, shards.Example)
    names = {path.name for path in shards.outputs_of(example, tmp_path / "docs")}
    assert names == {f"{example.stem}.rst", f"{example.stem}.py.md5", f"{example.stem}.ipynb",
                     f"sphx_glr_{example.stem}_001.png", f"sphx_glr_{example.stem}_thumb.png"}


def test_a_scripts_outputs_are_the_files_of_its_output_folder(tmp_path):
    script = fake_project(tmp_path)[-1]
    names = {path.as_posix() for path in shards.outputs_of(script, tmp_path / "docs")}
    assert names == {f"_executed/exercises/lesson/01_task/{name}" for name in
                     ("output.txt", "exercises_lesson_01_task_1.svg", "cost.json", "source.sha256")}


def test_a_shard_artifact_holds_its_programs_files_and_their_source_digests(tmp_path):
    programs = fake_project(tmp_path / "project")
    chosen = [programs[0], programs[-1]]  # an example and the script
    artifact = shards.write_shard(1, 2, chosen, tmp_path / "project", tmp_path / "shards" / "1-of-2")
    manifest = json.loads((artifact / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["shard"], manifest["shards"]) == (1, 2)
    assert sorted(manifest["programs"]) == sorted(program.relative for program in chosen)
    assert manifest["programs"]["exercises/lesson/01_task.py"]["output"] == "_executed/exercises/lesson/01_task"
    for example in chosen:
        entry = manifest["programs"][example.relative]
        assert entry["sha256"] == shards.source_digest(tmp_path / "project" / example.relative)
        assert all((artifact / "docs" / name).is_file() for name in entry["files"])


def test_a_shard_whose_example_did_not_run_is_refused_by_name(tmp_path):
    examples = fake_project(tmp_path)
    first = examples[0]
    assert isinstance(first, shards.Example)
    (tmp_path / "docs" / first.gallery / f"{first.stem}.py.md5").unlink()
    with pytest.raises(shards.ShardError, match=re.escape(first.relative)):
        shards.write_shard(1, 1, examples, tmp_path, tmp_path / "shards" / "1-of-1")


def test_a_shard_whose_script_did_not_finish_is_refused_by_name(tmp_path):
    programs = fake_project(tmp_path)
    (tmp_path / "docs" / "_executed" / "exercises" / "lesson" / "01_task" / "source.sha256").unlink()
    with pytest.raises(shards.ShardError, match=r"exercises/lesson/01_task\.py left no source\.sha256"):
        shards.write_shard(1, 1, programs, tmp_path, tmp_path / "shards" / "1-of-1")


def test_installing_a_scripts_output_removes_what_an_older_run_left_in_its_folder(tmp_path):
    project, _ = sharded(tmp_path)
    output = project / "docs" / "_executed" / "exercises" / "lesson" / "01_task"
    (output / "exercises_lesson_01_task_2.svg").write_text("a figure the current version no longer draws")
    (output / "output.txt").unlink()
    shards.install_shards(tmp_path / "shards", project)
    assert sorted(path.name for path in output.iterdir()) == sorted(
        ["output.txt", "exercises_lesson_01_task_1.svg", "cost.json", "source.sha256"])


def test_a_shard_manifest_of_an_older_sitebuild_is_refused_by_its_path(tmp_path):
    (tmp_path / "1-of-1").mkdir()
    (tmp_path / "1-of-1" / "manifest.json").write_text(json.dumps({"shard": 1, "shards": 1, "examples": {}}))
    with pytest.raises(shards.ShardError, match=re.escape(str(tmp_path / "1-of-1" / "manifest.json"))):
        shards.install_shards(tmp_path)


def sharded(tmp_path: Path) -> tuple[Path, list[shards.Program]]:
    """A fake project whose every program is in one of two shards."""
    project = tmp_path / "project"
    examples = fake_project(project)
    shards.write_shard(1, 2, examples[:1], project, tmp_path / "shards" / "1-of-2")
    shards.write_shard(2, 2, examples[1:], project, tmp_path / "shards" / "2-of-2")
    return project, examples


def test_complete_current_shards_are_copied_into_docs(tmp_path):
    project, examples = sharded(tmp_path)
    pages = [project / "docs" / example.gallery / f"{example.stem}.rst"
             for example in examples if isinstance(example, shards.Example)]
    stamp = project / "docs" / "_executed" / "exercises" / "lesson" / "01_task" / "source.sha256"
    for path in [*pages, stamp]:
        path.unlink()
    shards.install_shards(tmp_path / "shards", project)
    assert all(path.is_file() for path in [*pages, stamp])


def test_an_example_that_no_shard_holds_is_an_error_naming_it(tmp_path):
    project, examples = sharded(tmp_path)
    new = project / examples[0].relative.replace("_one.py", "_new.py")
    new.write_text("print('new')\n", encoding="utf-8")
    with pytest.raises(shards.ShardError) as raised:
        shards.install_shards(tmp_path / "shards", project)
    assert f"{Path(examples[0].relative).parent}/{new.name}: no shard holds its output" in str(raised.value)


def test_an_example_changed_since_its_shard_ran_is_an_error_naming_it_and_its_shard(tmp_path):
    project, examples = sharded(tmp_path)
    last = examples[-2]  # the last example (the script comes after it)
    assert isinstance(last, shards.Example)
    changed = project / last.relative
    changed.write_text(changed.read_text(encoding="utf-8") + "print('changed')\n", encoding="utf-8")
    rst = project / "docs" / last.gallery / f"{last.stem}.rst"
    rst.unlink()
    with pytest.raises(shards.ShardError) as raised:
        shards.install_shards(tmp_path / "shards", project)
    assert f"{last.relative}: changed since 2-of-2 ran it" in str(raised.value)
    assert not rst.exists()  # nothing copied when any example is wrong


def test_a_script_changed_since_its_shard_ran_is_an_error_naming_it(tmp_path):
    project, _ = sharded(tmp_path)
    (project / "exercises" / "lesson" / "01_task.py").write_text("print('solved again')\n", encoding="utf-8")
    with pytest.raises(shards.ShardError, match=r"exercises/lesson/01_task\.py: changed since 2-of-2 ran it"):
        shards.install_shards(tmp_path / "shards", project)


def test_a_stale_shard_of_an_earlier_split_beside_a_current_one_does_no_harm(tmp_path):
    project, examples = sharded(tmp_path)
    shards.write_shard(1, 1, examples, project, tmp_path / "shards" / "0-old-1-of-1")
    first = examples[0]
    assert isinstance(first, shards.Example)
    changed = project / first.relative
    changed.write_text(changed.read_text(encoding="utf-8") + "print('changed')\n", encoding="utf-8")
    rst = project / "docs" / first.gallery / f"{first.stem}.rst"
    rst.write_text("the page of the changed example\n", encoding="utf-8")
    shards.write_shard(1, 2, examples[:1], project, tmp_path / "shards" / "1-of-2")
    rst.unlink()
    installed = shards.install_shards(tmp_path / "shards", project)
    assert sorted(example.relative for example in installed) == sorted(example.relative for example in examples)
    # The page comes from the current split's shard, which ran the changed source, not the stale one.
    assert rst.read_text(encoding="utf-8") == "the page of the changed example\n"


def test_a_folder_without_shards_is_named(tmp_path):
    with pytest.raises(shards.ShardError, match=re.escape(str(tmp_path))):
        shards.install_shards(tmp_path)


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory) -> Path:
    return copy_sources(tmp_path_factory.mktemp("sharded") / "project")


def shards_of(project: Path, folder: Path, leave_out: str = "", change: str = "") -> None:
    """Manifests (no files) claiming the project's programs, less ``leave_out``, with ``change``'s digest wrong."""
    entries = {program.relative: {"files": [], "sha256": shards.source_digest(project / program.relative)}
               for program in shards.site_programs(project) if program.relative != leave_out}
    if change:
        entries[change]["sha256"] = "0" * 64
    (folder / "1-of-1").mkdir(parents=True)
    (folder / "1-of-1" / "manifest.json").write_text(json.dumps({"shard": 1, "shards": 1, "programs": entries}))


@pytest.mark.parametrize("problem", ["missing", "stale"])
@pytest.mark.parametrize("example", ["examples_nn/polynomial_optim.py", "exercises/dynamic_net/01_no_momentum.py"])
def test_sitebuild_from_incomplete_shards_fails_naming_the_program_before_building(project_copy, tmp_path,
                                                                                     problem, example):
    shards_of(project_copy, tmp_path / "shards", **({"leave_out": example} if problem == "missing"
                                                    else {"change": example}))
    result = subprocess.run([sys.executable, "-m", "pwe_sphinx.tools.sitebuild", "--from-shards",
                             str(tmp_path / "shards")], cwd=project_copy, capture_output=True, text=True)
    assert result.returncode == 1
    assert example in result.stderr and ("no shard holds" if problem == "missing" else "changed since") \
        in result.stderr
    assert not (project_copy / "build" / "html").exists()


def test_sitebuild_refuses_a_malformed_shard_by_its_text(project_copy):
    result = subprocess.run([sys.executable, "-m", "pwe_sphinx.tools.sitebuild", "--shard", "3/2"],
                            cwd=project_copy, capture_output=True, text=True)
    assert result.returncode == 2 and "--shard 3/2" in result.stderr


def test_a_shards_ignore_pattern_keeps_exactly_its_examples():
    pattern = shard.ignore_all_but(["dynamic_net.py", "polynomial_nn.py"])
    kept = [name for name in ("dynamic_net.py", "polynomial_nn.py", "polynomial_nn_two.py", "a_dynamic_net.py")
            if re.search(pattern, name) is None]
    assert kept == ["dynamic_net.py", "polynomial_nn.py"]


def test_a_build_from_shards_refuses_to_run_an_example_naming_it():
    with pytest.raises(shard.ExampleWouldRun, match=r"dynamic_net\.py"):
        shard.refuse_to_run({}, "examples_nn/dynamic_net.py", "before")
    shard.refuse_to_run({}, None, "before")  # a gallery folder, not an example


def test_the_pool_runs_only_examples_whose_checksum_is_not_their_sources(tmp_path):
    from sphinx_gallery.utils import get_md5sum

    (tmp_path / "examples").mkdir()
    (tmp_path / "docs" / "gallery").mkdir(parents=True)
    for name in ("current.py", "changed.py", "new.py", "ignored.py"):
        (tmp_path / "examples" / name).write_text(f"print({name!r})\n", encoding="utf-8")
    (tmp_path / "docs" / "gallery" / "current.py.md5").write_text(get_md5sum(tmp_path / "examples" / "current.py",
                                                                             mode="t"))
    (tmp_path / "docs" / "gallery" / "changed.py.md5").write_text("0" * 32)
    conf = {"src_dir": str(tmp_path / "docs"), "examples_dirs": ["../examples"], "gallery_dirs": ["gallery"],
            "ignore_pattern": r"ignored"}
    stale = workers.stale_examples(conf)
    assert [example.script.name for example in stale] == ["changed.py", "new.py"]
    assert {example.gallery for example in stale} == {(tmp_path / "docs" / "gallery").resolve()}


def test_programs_start_longest_first_and_unrecorded_ones_last(tmp_path):
    docs = tmp_path / "docs"
    programs = [workers.Script(tmp_path / "exercises" / "lesson" / "01_task.py", docs),
                workers.Example(tmp_path / "examples_nn" / "short.py", docs / "examples_nn"),
                workers.Example(tmp_path / "examples_nn" / "long.py", docs / "examples_nn"),
                workers.Example(tmp_path / "examples_nn" / "new.py", docs / "examples_nn")]
    seconds = {"examples_nn/short.py": 1.0, "examples_nn/long.py": 9.0}
    ordered = workers.longest_first(programs, seconds, tmp_path)
    assert [program.script.name for program in ordered] == ["long.py", "short.py", "new.py", "01_task.py"]


def pool_app(tmp_path: Path, examples: list[str], workers_allowed: int = 2, time_limit: int = 300,
             plan: str = "") -> SimpleNamespace:
    """What run_everything_at_once reads of a Sphinx application, for a gallery of one-line ``examples``."""
    (tmp_path / "examples").mkdir()
    (tmp_path / "docs" / "gallery").mkdir(parents=True)
    for name in examples:
        (tmp_path / "examples" / name).write_text("print(1)\n", encoding="utf-8")
    conf = {"src_dir": str(tmp_path / "docs"), "examples_dirs": ["../examples"], "gallery_dirs": ["gallery"],
            "ignore_pattern": r"^$", "parallel": 2}
    return SimpleNamespace(srcdir=str(tmp_path / "docs"), config=SimpleNamespace(
        sphinx_gallery_conf=conf, pwe_example_workers=workers_allowed, pwe_example_time_limit=time_limit,
        pwe_executed_scripts=[], pwe_build_plan=plan))


@pytest.mark.parametrize("allowed,examples,started", [(4, ["a.py", "b.py", "c.py"], 3), (4, ["a.py"], None),
                                                      (1, ["a.py", "b.py"], None), (2, [], None)])
def test_a_pool_starts_only_when_two_programs_can_run_at_once(tmp_path, monkeypatch, allowed, examples, started):
    app = pool_app(tmp_path, examples, workers_allowed=allowed)
    conf = app.config.sphinx_gallery_conf
    pools = []
    monkeypatch.setattr(workers, "run_in_pool", lambda programs, count, _conf: pools.append(count) or [])
    workers.run_everything_at_once(app)
    assert pools == ([] if started is None else [started])
    assert conf["parallel"] is False, "sphinx-gallery itself never starts workers"


def test_the_pool_hands_each_program_the_configured_time_limit(tmp_path, monkeypatch):
    """A loky worker is a fresh process: the seconds travel with each program, not in its configuration."""
    app = pool_app(tmp_path, ["a.py", "b.py"], time_limit=7)
    handed = []
    monkeypatch.setattr(workers, "run_in_pool", lambda programs, count, _conf: handed.extend(programs) or [])
    workers.run_everything_at_once(app)
    assert [(program.script.name, program.time_limit) for program in handed] == [("a.py", 7), ("b.py", 7)]


@pytest.mark.parametrize("mode, pools_started", [(Mode.LEAD, 1), (Mode.FOLLOW, 0), (Mode.MERGE, 0)])
def test_a_following_build_and_a_build_from_shards_start_no_pool(tmp_path, monkeypatch, mode, pools_started):
    plan = BuildPlan(mode=mode, ready_file=tmp_path / "ready" if mode in (Mode.LEAD, Mode.FOLLOW) else None)
    app = pool_app(tmp_path, ["a.py", "b.py"], plan=plan.to_json())
    pools = []
    monkeypatch.setattr(workers, "run_in_pool", lambda programs, count, _conf: pools.append(count) or [])
    workers.run_everything_at_once(app)
    assert len(pools) == pools_started


def test_every_program_the_site_runs_gets_one_fixed_thread_count():
    assert threads.thread_environment() == {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                                            "OPENBLAS_NUM_THREADS": "1"}
    conf = (ROOT / "conf.py").read_text(encoding="utf-8")
    assert '"pwe_sphinx.gallery.threads.fix_threads"' in conf
