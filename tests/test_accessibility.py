"""Accessibility: the figures' text alternatives, an axe-core audit of every page, the panels by keyboard.

The audit runs axe-core (WCAG 2.0 and 2.1, levels A and AA) on each notebook rendered in JupyterLab
after Run All with its test parameters, and on the Voilà app. A violation of impact serious or
critical fails the test unless tests/accessibility_allowlist.py lists it as JupyterLab's, Voilà's or
ipywidgets' own. Counts per page go to build/browser/accessibility.json.

The keyboard test uses the playground (02) and the MNIST panel (04) without a mouse: Tab reaches
every control, each shows where the focus is, every slider's value sits in a number box named for
the slider, the arrow keys move a slider and a typed value moves it back, Space starts and stops a run.
"""

import json
import re

import matplotlib
import pytest

matplotlib.use("Agg")

from accessibility_allowlist import ALLOWED  # noqa: E402
from browser_lab import LATENCIES_DIR, JupyterLab  # noqa: E402
from notebook_tools import NOTEBOOKS, prepare  # noqa: E402

from helpers.figures import descriptions  # noqa: E402

OUTPUT = LATENCIES_DIR.parent
REPORT = OUTPUT / "accessibility.json"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")
RUN_ALL_TIMEOUT = 600


# --- text alternatives (no browser) --------------------------------------------------------------


def test_a_decision_map_is_described_with_its_epochs_and_numbers():
    text = descriptions.decision_map_description(40, 0.08, 0.07, 0.97)
    assert text == "decision map after 40 epochs: test loss 0.080, training loss 0.070, test accuracy 97%"
    assert descriptions.decision_map_description(0) == "decision map before training"
    assert descriptions.decision_map_description(1, 0.5, regression=True) == (
        "regression output map after 1 epoch: test loss 0.500"
    )
    assert "test loss not a number" in descriptions.decision_map_description(3, float("nan"))


@pytest.mark.parametrize(
    "bad, words",
    [
        ({"epoch": -1}, "epoch must be an integer >= 0, got -1"),
        ({"epoch": 2.5}, "got 2.5"),
        ({"epoch": 2, "test_accuracy": 97}, "between 0 and 1, got 97"),
    ],
)
def test_a_decision_map_description_rejects_bad_numbers(bad, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        descriptions.decision_map_description(**bad)


def test_a_network_is_described_by_its_layers():
    assert descriptions.network_description([784, 128, 128, 10], "relu") == (
        "network diagram: 784 inputs, 2 hidden layers of 128 (relu), 10 outputs"
    )
    assert descriptions.network_description([784, 10]) == "network diagram: 784 inputs, no hidden layer, 10 outputs"
    assert descriptions.network_description([2, 4, 3, 1]) == (
        "network diagram: 2 inputs, hidden layers of 4, 3, 1 outputs"
    )
    with pytest.raises(ValueError, match=r"at least two positive integers .* got \[784\]"):
        descriptions.network_description([784])


def test_a_figure_is_described_by_its_caption_and_status_line():
    import matplotlib.pyplot as plt

    status = "w = <b>0.50</b> &nbsp; error <b>3</b>"
    assert descriptions.figure_description("decision line", status) == "decision line: w = 0.50 error 3"
    assert descriptions.figure_description("decision line", None) == "decision line"
    with pytest.raises(ValueError, match="empty caption"):
        descriptions.figure_description("  ", status)
    fig, (left, right) = plt.subplots(1, 2)
    left.set_title("sigmoid")
    right.set_title("its slope")
    assert descriptions.figure_caption(fig) == "sigmoid; its slope"
    fig.suptitle("a neuron")
    assert descriptions.figure_caption(fig) == "a neuron"
    plt.close(fig)


def test_a_described_image_shows_its_png_with_the_text_alternative():
    from helpers.ui.described_image import DescribedImage

    image = DescribedImage(b"\x89PNG fake", 'map "after" 3 epochs', image_style="width: 100%")
    assert image.value.startswith('<img src="data:image/png;base64,iVBORyBmYWtl"')
    assert 'alt="map &quot;after&quot; 3 epochs"' in image.value and 'style="width: 100%"' in image.value
    image.set(b"\x89PNG other")  # a new picture keeps its description
    assert "map &quot;after&quot; 3 epochs" in image.value and image.png == b"\x89PNG other"
    assert DescribedImage().value == ""
    with pytest.raises(TypeError, match="png must be PNG bytes, got str"):
        image.set("not bytes")


@pytest.mark.tensorflow  # the playground trains with a compiled TensorFlow loop
def test_the_panels_figures_carry_text_alternatives():
    from helpers.ui import mnist_panels
    from helpers.ui.playground_panel import PlaygroundPanel

    panel = PlaygroundPanel(background=False)
    assert re.search(
        r'alt="decision map before training: test loss \d\.\d{3}, training loss \d\.\d{3}, '
        r'test accuracy \d+%"',
        panel.output.image.value,
    )
    assert 'alt=""' in panel.output.overlay.value  # the points over the map: decoration
    panel.step()
    assert f"after {panel.playground.epoch} epochs" in panel.output.image.value
    mlp = mnist_panels.mlp_panel(hidden_layers=2, hidden_units=64)
    assert 'alt="network diagram: 784 inputs, 2 hidden layers of 64 (relu), 10 outputs"' in mlp.diagram.value
    mlp.controls["hidden_layers"].value = 1
    assert "1 hidden layer of 64" in mlp.diagram.value


# --- the audit ---------------------------------------------------------------------------------


def allowed_entry(rule, node, in_widget):
    """The allow-list entry matching one node of an axe violation, or None."""
    where = " ".join(map(str, node.get("target", []))) + " " + node.get("html", "")
    return next(
        (
            entry
            for entry in ALLOWED
            if entry.rule == rule and re.search(entry.pattern, where) and not (entry.outside_widgets and in_widget)
        ),
        None,
    )


# Whether the element an axe target names sits inside an ipywidgets widget (a panel, an Output).
JS_IN_WIDGET = """(target) => { const e = document.querySelector(target);
    return !!(e && e.closest('.jupyter-widgets, .widget-output')); }"""


def audit(page):
    """Run axe-core on the page: counts by impact, allowed vs project, and the failing nodes."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    counts = {"by_impact": {}, "allowed_upstream": 0, "project": 0, "rules": {}, "project_examples": {}}
    failing = []
    for violation in results.response["violations"]:
        impact = violation["impact"] or "unknown"
        for node in violation["nodes"]:
            counts["by_impact"][impact] = counts["by_impact"].get(impact, 0) + 1
            key = f"{violation['id']} ({impact})"
            counts["rules"][key] = counts["rules"].get(key, 0) + 1
            target = node["target"][0] if len(node["target"]) == 1 and isinstance(node["target"][0], str) else ""
            if allowed_entry(violation["id"], node, bool(target) and page.evaluate(JS_IN_WIDGET, target)):
                counts["allowed_upstream"] += 1
            else:
                counts["project"] += 1
                examples = counts["project_examples"].setdefault(key, [])
                if len(examples) < 3:
                    examples.append(f"{node['target']}: {node['html'][:200]}")
                if impact in FAILING_IMPACTS:
                    failing.append(f"{violation['id']} ({impact}) at {node['target']}: {node['html'][:160]}")
    # The panels' figures: how many carry a text alternative (alt="" marks decoration, e.g. the map's points).
    counts["panel_images"] = page.evaluate("""() => {
        const images = [...document.querySelectorAll('.nnf-panel img')];
        return {with_alt: images.filter(i => i.getAttribute('alt')).length,
                decorative: images.filter(i => i.getAttribute('alt') === '').length,
                without_alt: images.filter(i => !i.hasAttribute('alt')).length};
    }""")
    return counts, failing


def write_report(name, counts):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    report = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    report[name] = counts
    REPORT.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")


@pytest.fixture(scope="module")
def lab(chromium, tmp_path_factory):
    work = tmp_path_factory.mktemp("accessibility")
    (work / "notebooks").mkdir()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    server = JupyterLab(work / "notebooks", work, OUTPUT / "jupyterlab-accessibility.log")
    yield server
    server.stop()


def open_and_run_all(page, lab, path, prefix):
    from test_browser import run_all, wait_for_kernel, wait_until_idle

    copy = prepare(path, lab.root / f"{prefix}-{path.name}", with_expected=False)
    page.goto(lab.notebook_url(copy.name, f"{prefix}-{path.stem}"))
    wait_for_kernel(page, lab, copy.name)
    run_all(page)
    wait_until_idle(page, RUN_ALL_TIMEOUT)


@pytest.mark.browser
def test_every_notebook_page_passes_the_audit(lab, browser):
    failures = {}
    for path in NOTEBOOKS:  # one test, one JupyterLab: each notebook in turn
        page = browser.new_page()
        try:
            open_and_run_all(page, lab, path, "audit")
            counts, failing = audit(page)
            write_report(path.stem, counts)
            if failing:
                failures[path.stem] = failing
        finally:
            page.close()
            lab.shut_down_kernels()
    assert not failures, "serious or critical violations not in tests/accessibility_allowlist.py:\n" + "\n".join(
        f"{name}: {line}" for name, lines in failures.items() for line in lines
    )


@pytest.mark.browser
def test_the_app_passes_the_audit(browser, tmp_path):
    from test_app import PAGE_TIMEOUT
    from voila_app import start_app

    server = start_app(0, "voila-accessibility.log", tmp_path)
    page = browser.new_page()
    try:
        page.goto(server.url, wait_until="commit", timeout=PAGE_TIMEOUT * 1000)
        page.wait_for_function(
            "() => document.querySelectorAll('.nnf-panel').length >= 2", polling=250, timeout=PAGE_TIMEOUT * 1000
        )
        page.wait_for_function(
            "() => document.querySelector('.nnf-plot img[alt^=\"decision map\"]')", polling=250, timeout=60_000
        )
        counts, failing = audit(page)
        write_report("app", counts)
        # What a screen reader gets for the playground's map and the MLP panel's diagram.
        decision_map = re.compile(r"^decision map (before training|after \d+ epochs?)")
        assert page.get_by_role("img", name=decision_map).count() == 1
        assert page.get_by_role("img", name=re.compile(r"^network diagram: 784 inputs")).count() == 1
    finally:
        page.close()
        server.stop()
    assert not failing, "serious or critical violations not in tests/accessibility_allowlist.py:\n" + "\n".join(failing)


CURVES_NOTEBOOK = [
    "import ipywidgets, keras, numpy as np\n"
    "from IPython.display import display\n"
    "from helpers.figures.training_curves import LiveCurves\n"
    "x = np.random.default_rng(0).random((64, 4)).astype('float32')\n"
    "y = keras.utils.to_categorical(np.arange(64) % 2, 2)\n"
    "def fit(curves):\n"
    "    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2, activation='softmax')])\n"
    "    model.compile(loss='categorical_crossentropy', optimizer='sgd', metrics=['accuracy'])\n"
    "    model.fit(x, y, epochs=2, validation_split=0.25, verbose=0, callbacks=[curves])",
    "fit(LiveCurves('in a cell'))",
    "output = ipywidgets.Output()\ndisplay(output)\nfit(LiveCurves('in a panel', output=output))",
]


@pytest.mark.browser
def test_the_training_curves_show_with_their_text_alternative(lab, browser):
    """LiveCurves in a cell and inside an Output widget: a loaded <img> whose alt gives the last values."""
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in CURVES_NOTEBOOK])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, lab.root / "curves.ipynb")
    page = browser.new_page()
    try:
        from test_browser import run_all, wait_for_kernel, wait_until_idle

        page.goto(lab.notebook_url("curves.ipynb", "curves"))
        wait_for_kernel(page, lab, "curves.ipynb")
        run_all(page)
        wait_until_idle(page, RUN_ALL_TIMEOUT)
        for where, inside in (("in a cell", ".jp-OutputArea-output"), ("in a panel", ".widget-output")):
            image = page.locator(f"{inside} img[alt^='training curves, {where}: epoch 2 of 2; loss: training ']")
            image.first.wait_for(timeout=60_000)
            assert image.count() == 1, f"{where}: {image.count()} curves images"
            assert "accuracy: training" in image.get_attribute("alt")
            assert image.evaluate("(i) => i.complete && i.naturalWidth > 100"), f"{where}: the PNG did not load"
            assert page.get_by_role("img", name=re.compile(f"^training curves, {where}")).count() == 1
    finally:
        page.close()
        lab.shut_down_kernels()


# --- by keyboard only --------------------------------------------------------------------------

# Controls a keyboard user must reach in a panel: buttons, form fields and slider handles.
JS_CONTROLS = """(panel) => [...panel.querySelectorAll(
    'button, input, select, textarea, .noUi-handle, [tabindex]:not([tabindex="-1"])')]
    .filter(e => !e.disabled && e.offsetParent !== null && e.tabIndex >= 0)"""

# What the focused element is, and whether it shows it: its outline, box-shadow, border or background
# differ from what it shows without the focus (the element is blurred, looked at, and focused again).
JS_FOCUSED = (
    """(panel) => {
    const e = document.activeElement;
    const look = () => { const s = getComputedStyle(e);
        return [s.outlineStyle === 'none' ? 'none' : s.outlineStyle + s.outlineWidth + s.outlineColor,
                s.boxShadow, s.borderColor, s.backgroundColor]; };
    const focused = look();
    e.blur();
    const unfocused = look();
    e.focus();
    const changed = ['outline', 'box-shadow', 'border', 'background'].filter((_, i) => focused[i] !== unfocused[i]);
    const controls = (%s)(panel);
    return {inside: panel.contains(e), index: controls.indexOf(e), changed, visible: changed.length > 0,
            what: e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
                  + (e.textContent.trim() ? ' "' + e.textContent.trim().slice(0, 30) + '"' : '')};
}"""
    % JS_CONTROLS
)


def tab_through(page, panel):
    """Tab from just before the panel to just after it; return what got focus, in order.

    The walk starts from a focusable mark put just before the panel (JupyterLab keeps the focus on
    the notebook after Run All; a click in the output would select the cell instead).
    """
    page.evaluate(
        "(p) => { const b = document.createElement('span'); b.tabIndex = 0; b.id = 'nnf-before';"
        " p.parentElement.insertBefore(b, p); b.focus(); }",
        panel,
    )
    seen = []
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(JS_FOCUSED, panel)
        if not focused["inside"]:
            break
        seen.append(focused)
    return seen


@pytest.mark.browser
@pytest.mark.parametrize("stem, start, stop", [("02_activations", "Play", "Pause"), ("04_mlp", "Train", "Stop")])
def test_a_panel_works_by_keyboard_only(stem, start, stop, lab, browser):
    path = next(path for path in NOTEBOOKS if path.stem == stem)
    page = browser.new_page()
    try:
        open_and_run_all(page, lab, path, "keyboard")
        panel = next(
            handle
            for handle in page.locator(".nnf-panel").element_handles()
            if any(b.text_content().strip() == start for b in handle.query_selector_all("button"))
        )
        panel.scroll_into_view_if_needed()
        controls = page.evaluate(f"(panel) => ({JS_CONTROLS})(panel).length", panel)
        seen = tab_through(page, panel)
        reached = {entry["index"] for entry in seen}
        missed = page.evaluate(
            f"([panel, reached]) => ({JS_CONTROLS})(panel).filter((e, i) => !reached.includes(i))"
            ".map(e => e.outerHTML.slice(0, 120))",
            [panel, sorted(reached)],
        )
        assert not missed, f"{stem}: Tab did not reach {len(missed)} of {controls} controls: {missed}"
        hidden = [entry["what"] for entry in seen if not entry["visible"]]
        assert not hidden, f"{stem}: focus not visible (no outline, no box-shadow) on {hidden}"
        # Every slider's value is in a number box named for it: what a screen reader speaks.
        sliders = panel.query_selector_all(".nnf-named-slider")
        labels = [s.query_selector(".widget-label").text_content().strip() for s in sliders]
        assert labels and len(labels) == len(panel.query_selector_all(".widget-slider")), (
            f"{stem}: sliders without a named number box: {len(panel.query_selector_all('.widget-slider'))} "
            f"sliders, {labels}"
        )
        unnamed = [label for label in labels if page.get_by_role("spinbutton", name=label, exact=True).count() != 1]
        assert not unnamed, f"{stem}: number boxes a screen reader cannot name: {unnamed}"
        # A slider moved with the arrow keys; its number box follows.
        slider = sliders[0]
        number = page.get_by_role("spinbutton", name=labels[0], exact=True)
        before = number.input_value()
        slider.query_selector(".noUi-handle").focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("([n, b]) => n.value !== b", arg=[number.element_handle(), before], timeout=10_000)
        # A value typed into the number box moves the handle.
        number.fill(before)
        number.press("Enter")
        page.wait_for_function(
            "([h, v]) => Number(h.getAttribute('aria-valuenow')) === Number(v)",
            arg=[slider.query_selector(".noUi-handle"), before],
            timeout=10_000,
        )
        assert number.input_value() == before, f"{stem}: the box shows {number.input_value()!r} after {before!r}"
        # Start and stop a run with Space on the focused button.
        status_before = status_text(panel)
        focus_button(panel, start)
        page.keyboard.press("Space")
        page.wait_for_function(
            "([p, label]) => [...p.querySelectorAll('button')].some("
            "b => b.textContent.trim() === label && !b.disabled)",
            arg=[panel, stop],
            timeout=180_000,
        )
        page.wait_for_function(
            "([p, before]) => [...p.querySelectorAll('.widget-html')].map(e => e.textContent).join(' | ') !== before",
            arg=[panel, status_before],
            timeout=180_000,
        )
        focus_button(panel, stop)
        page.keyboard.press("Space")
        page.wait_for_function(
            "([p, label]) => [...p.querySelectorAll('button')].some("
            "b => b.textContent.trim() === label && !b.disabled)",
            arg=[panel, start],
            timeout=120_000,
        )
        after = status_text(panel)
        assert re.search(r"epoch\s*\d+|stopped|Stopped", after), f"{stem}: status after Stop: {after!r}"
        panel.screenshot(path=str(OUTPUT / f"keyboard-{stem}.png"))
    finally:
        page.close()
        lab.shut_down_kernels()


def status_text(panel):
    return " | ".join(e.text_content() for e in panel.query_selector_all(".widget-html"))


def focus_button(panel, label):
    button = next(b for b in panel.query_selector_all("button") if b.text_content().strip() == label)
    button.focus()
