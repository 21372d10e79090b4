"""Every downloaded notebook runs from top to bottom in a fresh kernel and prints what the page shows.

A reader who downloads a lesson as a notebook should get one that runs as it
is, with no cell that depends on the build, and that prints the same numbers
as the page they read. Each notebook of each language is executed with
nbclient in a new ``python3`` kernel, from a scratch folder; its printed
output, cell after cell, must be the page's printed output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("nbformat")  # not in the light tier's environment (nox -s unit)
import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

from conftest import EXAMPLES, LANGUAGES
from test_downloads import downloads_of

CELL_TIMEOUT = 600  # seconds; the longest lesson takes about ten


def printed_by(notebook) -> str:
    """Everything the notebook's cells wrote to standard output, in order."""
    return "".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                   for output in cell.get("outputs", []) if output.get("name") == "stdout")


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("relative", [str(p) for p in EXAMPLES])
def test_notebook_runs_in_a_fresh_kernel_and_prints_what_the_page_shows(site, language, relative, tmp_path):
    notebook = nbformat.read(downloads_of(site, language, relative)[".ipynb"], as_version=4)
    NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [output for cell in notebook.cells for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]
    assert not errors
    page = site.page(language, f"beginner/{Path(relative).parent}/{Path(relative).stem}")
    shown = "".join(pre.get_text() for pre in page.select("article div.sphx-glr-script-out pre"))
    assert printed_by(notebook).strip() == shown.strip()
