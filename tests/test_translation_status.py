"""The translation status page's counting and its table, in tiny builds that need no torch.

The counts are checked against a catalogue written here, whose every kind of
entry is known, and against GNU gettext's own count of it. A throwaway
project with three pages and their catalogues is built in this process by
Sphinx itself, then built again after a catalogue changed or appeared: the
table must follow without a clean build.
"""

from __future__ import annotations

import os
import re
import subprocess
import textwrap
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import docutils_namespace
from tiny_sphinx import build_html, write

from pwe_sphinx.i18n.translation_status import Counts, count_messages

pytestmark = pytest.mark.unit

HEADER = '''\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

'''

# Three translated (one of them plural), one fuzzy, two untranslated (one of
# them flagged fuzzy with nothing to check); the obsolete entry is no message.
EVERY_KIND = HEADER + '''\
msgid "Tensors"
msgstr "张量"

#, fuzzy
msgid "Gradient descent"
msgstr "梯度"

msgid "Learning rate"
msgstr ""

#, fuzzy
msgid "Batch size"
msgstr ""

msgid "one step"
msgid_plural "{n} steps"
msgstr[0] "{n} 步"
msgstr[1] ""

msgid "an epoch"
msgid_plural "{n} epochs"
msgstr[0] "一个轮次"
msgstr[1] "{n} 个轮次"

#~ msgid "Old paragraph"
#~ msgstr "旧段落"
'''


def msgfmt_statistics(po: Path) -> Counts:
    """GNU gettext's count of a catalogue's messages: translated, fuzzy, untranslated."""
    result = subprocess.run(["msgfmt", "--statistics", "-o", os.devnull, str(po)], capture_output=True,
                            text=True, env=dict(os.environ, LC_ALL="C", LANGUAGE=""), check=True)

    def count(kind: str) -> int:
        found = re.search(rf"(\d+) {kind}", result.stderr)
        return int(found.group(1)) if found else 0

    return Counts(count("translated message"), count("fuzzy translation"), count("untranslated message"))


def test_counting_a_catalogue_with_every_kind_of_entry(tmp_path):
    po = write(tmp_path / "page.po", EVERY_KIND)
    assert count_messages(po) == Counts(translated=3, fuzzy=1, untranslated=2)


def test_a_malformed_catalogue_is_named_with_its_line(tmp_path):
    po = write(tmp_path / "page.po", HEADER + 'msgid "Tensors"\nmsgstr "张量\n')
    with pytest.raises(ExtensionError, match=rf"{re.escape(str(po))}:7: malformed"):
        count_messages(po)


PAGE_CATALOGUE = HEADER + 'msgid "{title}"\nmsgstr "{translation}"\n'


@pytest.fixture
def tiny_project(tmp_path) -> Path:
    """Three pages (one reached by no toctree) and a catalogue for each, and one for the frame."""
    project = tmp_path / "project"
    write(project / "conf.py", textwrap.dedent('''\
        extensions = ["pwe_sphinx.i18n.translation_status"]
        html_theme = "basic"  # Sphinx's own, whose words Sphinx's catalogue translates
        templates_path = ["_templates"]
        locale_dirs = ["locale"]
        gettext_compact = False
        exclude_patterns = ["_build", "locale"]
    '''))
    write(project / "index.rst", "Home\n====\n\n.. toctree::\n\n   lesson\n\n.. translation-status:: zh_CN\n")
    write(project / "lesson.rst", "Lesson\n======\n\nText.\n")
    write(project / "lost.rst", ":orphan:\n\nLost\n====\n\nText.\n")
    messages = project / "locale" / "zh_CN" / "LC_MESSAGES"
    write(messages / "index.po", PAGE_CATALOGUE.format(title="Home", translation="首页"))
    write(messages / "lesson.po", EVERY_KIND)
    write(messages / "lost.po", PAGE_CATALOGUE.format(title="Lost", translation=""))
    write(messages / "sphinx.po", PAGE_CATALOGUE.format(title="Next", translation="下一页"))
    return project


def build(project: Path, fresh: bool) -> list[list[str]]:
    """Build the project in this process; the status table's rows, each cell's text and any link in it."""
    build_html(project, fresh=fresh)
    page = BeautifulSoup((project / "_build" / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    table = page.select_one("table.pwe-translation-status")
    return [[cell.get_text(strip=True) + (f" -> {cell.a['href']}" if cell.a else "") for cell in row.find_all(["th", "td"])]
            for row in table.find_all("tr")]


def rewrite(path: Path, text: str) -> None:
    """Rewrite a file, its modification time the clock's: after the last build read the pages.

    A file system stamps a write with a coarser clock, which can lag the time
    Sphinx noted when it read the page; a time in the future would make the
    page outdated in every later build too.
    """
    path.write_text(text, encoding="utf-8")
    now = time.time_ns()
    os.utime(path, ns=(now, now))


def test_the_table_follows_a_changed_or_new_catalogue_without_a_clean_build(tiny_project):
    build(tiny_project, fresh=True)
    messages = tiny_project / "locale" / "zh_CN" / "LC_MESSAGES"
    rewrite(messages / "lost.po", PAGE_CATALOGUE.format(title="Lost", translation="迷路"))
    assert build(tiny_project, fresh=False)[3] == ["Lost", "lost.po", "1", "0", "0"]
    # A new catalogue (here of no page: named as it is) changes no file the page was read from.
    write(messages / "extra.po", PAGE_CATALOGUE.format(title="Extra", translation=""))
    rows = build(tiny_project, fresh=False)
    assert ["extra", "extra.po", "0", "0", "1"] in rows and rows[-1][3:] == ["1", "3"]


ENGLISH_LEFT = HEADER + '''\
msgid "Tensors"
msgstr "张量"

msgid "Download the notebook"
msgstr "Download the notebook"

msgid "Download ``model.pt``"
msgstr "下载 ``model.pt``"
'''


def test_a_translation_that_leaves_english_counts_as_untranslated(tmp_path):
    po = write(tmp_path / "page.po", ENGLISH_LEFT)
    # msgfmt counts three translations; the page shows English for one of them.
    assert count_messages(po) == Counts(translated=2, untranslated=1)


def test_a_theme_word_no_catalogue_translates_keeps_the_status_from_saying_complete(tiny_project):
    """A template's word that no catalogue has shows in English on the Chinese page, and the table counts it."""
    write(tiny_project / "_templates" / "layout.html",
          '{% extends "!layout.html" %}\n{% block footer %}<p>{{ _("Words no catalogue has") }}</p>'
          '{{ super() }}{% endblock %}\n')
    rows = build(tiny_project, fresh=True)
    assert rows[4][:2] == ["The frame of every page: theme words and site title", "sphinx.po"]
    assert rows[4][2:] == ["1", "0", "1"] and rows[-1][-1] == "4"
    # The oracle: the Chinese build shows the word in English.
    with docutils_namespace():
        app = Sphinx(str(tiny_project), str(tiny_project), str(tiny_project / "_build" / "zh"),
                     str(tiny_project / "_build" / "zh-doctrees"), "html", confoverrides={"language": "zh_CN"},
                     status=None, warning=None, freshenv=True)
        app.build()
    lesson = (tiny_project / "_build" / "zh" / "lesson.html").read_text(encoding="utf-8")
    assert "<p>Words no catalogue has</p>" in lesson
    # Translated in the frame's catalogue, it is counted there and no longer untranslated.
    sphinx_po = tiny_project / "locale" / "zh_CN" / "LC_MESSAGES" / "sphinx.po"
    rewrite(sphinx_po, sphinx_po.read_text(encoding="utf-8")
            + '\nmsgid "Words no catalogue has"\nmsgstr "没有消息目录收录的词"\n')
    rows = build(tiny_project, fresh=True)
    assert rows[4][2:] == ["2", "0", "0"] and rows[-1][-1] == "3"


def test_a_language_without_catalogues_stops_the_build_naming_it(tiny_project):
    index = tiny_project / "index.rst"
    index.write_text(index.read_text(encoding="utf-8").replace("zh_CN", "fr"), encoding="utf-8")
    warnings = tiny_project / "warnings.txt"
    with docutils_namespace(), warnings.open("w", encoding="utf-8") as stream:
        app = Sphinx(str(tiny_project), str(tiny_project), str(tiny_project / "_build" / "html"),
                     str(tiny_project / "_build" / "doctrees"), "html", status=None, warning=stream, freshenv=True)
        app.build()
    assert re.search(r"index\.rst:\d+: ERROR: translation-status: no catalogues for language 'fr'",
                     warnings.read_text(encoding="utf-8"))
