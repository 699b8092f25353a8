import json
import re
import time

import pytest

from helpers.core import checks
from helpers.core.playground import PlaygroundSettings
from helpers.ui.playground_panel import PlaygroundPanel

# The playground trains with a compiled TensorFlow loop.
pytestmark = pytest.mark.tensorflow

SMALL = dict(samples=100, hidden_layers=1, neurons=[3])


def make_panel(**options):
    settings = options.pop("settings", PlaygroundSettings(**SMALL))
    options = {
        "epochs_per_step": 2,
        "max_steps": 3,
        "notebook": "02_activations.ipynb",
        "resolution": 10,
        "map_size": 100,
        **options,
    }
    return PlaygroundPanel(settings, **options)


@pytest.fixture
def panel():
    return make_panel()


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def test_step_button_trains_and_redraws(panel):
    image, diagram, draws = panel.output.image.value, panel.diagram.value, panel.draw_count
    assert "epoch <b>0</b>" in panel.output.numbers.value
    panel.player.step_button.click()
    assert panel.player.last_error is None
    assert panel.playground.epoch == 2 and panel.draw_count == draws + 1
    assert panel.output.image.value != image and panel.diagram.value != diagram
    assert "epoch <b>2</b>" in panel.output.numbers.value and "test accuracy" in panel.output.numbers.value
    assert panel.output.chart.value.count("<polyline") == 2
    assert panel.model is panel.playground.model  # the real Keras network, to inspect


def test_play_from_code_trains_synchronously_until_max_steps(panel):
    panel.player.play_button.click()
    assert not panel.player.playing and panel.player.last_error is None
    assert panel.playground.history["epoch"] == [0, 2, 4, 6]


def test_play_trains_in_the_background_and_pauses(panel):
    panel.player.background = True  # as when clicked in a browser
    panel.player.max_steps = 1000
    panel.player.play_button.click()
    assert panel.player.playing
    assert wait_for(lambda: panel.playground.epoch >= 4)
    panel.player.play_button.click()  # Pause
    assert panel.player.wait(timeout=60)
    assert panel.player.last_error is None
    epoch = panel.playground.epoch
    assert 4 <= epoch < 2000
    assert panel.playground.history["epoch"] == list(range(0, epoch + 1, 2))
    assert f"epoch <b>{epoch}</b>" in panel.output.numbers.value


def test_batch_run_and_play_give_the_same_losses():
    batch, live = make_panel(), make_panel()
    batch.run(3)
    live.player.play(3)  # Play pressed from code
    assert live.playground.history == batch.playground.history
    played = make_panel(background=True, max_steps=1000)  # Play pressed in a browser
    played.player.play()
    assert wait_for(lambda: played.playground.epoch >= 6)
    played.player.pause()
    assert played.player.wait(timeout=60)
    steps = played.playground.epoch // 2
    batch.reset()
    batch.run(steps)
    assert played.playground.history == batch.playground.history


def test_a_changed_control_resets_network_and_data(panel):
    panel.run(1)
    before = panel.playground.x_train.copy()
    panel.controls["dataset"].value = "spiral"
    assert panel.playground.epoch == 0 and panel.playground.settings.dataset == "spiral"
    assert panel.playground.x_train.shape == before.shape and (panel.playground.x_train != before).any()
    panel.controls["hidden_layers"].value = 3
    assert len(panel.model.layers) == 4
    assert panel.playground.settings.layer_sizes() == [3, 3, 3]
    assert [box.layout.display for box in panel.controls["neurons"].boxes][:4] == [None, None, None, "none"]


def test_features_change_the_input_width(panel):
    panel.controls["features"].toggles[2].value = True  # x1^2
    assert panel.playground.settings.features == ["x1", "x2", "x1^2"]
    assert panel.model.inputs[0].shape[-1] == 3
    panel.set(features=["x1^2", "x2^2"])
    assert panel.model.inputs[0].shape[-1] == 2
    assert [toggle.value for toggle in panel.controls["features"].toggles] == [
        False,
        False,
        True,
        True,
        False,
        False,
        False,
    ]
    panel.controls["features"].value = []  # no input at all: refused, the network kept
    assert "features must be a non-empty list" in panel.player.status.value
    assert panel.playground.settings.features == ["x1^2", "x2^2"]


def test_neurons_per_layer(panel):
    panel.set(hidden_layers=2, neurons=[4, 2])
    assert [layer.units for layer in panel.model.layers] == [4, 2, 1]
    panel.controls["neurons"].boxes[1].value = 5
    assert [layer.units for layer in panel.model.layers] == [4, 5, 1]
    panel.controls["hidden_layers"].value = 3  # a new layer gets the neurons its box shows
    assert [layer.units for layer in panel.model.layers] == [4, 5, 2, 1]
    assert panel.settings().neurons == [4, 5, 2]
    panel.set(neurons=[6])  # a short list: its last entry repeats
    assert [layer.units for layer in panel.model.layers] == [6, 6, 6, 1]


def test_regression_data_use_a_linear_output(panel):
    panel.set(dataset="multigauss")
    assert panel.model.layers[-1].activation.__name__ == "linear"
    panel.run(1)
    assert "squared error" in panel.output.numbers.value and "test accuracy" not in panel.output.numbers.value
    assert panel.playground.metrics()["test_accuracy"] is None


def test_show_test_data_and_discretize_only_change_the_picture(panel):
    panel.run(1)
    output = panel.output
    overlay, image, epoch, draws = output.overlay.value, output.image.value, panel.playground.epoch, panel.draw_count
    output.view_controls["show_test_data"].value = True
    assert output.overlay.value != overlay and output.image.value == image  # more points, same map
    output.view_controls["discretize"].value = True
    assert output.image.value != image
    assert panel.playground.epoch == epoch and panel.draw_count == draws + 2  # no reset, no training
    panel.set(discretize=False, show_test_data=False)
    assert output.image.value == image and output.overlay.value == overlay
    with pytest.raises(checks.ParameterError, match="discretize must be True or False"):
        panel.set(discretize="yes")


def test_set_changes_several_controls_with_one_reset(panel, monkeypatch):
    resets = []
    original = panel.playground.reset
    monkeypatch.setattr(panel.playground, "reset", lambda s=None: resets.append(s) or original(s))
    panel.set(dataset="xor", activation="relu", neurons=[5])
    assert len(resets) == 1 and resets[0].activation == "relu" and resets[0].neurons == [5]
    with pytest.raises(ValueError, match="no such control: colour"):
        panel.set(colour="red")
    with pytest.raises(checks.ParameterError, match=r"noise must be a whole number in \[0, 50\]; got 80"):
        panel.set(noise=80)
    assert panel.controls["noise"].value == 0 and len(resets) == 1  # nothing changed


def test_a_change_while_playing_plays_on_with_the_new_settings(panel):
    panel.player.background = True
    panel.player.max_steps = 1000
    panel.player.play()
    assert wait_for(lambda: panel.playground.epoch >= 4)
    labels = []
    panel.player.play_button.observe(lambda change: labels.append(change["new"]), names="description")
    panel.controls["activation"].value = "relu"  # while playing
    assert panel.playground.settings.activation == "relu"
    assert panel.player.playing
    assert labels == [], f"the button showed {labels} during the change: it should stay on Pause"
    assert wait_for(lambda: panel.playground.epoch >= 4)
    panel.player.pause()
    assert panel.player.wait(timeout=60) and panel.player.last_error is None
    epoch = panel.playground.epoch
    assert panel.playground.history["epoch"] == list(range(0, epoch + 1, 2))  # counted from the change


def test_reset_button_starts_again(panel):
    panel.run(2)
    panel.player.reset_button.click()
    assert panel.playground.epoch == 0 and panel.playground.history["epoch"] == [0]


def test_command_repeats_the_current_experiment():
    panel = make_panel(settings=PlaygroundSettings(hidden_layers=1, neurons=[3]))
    panel.controls["activation"].value = "relu"
    panel.run(1)
    command = panel.command()
    assert command.startswith("papermill 02_activations.ipynb 02_activations-out.ipynb")
    for part in ("-r PLAYGROUND_ACTIVATION relu", "-p PLAYGROUND_HIDDEN_LAYERS 1", "-p PLAYGROUND_EPOCHS 2"):
        assert part in command
    panel.command_button.click()
    assert "PLAYGROUND_DATASET" in panel.command_output.value


def write_notebook(path, names):
    source = "\n".join(f"{name} = {value!r}" for name, value in names.items())
    cell = {
        "cell_type": "code",
        "metadata": {"tags": ["parameters"]},
        "source": source,
        "outputs": [],
        "execution_count": None,
    }
    path.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return str(path)


def test_new_settings_become_parameters(tmp_path):
    names = {
        f"PLAYGROUND_{name.upper()}": value
        for name, value in PlaygroundSettings().as_dict().items()
        if name not in ("samples", "seed")
    }
    names.update(PLAYGROUND_EPOCHS=0, PLAYGROUND_SHOW_TEST_DATA=False, PLAYGROUND_DISCRETIZE=False)
    notebook = write_notebook(tmp_path / "playground.ipynb", names)
    panel = make_panel(settings=PlaygroundSettings(), notebook=notebook)
    panel.set(features=["x1", "x2", "x1^2"], hidden_layers=3, neurons=[4, 2], dataset="plane", show_test_data=True)
    found = panel.parameters()
    assert found["PLAYGROUND_FEATURES"] == ["x1", "x2", "x1^2"]
    assert found["PLAYGROUND_NEURONS"] == [4, 2, 2] and found["PLAYGROUND_HIDDEN_LAYERS"] == 3
    assert found["PLAYGROUND_DATASET"] == "plane" and found["PLAYGROUND_SHOW_TEST_DATA"] is True
    assert found["PLAYGROUND_DISCRETIZE"] is False


def test_a_setting_the_notebook_cannot_repeat_is_named(tmp_path):
    panel = make_panel()
    with pytest.raises(ValueError, match="no parameter for samples=100"):
        panel.command()
    panel.command_button.click()
    assert "No batch command" in panel.command_output.value
    notebook = write_notebook(tmp_path / "old.ipynb", {"PLAYGROUND_DATASET": "circle", "PLAYGROUND_EPOCHS": 0})
    other = make_panel(settings=PlaygroundSettings(), notebook=notebook, discretize=True)
    with pytest.raises(ValueError, match="no parameter for discretize=True"):
        other.parameters()


def test_measure_fluency_returns_numbers(panel):
    numbers = panel.measure_fluency(seconds=0.3)
    assert numbers["steps"] >= 2 and numbers["epochs_per_step"] == 2
    for key in (
        "redraws_per_second",
        "seconds_per_step",
        "seconds_per_train",
        "seconds_per_redraw",
        "first_step_seconds",
        "reset_seconds",
    ):
        assert numbers[key] > 0, key
    assert numbers["redraws_per_second"] == pytest.approx(1 / numbers["seconds_per_step"])
    assert panel.playground.epoch == 2 * (numbers["steps"] + 1)
    assert panel.measure_fluency(seconds=0, reset=False)["reset_seconds"] is None


def test_bad_display_options_are_named():
    with pytest.raises(checks.ParameterError, match="show_test_data must be True or False; got 1"):
        make_panel(show_test_data=1)


def test_figure_keeps_the_picture_for_a_saved_notebook(panel):
    panel.run(1)
    fig = panel.figure()
    ax_map, ax_loss = fig.axes[:2]
    assert ax_map.get_title() == "circle, epoch 2"
    assert list(ax_loss.lines[0].get_xdata()) == [0, 2]
    assert len(ax_map.collections[1].get_offsets()) == 0  # test points hidden, as in the panel
    panel.set(show_test_data=True)
    assert len(panel.figure().axes[0].collections[1].get_offsets()) == len(panel.playground.x_test)


def test_numbers_line_shows_the_kernels_memory(panel):
    panel.player.step_button.click()
    assert re.search(
        r"s per step\) &nbsp;·&nbsp; <span class='nnf-memory'>memory \d+\.\d\d GB "
        r"\(peak \d+\.\d\d GB\)</span>",
        panel.output.numbers.value,
    ), panel.output.numbers.value
