"""The translation status's counts against GNU gettext's own count (`msgfmt --statistics`).

Apart from tests/test_translation_status.py because they need msgfmt, which the light tier
(`nox -s unit`) does not install: an expected count computed with the code's own counter
would prove nothing.
"""

from __future__ import annotations

import shutil

import pytest
import test_translation_status
from test_translation_status import EVERY_KIND, build, msgfmt_statistics, write

from pwe_sphinx.i18n.translation_status import count_messages, extension_catalogue

tiny_project = test_translation_status.tiny_project  # the same fixture, found here by pytest

pytestmark = [pytest.mark.msgfmt,
              pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")]


def test_counting_agrees_with_msgfmt(tmp_path):
    po = write(tmp_path / "page.po", EVERY_KIND)
    assert count_messages(po) == msgfmt_statistics(po)


def test_the_table_counts_each_catalogue_and_links_each_page_in_the_navigation(tiny_project):
    rows = build(tiny_project, fresh=True)
    labels = msgfmt_statistics(extension_catalogue("zh_CN")).translated  # this package's, in every build
    assert rows == [
        ["Page", "Catalogue", "Translated", "Fuzzy", "Untranslated"],
        ["Home -> #", "index.po", "1", "0", "0"],
        ["Lesson -> lesson.html", "lesson.po", "3", "1", "2"],
        ["Lost", "lost.po", "0", "0", "1"],  # outside the navigation: named, not linked
        ["The frame of every page: theme words and site title", "sphinx.po", "1", "0", "0"],
        ["Labels added by the extensions of this site", "pwe_sphinx.po", str(labels), "0", "0"],
        ["Total", "", str(5 + labels), "1", "3"],
    ]
