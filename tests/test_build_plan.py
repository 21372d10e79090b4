"""The build plan: parsing the one configuration value, the order of the builder-inited steps, the registry."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sphinx.errors import ConfigError, ExtensionError

from pwe_sphinx.core.build_plan import (
    BUILDER_INITED_STEPS,
    SPHINX_GALLERY_GENERATES,
    BuildPlan,
    Mode,
    parse_plan,
    step_priority,
)

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[1]


def test_an_empty_value_is_a_plain_build():
    assert parse_plan("") == BuildPlan(mode=Mode.SINGLE)


@pytest.mark.parametrize("plan", [
    BuildPlan(mode=Mode.LEAD, ready_file=Path("/tmp/ready"), token="abc"),
    BuildPlan(mode=Mode.FOLLOW, ready_file=Path("/tmp/ready"), token="abc", wait_seconds=0.3),
    BuildPlan(mode=Mode.SHARD, shard_examples=("examples_nn/a.py", "examples_nn/b.py"),
              shard_scripts=("exercises/lesson/01_task.py",)),
    BuildPlan(mode=Mode.MERGE),
])
def test_a_plan_survives_the_round_trip_through_its_config_value(plan):
    assert parse_plan(plan.to_json()) == plan


@pytest.mark.parametrize("text, named", [
    ("{not json", "not JSON"),
    ('["lead"]', "not a JSON object"),
    ('{"mode": "sideways"}', "mode must be one of"),
    ('{"mode": "follow"}', "needs ready_file"),
    ('{"mode": "shard", "shard_examples": "a.py"}', "shard_examples"),
    ('{"mode": "shard", "shard_scripts": [1]}', "shard_scripts"),
    ('{"mode": "follow", "ready_file": "r", "wait_seconds": "soon"}', "wait_seconds"),
    ('{"mode": "single", "colour": 1}', "unknown field(s) colour"),
])
def test_a_bad_value_is_refused_naming_the_value_and_the_problem(text, named):
    with pytest.raises(ConfigError) as raised:
        parse_plan(text)
    assert "pwe_build_plan" in str(raised.value) and named in str(raised.value) and repr(text) in str(raised.value)


def test_the_questions_follow_the_mode():
    assert [mode for mode in Mode if BuildPlan(mode=mode).runs_no_programs] == [Mode.MERGE]
    assert BuildPlan(mode=Mode.FOLLOW).is_following and not BuildPlan().is_following
    ready = Path("/tmp/ready")
    assert [mode for mode in Mode if BuildPlan(mode=mode, ready_file=ready).announces_gallery] == [Mode.LEAD, Mode.MERGE]
    assert [mode for mode in Mode if BuildPlan(mode=mode).runs_scripts] == [Mode.SINGLE, Mode.LEAD, Mode.SHARD]
    assert BuildPlan(mode=Mode.SHARD).is_shard


def test_steps_run_in_list_order_around_sphinx_gallery_at_its_own_priority():
    priorities = [step_priority(name) for name in BUILDER_INITED_STEPS]
    assert priorities == sorted(set(priorities))
    assert step_priority(SPHINX_GALLERY_GENERATES) == 500
    # sphinx-gallery completes its configuration at builder-inited priority 10: every step comes after
    assert min(priorities) > 10
    assert step_priority("await_gallery") < step_priority("forbid_running") < step_priority(SPHINX_GALLERY_GENERATES)
    # a shard's build ends once its examples and its scripts ran
    assert step_priority("finish_after_gallery") < step_priority("stop_after_gallery") < step_priority("announce_gallery")
    assert BUILDER_INITED_STEPS[-1] == "announce_gallery"


def test_an_unknown_step_is_an_error_naming_it():
    with pytest.raises(ExtensionError, match="'run_later'"):
        step_priority("run_later")


def configured_extensions() -> set[str]:
    tree = ast.parse((ROOT / "conf.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "extensions" for t in node.targets):
            return set(ast.literal_eval(node.value))
    raise AssertionError("conf.py assigns no list named extensions")


def set_up_extensions() -> dict[str, str]:
    """Every extension a module of pwe_sphinx loads with app.setup_extension, with the module that does."""
    found = {}
    for path in sorted((ROOT / "pwe_sphinx").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "setup_extension" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                found[node.args[0].value] = str(path.relative_to(ROOT))
    return found


def test_conf_names_every_extension_that_an_extension_loads():
    listed = configured_extensions()
    loaded = set_up_extensions()
    assert loaded, "no setup_extension call found: the scan is broken"
    missing = {name: where for name, where in loaded.items() if name not in listed}
    assert not missing, f"loaded through setup_extension but not in conf.py's extensions: {missing}"
