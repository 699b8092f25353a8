"""Floating-point operations of a dense network's epoch, counted from its layer sizes.

A dense layer maps ``n`` inputs of size ``a`` to size ``b`` with one matrix
product of ``n * a * b`` multiply-adds, i.e. ``2 n a b`` FLOPs. Training adds
the backward pass: the gradient of the weights (another ``2 n a b``) and the
gradient of the layer's input (``2 n a b`` again), except for the first layer,
whose input is the data and needs no gradient. Biases, activations, dropout,
the loss and the optimizer's update are left out: they grow with ``n * b`` or
with the number of weights, not with ``n * a * b``, and are a few percent of
the total here. The count is therefore a floor, not an estimate.
"""


def layer_pairs(sizes):
    """(inputs, outputs) of each dense layer of a network with these layer sizes."""
    sizes = [int(size) for size in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"need at least an input and an output size, all >= 1, got {sizes}")
    return list(zip(sizes[:-1], sizes[1:]))


def forward_flops(sizes, samples):
    """FLOPs of the matrix products of one forward pass over ``samples`` inputs."""
    return sum(2 * samples * a * b for a, b in layer_pairs(sizes))


def training_flops(sizes, samples):
    """FLOPs of forward + backward matrix products for ``samples`` training inputs.

    Forward, weight gradients and input gradients each cost one product per
    layer; the first layer's input gradient is not computed.
    """
    pairs = layer_pairs(sizes)
    first_a, first_b = pairs[0]
    return 3 * forward_flops(sizes, samples) - 2 * samples * first_a * first_b


def epoch_flops(sizes, train_samples, validation_samples=0):
    """FLOPs of one epoch: training on ``train_samples``, then validating (forward only).

    Returns
    -------
    dict
        ``training``, ``validation`` and ``total`` FLOPs.
    """
    training = training_flops(sizes, train_samples)
    validation = forward_flops(sizes, validation_samples) if validation_samples else 0
    return {"training": training, "validation": validation, "total": training + validation}


def step_matmul_shapes(sizes, batch):
    """The (m, k, n) shapes of the matrix products of one training step on ``batch`` inputs.

    Forward ``x @ W`` per layer, weight gradients ``x.T @ d`` per layer, input
    gradients ``d @ W.T`` for every layer but the first; their FLOPs add up to
    :func:`training_flops` for ``batch`` samples.
    """
    pairs = layer_pairs(sizes)
    forward = [(batch, a, b) for a, b in pairs]
    weight_gradients = [(a, batch, b) for a, b in pairs]
    input_gradients = [(batch, b, a) for a, b in pairs[1:]]
    return forward + weight_gradients + input_gradients


def shapes_flops(shapes):
    """FLOPs of a list of (m, k, n) matrix products."""
    return sum(2 * m * k * n for m, k, n in shapes)
