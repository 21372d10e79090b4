"""Every downloaded notebook runs from top to bottom in a fresh kernel and prints what the page shows.

A reader who downloads a lesson as a notebook should get one that runs as it
is, with no cell that depends on the build, and that prints the same numbers
as the page they read. Each English notebook is executed with nbclient in a
new ``python3`` kernel, from a scratch folder; its printed output, cell after
cell, must be the page's printed output. A Chinese notebook whose code differs
from the English one's only in its comments and docstrings needs no run of its own (the same
code prints the same), but its page must show what the English run printed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytest.importorskip("nbformat")  # not in the light tier's environment (nox -s unit)
import nbformat
from conftest import EXAMPLES, LANGUAGES
from nbclient import NotebookClient
from test_downloads import downloads_of

CELL_TIMEOUT = 600  # seconds; the longest lesson takes about ten


def printed_by(notebook) -> str:
    """Everything the notebook's cells wrote to standard output, in order."""
    return "".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                   for output in cell.get("outputs", []) if output.get("name") == "stdout")


def without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    first = body[0] if body else None
    is_docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)
    return body[1:] if is_docstring else body


def code_but_comments(notebook) -> list[str] | None:
    """Each code cell's syntax tree, with comments and docstrings (which translation changes, and
    which the lessons never print) left out; None if a cell is not plain Python."""
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            return None
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                node.body = without_docstring(node.body) or [ast.Pass()]
        cells.append(ast.dump(tree))
    return cells


_runs: dict[Path, nbformat.NotebookNode] = {}


def run_notebook(path: Path, tmp_path_factory) -> nbformat.NotebookNode:
    """The notebook at ``path`` after nbclient ran it in a fresh ``python3`` kernel, in a scratch
    folder of its own; once per test run."""
    if path not in _runs:
        notebook = nbformat.read(path, as_version=4)
        NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                       resources={"metadata": {"path": str(tmp_path_factory.mktemp(path.stem))}}).execute()
        _runs[path] = notebook
    return _runs[path]


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("relative", [str(p) for p in EXAMPLES])
def test_notebook_runs_in_a_fresh_kernel_and_prints_what_the_page_shows(site, language, relative, tmp_path_factory):
    """A translated notebook whose code is the English one's but for its comments and docstrings prints what the
    English one printed, so the English run answers for it; any other difference and it runs itself."""
    english = run_notebook(downloads_of(site, "en", relative)[".ipynb"], tmp_path_factory)
    notebook = nbformat.read(downloads_of(site, language, relative)[".ipynb"], as_version=4)
    code = code_but_comments(notebook)
    if code is not None and code == code_but_comments(english):
        notebook = english
    else:
        notebook = run_notebook(downloads_of(site, language, relative)[".ipynb"], tmp_path_factory)
    errors = [output for cell in notebook.cells for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]
    assert not errors
    page = site.page(language, f"beginner/{Path(relative).parent}/{Path(relative).stem}")
    shown = "".join(pre.get_text() for pre in page.select("article div.sphx-glr-script-out pre"))
    assert printed_by(notebook).strip() == shown.strip()
