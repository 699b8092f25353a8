"""Exercises of ``04_mlp``: MNIST prepared for a dense network, V2 in Keras, parameter counts, precision and
recall, and which images choose the settings."""

import numpy as np

from helpers.exercises.exercise import Choice, Exercise, Mistake, call

NOTEBOOK = "04_mlp"


def _mnist_sample(count=300):
    """The first ``count`` training images and labels of MNIST, as load_mnist returns them."""
    from helpers.core import data

    (x_train, y_train), _ = data.load_mnist()
    return x_train[:count].copy(), y_train[:count].copy()


def _pair(result, name, parts):
    if not isinstance(result, (tuple, list)):
        raise Mistake(
            f"{name} must return two arrays, {parts} (return {parts}); it returned one {type(result).__name__}"
        )
    if len(result) != 2:
        raise Mistake(
            f"{name} must return two arrays, {parts} (return {parts}); it returned a "
            f"{type(result).__name__} of {len(result)}"
        )
    return result


def _prepared(prepare, x, y):
    """``prepare(x, y)`` as two NumPy arrays, naming the book's fixed reshape(60000, 784) if it fails."""
    try:
        result = call(prepare, x, y)
    except ValueError as error:
        if "reshape" in str(error) and "60000" in str(error):
            raise Mistake(
                f"reshape(60000, 784) fits only the 60,000 training images; here x has {len(x)}: "
                f"reshape(len(x), 784) (or reshape(-1, 784)) fits any number of images"
            ) from None
        raise
    X, Y = _pair(result, "prepare", "X, Y")
    return np.asarray(X), np.asarray(Y)


def check_prepare(prepare):
    x, y = _mnist_sample()
    x_before, y_before = x.copy(), y.copy()
    X, Y = _prepared(prepare, x, y)
    if not (np.array_equal(x, x_before) and np.array_equal(y, y_before)):
        raise Mistake("your function changed x or y themselves: build new arrays and return them")
    n = len(x)
    expected = x.reshape(n, 784).astype("float32") / 255
    if X.shape == (n, 28, 28):
        raise Mistake(
            f"X has shape {X.shape}: each image still has shape (28, 28) instead of (784,). A Dense "
            f"layer takes each image as one row of 784 numbers: reshape to (len(x), 784)"
        )
    if X.shape != (n, 784):
        raise Mistake(
            f"X has shape {X.shape} for {n} images; it must be ({n}, 784), one row of 784 pixels per "
            "image: x.reshape(len(x), 784)"
        )
    if not np.issubdtype(X.dtype, np.number) or np.issubdtype(X.dtype, np.bool_):
        raise Mistake(f"X has dtype {X.dtype}; it must hold float32 numbers")
    if X.min() < 0:
        raise Mistake(
            f"X goes down to {X.min():.3g}: the book does not centre the pixels, it only divides them "
            "by 255, which keeps them in [0, 1]"
        )
    if X.max() > 1:
        raise Mistake(
            f"X goes up to {X.max():g}: the pixels are not divided by 255, so they are not in [0, 1]. "
            "Divide by 255, the brightest value"
        )
    if set(np.unique(X).tolist()) <= {0, 1}:
        raise Mistake(
            "X holds only 0 and 1: the pixels were rounded (integer division, //, rounds them down) "
            "or thresholded. Divide with / by 255, so that the greys keep their values between 0 and 1"
        )
    if X.dtype != np.float32:
        cost = "; float64 takes twice the memory for no gain" if X.dtype == np.float64 else ""
        raise Mistake(
            f'X has dtype {X.dtype}: the book converts to float32 (astype("float32")), the type Keras computes in{cost}'
        )
    if np.allclose(X, x.reshape(n, 784) / 256, rtol=0, atol=1e-6) and not np.allclose(X, expected, atol=1e-6):
        raise Mistake(
            f"the brightest pixel came out {X.max():.4f}: you divided by 256. The largest pixel value "
            "is 255, so divide by 255 to reach exactly 1"
        )
    if not np.allclose(X, expected, rtol=0, atol=1e-6):
        worst = np.unravel_index(np.argmax(np.abs(X - expected)), X.shape)
        raise Mistake(
            f"X has the right shape, but X[{worst[0]}, {worst[1]}] is {X[worst]:.4f} where the pixel "
            f"divided by 255 is {expected[worst]:.4f}: flatten each image in order, "
            "x.reshape(len(x), 784), then divide by 255"
        )
    if Y.shape in ((n,), (n, 1)):
        raise Mistake(
            f"Y has shape {Y.shape}: the labels are not one-hot. Softmax gives ten probabilities per "
            f"image, so each label must be ten numbers too: keras.utils.to_categorical(y, 10) gives "
            f"({n}, 10)"
        )
    if Y.ndim != 2 or Y.shape[0] != n:
        raise Mistake(f"Y has shape {Y.shape}; it must be ({n}, 10), one row of ten per label")
    if Y.shape[1] != 10:
        raise Mistake(f"Y has {Y.shape[1]} columns; one per digit makes 10: keras.utils.to_categorical(y, 10)")
    if not np.array_equal(Y, np.eye(10)[y]):
        row = int(np.flatnonzero(np.any(Y != np.eye(10)[y], axis=1))[0])
        raise Mistake(
            f"row {row} of Y is {np.round(Y[row], 3).tolist()} for the label {y[row]}; one-hot puts a "
            f"1 at position {y[row]} and 0 elsewhere"
        )
    few = np.flatnonzero(y <= 6)[:5]  # labels that stop at 6: to_categorical(y) alone would give 7 columns
    _, Y_few = _prepared(prepare, x[few], y[few])
    if Y_few.ndim != 2 or Y_few.shape[1] != 10:
        raise Mistake(
            f"for 5 images whose labels are {y[few].tolist()}, Y has shape {Y_few.shape}, not (5, 10): "
            "without the number of classes, to_categorical counts them from the largest label it sees. "
            "Pass it 10 (NB_CLASSES)"
        )
    if not np.array_equal(Y_few, np.eye(10)[y[few]]):
        raise Mistake(f"for 5 images whose labels are {y[few].tolist()}, Y is not their one-hot encoding")
    return (
        f"X is {X.shape} {X.dtype} in [{X.min():g}, {X.max():g}], Y is {Y.shape} with one 1 per row: "
        f"the first label, {y[0]}, became {Y[0].astype(int).tolist()}"
    )


def _activation_name(function):
    return getattr(function, "__name__", str(function)).lower()


def _dense_blocks(model):
    """Each Dense layer as [units, activation], with the book's separate Activation layers folded in."""
    import keras

    blocks, extra = [], []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            blocks.append([layer.units, _activation_name(layer.activation)])
            continue
        if isinstance(layer, keras.layers.Activation):
            name = _activation_name(layer.activation)
        elif isinstance(layer, keras.layers.Softmax):
            name = "softmax"
        elif isinstance(layer, keras.layers.ReLU):
            name = "relu"
        else:
            continue
        if not blocks:
            extra.append(f"an activation ({name}) before the first Dense layer")
        elif blocks[-1][1] == "linear":
            blocks[-1][1] = name
        else:
            extra.append(f"{name} after a Dense layer that already has {blocks[-1][1]}")
            blocks[-1][1] = f"{blocks[-1][1]}+{name}"
    return blocks, extra


def check_v2(build_v2):
    import keras

    model = call(build_v2, name="build_v2")
    if not isinstance(model, keras.Model):
        raise Mistake(f"build_v2() returned a {type(model).__name__}; it must return the keras.Sequential model")
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        inputs = None
    if not inputs:
        raise Mistake(
            "the model has no input shape, so Keras cannot build it or count its parameters: start "
            "the list with keras.Input(shape=(784,))"
        )
    shape = tuple(inputs[0].shape[1:])
    if shape == (28, 28):
        raise Mistake(
            "the model takes inputs of shape (28, 28), the image as a square; V2 takes the flattened "
            "image, (784,), as prepare gives it: keras.Input(shape=(784,))"
        )
    if shape != (784,):
        raise Mistake(
            f"the model takes inputs of shape {shape}; V2 takes the flattened image: keras.Input(shape=(784,))"
        )
    kinds = [type(layer).__name__ for layer in model.layers]
    if "Dropout" in kinds:
        raise Mistake(f"the model has Dropout layers ({kinds}): that is V3, notebook 05. V2 has none")
    blocks, extra = _dense_blocks(model)
    units = [block[0] for block in blocks]
    activations = [block[1] for block in blocks]
    if len(blocks) != 3:
        raise Mistake(
            f"the model has {len(blocks)} Dense layer{'s' * (len(blocks) != 1)} with {units} units; "
            "V2 has three: two hidden layers of 128 and the output layer of 10"
        )
    if units[-1] != 10:
        raise Mistake(
            f"the output layer has {units[-1]} unit{'s' * (units[-1] != 1)}; it needs one per digit, 10 (NB_CLASSES)"
        )
    if units[:2] != [128, 128]:
        raise Mistake(f"the hidden layers have {units[:2]} units; the book's N_HIDDEN is 128 for both")
    if activations[-1].split("+").count("softmax") > 1:
        raise Mistake(
            f"the output applies {activations[-1].replace('+', ' then ')}: softmax twice. Either "
            'Dense(10, activation="softmax") or Dense(10) then Activation("softmax"), not both'
        )
    if "+" in activations[-1]:
        raise Mistake(
            f"the output applies {activations[-1].replace('+', ' then ')}; V2's output is softmax "
            "alone, on the ten scores of the last Dense layer"
        )
    if activations[-1] in ("linear", "relu"):
        raise Mistake(
            f"the output layer's activation is {activations[-1]}: softmax is missing, so the ten "
            "outputs are not probabilities that sum to 1, which categorical cross-entropy expects. "
            'Give the last Dense layer activation="softmax"'
        )
    if activations[-1] == "sigmoid":
        raise Mistake(
            "the output layer uses sigmoid: ten independent numbers in (0, 1) that need not sum to 1. "
            "For one digit out of ten the output needs softmax"
        )
    if activations[-1] != "softmax":
        raise Mistake(f"the output layer's activation is {activations[-1]}; V2's output is softmax")
    if "linear" in activations[:2]:
        raise Mistake(
            f"the hidden layers' activations are {activations[:2]}: without an activation a hidden "
            "layer is linear, and linear layers in a row make one linear map, V1 again. V2 uses relu"
        )
    if activations[:2] != ["relu", "relu"]:
        raise Mistake(f"the hidden layers' activations are {activations[:2]}; the book's V2 uses relu")
    if extra:
        raise Mistake(f"the model has {extra[0]}; V2 is three Dense layers, relu, relu and softmax")
    probabilities = np.asarray(model(np.zeros((2, 784), dtype="float32")))
    if probabilities.shape != (2, 10) or not np.allclose(probabilities.sum(axis=1), 1, atol=1e-5):
        raise Mistake(
            f"for two images the model gives an output of shape {probabilities.shape}; V2 gives ten "
            "probabilities per image"
        )
    return (
        f"V2 as the book builds it: 784 -> 128 relu -> 128 relu -> 10 softmax, {model.count_params():,} "
        f"parameters; its ten outputs for an image sum to {probabilities[0].sum():.3f}"
    )


# The number of parameters the right formula gives, and the ones each typical slip gives.
def _parameters(sizes):
    return sum(n * m + m for n, m in zip(sizes[:-1], sizes[1:]))


_PARAMETER_SLIPS = {
    "no biases": lambda sizes: sum(n * m for n, m in zip(sizes[:-1], sizes[1:])),
    "bias per input": lambda sizes: sum(n * m + n for n, m in zip(sizes[:-1], sizes[1:])),
    "input biases": lambda sizes: sum(n * m for n, m in zip(sizes[:-1], sizes[1:])) + sum(sizes),
    "one bias per layer": lambda sizes: sum(n * m + 1 for n, m in zip(sizes[:-1], sizes[1:])),
    "output layer missing": lambda sizes: _parameters(sizes[:-1]),
    "units only": lambda sizes: sum(sizes),
}

_PARAMETER_MESSAGES = {
    "no biases": "you counted the weights but not the biases: a layer of m units on n inputs has n·m weights "
    "plus m biases, one per unit",
    "bias per input": "you counted one bias per input; a layer has one bias per unit: n·m + m for m units on n inputs",
    "input biases": "you gave the input a bias per pixel; the input is not a layer and has no parameters: only "
    "each Dense layer has n·m weights and m biases",
    "one bias per layer": "you counted one bias per layer; each unit has its own bias: n·m + m for m units on n inputs",
    "output layer missing": "the output layer is missing from your count: every pair of neighbouring sizes, "
    "the last one included, is a Dense layer",
    "units only": "you added up the units; the parameters are the weights of every connection (n·m per layer) "
    "and one bias per unit",
}


def check_dense_parameters(dense_parameters):
    cases = [[784, 10], [784, 128, 128, 10], [784, 32, 32, 32, 10], [784, 512, 10], [3, 2]]
    got = []
    for sizes in cases:
        value = call(dense_parameters, list(sizes))
        if not isinstance(value, (int, np.integer)) and not (
            isinstance(value, (float, np.floating)) and float(value).is_integer()
        ):
            raise Mistake(f"dense_parameters({sizes}) returned {value!r}; it must return a whole number")
        got.append(int(value))
    right = [_parameters(sizes) for sizes in cases]
    if got == right:
        return (
            f"V1 has {right[0]:,} parameters and V2 {right[1]:,}; three hidden layers of 32 have {right[2]:,} "
            f"and one of 512 has {right[3]:,}, {right[3] / right[2]:.1f} times as many"
        )
    for slip, count in _PARAMETER_SLIPS.items():
        if got == [count(sizes) for sizes in cases]:
            raise Mistake(f"dense_parameters([784, 10]) returned {got[0]:,}: {_PARAMETER_MESSAGES[slip]}")
    wrong = next(index for index, (a, b) in enumerate(zip(got, right)) if a != b)
    raise Mistake(
        f"dense_parameters({cases[wrong]}) returned {got[wrong]:,}; count n·m weights and m biases "
        f"for each Dense layer of m units on n inputs, and add the layers up"
    )


CONFUSION = np.array([[50, 3, 2], [10, 30, 0], [5, 5, 40]])  # rows: the true digit; columns: the predicted one


def check_precision_recall(precision_recall):
    matrix = CONFUSION.copy()
    result = call(precision_recall, matrix)
    parts = _pair(result, "precision_recall", "precision, recall")
    precision, recall = (np.asarray(part, dtype=float) for part in parts)
    if not np.array_equal(matrix, CONFUSION):
        raise Mistake("your function changed the matrix itself: compute new arrays from it")
    right_precision = CONFUSION.diagonal() / CONFUSION.sum(axis=0)
    right_recall = CONFUSION.diagonal() / CONFUSION.sum(axis=1)
    if precision.shape != (3,) or recall.shape != (3,):
        raise Mistake(
            f"for a 3 x 3 matrix the result has shapes {precision.shape} and {recall.shape}; it must "
            "be one precision and one recall per class, shapes (3,) and (3,)"
        )
    if np.allclose(precision, right_recall) and np.allclose(recall, right_precision):
        raise Mistake(
            "precision and recall are swapped: precision divides by a column's sum (what the network "
            "predicted as that class), recall by a row's sum (what truly is that class)"
        )
    if np.allclose(precision, right_recall):
        raise Mistake(
            f"your precision {np.round(precision, 3).tolist()} divides by the row sums: that is "
            "recall. Precision divides each diagonal count by its column's sum"
        )
    if np.allclose(recall, right_precision):
        raise Mistake(
            f"your recall {np.round(recall, 3).tolist()} divides by the column sums: that is "
            "precision. Recall divides each diagonal count by its row's sum"
        )
    if np.allclose(precision, 100 * right_precision) or np.allclose(recall, 100 * right_recall):
        raise Mistake("these are percentages; return fractions between 0 and 1, as the notebook prints them")
    total = CONFUSION.diagonal() / CONFUSION.sum()
    if np.allclose(precision, total) or np.allclose(recall, total):
        raise Mistake(
            "you divided the diagonal by the sum of the whole matrix; each class's precision divides by "
            "its column's sum, its recall by its row's sum"
        )
    if not np.allclose(precision, right_precision):
        raise Mistake(
            f"your precision is {np.round(precision, 3).tolist()}; the diagonal count over the column's "
            "sum gives something else"
        )
    if not np.allclose(recall, right_recall):
        raise Mistake(
            f"your recall is {np.round(recall, 3).tolist()}; the diagonal count over the row's sum gives something else"
        )
    return (
        f"precision {np.round(precision, 3).tolist()}, recall {np.round(recall, 3).tolist()}: class 1 is found "
        f"only {recall[1]:.0%} of the time, and when the network says 0 it is right {precision[0]:.0%} of "
        "the time"
    )


EXERCISES = (
    Exercise(
        "04.1",
        "MNIST prepared for a dense network",
        "prepare",
        check_prepare,
        hints=(
            "Three things change: each 28 x 28 image becomes one row of 784 numbers, the pixels become "
            "float32 numbers in [0, 1], each label becomes ten numbers.",
            'x.reshape(len(x), 784).astype("float32") / 255 for the images; the book\'s reshape(60000, 784) '
            "works only for the 60,000 training images.",
            "keras.utils.to_categorical(y, 10) for the labels: always pass the 10, or a set of labels without "
            "a 9 gets fewer columns.",
        ),
        kind="code",
    ),
    Exercise(
        "04.2",
        "V2 in Keras",
        "build_v2",
        check_v2,
        hints=(
            "V2 is V1 with two hidden Dense layers of 128 relu units between the input and the softmax layer.",
            "keras.Sequential([...]) whose list starts with keras.Input(shape=(784,)) and ends with "
            'keras.layers.Dense(10, activation="softmax").',
            'In between: keras.layers.Dense(128, activation="relu"), twice.',
        ),
        kind="code",
    ),
    Exercise(
        "04.3",
        "counting a dense network's parameters",
        "dense_parameters",
        check_dense_parameters,
        hints=(
            "A Dense layer of m units on n inputs has one weight per connection and one bias per unit.",
            "That is n·m + m. The layers are the neighbouring pairs of sizes: zip(sizes[:-1], sizes[1:]).",
            "return sum(n * m + m for n, m in zip(sizes[:-1], sizes[1:]))",
        ),
        kind="code",
    ),
    Exercise(
        "04.4",
        "precision and recall from a confusion matrix",
        "precision_recall",
        check_precision_recall,
        hints=(
            "Row c of the matrix holds the images that truly are c; column c the images the network called c. "
            "The diagonal holds the right answers.",
            "Precision: the diagonal over each column's sum. Recall: the diagonal over each row's sum.",
            "matrix.diagonal() / matrix.sum(axis=0) and matrix.diagonal() / matrix.sum(axis=1).",
        ),
        kind="code",
    ),
    Choice(
        "04.5",
        "which images choose the settings",
        "answer_04_5",
        options={
            "a": (
                "the test images, since the final score is measured on them",
                "a setting picked for its test score is the one that happened to suit those 10,000 images best, "
                "so the test score no longer says how well the network does on new images: it is optimistic.",
            ),
            "b": (
                "the validation images that validation_split holds out of the training set",
                "the network never trains on them, and the test images stay unused until the very end, when "
                "they measure the chosen network once, as the book does.",
            ),
            "c": (
                "the training images, since there are the most of them",
                "the training accuracy rewards what the network has memorised: a bigger network almost always "
                "wins on it, whether or not it does better on images it has not seen.",
            ),
            "d": (
                "it makes no difference: neither the validation nor the test images are trained on",
                "neither is trained on, but the images used to choose become part of the choice; only images "
                "kept out of every decision give an honest final number, so choose on validation and keep "
                "the test set for the end.",
            ),
        },
        right="b",
        hints=(
            "Once you have used a set of images to pick among settings, does its accuracy still measure "
            "performance on new images?",
            'The book: "the training set and the test set are, of course, rigorously separated"; and it '
            "reserves part of the training data for validation.",
        ),
    ),
)
