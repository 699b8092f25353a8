"""A real Keras network on TensorFlow Playground's 2-D problems, trained a chunk at a time.

:class:`PlaygroundSettings` holds the Playground's knobs as plain values (so a
panel's state is also a papermill command); :class:`Playground` builds the data
and the network from them and trains it a few epochs per call of
:meth:`Playground.train`, recording the training and test loss after each call.

The network is a plain ``keras.Sequential`` compiled with SGD: ``model.summary()``,
``model.get_weights()``, ``model.predict`` and ``model.fit`` work on it as on any
Keras model. Training runs Keras' own per-batch step in one compiled TensorFlow
loop (:mod:`helpers.core.playground_training`) on the points of
:mod:`helpers.core.playground_data`. No widgets here:
:mod:`helpers.ui.playground_panel` wires this to buttons.
"""

from collections import OrderedDict
from dataclasses import asdict, dataclass, field

import keras
import numpy as np
import tensorflow as tf

from helpers.core import checks, playground_data, playground_neuron, playground_points, playground_training, toy_data

#: The Playground's menus, with the same choices.
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATIONS = ("none", "l1", "l2")
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
#: The input features the network can be given (see ``toy_data.FEATURES``).
FEATURES = tuple(toy_data.FEATURES)
MAX_HIDDEN_LAYERS = 6
MAX_NEURONS = 8
#: Networks (model + compiled training loop) one :class:`Playground` keeps for reuse.
KEPT_NETWORKS = 8


@dataclass
class PlaygroundSettings:
    """One Playground experiment; the defaults are the Playground's own.

    ``noise`` and ``train_percent`` are percentages, as on the Playground's sliders.
    ``features`` are the network's inputs, in this order. The network has
    ``hidden_layers`` hidden layers and layer ``i`` has ``neurons[i]`` neurons:
    when the list is shorter than the number of layers its last entry repeats
    (``neurons=[4, 2]`` with 3 layers gives 4, 2, 2, as the Playground's "+"
    button adds layers of 2), and entries past the last layer are not used
    (with 1 layer, 4; with 0 layers, none). ``data_file``, when not empty, is
    a CSV file of your own points (see :mod:`helpers.core.playground_points`):
    they replace the generated ones, and ``dataset``, ``noise`` and ``samples``
    are then not used.
    """

    dataset: str = "circle"
    noise: int = 0
    train_percent: int = 50
    features: list = field(default_factory=lambda: ["x1", "x2"])
    hidden_layers: int = 2
    neurons: list = field(default_factory=lambda: [4, 2])
    activation: str = "tanh"
    learning_rate: float = 0.03
    regularization: str = "none"
    regularization_rate: float = 0.0
    batch_size: int = 10
    samples: int = 500
    seed: int = 0
    data_file: str = ""

    #: What each setting allows (see :mod:`helpers.core.checks`).
    RULES = {
        "dataset": "one of " + ", ".join(toy_data.ALL_DATASETS),
        "noise": "int in [0, 50]",
        "train_percent": "int in [10, 90]",
        "features": "list of one of " + ", ".join(FEATURES),
        "hidden_layers": f"int in [0, {MAX_HIDDEN_LAYERS}]",
        "neurons": f"list of int in [1, {MAX_NEURONS}]",
        "activation": "one of " + ", ".join(ACTIVATIONS),
        "learning_rate": "float > 0",
        "regularization": "one of " + ", ".join(REGULARIZATIONS),
        "regularization_rate": "float >= 0",
        "batch_size": "int in [1, 500]",
        "samples": "int in [20, 5000]",
        "seed": "int >= 0",
        "data_file": "path",
    }

    def validate(self):
        """Raise :class:`helpers.core.checks.ParameterError` naming the first bad setting; return self."""
        checks.check_values(self.as_dict(), self.RULES)
        repeated = sorted({name for name in self.features if self.features.count(name) > 1})
        if repeated:
            raise checks.ParameterError(
                f"features must not repeat a feature; got {self.features!r} ({', '.join(repeated)} twice)"
            )
        if self.data_file:
            try:
                self.points()
            except playground_points.PointsError as error:
                raise checks.ParameterError(f"data_file {self.data_file!r} cannot be used: {error}") from None
        return self

    def points(self):
        """The points of ``data_file`` (:class:`helpers.core.playground_points.Points`), or None without one."""
        return playground_points.read_points(self.data_file) if self.data_file else None

    def as_dict(self):
        return asdict(self)

    @property
    def regression(self):
        """True when the data ask for numbers (a linear output and squared error)."""
        return self.points().regression if self.data_file else toy_data.is_regression(self.dataset)

    def layer_sizes(self):
        """Neurons of each hidden layer, e.g. ``[4, 2]`` (empty without hidden layers)."""
        return [self.neurons[min(i, len(self.neurons) - 1)] for i in range(self.hidden_layers)]


def build_network(settings):
    """The network ``settings`` describes, compiled for plain SGD.

    One input per feature, one dense layer per hidden layer, one output unit:
    a sigmoid (the probability of class 1) trained on binary cross-entropy for
    classification, linear output trained on mean squared error for regression.
    L1 or L2 penalizes every kernel.

    Returns
    -------
    keras.Sequential
    """
    settings.validate()
    rate = float(settings.regularization_rate)
    regularizer = (
        {"l1": keras.regularizers.L1(rate), "l2": keras.regularizers.L2(rate)}.get(settings.regularization)
        if rate
        else None
    )
    layers = [keras.Input(shape=(len(settings.features),), name="features")]
    for index, units in enumerate(settings.layer_sizes(), start=1):
        layers.append(
            keras.layers.Dense(
                units, activation=settings.activation, kernel_regularizer=regularizer, name=f"hidden_{index}"
            )
        )
    output = "linear" if settings.regression else "sigmoid"
    layers.append(keras.layers.Dense(1, activation=output, kernel_regularizer=regularizer, name="output"))
    model = keras.Sequential(layers, name="playground")
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=float(settings.learning_rate)),
        loss="mean_squared_error" if settings.regression else "binary_crossentropy",
    )
    return model


class TrainingDiverged(ArithmeticError):
    """The loss became NaN or infinite; the message says when and the likely reason."""


@dataclass
class Snapshot:
    """What the network computes right now, for drawing (replaced whole after every change).

    Attributes
    ----------
    epoch : int
    settings : PlaygroundSettings
    resolution : int
        Grid points per side.
    feature_maps : numpy.ndarray of shape (features, resolution, resolution)
        Each input feature over the grid (row 0 at the bottom, as ``toy_data.on_grid``).
    layer_maps : list of numpy.ndarray of shape (units, resolution, resolution)
        Every layer's neurons over the grid; the last is the output.
    weights, biases : list of numpy.ndarray
        Each layer's kernel (inputs x units) and bias.
    """

    epoch: int
    settings: PlaygroundSettings
    resolution: int
    feature_maps: np.ndarray
    layer_maps: list
    weights: list
    biases: list

    @property
    def output_map(self):
        """The network's output over the grid (probability of class 1, or the predicted number)."""
        return self.layer_maps[-1][0]


class Playground:
    """Data, network and loss history of one Playground experiment.

    Parameters
    ----------
    settings : PlaygroundSettings, optional
    resolution : int
        Grid points per side of the maps in :attr:`snapshot`.

    Attributes
    ----------
    model : keras.Sequential
        The network (see :func:`build_network`).
    epoch : int
        Epochs trained since the last reset.
    diverged : str or None
        Why training stopped, once the loss became NaN or infinite (see :meth:`train`).
    history : dict
        Lists ``epoch``, ``loss``, ``test_loss``, ``accuracy``, ``test_accuracy``,
        one entry per :meth:`train` call plus the untrained start (epoch 0). The
        losses are cross-entropy (classification) or mean squared error
        (regression) on the whole set, without the penalty, as the Playground
        shows them; accuracies are None for regression.
    snapshot : Snapshot
        Every neuron's output over the plane and the weights, after the last
        reset or chunk of training.
    """

    def __init__(self, settings=None, resolution=50):
        if keras.backend.backend() != "tensorflow":
            raise RuntimeError(
                "the playground trains with a compiled TensorFlow loop and needs Keras' TensorFlow backend; "
                f"this kernel uses {keras.backend.backend()!r}: restart it without KERAS_BACKEND="
                f"{keras.backend.backend()}"
            )
        self.resolution = int(resolution)
        self._networks = OrderedDict()  # architecture -> (model, starting weights, compiled training)
        self.reset(settings or PlaygroundSettings())

    def reset(self, settings=None):
        """New data, a freshly initialized network, an empty history (seeded).

        A network of the same architecture and seed as one built before is not
        built again: its starting weights are put back, which gives the same
        network as building it (and its compiled training is reused).
        """
        if settings is not None:
            self.settings = settings.validate()
        s = self.settings
        # Only a new network is seeded (keras.utils.set_random_seed): seeding also empties
        # TensorFlow's caches, which would make the next chunk of training slow to start.
        self.x_train, self.y_train, self.x_test, self.y_test = playground_data.split_points(s)
        self.diverged = None
        grid = toy_data.grid(resolution=self.resolution)
        self.feature_grid = toy_data.input_features(grid, s.features)
        self._inputs = tf.constant(toy_data.input_features(self.x_train, s.features))
        self._targets = tf.constant(np.asarray(self.y_train, dtype="float32").reshape(-1, 1))
        self._look = tf.constant(
            np.concatenate([self._inputs.numpy(), toy_data.input_features(self.x_test, s.features), self.feature_grid])
        )
        self.model, self._train_function = self._network(s)
        self.epoch = 0
        self.history = {key: [] for key in ("epoch", "loss", "test_loss", "accuracy", "test_accuracy")}
        self._record(playground_training.layer_outputs(self.model, self._look))
        return self

    def train(self, epochs=1):
        """Train ``epochs`` more epochs (SGD, shuffled every epoch) and record the losses.

        Parameters
        ----------
        epochs : int

        Returns
        -------
        dict
            The latest numbers, as :meth:`metrics`.

        Raises
        ------
        TrainingDiverged
            When the network's outputs or weights became NaN or infinite (the
            history and :attr:`snapshot` keep the last finite state; train again
            only after :meth:`reset`).
        """
        epochs = int(epochs)
        if self.diverged:
            raise TrainingDiverged(self.diverged)
        if epochs < 1:
            return self.metrics()
        s = self.settings
        if self._train_function is None:
            self._train_function = playground_training.compile_training(self.model)
            self._networks[self._key(s)][2] = self._train_function
        order = playground_training.epoch_orders(s.seed, self.epoch, epochs, len(self.x_train))
        outputs = self._train_function(
            tf.constant(order), tf.constant(s.batch_size, tf.int32), self._inputs, self._targets, self._look
        )
        if not (
            np.isfinite(outputs[-1].numpy()).all()
            and all(np.isfinite(weight).all() for weight in self.model.get_weights())
        ):
            self.diverged = playground_neuron.divergence_reason(s, self.epoch, self.epoch + epochs)
            raise TrainingDiverged(self.diverged)
        self.epoch += epochs
        self._record(outputs)
        return self.metrics()

    def predict(self, points):
        """The network's output at each point (array of shape (n, 2)): probability of class 1, or a number."""
        inputs = toy_data.input_features(points, self.settings.features)
        return np.asarray(self.model(inputs, training=False)).ravel()

    def boundary(self, resolution=50):
        """The network's output on a grid over the plot, as an image (see ``toy_data.on_grid``)."""
        if int(resolution) == self.resolution:
            return self.snapshot.output_map.copy()
        return toy_data.on_grid(self.predict, resolution=resolution)

    def metrics(self):
        """The latest epoch, losses and accuracies, as a dict."""
        return {key: values[-1] for key, values in self.history.items()}

    # -- internals -----------------------------------------------------------------------

    @staticmethod
    def _key(settings):
        return (
            len(settings.features),
            tuple(settings.layer_sizes()),
            settings.activation,
            settings.regression,
            settings.regularization,
            float(settings.regularization_rate),
            settings.seed,
        )

    def _network(self, settings):
        """(model, compiled training or None) for ``settings``: reused when seen before, else built."""
        key = self._key(settings)
        if key in self._networks:
            self._networks.move_to_end(key)
            model, start, train = self._networks[key]
            model.set_weights(start)
            model.optimizer.iterations.assign(0)
        else:
            keras.utils.set_random_seed(settings.seed)
            model, train = build_network(settings), None
            model.optimizer.build(model.trainable_variables)
            self._networks[key] = [model, model.get_weights(), None]
            while len(self._networks) > KEPT_NETWORKS:
                self._networks.popitem(last=False)
        model.optimizer.learning_rate = float(settings.learning_rate)
        return model, train

    def _record(self, outputs):
        outputs = [np.asarray(output) for output in outputs]
        n_train, n_test = len(self.x_train), len(self.x_test)
        predicted = outputs[-1][:, 0]
        p_train, p_test = predicted[:n_train], predicted[n_train : n_train + n_test]
        self.history["epoch"].append(self.epoch)
        if self.settings.regression:
            self.history["loss"].append(playground_training.squared_error(self.y_train, p_train))
            self.history["test_loss"].append(playground_training.squared_error(self.y_test, p_test))
            self.history["accuracy"].append(None)
            self.history["test_accuracy"].append(None)
        else:
            self.history["loss"].append(playground_training.log_loss(self.y_train, p_train))
            self.history["test_loss"].append(playground_training.log_loss(self.y_test, p_test))
            self.history["accuracy"].append(float(np.mean((p_train > 0.5) == self.y_train)))
            self.history["test_accuracy"].append(float(np.mean((p_test > 0.5) == self.y_test)))
        r = self.resolution
        grid_rows = slice(n_train + n_test, None)
        dense = [layer for layer in self.model.layers if isinstance(layer, keras.layers.Dense)]
        self.snapshot = Snapshot(
            epoch=self.epoch,
            settings=self.settings,
            resolution=r,
            feature_maps=self.feature_grid.T.reshape(-1, r, r),
            layer_maps=[output[grid_rows].T.reshape(-1, r, r) for output in outputs],
            weights=[keras.ops.convert_to_numpy(layer.kernel) for layer in dense],
            biases=[keras.ops.convert_to_numpy(layer.bias) for layer in dense],
        )
