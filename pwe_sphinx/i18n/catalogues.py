"""Check and tidy the translation catalogues.

    python -m pwe_sphinx.i18n.catalogues check [FILE.po ...]   report problems, exit 1 if any
    python -m pwe_sphinx.i18n.catalogues prune                 drop obsolete (#~) entries

``check`` finds, per message: a fuzzy flag, an empty translation, a code
block whose translation is not the same program (compared token by token,
comments left out and docstrings free to change), a translation whose
reStructuredText markup docutils rejects (an inline literal glued to a
Chinese character, say), inline markup set off from Chinese text with
``\\ `` escapes instead of the site's one style, spaces (README, Translate),
spacing that Chinese typography does not want (a space beside full-width
punctuation, ``5 %``, inline markup glued to a closing bracket, where it is
not markup at all: ``typography_problems``), and a translation that starts
or ends with a newline where its message does not, or the other way round
(GNU gettext's ``msgfmt -c`` rejects those, and so do the translators'
tools built on it). Where ``msgfmt`` is
installed, its own check runs too. With no file named it checks every
catalogue of the site and of the extension.

The build runs the same checks, less the fuzzy and empty translations, which
fall back to English, and less the markup style, which renders either way
(``publishing_problems``, run by this module's setup() as the build
starts): a translation that
would change a program, break a page or set its punctuation badly is never
published.

Nor is one that leaves English prose on a Chinese page (``english_left``):
any English word outside code markup that is not a listed name
(``english_names.txt``), a gloss in full-width parentheses, or code of the
English message itself.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import functools
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize
from pathlib import Path
from typing import TYPE_CHECKING, Any

import babel
import docutils
from babel.messages.pofile import read_po, write_po
from docutils import nodes, utils
from docutils.core import publish_doctree
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser as RstParser
from docutils.parsers.rst import roles
from sphinx.errors import ExtensionError

from pwe_sphinx.core.example_source import docstring_statement
from pwe_sphinx.core.language import FULL_WIDTH, read_catalogue
from pwe_sphinx.i18n.english_text import LATIN_ASIDE, NAMES_FILE, english_phrases

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from docutils.parsers.rst.states import Inliner
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_DIRS = [ROOT / "docs" / "locale", ROOT / "pwe_sphinx" / "locale"]
SKIPPED_TOKENS = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                  tokenize.ENDMARKER}


def all_catalogues() -> list[Path]:
    return sorted(path for folder in CATALOGUE_DIRS for path in folder.rglob("*.po"))


# What every docstring counts as when two programs are compared: a docstring
# is prose, which a translator may reword, but it must stay where it was.
DOCSTRING = "<docstring>"
DOCSTRING_HOLDERS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def docstring_starts(tree: ast.Module) -> set[tuple[int, int]]:
    """(line, byte column) where each docstring of the module, its classes and functions starts."""
    statements = (docstring_statement(node) for node in ast.walk(tree) if isinstance(node, DOCSTRING_HOLDERS))
    return {(statement.lineno, statement.col_offset) for statement in statements if statement}


def program_tokens(source: str) -> list[str] | None:
    """The tokens of a Python program without its comments, each docstring as DOCSTRING; None if not Python.

    Comments and docstrings are what a translation of a code block may
    change; every other token must stay as it was.
    """
    try:
        starts = docstring_starts(ast.parse(source))
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (SyntaxError, tokenize.TokenError, IndentationError):
        return None
    lines = source.splitlines()
    kept, in_docstring = [], False
    for token in tokens:
        if token.type == tokenize.NEWLINE:
            in_docstring = False  # the docstring's statement has ended
        if token.type in SKIPPED_TOKENS or (in_docstring and token.type == tokenize.STRING):
            continue  # layout, a comment, or the rest of an implicitly joined docstring
        row, column = token.start
        if token.type == tokenize.STRING and (row, len(lines[row - 1][:column].encode())) in starts:
            kept.append(DOCSTRING)  # ast counts columns in UTF-8 bytes, tokenize in characters
            in_docstring = True
            continue
        kept.append(token.string)
    return kept


def looks_like_code(msgid: str) -> bool:
    """A multi-line message that parses as Python is a code block."""
    return "\n" in msgid and program_tokens(msgid) is not None


SPHINX_ROLES = ("ref", "doc", "math", "download", "term", "class", "func", "mod", "meth", "attr")


def _generic_role(name: str, rawtext: str, text: str, lineno: int, inliner: Inliner,
                  options: Mapping[str, Any] | None = None, content: Sequence[str] | None = None
                  ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    return [nodes.literal(rawtext, utils.unescape(text))], []


@contextlib.contextmanager
def sphinx_roles_as_literals() -> Iterator[None]:
    """Let plain docutils parse Sphinx's roles, then put back the roles it had.

    docutils keeps its roles in one table for the whole process. Inside a
    Sphinx build that table holds Sphinx's own roles, which must not be
    replaced, so the stand-ins live only as long as this block. (Sphinx's
    ``docutils_namespace()`` would also unregister every node type Sphinx
    added, which a running build still needs.)
    """
    table = roles._roles  # type: ignore[attr-defined]  # docutils has no public way to unregister a role
    previous = {name: table[name] for name in SPHINX_ROLES if name in table}
    for name in SPHINX_ROLES:
        # typeshed's role type wants reference nodes back; any node will do, as docutils' own roles return
        roles.register_local_role(name, _generic_role)  # type: ignore[arg-type]
    try:
        yield
    finally:
        for name in SPHINX_ROLES:
            if name in previous:
                table[name] = previous[name]
            else:
                table.pop(name, None)


def markup_problems(text: str) -> list[str]:
    """docutils' complaints about a translated paragraph, one string each.

    A paragraph that ends in ``::`` introduces a literal block, which is a
    message of its own; Sphinx parses such a translation with a stand-in
    block after it, and so does this check.
    """
    if text.rstrip().endswith("::"):
        text += "\n\n   literal block"
    stream = io.StringIO()
    settings = copy.copy(markup_check_settings())
    settings.warning_stream = stream
    with sphinx_roles_as_literals():
        publish_doctree(text, settings=settings)
    return [line for line in stream.getvalue().splitlines() if "(WARNING" in line or "(ERROR" in line]


@functools.cache
def markup_check_settings() -> Any:
    """docutils' settings for :func:`markup_problems`, made once: building them runs docutils' whole
    option parser, which took most of the time of checking a short paragraph."""
    settings = get_default_settings(RstParser)
    settings.report_level = 2  # warnings and errors are reported
    settings.halt_level = 5  # and none stops the parse
    return settings


# An escaped space (``\ ``) right before inline markup opens or right after it
# closes: the other way to set markup apart from Chinese text. The site uses
# spaces only, so that every catalogue reads the same way to its translators.
ESCAPED_MARKUP = re.compile(r"\\ (?=[*`:|])|(?<=[*`|_])\\ ")


def escaped_markup(text: str) -> bool:
    """Whether a translation sets inline markup apart with ``\\ `` escapes rather than spaces."""
    return ESCAPED_MARKUP.search(text) is not None


# Chinese typography: full-width punctuation carries its own space, so no
# space stands beside it (README, Translate). docutils needs a separator in
# two places only: after inline markup before an opening bracket (``x`` （)
# and after a closing bracket before inline markup (） ``x``). There the
# catalogue keeps the space and the page drops it as it is written
# (pwe_sphinx.i18n.bracket_spacing). FULL_WIDTH is that punctuation.
OPENERS, CLOSERS = "（《「『【〔", "）》」』】〕"
MARKUP_END = re.compile(r"[`*|_]$")
MARKUP_START = re.compile(r"`|\*|\||:[\w-]+:`")


def space_beside_full_width(text: str) -> str | None:
    """The first space beside full-width punctuation that docutils does not need, shown in its context."""
    for space in re.finditer(r"[ \t]+", text):
        before, after = text[:space.start()], text[space.end():]
        previous, following = before[-1:] or "\n", after[:1] or "\n"
        if previous == "\n" or (previous not in FULL_WIDTH and following not in FULL_WIDTH):
            continue  # indentation, or no full-width punctuation beside it
        if after.rstrip() == "::":
            continue  # ： ::, which introduces a literal block and shows no colon of its own
        if MARKUP_END.search(before) and following in OPENERS:
            continue  # ``x`` （: docutils ends the markup only before a space
        if previous in CLOSERS and MARKUP_START.match(after):
            continue  # ） ``x``: docutils starts markup only after a space
        return text[max(0, space.start() - 8):space.end() + 8]
    return None


def spaced_percent(text: str) -> str | None:
    """A number set apart from its percent sign (5 %), which Chinese writes as 5%."""
    match = re.search(r"\d[ \t\u00a0\u202f]+%", text)
    return match.group() if match else None


def markup_glued_to_closer(text: str) -> str | None:
    """Inline markup right after a closing bracket: docutils leaves it as text, backquotes and all."""
    glued = re.search(rf"[{CLOSERS}](?:{MARKUP_START.pattern})", text)
    if glued is None:
        return None
    with sphinx_roles_as_literals():
        tree = publish_doctree(text, settings_overrides={"report_level": 5, "halt_level": 5})
    in_text = [node for node in tree.findall(nodes.Text)
               if "`" in node and not isinstance(node.parent, (nodes.literal, nodes.FixedTextElement))]
    return glued.group() if in_text else None


def typography_problems(text: str) -> list[str]:
    """What Chinese typography's checkable rules find in a translated paragraph or label."""
    found = []
    spot = space_beside_full_width(text)
    if spot:
        found.append(f"a space beside full-width punctuation: {spot!r}; "
                     "write none there (README, Translate)")
    spot = spaced_percent(text)
    if spot:
        found.append(f"a space before a percent sign: {spot!r}; write 5%, not 5 %")
    spot = markup_glued_to_closer(text)
    if spot:
        found.append(f"inline markup glued to a closing bracket is not markup: {spot!r}; "
                     "put a space between them")
    return found


def newline_problem(message_id: str, translation: str) -> str | None:
    """What ``msgfmt -c`` says when a translation's first or last newline differs from its message's."""
    for verb, has in (("starts", str.startswith), ("ends", str.endswith)):
        if has(message_id, "\n") != has(translation, "\n"):
            return f"the message {verb} with a newline and its translation must too (or neither)"
    return None


def msgfmt_problems(path: Path) -> list[str]:
    """GNU gettext's own verdict on a catalogue, where msgfmt is installed."""
    if shutil.which("msgfmt") is None:
        return []
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(["msgfmt", "-c", "-o", str(Path(scratch, "out.mo")), str(path)],
                                capture_output=True, text=True)
    lines = [line for line in result.stderr.splitlines() if "header field" not in line]
    return lines if result.returncode != 0 or lines else []


def is_page_catalogue(path: Path) -> bool:
    """Catalogues of pages hold rst; the theme's (sphinx.po) and the extension's hold plain labels."""
    return (ROOT / "docs" / "locale") in path.parents and path.stem != "sphinx"


# What a translation shows as prose, for the English check: inline literals,
# code and maths roles, substitutions and addresses are code; a link's or a
# cross-reference's title is prose, and a cross-reference without one shows
# its target's title, checked on that page. A Latin aside in full-width
# parentheses, 推理张量（inference tensor）, is an English gloss on purpose,
# which the pages mark as English (pwe_sphinx.i18n.english_asides). Each cut
# leaves a break that ends a phrase, as CJK text does.
CODE_MARKUP = re.compile(r"``.+?``|:(?:math|class|func|meth|mod|attr|data|obj|exc|py:\w+|code|kbd|file|samp)"
                         r":`[^`]*`|:\w+:`[^`<]*`|\|[^|\s][^|]*\||https?://\S+", re.DOTALL)
TITLED_MARKUP = re.compile(r"(?::\w+:)?`([^`<]*?)\s*(?:<[^>]*>)?`_{0,2}")
EMPHASIS = re.compile(r"(\*\*?)(\S(?:.*?\S)?)\1")
FRAME_MARKUP = re.compile(r"<[^>]+>|&#?\w+;|%\(\w+\)s|\{\w*\}")
# A block of code or console text: a literal block is the one message with a
# newline of its own (Sphinx joins a paragraph's lines), or one console line.
CODE_BLOCK = re.compile(r"\n|^(?:\$|>>>|\(\S+\) \$) ")
BREAK = " \u3000 "


def is_program(message_id: str) -> bool:
    """A code block's message: several lines, a console session, or one line of Python.

    A one-line code block (``weight = 1  # the bias too``) is a message as it
    is written; it compiles, where a sentence does not, and it has an
    operator, a bracket or a comment, where a lone word ("Previous") has none.
    """
    if CODE_BLOCK.search(message_id):
        return True
    try:
        compile(message_id, "<message>", "exec")
    except SyntaxError:
        return False
    return any(mark in message_id for mark in "=()[]#")


def code_parts(message: str) -> list[str]:
    """The text of a message's inline literals and code roles."""
    return [re.sub(r"^:[\w:]+:|`", "", part) for part in CODE_MARKUP.findall(message)]


def english_left(path: Path, message_id: str, translation: str) -> list[str]:
    """English phrases a translation would show: not code, not a gloss, not a listed name, not code in the message.

    ``pwe_sphinx.i18n.english_text.english_phrases`` decides what is
    English, as the whole-site test does on the built pages.
    """
    if is_program(message_id):
        return []  # a program or a console session: its comments are the reader's, its code is code
    if is_page_catalogue(path):
        prose = TITLED_MARKUP.sub(lambda match: f" {match.group(1)} ", CODE_MARKUP.sub(BREAK, translation))
        prose = EMPHASIS.sub(r"\2", prose)
    else:
        prose = FRAME_MARKUP.sub(BREAK, translation)  # the theme's HTML and the labels' placeholders
    prose = LATIN_ASIDE.sub(BREAK, prose)
    in_code = " ".join(code_parts(message_id))
    return [phrase for phrase in english_phrases(prose)
            if not re.search(rf"(?<![\w.]){re.escape(phrase)}(?!\w)", in_code)]


def problems_in(path: Path) -> list[str]:
    """Everything left to do in a catalogue: what must not be published, and what is not translated yet."""
    return _problems(path, unfinished=True)


def publishing_problems(path: Path) -> list[str]:
    """Translations that would change a program, break a page or fail ``msgfmt -c``.

    Fuzzy and empty translations are not among them: Sphinx shows the
    English message for those, as it should until a translator has checked them.
    """
    return _problems(path, unfinished=False)


def _problems(path: Path, unfinished: bool) -> list[str]:
    try:
        catalogue = read_catalogue(path)
    except ExtensionError as err:
        return [str(err)]
    found = []
    for message in catalogue:
        if not message.id:
            continue
        where = f"{path.relative_to(ROOT) if ROOT in path.parents else path}:{message.lineno}"
        summary = message.id if isinstance(message.id, str) else message.id[0]
        summary = summary.splitlines()[0][:60]
        if unfinished and message.fuzzy:
            found.append(f"{where}: fuzzy: {summary!r}")
        if not message.string:
            if unfinished:
                found.append(f"{where}: untranslated: {summary!r}")
            continue
        if message.fuzzy and not unfinished:
            continue  # not published
        if isinstance(message.id, str) and isinstance(message.string, str):
            problem = newline_problem(message.id, message.string)
            if problem:
                found.append(f"{where}: {problem}: {summary!r}")
        if isinstance(message.id, str) and isinstance(message.string, str):
            found += [f"{where}: English left in the translation: {phrase!r}; translate it, mark code as "
                      f"``code``, or list a name in {NAMES_FILE.name}" for phrase in
                      english_left(path, message.id, message.string)]
        if not isinstance(message.id, str) or not isinstance(message.string, str):
            continue  # a plural entry: the checks below read one string
        if looks_like_code(message.id):
            if program_tokens(message.string) != program_tokens(message.id):
                found.append(f"{where}: the translated code is not the same program: {summary!r}")
            continue
        if isinstance(message.string, str):
            found += [f"{where}: {problem}" for problem in typography_problems(message.string)]
        if is_page_catalogue(path):
            found += [f"{where}: rst: {problem}" for problem in markup_problems(message.string)]
            if unfinished and escaped_markup(message.string):
                found.append(f"{where}: inline markup set off with '\\ ' escapes; "
                             f"use a space on each side instead (README, Translate): {summary!r}")
    return found + [f"msgfmt -c: {line}" for line in msgfmt_problems(path)]


def prune(path: Path) -> None:
    """Rewrite a catalogue without its obsolete entries."""
    with path.open(encoding="utf-8") as po_file:
        catalogue = read_po(po_file)
    if not catalogue.obsolete:
        return
    with path.open("wb") as po_file:
        write_po(po_file, catalogue, width=76, ignore_obsolete=True)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"check", "prune"}:
        print(__doc__, file=sys.stderr)
        return 2
    paths = [Path(p).resolve() for p in argv[1:]] or all_catalogues()
    if argv[0] == "prune":
        for path in paths:
            prune(path)
        return 0
    found = [problem for path in paths for problem in problems_in(path)]
    print("\n".join(found) or f"{len(paths)} catalogues, no problems")
    return 1 if found else 0


CHECKED_RECORD = "checked-catalogues.json"  # in the build's doctree folder: the catalogues that passed


def checker_digest() -> str:
    """What the verdict on a catalogue depends on besides its own text: the checks' code, the list of
    English names, docutils' and babel's versions, and whether ``msgfmt`` is here to be asked."""
    digest = hashlib.sha256()
    checks = (__name__, "pwe_sphinx.i18n.english_text", "pwe_sphinx.core.language", "pwe_sphinx.core.example_source")
    for module in checks:  # each imported above
        digest.update(Path(str(sys.modules[module].__file__)).read_bytes())
    digest.update(NAMES_FILE.read_bytes())
    digest.update(f"{docutils.__version__} {babel.__version__} {shutil.which('msgfmt') is not None}".encode())
    return digest.hexdigest()


def read_checked(record: Path | None, checker: str) -> dict[str, str]:
    """The catalogues ``record`` says passed under this ``checker``: path to the digest of its bytes."""
    if record is None or not record.is_file():
        return {}
    try:
        recorded = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a record cut short by an interrupted build: check everything again
    return dict(recorded.get("passed", {})) if recorded.get("checker") == checker else {}


def check_site_catalogues(srcdir: Path, locale_dirs: list[str], language: str, record: Path | None = None) -> None:
    """Stop on a catalogue that must not be published, naming its file and line.

    Sphinx compiles the site's catalogues itself, but babel's lenient reader
    skips lines it cannot parse, and the messages on them would silently show
    in English. Nor does Sphinx look inside a translation: one that changes a
    code block's program, breaks the page's markup or fails ``msgfmt -c``
    would be published as it is (``publishing_problems``).

    With a ``record`` (a file in the build's doctree folder), a catalogue that
    passed with the same bytes and the same checks is not checked again: a
    build after one page's catalogue changed checks that one only. A
    catalogue with problems is never recorded.
    """
    checker = checker_digest()
    checked = read_checked(record, checker)
    problems, passed = [], {}  # a malformed catalogue is among the problems, as its file, line and text
    for locale_dir in locale_dirs:
        for po_path in sorted(Path(srcdir, locale_dir, language).rglob("*.po")):
            digest = hashlib.sha256(po_path.read_bytes()).hexdigest()
            found = [] if checked.get(str(po_path)) == digest else publishing_problems(po_path)
            problems += found
            if not found:
                passed[str(po_path)] = digest
    if record is not None:
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps({"checker": checker, "passed": passed}, indent=0, sort_keys=True),
                          encoding="utf-8")
    if problems:
        raise ExtensionError("translations: these translations must not be published "
                             "(fix them, or delete the msgstr to fall back to English):\n  " + "\n  ".join(problems))


def check_before_build(app: Sphinx, config: Config) -> None:
    check_site_catalogues(app.srcdir, config.locale_dirs, config.language, Path(app.doctreedir) / CHECKED_RECORD)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("config-inited", check_before_build)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
