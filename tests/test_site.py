"""The chapter's website (`make test-site`): built with the test parameters, then checked as a reader sees it.

With SITE_PARAMETERS=reference the same checks run on the site of the notebooks' own parameters
(build/site, as `make site` builds it; long the first time).

The site is built by scripts/build_site.py into build/site-test (notebooks executed only when their cache
entry is stale, so after `make test-site`'s own build step this is quick) and served over HTTP on
127.0.0.1. Checked: every internal link and picture resolves, every notebook page has its Binder, Colab
and download buttons and says which parameters built it, and in Chromium every page opens with its
images loaded, its maths typeset and no console error, search finds a page, the panels show their
pictures, and the kernel-free sliders swap their figures and numbers.
"""

import functools
import http.server
import json
import os
import re
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import build_site  # noqa: E402  (scripts/ is not a package)
import site_cache  # noqa: E402

pytestmark = [pytest.mark.site, pytest.mark.notebook]
browser_test = pytest.mark.browser

#: Which parameters build the site under test: "test" (make test-site) or "reference" (make site's).
PARAMETERS = os.environ.get("SITE_PARAMETERS", "test")
OUT = ROOT / "build" / ("site" if PARAMETERS == "reference" else "site-test")
HTML = OUT / "html"
STEMS = [path.stem for path in site_cache.chapter_notebooks()]
REPOSITORY = "keras-nn-foundations/keras-nn-foundations"
TWIN_PAGES = {"hidden": "04_mlp", "dropout": "05_dropout", "optimizer": "06_optimizers"}


@pytest.fixture(scope="module")
def site():
    """The site, built (or brought up to date) once for the module."""
    return build_site.build(PARAMETERS, out=OUT, jobs=2, say=lambda line: None)


class _Links(HTMLParser):
    """The href and src of every element, and every id, of one page."""

    def __init__(self):
        super().__init__()
        self.targets, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name):
                self.targets.append((tag, attrs[name]))


def _parse(path):
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _pages():
    return sorted(HTML.glob("*.html"))


def test_every_notebook_has_a_page_and_index_leads_to_the_landing_page(site):
    assert site["parameters"] == PARAMETERS
    missing = [stem for stem in STEMS if not (HTML / f"{stem}.html").exists()]
    assert not missing, f"notebooks without a page: {missing}"
    assert "url=00_start_here.html" in (HTML / "index.html").read_text()


def test_no_broken_internal_link_or_picture(site):
    broken = []
    parsed = {path.name: _parse(path) for path in _pages()}
    for name, page in parsed.items():
        for tag, target in page.targets:
            parts = urlsplit(target)
            if parts.scheme or target.startswith(("//", "mailto:", "javascript:")):
                continue
            path = unquote(parts.path)
            resolved = (HTML / name).parent / path if path else HTML / name
            if not resolved.exists():
                broken.append(f"{name}: <{tag}> {target} (no file {resolved.relative_to(HTML)})")
            elif parts.fragment and resolved.suffix == ".html" and resolved.name in parsed:
                if parts.fragment not in parsed[resolved.name].ids:
                    broken.append(f"{name}: <{tag}> {target} (no id {parts.fragment!r})")
    assert not broken, "broken internal links:\n" + "\n".join(broken[:40])


@pytest.mark.parametrize("stem", STEMS)
def test_page_has_launch_and_download_buttons_and_names_its_parameters(site, stem):
    text = (HTML / f"{stem}.html").read_text()
    binder = f"https://mybinder.org/v2/gh/{REPOSITORY}/HEAD?urlpath=lab/tree/notebooks/{stem}.ipynb"
    colab = f"https://colab.research.google.com/github/{REPOSITORY}/blob/main/notebooks/{stem}.ipynb"
    assert binder in text, f"{stem}: no Binder button to {binder}"
    assert colab in text, f"{stem}: no Colab button to {colab}"
    assert f'href="_sources/{stem}.ipynb"' in text and (HTML / "_sources" / f"{stem}.ipynb").exists()
    parameters = site_cache.notebook_parameters(ROOT / "notebooks" / f"{stem}.ipynb", PARAMETERS)
    said = "small test parameters" if parameters else "own parameters"
    assert said in text, f"{stem}: the page does not say it was built with its {said}"


def test_twins_have_every_run_of_their_grid():
    for name, stem in TWIN_PAGES.items():
        twin = json.loads((ROOT / "data" / "site" / "twins" / name / "twin.json").read_text())
        assert twin["notebook"] == stem
        expected = 1
        for dimension in twin["dimensions"]:
            expected *= len(dimension["values"])
        assert len(twin["runs"]) == expected >= 3
        for run in twin["runs"]:
            picture = ROOT / "data" / "site" / "twins" / name / run["image"]
            assert picture.read_bytes().startswith(b"\x89PNG"), picture
            assert re.search(r"test accuracy \d+\.\d\d%", run["numbers"])


# --- in the browser ------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(site):
    """The built site over HTTP on 127.0.0.1 (a free port); yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


# Every image of the page has loaded (lazy ones are scrolled to first); every maths element is typeset.
JS_PAGE_STATE = """async () => {
    for (const image of document.images) {
        if (!image.complete) {
            image.scrollIntoView();
            await new Promise(done => { image.addEventListener('load', done); image.addEventListener('error', done);
                                        setTimeout(done, 5000); });
        }
    }
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
    const maths = [...document.querySelectorAll('.math')];
    return {
        broken: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src.slice(0, 120)),
        maths: maths.length,
        untypeset: maths.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.slice(0, 80)),
    };
}"""


def _open(browser, url):
    page = browser.new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.goto(url, wait_until="load")
    return page, problems


@browser_test
def test_every_page_opens_with_images_and_maths_and_no_console_error(site, server, browser):
    reports, math_pages = [], 0
    for path in _pages():
        if path.name == "index.html":  # a redirect to the landing page (checked above)
            continue
        page, problems = _open(browser, f"{server}/{path.name}")
        state = page.evaluate(JS_PAGE_STATE)
        page.close()
        math_pages += state["maths"] > 0
        if state["broken"] or state["untypeset"] or problems:
            reports.append(
                f"{path.name}: images not loaded {state['broken']}, maths not typeset "
                f"{state['untypeset'][:3]}, console errors {problems[:3]}"
            )
    assert not reports, "\n".join(reports)
    assert math_pages >= 5, f"only {math_pages} pages have maths: is the maths rendered at all?"
    assert not browser.external_requests, f"the site asked other hosts: {browser.external_requests[:5]}"


@browser_test
def test_search_finds_a_notebook(site, server, browser):
    page, problems = _open(browser, f"{server}/search.html?q=dropout")
    page.wait_for_selector("#search-results ul.search li", timeout=30000)
    found = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    page.close()
    assert any("05_dropout.html" in link for link in found), found
    assert not problems


@browser_test
def test_panels_show_their_pictures_without_a_kernel(site, server, browser):
    page, problems = _open(browser, f"{server}/03_gradient_descent.html")
    page.evaluate(JS_PAGE_STATE)
    pictures = page.eval_on_selector_all(".nnf-static-panel img", "images => images.map(i => [i.naturalWidth, i.alt])")
    widgets = page.locator(".jupyter-widgets, .widget-slider").count()
    page.close()
    assert len(pictures) >= 3 and all(width > 0 and alt for width, alt in pictures), pictures
    assert widgets == 0, "an empty live widget was rendered instead of the panel's picture"
    assert not problems


@browser_test
@pytest.mark.parametrize("name", sorted(TWIN_PAGES))
def test_kernel_free_slider_swaps_figure_and_numbers(site, server, browser, name):
    page, problems = _open(browser, f"{server}/{TWIN_PAGES[name]}.html")
    twin = page.locator(f"#twin-{name}")
    twin.scroll_into_view_if_needed()
    image, numbers = twin.locator("img.nnf-twin-image"), twin.locator(".nnf-twin-numbers")
    sliders = twin.locator("input[type=range]")
    count = sliders.count()
    assert count >= 1
    seen = {(image.get_attribute("src"), numbers.text_content())}
    for index in range(count):
        slider = sliders.nth(index)
        end = slider.get_attribute("max")
        slider.fill("0" if slider.input_value() == end else end)  # to the other end of its range
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        seen.add((image.get_attribute("src"), numbers.text_content()))
    readouts = twin.locator("output").all_text_contents()
    page.close()
    assert len(seen) == count + 1, f"the picture or numbers did not change: {seen}"
    assert all(src.startswith(f"_static/twins/{name}/") for src, _ in seen)
    assert all(text.strip() for text in readouts)
    assert not problems
