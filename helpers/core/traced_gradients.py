"""TensorFlow's leftover gradient registrations, so that a network no longer used can be freed.

Keras' TensorFlow optimizer sums the gradients with
``tf.distribute.get_replica_context().all_reduce``, even on one device, and
TensorFlow wraps that sum in ``tf.custom_gradient``. Inside a traced training
step, ``tf.custom_gradient`` registers a gradient function in TensorFlow's
global gradient registry under a new name (``CustomGradient-N``), and nothing
ever removes it. That function holds the traced step, so every network trained
in a kernel keeps its graph for the rest of the session, unless the registrations
each one made are removed after it (how much that saves: docs/performance.md,
"Kernel memory"). ``keras.backend.clear_session()`` does not remove them.

A registration is only read while a gradient is being traced through it, so
removing those of a network whose training step is already traced (or that is
no longer used) changes no result. The registry is private to TensorFlow: on
another backend, or a TensorFlow without it, these functions do nothing.
"""

import keras

PREFIX = "CustomGradient-"


def _registry():
    """TensorFlow's gradient registry (name -> registration), or None where there is none."""
    if keras.backend.backend() != "tensorflow":
        return None
    from tensorflow.python.framework import ops

    return getattr(getattr(ops, "_gradient_registry", None), "_registry", None)


def registered():
    """The names of the custom-gradient registrations TensorFlow holds now.

    Returns
    -------
    frozenset of str
        Empty when this TensorFlow has no such registry (or Keras runs on another backend).
    """
    registry = _registry()
    if registry is None:
        return frozenset()
    return frozenset(name for name in list(registry) if name.startswith(PREFIX))


def release(names):
    """Remove the custom-gradient registrations ``names``; others stay.

    Parameters
    ----------
    names : iterable of str
        Names from :func:`registered`.
    """
    registry = _registry()
    if registry is None:
        return
    for name in names:
        if name.startswith(PREFIX):
            registry.pop(name, None)


class ReleaseAtFitEnd(keras.callbacks.Callback):
    """A callback: when ``fit`` ends, release the registrations its tracing made.

    Pass it to ``fit`` in a cell that trains many networks one after the other (a sweep, a search), so that
    each network's traced training step can be freed with the network instead of staying for the rest of
    the session. The step is traced by then, so the registrations are never read again: the results do not
    change. On another backend it does nothing.

    Only what appeared during the first epoch is released: that is when ``fit`` traces its step. A network
    that a panel traces in the background later during this ``fit`` keeps its registrations, which its own
    tracing may still be about to read.
    """

    def on_train_begin(self, logs=None):
        """Note the registrations that exist before this ``fit``.

        Parameters
        ----------
        logs : dict, optional
            Keras' logs (unused).
        """
        self._before = registered()
        self._made = None

    def on_epoch_end(self, epoch, logs=None):
        """After the first epoch: note the registrations this ``fit`` made (its traced steps).

        Parameters
        ----------
        epoch : int
            The epoch's index.
        logs : dict, optional
            Keras' logs (unused).
        """
        if self._made is None:
            self._made = registered() - self._before

    def on_train_end(self, logs=None):
        """Release the registrations this ``fit`` made.

        Parameters
        ----------
        logs : dict, optional
            Keras' logs (unused).
        """
        release(self._made if self._made is not None else registered() - self._before)
