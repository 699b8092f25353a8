"""The playground's training step: one compiled TensorFlow loop of Keras' own ``train_step``.

:func:`compile_training` runs ``model.train_step`` (what ``model.fit`` runs for
every batch) over all the batches of several epochs inside one compiled
TensorFlow function, then computes every layer's output on the points and the
grid in the same call; this keeps the small steps of a live panel fast.
:func:`epoch_orders` shuffles each epoch the same way whatever the chunk size,
and :func:`log_loss` and :func:`squared_error` are the losses as the Playground
shows them (without the penalty). :class:`helpers.core.playground.Playground`
trains with these.
"""

import numpy as np
import tensorflow as tf


def log_loss(y, p):
    """Mean binary cross-entropy of labels ``y`` (0/1) under probabilities ``p``.

    Parameters
    ----------
    y : array-like
        The labels, 0 or 1.
    p : array-like
        The probabilities of class 1 (clipped away from 0 and 1).

    Returns
    -------
    float
    """
    p = np.clip(np.asarray(p, dtype=float).ravel(), 1e-7, 1 - 1e-7)
    y = np.asarray(y, dtype=float).ravel()
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def squared_error(y, p):
    """Mean squared error of targets ``y`` and outputs ``p``.

    Parameters
    ----------
    y, p : array-like
        The targets and the network's outputs, of the same size.

    Returns
    -------
    float
    """
    return float(np.mean((np.asarray(y, dtype=float).ravel() - np.asarray(p, dtype=float).ravel()) ** 2))


def epoch_orders(seed, first_epoch, epochs, samples):
    """The order of the training points in each of ``epochs`` epochs, from ``first_epoch`` on.

    Epoch ``e`` of a run seeded ``seed`` always gets the same shuffle, so training
    5 + 5 epochs gives the same network as training 10 at once.

    Parameters
    ----------
    seed : int
        The run's seed.
    first_epoch : int
        The first epoch's number (epochs trained before).
    epochs : int
        How many epochs.
    samples : int
        How many training points.

    Returns
    -------
    numpy.ndarray of shape (epochs, samples), int32
    """
    return (
        np.stack(
            [
                np.random.default_rng([seed, epoch]).permutation(samples)
                for epoch in range(first_epoch, first_epoch + epochs)
            ]
        )
        .astype("int32")
        .reshape(epochs, samples)
    )


def compile_training(model):
    """One compiled TensorFlow function that trains ``model`` for some epochs and then looks at it.

    ``train(order, batch_size, x, y, x_look)`` runs, for each row of ``order``
    (an epoch: the training points' indices in the order seen), Keras' own
    ``model.train_step`` on each batch of ``batch_size`` points (the last batch
    of an epoch may be smaller, as in ``model.fit``), then returns the output of
    every layer of the trained network on ``x_look`` (the training points, the
    test points and the grid, in one call).

    Parameters
    ----------
    model : keras.Sequential
        A compiled network with one input.

    Returns
    -------
    callable
        The compiled ``train(order, batch_size, x, y, x_look)``; it returns a
        list of tensors, as :func:`layer_outputs`.
    """
    width = model.inputs[0].shape[-1]
    signature = [
        tf.TensorSpec([None, None], tf.int32),
        tf.TensorSpec([], tf.int32),
        tf.TensorSpec([None, width], tf.float32),
        tf.TensorSpec([None, 1], tf.float32),
        tf.TensorSpec([None, width], tf.float32),
    ]

    @tf.function(input_signature=signature)
    def train(order, batch_size, x, y, x_look):
        samples = tf.shape(order)[1]
        steps = (samples + batch_size - 1) // batch_size
        for step in tf.range(tf.shape(order)[0] * steps):
            epoch, batch = step // steps, step % steps
            indices = order[epoch, batch * batch_size : tf.minimum((batch + 1) * batch_size, samples)]
            model.train_step((tf.gather(x, indices), tf.gather(y, indices)))
        return layer_outputs(model, x_look)

    return train


def layer_outputs(model, x):
    """The output of every layer of ``model`` on the inputs ``x``.

    Parameters
    ----------
    model : keras.Sequential
    x : array-like or tensor of shape (n, inputs)

    Returns
    -------
    list
        One output per layer; the last is the network's output.
    """
    outputs = []
    for layer in model.layers:
        x = layer(x)
        outputs.append(x)
    return outputs
