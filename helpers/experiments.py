"""One MNIST experiment from plain settings: prepare data, build, train, evaluate.

Panels, notebooks and batch runs all describe a run by the same plain settings
(numbers and names), so a panel's run can be repeated in batch with papermill.
"""

import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, field

from helpers import data, models, training


@dataclass
class MLPSettings:
    """Everything that defines one run of an MNIST multilayer perceptron."""

    hidden_layers: int = 2
    hidden_units: int = 128
    activation: str = "relu"
    dropout: float = 0.0
    l1: float = 0.0
    l2: float = 0.0
    optimizer: str = "sgd"
    learning_rate: float = 0.01
    epochs: int = 20
    batch_size: int = 128
    train_samples: int = 60000
    validation_split: float = 0.2
    seed: int = 0

    def validate(self):
        """Raise ``ValueError`` naming the first setting that is out of range."""
        checks = [
            ("hidden_layers", 0 <= self.hidden_layers <= 6, "between 0 and 6"),
            ("hidden_units", 1 <= self.hidden_units <= 4096, "between 1 and 4096"),
            ("activation", self.activation in models.ACTIVATIONS,
             f"one of {', '.join(models.ACTIVATIONS)}"),
            ("dropout", 0.0 <= self.dropout < 1.0, "in [0, 1)"),
            ("l1", self.l1 >= 0, "0 or more (0 switches the L1 penalty off)"),
            ("l2", self.l2 >= 0, "0 or more (0 switches the L2 penalty off)"),
            ("optimizer", str(self.optimizer).lower() in models.OPTIMIZERS,
             f"one of {', '.join(models.OPTIMIZERS)}"),
            ("learning_rate", self.learning_rate > 0, "greater than 0"),
            ("epochs", self.epochs >= 1, "at least 1"),
            ("batch_size", self.batch_size >= 1, "at least 1"),
            ("train_samples", 10 <= self.train_samples <= 60000, "between 10 and 60000"),
            ("validation_split", 0.0 <= self.validation_split < 1.0, "in [0, 1)"),
        ]
        for name, ok, expected in checks:
            if not ok:
                raise ValueError(f"{name} must be {expected}, got {getattr(self, name)!r}")
        return self

    def as_dict(self):
        return asdict(self)


@dataclass
class RunResult:
    """What one run leaves behind."""

    model: object
    history: object
    test: dict = field(default_factory=dict)
    settings: MLPSettings = None

    def metrics(self, **extra):
        """Flat dict of final numbers and settings, ready for :func:`training.write_metrics`."""
        return training.summarize(self.history, self.test, **self.settings.as_dict(), **extra)


class KeptNetworks:
    """Compiled networks and prepared data kept between runs, for panels.

    The first ``fit`` of a new Keras model traces its training and validation
    steps into TensorFlow graphs, which about doubles the wait for a panel's
    first epoch (``make bench``: 0.9 instead of 0.45 CPU seconds on the MLP
    panel's defaults). A run that asks for a network kept from an earlier run
    with the same architecture and optimizer gets it back with every weight,
    dropout seed and optimizer slot set to what a new build with the run's
    seed would have, and its learning rate set, so its numbers are exactly
    those of a fresh network; only the tracing is skipped. Every new network
    also leaves a few MB in TensorFlow for the rest of the session, which
    reusing avoids.

    Parameters
    ----------
    limit : int
        How many networks to keep (the least recently used goes first); each is
        small (a few MB with its graphs).
    """

    def __init__(self, limit=4):
        self.limit = limit
        self._networks = OrderedDict()  # key -> (model, optimizer start values)
        self._dataset = (None, None)    # (key, PreparedMNIST) of the last run
        self._lock = threading.Lock()   # panels may train from a background thread

    @staticmethod
    def key(settings, fast):
        """What a compiled network depends on (not epochs, batch size, data, seed or learning rate)."""
        return (settings.hidden_layers, settings.hidden_units, settings.activation,
                settings.dropout, settings.l1, settings.l2, str(settings.optimizer).lower(),
                bool(fast))

    def take(self, settings, fast):
        """A compiled network for ``settings``, freshly initialized with ``settings.seed``."""
        training.seed_everything(settings.seed)
        fresh = models.mlp(hidden_units=(settings.hidden_units,) * settings.hidden_layers,
                           activation=settings.activation, dropout=settings.dropout,
                           l1=settings.l1, l2=settings.l2)
        with self._lock:
            kept = self._networks.pop(self.key(settings, fast), None)
        if kept is None:
            model = models.compile_classifier(fresh, settings.optimizer, settings.learning_rate,
                                              fast=fast)
            # Build the optimizer's slots now, so their start values can be restored later.
            model.optimizer.build(model.trainable_variables)
            return model, [variable.numpy() for variable in model.optimizer.variables]
        model, optimizer_start = kept
        # model.variables includes the dropout layers' seed state, so masks repeat too.
        for variable, value in zip(model.variables, fresh.variables, strict=True):
            variable.assign(value)
        for variable, value in zip(model.optimizer.variables, optimizer_start, strict=True):
            variable.assign(value)
        # The learning rate is a variable the traced step reads, so a new rate needs no new network.
        model.optimizer.learning_rate = settings.learning_rate
        return model, optimizer_start

    def give_back(self, settings, fast, model, optimizer_start):
        """Keep ``model`` for the next run with the same network settings."""
        with self._lock:
            self._networks[self.key(settings, fast)] = (model, optimizer_start)
            while len(self._networks) > self.limit:
                self._networks.popitem(last=False)

    def dataset(self, settings):
        """The prepared data for ``settings``, reused while its size, split and seed stay."""
        key = (settings.train_samples, settings.validation_split, settings.seed)
        with self._lock:
            kept_key, prepared = self._dataset
        if kept_key != key:
            prepared = data.prepare_mnist(*key)
            with self._lock:
                self._dataset = (key, prepared)
        return prepared


#: The kernel's kept networks, used by runs with ``reuse=True`` (the panels').
KEPT = KeptNetworks()


def run_mlp(settings, live_plot=True, output=None, callbacks=(), dataset=None, fast=True,
            reuse=False):
    """Train and evaluate the MLP that ``settings`` describes.

    Parameters
    ----------
    settings : MLPSettings
    live_plot : bool
        Per-epoch curves (only drawn inside a notebook).
    output : ipywidgets.Output, optional
        Where the curves go (a panel's plot area).
    callbacks : sequence of keras.callbacks.Callback
        Extra callbacks, e.g. a stop button's.
    dataset : PreparedMNIST, optional
        Reuse already prepared data (must match the settings' sample size).
    fast : bool
        Run many batches per call into TensorFlow (see
        :func:`models.compile_classifier`); the numbers are the same either way.
    reuse : bool
        Take the compiled network (and prepared data) from :data:`KEPT` and
        keep it there afterwards: the same numbers, but a repeated run starts
        its first epoch at once instead of after seconds of tracing. The
        returned ``model`` is then reset by the next such run: panels use it,
        code that keeps models should not.

    Returns
    -------
    RunResult
    """
    settings.validate()
    if dataset is None:
        dataset = (KEPT.dataset(settings) if reuse else
                   data.prepare_mnist(settings.train_samples, settings.validation_split,
                                      seed=settings.seed))
    if reuse:
        model, optimizer_start = KEPT.take(settings, fast)
    else:
        training.seed_everything(settings.seed)
        model = models.build_classifier(
            hidden_units=(settings.hidden_units,) * settings.hidden_layers,
            activation=settings.activation, dropout=settings.dropout,
            l1=settings.l1, l2=settings.l2,
            optimizer=settings.optimizer, learning_rate=settings.learning_rate, fast=fast,
        )
    title = (f"{settings.hidden_layers} hidden x {settings.hidden_units} {settings.activation}, "
             f"{settings.optimizer} lr={settings.learning_rate:g}, "
             f"{settings.train_samples} samples")
    history = training.fit(model, dataset, epochs=settings.epochs,
                           batch_size=settings.batch_size, seed=settings.seed,
                           live_plot=live_plot, title=title, output=output,
                           callbacks=callbacks)
    result = RunResult(model, history, training.evaluate(model, dataset), settings)
    if reuse:
        KEPT.give_back(settings, fast, model, optimizer_start)
    return result
