"""What a run needs around ``model.fit``: callbacks that time and stop it, its final numbers as JSON.

The notebooks call ``model.compile``, ``model.fit`` and ``model.evaluate``
themselves, compiling with :data:`STEPS_PER_EXECUTION`; they pass these
callbacks in and save :func:`summarize`'s dict with :func:`write_metrics`.
Live curves are a figure: :mod:`helpers.figures.training_curves`.
"""

import time

import keras

from helpers.core import files

#: Batches per call into the backend: ``model.compile(..., steps_per_execution=STEPS_PER_EXECUTION)``,
#: the project's one speed setting (notebook 04, "Speed settings"). The numbers are exactly those of
#: one batch per call, as the book's Keras ran; on a CPU it is about twice as fast, and more than
#: about 32 gains nothing measurable. Per-batch callbacks then run once per group of batches, so a
#: panel's Stop (checked between calls) still answers within a fraction of a second.
STEPS_PER_EXECUTION = 64


class EpochTimer(keras.callbacks.Callback):
    """Record the wall time of every epoch in ``self.seconds``."""

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


class StopOnEvent(keras.callbacks.Callback):
    """End ``model.fit`` soon after ``event`` (a ``threading.Event``) is set.

    A panel's Stop button sets the event from another thread. Keras calls batch
    callbacks once per call into the backend, so with ``steps_per_execution=N``
    the run ends after the current group of N batches (at most a fraction of a
    second for this chapter's networks), runs that epoch's validation and
    end-of-epoch callbacks, and returns. The weights learned so far and the
    history are kept.

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


def summarize(history, test_loss, test_accuracy, seconds_per_epoch=(), **extra):
    """The final numbers of a run, as one flat dict ready for JSON.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        What ``model.fit`` returned, or its ``history`` dict of per-epoch lists.
    test_loss, test_accuracy : float
        What ``model.evaluate`` returned on the test set.
    seconds_per_epoch : sequence of float
        An :class:`EpochTimer`'s ``seconds``; the first epoch includes
        tracing the training step, so the steady pace leaves it out.
    **extra
        Anything else to record (parameters, notebook name, ...).
    """
    values = getattr(history, "history", history)
    seconds = list(seconds_per_epoch)
    steady = seconds[1:] or seconds
    summary = {
        "epochs": len(values.get("loss", [])),
        "train_loss": values["loss"][-1],
        "train_accuracy": values["accuracy"][-1],
        "val_loss": values.get("val_loss", [None])[-1],
        "val_accuracy": values.get("val_accuracy", [None])[-1],
        "test_loss": float(test_loss),
        "test_accuracy": float(test_accuracy),
        "seconds_per_epoch": sum(steady) / len(steady) if steady else None,
        "first_epoch_seconds": seconds[0] if seconds else None,
        "total_seconds": sum(seconds),
    }
    summary.update(extra)
    return summary


def write_metrics(path, metrics):
    """Write a metrics dict as JSON (creating folders); do nothing if ``path`` is empty.

    The file is written whole or not at all (a temporary file, then a rename),
    so a run killed while writing never leaves half a record.
    """
    if not path:
        return None
    return files.write_json_atomically(path, metrics)
