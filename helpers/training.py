"""Training with Keras ``fit``: seeding, per-epoch live curves, timing, metrics.

The notebooks write the model and call :func:`fit`; this module only adds what
a teaching run needs around ``model.fit``: the same seed gives the same
numbers, the curves grow epoch by epoch, and the final metrics can be saved as
JSON for batch runs.
"""

import json
import time
from pathlib import Path

import keras
import numpy as np


def seed_everything(seed):
    """Seed Python, NumPy and TensorFlow so the same seed gives the same run."""
    keras.utils.set_random_seed(int(seed))


class EpochTimer(keras.callbacks.Callback):
    """Record the wall time of every epoch in ``self.seconds``."""

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


class StopOnEvent(keras.callbacks.Callback):
    """End ``model.fit`` at the next batch once ``event`` (a ``threading.Event``) is set.

    A panel's Stop button sets the event from another thread; Keras finishes the
    current batch, runs the epoch's validation and end-of-epoch callbacks, and
    returns. The weights learned so far and the history are kept.

    Training loops written by hand can check :attr:`requested` instead.
    """

    def __init__(self, event):
        super().__init__()
        self.event = event

    @property
    def requested(self):
        """True once stopping has been asked for."""
        return self.event.is_set()

    def on_train_batch_end(self, batch, logs=None):
        if self.event.is_set():
            self.model.stop_training = True


class LivePlotCallback(keras.callbacks.Callback):
    """Redraw a :class:`helpers.plotting.LiveCurves` after every epoch.

    Parameters
    ----------
    curves : LiveCurves
    on_epoch : callable, optional
        Called as ``on_epoch(epoch, history)`` after the redraw (panels use it
        to show the latest numbers).
    """

    def __init__(self, curves, on_epoch=None):
        super().__init__()
        self.curves = curves
        self.on_epoch = on_epoch
        self.history = {}

    def on_train_begin(self, logs=None):
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))
        self.curves.update(self.history)
        if self.on_epoch is not None:
            self.on_epoch(epoch, self.history)


def fit(model, dataset, epochs=20, batch_size=128, seed=0, live_plot=True,
        title="", output=None, callbacks=(), verbose=0):
    """Train ``model`` on a :class:`helpers.data.PreparedMNIST` with live curves.

    Parameters
    ----------
    model : keras.Model
        A compiled model.
    dataset : PreparedMNIST
        Training, validation and test arrays.
    epochs, batch_size : int
        As in ``model.fit``.
    seed : int
        Seeds shuffling (and dropout masks) so a rerun gives the same numbers.
        The model's initial weights are drawn when it is built: seed before
        building it (:func:`seed_everything`) to repeat a run exactly.
    live_plot : bool
        Draw loss and accuracy after every epoch (only inside a notebook).
    title : str
        Title of the live figure.
    output : ipywidgets.Output, optional
        Draw the live figure in this widget.
    callbacks : sequence of keras.callbacks.Callback
        Extra callbacks (for example a stop button's).
    verbose : int
        Keras' progress output; 0 keeps notebooks short.

    Returns
    -------
    keras.callbacks.History
        With an extra attribute ``seconds_per_epoch`` (list of float).
    """
    _check_positive_int("epochs", epochs)
    _check_positive_int("batch_size", batch_size)
    keras.utils.set_random_seed(int(seed))
    timer = EpochTimer()
    all_callbacks = [timer, *callbacks]
    if live_plot:
        from helpers.plotting import LiveCurves

        all_callbacks.append(LivePlotCallback(LiveCurves(title, output=output)))
    validation = ((shared_tensor(dataset.x_val), shared_tensor(dataset.y_val))
                  if len(dataset.x_val) else None)
    history = model.fit(
        shared_tensor(dataset.x_train), shared_tensor(dataset.y_train),
        validation_data=validation,
        epochs=int(epochs), batch_size=int(batch_size),
        callbacks=all_callbacks, verbose=verbose,
    )
    history.seconds_per_epoch = list(timer.seconds)
    return history


def _check_positive_int(name, value):
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}")


def shared_tensor(array):
    """A TensorFlow tensor that reads ``array``'s memory in place, or ``array`` itself.

    Given NumPy arrays, ``model.fit`` copies them into TensorFlow tensors on
    every call: for MNIST's 48,000 + 12,000 training images that is 190 MB
    more, and RSS stays about 300 MB higher afterwards (measured). A tensor
    made with DLPack shares the array's memory instead, so Keras trains on the
    array itself, with the same numbers. TensorFlow needs the data 64-byte
    aligned (:func:`helpers.data.flatten_and_scale` prepares it so); any other
    array is returned unchanged and Keras copies it as usual.
    """
    import tensorflow as tf

    if not (isinstance(array, np.ndarray) and array.size and array.flags.c_contiguous
            and array.flags.writeable and array.ctypes.data % 64 == 0
            and array.dtype in (np.float32, np.float64, np.int32, np.int64, np.uint8)):
        return array
    try:
        return tf.experimental.dlpack.from_dlpack(array.__dlpack__())
    except (BufferError, TypeError, ValueError, RuntimeError, tf.errors.OpError):
        return array


def evaluate(model, dataset, batch_size=1024):
    """Test loss and accuracy of ``model`` on ``dataset``'s test set, as a dict."""
    loss, accuracy = model.evaluate(shared_tensor(dataset.x_test), shared_tensor(dataset.y_test),
                                    batch_size=batch_size, verbose=0)
    return {"test_loss": float(loss), "test_accuracy": float(accuracy)}


def summarize(history, test_metrics, **extra):
    """The final numbers of a run, as one flat dict ready for JSON.

    Parameters
    ----------
    history : keras.callbacks.History
        As returned by :func:`fit`.
    test_metrics : dict
        As returned by :func:`evaluate`.
    **extra
        Anything else to record (parameters, notebook name, ...).
    """
    values = history.history
    seconds = getattr(history, "seconds_per_epoch", [])
    # The first epoch includes compiling the training step; the rest is the steady pace.
    steady = seconds[1:] or seconds
    summary = {
        "epochs": len(values.get("loss", [])),
        "train_loss": values["loss"][-1],
        "train_accuracy": values["accuracy"][-1],
        "val_loss": values.get("val_loss", [None])[-1],
        "val_accuracy": values.get("val_accuracy", [None])[-1],
        **test_metrics,
        "seconds_per_epoch": sum(steady) / len(steady) if steady else None,
        "first_epoch_seconds": seconds[0] if seconds else None,
        "total_seconds": sum(seconds),
    }
    summary.update(extra)
    return summary


def write_metrics(path, metrics):
    """Write a metrics dict as JSON (creating folders); do nothing if ``path`` is empty."""
    if not path:
        return None
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n")
    return path
