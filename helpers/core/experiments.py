"""One MNIST run from plain settings: the notebooks' training cell as a function, for the panels.

A panel describes a run by plain settings (numbers and names), the same ones a
notebook takes as parameters, so a panel's run can be repeated in batch with
papermill. :func:`run_mlp` does what a notebook's training cell does: seed,
build the network, ``compile``, ``fit`` with the last fifth of the training
images held out for validation, ``evaluate`` on the test set. With the same
settings and seed it gives the same numbers.

Speed: panels compile with :data:`helpers.core.training.STEPS_PER_EXECUTION`
batches per call into the backend, as the notebooks do, and keep compiled
networks between runs (:class:`CompiledNetworks`), so a repeated Train starts at once.
"""

import contextlib
import gc
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, field

import keras

from helpers.core import checks, data, models, traced_gradients, training


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

    #: What each setting allows (see :mod:`helpers.core.checks`). A panel's batch command runs the
    #: MLP notebook with these settings as its parameters, so for every setting that notebook has, the
    #: rule is the notebook's own (tests/test_experiments.py compares them).
    RULES = {
        "hidden_layers": "int in [0, 6]",
        "hidden_units": "int in [1, 4096]",
        "activation": "one of " + ", ".join(models.HIDDEN_ACTIVATIONS),
        "dropout": "float in [0, 1)",
        "l1": "float >= 0",
        "l2": "float >= 0",
        "optimizer": "one of " + ", ".join(models.OPTIMIZER_NAMES),
        "learning_rate": "float > 0",
        "epochs": "int >= 1",
        "batch_size": "int >= 1",
        "train_samples": "int in [10, 60000]",
        "validation_split": "float in [0, 1)",
        "seed": "int >= 0",
    }

    def validate(self):
        """Raise :class:`helpers.core.checks.ParameterError` naming the first bad setting; return self."""
        checks.check_values(self.as_dict(), self.RULES)
        return self

    def as_dict(self):
        return asdict(self)

    def title(self):
        """A one-line description of the run, for a figure's title."""
        return (
            f"{self.hidden_layers} hidden x {self.hidden_units} {self.activation}, "
            f"dropout {self.dropout:g}, {self.optimizer} lr={self.learning_rate:g}, "
            f"{self.train_samples} images"
        )


def build_model(settings):
    """The network ``settings`` describes, not compiled (seed first for repeatable weights)."""
    penalty = keras.regularizers.L1L2(l1=settings.l1, l2=settings.l2) if (settings.l1 or settings.l2) else None
    return models.mlp(
        hidden_units=(settings.hidden_units,) * settings.hidden_layers,
        activation=settings.activation,
        dropout=settings.dropout,
        kernel_regularizer=penalty,
    )


def compile_model(model, settings):
    """Compile as the book does: categorical cross-entropy, accuracy, the settings' optimizer by name."""
    optimizer = keras.optimizers.get(str(settings.optimizer).lower())
    optimizer.learning_rate = settings.learning_rate
    model.compile(
        loss="categorical_crossentropy",
        optimizer=optimizer,
        metrics=["accuracy"],
        steps_per_execution=training.STEPS_PER_EXECUTION,
    )
    return model


@dataclass
class RunResult:
    """What one run leaves behind."""

    model: object
    history: object
    test_loss: float
    test_accuracy: float
    settings: MLPSettings
    seconds_per_epoch: list = field(default_factory=list)

    def metrics(self, **extra):
        """Flat dict of final numbers and settings, ready for :func:`training.write_metrics`."""
        return training.summarize(
            self.history, self.test_loss, self.test_accuracy, self.seconds_per_epoch, **self.settings.as_dict(), **extra
        )


class CompiledNetworks:
    """Compiled networks kept between a panel's runs, so a repeated run skips tracing.

    The first ``fit`` of a new Keras model traces its training and validation
    steps into TensorFlow graphs, which is most of the wait for a panel's first
    epoch. :meth:`network` hands out a kept network with the same architecture
    and optimizer, with every weight, dropout seed and optimizer slot set to
    what a new build with the run's seed would have and its learning rate set:
    its numbers are exactly those of a fresh network, only the tracing is
    skipped. Reusing also avoids the memory every new network leaves in
    TensorFlow for the rest of the session, and when a kept network is dropped
    (the least recently used, past ``limit``) the gradient registrations its
    tracing left in TensorFlow go with it (:mod:`helpers.core.traced_gradients`)
    and the memory it holds is collected at once,
    so a long class session with many settings does not keep the traced step of
    every network it ever trained (5.5-7.5 MB each, measured without this). On
    other Keras backends every run gets a new network.

    Parameters
    ----------
    limit : int
        How many networks to keep (the least recently used goes first).
    """

    def __init__(self, limit=4):
        self.limit = limit
        self._networks = OrderedDict()  # architecture -> (model, optimizer start values, registrations)
        self._lock = threading.Lock()  # panels may train from a background thread

    @staticmethod
    def architecture(settings):
        """What a compiled network depends on (not epochs, batch size, data, seed or learning rate)."""
        return (
            settings.hidden_layers,
            settings.hidden_units,
            settings.activation,
            settings.dropout,
            settings.l1,
            settings.l2,
            str(settings.optimizer).lower(),
        )

    @contextlib.contextmanager
    def network(self, settings):
        """A compiled network for ``settings``, freshly initialized with ``settings.seed``.

        Use it as ``with networks.network(settings) as model: ...``; when the
        block ends the network is kept for the next run with the same architecture.
        """
        keras.utils.set_random_seed(settings.seed)
        fresh = build_model(settings)
        if keras.backend.backend() != "tensorflow":
            # Resetting a kept network to a fresh one's exact state is verified on
            # TensorFlow only; other backends build a new network every time.
            yield compile_model(fresh, settings)
            return
        key = self.architecture(settings)
        with self._lock:
            kept = self._networks.pop(key, None)
        if kept is None:
            model = compile_model(fresh, settings)
            # Build the optimizer's slots now, so their start values can be restored later.
            model.optimizer.build(model.trainable_variables)
            optimizer_start = [variable.numpy() for variable in model.optimizer.variables]
            registrations = frozenset()
        else:
            model, optimizer_start, registrations = kept
            # model.variables includes the dropout layers' seed state, so masks repeat too.
            for variable, value in zip(model.variables, fresh.variables, strict=True):
                variable.assign(value)
            for variable, value in zip(model.optimizer.variables, optimizer_start, strict=True):
                variable.assign(value)
            # The learning rate is a variable the traced step reads: a new rate needs no new network.
            model.optimizer.learning_rate = settings.learning_rate
        registered_before = traced_gradients.registered()
        try:
            yield model
        finally:
            # What tracing this network's steps registered (its first fit, or a fit that retraced).
            # Panels train one at a time; a cell tracing another network in the same seconds would be
            # counted too, and released with this one, which is harmless once that step is traced.
            registrations |= traced_gradients.registered() - registered_before
            with self._lock:
                self._networks[key] = (model, optimizer_start, registrations)
                evicted = False
                while len(self._networks) > self.limit:
                    _, (_, _, dropped) = self._networks.popitem(last=False)
                    traced_gradients.release(dropped)
                    evicted = True
            if evicted:
                # A Keras model sits in reference cycles (its layers, its traced steps), so Python frees a
                # dropped one only at its next full garbage collection, every few networks: 15-20 MB per
                # network of the book's size stay until then. Collect now (about 0.2 s).
                gc.collect()


#: The kernel's compiled networks, shared by every panel.
NETWORKS = CompiledNetworks()


def run_mlp(settings, callbacks=(), networks=None):
    """Train and evaluate the MLP that ``settings`` describes, as a notebook's training cell does.

    Parameters
    ----------
    settings : MLPSettings
    callbacks : sequence of keras.callbacks.Callback
        Passed to ``model.fit`` (live curves, a Stop button's callback).
    networks : CompiledNetworks, optional
        Take the compiled network from there (panels pass :data:`NETWORKS`):
        the same numbers, but a repeated run skips tracing. The returned
        ``model`` is then reset by the next such run: code that keeps models
        should leave this out.

    Returns
    -------
    RunResult
    """
    settings.validate()
    dataset = data.prepare_mnist(settings.train_samples, settings.validation_split)
    if networks is None:
        keras.utils.set_random_seed(settings.seed)
        network = contextlib.nullcontext(compile_model(build_model(settings), settings))
    else:
        network = networks.network(settings)
    timer = training.EpochTimer()
    with network as model:
        validation = (data.as_tensor(dataset.x_val), data.as_tensor(dataset.y_val)) if len(dataset.x_val) else None
        history = model.fit(
            data.as_tensor(dataset.x_train),
            data.as_tensor(dataset.y_train),
            validation_data=validation,
            epochs=settings.epochs,
            batch_size=settings.batch_size,
            callbacks=[timer, *callbacks],
            verbose=0,
        )
        test_loss, test_accuracy = model.evaluate(
            data.as_tensor(dataset.x_test), data.as_tensor(dataset.y_test), verbose=0
        )
    return RunResult(model, history, float(test_loss), float(test_accuracy), settings, list(timer.seconds))
