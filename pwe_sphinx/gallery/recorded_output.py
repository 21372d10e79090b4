"""Read what an example printed, from the page sphinx-gallery generated for it.

sphinx-gallery keeps no separate record of an example's output: it writes
each code cell's printed lines into the example's generated page
(``<gallery>/<name>.rst``, beside the copy of the script), as a block after
the cell::

    .. GENERATED FROM PYTHON SOURCE LINES 43-78
    .. code-block:: Python
       ...
    .. rst-class:: sphx-glr-script-out

     .. code-block:: none

        step    99  loss 704.3593

That page is rewritten whenever the example runs, so reading it back gives
the output of this build's run, the same lines the example's page shows.
Each cell is preceded by the ``GENERATED FROM PYTHON SOURCE LINES`` comment
that names the script lines it came from, which tells which output belongs
to the cells before a given line of the script.
"""

from __future__ import annotations

from pathlib import Path

from pwe_sphinx.core.gallery_seam import OUTPUT_INDENT, OUTPUT_START, SOURCE_LINES


class RecordedOutputError(ValueError):
    """The generated page of an example is missing or holds no output where asked."""


def generated_page(script: Path) -> Path:
    """The page sphinx-gallery generated for the copy of an example ``script`` in its gallery folder."""
    return script.with_suffix(".rst")


def printed_before(script: Path, line: int | None = None) -> list[str]:
    """The lines the example printed in the cells that start before script line ``line`` (all cells if None)."""
    page = generated_page(script)
    if not page.is_file():
        raise RecordedOutputError(f"{page}: no page generated for {script.name}; did the example run?")
    printed: list[str] = []
    cell_start = 0
    lines = page.read_text(encoding="utf-8").splitlines()
    for index, text in enumerate(lines):
        marker = SOURCE_LINES.match(text)
        if marker:
            cell_start = int(marker.group(1))
        elif text == OUTPUT_START and (line is None or cell_start < line):
            printed.extend(_output_block(lines, index + 1))
    return printed


def _output_block(lines: list[str], start: int) -> list[str]:
    """The lines of the output block whose ``code-block`` directive follows ``lines[start]``."""
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index == len(lines) or lines[index].strip() != ".. code-block:: none":
        return []  # sphinx-gallery wrote it another way (raw HTML): no printed lines
    block: list[str] = []
    for text in lines[index + 1:]:
        if text.strip() and not text.startswith(OUTPUT_INDENT):
            break
        block.append(text[len(OUTPUT_INDENT):])
    while block and not block[0].strip():
        block.pop(0)
    while block and not block[-1].strip():
        block.pop()
    return block


def last_printed(script: Path, count: int, line: int | None = None) -> list[str]:
    """The last ``count`` lines printed before script line ``line``; an error naming the page if there are none."""
    printed = printed_before(script, line)
    if not printed:
        where = f"before line {line} of {script.name}" if line else f"by {script.name}"
        raise RecordedOutputError(f"{generated_page(script)}: nothing printed {where}")
    return printed[-count:]
