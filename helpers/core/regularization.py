"""Weight penalties: from a named kind and a strength to Keras' factors, and what they do.

The penalties themselves are Keras' (``keras.regularizers.L1L2``); the
notebook writes the regularized loss out. Here are the small pieces around
them that a panel and a notebook share: turning "elastic net, lambda = 1e-4"
into ``(l1, l2)``, collecting a model's weights, counting the ones near zero,
and the data part of the loss, which Keras' reported loss mixes with the
penalty.
"""

import numpy as np

#: Penalty kinds, as a learner picks them.
KINDS = ("none", "L1", "L2", "elastic net")


def penalty_factors(kind, strength, l1_ratio=0.5):
    """The ``(l1, l2)`` factors of ``keras.regularizers.L1L2`` for a penalty kind.

    The penalty is ``strength * (l1_ratio * sum|w| + (1 - l1_ratio) * sum w**2)``:
    L1 is ``l1_ratio = 1``, L2 is ``l1_ratio = 0``, elastic net mixes the two.

    Parameters
    ----------
    kind : {"none", "L1", "L2", "elastic net"}
    strength : float
        The penalty's weight lambda, >= 0.
    l1_ratio : float
        In [0, 1]; only used by elastic net.

    Returns
    -------
    tuple of float
    """
    if kind not in KINDS:
        raise ValueError(f"unknown penalty {kind!r}; choose one of {', '.join(KINDS)}")
    if not strength >= 0:
        raise ValueError(f"the penalty strength must be 0 or more, got {strength!r}")
    if not 0.0 <= l1_ratio <= 1.0:
        raise ValueError(f"l1_ratio must be between 0 and 1, got {l1_ratio!r}")
    share = {"none": None, "L1": 1.0, "L2": 0.0, "elastic net": l1_ratio}[kind]
    if share is None:
        return 0.0, 0.0
    return float(strength * share), float(strength * (1.0 - share))


def kernel_weights(model):
    """Every kernel (connection) weight of a model's layers, as one flat array.

    Biases are left out: Keras' ``kernel_regularizer`` does not penalize them.

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    numpy.ndarray
        1-D.

    Raises
    ------
    ValueError
        If no layer of the model has a kernel.
    """
    kernels = [np.asarray(layer.kernel).ravel() for layer in model.layers if hasattr(layer, "kernel")]
    if not kernels:
        raise ValueError(f"model {model.name!r} has no layer with a kernel")
    return np.concatenate(kernels)


def near_zero_count(values, threshold=1e-3):
    """How many of ``values`` lie within ``threshold`` of zero (``|v| < threshold``).

    Parameters
    ----------
    values : array_like
    threshold : float
        Greater than 0.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If ``threshold`` is not greater than 0.
    """
    if not threshold > 0:
        raise ValueError(f"threshold must be greater than 0, got {threshold!r}")
    return int(np.count_nonzero(np.abs(np.asarray(values)) < threshold))


def penalty(model):
    """The current value of every penalty a model adds to its loss.

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    float
        0.0 without penalties.
    """
    return float(sum(float(np.asarray(loss)) for loss in model.losses))


def data_loss(model, x, y, batch_size=1024):
    """The data part of a compiled model's loss on ``(x, y)``: Keras' loss minus the penalty.

    ``model.evaluate`` and the ``val_loss`` of ``fit`` include the penalty, so
    runs with different penalties are compared on this instead. Taken from
    Keras' own loss, it is computed as Keras computes it (from the logits of
    the softmax, exact even for a probability that rounds to 0 in float32).

    Parameters
    ----------
    model : keras.Model
        Compiled.
    x, y : array_like
        Inputs and targets.
    batch_size : int
        Images per batch of the evaluation.

    Returns
    -------
    float
    """
    loss = model.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)["loss"]
    return float(loss) - penalty(model)
