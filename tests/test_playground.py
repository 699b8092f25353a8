import keras
import numpy as np
import pytest

from helpers.core import playground
from helpers.core.playground import Playground, PlaygroundSettings

SMALL = dict(samples=100, batch_size=10)


def test_defaults_are_the_playgrounds():
    s = PlaygroundSettings().validate()
    assert (s.dataset, s.noise, s.train_percent, s.activation, s.learning_rate, s.batch_size) == (
        "circle", 0, 50, "tanh", 0.03, 10)
    assert s.learning_rate in playground.LEARNING_RATES
    assert s.regularization_rate in playground.REGULARIZATION_RATES


@pytest.mark.parametrize("change, message", [
    ({"dataset": "moons"}, "dataset must be one of 'circle', 'xor', 'gauss', 'spiral'; got 'moons'"),
    ({"hidden_layers": 7}, r"hidden_layers must be a whole number in \[0, 6\]; got 7"),
    ({"neurons": 0}, r"neurons must be a whole number in \[1, 8\]; got 0"),
    ({"neurons": 2.5}, "neurons"),
    ({"noise": 60}, r"noise must be a whole number in \[0, 50\]"),
    ({"train_percent": 95}, "train_percent"),
    ({"activation": "softmax"}, "activation must be one of 'relu', 'tanh', 'sigmoid', 'linear'"),
    ({"learning_rate": 0}, "learning_rate must be a number > 0"),
    ({"learning_rate": "0.03"}, "learning_rate must be a number > 0; got '0.03'"),
    ({"regularization": "l3"}, "regularization must be one of 'none', 'l1', 'l2'"),
    ({"batch_size": 0}, "batch_size"),
])
def test_bad_settings_are_named(change, message):
    with pytest.raises(ValueError, match=message):
        PlaygroundSettings(**change).validate()


def test_network_follows_the_settings():
    model = playground.build_network(PlaygroundSettings(hidden_layers=3, neurons=5, activation="relu",
                                                        regularization="l2", regularization_rate=0.01))
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert [layer.units for layer in dense] == [5, 5, 5, 1]
    assert dense[0].activation.__name__ == "relu" and dense[-1].activation.__name__ == "sigmoid"
    assert isinstance(dense[0].kernel_regularizer, keras.regularizers.L2)
    assert model.count_params() == (2 * 5 + 5) + 2 * (5 * 5 + 5) + (5 + 1)
    linear = playground.build_network(PlaygroundSettings(hidden_layers=0))
    assert linear.count_params() == 3 and linear.layers[0].kernel_regularizer is None


def test_log_loss_matches_keras():
    y = np.array([0, 1, 1, 0])
    p = np.array([0.1, 0.8, 0.6, 0.3])
    expected = float(keras.losses.binary_crossentropy(y.astype("float32"), p.astype("float32")))
    assert playground.log_loss(y, p) == pytest.approx(expected, rel=1e-5)


def test_training_lowers_the_loss_and_records_every_chunk():
    pg = Playground(PlaygroundSettings(dataset="gauss", learning_rate=0.1, **SMALL))
    start = pg.numbers()
    assert start["epoch"] == 0 and len(pg.x_train) == 50 and len(pg.x_test) == 50
    pg.train(5)
    pg.train(5)
    assert pg.history["epoch"] == [0, 5, 10]
    assert pg.history["loss"][-1] < start["loss"]
    assert pg.numbers()["test_accuracy"] >= 0.9  # two blobs are easy
    assert pg.boundary(resolution=8).shape == (8, 8)


def test_same_settings_same_run_and_reset_starts_over():
    settings = PlaygroundSettings(dataset="xor", hidden_layers=1, neurons=3, **SMALL)
    first = Playground(settings)
    first.train(3)
    second = Playground(settings)
    second.train(3)
    assert first.history == second.history
    first.reset()
    assert first.epoch == 0 and first.history["loss"] == second.history["loss"][:1]


def test_a_callback_can_stop_a_chunk_early():
    class StopAfterTwo(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch + 1 >= 2:
                self.model.stop_training = True

    pg = Playground(PlaygroundSettings(**SMALL))
    pg.train(10, callbacks=[StopAfterTwo()])
    assert pg.epoch == 2 and pg.history["epoch"] == [0, 2]
