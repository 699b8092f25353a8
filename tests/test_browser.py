"""Every notebook in a real browser: JupyterLab + headless Chromium driven by Playwright.

For each notebook under notebooks/ (a copy, prepared with its CI parameters):
Run All, wait until the kernel is idle, then check that every code cell ran, no
cell has an error output and the page logged no JavaScript error. Then every
panel (any widget carrying the CSS class ``nnf-panel``) is used like a learner
would: move a slider (or pick a dropdown value), press Train (or Play), wait
for the plot to change, press Stop (or Pause) and check that it stops.

Results go to build/browser/: a screenshot per notebook and per panel, the
JupyterLab log, and latencies/<notebook>.json with, per panel, the seconds from pressing
Train to the first change of its plot and from pressing Stop to the end of the
run. Without Chromium the tests skip (in CI, where CI=true, they fail).
"""

import json
import os
import re
import time

import nbformat
import pytest

from browser_lab import JS_NOTEBOOK_STATE, JS_PLOT_HASH, JS_RUNNING, LATENCIES_DIR, JupyterLab
from notebook_tools import NOTEBOOKS, prepare
from waiting import stays, wait_until

pytestmark = pytest.mark.browser

OUTPUT = LATENCIES_DIR.parent
RUN_ALL_TIMEOUT = 600  # seconds for one notebook's Run All with CI parameters
FIRST_DRAW_TIMEOUT = 180  # seconds from Train to the first redraw (includes building the model)
STOP_TIMEOUT = 60  # seconds from Stop to the end of the run
REDRAW_TIMEOUT = 60  # seconds from a changed control to the redraw of a panel that recomputes on change
START_BUTTONS = ("Train", "Play")


@pytest.fixture(scope="module")
def lab(chromium, tmp_path_factory):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    work = tmp_path_factory.mktemp("browser")
    (work / "notebooks").mkdir()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # one JupyterLab per pytest-xdist worker
    server = JupyterLab(work / "notebooks", work, OUTPUT / f"jupyterlab{worker and '-' + worker}.log")
    yield server
    server.stop()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_runs_and_its_panels_respond(path, lab, browser):
    copy = prepare(path, lab.root / path.name, with_expected=False)
    page = browser.new_page()
    js_errors = []
    page.on("console", lambda message: js_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: js_errors.append(f"uncaught: {error}"))
    try:
        page.goto(lab.notebook_url(copy.name, path.stem))
        wait_for_kernel(page, lab, copy.name)
        started = time.monotonic()
        run_all(page)
        prompts = wait_until_idle(page, RUN_ALL_TIMEOUT)
        run_all_seconds = time.monotonic() - started
        errors = saved_error_outputs(page, copy)
        assert not errors, f"{path.name}: error outputs after Run All:\n" + "\n\n".join(errors)
        not_run = [prompt for prompt in prompts if not re.fullmatch(r"\[\d+\]:", prompt)]
        assert not not_run, f"{path.name}: cells did not run: {not_run}"
        panels = [
            exercise_panel(page, handle, f"{path.stem}-panel{index}")
            for index, handle in enumerate(page.locator(".nnf-panel").element_handles())
        ]
        LATENCIES_DIR.mkdir(parents=True, exist_ok=True)
        (LATENCIES_DIR / f"{path.stem}.json").write_text(
            json.dumps({"run_all_seconds": round(run_all_seconds, 1), "panels": panels}, indent=2) + "\n"
        )
        assert not js_errors, f"{path.name}: JavaScript errors in the page:\n" + "\n".join(js_errors)
    finally:
        page.screenshot(path=str(OUTPUT / f"{path.stem}.png"), full_page=True)
        page.close()
        lab.shut_down_kernels()


# --- what a learner does ---------------------------------------------------------------------


def wait_for_kernel(page, lab, name, timeout=120):
    """Wait until the notebook's kernel has started and the page shows it idle."""

    def kernel_idle():
        kernels = [session["kernel"] for session in lab.api("/api/sessions") if session["path"].endswith(name)]
        return bool(
            kernels
            and kernels[0]["execution_state"] == "idle"
            and page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").count()
        )

    wait_until(kernel_idle, timeout, f"{name}: its kernel to start and the page to show it idle", interval=0.25)


def run_all(page, timeout=30):
    """Run > Run All Cells, then wait until the first cell has been sent to the kernel."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
    wait_for(
        page,
        f"() => ({JS_NOTEBOOK_STATE})().prompts[0] !== '[ ]:'",
        None,
        timeout,
        what="Run All to start the first cell",
    )


def wait_until_idle(page, timeout):
    """Wait until the kernel is idle and no cell waits to run; return the input prompts."""
    calm = 0

    def idle_three_polls_in_a_row():  # between two cells the kernel is idle for a moment
        nonlocal calm
        state = page.evaluate(JS_NOTEBOOK_STATE)
        busy = state["status"] != "idle" or any("*" in prompt for prompt in state["prompts"])
        calm = 0 if busy else calm + 1
        return state["prompts"] if calm >= 3 else None

    return wait_until(idle_three_polls_in_a_row, timeout, "the notebook to finish running", interval=0.5)


def saved_error_outputs(page, copy):
    """Save the notebook from the browser and return the text of its error outputs."""
    before = copy.stat().st_mtime_ns
    page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    wait_until(lambda: copy.stat().st_mtime_ns != before, 30, f"{copy.name} to be saved", interval=0.2)

    def read_when_whole():  # the server may still be writing it
        try:
            return nbformat.read(copy, as_version=4)
        except (ValueError, OSError):
            return None

    notebook = wait_until(read_when_whole, 30, f"{copy.name} to be readable once saved", interval=0.2)
    return [
        f"{output.ename}: {output.evalue}"
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]


def exercise_panel(page, panel, name):
    """Move a control, Train, see the plot change, Stop, see it stop; return the timings."""
    panel.scroll_into_view_if_needed()
    unchanged = page.evaluate(JS_PLOT_HASH, panel)
    result = {"panel": name, "control": change_a_control(page, panel, unchanged)}
    if is_running(page, panel):  # the panel retrains on change: stop that run first
        click(panel, ("Stop", "Pause"))
        wait_for(page, f"(panel) => !({JS_RUNNING})(panel)", panel, STOP_TIMEOUT)
    before = wait_until_plot_settles(page, panel)
    start = button(panel, START_BUTTONS)
    if start is None:  # a panel that recomputes on change: the control must have redrawn it
        if not result["control"]["redrawn"]:  # not within a second: a busy machine gets REDRAW_TIMEOUT
            result["control"]["redrawn"] = redraws_within(page, panel, unchanged, REDRAW_TIMEOUT)
        result["redrawn_on_change"] = result["control"]["redrawn"]
        assert result["redrawn_on_change"], f"{name}: changing {result['control']} redrew nothing"
        panel.screenshot(path=str(OUTPUT / f"{name}.png"))
        return result
    pressed = time.monotonic()
    start.click()
    # A new image, not just the old one removed (0: the panel shows no image).
    wait_for(
        page,
        f"([panel, before]) => {{ const now = ({JS_PLOT_HASH})(panel); return now !== before && now !== 0; }}",
        [panel, before],
        FIRST_DRAW_TIMEOUT,
        what=f"{name}: the plot to change after pressing Train",
    )
    result["train_to_first_draw_s"] = round(time.monotonic() - pressed, 2)
    if start.text_content().strip() in ("Play", "Pause") and is_running(page, panel):
        result.update(measure_playing(page, panel))
    # Let the curves grow by one more epoch when the run is still going.
    drawn = page.evaluate(JS_PLOT_HASH, panel)
    try:
        wait_for(
            page, f"([panel, drawn]) => ({JS_PLOT_HASH})(panel) !== drawn || !({JS_RUNNING})(panel)", [panel, drawn], 60
        )
    except AssertionError:
        pass
    if is_running(page, panel):
        stop = button(panel, ("Stop", "Pause"))
        stop_label = stop.text_content().strip()
        pressed = time.monotonic()
        stop.click()
        last_draw, stopped = watch_until_stopped(
            page, panel, STOP_TIMEOUT, f"{name}: the run to end after pressing {stop_label}"
        )
        result["stop_to_stopped_s"] = round(stopped - pressed, 2)
        result["stop_to_last_draw_s"] = None if last_draw is None else round(last_draw - pressed, 2)
        # A frame the kernel sent before it stopped may reach a busy page a little later; after
        # that, nothing may change.
        stopped = wait_until_plot_settles(page, panel, quiet=1.0, timeout=10)
        stays(
            lambda: page.evaluate(JS_PLOT_HASH, panel) == stopped,
            1.5,
            f"{name}: the plot unchanged after Stop",
            interval=0.1,
        )
        assert not is_running(page, panel), f"{name}: running again after Stop"
    else:
        result["stop_to_stopped_s"] = None  # the run ended before Stop could be pressed
    result["status"] = status_text(panel)
    panel.screenshot(path=str(OUTPUT / f"{name}.png"))
    return result


# Counts how often the panel's plot changes on screen in `ms` milliseconds (polled every 10 ms).
JS_COUNT_REDRAWS = f"""async ([panel, ms]) => {{
    const hash = {JS_PLOT_HASH};
    let last = hash(panel), changes = 0;
    const end = performance.now() + ms;
    while (performance.now() < end) {{
        await new Promise(resolve => setTimeout(resolve, 10));
        const now = hash(panel);
        if (now !== last) {{ changes += 1; last = now; }}
    }}
    return changes;
}}"""


def measure_playing(page, panel, seconds=5.0):
    """While a Play runs: redraws per second that reach the page, and a changed control to screen.

    Recorded in latencies.json and reported, never asserted: wall-clock figures depend on the machine.
    """
    figures = {"redraws_per_second": round(page.evaluate(JS_COUNT_REDRAWS, [panel, seconds * 1000]) / seconds, 1)}
    select = panel.query_selector(".widget-dropdown select")
    if select is not None:
        before = page.evaluate(JS_PLOT_HASH, panel)
        options = [option.get_attribute("value") for option in select.query_selector_all("option")]
        changed = time.monotonic()
        select.select_option(next(option for option in options if option != select.evaluate("s => s.value")))
        figures["change_to_screen_s"] = (
            round(time.monotonic() - changed, 2) if redraws_within(page, panel, before, 30) else None
        )
    return figures


def redraws_within(page, panel, unchanged, timeout):
    """Whether the panel's plot differs from the hash ``unchanged`` within ``timeout`` seconds."""
    try:
        wait_for(page, f"([panel, before]) => ({JS_PLOT_HASH})(panel) !== before", [panel, unchanged], timeout)
    except AssertionError:
        return False
    return True


def change_a_control(page, panel, before):
    """Move a slider (the epochs slider to its maximum, so the run lasts) or pick another value.

    ``before`` is the plot's hash before the change; the result says whether it was redrawn within a second.
    """
    # The panels' sliders (helpers.ui.controls.NamedSlider): a labelled number box, then the slider.
    sliders = [s for s in panel.query_selector_all(".nnf-named-slider") if s.query_selector(".noUi-handle")]
    sliders.sort(key=lambda s: "epoch" not in label_of(s).lower())
    if sliders:
        slider = sliders[0]
        number = slider.query_selector("input[type=number]")
        old = number.input_value()
        handle = slider.query_selector(".noUi-handle")
        handle.focus()
        label = label_of(slider).lower()
        # noUiSlider's handle carries its value and bounds (as text with one decimal).
        at_maximum = float(handle.get_attribute("aria-valuenow")) >= float(handle.get_attribute("aria-valuemax"))
        # Epochs to their maximum so a run lasts; a player's epochs per step only one notch, so
        # Play is measured near its default settings.
        if at_maximum:
            page.keyboard.press("ArrowLeft")
        else:
            page.keyboard.press("End" if "epoch" in label and "per step" not in label else "ArrowRight")
        wait_for(
            page,
            "([number, old]) => number.value !== old",
            [number, old],
            10,
            what=f"the number box of {label!r} to leave {old}",
        )
        changed = {"slider": label_of(slider), "from": old, "to": number.input_value()}
    elif panel.query_selector(".widget-dropdown select") is not None:
        select = panel.query_selector(".widget-dropdown select")
        options = [o.get_attribute("value") for o in select.query_selector_all("option")]
        old = select.evaluate("s => s.value")
        new = next(option for option in options if option != old)
        select.select_option(new)
        changed = {"dropdown": label_of(select), "from": old, "to": new}
    else:  # only buttons (Play, Step, Reset)
        return {"none": "no slider or dropdown", "from": "", "to": "", "redrawn": False}
    try:
        wait_for(
            page,
            f"([panel, before]) => ({JS_PLOT_HASH})(panel) !== before || ({JS_RUNNING})(panel)",
            [panel, before],
            1.0,
        )
        changed["redrawn"] = True
    except AssertionError:
        changed["redrawn"] = False
    return changed


# --- small helpers ---------------------------------------------------------------------------


def label_of(element):
    """The description of a control: its own label, or the label of the named slider or box around it."""
    return element.evaluate(
        "e => { const box = e.matches('.nnf-named-slider') ? e : (e.closest('.widget-inline-hbox') || e.parentElement);"
        " const label = box && box.querySelector('.widget-label'); return label ? label.textContent : ''; }"
    )


def button(panel, labels):
    for candidate in panel.query_selector_all("button"):
        if candidate.text_content().strip() in labels and candidate.is_enabled():
            return candidate
    return None


def click(panel, labels):
    found = button(panel, labels)
    assert found is not None, f"no enabled {' or '.join(labels)} button"
    found.click()


def is_running(page, panel):
    return page.evaluate(JS_RUNNING, panel)


def status_text(panel):
    texts = [e.text_content().strip() for e in panel.query_selector_all(".widget-html")]
    return " | ".join(text for text in texts if text)


def wait_for(page, predicate, arg, timeout, what=None):
    try:
        page.wait_for_function(predicate, arg=arg, polling=50, timeout=timeout * 1000)
    except Exception as error:
        if "Timeout" not in type(error).__name__ and "Timeout" not in str(error):
            raise
        raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}") from None


def watch_until_stopped(page, panel, timeout, what):
    """Poll until the panel stops running; return (time of its last redraw or None, time stopped)."""
    last_hash, last_draw = page.evaluate(JS_PLOT_HASH, panel), None

    def stopped():
        nonlocal last_hash, last_draw
        plot_hash, running = page.evaluate(f"(panel) => [({JS_PLOT_HASH})(panel), ({JS_RUNNING})(panel)]", panel)
        now = time.monotonic()
        if plot_hash != last_hash:
            last_hash, last_draw = plot_hash, now
        return None if running else now

    stopped_at = wait_until(stopped, timeout, what, interval=0.05)
    return last_draw, stopped_at


def wait_until_plot_settles(page, panel, quiet=1.0, timeout=60):
    """The plot's hash once it has not changed for ``quiet`` seconds (the last one seen after ``timeout``)."""
    last, since = page.evaluate(JS_PLOT_HASH, panel), time.monotonic()

    def quiet_for_a_while():
        nonlocal last, since
        now = page.evaluate(JS_PLOT_HASH, panel)
        if now != last:
            last, since = now, time.monotonic()
            return False
        return time.monotonic() - since >= quiet

    try:
        wait_until(quiet_for_a_while, timeout, f"the plot to stay unchanged for {quiet} s", interval=0.2)
    except AssertionError:
        pass  # still changing: the callers check what they need from the last hash
    return last


# --- exercises that answer back ---------------------------------------------------------------

#: One exercise of each kind, typed into its answer cell: a wrong answer, then a right one, and the words
#: each check's feedback must show on the page. The cells listed first are run to set the exercise up.
EXERCISES_TYPED = {
    "number": (
        "00_start_here",
        "00.1",
        ("import ", "pins_file", "data.load_mnist()"),
        "answer_00_1 = 7",
        "is a 3, not a 7",
        "answer_00_1 = int(np.flatnonzero(y_train == 7)[0])",
        "is the first 7",
    ),
    "code": (
        "05_dropout",
        "05.1",
        ("import ",),
        "def inverted_dropout(h, rate, rng):\n    return h * (rng.random(h.shape) >= rate) * rate",
        "multiplied by rate",
        "def inverted_dropout(h, rate, rng):\n    return h * (rng.random(h.shape) >= rate) / (1 - rate)",
        "the others scaled by 1.4286",
    ),
}


def cell(page, index):
    return page.locator(".jp-Notebook .jp-Cell").nth(index)


def run_cell(page, index, source=None):
    """Click into a cell (replacing its text if given), run it with Shift+Enter, wait until idle."""
    editor = cell(page, index).locator(".cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    if source is not None:
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(source)  # no auto-indent or closing brackets, as if pasted
    prompt = cell(page, index).locator(".jp-InputPrompt")
    before = prompt.inner_text().strip()
    page.keyboard.press("Shift+Enter")
    # Its prompt changes when the kernel takes it ([*]:) and again when done ([n]:).
    wait_until(
        lambda: prompt.inner_text().strip() != before, 30, f"cell {index} to be sent to the kernel", interval=0.05
    )
    wait_until_idle(page, 120)


def output_text(page, index):
    return cell(page, index).locator(".jp-OutputArea").inner_text()


def open_copy(page, lab, stem):
    path = next(path for path in NOTEBOOKS if path.stem == stem)
    copy = prepare(path, lab.root / f"exercises-{path.name}", with_expected=False)
    page.goto(lab.notebook_url(copy.name, f"exercises-{stem}"))
    wait_for_kernel(page, lab, copy.name)
    return nbformat.read(copy, as_version=4).cells


@pytest.mark.parametrize("kind", sorted(EXERCISES_TYPED))
def test_an_exercise_typed_in_answers_back_on_the_page(kind, lab, browser):
    from helpers.exercises import notebooks

    stem, exercise_id, set_up, wrong, wrong_words, right, right_words = EXERCISES_TYPED[kind]
    page = browser.new_page()
    try:
        cells = open_copy(page, lab, stem)
        answer = notebooks.answer_cells({"cells": cells})[exercise_id]
        for index, source in enumerate(cells[:answer]):
            if source.cell_type == "code" and any(word in source.source for word in set_up):
                run_cell(page, index)
        run_cell(page, answer)  # the blank, as the notebook has it
        run_cell(page, answer + 1)
        assert "Not done yet" in output_text(page, answer + 1)
        for typed, words, heading in ((wrong, wrong_words, "Not yet"), (right, right_words, "Correct")):
            run_cell(page, answer, typed)
            run_cell(page, answer + 1)
            shown = output_text(page, answer + 1)
            assert heading in shown and words in shown, f"{kind}: after typing {typed!r} the page shows {shown!r}"
        page.screenshot(path=str(OUTPUT / f"exercise-{kind}.png"), full_page=False)
    finally:
        page.close()
        lab.shut_down_kernels()


def test_a_question_with_choices_answers_by_mouse_and_keyboard(lab, browser):
    from helpers.exercises import notebooks

    page = browser.new_page()
    try:
        cells = open_copy(page, lab, "00_start_here")
        answer = notebooks.answer_cells({"cells": cells})["00.3"]
        run_cell(
            page, next(index for index, source in enumerate(cells) if "from helpers import exercises" in source.source)
        )
        run_cell(page, answer)  # the blank
        run_cell(page, answer + 1)  # its check: the feedback, then the choices as buttons
        question = cell(page, answer + 1).locator(".nnf-choice")
        question.wait_for(timeout=30_000)
        assert "Not done yet" in question.inner_text()
        feedback = question.locator(".nnf-choice-answer")
        # By mouse: a wrong choice.
        question.get_by_role("button", name="(c) only when the notebook is run again").click()
        wait_for(page, "(element) => element.innerText.includes('Not yet')", feedback.element_handle(), 30)
        assert "the panels act on their own" in feedback.inner_text()
        assert 'answer_00_3 = "c"' in feedback.inner_text()
        # By keyboard: from (c), Shift+Tab goes back to (b), and Space presses it.
        question.get_by_role("button", name="(c) only when").focus()
        page.keyboard.press("Shift+Tab")
        focused = page.evaluate("() => document.activeElement.textContent.trim()")
        assert focused.startswith("(b) when the slider is released"), f"Shift+Tab from (c) went to {focused!r}"
        page.keyboard.press("Space")
        wait_for(page, "(element) => element.innerText.includes('Correct')", feedback.element_handle(), 30)
        assert "a slider reports its value when you let go" in feedback.inner_text()
        page.screenshot(path=str(OUTPUT / "exercise-choice.png"), full_page=False)
    finally:
        page.close()
        lab.shut_down_kernels()


def test_the_widget_probe_in_00_shows_a_slider_that_the_kernel_answers(lab, browser):
    page = browser.new_page()
    try:
        cells = open_copy(page, lab, "00_start_here")
        probe_cell = next(index for index, source in enumerate(cells) if "nnf-widget-probe" in source.source)
        run_cell(page, probe_cell)
        probe = cell(page, probe_cell).locator(".nnf-widget-probe")
        probe.wait_for(timeout=30_000)
        readout, answer = probe.locator(".widget-readout"), probe.locator(".widget-html")
        assert readout.inner_text().strip() == "3" and "follows it" in answer.inner_text()
        probe.locator(".noUi-handle").focus()
        page.keyboard.press("ArrowRight")
        wait_for(
            page,
            "(element) => element.innerText.includes('The kernel got 4')",
            answer.element_handle(),
            30,
            what="the probe's text to follow the slider",
        )
        assert readout.inner_text().strip() == "4"
        page.screenshot(path=str(OUTPUT / "widget-probe.png"), full_page=False)
    finally:
        page.close()
        lab.shut_down_kernels()
