"""Figures go into the page as inline SVG: valid in an HTML page beside other figures, named for screen readers.

These are unit tests: they draw small figures with matplotlib and embed them
as the HTML builder does. The tiny bilingual build in test_figure_text and
the site tests check the pages themselves.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from docutils import nodes
from sphinx_gallery.directives import imgsgnode

from pwe_sphinx.gallery.svg_figures import save_svg
from pwe_sphinx.html.inline_figures import accessible_name, embeddable, scoped_style, with_root_attributes

pytestmark = pytest.mark.unit
SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


@pytest.fixture
def drawn(tmp_path):
    """Two figures drawn with the same markers and clip paths, as SVG text."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    texts = []
    for number in (1, 2):
        figure, axes = plt.subplots()
        axes.plot([0, 1, 2], [0, number, 4], marker="o", label=f"run {number}")
        axes.set_xlabel("step")
        axes.legend()
        save_svg(figure, tmp_path / f"figure_{number}.svg")
        plt.close(figure)
        texts.append((tmp_path / f"figure_{number}.svg").read_text(encoding="utf-8"))
    return texts


def references(element) -> list[str]:
    """The ids an element refers to, by xlink:href, href or url(#...)."""
    found = []
    for node in element.iter():
        for name, value in node.attrib.items():
            if name in (XLINK_HREF, "href") and value.startswith("#"):
                found.append(value[1:])
            found += re.findall(r"url\(#([^)]+)\)", value)
    return found


def test_two_figures_in_one_page_keep_their_ids_and_references_apart(drawn):
    first, second = drawn
    shared = set(re.findall(r'id="(m\d+)"', first)) & set(re.findall(r'id="(m\d+)"', second))
    assert shared, "the drawings should share a marker id, or this test proves nothing"

    page = "<div>" + embeddable(first, "one") + embeddable(second, "two") + "</div>"
    assert "<?xml" not in page and "<!DOCTYPE" not in page and "<metadata" not in page
    figures = ElementTree.fromstring(page).findall(f"{SVG}svg")
    assert len(figures) == 2
    ids = [node.get("id") for node in ElementTree.fromstring(page).iter() if node.get("id")]
    assert len(ids) == len(set(ids)), "an id is used twice in the page"
    for prefix, figure in zip(("one", "two"), figures, strict=True):
        own_ids = {node.get("id") for node in figure.iter() if node.get("id")}
        wanted = references(figure)
        assert wanted, "a matplotlib figure refers to its markers and clip paths"
        assert set(wanted) == own_ids, "every id is referred to, and every reference stays inside its figure"
        assert all(name.startswith(f"{prefix}-") for name in own_ids)


def test_the_figures_style_rule_applies_to_that_figure_only(drawn):
    embedded = embeddable(drawn[0], "one")
    [rule] = re.findall(r"<style[^>]*>(.*?)</style>", embedded, re.DOTALL)
    assert rule.startswith("#one *{"), rule
    assert scoped_style("a, g > path{fill: red} text{x: 1}", "f") == "#f a, #f g > path{fill: red}#f text{x: 1}"


def test_root_attributes_are_escaped_and_go_on_the_root_only(drawn):
    embedded = with_root_attributes(embeddable(drawn[0], "one"), {"id": "one", "aria-label": 'a "quoted" <name>'})
    root = ElementTree.fromstring(embedded)
    assert root.get("aria-label") == 'a "quoted" <name>'
    assert root.get("id") == "one" and embedded.count('aria-label="') == 1


def gallery_figure(alt: str) -> imgsgnode:
    node = imgsgnode()
    node["alt"] = alt
    return node


@pytest.mark.parametrize("node,messages,expected", [
    # sphinx-gallery's fallback alt text is the example's file name: it says nothing, so the figure is counted.
    (gallery_figure("polynomial module"), {}, "Figure 2 drawn by this example"),
    # Its alt text joins the figures' titles, which are figure strings and translate as they do.
    (gallery_figure("predicted 6, predicted 5"), {"predicted 6": "预测为 6", "predicted 5": "预测为 5"}, "预测为 6, 预测为 5"),
    (gallery_figure("causal mask"), {"causal mask": ""}, "causal mask"),  # not translated yet
    # An image's alt text is already a message of the page.
    (nodes.image(alt="本程序绘制的图"), {}, "本程序绘制的图"),
])
def test_accessible_name(node, messages, expected):
    path = Path("images/sphx_glr_polynomial_module_002.svg")
    assert accessible_name(node, path, messages) == expected
