"""PyTorch names in the examples' code link to PyTorch's documentation, in both languages.

The links come from an inventory that pwe_sphinx.html.torch_inventory writes from
the installed torch. A link is right when its target names the same object
the code names: the test imports both and compares them.
"""

from __future__ import annotations

import importlib
import inspect
import runpy

import pytest
from conftest import EXAMPLES, LANGUAGES, ROOT
from sphinx.util.inventory import InventoryFile

from pwe_sphinx.html import torch_inventory

DOCS = runpy.run_path(str(ROOT / "conf.py"))["pwe_torch_docs"]
EXAMPLE_PAGES = [f"beginner/{p.parent}/{p.stem}" for p in EXAMPLES]
# How the examples import torch's modules.
ALIASES = {"torch": "torch", "nn": "torch.nn"}
INSTANCE = "sphx-glr-backref-instance"  # sphinx-gallery's mark on a variable linked to its class

# (page, name as the code writes it, target under DOCS)
SAMPLES = [
    ("beginner/examples_nn/polynomial_optim", "torch.optim.RMSprop",
     "generated/torch.optim.RMSprop.html#torch.optim.RMSprop"),
    ("beginner/examples_nn/polynomial_nn", "nn.Linear", "generated/torch.nn.Linear.html#torch.nn.Linear"),
    ("beginner/examples_nn/polynomial_nn", "nn.MSELoss", "generated/torch.nn.MSELoss.html#torch.nn.MSELoss"),
    ("beginner/examples_autograd/polynomial_autograd", "torch.linspace",
     "generated/torch.linspace.html#torch.linspace"),
    ("beginner/examples_autograd/polynomial_custom_function", "torch.autograd.Function",
     "autograd.html#torch.autograd.Function"),
    ("beginner/examples_nn/export_model", "torch.export.export",
     "user_guide/torch_compiler/export/api_reference.html#torch.export.export"),
]


def resolve(dotted: str):
    """The object a dotted name names in the installed torch (AttributeError if none)."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            obj = getattr(obj, attribute)
        return obj
    raise AttributeError(f"{dotted} names nothing importable")


def written_object(text: str):
    """The object a name in the code names, through the examples' imports (``nn.Linear``)."""
    first, _, rest = text.partition(".")
    return resolve(f"{ALIASES[first]}.{rest}")


def code_links(site, language: str, page: str) -> list[tuple[str, str, bool]]:
    """(text, href, links a variable to its class) of every link in the page's code."""
    soup = site.page(language, page)
    return [(a.get_text(), a["href"], INSTANCE in a.get("class", []))
            for a in soup.select("div.highlight pre a")]


@pytest.fixture(scope="module")
def inventory(tmp_path_factory):
    path = tmp_path_factory.mktemp("inventory") / "torch.inv"
    torch_inventory.write_inventory(path)
    return InventoryFile.loads(path.read_bytes(), uri=DOCS).data


def test_inventory_parses_and_holds_classes_and_functions(inventory):
    linear = inventory["py:class"]["torch.nn.Linear"]
    assert linear.uri == DOCS + "generated/torch.nn.Linear.html#torch.nn.Linear"
    linspace = inventory["py:function"]["torch.linspace"]
    assert linspace.uri == DOCS + "generated/torch.linspace.html#torch.linspace"
    assert inventory["py:method"]["torch.Tensor.backward"].uri == (
        DOCS + "generated/torch.Tensor.backward.html#torch.Tensor.backward")
    assert "torch.nn.modules.linear.Linear" not in inventory["py:class"]  # public names only
    assert len(inventory["py:function"]) > 500


def test_every_entry_points_at_the_object_it_names(inventory):
    """The anchor of each entry names, in the installed torch, the object of the entry's name."""
    wrong = []
    for role, entries in inventory.items():
        for name, item in entries.items():
            page, _, anchor = item.uri.removeprefix(DOCS).partition("#")
            try:
                same = resolve(anchor) == resolve(name)  # == : a classmethod is bound anew each time
            except AttributeError as error:
                same, page = False, f"{page} ({error})"
            if not same or not page.endswith(".html"):
                wrong.append(f"{role} {name} -> {item.uri}")
    assert not wrong, "\n".join(wrong[:30])


@pytest.mark.parametrize("page, written, target", SAMPLES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_names_in_the_code_link_to_their_pages(site, language, page, written, target):
    hrefs = {href for text, href, _ in code_links(site, language, page) if text == written}
    assert hrefs == {DOCS + target}, f"{language}/{page}: {written} links to {hrefs or 'nothing'}"
    assert resolve(target.partition("#")[2]) is written_object(written)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_code_link_names_what_the_code_names(site, language):
    """Each link in the examples' code goes to PyTorch's documentation, to the object written there.

    A name written through a module (``torch.sin``, ``nn.Linear``) links to
    that very object; a variable links to the class of its value.
    """
    wrong, count = [], 0
    for page in EXAMPLE_PAGES:
        for text, href, is_variable in code_links(site, language, page):
            count += 1
            target = resolve(href.removeprefix(DOCS).partition("#")[2]) if href.startswith(DOCS) else None
            first, _, rest = text.partition(".")
            if target is None:
                wrong.append(f"{page}: {text} -> {href}")
            elif first in ALIASES and rest:
                written = written_object(text)
                if not (isinstance(written, target) if is_variable else written is target):
                    wrong.append(f"{page}: {text} -> {href}")
            elif is_variable and not inspect.isclass(target):
                wrong.append(f"{page}: variable {text} -> {href}, not a class")
    assert count > 200, f"only {count} links in the examples' code"
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("page", EXAMPLE_PAGES)
def test_both_languages_link_the_same_names(site, page):
    en, zh = (code_links(site, language, page) for language in LANGUAGES)
    assert zh == en


@pytest.mark.torch  # the inventory is that of the installed torch: not in the light tier
def test_both_languages_share_one_inventory_written_once(tmp_path, monkeypatch):
    import threading
    import time

    [path] = {torch_inventory.inventory_path(tmp_path / "doctrees" / language) for language in LANGUAGES}
    walks = []

    def slow_walk():
        walks.append(threading.get_ident())
        time.sleep(0.3)  # long enough for the other build to arrive while this one writes
        return [torch_inventory.Entry("torch.add", "py:function", "generated/torch.add.html#torch.add")]

    monkeypatch.setattr(torch_inventory, "inventory_entries", slow_walk)
    builds = [threading.Thread(target=torch_inventory.write_inventory, args=(path,)) for _ in LANGUAGES]
    for build in builds:
        build.start()
    for build in builds:
        build.join()
    assert len(walks) == 1, "both builds walked torch's API"
    assert InventoryFile.loads(path.read_bytes(), uri=DOCS).data["py:function"]["torch.add"]
