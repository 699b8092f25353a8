"""The playground's network as plain Keras code: the lines a learner can copy into a script.

:func:`keras_code` writes the data, the features, ``keras.Sequential([...])``,
``model.compile(...)`` and ``model.fit(...)`` of a
:class:`helpers.core.playground.PlaygroundSettings`. Run with the same seed, the
code builds the same network as the panel (the same layers, the same starting
weights) and trains it on the points in the same order, so it reaches the same
training loss after each epoch.
"""

import json

from helpers.core import playground_data

#: How each input feature is computed from the coordinates ``x1``, ``x2`` (NumPy).
FEATURE_CODE = {
    "x1": "x1",
    "x2": "x2",
    "x1^2": "x1 ** 2",
    "x2^2": "x2 ** 2",
    "x1*x2": "x1 * x2",
    "sin(x1)": "np.sin(x1)",
    "sin(x2)": "np.sin(x2)",
}


def _text(value):
    """A string literal in double quotes, as the project writes them."""
    return json.dumps(str(value))


def _regularizer(settings):
    rate = float(settings.regularization_rate)
    if settings.regularization == "none" or not rate:
        return ""
    return f", kernel_regularizer=keras.regularizers.{settings.regularization.upper()}({rate!r})"


def _data_lines(settings):
    s = settings
    if s.data_file:
        return [
            f"# Your points, read from {s.data_file} (a header x1,x2,label or x1,x2,y, then one row per point).",
            f"points = playground_points.read_points({_text(s.data_file)})",
            "x, y = points.x, points.y",
        ]
    return [
        f"# {s.samples} points of the {_text(s.dataset)} pattern with {s.noise} % noise, as the panel draws them.",
        f"x, y = toy_data.make_dataset({_text(s.dataset)}, samples={s.samples}, noise={s.noise / 100!r}, seed=SEED)",
    ]


def keras_code(settings, epochs=1):
    """Python code that builds, compiles and trains the network of ``settings`` with Keras.

    Parameters
    ----------
    settings : PlaygroundSettings
        The panel's settings (checked first).
    epochs : int
        Epochs the code trains (``EPOCHS`` in the code).

    Returns
    -------
    str
        A script: imports, the data and its split, the features, the
        ``keras.Sequential`` model, ``model.compile`` and ``model.fit``, and a
        last line printing the training loss (the number the panel shows).
    """
    s = settings.validate()
    epochs = int(epochs)
    if epochs < 0:
        raise ValueError(f"epochs must be a whole number >= 0, got {epochs}")
    regression = s.regression
    x, _ = playground_data.make_points(s)
    train_fraction = playground_data.train_fraction(s, len(x))
    regularizer = _regularizer(s)
    loss = "mean_squared_error" if regression else "binary_crossentropy"
    loss_class = "MeanSquaredError" if regression else "BinaryCrossentropy"
    modules = "playground_points, toy_data" if s.data_file else "toy_data"
    lines = [
        "import keras",
        "import numpy as np",
        "",
        f"from helpers.core import {modules}",
        "",
        f"SEED = {s.seed}",
        f"EPOCHS = {epochs}",
        "keras.utils.set_random_seed(SEED)   # the same starting weights as the panel's network",
        "",
        *_data_lines(s),
        f"x_train, y_train, x_test, y_test = toy_data.train_test_split(x, y, train_fraction={train_fraction!r}, "
        "seed=SEED)",
        "",
        "",
        "def features(points):",
        f'    """The network\'s inputs: {", ".join(s.features)}."""',
        '    x1, x2 = points[:, 0].astype("float64"), points[:, 1].astype("float64")',
        f'    return np.stack([{", ".join(FEATURE_CODE[name] for name in s.features)}], axis=1).astype("float32")',
        "",
        "",
        "model = keras.Sequential([",
        f"    keras.Input(shape=({len(s.features)},)),",
        *[
            f"    keras.layers.Dense({units}, activation={_text(s.activation)}{regularizer}),"
            for units in s.layer_sizes()
        ],
        f"    keras.layers.Dense(1, activation={_text('linear' if regression else 'sigmoid')}{regularizer}),",
        "])",
        f"model.compile(optimizer=keras.optimizers.SGD(learning_rate={float(s.learning_rate)!r}), loss={_text(loss)})",
        "for epoch in range(EPOCHS):",
        "    # The panel's order of the points in each epoch (fit's own shuffle would pick another one).",
        "    order = np.random.default_rng([SEED, epoch]).permutation(len(x_train))",
        f"    model.fit(features(x_train)[order], y_train[order], batch_size={s.batch_size}, epochs=1, "
        "shuffle=False, verbose=0)",
        "",
        f"loss = float(keras.losses.{loss_class}()(y_train, model.predict(features(x_train), verbose=0)))",
        'print(f"training loss after {EPOCHS} epochs: {loss:.3f}")',
    ]
    return "\n".join(lines) + "\n"
