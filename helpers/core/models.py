"""The book's MNIST multilayer perceptron, built from plain arguments: the one MLP builder.

Notebook 04 writes this network layer by layer with ``keras.Sequential`` (the
lesson); the later notebooks and the panels build it with :func:`mlp`, which
adds the same layers in the same order, so the same seed gives the same
initial weights. Every network of chapter 1 is a stack of dense layers: the
simple 784->10 softmax net is ``mlp(hidden_units=())`` and the book's V2/V3
nets are ``mlp(hidden_units=(128, 128), dropout=...)``.

Optimizers are made by name with Keras' own ``keras.optimizers.get(name)``
(``"sgd"``, ``"rmsprop"``, ``"adam"``), then given their learning rate.
"""

import keras

from helpers.core import checks

#: Optimizers the book compares, by the names ``keras.optimizers.get`` accepts.
OPTIMIZER_NAMES = ("sgd", "rmsprop", "adam")
#: Activations a hidden layer of :func:`mlp` may use.
HIDDEN_ACTIVATIONS = ("relu", "sigmoid", "tanh", "linear", "elu", "selu")


def mlp(
    hidden_units=(128, 128),
    activation="relu",
    dropout=0.0,
    initializer="glorot_uniform",
    kernel_regularizer=None,
    activity_regularizer=None,
    input_dim=784,
    num_classes=10,
    name=None,
):
    """Build a multilayer perceptron ending in a softmax layer (not compiled).

    The layers are those notebook 04 writes by hand: ``keras.Input``, then per
    hidden layer a ``Dense`` (and a ``Dropout`` when ``dropout`` > 0), then a
    softmax ``Dense``; so the same seed gives the same initial weights.

    Parameters
    ----------
    hidden_units : sequence of int
        Units of each hidden layer; ``()`` gives the book's simple softmax net.
    activation : str
        Activation of the hidden layers.
    dropout : float
        Dropout rate after each hidden layer, in [0, 1); 0 adds no Dropout layer.
    initializer : str or keras.initializers.Initializer
        Kernel initializer of every layer (Keras' default is ``glorot_uniform``).
    kernel_regularizer : keras.regularizers.Regularizer, optional
        Penalty on the kernel of every dense layer, e.g. ``keras.regularizers.L2(1e-4)``.
    activity_regularizer : keras.regularizers.Regularizer, optional
        Penalty on the outputs of every hidden layer.
    input_dim, num_classes : int
        Input size (784 for flattened MNIST) and number of classes.
    name : str, optional
        Model name shown by ``model.summary()``.

    Returns
    -------
    keras.Sequential
    """
    checks.check_value("hidden_units", list(hidden_units) or [1], "list of int >= 1")
    checks.check_value("dropout", dropout, "float in [0, 1)")
    layers = [keras.Input(shape=(input_dim,))]
    for units in hidden_units:
        layers.append(
            keras.layers.Dense(
                units,
                activation=activation,
                kernel_initializer=initializer,
                kernel_regularizer=kernel_regularizer,
                activity_regularizer=activity_regularizer,
            )
        )
        if dropout:
            layers.append(keras.layers.Dropout(dropout))
    layers.append(
        keras.layers.Dense(
            num_classes, activation="softmax", kernel_initializer=initializer, kernel_regularizer=kernel_regularizer
        )
    )
    return keras.Sequential(layers, name=name)
