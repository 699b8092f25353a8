"""The classroom app (apps/classroom.ipynb, served by Voilà with `make app`).

The app notebook is committed clean and runs headless; in a real browser (Voilà on a free
localhost port, headless Chromium driven by Playwright) its two panels show up without code,
the MNIST panel trains in the background (its curves change while it runs), Stop brings it back
to idle, the playground plays and pauses, and the page logs no JavaScript error. The screenshot
goes to build/browser/app.png. `make app`'s options (kernels prepared in advance, the page template)
reach Voilà: the browser tests start the app with the command `make -n app` prints. While a kernel
starts the page says so; with preheated kernels each visitor gets a working panel on a kernel of
their own.
"""

import json
import re
import time
from pathlib import Path

import nbformat
import pytest

from browser_lab import JS_PLOT_HASH, JS_RUNNING
from test_browser import wait_for
from voila_app import (
    JS_KERNEL_ID,
    JS_LOADING_TEXT,
    JS_MAP,
    JS_PANELS_OR_ERROR,
    OUTPUT,
    app_command,
    app_in_chromium,
    screenshot_whole_app,
    wait_for_frames,
    wait_for_panels,
)

ROOT = Path(__file__).resolve().parents[1]
APPS = sorted((ROOT / "apps").glob("*.ipynb"))
APP = ROOT / "apps" / "classroom.ipynb"
PAGE_TIMEOUT = 180  # seconds until both panels are on the page (kernel start, TensorFlow import)
FIRST_DRAW_TIMEOUT = 180  # seconds from Train to the first change of the curves
STOP_TIMEOUT = 60  # seconds from Stop to idle


@pytest.mark.parametrize("path", APPS, ids=[path.stem for path in APPS])
def test_app_notebooks_are_committed_clean(path):
    notebook = json.loads(path.read_text())
    assert set(notebook["metadata"]) <= {"kernelspec", "language_info"}, "stray notebook metadata"
    ids = [cell.get("id") for cell in notebook["cells"]]
    assert len(set(ids)) == len(ids), f"{path.name}: duplicate cell ids"
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, (
                f"{path.name}: cell {cell.get('id')} has outputs; clear them before committing"
            )
        assert set(cell["metadata"]) <= {"tags"}, f"{path.name}: stray cell metadata {cell['metadata']}"


def test_make_app_serves_the_app_on_localhost_with_a_token():
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^app:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe, "the Makefile has an app target"
    command = recipe.group(1)
    assert "voila" in command and "apps/classroom.ipynb" in makefile
    assert "--Voila.ip=127.0.0.1" in command and "--token" in command


def makefile_default_pool():
    return int(re.search(r"^POOL \?= (\d+)$", (ROOT / "Makefile").read_text(), re.M).group(1))


def test_make_app_pool_reaches_voila_as_preheated_kernels():
    _, argv = app_command(3, 8870, "t0ken")
    assert "--VoilaConfiguration.preheat_kernel=True" in argv
    assert "--VoilaConfiguration.default_pool_size=3" in argv
    assert "--port=8870" in argv and "--token=t0ken" in argv and "--Voila.ip=127.0.0.1" in argv
    _, argv = app_command(0, 8870, "t0ken")
    assert not [option for option in argv if "preheat" in option or "pool_size" in option], argv
    default = makefile_default_pool()
    _, argv = app_command(default, 8870, "t0ken")
    assert (f"--VoilaConfiguration.default_pool_size={default}" in argv) == (default > 0)


@pytest.mark.parametrize("pool", ["x", "-1", "2 3", ""])
def test_make_app_rejects_a_pool_that_is_not_a_number(pool):
    with pytest.raises(ValueError, match=re.escape(f"POOL={pool} is not a number of kernels")):
        app_command(pool, 8870, "t0ken")


def test_make_app_serves_the_page_with_the_classroom_template():
    env, argv = app_command(0, 8870, "t0ken")
    assert "--VoilaConfiguration.template=classroom" in argv
    template = Path(env["JUPYTER_PATH"].split(":")[0]) / "voila" / "templates" / "classroom"
    assert json.loads((template / "conf.json").read_text()) == {"base_template": "lab"}
    assert "Starting the Python kernel and loading TensorFlow" in (template / "spinner.macro.html.j2").read_text()


@pytest.mark.notebook
def test_app_runs_headless_and_shows_two_panels(tmp_path):
    """Executed top to bottom without a browser: no error, two panels displayed, nothing printed."""
    from nbclient import NotebookClient

    notebook = nbformat.read(APP, as_version=4)
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(APP.parent)}}
    ).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    widgets = [output for output in outputs if "application/vnd.jupyter.widget-view+json" in output.get("data", {})]
    assert len(widgets) == 2, f"expected the two panels, got {len(widgets)} widget outputs"
    printed = [output.text for output in outputs if output.output_type == "stream" and output.name == "stdout"]
    assert not printed, f"the app prints text beside its panels: {printed}"


# --- in a browser ------------------------------------------------------------------------------


@pytest.mark.browser
def test_app_trains_and_stops_in_the_browser(chromium, tmp_path):
    js_errors = []
    # POOL=0: a kernel starts when the page opens, and the page says so meanwhile.
    with app_in_chromium(chromium, 0, "voila.log", tmp_path) as (server, context):
        page = context.new_page()
        page.on("console", lambda message: js_errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: js_errors.append(f"uncaught: {error}"))
        try:
            started = time.monotonic()
            page.goto(server.url, wait_until="commit", timeout=PAGE_TIMEOUT * 1000)
            # While the kernel starts, the page says what is happening (apps/jupyter/voila/templates).
            loading = page.wait_for_function(
                f"() => ({JS_LOADING_TEXT})() || ({JS_PANELS_OR_ERROR})()", polling=50, timeout=PAGE_TIMEOUT * 1000
            ).json_value()
            assert "Starting the Python kernel and loading TensorFlow" in str(loading), (
                f"the page while the kernel starts: {page.inner_text('body')[:500]!r}"
            )
            wait_for_panels(page, server, PAGE_TIMEOUT)
            page_seconds = time.monotonic() - started
            text = page.inner_text("body")
            assert "import" not in text and "mlp_panel(" not in text, "the app shows code"
            playground, mlp = page.locator(".nnf-panel").element_handles()[:2]
            play_and_pause(page, playground)
            timings = train_and_stop(page, mlp)
            mlp.scroll_into_view_if_needed()
            wait_for_frames(page)  # the stopped panel is drawn: an error it raised is logged by now
            assert not js_errors, "JavaScript errors in the app:\n" + "\n".join(js_errors)
        finally:
            screenshot_whole_app(page, OUTPUT / "app.png")
    timings["page_to_panels_s"] = page_seconds
    (OUTPUT / "app-latencies.json").write_text(
        json.dumps({name: round(value, 2) for name, value in timings.items()}, indent=2) + "\n"
    )


@pytest.mark.browser
def test_preheated_kernels_give_each_visitor_a_working_panel_of_their_own(chromium, tmp_path):
    """Two visitors of `make app POOL=2`: each gets a preheated kernel of their own, and its widgets answer."""
    with app_in_chromium(chromium, 2, "voila-preheated.log", tmp_path) as (server, context):
        pages = [context.new_page(), context.new_page()]
        for page in pages:
            page.goto(server.url, wait_until="commit", timeout=PAGE_TIMEOUT * 1000)
        for page in pages:
            wait_for_panels(page, server, PAGE_TIMEOUT)
        kernels = [page.evaluate(JS_KERNEL_ID) for page in pages]
        assert kernels[0] != kernels[1], f"two visitors share kernel {kernels[0]}"
        used = re.findall(r"Using pre-heated kernel: (\S+)", server.log_path.read_text())
        assert sorted(used) == sorted(kernels), (
            f"the visitors' kernels {kernels} are not the preheated ones {used} (see {server.log_path})"
        )
        for page, other in (pages, pages[::-1]):
            other_map = other.evaluate(JS_MAP)
            step_redraws_the_map(page)
            assert other.evaluate(JS_MAP) == other_map, "a Step on one page redrew the other's map"


def step_redraws_the_map(page):
    """Press the playground's Step: its own kernel trains a step and the map is drawn again."""
    page.wait_for_function(f"() => ({JS_MAP})() !== ''", polling=100, timeout=FIRST_DRAW_TIMEOUT * 1000)
    before = page.evaluate(JS_MAP)
    button(page.locator(".nnf-panel").first.element_handle(), "Step").click()
    wait_for(page, f"(before) => ({JS_MAP})() !== before", before, FIRST_DRAW_TIMEOUT, "the map after Step")


def button(panel, label):
    for candidate in panel.query_selector_all("button"):
        if candidate.text_content().strip() == label and candidate.is_enabled():
            return candidate
    raise AssertionError(f"no enabled {label} button in the panel")


def changed_plot(before):
    return f"([panel, before]) => {{ const now = ({JS_PLOT_HASH})(panel); return now !== before && now !== 0; }}"


def set_epochs_to_maximum(page, panel):
    for slider in panel.query_selector_all(".nnf-named-slider"):  # a labelled number box and its slider
        label = slider.evaluate("e => (e.querySelector('.widget-label') || {}).textContent || ''")
        if "epoch" in label.lower():
            handle = slider.query_selector(".noUi-handle")
            handle.focus()
            page.keyboard.press("End")
            # noUiSlider's handle carries its value and bounds; the number box follows the value.
            wait_for(
                page,
                "(handle) => handle.getAttribute('aria-valuenow') === handle.getAttribute('aria-valuemax')",
                handle,
                10,
                "the epochs slider to reach its maximum",
            )
            number = slider.query_selector("input[type=number]")
            wait_for(
                page,
                "([n, h]) => Number(n.value) === Number(h.getAttribute('aria-valuenow'))",
                [number, handle],
                10,
                "the epochs box to follow the slider",
            )
            return number.input_value()
    raise AssertionError("the MNIST panel has no epochs slider")


def play_and_pause(page, panel):
    """The playground: Play redraws the decision map in the background, Pause stops it."""
    panel.scroll_into_view_if_needed()
    before = page.evaluate(JS_PLOT_HASH, panel)
    button(panel, "Play").click()
    wait_for(page, changed_plot(before), [panel, before], FIRST_DRAW_TIMEOUT, "the playground to redraw")
    button(panel, "Pause").click()
    wait_for(page, f"(panel) => !({JS_RUNNING})(panel)", panel, STOP_TIMEOUT, "the playground to pause")


def train_and_stop(page, panel):
    """The MNIST panel: Train, the curves appear and change, Stop, back to idle with the numbers."""
    panel.scroll_into_view_if_needed()
    set_epochs_to_maximum(page, panel)  # so the run is still going when Stop is pressed
    before = page.evaluate(JS_PLOT_HASH, panel)
    pressed = time.monotonic()
    button(panel, "Train").click()
    wait_for(page, changed_plot(before), [panel, before], FIRST_DRAW_TIMEOUT, "the curves after Train")
    first_draw = time.monotonic() - pressed
    drawn = page.evaluate(JS_PLOT_HASH, panel)  # one more epoch drawn: it is training in the background
    wait_for(page, changed_plot(drawn), [panel, drawn], FIRST_DRAW_TIMEOUT, "the curves to grow")
    assert page.evaluate(JS_RUNNING, panel), "the run ended before Stop could be pressed"
    pressed = time.monotonic()
    button(panel, "Stop").click()
    wait_for(page, f"(panel) => !({JS_RUNNING})(panel)", panel, STOP_TIMEOUT, "the panel to return to idle")
    stopped = time.monotonic() - pressed
    status = " ".join(e.text_content() for e in panel.query_selector_all(".widget-html"))
    assert "Stopped after" in status and "test acc" in status, f"status line after Stop: {status!r}"
    assert button(panel, "Train") is not None
    return {"train_to_first_draw_s": first_draw, "stop_to_idle_s": stopped}
