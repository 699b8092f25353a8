"""A real Keras network on TensorFlow Playground's 2-D problems, trained a chunk at a time.

:class:`PlaygroundSettings` holds the Playground's knobs as plain values (so a
panel's state is also a papermill command); :class:`Playground` builds the data
and the network from them and trains with ``model.fit`` a few epochs per call
of :meth:`Playground.train`, recording the training and test loss after each
call. No widgets here: :mod:`helpers.ui.playground_panel` wires this to buttons.
"""

import math
from dataclasses import asdict, dataclass

import keras
import numpy as np
import tensorflow as tf

from helpers.core import checks, toy_data

#: The Playground's menus, with the same choices.
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATIONS = ("none", "l1", "l2")
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")


@dataclass
class PlaygroundSettings:
    """One Playground experiment; the defaults are the Playground's own.

    ``noise`` and ``train_percent`` are percentages, as on the Playground's sliders;
    every hidden layer has ``neurons`` units.
    """

    dataset: str = "circle"
    noise: int = 0
    train_percent: int = 50
    hidden_layers: int = 2
    neurons: int = 4
    activation: str = "tanh"
    learning_rate: float = 0.03
    regularization: str = "none"
    regularization_rate: float = 0.0
    batch_size: int = 10
    samples: int = 500
    seed: int = 0

    #: What each setting allows (see :mod:`helpers.core.checks`).
    RULES = {
        "dataset": "one of " + ", ".join(toy_data.DATASETS),
        "noise": "int in [0, 50]",
        "train_percent": "int in [10, 90]",
        "hidden_layers": "int in [0, 6]",
        "neurons": "int in [1, 8]",
        "activation": "one of " + ", ".join(ACTIVATIONS),
        "learning_rate": "float > 0",
        "regularization": "one of " + ", ".join(REGULARIZATIONS),
        "regularization_rate": "float >= 0",
        "batch_size": "int in [1, 500]",
        "samples": "int in [20, 5000]",
        "seed": "int >= 0",
    }

    def validate(self):
        """Raise :class:`helpers.core.checks.ParameterError` naming the first bad setting; return self."""
        checks.check_values(self.as_dict(), self.RULES)
        return self

    def as_dict(self):
        return asdict(self)


def build_network(settings):
    """The network ``settings`` describes, compiled for plain SGD on binary cross-entropy.

    Two inputs (x1, x2), ``hidden_layers`` dense layers of ``neurons`` units, one
    sigmoid output: the probability of class 1. L1 or L2 penalizes every kernel.

    Returns
    -------
    keras.Sequential
    """
    settings.validate()
    rate = float(settings.regularization_rate)
    regularizer = {"l1": keras.regularizers.L1(rate), "l2": keras.regularizers.L2(rate)}.get(
        settings.regularization) if rate else None
    layers = [keras.Input(shape=(2,))]
    for _ in range(settings.hidden_layers):
        layers.append(keras.layers.Dense(settings.neurons, activation=settings.activation,
                                         kernel_regularizer=regularizer))
    layers.append(keras.layers.Dense(1, activation="sigmoid", kernel_regularizer=regularizer))
    model = keras.Sequential(layers, name="playground")
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=float(settings.learning_rate)),
                  loss="binary_crossentropy",
                  # one compiled call per epoch: Python overhead, not arithmetic, is the cost here
                  steps_per_execution=_steps_per_epoch(settings))
    return model


def _train_size(settings):
    return min(max(1, round(settings.samples * settings.train_percent / 100)), settings.samples - 1)


def _steps_per_epoch(settings):
    return math.ceil(_train_size(settings) / settings.batch_size)


def log_loss(y, p):
    """Mean binary cross-entropy of labels ``y`` (0/1) under probabilities ``p``."""
    p = np.clip(np.asarray(p, dtype=float).ravel(), 1e-7, 1 - 1e-7)
    y = np.asarray(y, dtype=float).ravel()
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


class Playground:
    """Data, network and loss history of one Playground experiment.

    Parameters
    ----------
    settings : PlaygroundSettings, optional

    Attributes
    ----------
    epoch : int
        Epochs trained since the last reset.
    history : dict
        Lists ``epoch``, ``loss``, ``test_loss``, ``accuracy``, ``test_accuracy``,
        one entry per :meth:`train` call plus the untrained start (epoch 0). The
        losses are plain cross-entropy on the whole set, without the penalty, as
        the Playground shows them.
    """

    def __init__(self, settings=None):
        self.reset(settings or PlaygroundSettings())

    def reset(self, settings=None):
        """New data, a freshly initialized network, an empty history (seeded)."""
        if settings is not None:
            self.settings = settings.validate()
        s = self.settings
        keras.utils.set_random_seed(s.seed)
        x, y = toy_data.make_dataset(s.dataset, s.samples, s.noise / 100, seed=s.seed)
        self.x_train, self.y_train, self.x_test, self.y_test = toy_data.train_test_split(
            x, y, _train_size(s) / s.samples, seed=s.seed)
        keras.utils.set_random_seed(s.seed)
        self.model = build_network(s)
        self.epoch = 0
        self.history = {key: [] for key in ("epoch", "loss", "test_loss", "accuracy", "test_accuracy")}
        self._record()
        return self

    def train(self, epochs=1, callbacks=()):
        """Train ``epochs`` more epochs with ``model.fit`` and record the losses.

        Parameters
        ----------
        epochs : int
        callbacks : sequence of keras.callbacks.Callback
            Passed to ``model.fit`` (a Stop button's callback ends the chunk early).

        Returns
        -------
        dict
            The latest numbers, as :meth:`numbers`.
        """
        s = self.settings
        # Reshuffle with a seed that depends on the epoch, so every chunk sees new
        # batches and the same settings still give the same run.
        batches = (tf.data.Dataset.from_tensor_slices((self.x_train, self.y_train.astype("float32")))
                   .shuffle(len(self.x_train), seed=s.seed * 100_003 + self.epoch)
                   .batch(s.batch_size).repeat())
        history = self.model.fit(batches, steps_per_epoch=_steps_per_epoch(s),
                                 initial_epoch=self.epoch, epochs=self.epoch + int(epochs),
                                 shuffle=False,  # done above, by tf.data
                                 callbacks=list(callbacks), verbose=0)
        self.epoch += len(history.history.get("loss", []))
        self._record()
        return self.numbers()

    def predict(self, points):
        """Probability of class 1 at each point (array of shape (n, 2))."""
        points = np.asarray(points, dtype="float32")
        return np.asarray(self.model(points, training=False)).ravel()

    def boundary(self, resolution=50):
        """The network's output on a grid over the plot, as an image (see ``toy_data.on_grid``)."""
        return toy_data.on_grid(self.predict, resolution=resolution)

    def numbers(self):
        """The latest epoch, losses and accuracies, as a dict."""
        return {key: values[-1] for key, values in self.history.items()}

    def _record(self):
        p_train, p_test = self.predict(self.x_train), self.predict(self.x_test)
        self.history["epoch"].append(self.epoch)
        self.history["loss"].append(log_loss(self.y_train, p_train))
        self.history["test_loss"].append(log_loss(self.y_test, p_test))
        self.history["accuracy"].append(float(np.mean((p_train > 0.5) == self.y_train)))
        self.history["test_accuracy"].append(float(np.mean((p_test > 0.5) == self.y_test)))
