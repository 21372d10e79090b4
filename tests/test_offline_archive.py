"""Each language's whole site as one zip, read offline (pwe_sphinx/html/offline_archive.py).

The fast tier checks the link rewriting against addresses written out by
hand, the zip's bytes against its inputs' order, times and modes, and a tiny
in-process build's archive and home page. The whole-site tier unzips each
language's built archive and checks it against the built folder walked here,
then opens it from disk in Chromium.
"""

from __future__ import annotations

import io
import os
import shutil
import textwrap
import zipfile
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import LANGUAGES, SITE_URL
from tiny_sphinx import build_html, write

from pwe_sphinx.html.offline_archive import archive_with_size_label, offline_copies, rewrite_links, site_files

ARCHIVES = {"en": "learning-pytorch-with-examples-en", "zh_CN": "learning-pytorch-with-examples-zh_CN"}
OTHER = {"en": "zh_CN", "zh_CN": "en"}
PUBLISHED = "https://example.org/pwe/en/"
SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01 00:00:00 UTC
EPOCH_AS_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}"


# Fast tier: the functions, and a tiny build.

@pytest.mark.unit
@pytest.mark.parametrize("page,reference,expected", [
    # The other language: the language switch, from the top and from two folders down.
    ("index.html", "../zh_CN/index.html", "https://example.org/pwe/zh_CN/index.html"),
    ("beginner/examples_nn/x.html", "../../../zh_CN/beginner/examples_nn/x.html",
     "https://example.org/pwe/zh_CN/beginner/examples_nn/x.html"),
    # The language chooser at the site's root, and the archive itself (in the folder, not in the archive).
    ("beginner/a.html", "../../index.html", "https://example.org/pwe/index.html"),
    ("index.html", "site-en.zip", "https://example.org/pwe/en/site-en.zip"),
    ("beginner/a.html", "../site-en.zip", "https://example.org/pwe/en/site-en.zip"),
    # A query and an escaped ampersand survive.
    ("index.html", "../zh_CN/search.html?q=a&amp;b=c#top", "https://example.org/pwe/zh_CN/search.html?q=a&amp;b=c#top"),
    # Held in the archive: left as written.
    ("beginner/a.html", "../_static/pwe.css?v=1", "../_static/pwe.css?v=1"),
    ("beginner/a.html", "b.html#part", "b.html#part"),
    ("beginner/a.html", "../index.html", "../index.html"),
    ("index.html", "beginner/a%20b.html", "beginner/a%20b.html"),
    # This page, and other sites.
    ("beginner/a.html", "#part", "#part"),
    ("index.html", "https://docs.pytorch.org/docs/stable/tensors.html", "https://docs.pytorch.org/docs/stable/tensors.html"),
    ("index.html", "mailto:someone@example.org", "mailto:someone@example.org"),
])
def test_a_link_the_archive_cannot_hold_points_to_the_published_site(page, reference, expected):
    held = frozenset({"index.html", "search.html", "beginner/a.html", "beginner/b.html", "beginner/a b.html",
                      "beginner/examples_nn/x.html", "_static/pwe.css"})
    for attribute in ("href", "src"):
        before = f'<p><a class="x" {attribute}="{reference}">link</a> text</p>'
        assert rewrite_links(before, page, held, PUBLISHED) == f'<p><a class="x" {attribute}="{expected}">link</a> text</p>'


@pytest.mark.unit
def test_only_links_are_rewritten():
    page = ('<form class="s" action="search.html" method="get"></form>\n'
            '<p>Write href="../zh_CN/index.html" in your page.</p>\n'
            '<html data-content_root="../"><img alt="" src="../zh_CN/x.png"></html>')
    rewritten = rewrite_links(page, "index.html", frozenset({"index.html", "search.html"}), PUBLISHED)
    assert rewritten == page.replace('src="../zh_CN/x.png"', 'src="https://example.org/pwe/zh_CN/x.png"')


def write_tree(root: Path, files: dict[str, str], reverse: bool, mode: int, mtime: int) -> None:
    for name in sorted(files, reverse=reverse):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[name], encoding="utf-8")
        path.chmod(mode)
        os.utime(path, (mtime, mtime))


SMALL_SITE = {
    "index.html": '<a href="../zh_CN/index.html">中文</a> <a href="site-en.zip">zip</a> '
                  '<span class="pwe-offline-size">(old label)</span> <a href="b/page.html">page</a>',
    "b/page.html": '<link href="../_static/s.css" rel="stylesheet"><a href="../../zh_CN/b/page.html">中文</a>',
    "_static/s.css": "body { color: black; }",
    "404.html": '<a href="/en/index.html">home</a>',
    ".buildinfo": "config: abc",
    "site-en.zip": "the archive of an earlier build",
}


@pytest.mark.unit
def test_the_archive_is_the_same_bytes_whatever_the_files_order_times_and_modes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    archives = []
    for name, reverse, mode, mtime in [("one", False, 0o644, 1_000_000_000), ("two", True, 0o600, 1_700_000_000)]:
        write_tree(tmp_path / name, SMALL_SITE, reverse, mode, mtime)
        files = site_files(tmp_path / name, "site-en.zip")
        archives.append(archive_with_size_label(offline_copies(files, PUBLISHED), "site-en"))
    assert archives[0] == archives[1]
    data, label = archives[0]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        names = [entry.filename for entry in entries]
        # The folder's files but the archive, the 404 page and dot files, under one top folder, in name order.
        assert names == ["site-en/_static/s.css", "site-en/b/page.html", "site-en/index.html"]
        assert {entry.date_time for entry in entries} == {EPOCH_AS_ZIP_TIME}
        assert {entry.external_attr >> 16 for entry in entries} == {0o644}
        assert {entry.compress_type for entry in entries} == {zipfile.ZIP_DEFLATED}
        assert all(not entry.extra and not entry.comment for entry in entries) and not archive.comment
        assert archive.read("site-en/_static/s.css") == SMALL_SITE["_static/s.css"].encode()
        home = archive.read("site-en/index.html").decode()
        page = archive.read("site-en/b/page.html").decode()
    # The label the home page shows is the size of the archive that holds it.
    assert label == f" (zip, {megabytes(len(data))} MB)"
    assert home == ('<a href="https://example.org/pwe/zh_CN/index.html">中文</a> '
                    '<a href="https://example.org/pwe/en/site-en.zip">zip</a> '
                    f'<span class="pwe-offline-size">{label}</span> <a href="b/page.html">page</a>')
    assert page == ('<link href="../_static/s.css" rel="stylesheet">'
                    '<a href="https://example.org/pwe/zh_CN/b/page.html">中文</a>')


@pytest.mark.unit
def test_zip_time_without_source_date_epoch_is_the_earliest_a_zip_holds(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    write_tree(tmp_path, {"index.html": "<p>x</p>"}, False, 0o644, 1_700_000_000)
    data, _label = archive_with_size_label(offline_copies(site_files(tmp_path, "x.zip"), PUBLISHED), "x")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert [entry.date_time for entry in archive.infolist()] == [(1980, 1, 1, 0, 0, 0)]


@pytest.fixture(scope="module")
def tiny_project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("offline")
    write(project / "conf.py", textwrap.dedent('''\
        project = "Tiny Site"
        extensions = ["pwe_sphinx.html.offline_archive"]
        pwe_site_url = "https://example.org/tiny/"
        pwe_languages = {"en": "English", "zh_CN": "简体中文"}
        pwe_language_tags = {"en": "en", "zh_CN": "zh-CN"}
        locale_dirs = []
    '''))
    write(project / "index.rst", "Home\n====\n\n.. offline-download::\n\n   Unzip it.\n\n"
                                 ".. toctree::\n\n   lessons/one\n")
    write(project / "lessons" / "one.rst", "One\n===\n\nBack :doc:`home <../index>`.\n")
    return project


@pytest.mark.unit
@pytest.mark.parametrize("language,link_text,label", [("en", "Download the whole site", " (zip, {} MB)"),
                                                      ("zh_CN", "下载整个站点", "（ZIP 压缩包，{} MB）")])
def test_a_tiny_build_offers_its_archive_on_its_home_page(tiny_project, monkeypatch, language, link_text, label):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    archives = []
    for name, jobs in [("serial", 1), ("parallel", 2)]:
        outdir = tiny_project / "_build" / f"{language}-{name}"
        shutil.rmtree(outdir, ignore_errors=True)
        assert build_html(tiny_project, outdir, parallel=jobs, language=language) == ""
        archive_path = outdir / f"tiny-site-{language}.zip"
        archives.append(archive_path.read_bytes())
    assert archives[0] == archives[1], "a -j 2 build wrote another archive"
    top = f"tiny-site-{language}"
    served = BeautifulSoup((outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    link = served.select_one("a.pwe-offline-download")
    assert (link.get_text(), link["href"]) == (link_text, f"{top}.zip")
    assert served.select_one(".pwe-offline-size").get_text() == label.format(megabytes(len(archives[0])))
    assert "Unzip it." in served.select_one(".pwe-offline").get_text()
    with zipfile.ZipFile(archive_path) as archive:
        names = set(archive.namelist())
        served_files = {path.relative_to(outdir).as_posix() for path in outdir.rglob("*") if path.is_file()}
        assert names == {f"{top}/{name}" for name in served_files - {f"{top}.zip", ".buildinfo"}}
        offline = BeautifulSoup(archive.read(f"{top}/index.html").decode(), "html.parser")
        lesson = BeautifulSoup(archive.read(f"{top}/lessons/one.html").decode(), "html.parser")
    assert offline.select_one("a.pwe-offline-download")["href"] == f"https://example.org/tiny/{language}/{top}.zip"
    assert offline.select_one(".pwe-offline-size").get_text() == served.select_one(".pwe-offline-size").get_text()
    assert lesson.find("a", string="home")["href"] == "../index.html"


# Whole-site tier: the built archives.

def archive_path(site, language: str) -> Path:
    return site.html / language / f"{ARCHIVES[language]}.zip"


@pytest.fixture(scope="module")
def unpacked(site, tmp_path_factory) -> dict[str, Path]:
    """Each language's archive unzipped into a folder of its own; the top folder it made."""
    folders = {}
    for language in LANGUAGES:
        target = tmp_path_factory.mktemp(f"offline-{language}")
        with zipfile.ZipFile(archive_path(site, language)) as archive:
            archive.extractall(target)
        assert [path.name for path in target.iterdir()] == [ARCHIVES[language]]
        folders[language] = target / ARCHIVES[language]
    return folders


def served_files(site, language: str) -> set[str]:
    folder = site.html / language
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_archive_holds_its_language_s_whole_site_and_nothing_else(site, unpacked, language):
    served = served_files(site, language)
    archived = {path.relative_to(unpacked[language]).as_posix()
                for path in unpacked[language].rglob("*") if path.is_file()}
    pages = {name for name in served if name.endswith(".html")}
    assert len(pages) > 25 and "beginner/examples_nn/dynamic_net.html" in pages
    assert pages - {"404.html"} <= archived, f"pages missing: {sorted(pages - {'404.html'} - archived)}"
    hidden = {name for name in served if any(part.startswith(".") for part in name.split("/"))}  # .buildinfo
    assert archived == served - hidden - {"404.html", f"{ARCHIVES[language]}.zip"}
    other = site.html / OTHER[language]
    assert not any(name.startswith(f"{OTHER[language]}/") for name in archived)
    # Every file but the pages is the served one; a page reads the same, only some links differ.
    for name in sorted(archived):
        served_bytes, archived_bytes = (site.html / language / name).read_bytes(), (unpacked[language] / name).read_bytes()
        if not name.endswith(".html"):
            assert archived_bytes == served_bytes, name
    for name in ("index.html", "beginner/examples_tensor/polynomial_numpy.html", "search.html"):
        texts = [BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text()
                 for path in (site.html / language / name, unpacked[language] / name)]
        assert texts[0] == texts[1], name
    assert other.is_dir()


def test_the_archives_are_no_pages_of_the_sitemap(site):
    sitemap = (site.html / "sitemap.xml").read_text(encoding="utf-8")
    assert "index.html" in sitemap and ".zip" not in sitemap


@pytest.mark.parametrize("language,link_text", [("en", "Download the whole site"), ("zh_CN", "下载整个站点")])
def test_the_home_page_offers_the_archive_with_its_size(site, unpacked, language, link_text):
    size = archive_path(site, language).stat().st_size
    for where, home in [("served", site.html / language / "index.html"), ("archived", unpacked[language] / "index.html")]:
        soup = BeautifulSoup(home.read_text(encoding="utf-8"), "html.parser")
        link = soup.select_one("article a.pwe-offline-download")
        assert link.get_text() == link_text, where
        assert megabytes(size) in soup.select_one(".pwe-offline-size").get_text(), where
        target = urljoin(f"{SITE_URL}{language}/index.html", link["href"])
        assert target == f"{SITE_URL}{language}/{ARCHIVES[language]}.zip", where
        assert site.file_at(target) == archive_path(site, language)
        if where == "archived":
            assert link["href"] == target  # the archive does not hold itself: the published address


def page_links(page: Path) -> list[tuple[str, str]]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [(element.name, element[attribute]) for attribute in ("href", "src", "action")
            for element in soup.find_all(attrs={attribute: True})]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_link_of_the_archive_works_from_disk_or_goes_to_the_published_site(unpacked, language):
    folder = unpacked[language]
    broken, into_own_site = [], []
    pages = sorted(folder.rglob("*.html"))
    for page in pages:
        for tag, reference in page_links(page):
            parts = urlsplit(reference)
            if parts.scheme in ("http", "https"):
                if tag == "a" and reference.startswith(f"{SITE_URL}{language}/") \
                        and not reference.endswith(f"/{ARCHIVES[language]}.zip"):
                    into_own_site.append(f"{page.relative_to(folder)}: {reference}")
                continue
            if parts.scheme or not parts.path:
                continue  # mailto:, data:, or this page
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file() or not target.is_relative_to(folder):
                broken.append(f"{page.relative_to(folder)}: <{tag}> {reference}")
    assert len(pages) > 25
    assert not broken, f"{len(broken)} links lead nowhere from disk, such as {broken[:8]}"
    assert not into_own_site, f"links that leave the archive for a page it holds: {into_own_site[:8]}"


@pytest.fixture
def disk_page(browser):
    """A page in Chromium that records failed requests, requests that are not files, and script errors."""
    context = browser.new_context()
    page = context.new_page()
    page.failed, page.not_from_disk, page.script_errors = [], [], []
    page.on("requestfailed", lambda request: page.failed.append(request.url))
    page.on("request", lambda request: request.url.startswith(("file:", "data:"))
            or page.not_from_disk.append(request.url))
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    yield page
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_unzipped_home_page_loads_from_disk(unpacked, disk_page, language):
    disk_page.goto((unpacked[language] / "index.html").as_uri(), wait_until="load")
    assert disk_page.title()
    undecoded = disk_page.eval_on_selector_all("img", "images => images.filter(i => !i.complete || "
                                                      "!i.naturalWidth).map(i => i.src)")
    assert disk_page.locator("img").count() >= 4 and not undecoded, undecoded
    assert (disk_page.failed, disk_page.not_from_disk, disk_page.script_errors) == ([], [], [])
    switch = disk_page.locator(".sidebar-drawer .pwe-language-switch a")
    assert switch.get_attribute("href") == f"{SITE_URL}{OTHER[language]}/index.html"
    download = disk_page.locator("a.pwe-offline-download")
    assert download.get_attribute("href") == f"{SITE_URL}{language}/{ARCHIVES[language]}.zip"


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unzipped_lesson_shows_its_figure(unpacked, disk_page, language):
    lesson = "beginner/examples_tensor/polynomial_numpy.html"
    disk_page.goto((unpacked[language] / lesson).as_uri(), wait_until="load")
    figure = disk_page.locator("svg.pwe-figure").first
    box = figure.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 100
    assert figure.locator("text").count() > 5  # labels drawn as text
    assert (disk_page.failed, disk_page.not_from_disk, disk_page.script_errors) == ([], [], [])
    assert disk_page.locator(".sidebar-drawer .pwe-language-switch a").get_attribute("href") == \
        f"{SITE_URL}{OTHER[language]}/{lesson}"


def search_from_disk(page, folder: Path, query: str) -> list[str]:
    """The pages the search page lists for ``query``, opened from disk, once it says it has finished."""
    page.goto(f"{(folder / 'search.html').as_uri()}?q={quote(query)}")
    page.wait_for_function("document.querySelector('#search-results .search-summary')?.textContent.trim()",
                           timeout=20_000)
    links = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    return [link.split("?")[0].split("#")[0] for link in links]


@pytest.mark.parametrize("language,query,expected", [
    ("en", "tensor", "beginner/examples_tensor/tensor_basics.html"),
    ("zh_CN", "张量", "beginner/examples_tensor/tensor_basics.html"),
])
def test_search_finds_pages_from_disk(unpacked, disk_page, language, query, expected):
    results = search_from_disk(disk_page, unpacked[language], query)
    folder_url = unpacked[language].as_uri() + "/"
    assert f"{folder_url}{expected}" in results, results[:10]
    outside = [url for url in results if not url.startswith(folder_url)
               or not (unpacked[language] / unquote(url.removeprefix(folder_url))).is_file()]
    assert not outside, f"results that are not pages of the unzipped site: {outside[:5]}"
    assert not disk_page.not_from_disk


@pytest.mark.parametrize("language,query", [("en", "tensor"), ("zh_CN", "张量")])
def test_search_from_disk_lists_results_without_errors(unpacked, disk_page, language, query):
    """From disk the page cannot fetch() each result's page for a summary: it lists them without one."""
    search_from_disk(disk_page, unpacked[language], query)
    disk_page.wait_for_timeout(1000)
    assert not disk_page.script_errors and not disk_page.failed
