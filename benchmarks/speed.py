"""Seconds per epoch of the book's network: the book's plain ``model.fit`` vs the notebooks' path.

The notebooks and panels compile with ``steps_per_execution=64``
(:data:`helpers.core.training.STEPS_PER_EXECUTION`) and fit tensors made once
(:func:`helpers.core.data.mnist_tensors`); :func:`helpers.core.experiments.run_mlp`
trains that way, with the numbers of the notebooks' plain Keras cell (a unit test checks it). Both leave every
training number and accuracy as the book's plain ``fit`` has them; only the
validation loss may differ in its seventh digit (the same sum, added in
another order). The network is the book's
784-128-128-10 with dropout 0.3, trained with Adam on batches of 128: 48,000
training images, 12,000 for validation after every epoch. Both sides start
from the same seed and train the same number of epochs; they alternate (book,
notebooks, then notebooks, book, ...) so a machine
that slows down or speeds up during the run affects both. Epoch 1 includes
tracing the training step, so the steady pace is the median of epochs 2 and
later; the ratio is taken pair by pair (one book run, one notebooks run, same
seed) and its median reported.
"""

import statistics
import time

BOOK_LAYERS = (784, 128, 128, 10)
BATCH_SIZE = 128
VALIDATION_SPLIT = 0.2


def _clock_class():
    import keras

    class EpochClock(keras.callbacks.Callback):
        """Wall and CPU seconds of every epoch and of its validation pass."""

        def on_train_begin(self, logs=None):
            self.epochs, self.validations = [], []

        def on_epoch_begin(self, epoch, logs=None):
            self._epoch = (time.perf_counter(), time.process_time())

        def on_test_begin(self, logs=None):
            self._validation = (time.perf_counter(), time.process_time())

        def on_test_end(self, logs=None):
            self.validations.append(_since(self._validation))

        def on_epoch_end(self, epoch, logs=None):
            self.epochs.append(_since(self._epoch))

    return EpochClock


def _since(start):
    return (time.perf_counter() - start[0], time.process_time() - start[1])


def book_data():
    """MNIST prepared as the book's listing does it: flatten, float32 / 255, to_categorical."""
    import keras

    from helpers.core import data

    (x_train, y_train), (x_test, y_test) = data.load_mnist()  # = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(60000, 784).astype("float32") / 255
    x_test = x_test.reshape(10000, 784).astype("float32") / 255
    return (x_train, keras.utils.to_categorical(y_train, 10), x_test, keras.utils.to_categorical(y_test, 10))


def run_book(arrays, seed, epochs):
    """The book's code, updated for Keras 3: Sequential, compile, plain fit on NumPy arrays."""
    import keras

    x_train, y_train, x_test, y_test = arrays
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(), metrics=["accuracy"])
    clock = _clock_class()()
    # verbose=0: the book prints a progress bar (verbose=1), which would only slow this side.
    history = model.fit(
        x_train,
        y_train,
        batch_size=BATCH_SIZE,
        epochs=epochs,
        verbose=0,
        validation_split=VALIDATION_SPLIT,
        callbacks=[clock],
    )
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    return _run_figures(clock, history.history, accuracy)


def run_notebooks_path(seed, epochs):
    """The same network as the notebooks and panels train it, through :func:`experiments.run_mlp`."""
    from helpers.core import experiments

    settings = experiments.MLPSettings(
        hidden_layers=len(BOOK_LAYERS) - 2,
        hidden_units=BOOK_LAYERS[1],
        dropout=0.3,
        optimizer="adam",
        learning_rate=0.001,
        epochs=epochs,
        batch_size=BATCH_SIZE,
        validation_split=VALIDATION_SPLIT,
        seed=seed,
    )
    clock = _clock_class()()
    result = experiments.run_mlp(settings, callbacks=[clock])
    return _run_figures(clock, result.history.history, result.test_accuracy)


def _run_figures(clock, history, test_accuracy):
    steady = clock.epochs[1:] or clock.epochs
    validation = clock.validations[1:] or clock.validations
    return {
        "epoch_seconds": statistics.median(wall for wall, _ in steady),
        "epoch_cpu_seconds": statistics.median(cpu for _, cpu in steady),
        "validation_seconds": statistics.median(wall for wall, _ in validation),
        "validation_cpu_seconds": statistics.median(cpu for _, cpu in validation),
        "first_epoch_seconds": clock.epochs[0][0],
        "first_epoch_cpu_seconds": clock.epochs[0][1],
        "epochs_wall": [round(wall, 4) for wall, _ in clock.epochs],
        "test_accuracy": float(test_accuracy),
        "history": {key: [float(value) for value in values] for key, values in history.items()},
    }


def run(epochs=6, rounds=3, log=print):
    """Alternate book and notebooks' runs; return the figures as a dict (see module docstring)."""
    if epochs < 2:
        raise ValueError("epochs must be at least 2: epoch 1 includes tracing the step")
    from helpers.core import data

    start = time.perf_counter()
    arrays = book_data()
    dataset = data.prepare_mnist(60000, VALIDATION_SPLIT)
    runs = {"book": [], "notebooks": []}
    for round_ in range(rounds):
        order = ("book", "notebooks") if round_ % 2 == 0 else ("notebooks", "book")
        for side in order:
            figures = run_book(arrays, round_, epochs) if side == "book" else run_notebooks_path(round_, epochs)
            runs[side].append(figures)
            log(
                f"  speed: round {round_ + 1}/{rounds} {side:9s} {figures['epoch_seconds']:.3f} s/epoch "
                f"(CPU {figures['epoch_cpu_seconds']:.3f} s), test accuracy {figures['test_accuracy']:.4f}"
            )
    return summarize(runs, epochs, rounds, len(dataset.x_train), len(dataset.x_val), time.perf_counter() - start)


#: What two runs of the same seed must share exactly: every training number and
#: the validation accuracy. The validation loss is left out, because validating
#: in other batch sizes adds the same losses in another order.
EXACT_KEYS = ("loss", "accuracy", "val_accuracy")


def same_numbers(history, other):
    """True when two histories agree exactly on :data:`EXACT_KEYS`."""
    return all(history.get(key) == other.get(key) for key in EXACT_KEYS)


def summarize(runs, epochs, rounds, train_images, validation_images, elapsed):
    """Medians per side, paired ratios, accuracy differences."""

    def side(figures):
        keys = (
            "epoch_seconds",
            "epoch_cpu_seconds",
            "validation_seconds",
            "validation_cpu_seconds",
            "first_epoch_seconds",
            "first_epoch_cpu_seconds",
        )
        out = {key: statistics.median(run[key] for run in figures) for key in keys}
        out["test_accuracy"] = statistics.fmean(run["test_accuracy"] for run in figures)
        out["runs"] = figures
        return out

    pairs = list(zip(runs["book"], runs["notebooks"]))
    return {
        "epochs": epochs,
        "rounds": rounds,
        "train_images": train_images,
        "validation_images": validation_images,
        "book": side(runs["book"]),
        "notebooks": side(runs["notebooks"]),
        "speedup": statistics.median(b["epoch_seconds"] / h["epoch_seconds"] for b, h in pairs),
        "speedup_cpu": statistics.median(b["epoch_cpu_seconds"] / h["epoch_cpu_seconds"] for b, h in pairs),
        "speedup_rounds": [b["epoch_seconds"] / h["epoch_seconds"] for b, h in pairs],
        "accuracy_difference_points": max(100 * abs(b["test_accuracy"] - h["test_accuracy"]) for b, h in pairs),
        "identical_accuracies": all(same_numbers(b["history"], h["history"]) for b, h in pairs),
        "seconds": elapsed,
    }
