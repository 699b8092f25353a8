"""Colour contrast of the panels in JupyterLab's light and dark themes, and reflow of the app at 200 % zoom.

Contrast (WCAG 1.4.3): 02's playground and 04's MNIST panel run (CI parameters) in JupyterLab
with its light theme, then with "JupyterLab Dark" (set in the test server's settings folder,
as a learner's choice in Settings > Theme is stored). For every visible element inside a panel
that holds text (and in every multiple-choice question of those notebooks, after pressing its
first choice), the page computes the text colour and the background behind it (walking up the
DOM and compositing translucent backgrounds, the page's canvas white at the top); the ratio must
be 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). SVG text (the playground's network
diagram) counts, with its fill as colour. Text in images (the figures' PNGs) is not DOM text and
is not measured here; their colours are checked in tests/test_palette.py. Disabled controls are
exempt, as WCAG allows, and so are the faded labels of the features a playground network does not
use (class nnf-inactive), which show that those inputs are off.

The Voilà app is measured the same way in its dark theme (`voila --theme=dark`, what an instructor
projecting the app in a dark room would start), after a step of the playground.

Reflow (WCAG 1.4.10): the Voilà app (`make app`) at 640 CSS px wide, what a 1280-px window
shows at 200 % zoom (browser zoom scales the CSS pixel, so the layout sees a 640-px viewport;
the device pixel ratio only changes how finely it is rasterised), and at 320 CSS px, the width
WCAG names (1280 px at 400 %). No page may scroll sideways, and every control of the panels and
every text outside their plots must be in view horizontally: inside the viewport and inside every
box around it that clips or scrolls (a control half hidden in a column that scrolls sideways is
cut too). A plot (a map, a chart) may scroll inside its column: WCAG exempts two-dimensional content.
"""

import json
from pathlib import Path

import pytest

from browser_lab import LATENCIES_DIR, JupyterLab
from notebook_tools import prepare
from test_app import PAGE_TIMEOUT
from voila_app import JS_ERROR_TEXT, JS_PANELS_OR_ERROR, start_app
from test_browser import RUN_ALL_TIMEOUT, run_all, wait_for_kernel, wait_until_idle

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = LATENCIES_DIR.parent
NOTEBOOKS = [ROOT / "notebooks" / "02_activations.ipynb", ROOT / "notebooks" / "04_mlp.ipynb"]
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
THEME_SETTINGS = Path("@jupyterlab") / "apputils-extension" / "themes.jupyterlab-settings"
#: Fewer measured text elements than this in a panel means the measurement missed the panel.
MIN_TEXT_ELEMENTS = 5

# For every element under `root` with its own visible text (or a form field), its text colour
# and the colour behind it, both composited down to opaque RGB, and the contrast ratio.
JS_CONTRAST = """(root) => {
    const parse = (css) => {
        const m = css.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
        return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3])).concat([1]);
    const background = (element) => {
        const layers = [];
        for (let e = element; e; e = e.parentElement) {
            const colour = parse(getComputedStyle(e).backgroundColor);
            if (colour && colour[3] > 0) layers.push(colour);
            if (colour && colour[3] >= 1) break;
        }
        let result = [255, 255, 255, 1];  // the canvas under an all-transparent page
        for (const layer of layers.reverse()) result = over(layer, result);
        return result;
    };
    const opacity = (element) => {
        let value = 1;
        for (let e = element; e; e = e.parentElement) value *= Number(getComputedStyle(e).opacity);
        return value;
    };
    const luminance = (rgb) => {
        const c = rgb.slice(0, 3).map(v => v / 255)
            .map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    const hex = (rgb) => '#' + rgb.slice(0, 3).map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
    const results = [];
    for (const element of root.querySelectorAll('*')) {
        const inSvg = element.closest('svg') !== null;
        if (inSvg && element.tagName.toLowerCase() !== 'text') continue;
        const field = element.matches(
            'input:not([type=checkbox]):not([type=radio]):not([type=range]), select, textarea');
        const ownText = [...element.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        if (!field && !ownText) continue;
        const style = getComputedStyle(element);
        const box = element.getBoundingClientRect();
        if (style.visibility !== 'visible' || style.display === 'none' || box.width === 0 || box.height === 0) continue;
        if (element.closest('[disabled], .mod-disabled, .nnf-inactive')) continue;
        const back = background(element);
        const text = over(parse(inSvg ? style.fill : style.color), back);
        const shown = opacity(element);
        const seen = [0, 1, 2].map(i => back[i] + (text[i] - back[i]) * shown).concat([1]);
        const [light, dark] = [luminance(seen), luminance(back)].sort((a, b) => b - a);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        results.push({text: (element.value || element.textContent).trim().slice(0, 40),
                      tag: element.tagName.toLowerCase(), color: hex(seen), background: hex(back),
                      ratio: (light + 0.05) / (dark + 0.05), needed: large ? 3 : 4.5});
    }
    return results;
}"""

# Controls of the panels and whether the page scrolls sideways, at the current viewport.
JS_REFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const controls = [...document.querySelectorAll('.nnf-panel')].flatMap(panel => [...panel.querySelectorAll(
        'button, input, select, textarea, .widget-slider, .widget-dropdown, .widget-checkbox, '
        + '.widget-toggle-buttons')]);
    // Text too, outside the plots (a map or chart is two-dimensional content WCAG lets scroll).
    const texts = [...document.querySelectorAll('.nnf-panel *')].filter(e => !e.closest('.nnf-plot')
        && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
    // What of an element can be seen: the viewport, narrowed by every ancestor that clips or scrolls.
    const room = (element) => {
        let left = 0, right = width;
        for (let a = element.parentElement; a; a = a.parentElement) {
            if (getComputedStyle(a).overflowX === 'visible') continue;
            const box = a.getBoundingClientRect();
            left = Math.max(left, box.left);
            right = Math.min(right, box.right);
        }
        return [left, right];
    };
    const cut = controls.concat(texts).map(c => [c, c.getBoundingClientRect(), room(c)])
        .filter(([c, box, [left, right]]) => box.width > 0 && (box.left < left - 1 || box.right > right + 1))
        .map(([c, box, [left, right]]) => ({
            element: (c.textContent || c.getAttribute('aria-label') || String(c.className)).trim().slice(0, 40),
            left: Math.round(box.left), right: Math.round(box.right), room: [Math.round(left), Math.round(right)]}));
    return {width, scrollWidth: document.documentElement.scrollWidth, controls: controls.length,
            texts: texts.length, cut};
}"""


@pytest.fixture(scope="module")
def lab(chromium, tmp_path_factory):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    work = tmp_path_factory.mktemp("colour")
    (work / "notebooks").mkdir()
    server = JupyterLab(work / "notebooks", work, OUTPUT / "jupyterlab-colour.log")
    server.settings_dir = work / "lab-settings"
    yield server
    server.stop()


def use_theme(lab, theme):
    """Store the theme as JupyterLab stores a learner's choice; pages opened afterwards use it."""
    path = lab.settings_dir / THEME_SETTINGS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"theme": THEMES[theme]}))


def low_contrast(measured):
    return [entry for entry in measured if entry["ratio"] < entry["needed"]]


def check_the_check(page, panel, theme):
    """The measurement can fail: a grey on the theme's own background is caught."""
    probe = "#767676" if theme == "dark" else "#949494"  # about 4:1 on #111111, 3:1 on white
    page.evaluate(
        """([panel, colour]) => {
        const probe = document.createElement('span');
        probe.className = 'nnf-contrast-probe';
        probe.style.color = colour;
        probe.textContent = 'probe';
        panel.appendChild(probe);
    }""",
        [panel, probe],
    )
    caught = [entry["text"] for entry in low_contrast(page.evaluate(JS_CONTRAST, panel))]
    page.evaluate("() => document.querySelectorAll('.nnf-contrast-probe').forEach(e => e.remove())")
    assert "probe" in caught, f"{theme}: a {probe} text was not flagged"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_panel_text_has_enough_contrast(path, theme, lab, browser):
    use_theme(lab, theme)
    copy = prepare(path, lab.root / f"{path.stem}-{theme}.ipynb", with_expected=False)
    page = browser.new_page()
    try:
        page.goto(lab.notebook_url(copy.name, f"{path.stem}-{theme}"))
        wait_for_kernel(page, lab, copy.name)
        body = page.evaluate("() => [document.body.dataset.jpThemeName, document.body.dataset.jpThemeLight]")
        assert body == [THEMES[theme], "true" if theme == "light" else "false"], f"theme in use: {body}"
        run_all(page)
        wait_until_idle(page, RUN_ALL_TIMEOUT)
        panels = page.locator(".nnf-panel").element_handles()
        assert panels, f"{path.name}: no panel on the page"
        choices = page.locator(".nnf-choice").element_handles()
        for choice in choices:  # a pressed choice and its answer, coloured by the button's style
            choice.query_selector("button").click()
        for choice in choices:  # each pressed choice shows its answer
            page.wait_for_function(
                "(c) => c.querySelector('.nnf-choice-answer').innerText.trim() !== ''", arg=choice, timeout=30_000
            )
        failures = []
        for index, panel in enumerate(panels + choices):
            panel.scroll_into_view_if_needed()
            measured = page.evaluate(JS_CONTRAST, panel)
            assert len(measured) >= MIN_TEXT_ELEMENTS, f"panel {index}: only {len(measured)} text elements found"
            failures += [{"panel": index, **entry} for entry in low_contrast(measured)]
            lowest = min(measured, key=lambda entry: entry["ratio"] / entry["needed"])
            kind = "panel" if index < len(panels) else "choice"
            print(
                f"{path.stem} {theme} {kind} {index}: {len(measured)} text elements, lowest "
                f"{lowest['ratio']:.2f}:1 ({lowest['color']} on {lowest['background']}, {lowest['text']!r})"
            )
        check_the_check(page, panels[0], theme)
        assert not failures, f"{path.name}, {theme} theme: text below its contrast minimum:\n" + "\n".join(
            f"  panel {f['panel']} <{f['tag']}> {f['text']!r}: {f['color']} on {f['background']} = "
            f"{f['ratio']:.2f}:1 (needs {f['needed']}:1)"
            for f in failures
        )
    finally:
        page.screenshot(path=str(OUTPUT / f"contrast-{path.stem}-{theme}.png"), full_page=True)
        page.close()
        lab.shut_down_kernels()


@pytest.mark.parametrize("width", [640, 320], ids=["200-percent-zoom", "320-px-window"])
def test_app_reflows_without_sideways_scrolling(width, browser, tmp_path):
    server = start_app(0, f"voila-reflow-{width}.log", tmp_path)
    try:
        page = browser.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        try:
            page.goto(server.url, wait_until="commit", timeout=PAGE_TIMEOUT * 1000)
            page.wait_for_function(JS_PANELS_OR_ERROR, polling=250, timeout=PAGE_TIMEOUT * 1000)
            assert page.locator(".nnf-panel").count() >= 2, (
                f"the app failed: {page.evaluate(JS_ERROR_TEXT)[:3000]} (see {server.log_path})"
            )
            page.wait_for_function(
                "() => [...document.querySelectorAll('.nnf-panel img')].every(i => i.complete)",
                polling=100,
                timeout=30_000,
            )  # every picture decoded and laid out
            reflow = page.evaluate(JS_REFLOW)
            print(
                f"{width} px: {reflow['controls']} controls, {reflow['texts']} texts, "
                f"scrollWidth {reflow['scrollWidth']} for clientWidth {reflow['width']}, cut off: {reflow['cut']}"
            )
            assert reflow["controls"] >= 10, f"only {reflow['controls']} controls found"
            assert reflow["scrollWidth"] <= reflow["width"], (
                f"the page scrolls sideways at {width} px: {reflow['scrollWidth']} px wide"
            )
            assert not reflow["cut"], f"controls or text cut off at {width} px: {reflow['cut']}"
        finally:
            page.screenshot(path=str(OUTPUT / f"app-{width}px.png"), full_page=True)
            page.close()
    finally:
        server.stop()


def test_app_text_has_enough_contrast_in_the_dark_theme(browser, tmp_path):
    from voila_app import AppServer

    server = AppServer(
        0,
        OUTPUT / "voila-dark.log",
        extra_options=["--show_tracebacks=True", "--theme=dark"],
        environment={"JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime")},
    )
    page = browser.new_page()
    try:
        page.goto(server.url, wait_until="commit", timeout=PAGE_TIMEOUT * 1000)
        page.wait_for_function(JS_PANELS_OR_ERROR, polling=250, timeout=PAGE_TIMEOUT * 1000)
        assert page.locator(".nnf-panel").count() >= 2, (
            f"the app failed: {page.evaluate(JS_ERROR_TEXT)[:3000]} (see {server.log_path})"
        )
        assert page.evaluate("() => document.body.dataset.jpThemeLight") == "false", "the app is not dark"
        page.get_by_role("button", name="Step").first.click()
        page.wait_for_function(
            "() => document.querySelector('.nnf-plot img[alt*=\"after\"]')", polling=250, timeout=120_000
        )
        failures = []
        for index, panel in enumerate(page.locator(".nnf-panel").element_handles()):
            measured = page.evaluate(JS_CONTRAST, panel)
            assert len(measured) >= MIN_TEXT_ELEMENTS, f"panel {index}: only {len(measured)} text elements found"
            failures += [{"panel": index, **entry} for entry in low_contrast(measured)]
            lowest = min(measured, key=lambda entry: entry["ratio"] / entry["needed"])
            print(
                f"app dark panel {index}: {len(measured)} text elements, lowest {lowest['ratio']:.2f}:1 "
                f"({lowest['color']} on {lowest['background']}, {lowest['text']!r})"
            )
        check_the_check(page, page.locator(".nnf-panel").element_handles()[0], "dark")
        assert not failures, "the app, dark theme: text below its contrast minimum:\n" + "\n".join(
            f"  panel {f['panel']} <{f['tag']}> {f['text']!r}: {f['color']} on {f['background']} = "
            f"{f['ratio']:.2f}:1 (needs {f['needed']}:1)"
            for f in failures
        )
    finally:
        page.screenshot(path=str(OUTPUT / "contrast-app-dark.png"), full_page=True)
        page.close()
        server.stop()
