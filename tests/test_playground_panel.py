import time

import pytest

from helpers.core.playground import PlaygroundSettings
from helpers.ui.playground_panel import PlaygroundPanel


@pytest.fixture
def panel():
    return PlaygroundPanel(PlaygroundSettings(samples=100, hidden_layers=1, neurons=3),
                           epochs_per_step=2, max_steps=3, notebook="02_activations.ipynb",
                           resolution=10)


def test_step_button_trains_and_redraws(panel):
    image, draws = panel.image.value, panel.draw_count
    assert "epoch <b>0</b>" in panel.numbers.value
    panel.player.step_button.click()
    assert panel.player.last_error is None
    assert panel.playground.epoch == 2 and panel.draw_count == draws + 1
    assert panel.image.value != image
    assert "epoch <b>2</b>" in panel.numbers.value and "test accuracy" in panel.numbers.value


def test_play_from_code_trains_synchronously_until_max_steps(panel):
    panel.player.play_button.click()
    assert not panel.player.playing and panel.player.last_error is None
    assert panel.playground.history["epoch"] == [0, 2, 4, 6]


def test_play_trains_in_the_background_and_pauses(panel):
    panel.player.background = True  # as when clicked in a browser
    panel.player.max_steps = 1000
    panel.player.play_button.click()
    assert panel.player.playing
    deadline = time.monotonic() + 60
    while panel.playground.epoch < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    panel.player.play_button.click()  # Pause
    assert panel.player.wait(timeout=60)
    assert panel.player.last_error is None
    epoch = panel.playground.epoch
    assert 4 <= epoch < 2000
    assert panel.playground.history["epoch"] == list(range(0, epoch + 1, 2))
    assert f"epoch <b>{epoch}</b>" in panel.numbers.value


def test_a_changed_control_resets_network_and_data(panel):
    panel.run(1)
    before = panel.playground.x_train.copy()
    panel.controls["dataset"].value = "spiral"
    assert panel.playground.epoch == 0 and panel.playground.settings.dataset == "spiral"
    assert panel.playground.x_train.shape == before.shape and (panel.playground.x_train != before).any()
    panel.controls["hidden_layers"].value = 3
    assert len(panel.playground.model.layers) == 4


def test_set_changes_several_controls_with_one_reset(panel, monkeypatch):
    resets = []
    original = panel.playground.reset
    monkeypatch.setattr(panel.playground, "reset", lambda s=None: resets.append(s) or original(s))
    panel.set(dataset="xor", activation="relu", neurons=5)
    assert len(resets) == 1 and resets[0].activation == "relu" and resets[0].neurons == 5
    with pytest.raises(ValueError, match="no such control: colour"):
        panel.set(colour="red")


def test_reset_button_starts_again(panel):
    panel.run(2)
    panel.player.reset_button.click()
    assert panel.playground.epoch == 0 and panel.playground.history["epoch"] == [0]


def test_command_repeats_the_current_experiment():
    panel = PlaygroundPanel(PlaygroundSettings(hidden_layers=1, neurons=3), epochs_per_step=2,
                            max_steps=3, notebook="02_activations.ipynb", resolution=10)
    panel.controls["activation"].value = "relu"
    panel.run(1)
    command = panel.command()
    assert command.startswith("papermill 02_activations.ipynb 02_activations-out.ipynb")
    for part in ("-r PLAYGROUND_ACTIVATION relu", "-p PLAYGROUND_HIDDEN_LAYERS 1",
                 "-p PLAYGROUND_NEURONS 3", "-p PLAYGROUND_EPOCHS 2"):
        assert part in command
    panel.command_button.click()
    assert "PLAYGROUND_DATASET" in panel.command_output.value


def test_a_setting_the_notebook_cannot_repeat_is_named(panel):
    with pytest.raises(ValueError, match="no parameter for samples=100"):
        panel.command()
    panel.command_button.click()
    assert "No batch command" in panel.command_output.value