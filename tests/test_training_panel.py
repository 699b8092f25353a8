import pytest
import re
import threading
import time
import types

import keras
import numpy as np

from helpers.core import training
from helpers.figures import training_curves
from helpers.ui import controls, mnist_panels, runs, training_panel
from notebook_tools import ROOT

MLP_NOTEBOOK = ROOT / "notebooks" / "04_mlp.ipynb"


def test_sliders_act_on_release():
    assert controls.slider("x", 1, 0, 3).continuous_update is False
    assert controls.slider("x", 0.1, 0.0, 1.0, 0.1).continuous_update is False


def test_mlp_panel_trains_with_the_changed_controls(monkeypatch):
    redraws = []
    monkeypatch.setattr(
        training_curves.LiveCurves, "redraw", lambda self: redraws.append(self.lines["loss"].get_ydata().tolist())
    )
    panel = mnist_panels.mlp_panel(epochs=1, train_samples=1000, hidden_units=16)
    panel.controls["epochs"].value = 2
    panel.controls["hidden_layers"].value = 1
    panel.train_button.click()
    assert panel.last_error is None
    assert len(panel.results) == 1 and len(redraws) == 2  # two epochs, two redraws
    assert "test acc" in panel.status.value
    panel.controls["hidden_units"].value = 32
    panel.train_button.click()
    assert len(panel.results) == 2 and len(redraws) == 4
    assert redraws[1] != redraws[3]


def test_panel_shows_errors_instead_of_losing_them():
    def broken(settings, output, callbacks):
        raise ValueError("batch size must be at least 1")

    panel = training_panel.TrainingPanel({"batch_size": controls.slider("b", 1, 0, 5)}, broken)
    panel.train_button.click()
    assert isinstance(panel.last_error, ValueError)
    assert "batch size must be at least 1" in panel.status.value
    assert not panel.train_button.disabled


def test_an_error_is_shown_by_name_and_escaped():
    shown = controls.error_html(ValueError("need 0 < low <= high"))
    assert "Error: ValueError: need 0 &lt; low &lt;= high" in shown and controls.ERROR_COLOR in shown


def test_panel_prints_the_papermill_command():
    panel = mnist_panels.mlp_panel(notebook=str(MLP_NOTEBOOK), epochs=3)
    command = panel.command()
    assert command.startswith(f"papermill {MLP_NOTEBOOK} {str(MLP_NOTEBOOK)[:-6]}-out.ipynb")
    assert "-p EPOCHS 3" in command and "-r ACTIVATION relu" in command


# --- runs in the background: Stop, control changes, errors, no overlap ------------------------


def keras_run(settings, output, callbacks):
    """A tiny real training: many short epochs, curves drawn into the panel's plot."""
    rng = np.random.default_rng(0)
    x = rng.random((256, 8), dtype=np.float32)
    y = (x.sum(axis=1) > 4).astype("float32")
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(
        x,
        y,
        epochs=settings["epochs"],
        batch_size=8,
        verbose=0,
        callbacks=[*callbacks, training_curves.LiveCurves(output=output)],
    )
    return {"epochs": len(history.history["loss"])}


class SleepyRun:
    """A run of `steps` short sleeps that honours the stop callback and counts overlaps."""

    def __init__(self, steps=200, stop_delay=0.0):
        self.steps, self.stop_delay = steps, stop_delay
        self.started, self.active, self.most_active = [], 0, 0
        self.lock = threading.Lock()

    def __call__(self, settings, output, callbacks):
        stopper = next(c for c in callbacks if isinstance(c, training.StopOnEvent))
        with self.lock:
            self.started.append(settings["value"])
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        try:
            for step in range(self.steps):
                if stopper.requested:
                    time.sleep(self.stop_delay)  # like finishing the current batch
                    return {"value": settings["value"], "steps": step}
                time.sleep(0.01)
            return {"value": settings["value"], "steps": self.steps}
        finally:
            with self.lock:
                self.active -= 1


def wait_until(condition, timeout=30.0):
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


def test_outside_a_kernel_runs_are_synchronous():
    assert runs.triggered_by_frontend() is False
    run = SleepyRun(steps=3)
    panel = training_panel.TrainingPanel({"value": controls.slider("v", 1, 0, 5)}, run)
    assert panel.train() == {"value": 1, "steps": 3}
    assert not panel.running and not panel.train_button.disabled


def pretend_kernel_handles(monkeypatch, msg_type):
    """Make the kernel look as if it were handling a message of ``msg_type``."""
    import IPython

    kernel = types.SimpleNamespace(get_parent=lambda channel=None: {"header": {"msg_type": msg_type}})
    monkeypatch.setattr(IPython, "get_ipython", lambda: types.SimpleNamespace(kernel=kernel))


def test_a_click_in_the_browser_trains_in_the_background_code_trains_in_place(monkeypatch):
    run = SleepyRun(steps=20)
    panel = training_panel.TrainingPanel({"value": controls.slider("v", 1, 0, 5)}, run)
    pretend_kernel_handles(monkeypatch, "execute_request")  # a cell, papermill, nbval
    assert runs.triggered_by_frontend() is False
    assert panel.train() == {"value": 1, "steps": 20}
    pretend_kernel_handles(monkeypatch, "comm_msg")  # a widget event from a live page
    assert runs.triggered_by_frontend() is True
    panel.train_button.click()
    assert panel.running
    assert panel.wait(10) and panel.results[-1] == {"value": 1, "steps": 20}


def test_stop_ends_a_background_run_within_an_epoch_and_keeps_it():
    panel = training_panel.TrainingPanel({"epochs": controls.slider("epochs", 500, 1, 500)}, keras_run, background=True)
    assert panel.stop_button.description == "Stop" and panel.stop_button.disabled
    assert controls.PANEL_CLASS in panel.widget._dom_classes
    assert panel.train() is None  # returned at once: the run goes on in the background
    assert panel.running and panel.train_button.disabled and not panel.stop_button.disabled
    assert controls.RUNNING_CLASS in panel.widget._dom_classes
    wait_until(lambda: panel.epochs_done >= 2)
    assert "epoch" in panel.status.value
    panel.stop_button.click()
    at_stop = panel.epochs_done
    assert panel.wait(30)
    assert panel.epochs_done <= at_stop + 1
    assert panel.results == [{"epochs": panel.epochs_done}]  # the history up to Stop is kept
    assert "Stopped after" in panel.status.value
    assert panel.plot.outputs and "<img" in panel.plot.outputs[0]["data"]["text/html"]  # and so are the curves
    assert not panel.train_button.disabled and panel.stop_button.disabled
    assert controls.RUNNING_CLASS not in panel.widget._dom_classes


def test_changing_a_control_stops_the_run():
    run = SleepyRun()
    control = controls.slider("v", 0, 0, 5)
    panel = training_panel.TrainingPanel({"value": control}, run, background=True)
    panel.train()
    wait_until(lambda: run.started)
    control.value = 1
    assert panel.wait(10)
    assert run.started == [0] and panel.results[0]["steps"] < run.steps
    assert "a setting changed" in panel.status.value


def test_retrain_on_change_runs_only_the_latest_request_and_never_overlaps():
    run = SleepyRun(stop_delay=0.2)  # stopping takes a while: requests pile up meanwhile
    control = controls.slider("v", 0, 0, 5)
    panel = training_panel.TrainingPanel({"value": control}, run, retrain_on_change=True, background=True)
    panel.train()
    wait_until(lambda: run.started)
    for value in (1, 2, 3):
        control.value = value
    wait_until(lambda: len(run.started) == 2)
    panel.stop()
    assert panel.wait(10)
    assert run.started == [0, 3]  # 1 and 2 were replaced while the first run was stopping
    assert run.most_active == 1
    assert [result["value"] for result in panel.results] == [0, 3]


def test_a_run_started_by_code_waits_for_the_background_run():
    run = SleepyRun(stop_delay=0.1)
    panel = training_panel.TrainingPanel({"value": controls.slider("v", 0, 0, 5)}, run, background=True)
    panel.train()
    wait_until(lambda: run.started)
    panel.background = False
    panel.controls["value"].value = 4  # stops the background run
    assert panel.train() == {"value": 4, "steps": run.steps}
    assert run.most_active == 1 and not panel.running


def test_an_error_in_a_background_run_is_shown_in_the_panel():
    def broken(settings, output, callbacks):
        raise ValueError("learning_rate must be greater than 0, got -1")

    panel = training_panel.TrainingPanel({"learning_rate": controls.slider("lr", 1, 0, 5)}, broken, background=True)
    panel.train()
    assert panel.wait(10)
    assert isinstance(panel.last_error, ValueError)
    assert "learning_rate must be greater than 0" in panel.status.value
    assert not panel.train_button.disabled and panel.stop_button.disabled


def test_a_run_can_start_a_run_from_inside_the_queue():
    inner = training_panel.TrainingPanel({"value": controls.slider("v", 2, 0, 5)}, SleepyRun(steps=2), background=False)
    outer = training_panel.TrainingPanel(
        {"value": controls.slider("v", 1, 0, 5)}, lambda settings, output, callbacks: inner.train(), background=True
    )
    outer.train()
    assert outer.wait(10)
    assert outer.results == [{"value": 2, "steps": 2}]


def test_an_interrupt_returns_the_panel_to_idle_and_the_queue_keeps_working():
    """Kernel -> Interrupt during a code-run train(): the cell sees it, the panel does not hang."""

    def interrupted(settings, output, callbacks):
        raise KeyboardInterrupt

    panel = training_panel.TrainingPanel({"value": controls.slider("v", 1, 0, 5)}, interrupted)
    with pytest.raises(KeyboardInterrupt):
        panel.train()
    assert not panel.running and panel.wait(timeout=1)
    assert not panel.train_button.disabled and panel.stop_button.disabled
    assert "Interrupted" in panel.status.value
    after = training_panel.TrainingPanel(
        {"value": controls.slider("v", 1, 0, 5)}, lambda settings, output, callbacks: {"ok": 1}
    )
    assert after.train() == {"ok": 1}


def test_status_line_shows_the_kernels_memory_after_each_epoch_and_at_the_end():
    seen = []

    def run(settings, output, callbacks):
        epoch_end = callbacks[-1].on_epoch_end
        for epoch in range(2):
            epoch_end(epoch, {})
            seen.append(panel.status.value)
        return {"s/epoch": "1.30"}

    panel = training_panel.TrainingPanel({"epochs": controls.slider("epochs", 2, 1, 5)}, run)
    panel.train_button.click()
    shown = re.compile(r"memory \d+\.\d\d GB \(peak \d+\.\d\d GB\)")
    assert "epoch 2 of 2 done" in seen[-1] and shown.search(seen[-1]), seen
    assert "s/epoch: <b>1.30</b>" in panel.status.value and shown.search(panel.status.value), panel.status.value
