"""Make sphinx-gallery's pages translatable without freezing their output.

With ``gettext_additional_targets = ["literal-block"]`` every literal block
becomes a message, so that code can carry translated comments. Two kinds of
generated text must not go into the catalogues, because they change whenever
an example's numbers do:

* printed output (blocks with the class ``sphx-glr-script-out``, and
  ``pwe-script-output`` for the programs of ``pwe_sphinx.directives.executed``): each
  language shows the output of the current build, never a copy;
* the "Total running time of the script" line: its figures change on every
  run, so it is rewritten here with a label from ``sphinx.locale``.

The transform runs before Sphinx's Locale transform (priority 20) and the
gettext builder's extraction, both of which skip non-translatable nodes.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.transforms import SphinxTransform

from pwe_sphinx.i18n.catalogues import FULL_WIDTH
from pwe_sphinx.i18n.labels import _

OUTPUT_CLASSES = {"sphx-glr-script-out", "pwe-script-output"}
RUNNING_TIME = re.compile(r"^Total running time of the script: \((\d+) minutes ([\d.]+) seconds\)$")


class FreezeGeneratedText(SphinxTransform):
    """Keep build output out of the catalogues; localise the running time."""

    default_priority = 10

    def apply(self, **kwargs) -> None:
        for block in self.document.findall(nodes.literal_block):
            if OUTPUT_CLASSES.intersection(block["classes"]):
                block["translatable"] = False
        for paragraph in list(self.document.findall(nodes.paragraph)):
            match = RUNNING_TIME.match(paragraph.astext())
            if match:
                paragraph.replace_self(running_time_paragraph(paragraph, *match.groups()))


def after_label(label: str) -> str:
    """What separates a label from its value: a space, or none after full-width punctuation (脚本总运行时间：)."""
    return "" if label[-1:] in FULL_WIDTH else " "


def running_time_paragraph(original: nodes.paragraph, minutes: str, seconds: str) -> nodes.paragraph:
    label = str(_("Total running time of the script:"))
    figures = str(_("({minutes} minutes {seconds} seconds)")).format(minutes=minutes, seconds=seconds)
    paragraph = nodes.paragraph("", "", nodes.strong(label, label), nodes.Text(after_label(label) + figures),
                                classes=original["classes"], translatable=False)
    paragraph.source, paragraph.line = original.source, original.line
    return paragraph


def setup(app):
    app.setup_extension("pwe_sphinx.i18n.labels")
    app.add_transform(FreezeGeneratedText)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
