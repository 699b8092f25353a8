"""The book's MNIST networks built from plain settings, for panels and tests.

The notebooks write their networks layer by layer with ``keras.Sequential``;
this builder makes the same networks from numbers, so a panel can build the
network its sliders describe. Every network of chapter 1 is a stack of dense
layers: the simple 784->10 softmax net is ``mlp(hidden_units=())`` and the
book's V2/V3 nets are ``mlp(hidden_units=(128, 128), dropout=...)``.
"""

import keras

from helpers.core import checks

#: Optimizers the book compares, by the names Keras accepts.
OPTIMIZERS = {
    "sgd": keras.optimizers.SGD,
    "rmsprop": keras.optimizers.RMSprop,
    "adam": keras.optimizers.Adam,
}
#: Activations a hidden layer of :func:`mlp` may use.
HIDDEN_ACTIVATIONS = ("relu", "sigmoid", "tanh", "linear", "elu", "selu")


def mlp(hidden_units=(128, 128), activation="relu", dropout=0.0,
        initializer="glorot_uniform", l1=0.0, l2=0.0, input_dim=784,
        num_classes=10, name=None):
    """Build a multilayer perceptron ending in a softmax layer (not compiled).

    The layers are those a notebook writes by hand: ``keras.Input``, then per
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
    initializer : str
        Kernel initializer of every layer (Keras' default is ``glorot_uniform``).
    l1, l2 : float
        Kernel regularization factors of every dense layer.
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
    checks.check_value("l1", l1, "float >= 0")
    checks.check_value("l2", l2, "float >= 0")
    regularizer = keras.regularizers.L1L2(l1=l1, l2=l2) if (l1 or l2) else None
    layers = [keras.Input(shape=(input_dim,))]
    for units in hidden_units:
        layers.append(keras.layers.Dense(units, activation=activation,
                                         kernel_initializer=initializer,
                                         kernel_regularizer=regularizer))
        if dropout:
            layers.append(keras.layers.Dropout(dropout))
    layers.append(keras.layers.Dense(num_classes, activation="softmax",
                                     kernel_initializer=initializer,
                                     kernel_regularizer=regularizer))
    return keras.Sequential(layers, name=name)


def make_optimizer(name="sgd", learning_rate=None):
    """Create an optimizer by name, with Keras' default learning rate unless given.

    Parameters
    ----------
    name : {"sgd", "rmsprop", "adam"}
    learning_rate : float, optional
        Keras' defaults are the book's: 0.01 for SGD, 0.001 for RMSprop and Adam.
    """
    checks.check_value("optimizer", str(name).lower(), "one of " + ", ".join(OPTIMIZERS))
    if learning_rate is None:
        return OPTIMIZERS[str(name).lower()]()
    checks.check_value("learning_rate", learning_rate, "float > 0")
    return OPTIMIZERS[str(name).lower()](learning_rate=float(learning_rate))
