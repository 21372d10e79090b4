"""A rebuild reads again only the pages whose sources changed.

Two causes of pages read again in every build are gone; each is checked in
a tiny project built twice in this process, without a fresh environment,
with the second build's reading recorded.

sphinx-gallery writes its "Download all examples" zips on every build, and
every page that offers one as a download depends on it: with a new
modification time each time, Sphinx read those pages again in every build
(a dozen pages in each language here). ``pwe_sphinx.html.reproducible``
gives a zip that came out with the same bytes its old time back.

A lesson's exercises are the programs of its folder; the folder was noted
as a dependency of the page so that a new exercise would show, but Sphinx
counts a folder as a missing file, and read the page again in every build
(``pwe_sphinx.directives.folder_listings`` records the folder's listing
instead).
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from tiny_sphinx import build_html, write

pytestmark = pytest.mark.unit

RECORD_READING = textwrap.dedent('''\


    def record_reading(app, env, docnames):
        Path(app.srcdir, "read.json").write_text(json.dumps(sorted(docnames)))


    def setup(app):
        app.connect("env-before-read-docs", record_reading)
''')


CONF = textwrap.dedent('''\
    import json
    from pathlib import Path

    extensions = ["sphinx_gallery.gen_gallery", "pwe_sphinx.html.reproducible"]
    sphinx_gallery_conf = {"examples_dirs": ["examples"], "gallery_dirs": ["gallery"], "write_computation_times": False}
    exclude_patterns = ["_build"]
''') + RECORD_READING

EXAMPLE = '''"""
Squares
=======

Prints a square.
"""

print(3 * 3)
'''


def build(project: Path) -> list[str]:
    """Build the project's HTML, keeping the saved environment; the pages this build read."""
    build_html(project, fresh=False)
    return json.loads((project / "read.json").read_text(encoding="utf-8"))


def test_a_rebuild_reads_no_page_whose_sources_did_not_change(tmp_path):
    project = tmp_path / "project"
    write(project / "conf.py", CONF)
    write(project / "index.rst", "Lessons\n=======\n\n.. toctree::\n\n   gallery/index\n")
    write(project / "examples" / "README.txt", "Examples\n========\n")
    example = write(project / "examples" / "squares.py", EXAMPLE)
    assert build(project) == ["gallery/index", "gallery/squares", "index"]
    zips = sorted((project / "gallery").glob("*.zip"))
    assert zips, "sphinx-gallery wrote no zip of the gallery"
    times = [path.stat().st_mtime_ns for path in zips]

    assert build(project) == [], "an unchanged zip made its pages outdated"
    assert [path.stat().st_mtime_ns for path in zips] == times

    example.write_text(EXAMPLE.replace("3 * 3", "4 * 4"), encoding="utf-8")
    assert build(project) == ["gallery/index", "gallery/squares"]  # the zips hold the new script
    assert all(path.stat().st_mtime_ns > time for path, time in zip(zips, times, strict=True))


EXERCISE = '''"""
Add them up
===========

Sum the squares of ``0`` to ``3``.
"""

print(sum(n * n for n in range(4)))
'''


def test_a_lesson_page_is_read_again_when_an_exercise_is_added_and_not_otherwise(tmp_path):
    project = tmp_path / "project"
    write(project / "conf.py", textwrap.dedent('''\
        import json
        from pathlib import Path

        extensions = ["pwe_sphinx.directives.exercises"]
        pwe_exercises_dir = "exercises"
        pwe_executed_scripts = ["exercises/*/*.py"]
        exclude_patterns = ["_build", "_executed"]
    ''') + RECORD_READING)
    write(project / "index.rst", "Lesson\n======\n\nSome text.\n\nExercises\n---------\n\n.. exercises:: lesson\n")
    write(project / "exercises" / "lesson" / "01_add_them_up.py", EXERCISE)
    assert build(project) == ["index"]
    assert build(project) == [], "the page was read again with nothing changed"
    write(project / "exercises" / "lesson" / "02_again.py", EXERCISE.replace("Add them up", "Once more"))
    assert build(project) == ["index"]
    assert "Once more" in (project / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert build(project) == []
