"""Exercises of ``11_towards_deep_learning``: shuffling the pixels, why a dense network does not mind, the twin
network's first kernel, and the parameters of a dense and of a convolutional layer."""

import numpy as np

from helpers.exercises.exercise import Choice, Exercise, Mistake, call

NOTEBOOK = "11_towards_deep_learning"

PIXELS = 784
PERMUTATION_SEED = 42  # the notebook's default: the same permutation as its X_test_shuffled


def _permutation():
    return np.random.default_rng(PERMUTATION_SEED).permutation(PIXELS)


def _neighbour_correlation(images):
    """Correlation of every pixel with its right-hand neighbour on the 28 x 28 grid (as in the notebook)."""
    grid = np.asarray(images).reshape(-1, 28, 28)
    return float(np.corrcoef(grid[:, :, :-1].ravel(), grid[:, :, 1:].ravel())[0, 1])


def _row_permutations(images, shuffled):
    """For each row k, the q_k with shuffled[k] == images[k][q_k] (the values of a row are all distinct)."""
    found = np.empty(images.shape, dtype=int)
    np.put_along_axis(found, np.argsort(shuffled, axis=1), np.argsort(images, axis=1), axis=1)
    return found


def check_shuffle_pixels(shuffle_pixels):
    images = np.random.default_rng(0).random((1000, PIXELS))  # float64: the values of a row are all distinct
    permutation = _permutation()
    given = images.copy()
    shuffled = np.asarray(call(shuffle_pixels, given, permutation.copy()))
    if not np.array_equal(given, images):
        raise Mistake(
            "your function changed the images it was given; return a new array (images[:, permutation] "
            "is one), so that the real images stay as they were"
        )
    if shuffled.shape == (PIXELS, PIXELS) and np.array_equal(shuffled, images[permutation]):
        raise Mistake(
            "you reordered the images (the rows), not the pixels: image i would then sit beside the "
            "label of another image, and the pixels of each image are untouched. The permutation "
            "reorders the columns, the 784 pixels of every image"
        )
    if shuffled.shape != images.shape:
        raise Mistake(
            f"1000 images of 784 pixels came back with shape {shuffled.shape}; the shuffled images keep "
            "the shape (1000, 784)"
        )
    if np.array_equal(shuffled, images[:, permutation]):
        (_, _), (x_test, _) = _mnist()
        real = x_test[:1000].reshape(-1, PIXELS).astype("float32") / 255
        mine = np.asarray(call(shuffle_pixels, real.copy(), permutation.copy()))
        if not np.array_equal(mine, real[:, permutation]):
            raise Mistake(
                "your function shuffles random arrays right but not the MNIST images; it should do the "
                "same to any array of shape (n, 784)"
            )
        return (
            f"pixel 0 of every shuffled image is pixel {permutation[0]} of the real one, and every image keeps "
            f"its 784 values. On the first 1000 test digits, horizontal neighbours are correlated "
            f"{_neighbour_correlation(real):.2f}; after your shuffling, {_neighbour_correlation(mine):.2f}"
        )
    if not np.array_equal(np.sort(shuffled, axis=1), np.sort(images, axis=1)):
        rows = {row.tobytes() for row in images}
        if all(row.tobytes() in rows for row in shuffled):
            raise Mistake(
                "the images come back whole but in another order: you shuffled the images (the rows), "
                "which breaks each image's pairing with its label. Shuffle the columns, the pixels"
            )
        raise Mistake(
            "the shuffled images do not hold the values of the real ones: a shuffling only moves each "
            "image's pixels around, it changes none of them"
        )
    found = _row_permutations(images, shuffled)
    if not (found == found[0]).all():
        raise Mistake(
            "each image got its own permutation: pixel i then comes from a different place in every "
            "image, and its position no longer means anything. Use the one permutation given, the same "
            "for every image"
        )
    if np.array_equal(found[0], np.arange(PIXELS)):
        raise Mistake("the images come back unchanged; take the pixels in the order of the permutation")
    if np.array_equal(found[0], np.argsort(permutation)):
        raise Mistake(
            "you applied the inverse permutation: pixel permutation[i] of your shuffled image is pixel i "
            "of the real one. The notebook's convention is the other way round, pixel i of a shuffled "
            "image is pixel permutation[i] of the real one: images[:, permutation]"
        )
    raise Mistake(
        "every image is shuffled the same way, but not by the permutation given (did you draw a new "
        "one?); use the permutation passed to the function"
    )


def _mnist():
    from helpers.core import data

    return data.load_mnist()


def check_twin_kernel(twin_kernel):
    rng = np.random.default_rng(1)
    permutation = _permutation()
    square = rng.normal(size=(PIXELS, PIXELS))
    given = square.copy()
    twin = np.asarray(call(twin_kernel, given, permutation.copy()), dtype=float)
    if not np.array_equal(given, square):
        raise Mistake(
            "your function changed the kernel it was given; return a new array (kernel[permutation] is "
            "one), or the real network's weights change too"
        )
    if twin.shape == square.shape:
        if np.array_equal(twin, square):
            raise Mistake(
                "the kernel comes back unchanged: on the shuffled images, row i would then weigh a pixel "
                "from another place than in the real network. Reorder the rows"
            )
        if np.array_equal(twin, square[np.argsort(permutation)]):
            raise Mistake(
                "you applied the inverse permutation: row i of the twin must weigh what shuffled pixel i "
                "is, real pixel permutation[i], so it is row permutation[i] of the kernel: "
                "kernel[permutation]"
            )
        if np.array_equal(twin, square[:, permutation]):
            raise Mistake(
                "you reordered the columns: each column belongs to one hidden unit, each row to one "
                "input pixel. It is the pixels that moved, so reorder the rows"
            )
        if np.array_equal(twin, square[permutation].T) or np.array_equal(twin, square.T[permutation]):
            raise Mistake(
                "the result is transposed: Keras' kernel has one row per input pixel (784 rows) and one "
                "column per unit, and the twin keeps that layout"
            )
    kernel = rng.normal(size=(PIXELS, 128))
    x = rng.random((5, PIXELS))
    twin = np.asarray(call(twin_kernel, kernel.copy(), permutation.copy()), dtype=float)
    if twin.shape != kernel.shape:
        raise Mistake(
            f"a kernel of shape {kernel.shape} came back with shape {twin.shape}; the twin has the same "
            "shape, its rows reordered"
        )
    gap = float(np.abs(x[:, permutation] @ twin - x @ kernel).max())
    if gap > 1e-9:
        raise Mistake(
            f"on shuffled images the twin's outputs differ from the real kernel's on the real images by "
            f"up to {gap:.3g}; row i of the twin must be the row of the pixel that shuffled pixel i is, "
            "row permutation[i]"
        )
    return (
        f"on 5 shuffled images the twin kernel gives the real kernel's 128 outputs on the real images, to "
        f"{gap:.0e}: the first layer's W P^T of the theory, with the rows of W in the shuffled order"
    )


def check_parameter_counts(answer):
    if not isinstance(answer, dict) or set(answer) != {"dense", "conv", "positions"}:
        raise Mistake(f'the answer must be a dict with the three keys "dense", "conv" and "positions"; got {answer!r}')
    for key, value in answer.items():
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise Mistake(f'the value of "{key}" must be a number; got {value!r}')
    dense, conv, positions = (answer[key] for key in ("dense", "conv", "positions"))
    if dense != 784 * 128 + 128:
        if dense == 784 * 128:
            raise Mistake(f'"dense": {dense:,} counts the weights only; each of the 128 units also has a bias')
        if dense == 784 + 128:
            raise Mistake(
                '"dense": 784 + 128 adds the sizes; every one of the 784 pixels has a weight to every one '
                "of the 128 units, plus one bias per unit"
            )
        raise Mistake(
            f'"dense": {dense:g} is not the number of parameters of Dense(128) on 784 inputs (one weight '
            "per input and unit, one bias per unit)"
        )
    if conv != 3 * 3 * 1 * 32 + 32:
        if conv == 3 * 3 * 32:
            raise Mistake('"conv": 288 counts the kernel weights only; each of the 32 filters also has a bias')
        if conv in (320 * 676, 288 * 676, 320 * 784, 288 * 784):
            raise Mistake(
                f'"conv": {conv:,} counts the weights once per position, but a convolution shares them: '
                "the same 3 x 3 kernel of each filter serves every position, so it is counted once"
            )
        if conv == 784 * 32 + 32:
            raise Mistake(
                '"conv": 25,120 connects every pixel to every filter, as a dense layer would; a filter '
                "sees only a 3 x 3 patch of the single channel"
            )
        if conv == 10:
            raise Mistake('"conv": 10 is one filter (9 weights and a bias); Conv2D(32, ...) has 32 filters')
        raise Mistake(
            f'"conv": {conv:g} is not the number of parameters of Conv2D(32, (3, 3)) on 28 x 28 x 1 '
            "(a 3 x 3 x 1 kernel and a bias per filter)"
        )
    if positions != 26 * 26:
        if positions == 784:
            raise Mistake(
                '"positions": 784 = 28 x 28 would need padding="same"; Conv2D\'s default, '
                'padding="valid", keeps the 3 x 3 window inside the image'
            )
        if positions == 25 * 25:
            raise Mistake(
                '"positions": 625 = 25 x 25 is one short along each side: a 3-wide window fits at '
                "28 - 3 + 1 = 26 places along a row of 28"
            )
        if positions == 26:
            raise Mistake('"positions": 26 is along one row; the window moves along rows and columns')
        raise Mistake(
            f'"positions": {positions:g} is not the number of places a 3 x 3 window fits in a 28 x 28 '
            "image without padding"
        )
    dense, conv, positions = int(dense), int(conv), int(positions)
    return (
        f"Dense(128) on 784 pixels has {dense:,} parameters, each weight used once per image; Conv2D(32, (3, 3)) "
        f"on 28 x 28 x 1 has {conv:,}, {dense // conv} times fewer, and each of its 288 kernel weights is used at "
        f"{positions} positions per image"
    )


EXERCISES = (
    Exercise(
        "11.1",
        "one permutation for every image",
        "shuffle_pixels",
        check_shuffle_pixels,
        hints=(
            "images has one row per image and one column per pixel; which axis does the permutation reorder?",
            "NumPy's fancy indexing a[:, idx] takes the columns of a in the order idx, for every row at once.",
            "return images[:, permutation]",
        ),
        kind="code",
    ),
    Choice(
        "11.2",
        "why shuffled pixels do not matter to a dense network",
        "answer_11_2",
        options={
            "a": (
                "it has no notion of neighbouring pixels: one fixed permutation only relabels its inputs, and "
                "the weights W P^T compute on the shuffled images exactly what W computes on the real ones",
                "every pixel has its own weights, and a dense layer sums over all of them, so the order of its "
                "inputs is only a naming. The starting weights are drawn independently for every pixel, so "
                "training on shuffled digits is like training on real ones from another draw of the weights: the "
                "same accuracy, up to the seeds' spread. Exercise 11.3 builds that twin.",
            ),
            "b": (
                "the shuffled images keep their pixel values, and the network tells digits apart by how much ink "
                "they hold",
                "the amount of ink tells a 1 from an 8 but not most digits from each other; the network uses where "
                "the ink is, as V1's templates show. It only does not care how those places are numbered.",
            ),
            "c": (
                "5 epochs are too few for the difference to show; trained longer, the network would do better on "
                "the real digits",
                "the twin argument holds at every step: started from the twin weights, the network on shuffled "
                "digits goes through the same losses as the real one, for any number of epochs. What would gain "
                "from the real order is a convolutional network.",
            ),
            "d": (
                "every image is shuffled with its own permutation, so the shuffling averages out over the training set",
                "there is one permutation, drawn once and applied to every image. With a new one per image, "
                "pixel i would come from another place in every image, and the network could use only which "
                "values an image holds, not where they are.",
            ),
        },
        right="a",
        hints=(
            "Write the first layer as W x. What happens to W x when x is replaced by P x, and W by W P^T?",
            "Does anything in a Dense layer know that pixel 5 lies next to pixel 6?",
        ),
    ),
    Exercise(
        "11.3",
        "the twin network's first kernel",
        "twin_kernel",
        check_twin_kernel,
        hints=(
            "Keras stores the first kernel as 784 rows (one per input pixel) by 128 columns (one per unit).",
            "Shuffled pixel i is real pixel permutation[i], so the twin's row i must be the real kernel's row "
            "permutation[i].",
            "return kernel[permutation]",
        ),
        kind="code",
    ),
    Exercise(
        "11.4",
        "parameters of a dense and of a convolutional layer",
        "answer_11_4",
        check_parameter_counts,
        hints=(
            "A Dense layer has one weight per input and unit, and one bias per unit; a Conv2D filter has one "
            "weight per kernel cell and input channel, and one bias.",
            "Without padding, a 3-wide window fits at 28 - 3 + 1 places along a row of 28 pixels.",
            "dense 784 * 128 + 128, conv 3 * 3 * 1 * 32 + 32, positions 26 * 26.",
        ),
        kind="number",
    ),
)
