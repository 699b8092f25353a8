"""The playground panel's tools: Keras code, inside a neuron, your own points, and a stop on NaN."""

import datetime

import numpy as np
import pytest

from helpers.core import playground_points
from helpers.core.playground import PlaygroundSettings
from helpers.ui.playground_panel import PlaygroundPanel

# The playground trains with a compiled TensorFlow loop.
pytestmark = pytest.mark.tensorflow

GOOD = playground_points.points_csv(
    [[1, 1], [-1, -1], [2, 1], [-2, -1], [1, 2], [-1, -2], [3, 3], [-3, -3]], [1, 0, 1, 0, 1, 0, 1, 0]
)


@pytest.fixture
def panel():
    return PlaygroundPanel(
        PlaygroundSettings(hidden_layers=1, neurons=[3]),
        epochs_per_step=2,
        max_steps=3,
        notebook="02_activations.ipynb",
        resolution=10,
        map_size=100,
    )


def test_show_keras_code_shows_the_current_network(panel):
    assert panel.code_view.code.value == ""
    panel.code_view.button.value = True
    assert "keras.Sequential([" in panel.code_view.code.value
    assert "keras.layers.Dense(3, activation=&quot;tanh&quot;)" in panel.code_view.code.value
    panel.set(activation="relu")  # the code follows the settings while shown
    assert "activation=&quot;relu&quot;" in panel.code_view.code.value
    panel.code_view.button.value = False
    assert panel.code_view.code.value == ""


def test_inside_a_neuron_follows_the_training(panel):
    view = panel.neuron_view
    assert view.body.layout.display == "none" and view.text.value == ""
    view.button.value = True
    assert [label for label, _ in view.choice.options] == [
        "hidden layer 1, neuron 1 (h1.1)",
        "hidden layer 1, neuron 2 (h1.2)",
        "hidden layer 1, neuron 3 (h1.3)",
        "output",
    ]
    assert view.choice.value == (1, 0) and "sigmoid(z)" in view.text.value and "At the point" in view.text.value
    view.choice.value = (0, 1)
    before, picture = view.text.value, view.image.value
    assert "tanh(" in before and 'alt="map of h1.2' in picture
    panel.run(1)
    assert view.text.value != before and view.image.value != picture  # redrawn with the panel
    view.point.value = 2
    x1, x2 = panel.playground.x_train[1]
    assert f"At the point ({x1:.2f}, {x2:.2f})" in view.text.value
    panel.set(hidden_layers=2, neurons=[2, 2])  # a new network: a new menu
    assert len(view.choice.options) == 5 and view.choice.value == (0, 1)


def test_your_points_upload_and_bad_files_keep_the_previous_data(panel):
    upload = panel.controls["data_file"]
    assert not upload.load(b"x1,x2,label\n1,2,1\n1,two,0\n3,3,0\n4,4,1\n", "bad.csv")
    assert "bad.csv, row 3: &#x27;two&#x27; in column x2 is not a number" in upload.status.value
    assert panel.settings().data_file == "" and len(panel.playground.x_train) == 250
    assert upload.load(GOOD.encode(), "mine.csv")
    assert panel.settings().data_file.endswith("mine.csv") and len(panel.playground.x_train) == 4
    assert "Training on <b>" in upload.status.value and "8 points (classification" in upload.status.value
    np.testing.assert_allclose(
        np.sort(np.concatenate([panel.playground.x_train, panel.playground.x_test])[:, 0]), [-3, -2, -1, -1, 1, 1, 2, 3]
    )
    panel.run(1)
    assert panel.playground.epoch == 2
    assert not upload.load(b"", "empty.csv")  # refused: the points stay
    assert "empty.csv is empty" in upload.status.value and "Training on" in upload.status.value
    assert len(panel.playground.x_train) == 4 and panel.playground.epoch == 2
    assert "PLAYGROUND_DATA_FILE" in panel.command()
    panel.controls["dataset"].value = "xor"  # a data set from the menu replaces your points
    assert panel.settings().data_file == "" and len(panel.playground.x_train) == 250


def test_file_upload_widget_uploads(panel):
    upload = panel.controls["data_file"]
    upload.upload.value = (
        {
            "name": "mine.csv",
            "type": "text/csv",
            "size": len(GOOD),
            "content": memoryview(GOOD.encode()),
            "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
        },
    )
    assert panel.settings().data_file.endswith("mine.csv") and upload.upload.value == ()
    upload.clear_button.click()
    assert panel.settings().data_file == ""


def test_regression_points_get_a_linear_output(panel, tmp_path):
    path = tmp_path / "bumps.csv"
    path.write_text(
        playground_points.points_csv([[1, 1], [-1, -1], [2, 1], [-2, -1]], [0.5, -0.5, 1, 0], regression=True)
    )
    panel.set(data_file=str(path))
    assert panel.model.layers[-1].activation.__name__ == "linear"
    with pytest.raises(ValueError, match=r"data_file '.*missing.csv' cannot be used: cannot read the points file"):
        panel.set(data_file=str(tmp_path / "missing.csv"))


def test_a_diverging_network_stops_play_and_says_why(panel):
    panel.set(dataset="plane", learning_rate=3.0)
    image = panel.output.image.value
    panel.player.play()  # from code: synchronously, up to max_steps
    assert not panel.player.playing and panel.player.last_error is None
    assert "Stopped: the loss became NaN or infinite" in panel.output.numbers.value
    assert "The learning rate 3 is too high" in panel.output.numbers.value
    assert panel.playground.epoch == 0 and panel.output.image.value == image  # the last finite map, not a blank one
    panel.set(learning_rate=0.03)
    assert "Stopped" not in panel.output.numbers.value
    panel.run(1)
    assert panel.playground.epoch == 2
