import nbformat
import pytest

from helpers.figures import plotting
from helpers.ui import controls
from helpers.ui import mnist_panels as panels
from notebook_tools import ROOT, parameter_values


@pytest.fixture
def no_drawing(monkeypatch):
    """Count redraws instead of rendering PNGs."""
    redraws = []
    monkeypatch.setattr(plotting.LiveCurves, "redraw", lambda self: redraws.append(1))
    return redraws


def test_log_slider_acts_on_release_and_spans_decades():
    slider = controls.log_slider("learning rate", 0.001, 1e-5, 1.0)
    assert slider.continuous_update is False
    assert (slider.min, slider.max, slider.base) == (-5, 0, 10)
    assert slider.value == pytest.approx(0.001)
    with pytest.raises(ValueError, match="low <= value <= high"):
        controls.log_slider("learning rate", 2.0, 1e-5, 1.0)


def test_tidy_rounds_floats_only():
    assert panels.tidy({"learning_rate": 0.0010000000000000002, "epochs": 3, "optimizer": "adam"}) == {
        "learning_rate": 0.001, "epochs": 3, "optimizer": "adam"}


def test_dropout_panel_trains_v3_with_the_chosen_rate(no_drawing, monkeypatch):
    seen = []
    original = panels._run_mlp_from_panel
    monkeypatch.setattr(panels, "_run_mlp_from_panel",
                        lambda settings, output, callbacks: seen.append(settings) or original(
                            settings, output, callbacks))
    panel = panels.dropout_panel(epochs=2, train_samples=1000, hidden_units=16)
    panel.controls["dropout"].value = 0.5  # released: retrains at once (here, in this thread)
    assert panel.last_error is None, panel.last_error
    assert len(panel.results) == 1
    assert set(panel.results[0]) >= {"train acc", "val acc", "test acc", "s/epoch"}
    assert seen[-1]["dropout"] == 0.5 and seen[-1]["optimizer"] == "sgd"
    assert seen[-1]["hidden_layers"] == 2 and seen[-1]["hidden_units"] == 16
    assert len(no_drawing) == 2  # one redraw per epoch


def test_optimizer_panel_passes_a_tidy_learning_rate(no_drawing, monkeypatch):
    seen = []
    monkeypatch.setattr(panels, "_run_mlp_from_panel",
                        lambda settings, output, callbacks: seen.append(settings) or {"ok": 1})
    panel = panels.optimizer_panel(epochs=1, train_samples=1000)
    panel.controls["optimizer"].value = "rmsprop"
    panel.controls["learning_rate"].value = 10 ** -2.5
    panel.train()
    assert seen[-1]["optimizer"] == "rmsprop" and seen[-1]["learning_rate"] == 0.00316
    assert seen[-1]["dropout"] == 0.3  # the book's V3 network


def test_panel_errors_name_the_setting(no_drawing):
    panel = panels.dropout_panel(epochs=1, train_samples=1000, hidden_layers=9)
    panel.train()
    assert isinstance(panel.last_error, ValueError)
    assert "hidden_layers must be between 0 and 6" in panel.status.value


def test_commands_run_the_mlp_notebook_with_every_setting():
    notebook = nbformat.read(ROOT / "notebooks" / panels.MLP_NOTEBOOK, as_version=4)
    known = set(parameter_values(notebook))
    for panel in (panels.dropout_panel(dropout=0.25, epochs=7), panels.optimizer_panel("sgd", 0.01)):
        parameters = panel.to_parameters(panel.settings())
        assert set(parameters) <= known, set(parameters) - known
        assert parameters["SIMPLE_EPOCHS"] == 0  # no 200-epoch warm-up in the batch run
        assert panel.command().startswith("papermill 04_mlp.ipynb 04_mlp-out.ipynb")
    dropout_command = panels.dropout_panel(dropout=0.25, epochs=7).command()
    assert "-p DROPOUT 0.25" in dropout_command and "-p EPOCHS 7" in dropout_command
    assert "-p OPTIMIZER sgd -p LEARNING_RATE 0.01" in panels.optimizer_panel("sgd", 0.01).command()


def test_a_setting_the_mlp_notebook_lacks_is_refused_unless_default():
    assert "L2" not in panels.mlp_notebook_parameters({"l2": 0.0})
    with pytest.raises(ValueError, match="has no parameter for l2"):
        panels.mlp_notebook_parameters({"l2": 0.01})


def test_regularization_panel_retrains_when_the_penalty_changes(no_drawing):
    panel = panels.regularization_panel(kind="none", epochs=3, train_samples=1000, hidden_units=16,
                                        validation_split=0.5, optimizer="adam", learning_rate=0.01,
                                        batch_size=32)
    assert panel.retrain_on_change
    panel.controls["strength"].value = 1e-2
    panel.controls["kind"].value = "L1"  # retrains by itself, in this thread (no browser)
    assert panel.last_error is None, panel.last_error
    l1_numbers = panel.results[-1]
    assert len(panel.results) == 2 and set(l1_numbers) >= {"weights |w|<0.001", "val cross-entropy", "test acc"}
    assert len(panel.plot.outputs) == 1 and "image/png" in panel.plot.outputs[0]["data"]  # the histogram
    # a strong L1 penalty pushes far more weights to zero than none (the first run)
    share = lambda numbers: float(numbers["weights |w|<0.001"].rstrip("%"))  # noqa: E731
    assert share(l1_numbers) > share(panel.results[0]) + 20


def test_regularization_panel_command_sets_the_penalty_factors():
    panel = panels.regularization_panel(kind="elastic net", strength=1e-3, l1_ratio=0.3, epochs=4,
                                        train_samples=2000, hidden_units=512)
    parameters = panel.to_parameters(panel.settings())
    assert parameters["L1"] == pytest.approx(3e-4) and parameters["L2"] == pytest.approx(7e-4)
    assert parameters["HIDDEN_UNITS"] == 512 and parameters["EPOCHS"] == 4
    assert set(parameters) == {name.upper() for name in panels.REGULARIZATION_SETTINGS}
    notebook = nbformat.read(ROOT / "notebooks" / panels.REGULARIZATION_NOTEBOOK, as_version=4)
    assert set(parameters) <= set(parameter_values(notebook)), "every -p names a parameter of the notebook"
    assert panel.command().startswith("papermill 07_regularization.ipynb")
    with pytest.raises(ValueError, match="has no parameter for dropout"):
        panels.regularization_panel(dropout=0.3).command()
