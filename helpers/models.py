"""The book's MNIST networks as functions with arguments.

Every network of chapter 1 is a stack of dense layers, so one builder covers
them all: the simple 784->10 softmax net is ``mlp(hidden_units=())`` and the
book's V2/V3 nets are ``mlp(hidden_units=(128, 128), dropout=...)``.
"""

import keras

#: Optimizers the book compares, by the names Keras accepts.
OPTIMIZERS = {
    "sgd": keras.optimizers.SGD,
    "rmsprop": keras.optimizers.RMSprop,
    "adam": keras.optimizers.Adam,
}
#: Batches per call into TensorFlow when compiling with ``fast=True``. More than
#: about 32 gains nothing measurable; a Stop button (checked between calls)
#: still answers within a fraction of a second.
STEPS_PER_EXECUTION = 64
ACTIVATIONS = ("relu", "sigmoid", "tanh", "linear", "elu", "selu")


def mlp(hidden_units=(128, 128), activation="relu", dropout=0.0,
        initializer="glorot_uniform", l1=0.0, l2=0.0, input_dim=784,
        num_classes=10, name=None):
    """Build a multilayer perceptron ending in a softmax layer (not compiled).

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
    hidden_units = tuple(int(units) for units in hidden_units)
    if any(units < 1 for units in hidden_units):
        raise ValueError(f"every hidden layer needs at least 1 unit, got {hidden_units}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), got {dropout}")
    if l1 < 0 or l2 < 0:
        raise ValueError(f"l1 and l2 must be >= 0, got l1={l1}, l2={l2}")
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
        Defaults are the book's: 0.01 for SGD, 0.001 for RMSprop and Adam.
    """
    key = str(name).lower()
    if key not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {sorted(OPTIMIZERS)}")
    if learning_rate is None:
        return OPTIMIZERS[key]()
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be > 0, got {learning_rate}")
    return OPTIMIZERS[key](learning_rate=float(learning_rate))


def compile_classifier(model, optimizer="sgd", learning_rate=None, fast=True):
    """Compile for classification: categorical cross-entropy, accuracy metric.

    Parameters
    ----------
    model : keras.Model
    optimizer : str or keras.optimizers.Optimizer
    learning_rate : float, optional
        Only used when ``optimizer`` is a name.
    fast : bool
        Run :data:`STEPS_PER_EXECUTION` batches per call into TensorFlow instead
        of one (the same numbers, far less Python per batch). ``False`` gives
        Keras' defaults, as the book compiles.

    Returns
    -------
    keras.Model
        The same model, compiled.

    Notes
    -----
    Measured on a 2-core CPU (``make bench``): per batch, a plain ``fit``
    returns to Python, which costs more than the small network's arithmetic.
    Looping over batches inside TensorFlow removes that. XLA
    (``jit_compile=True``) is left off on purpose: its steady pace is no better
    here (its dropout random numbers are slower than TensorFlow's own kernel),
    while compiling takes seconds per new model and again for every new batch
    shape, which a live panel feels on every Train.

    Tracing the loop over batches costs a new model about 0.2 CPU seconds more
    than tracing a single step, and each batch then saves about 1 ms: for a
    model that trains fewer than roughly 200 batches in all, ``fast=False`` is
    as quick.
    """
    if isinstance(optimizer, str):
        optimizer = make_optimizer(optimizer, learning_rate)
    options = dict(jit_compile=False, steps_per_execution=STEPS_PER_EXECUTION) if fast else {}
    model.compile(optimizer=optimizer, loss="categorical_crossentropy",
                  metrics=["accuracy"], **options)
    return model


def build_classifier(hidden_units=(128, 128), activation="relu", dropout=0.0,
                     initializer="glorot_uniform", l1=0.0, l2=0.0,
                     optimizer="sgd", learning_rate=None, fast=True, name=None):
    """Build and compile an MNIST classifier in one call (see :func:`mlp`)."""
    model = mlp(hidden_units, activation=activation, dropout=dropout,
                initializer=initializer, l1=l1, l2=l2, name=name)
    return compile_classifier(model, optimizer, learning_rate, fast=fast)
