"""The lessons' code is written as a PyTorch maintainer would write it, checked on the source itself.

* Every line fits the page: at most 79 characters, so that no code block
  scrolls sideways on a desktop screen.
* Random numbers are drawn on the CPU and then moved to the device: a
  generator on a GPU draws other numbers than the CPU's from the same seed,
  and a GPU build must print what a CPU build prints.
* An exception handler names the exception it expects.
* Printed numbers never show a negative zero such as ``-0.000000``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import LANGUAGES, ROOT

LESSON_FILES = sorted([*ROOT.glob("examples_*/*.py"), *ROOT.glob("exercises/*/*.py"),
                       *ROOT.glob("questions/*/*.py"), ROOT / "docs" / "install_check.py"])
MAX_LINE = 79
RANDOM_FACTORIES = {"rand", "randn", "randint", "randperm", "normal", "bernoulli", "multinomial", "rand_like",
                    "randn_like", "randint_like"}
NEGATIVE_ZERO = re.compile(r"-0\.0+(?![0-9])")


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.unit
@pytest.mark.parametrize("path", LESSON_FILES, ids=relative)
def test_lines_fit_the_page(path):
    long_lines = [number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                  if len(line) > MAX_LINE]
    assert not long_lines, f"{relative(path)}: lines longer than {MAX_LINE} characters: {long_lines}"


def random_draws_on_a_device(tree: ast.AST) -> list[int]:
    """Lines of calls such as ``torch.randn(3, device=device)``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in RANDOM_FACTORIES and any(k.arg == "device" for k in node.keywords):
            found.append(node.lineno)
    return found


def broad_handlers(tree: ast.AST) -> list[int]:
    """Lines of ``except:``, ``except Exception`` and ``except BaseException``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler):
            names = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            if any(name is None or (isinstance(name, ast.Name) and name.id in {"Exception", "BaseException"})
                   for name in names):
                found.append(node.lineno)
    return found


@pytest.mark.unit
@pytest.mark.parametrize("path", LESSON_FILES, ids=relative)
def test_random_numbers_are_drawn_on_the_cpu(path):
    lines = random_draws_on_a_device(ast.parse(path.read_text(encoding="utf-8")))
    assert not lines, f"{relative(path)}: random numbers drawn on the device at lines {lines}; draw, then .to(device)"


@pytest.mark.unit
@pytest.mark.parametrize("path", LESSON_FILES, ids=relative)
def test_handlers_name_their_exception(path):
    lines = broad_handlers(ast.parse(path.read_text(encoding="utf-8")))
    assert not lines, f"{relative(path)}: broad exception handlers at lines {lines}"


@pytest.mark.unit
def test_the_checks_see_what_they_look_for():
    tree = ast.parse("import torch\ntry:\n    w = torch.randn(3, device='cuda')\nexcept Exception:\n    pass\n")
    assert random_draws_on_a_device(tree) == [3]
    assert broad_handlers(tree) == [4]
    assert NEGATIVE_ZERO.search("a = -0.000000 x") and not NEGATIVE_ZERO.search("a = -0.000012")


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_printed_number_is_a_negative_zero(site, language):
    found = []
    for page in sorted((site.html / language).rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "sphx-glr-script-out" not in text and "pwe-script-output" not in text:
            continue
        soup = BeautifulSoup(text, "html.parser")
        for block in soup.select("div.sphx-glr-script-out pre, div.pwe-script-output pre"):
            found += [f"{page.relative_to(site.html)}: {match}" for match in NEGATIVE_ZERO.findall(block.get_text())]
    assert not found, f"negative zeros printed: {found}"
