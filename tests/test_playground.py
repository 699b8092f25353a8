import keras
import numpy as np
import pytest

from helpers.core import playground, playground_training, toy_data
from helpers.core.playground import Playground, PlaygroundSettings

# The playground trains with a compiled TensorFlow loop.
pytestmark = pytest.mark.tensorflow

SMALL = dict(samples=100, batch_size=10)


def test_defaults_are_the_playgrounds():
    s = PlaygroundSettings().validate()
    assert (s.dataset, s.noise, s.train_percent, s.activation, s.learning_rate, s.batch_size) == (
        "circle",
        0,
        50,
        "tanh",
        0.03,
        10,
    )
    assert s.features == ["x1", "x2"] and s.layer_sizes() == [4, 2]
    assert s.learning_rate in playground.LEARNING_RATES
    assert s.regularization_rate in playground.REGULARIZATION_RATES
    assert PlaygroundSettings().features is not s.features  # no list shared between settings


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"dataset": "moons"},
            "dataset must be one of 'circle', 'xor', 'gauss', 'spiral', 'plane', 'multigauss'; got 'moons'",
        ),
        ({"hidden_layers": 7}, r"hidden_layers must be a whole number in \[0, 6\]; got 7"),
        (
            {"neurons": [4, 0]},
            r"neurons must be a non-empty list, each item a whole number in \[1, 8\]; "
            r"got \[4, 0\]",
        ),
        ({"neurons": 4}, "neurons must be a non-empty list.*got 4"),
        ({"neurons": [2.5]}, "neurons"),
        ({"features": []}, "features must be a non-empty list"),
        (
            {"features": ["x1", "x3"]},
            "features must be a non-empty list, each item one of 'x1', 'x2', "
            r"'x1\^2', 'x2\^2', 'x1\*x2', 'sin\(x1\)', 'sin\(x2\)'; got \['x1', 'x3'\]",
        ),
        ({"features": "x1"}, "features must be a non-empty list"),
        ({"features": ["x1", "x1"]}, "features must not repeat a feature.*x1 twice"),
        ({"noise": 60}, r"noise must be a whole number in \[0, 50\]"),
        ({"train_percent": 95}, "train_percent"),
        ({"activation": "softmax"}, "activation must be one of 'relu', 'tanh', 'sigmoid', 'linear'"),
        ({"learning_rate": 0}, "learning_rate must be a number > 0"),
        ({"learning_rate": "0.03"}, "learning_rate must be a number > 0; got '0.03'"),
        ({"regularization": "l3"}, "regularization must be one of 'none', 'l1', 'l2'"),
        ({"batch_size": 0}, "batch_size"),
    ],
)
def test_bad_settings_are_named(change, message):
    with pytest.raises(ValueError, match=message):
        PlaygroundSettings(**change).validate()


@pytest.mark.parametrize(
    "layers, neurons, sizes",
    [
        (2, [4, 2], [4, 2]),
        (3, [4, 2], [4, 2, 2]),
        (1, [4, 2], [4]),
        (0, [4, 2], []),
        (3, [5], [5, 5, 5]),
    ],
)
def test_neurons_per_layer(layers, neurons, sizes):
    assert PlaygroundSettings(hidden_layers=layers, neurons=neurons).validate().layer_sizes() == sizes


def test_network_follows_the_settings():
    model = playground.build_network(
        PlaygroundSettings(
            hidden_layers=3,
            neurons=[5, 3],
            activation="relu",
            features=["x1", "x2", "x1^2"],
            regularization="l2",
            regularization_rate=0.01,
        )
    )
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert model.inputs[0].shape[-1] == 3  # one input per feature
    assert [layer.units for layer in dense] == [5, 3, 3, 1]
    assert dense[0].activation.__name__ == "relu" and dense[-1].activation.__name__ == "sigmoid"
    assert isinstance(dense[0].kernel_regularizer, keras.regularizers.L2)
    assert model.count_params() == (3 * 5 + 5) + (5 * 3 + 3) + (3 * 3 + 3) + (3 + 1)
    assert model.loss == "binary_crossentropy"
    linear = playground.build_network(PlaygroundSettings(hidden_layers=0))
    assert linear.count_params() == 3 and linear.layers[0].kernel_regularizer is None


def test_regression_has_a_linear_output_and_squared_error():
    model = playground.build_network(PlaygroundSettings(dataset="plane"))
    assert model.layers[-1].activation.__name__ == "linear"
    assert model.loss == "mean_squared_error"


def test_training_lowers_the_loss_and_records_every_chunk():
    pg = Playground(PlaygroundSettings(dataset="gauss", learning_rate=0.1, **SMALL), resolution=12)
    start = pg.metrics()
    assert start["epoch"] == 0 and len(pg.x_train) == 50 and len(pg.x_test) == 50
    pg.train(5)
    pg.train(5)
    assert pg.history["epoch"] == [0, 5, 10]
    assert pg.history["loss"][-1] < start["loss"]
    assert pg.metrics()["test_accuracy"] >= 0.9  # two blobs are easy
    assert pg.boundary(resolution=8).shape == (8, 8)
    assert np.allclose(pg.boundary(resolution=12), pg.snapshot.output_map)
    assert pg.model.optimizer.iterations.numpy() == 10 * 5  # 50 points in batches of 10


def test_losses_are_those_of_the_keras_model():
    pg = Playground(PlaygroundSettings(**SMALL), resolution=8)
    pg.train(3)
    inputs = toy_data.input_features(pg.x_test, pg.settings.features)
    p = pg.model.predict(inputs, verbose=0)[:, 0]
    assert pg.metrics()["test_loss"] == pytest.approx(playground_training.log_loss(pg.y_test, p), rel=1e-5)
    assert np.allclose(pg.predict(pg.x_test), p, atol=1e-6)


def test_chunks_do_not_change_the_numbers():
    settings = PlaygroundSettings(dataset="xor", hidden_layers=1, neurons=[3], batch_size=7, **{"samples": 100})
    once = Playground(settings, resolution=8)
    once.train(4)
    twice = Playground(settings, resolution=8)
    twice.train(1)
    twice.train(3)
    assert once.history["loss"][-1] == twice.history["loss"][-1]
    assert all(np.array_equal(a, b) for a, b in zip(once.model.get_weights(), twice.model.get_weights()))


def test_same_settings_same_run_and_reset_starts_over():
    settings = PlaygroundSettings(dataset="xor", hidden_layers=1, neurons=[3], **SMALL)
    first = Playground(settings, resolution=8)
    first.train(3)
    second = Playground(settings, resolution=8)
    second.train(3)
    assert first.history == second.history
    model = first.model
    first.reset()
    assert first.model is model  # the same architecture is not built again ...
    assert first.epoch == 0 and first.history["loss"] == second.history["loss"][:1]
    first.train(3)
    assert first.history == second.history  # ... and starts from the same weights


def test_a_reused_network_takes_the_new_learning_rate():
    pg = Playground(PlaygroundSettings(**SMALL), resolution=8)
    pg.train(2)
    faster = PlaygroundSettings(learning_rate=0.3, **SMALL)
    pg.reset(faster)
    pg.train(2)
    fresh = Playground(faster, resolution=8)
    fresh.train(2)
    assert pg.history == fresh.history
    assert float(pg.model.optimizer.learning_rate) == pytest.approx(0.3)


def test_features_change_the_input_width_and_x1_squared_separates_the_circle():
    settings = PlaygroundSettings(features=["x1^2", "x2^2"], hidden_layers=0, learning_rate=0.1, **SMALL)
    pg = Playground(settings, resolution=10)
    assert pg.model.inputs[0].shape[-1] == 2
    assert pg.snapshot.feature_maps.shape == (2, 10, 10)
    assert pg.snapshot.feature_maps[0, 0, 0] == pytest.approx(36.0)  # x1^2 at the corner (-6, -6)
    pg.train(10)
    assert pg.metrics()["test_accuracy"] >= 0.95  # no hidden layer: one line in (x1^2, x2^2)
    w, b = pg.model.get_weights()
    assert (w < 0).all() and b[0] > 0  # blue inside: w1 x1^2 + w2 x2^2 + b > 0 near the centre
    three = Playground(PlaygroundSettings(features=["x1", "x2", "sin(x1)"], **SMALL), resolution=10)
    assert three.model.inputs[0].shape[-1] == 3


def test_regression_data_train_a_linear_output():
    pg = Playground(PlaygroundSettings(dataset="plane", hidden_layers=0, learning_rate=0.01, **SMALL), resolution=10)
    start = pg.metrics()
    assert start["accuracy"] is None and start["test_accuracy"] is None
    pg.train(20)
    assert pg.metrics()["loss"] < 0.1 * start["loss"]
    w, b = pg.model.get_weights()
    assert w.ravel() == pytest.approx([0.1, 0.1], abs=0.02)  # the plane is (x1 + x2) / 10
    assert abs(pg.snapshot.output_map).max() > 1  # a linear output is not squashed


def test_snapshot_holds_every_neuron_and_weight():
    pg = Playground(PlaygroundSettings(neurons=[4, 2], **SMALL), resolution=10)
    pg.train(1)
    snap = pg.snapshot
    assert snap.epoch == 1 and snap.resolution == 10
    assert [maps.shape for maps in snap.layer_maps] == [(4, 10, 10), (2, 10, 10), (1, 10, 10)]
    assert [w.shape for w in snap.weights] == [(2, 4), (4, 2), (2, 1)]
    assert [b.shape for b in snap.biases] == [(4,), (2,), (1,)]
    assert all(
        np.array_equal(a, b)
        for a, b in zip([x for pair in zip(snap.weights, snap.biases) for x in pair], pg.model.get_weights())
    )
    grid = toy_data.grid(resolution=10)
    hidden = np.tanh(grid @ snap.weights[0] + snap.biases[0])  # the first layer, by hand
    assert np.allclose(snap.layer_maps[0], hidden.T.reshape(4, 10, 10), atol=1e-5)
    assert np.all((snap.output_map >= 0) & (snap.output_map <= 1))


def test_the_playground_names_the_backend_it_needs(monkeypatch):
    import keras

    monkeypatch.setattr(keras.backend, "backend", lambda: "jax")
    with pytest.raises(RuntimeError, match="needs Keras' TensorFlow backend.*'jax'"):
        Playground(PlaygroundSettings(samples=40))
