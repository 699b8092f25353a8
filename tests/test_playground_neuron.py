"""Inside a neuron: the sum with the weights plugged in, worked out at a point, and the reason for a NaN."""

import re

import numpy as np
import pytest

from helpers.core import playground, playground_neuron, playground_training, toy_data
from helpers.core.playground import PlaygroundSettings, Snapshot


def tiny_snapshot(activation="tanh", regression=False):
    """Two inputs, one hidden layer of two neurons, one output; weights chosen by hand."""
    settings = PlaygroundSettings(
        dataset="plane" if regression else "circle", hidden_layers=1, neurons=[2], activation=activation
    )
    weights = [np.array([[0.5, -1.0], [2.0, 0.25]]), np.array([[1.5], [-0.5]])]
    biases = [np.array([0.1, -0.2]), np.array([0.3])]
    maps = [np.zeros((2, 3, 3)), np.full((1, 3, 3), 0.7)]
    return Snapshot(
        epoch=5,
        settings=settings,
        resolution=3,
        feature_maps=np.zeros((2, 3, 3)),
        layer_maps=maps,
        weights=weights,
        biases=biases,
    )


def test_choices_name_every_neuron_and_the_output_last():
    choices = playground_neuron.neuron_choices(tiny_snapshot())
    assert choices == [
        ("hidden layer 1, neuron 1 (h1.1)", (0, 0)),
        ("hidden layer 1, neuron 2 (h1.2)", (0, 1)),
        ("output", (1, 0)),
    ]


def test_a_hidden_neuron_worked_out_at_a_point():
    detail = playground_neuron.neuron_detail(tiny_snapshot(), 0, 1, (1.0, 2.0))
    assert detail.name == "h1.2" and detail.input_names == ["x1", "x2"] and detail.activation == "tanh"
    np.testing.assert_allclose(detail.inputs, [1.0, 2.0])
    np.testing.assert_allclose(detail.weights, [-1.0, 0.25])
    assert detail.total == pytest.approx(-1.0 * 1 + 0.25 * 2 - 0.2)
    assert detail.output == pytest.approx(np.tanh(-0.7))
    assert detail.formula() == "z = −1.000·x1 + 0.250·x2 − 0.200"
    assert detail.worked_sum() == "z = (−1.000) × 1.000 + 0.250 × 2.000 + (−0.200) = −0.700"
    assert detail.worked_output() == "tanh(−0.700) = −0.604"


def test_the_output_neuron_takes_the_hidden_outputs_and_a_sigmoid_or_nothing():
    point = (1.0, 2.0)
    hidden = np.tanh(np.array([1.0, 2.0]) @ np.array([[0.5, -1.0], [2.0, 0.25]]) + [0.1, -0.2])
    detail = playground_neuron.neuron_detail(tiny_snapshot(), 1, 0, point)
    assert detail.name == "output" and detail.input_names == ["h1.1", "h1.2"] and detail.activation == "sigmoid"
    np.testing.assert_allclose(detail.inputs, hidden)
    assert detail.output == pytest.approx(1 / (1 + np.exp(-(hidden @ [1.5, -0.5] + 0.3))))
    regression = playground_neuron.neuron_detail(tiny_snapshot(regression=True), 1, 0, point)
    assert regression.activation == "linear" and regression.output == pytest.approx(regression.total)
    assert playground_neuron.neuron_map(tiny_snapshot(), 1, 0)[0, 0] == 0.7


def test_no_such_neuron_is_refused():
    with pytest.raises(ValueError, match=r"no neuron 2 in layer 0: the network has layers of \[2, 1\] neurons"):
        playground_neuron.neuron_detail(tiny_snapshot(), 0, 2, (0, 0))


@pytest.mark.parametrize("activation", playground.ACTIVATIONS)
def test_numpy_activations_agree_with_keras(activation):
    import keras

    z = np.linspace(-4, 4, 17).astype("float32")
    np.testing.assert_allclose(
        playground_neuron.ACTIVATIONS[activation](z), np.asarray(keras.activations.get(activation)(z)), atol=1e-6
    )


@pytest.mark.tensorflow
def test_the_worked_numbers_match_the_keras_network():
    pg = playground.Playground(PlaygroundSettings(samples=60, features=["x1", "x2", "x1^2"], neurons=[3, 2]))
    pg.train(3)
    point = pg.x_train[4]
    outputs = playground_training.layer_outputs(pg.model, toy_data.input_features(point[None], pg.settings.features))
    for layer, output in enumerate(outputs):
        for unit in range(output.shape[-1]):
            detail = playground_neuron.neuron_detail(pg.snapshot, layer, unit, point)
            assert detail.output == pytest.approx(float(output[0, unit]), abs=1e-5)


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"learning_rate": 3.0}, r"in epoch 5,.*The learning rate 3 is too high.*Try 0\.3 or lower"),
        (
            {"regularization": "l2", "regularization_rate": 10.0, "learning_rate": 0.3},
            r"between epoch 0 and epoch 5.*The regularization rate 10 is too high for the learning rate 0\.3: "
            r"each step "
            r"multiplies every weight by 1 - 2 × 0\.3 × 10 = -5.*below 3\.33",
        ),
    ],
)
def test_divergence_reason_names_the_rate_to_lower(change, reason):
    settings = PlaygroundSettings(**change)
    first = 4 if "regularization" not in change else 0
    assert re.search(reason, playground_neuron.divergence_reason(settings, first, 5))


@pytest.mark.tensorflow
def test_a_diverging_network_stops_and_keeps_its_last_finite_state():
    pg = playground.Playground(PlaygroundSettings(dataset="plane", learning_rate=3.0, samples=100))
    before = pg.snapshot
    with pytest.raises(playground.TrainingDiverged, match="The learning rate 3 is too high"):
        pg.train(5)
    assert pg.diverged and pg.epoch == 0 and pg.snapshot is before
    assert np.isfinite(pg.history["loss"]).all()
    with pytest.raises(playground.TrainingDiverged):
        pg.train(1)  # no training on NaN weights
    pg.reset()
    assert pg.diverged is None


def test_a_neuron_map_is_described_with_its_range():
    from helpers.figures import descriptions

    assert descriptions.neuron_map_description("h1.2", np.array([[-0.984, 0.2], [0.0, 0.971]]), 40) == (
        "map of h1.2's output over the plane after 40 epochs: from -0.98 (orange) to 0.97 (blue)"
    )
    assert "before training" in descriptions.neuron_map_description("output", [[0.5]], 0)
