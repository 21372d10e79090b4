"""What publishing needs: a sitemap and robots.txt, 404 pages that work at any address, hosting configurations.

Static hosts answer a missing address with a 404 page, shown at that
address; the tests' server (Python's http.server) does not, so the tests
resolve the 404 pages' links against a deep missing address themselves, and
have the browser show them there by fulfilling that request with the page.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib.util
import os
import re
import runpy
import subprocess
import sys
import types
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import pytest

pytest.importorskip("yaml")  # not in the light tier's environment (nox -s unit)
import yaml
from bs4 import BeautifulSoup
from conftest import EXAMPLES, LANGUAGES, ROOT, SITE_URL

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
TAGS = {"en": "en", "zh_CN": "zh-CN"}
# Pages of each language that are tools or errors, not content: not in the sitemap.
NOT_CONTENT = {"search.html", "genindex.html", "404.html"}
# Pages that every language must have in the sitemap, whatever else is added.
KNOWN_PAGES = ["index.html", "glossary.html", "beginner/pytorch_with_examples.html", "beginner/more_lessons.html",
               *[f"beginner/{folder}/index.html" for folder in sorted({e.parent for e in EXAMPLES})],
               *[f"beginner/{p.parent}/{p.stem}.html" for p in EXAMPLES]]
NOT_FOUND_PAGES = ["404.html", "en/404.html", "zh_CN/404.html"]
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"


@pytest.fixture(scope="module")
def sitemap(site) -> ET.Element:
    return ET.parse(site.html / "sitemap.xml").getroot()


def entries(sitemap) -> dict[str, dict[str, str]]:
    """Each <loc> with its alternates, hreflang to address."""
    return {url.find(f"{SITEMAP}loc").text: {link.get("hreflang"): link.get("href")
                                             for link in url.findall(f"{XHTML}link")}
            for url in sitemap}


def test_sitemap_is_a_urlset_of_the_sitemaps_protocol_with_xhtml_alternates(site, sitemap):
    text = (site.html / "sitemap.xml").read_text(encoding="utf-8")
    assert text.startswith("<?xml version='1.0' encoding='UTF-8'?>")
    assert 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"' in text
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in text
    assert sitemap.tag == f"{SITEMAP}urlset"
    assert 0 < len(sitemap) <= 50_000 and len(text.encode()) < 50 * 1024 * 1024  # the protocol's limits
    for url in sitemap:
        # The schema: <url> holds <loc> first, then (optional sitemap elements and) elements of other namespaces.
        assert url.tag == f"{SITEMAP}url"
        children = list(url)
        assert children[0].tag == f"{SITEMAP}loc" and len(children[0].text) < 2048
        assert not [child.tag for child in children[1:] if child.tag.startswith(SITEMAP)], "only <loc> is used"
        links = children[1:]
        assert links and all(link.tag == f"{XHTML}link" for link in links)
        assert all(set(link.attrib) == {"rel", "hreflang", "href"} and link.get("rel") == "alternate"
                   for link in links)
        assert url.find(f"{SITEMAP}lastmod") is None  # dates would make builds differ


def test_sitemap_lists_every_content_page_of_both_languages_and_nothing_else(site, sitemap):
    built = set()
    for language in LANGUAGES:
        for path in (site.html / language).rglob("*.html"):
            relative = path.relative_to(site.html / language)
            if relative.parts[0] not in {"_static", "_sources", "_downloads", "_images"} \
                    and relative.as_posix() not in NOT_CONTENT:
                built.add(f"{SITE_URL}{language}/{relative.as_posix()}")
    listed = [url.find(f"{SITEMAP}loc").text for url in sitemap]
    assert len(listed) == len(set(listed)), "a page is listed twice"
    assert set(listed) == built
    assert {f"{SITE_URL}{language}/{page}" for language in LANGUAGES for page in KNOWN_PAGES} <= set(listed)
    assert listed == sorted(listed, key=lambda url: (LANGUAGES.index(url.removeprefix(SITE_URL).split("/")[0]), url))


def test_every_address_in_the_sitemap_is_a_built_page(site, sitemap):
    missing = []
    for loc, alternates in entries(sitemap).items():
        for url in [loc, *alternates.values()]:
            if not site.file_at(url).is_file():
                missing.append(url)
    assert not missing, missing[:20]


def test_sitemap_alternates_are_symmetric_and_those_of_the_pages(site, sitemap):
    listed = entries(sitemap)
    for loc, alternates in listed.items():
        language = loc.removeprefix(SITE_URL).split("/")[0]
        assert set(alternates) == {"en", "zh-CN", "x-default"}, loc
        assert alternates[TAGS[language]] == loc, "a page is its own alternate in its language"
        assert alternates["x-default"] == SITE_URL  # the language chooser
        for tag, href in alternates.items():
            if tag != "x-default":
                assert listed.get(href) == alternates, f"{href} does not name {loc} back"
        # The same alternates as the page's own <head>.
        soup = BeautifulSoup(site.file_at(loc).read_text(encoding="utf-8"), "html.parser")
        in_head = {link["hreflang"]: link["href"] for link in soup.select('head link[rel="alternate"][hreflang]')}
        assert in_head == alternates, loc


def test_robots_txt_allows_everything_and_names_the_sitemap(site):
    robots = RobotFileParser()
    robots.parse((site.html / "robots.txt").read_text(encoding="utf-8").splitlines())
    assert robots.site_maps() == [f"{SITE_URL}sitemap.xml"]
    assert site.file_at(robots.site_maps()[0]).is_file()
    assert robots.can_fetch("*", f"{SITE_URL}zh_CN/beginner/pytorch_with_examples.html")


@pytest.mark.parametrize("language,title", [("en", "Page not found"), ("zh_CN", "找不到页面")])
def test_not_found_page_is_in_each_language_and_not_for_indexing(site, language, title):
    soup = site.page(language, "404")
    assert soup.html["lang"] == TAGS[language]
    assert soup.find("h1").get_text().replace("¶", "").strip() == title
    assert soup.title.get_text().startswith(title)
    assert soup.select_one('head meta[name="robots"]')["content"] == "noindex"
    article = soup.find("article").get_text()
    if language == "zh_CN":
        assert "这个地址上没有页面" in article and "There is no page" not in article
    sitemap_text = (site.html / "sitemap.xml").read_text(encoding="utf-8")
    assert "404.html" not in sitemap_text


def test_root_not_found_page_speaks_both_languages(site):
    soup = BeautifulSoup((site.html / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one('head meta[name="robots"]')["content"] == "noindex"
    headings = {section["lang"]: section.find("h2").get_text() for section in soup.select("main section[lang]")}
    assert headings == {"en": "Page not found", "zh-CN": "找不到页面"}


def test_not_found_pages_are_in_no_navigation(site):
    linking = [str(path.relative_to(site.html)) for path in site.html.rglob("*.html")
               if path.name != "404.html" and re.search(r'href="[^"]*404\.html"', path.read_text(encoding="utf-8"))]
    assert not linking, f"pages that link to a 404 page: {linking}"


def deep_missing_address(page: str) -> str:
    """An address with no page, three folders down, in the 404 page's language folder."""
    folder = page.removesuffix("404.html")
    return f"{SITE_URL}{folder}no/such/folder/page.html"


@pytest.mark.parametrize("page", NOT_FOUND_PAGES)
def test_not_found_page_links_work_when_served_at_a_deep_missing_address(site, page):
    """Every link, script, stylesheet and form of the page, resolved as a browser would there."""
    served_at = deep_missing_address(page)
    soup = BeautifulSoup((site.html / page).read_text(encoding="utf-8"), "html.parser")
    references = [(element.name, element[attribute]) for attribute in ("href", "src", "action")
                  for element in soup.find_all(attrs={attribute: True})]
    assert len(references) > 5
    broken = []
    for tag, reference in references:
        if reference.startswith("#"):
            continue  # this page, wherever it is shown
        url = urljoin(served_at, reference)
        if urlsplit(url).netloc != urlsplit(SITE_URL).netloc:
            continue  # another site (the theme's credits)
        if not url.startswith(SITE_URL) or not site.file_at(url).is_file():
            broken.append(f"<{tag}> {reference} -> {url}")
    assert not broken, f"{page} at {served_at}: {len(broken)} broken, such as " + "; ".join(broken[:8])
    # The home page, the main tutorial and the search page of the page's language are among its links.
    language = "en" if page == "404.html" else page.split("/")[0]
    targets = {urljoin(served_at, a["href"]) for a in soup.select("main a[href], article a[href]")}
    for name in ("index.html", "beginner/pytorch_with_examples.html", "search.html"):
        assert f"{SITE_URL}{language}/{name}" in targets, f"{page} does not link to {name}"
    if soup.html.get("data-content_root"):  # where Sphinx's search script finds the index
        assert urljoin(served_at, soup.html["data-content_root"]) == f"{SITE_URL}{language}/"


@pytest.mark.parametrize("page", NOT_FOUND_PAGES)
def test_not_found_page_in_a_browser_at_a_deep_missing_address(site, server, browser, page):
    """Chromium shows the page where a host would: styles and scripts load, links lead to pages."""
    if urlsplit(SITE_URL).path != "/":
        pytest.skip(f"the 404 pages' paths start at {urlsplit(SITE_URL).path}, the test server serves the site at /")
    served_at = f"{server}/{deep_missing_address(page).removeprefix(SITE_URL)}"
    context = browser.new_context()
    html = (site.html / page).read_bytes()
    context.route(served_at, lambda route: route.fulfill(status=404, body=html,
                                                         content_type="text/html; charset=utf-8"))
    tab = context.new_page()
    problems = []
    tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    tab.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    tab.on("response", lambda response: response.url != served_at and response.status >= 400
           and problems.append(f"{response.status}: {response.url}"))
    tab.goto(served_at, wait_until="networkidle")
    assert tab.url == served_at
    stylesheets = tab.evaluate("[...document.styleSheets].filter(s => s.href).length")
    assert stylesheets == tab.locator('link[rel="stylesheet"]').count()
    links = tab.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
    same_site = {link.split("#")[0] for link in links if link.startswith(server) and link.split("#")[0] != served_at}
    assert same_site
    for link in sorted(same_site):
        if tab.request.get(link).status != 200:
            problems.append(f"link to a missing page: {link}")
    context.close()
    assert not problems, problems


def test_read_the_docs_builds_the_site_as_nox_does():
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    build = config["build"]
    assert build["os"] == "ubuntu-24.04" and build["tools"]["python"] == "3.11"
    assert set(noxfile_literal("DOCS_SYSTEM_PACKAGES")) <= set(build["apt_packages"])
    assert "commands" not in build, "build.commands would skip apt_packages"
    assert "sphinx" not in config and "mkdocs" not in config, "Read the Docs would run its own build"
    install, = build["jobs"]["install"]
    requirements = re.search(r"-r (\S+)", install)[1]
    assert (ROOT / requirements).is_file() and requirements == "requirements/docs.txt"
    assert f"--extra-index-url {TORCH_CPU_INDEX}" in install
    html = " && ".join(build["jobs"]["build"]["html"])
    assert "python -m pwe_sphinx.tools.sitebuild" in html and importlib.util.find_spec("pwe_sphinx.tools.sitebuild")
    assert "READTHEDOCS_CANONICAL_URL" in html and 'cp -r build/html "$READTHEDOCS_OUTPUT/html"' in html


@pytest.mark.slow
def test_read_the_docs_build_commands_publish_the_site_under_its_address(built_project_copy, tmp_path):
    """Read the Docs' build job, run in a copy: the site under a version's address, 404 pages included.

    The copy keeps the examples' output the site build wrote into docs/, so no example runs again:
    what is checked here is where the commands put the site and which address it links to.
    """
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    project = built_project_copy
    output = tmp_path / "_readthedocs"
    env = dict(os.environ, READTHEDOCS_OUTPUT=str(output), READTHEDOCS_CANONICAL_URL="https://pwe.example.org/en/latest/",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    env.pop("PWE_SITE_URL", None)
    for command in config["build"]["jobs"]["build"]["html"]:
        result = subprocess.run(["bash", "-c", command], cwd=project, env=env, capture_output=True, text=True)
        assert result.returncode == 0, f"{command}:\n{result.stderr[-3000:]}"
    html = output / "html"
    assert (html / "index.html").is_file() and (html / "en" / "index.html").is_file()
    sitemap = ET.parse(html / "sitemap.xml").getroot()
    assert all(url.find(f"{SITEMAP}loc").text.startswith("https://pwe.example.org/en/latest/") for url in sitemap)
    for page in NOT_FOUND_PAGES:
        soup = BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser")
        paths = [a["href"] for a in soup.select("main a[href], article a[href]") if not a["href"].startswith("#")]
        assert paths and all(path.startswith("/en/latest/") and (html / path.removeprefix("/en/latest/")).is_file()
                             for path in paths), (page, paths)


def workflow() -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))


def test_github_pages_workflow_publishes_what_nox_builds():
    flow = workflow()
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert flow["permissions"]["pages"] == "write" and flow["permissions"]["id-token"] == "write"
    assert flow["concurrency"]["group"]
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    steps = {step.get("uses", step.get("name", "")).split("@")[0]: step for step in build["steps"]}
    assert steps["actions/setup-python"]["with"]["python-version"] == noxfile_literal("PYTHON")
    pages_id = steps["actions/configure-pages"]["id"]
    run_step = next(step for step in build["steps"] if "run" in step)
    assert run_step["run"] == "python -m pip install nox && python -m nox -s docs -- --from-shards build/shards"
    assert "docs" in noxfile_sessions()
    assert run_step["env"]["PWE_SITE_URL"] == f"${{{{ steps.{pages_id}.outputs.base_url }}}}/"
    # The build runs before the upload, and the upload takes what it wrote.
    names = [step.get("uses", "run").split("@")[0] for step in build["steps"]]
    assert names.index("run") < names.index("actions/upload-pages-artifact")
    assert steps["actions/upload-pages-artifact"]["with"]["path"] == "build/html"
    assert "test" in deploy["needs"] and deploy["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]


def test_github_pages_workflow_runs_the_examples_in_a_matrix_of_shards_that_the_build_merges():
    jobs = workflow()["jobs"]
    shard, build = jobs["shard"], jobs["build"]
    count = len(shard["strategy"]["matrix"]["shard"])
    assert count >= 2 and shard["strategy"]["matrix"]["shard"] == list(range(1, count + 1))
    steps = {step.get("uses", "run").split("@")[0]: step for step in shard["steps"]}
    assert steps["actions/setup-python"]["with"]["python-version"] == noxfile_literal("PYTHON")
    # Each job runs shard K of N, N being the matrix's size, and uploads what it left in build/shards/.
    assert steps["run"]["run"] == ("python -m pip install nox && python -m nox -s docs -- "
                                   "--shard ${{ matrix.shard }}/${{ strategy.job-total }}")
    upload = steps["actions/upload-artifact"]["with"]
    assert upload["name"] == "shard-${{ matrix.shard }}" and upload["path"].rstrip("/") == "build/shards"
    assert upload["if-no-files-found"] == "error"
    # The build waits for every shard, downloads them all into build/shards and merges them there.
    assert build["needs"] == "shard"
    names = [step.get("uses", "run").split("@")[0] for step in build["steps"]]
    download = build["steps"][names.index("actions/download-artifact")]["with"]
    assert fnmatch.fnmatch(upload["name"].replace("${{ matrix.shard }}", "1"), download["pattern"])
    assert download["path"] == "build/shards" and download["merge-multiple"] is True
    assert names.index("actions/download-artifact") < names.index("run")
    assert "--from-shards build/shards" in build["steps"][names.index("run")]["run"]
    assert "build" in jobs["deploy"]["needs"]


def test_github_pages_workflow_deploys_only_a_site_the_test_suite_passed():
    """The test job runs the suite on the artifact the deploy job publishes, and the deploy waits for it."""
    jobs = workflow()["jobs"]
    test, deploy = jobs["test"], jobs["deploy"]
    assert test["needs"] == "build" and set(deploy["needs"]) == {"build", "test"}
    names = [step.get("uses", step.get("name", "")).split("@")[0] for step in test["steps"]]
    steps = dict(zip(names, test["steps"], strict=True))
    assert steps["actions/setup-python"]["with"]["python-version"] == noxfile_literal("PYTHON")
    # What it tests is the Pages artifact, unpacked where the upload took it from.
    upload = next(step for step in jobs["build"]["steps"]
                  if step.get("uses", "").startswith("actions/upload-pages-artifact"))["with"]["path"]
    download = steps["actions/download-artifact"]["with"]
    assert download["name"] == "github-pages"  # upload-pages-artifact's artifact: artifact.tar
    unpack = next(step["run"] for step in test["steps"] if "tar -xf" in step.get("run", ""))
    assert f"{download['path']}/artifact.tar -C {upload}" in unpack
    run = next(step for step in test["steps"] if "nox -s tests" in step.get("run", ""))
    assert run["run"].endswith(f"nox -s tests -- --built-site {upload}")
    assert "tests" in noxfile_sessions()
    assert names.index("actions/download-artifact") < names.index("Unpack the site to deploy") \
        < test["steps"].index(run)
    # Built and tested with the same address, so the absolute links the tests check are those published.
    build_env = next(step for step in jobs["build"]["steps"] if "run" in step)["env"]["PWE_SITE_URL"]
    pages_id = steps["actions/configure-pages"]["id"]
    assert run["env"]["PWE_SITE_URL"] == build_env.replace("steps.pages.", f"steps.{pages_id}.")
    # Playwright's own Chromium (apt's is a snap wrapper on ubuntu-24.04), named for conftest by PWE_CHROMIUM.
    browser = steps["Install Playwright's Chromium"]["run"]
    assert "python -m playwright install --with-deps chromium" in browser
    assert "PWE_CHROMIUM=" in browser and "GITHUB_ENV" in browser
    assert 'os.environ.get("PWE_CHROMIUM"' in (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")


def test_the_shard_and_merge_commands_of_the_workflow_are_the_drivers_options():
    parser_help = subprocess.run([sys.executable, "-m", "pwe_sphinx.tools.sitebuild", "--help"], cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout
    assert "--shard K/N" in parser_help and "--from-shards DIR" in parser_help


def test_built_site_is_where_the_workflow_uploads_it(site):
    path = next(step for step in workflow()["jobs"]["build"]["steps"]
                if step.get("uses", "").startswith("actions/upload-pages-artifact"))["with"]["path"]
    assert (ROOT / path).resolve() == site.html.resolve()
    assert {"index.html", "404.html", "sitemap.xml", "robots.txt"} <= {p.name for p in site.html.iterdir()}


def noxfile_literal(name: str):
    """A constant of noxfile.py, read without importing nox."""
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"noxfile.py has no {name}")


def noxfile_sessions() -> set[str]:
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)
            and any("session" in ast.unparse(decorator) for decorator in node.decorator_list)}


def load_noxfile(monkeypatch) -> dict:
    """noxfile.py's functions, with a stand-in for nox (not installed inside the sessions)."""
    fake_nox = types.ModuleType("nox")
    fake_nox.options = types.SimpleNamespace()
    fake_nox.Session = object
    fake_nox.session = lambda *args, **kwargs: (lambda function: function)
    monkeypatch.setitem(sys.modules, "nox", fake_nox)
    return runpy.run_path(str(ROOT / "noxfile.py"))


@pytest.mark.parametrize("wheels_on_disk", [True, False], ids=["this machine", "elsewhere"])
def test_nox_installs_the_cpu_build_of_torch(tmp_path, monkeypatch, wheels_on_disk):
    install = load_noxfile(monkeypatch)["install"]
    monkeypatch.setitem(install.__globals__, "LOCAL_WHEELS", tmp_path if wheels_on_disk else tmp_path / "none")
    calls = []
    install(types.SimpleNamespace(install=lambda *args: calls.append(args)), "requirements/docs.txt")
    (args,) = calls
    if wheels_on_disk:  # this machine: the wheel on disk, no index but PyPI
        assert args == ("--find-links", str(tmp_path), "-r", "requirements/docs.txt")
    else:
        assert args == ("--extra-index-url", TORCH_CPU_INDEX, "-r", "requirements/docs.txt")
