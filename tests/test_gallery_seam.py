"""The contract of pwe_sphinx.core.gallery_seam with the installed sphinx-gallery.

Each test exercises one internal the seam relies on, through the seam, in a
tiny gallery built in this process, so that an upgrade of sphinx-gallery that
changes one of them fails here, by name, before it fails somewhere in a site
build.
"""

from __future__ import annotations

import importlib.util
import json
import re
from itertools import pairwise
from pathlib import Path

import pytest
import sphinx.locale
import sphinx_gallery
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace
from tiny_sphinx import Collect, write

from pwe_sphinx.core import gallery_seam as seam

pytestmark = pytest.mark.unit

CONF = '''
import json
from itertools import pairwise
from pathlib import Path
import matplotlib
matplotlib.use("Agg")
from pwe_sphinx.core import gallery_seam

RECORD = Path(__file__).parent / "scraper_record.json"

def recording_scraper(block, block_vars, gallery_conf, **kwargs):
    paths = gallery_seam.image_paths(block_vars)
    before = len(paths)
    rst = gallery_seam.matplotlib_scraper(block, block_vars, gallery_conf, **kwargs)
    if len(paths) > before:
        RECORD.write_text(json.dumps({"paths": [str(p) for p in paths.paths],
                                      "pattern": paths.image_path}))
    return rst

extensions = ["sphinx_gallery.gen_gallery"]
sphinx_gallery_conf = {
    "examples_dirs": ["examples"],
    "gallery_dirs": ["gallery"],
    "image_scrapers": (recording_scraper,),
    "download_all_examples": False,
    "only_warn_on_example_error": True,
}
'''

PLOT = '''"""
A tiny plot
===========

Draws one line.
"""

import matplotlib.pyplot as plt

# %%
# The line.
plt.plot([0, 1], [1, 0])
print("drawn")
'''

FAILS = '''"""
A failing example
=================
"""

raise RuntimeError("on purpose")
'''


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    """A tiny gallery project whose Sphinx app has been initialised (the gallery is generated)."""
    project = tmp_path_factory.mktemp("seam")
    write(project / "conf.py", CONF)
    write(project / "index.rst", "Index\n=====\n\n.. toctree::\n\n   gallery/index\n")
    write(project / "examples" / "README.txt", "Examples\n========\n")
    write(project / "examples" / "plot_line.py", PLOT)
    write(project / "examples" / "plot_fails.py", FAILS)
    try:
        with docutils_namespace():
            app = Sphinx(str(project), str(project), str(project / "_build"), str(project / "_doctrees"),
                         "html", status=None, warning=Collect(), freshenv=True)
            yield project, app
    finally:
        sphinx.locale.translators.clear()


def test_installed_version_is_in_the_supported_range():
    seam.check_version(sphinx_gallery.__version__)


@pytest.mark.parametrize("version", ["0.21.9", "0.23.0", "1.0"])
def test_the_gate_refuses_a_version_outside_the_range(version, monkeypatch):
    monkeypatch.setattr(sphinx_gallery, "__version__", version)
    spec = importlib.util.find_spec("pwe_sphinx.core.gallery_seam")
    fresh = importlib.util.module_from_spec(spec)
    with pytest.raises(ImportError, match=re.escape(f">=0.22,<0.23, but found {version}")):
        spec.loader.exec_module(fresh)


def test_generation_is_a_builder_inited_listener_and_can_be_disconnected(gallery):
    _project, app = gallery
    assert len(seam.generation_listeners(app)) == 1
    assert seam.disconnect_generation(app) == 1
    assert seam.generation_listeners(app) == []


def test_checksum_file_records_the_source_in_text_mode(gallery):
    project, _app = gallery
    script, folder = project / "examples" / "plot_line.py", project / "gallery"
    recorded = seam.checksum_path(script, folder)
    assert recorded == folder / "plot_line.py.md5"
    import hashlib
    assert recorded.read_text() == hashlib.md5(script.read_text().encode()).hexdigest()
    assert seam.checksum_is_current(script, folder)


def test_failing_examples_are_recorded_in_gallery_conf(gallery):
    _project, app = gallery
    failing = seam.failing_examples(app.config.sphinx_gallery_conf)
    assert [Path(name).name for name in failing] == ["plot_fails.py"]


def test_scraper_gets_an_image_path_iterator(gallery):
    project, _app = gallery
    record = json.loads((project / "scraper_record.json").read_text())
    assert [Path(path).name for path in record["paths"]] == ["sphx_glr_plot_line_001.png"]
    assert seam.FIGURE_NAME.fullmatch(Path(record["paths"][0]).stem).groups() == ("plot_line", "001")
    assert list((project / "gallery" / "images").glob(seam.figure_glob("plot_line", "png")))


def test_generated_page_has_the_markup_the_seam_names(gallery):
    project, _app = gallery
    page = (project / "gallery" / "plot_line.rst").read_text()
    assert seam.OUTPUT_START in page
    assert f"\n{seam.OUTPUT_INDENT}drawn\n" in page
    spans = [seam.SOURCE_LINES.match(line) for line in page.splitlines()]
    # The first block starts after the docstring (lines 1-6); the blocks follow the script in order.
    spans = [(int(first), int(last)) for first, last in (match.groups() for match in spans if match)]
    assert spans[0][0] == PLOT.splitlines().index('"""', 1) + 2
    assert all(earlier[0] < later[0] <= earlier[1] + 1 for earlier, later in pairwise(spans))
    assert len(spans) == 3 and spans[-1][0] <= len(PLOT.splitlines())
    assert seam.DOWNLOADS_LABEL + "gallery_plot_line.py" in page
    line = next(line for line in page.splitlines() if seam.RUNNING_TIME_SENTENCE in line)
    assert seam.RUNNING_TIME.match(line.strip().replace("**", ""))


def test_cards_and_thumbnails_are_where_the_seam_says(gallery):
    project, _app = gallery
    index = (project / "gallery" / "index.rst").read_text()
    titles = [match.group(2) for match in seam.CARD_TITLE.finditer(index)]
    assert "A tiny plot" in titles
    assert seam.CARD_CONTAINER_CLASS in index
    assert seam.thumbnail_path(project / "gallery" / "plot_line.py").is_file()


def test_run_example_file_rewrites_page_and_checksum(gallery):
    project, app = gallery
    script, folder = project / "examples" / "plot_line.py", project / "gallery"
    assert seam.remove_checksums(folder) >= 1
    assert seam.checksum_files(folder) == []
    assert not seam.checksum_is_current(script, folder)
    seam.run_example_file(script, folder, app.config.sphinx_gallery_conf)
    assert seam.checksum_is_current(script, folder)
    assert seam.RUNNING_TIME_SENTENCE in (folder / "plot_line.rst").read_text()


def test_split_blocks_and_build_a_notebook(tmp_path, monkeypatch, gallery):
    _project, app = gallery
    script = write(tmp_path / "plot_line.py", PLOT)
    file_conf, blocks = seam.split_blocks(script)
    assert file_conf == {}
    assert [block.type for block in blocks] == ["text", "code", "text", "code"]
    # sphinx-gallery's own converter, even when a build in this process wrapped it already
    monkeypatch.setattr(seam.notebook, "rst2md", getattr(seam.notebook.rst2md, "pwe_original", seam.notebook.rst2md))
    seam.wrap_rst2md(lambda original: lambda text, *a, **k: original(text.replace("line", "LINE"), *a, **k))
    made = seam.build_notebook(blocks, app.config.sphinx_gallery_conf, tmp_path)
    seam.save_notebook(made, tmp_path / "plot_line.ipynb")
    cells = json.loads((tmp_path / "plot_line.ipynb").read_text())["cells"]
    assert any("LINE" in "".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    assert any("plt.plot" in "".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")


def test_imgsgnode_is_sphinx_gallerys_figure_node():
    from sphinx_gallery import directives
    assert seam.imgsgnode is directives.imgsgnode
