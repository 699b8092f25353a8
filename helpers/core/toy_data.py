"""Small 2-D data sets, the input features computed from them, their train/test split and a grid.

The six sets of TensorFlow Playground, generated the way the Playground does it
(``src/dataset.ts``): four for classification (circle, xor, gauss, spiral) and
two for regression (plane, multigauss), plus a linearly separable set with a
margin for the perceptron. Classification labels are 0 and 1 (the Playground
uses -1 and +1), so they feed a sigmoid output and binary cross-entropy
directly; regression targets are numbers in about [-1, 1], as in the Playground.
:data:`FEATURES` are the Playground's input features (x1, x2, x1^2, ...).
Everything here is NumPy and seeded: the same arguments give the same points.
"""

import numpy as np

#: The Playground's classification data sets, by the names its menu uses.
DATASETS = ("circle", "xor", "gauss", "spiral")
#: The Playground's regression data sets: a tilted plane and six Gaussian bumps.
REGRESSION_DATASETS = ("plane", "multigauss")
#: Every data set :func:`make_dataset` knows, classification first.
ALL_DATASETS = DATASETS + REGRESSION_DATASETS
#: Half-width of the square the Playground draws: points lie in about [-6, 6]^2.
EXTENT = 6.0
#: The Playground's input features: name -> function of the coordinates (x1, x2).
FEATURES = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: np.sin(x1),
    "sin(x2)": lambda x1, x2: np.sin(x2),
}


def circle(samples=500, noise=0.0, seed=0):
    """Points inside a disc (label 1) and in a ring around it (label 0).

    Parameters
    ----------
    samples : int
        Total number of points (half of each class).
    noise : float
        In [0, 0.5]. As in the Playground, noise does not move the points: it
        flips the labels of points near the boundary.
    seed : int

    Returns
    -------
    x : numpy.ndarray of shape (samples, 2), float32
    y : numpy.ndarray of shape (samples,), int
    """
    rng = np.random.default_rng(seed)
    radius = 5.0
    half = samples // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, half), rng.uniform(radius * 0.7, radius, samples - half)])
    angle = rng.uniform(0, 2 * np.pi, samples)
    x = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    jitter = rng.uniform(-radius, radius, (samples, 2)) * noise
    y = (np.hypot(*(x + jitter).T) < radius * 0.5).astype(int)
    return x.astype("float32"), y


def xor(samples=500, noise=0.0, seed=0):
    """Four quadrants: label 1 where x1 and x2 have the same sign.

    Parameters
    ----------
    samples : int
        Total number of points (half of each class).
    noise : float
        In [0, 0.5]; it flips labels near the axes.
    seed : int
        Seed of the random generator.

    Returns
    -------
    x : numpy.ndarray of shape (samples, 2), float32
    y : numpy.ndarray of shape (samples,), int
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(-5, 5, (samples, 2))
    x += np.where(x > 0, 0.3, -0.3)  # keep a small gap along the axes, as the Playground does
    jitter = rng.uniform(-5, 5, (samples, 2)) * noise
    noisy = x + jitter
    y = (noisy[:, 0] * noisy[:, 1] >= 0).astype(int)
    return x.astype("float32"), y


def gauss(samples=500, noise=0.0, seed=0):
    """Two Gaussian blobs around (2, 2) (label 1) and (-2, -2) (label 0).

    Parameters
    ----------
    samples : int
        Total number of points (half of each class).
    noise : float
        In [0, 0.5]; it widens the blobs (variance 0.5 at noise 0 up to 4 at noise 0.5)
        until they overlap.
    seed : int
        Seed of the random generator.

    Returns
    -------
    x : numpy.ndarray of shape (samples, 2), float32
    y : numpy.ndarray of shape (samples,), int
    """
    rng = np.random.default_rng(seed)
    variance = 0.5 + 7.0 * noise
    half = samples // 2
    centers = np.concatenate([np.full((half, 2), 2.0), np.full((samples - half, 2), -2.0)])
    x = centers + rng.normal(0.0, np.sqrt(variance), (samples, 2))
    y = np.concatenate([np.ones(half, int), np.zeros(samples - half, int)])
    return x.astype("float32"), y


def spiral(samples=500, noise=0.0, seed=0):
    """Two interleaved spiral arms (label 1 and label 0).

    Parameters
    ----------
    samples : int
        Total number of points (half of each class).
    noise : float
        In [0, 0.5]; it moves each point by up to ``noise`` in each coordinate.
    seed : int
        Seed of the random generator.

    Returns
    -------
    x : numpy.ndarray of shape (samples, 2), float32
    y : numpy.ndarray of shape (samples,), int
    """
    rng = np.random.default_rng(seed)
    half = samples // 2
    arms = []
    for count, turn in ((half, 0.0), (samples - half, np.pi)):
        i = np.arange(count)
        r = i / count * 5
        t = 1.75 * i / count * 2 * np.pi + turn
        arms.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
    x = np.concatenate(arms) + rng.uniform(-1, 1, (samples, 2)) * noise
    y = np.concatenate([np.ones(half, int), np.zeros(samples - half, int)])
    return x.astype("float32"), y


def _regression_points(samples, noise, seed):
    """Points uniform in the square, and the points their targets are read at: the Playground's regression noise.

    Returns
    -------
    x : numpy.ndarray of shape (samples, 2)
    noisy : numpy.ndarray of shape (samples, 2)
        Each point moved by up to ``EXTENT * noise`` in each coordinate.
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(-EXTENT, EXTENT, (samples, 2))
    return x, x + rng.uniform(-EXTENT, EXTENT, (samples, 2)) * noise


def plane(samples=500, noise=0.0, seed=0):
    """Regression: points uniform in [-6, 6]^2, target ``(x1 + x2) / 10``, a tilted plane.

    Parameters
    ----------
    samples : int
        Total number of points.
    noise : float
        In [0, 0.5]; it moves the point at which the target is read by up to ``6 * noise`` in each coordinate,
        as in the Playground.
    seed : int
        Seed of the random generator.

    Returns
    -------
    x : numpy.ndarray of shape (samples, 2), float32
    y : numpy.ndarray of shape (samples,), float32
        Between -1.2 and 1.2 without noise (the corners of the square).
    """
    x, noisy = _regression_points(samples, noise, seed)
    return x.astype("float32"), (noisy.sum(axis=1) / 10).astype("float32")


#: Centres and signs of the six bumps of :func:`multigauss` (the Playground's).
BUMPS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def multigauss(samples=500, noise=0.0, seed=0):
    """Regression: six bumps of height +1 or -1 on a 3 x 2 chessboard, 0 between them.

    The target is the bump with the largest magnitude at the point, each bump
    falling linearly from 1 at its centre to 0 at distance 2 (the Playground's
    "multi Gaussian").

    Parameters
    ----------
    samples : int
        Total number of points.
    noise : float
        In [0, 0.5]; it moves the point at which the target is read by up to ``6 * noise`` in each coordinate,
        as in the Playground.
    seed : int
        Seed of the random generator.

    Returns
    -------
    x : numpy.ndarray of shape (samples, 2), float32
    y : numpy.ndarray of shape (samples,), float32
        In [-1, 1].
    """
    x, noisy = _regression_points(samples, noise, seed)
    heights = np.stack(
        [sign * np.clip(1 - np.hypot(*(noisy - (cx, cy)).T) / 2, 0, 1) for cx, cy, sign in BUMPS], axis=1
    )
    strongest = np.argmax(np.abs(heights), axis=1)
    return x.astype("float32"), heights[np.arange(samples), strongest].astype("float32")


_GENERATORS = {"circle": circle, "xor": xor, "gauss": gauss, "spiral": spiral, "plane": plane, "multigauss": multigauss}


def is_regression(name):
    """Whether a data set's targets are numbers (:data:`REGRESSION_DATASETS`) rather than classes.

    Parameters
    ----------
    name : str
        A name of :data:`ALL_DATASETS`.

    Returns
    -------
    bool
    """
    return name in REGRESSION_DATASETS


def make_dataset(name, samples=500, noise=0.0, seed=0):
    """One of :data:`ALL_DATASETS` by name.

    Parameters
    ----------
    name : str
        A name of :data:`ALL_DATASETS`.
    samples : int
        Total number of points, at least 2.
    noise : float
        In [0, 0.5]; what it does depends on the data set (see :func:`circle` and :func:`plane`).
    seed : int
        Seed of the random generator.

    Returns
    -------
    x : numpy.ndarray of shape (samples, 2), float32
    y : numpy.ndarray of shape (samples,)
        Classes (int) or, for a regression data set, numbers (float32).

    Raises
    ------
    ValueError
        For an unknown name, a noise outside [0, 0.5] or fewer than 2 samples; the message says what is allowed.
    """
    if name not in _GENERATORS:
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(ALL_DATASETS)}")
    if not 0.0 <= noise <= 0.5:
        raise ValueError(f"noise must be between 0 and 0.5 (0% to 50%), got {noise}")
    if int(samples) < 2:
        raise ValueError(f"samples must be at least 2, got {samples}")
    return _GENERATORS[name](int(samples), float(noise), seed)


def linearly_separable(samples=40, weights=(1.0, 2.0), bias=-1.0, margin=0.5, seed=0):
    """Points on either side of the line ``weights . x + bias = 0``, none closer than ``margin``.

    Label 1 where ``weights . x + bias > 0``. A perceptron can classify these
    without a mistake, and the margin guarantees its learning rule stops.

    Parameters
    ----------
    samples : int
    weights : pair of float
        Normal vector of the true line (not necessarily unit length).
    bias : float
    margin : float
        Minimum distance of every point from the line.
    seed : int

    Returns
    -------
    x : numpy.ndarray of shape (samples, 2), float64
    y : numpy.ndarray of shape (samples,), int
    """
    weights = np.asarray(weights, dtype=float)
    norm = np.linalg.norm(weights)
    if norm == 0:
        raise ValueError("weights must not both be zero: they define the line")
    rng = np.random.default_rng(seed)
    kept = np.empty((0, 2))
    while len(kept) < samples:  # rejection sampling: throw away points inside the margin
        candidates = rng.uniform(-5, 5, (2 * samples, 2))
        distance = np.abs(candidates @ weights + bias) / norm
        kept = np.concatenate([kept, candidates[distance >= margin]])
    x = kept[:samples]
    return x, (x @ weights + bias > 0).astype(int)


def input_features(points, names=("x1", "x2")):
    """The network's inputs: the features ``names`` (keys of :data:`FEATURES`) of each point.

    Parameters
    ----------
    points : array of shape (n, 2)
        Coordinates (x1, x2).
    names : sequence of str
        Which features, in this order (the columns of the result).

    Returns
    -------
    numpy.ndarray of shape (n, len(names)), float32
    """
    unknown = [name for name in names if name not in FEATURES]
    if unknown:
        raise ValueError(f"unknown feature {unknown[0]!r}; choose from {', '.join(FEATURES)}")
    points = np.asarray(points, dtype="float64").reshape(-1, 2)
    x1, x2 = points[:, 0], points[:, 1]
    columns = [np.broadcast_to(FEATURES[name](x1, x2), x1.shape) for name in names]
    return np.stack(columns, axis=1).astype("float32") if columns else np.empty((len(points), 0), "float32")


def train_test_split(x, y, train_fraction=0.5, seed=0):
    """Shuffle and split into a training part and a test part.

    Parameters
    ----------
    x, y : numpy.ndarray
        Same first dimension.
    train_fraction : float
        In (0, 1); at least one example lands on each side.
    seed : int

    Returns
    -------
    x_train, y_train, x_test, y_test : numpy.ndarray
    """
    if not 0.0 < train_fraction < 1.0:
        raise ValueError(f"train_fraction must be between 0 and 1, got {train_fraction}")
    order = np.random.default_rng(seed).permutation(len(x))
    n_train = min(max(1, int(round(len(x) * train_fraction))), len(x) - 1)
    fit, test = order[:n_train], order[n_train:]
    return x[fit], y[fit], x[test], y[test]


def grid(extent=EXTENT, resolution=50):
    """A square grid of points covering ``[-extent, extent]^2``, to colour a decision boundary.

    Parameters
    ----------
    extent : float
        Half the side of the square.
    resolution : int
        Points along each side, at least 2.

    Returns
    -------
    points : numpy.ndarray of shape (resolution**2, 2), float32
        Row by row, from the bottom (``x2 = -extent``) up, as ``imshow(...,
        origin="lower")`` expects once reshaped to ``(resolution, resolution)``.

    Raises
    ------
    ValueError
        If ``resolution`` is below 2.
    """
    if int(resolution) < 2:
        raise ValueError(f"resolution must be at least 2, got {resolution}")
    axis = np.linspace(-extent, extent, int(resolution))
    x1, x2 = np.meshgrid(axis, axis)
    return np.stack([x1.ravel(), x2.ravel()], axis=1).astype("float32")


def on_grid(predict, extent=EXTENT, resolution=50):
    """Evaluate ``predict`` on :func:`grid`, as an image.

    Parameters
    ----------
    predict : callable
        Points of shape (n, 2) -> n values.
    extent : float
        Half the side of the square.
    resolution : int
        Points along each side.

    Returns
    -------
    numpy.ndarray of shape (resolution, resolution)
        ``image[i, j]`` is the value at ``x2 = axis[i]``, ``x1 = axis[j]``.
    """
    values = np.asarray(predict(grid(extent, resolution)), dtype=float)
    return values.reshape(int(resolution), int(resolution))
