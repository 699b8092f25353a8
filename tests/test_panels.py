import pytest

from helpers.core import checks, parameters
from helpers.figures import training_curves
from helpers.ui import controls
from helpers.ui import mnist_panels as panels
from notebook_tools import ROOT

MLP_NOTEBOOK = ROOT / "notebooks" / "04_mlp.ipynb"
REGULARIZATION_NOTEBOOK = ROOT / "notebooks" / "07_regularization.ipynb"


@pytest.fixture
def no_drawing(monkeypatch):
    """Count redraws instead of rendering PNGs."""
    redraws = []
    monkeypatch.setattr(training_curves.LiveCurves, "redraw", lambda self: redraws.append(1))
    return redraws


@pytest.fixture
def seen_settings(monkeypatch):
    """Record the settings every panel run trains with (the runs still happen)."""
    seen = []
    original = panels.train_and_report
    monkeypatch.setattr(
        panels,
        "train_and_report",
        lambda settings, output, callbacks: seen.append(settings) or original(settings, output, callbacks),
    )
    return seen


def test_log_slider_acts_on_release_and_spans_decades():
    slider = controls.log_slider("learning rate", 0.001, 1e-5, 1.0)
    assert slider.continuous_update is False
    assert (slider.min, slider.max, slider.base) == (-5, 0, 10)
    assert slider.value == pytest.approx(0.001)
    with pytest.raises(ValueError, match="low <= value <= high"):
        controls.log_slider("learning rate", 2.0, 1e-5, 1.0)


def test_a_slider_has_a_number_box_named_for_a_screen_reader():
    slider = controls.slider("hidden layers", 2, 0, 3)
    seen = []
    slider.observe(lambda change: seen.append(change["new"]), names="value")
    assert slider.number.description == slider.description == "hidden layers"
    assert slider.slider.readout is False and slider.slider.description == ""
    slider.slider.value = 3  # the handle moved
    assert (slider.value, slider.number.value) == (3, 3)
    slider.number.value = 1  # a value typed into the box
    assert (slider.value, slider.slider.value) == (1, 1)
    slider.value = 0  # set by code (a test, a reset)
    assert (slider.slider.value, slider.number.value) == (0, 0)
    assert seen == [3, 1, 0]  # each change reported once
    slider.max = 10
    assert slider.slider.max == slider.number.max == 10


def test_a_float_slider_shows_its_value_rounded_and_reports_it_once():
    dropout = controls.slider("dropout rate", 0.3, 0.0, 0.8, 0.05)
    dropout.slider.value = 0.1 + 0.2
    assert dropout.number.value == 0.3
    rate = controls.log_slider("learning rate", 0.001, 1e-5, 1.0)
    seen = []
    rate.observe(lambda change: seen.append(change["new"]), names="value")
    rate.slider.value = 10**-2.5
    assert rate.number.value == 0.00316 and (rate.number.min, rate.number.max) == (1e-5, 1.0)
    rate.number.value = 0.02
    assert rate.slider.value == 0.02
    assert seen == [10**-2.5, 0.02]  # the box's rounded echo of the handle is no second change


def test_rounded_rounds_floats_only():
    assert panels.rounded({"learning_rate": 0.0010000000000000002, "epochs": 3, "optimizer": "adam"}) == {
        "learning_rate": 0.001,
        "epochs": 3,
        "optimizer": "adam",
    }


def test_dropout_panel_trains_v3_with_the_chosen_rate(no_drawing, seen_settings):
    panel = panels.dropout_panel(epochs=2, train_samples=1000, hidden_units=16)
    panel.controls["dropout"].value = 0.5  # released: retrains at once (here, in this thread)
    assert panel.last_error is None, panel.last_error
    assert len(panel.results) == 1
    assert set(panel.results[0]) >= {"train acc", "val acc", "test acc", "s/epoch"}
    assert seen_settings[-1].dropout == 0.5 and seen_settings[-1].optimizer == "sgd"
    assert seen_settings[-1].hidden_layers == 2 and seen_settings[-1].hidden_units == 16
    assert len(no_drawing) == 2  # one redraw per epoch


def test_optimizer_panel_passes_a_rounded_learning_rate(no_drawing, seen_settings):
    panel = panels.optimizer_panel(epochs=1, train_samples=1000, hidden_units=8)
    panel.controls["optimizer"].value = "rmsprop"
    panel.controls["learning_rate"].value = 10**-2.5
    assert seen_settings[-1].optimizer == "rmsprop" and seen_settings[-1].learning_rate == 0.00316
    assert seen_settings[-1].dropout == 0.3  # the book's V3 network


def test_panel_errors_name_the_setting(no_drawing):
    panel = panels.dropout_panel(epochs=1, train_samples=1000, hidden_layers=9)
    panel.train()
    assert isinstance(panel.last_error, checks.ParameterError)
    assert "hidden_layers must be a whole number in [0, 6]; got 9" in panel.status.value
    assert not panel.train_button.disabled and not panel.running


def test_commands_run_the_mlp_notebook_with_every_setting():
    known = set(parameters.read_defaults(MLP_NOTEBOOK))
    fixed = {"SIMPLE_EPOCHS": 0}
    for panel in (
        panels.dropout_panel(dropout=0.25, epochs=7, notebook=str(MLP_NOTEBOOK), fixed_parameters=fixed),
        panels.optimizer_panel("sgd", 0.01, notebook=str(MLP_NOTEBOOK), fixed_parameters=fixed),
    ):
        command = panel.command()
        assert command.startswith(f"papermill {MLP_NOTEBOOK} ")
        named = set(command.split()[4::3])
        assert named <= known, named - known
        assert "-p SIMPLE_EPOCHS 0" in command  # no 200-epoch warm-up in the batch run
    dropout_command = panels.dropout_panel(dropout=0.25, epochs=7, notebook=str(MLP_NOTEBOOK)).command()
    assert "-p DROPOUT 0.25" in dropout_command and "-p EPOCHS 7" in dropout_command
    assert (
        "-r OPTIMIZER sgd -p LEARNING_RATE 0.01"
        in panels.optimizer_panel("sgd", 0.01, notebook=str(MLP_NOTEBOOK)).command()
    )


def test_a_setting_the_notebook_lacks_is_refused_unless_default():
    panel = panels.mlp_panel(notebook=str(MLP_NOTEBOOK), l2=0.0)
    assert "L2" not in panel.command()
    with pytest.raises(ValueError, match="has no parameter for l2=0.01"):
        panels.mlp_panel(notebook=str(MLP_NOTEBOOK), l2=0.01).command()
    panels.mlp_panel(notebook=str(MLP_NOTEBOOK), l2=0.01).command_button.click()  # shown, not raised


def test_a_value_the_notebook_refuses_gives_no_command():
    """The notebook's own rule decides its command: 05 takes a dropout rate in (0, 1), the panel's slider 0."""
    panel = panels.dropout_panel(dropout=0.0, notebook=str(ROOT / "notebooks" / "05_dropout.ipynb"))
    with pytest.raises(checks.ParameterError, match=r"05_dropout.ipynb would refuse this run: DROPOUT .* \(0, 1\)"):
        panel.command()
    panel.command_button.click()
    assert (
        "No batch command: 05_dropout.ipynb would refuse this run: DROPOUT" in panel.command_output.outputs[0]["text"]
    )
    assert "-p DROPOUT 0.3" in panels.dropout_panel(notebook=panel.notebook).command()


def test_a_panel_without_a_notebook_says_so():
    with pytest.raises(ValueError, match="not told which notebook"):
        panels.mlp_panel().command()


def test_regularization_panel_retrains_when_the_penalty_changes(no_drawing):
    panel = panels.regularization_panel(
        kind="none",
        epochs=3,
        train_samples=1000,
        hidden_units=16,
        validation_split=0.5,
        optimizer="adam",
        learning_rate=0.01,
        batch_size=32,
    )
    assert panel.retrain_on_change
    panel.controls["strength"].value = 1e-2
    panel.controls["kind"].value = "L1"  # retrains by itself, in this thread (no browser)
    assert panel.last_error is None, panel.last_error
    l1_numbers = panel.results[-1]
    assert len(panel.results) == 2 and set(l1_numbers) >= {"weights |w|<0.001", "val cross-entropy", "test acc"}
    (histogram,) = panel.plot.outputs  # with its title as its text alternative
    assert histogram["data"]["text/plain"].startswith("L1, λ=0.01")
    assert 'alt="L1, λ=0.01' in histogram["data"]["text/html"]
    # a strong L1 penalty pushes far more weights to zero than none (the first run)
    share = lambda numbers: float(numbers["weights |w|<0.001"].rstrip("%"))  # noqa: E731
    assert share(l1_numbers) > share(panel.results[0]) + 20


def test_regularization_panel_command_sets_the_penalty_factors():
    panel = panels.regularization_panel(
        kind="elastic net",
        strength=1e-3,
        l1_ratio=0.3,
        epochs=4,
        train_samples=2000,
        hidden_units=512,
        notebook=str(REGULARIZATION_NOTEBOOK),
    )
    command = panel.command()
    assert command.startswith(f"papermill {REGULARIZATION_NOTEBOOK}")
    assert "-p L1 0.0003" in command and "-p L2 0.0007" in command
    assert "-p HIDDEN_UNITS 512" in command and "-p EPOCHS 4" in command
    known = set(parameters.read_defaults(REGULARIZATION_NOTEBOOK))
    assert set(command.split()[4::3]) <= known, "every -p names a parameter of the notebook"


def test_the_mlp_panel_draws_the_network_it_will_train():
    panel = panels.mlp_panel(hidden_layers=1, hidden_units=64)
    first = panel.diagram.png
    assert first.startswith(b"\x89PNG") and panel.diagram in panel.widget.children
    panel.controls["hidden_layers"].value = 3
    assert panel.diagram.png != first
