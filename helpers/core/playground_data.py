"""The points of one playground experiment: generated or read from your file, then split (seeded).

:func:`make_points` gives the points a :class:`helpers.core.playground.PlaygroundSettings`
describes (a generated data set, or the CSV file of :mod:`helpers.core.playground_points`),
:func:`train_fraction` the share of them trained on, and :func:`split_points`
both, shuffled and split into training and test points as the playground and
the Keras code of :mod:`helpers.core.playground_code` split them.
"""

from helpers.core import toy_data


def make_points(settings):
    """The points ``settings`` train on, generated (seeded) or read from ``data_file``.

    Parameters
    ----------
    settings : helpers.core.playground.PlaygroundSettings

    Returns
    -------
    x : numpy.ndarray of shape (n, 2), float32
    y : numpy.ndarray of shape (n,)
    """
    points = settings.points()
    if points is not None:
        return points.x, points.y
    return toy_data.make_dataset(settings.dataset, settings.samples, settings.noise / 100, seed=settings.seed)


def train_fraction(settings, samples):
    """The share of ``samples`` points that ``settings`` train on (at least one point on each side).

    Parameters
    ----------
    settings : helpers.core.playground.PlaygroundSettings
    samples : int
        How many points there are.

    Returns
    -------
    float
    """
    train_size = min(max(1, round(samples * settings.train_percent / 100)), samples - 1)
    return train_size / samples


def split_points(settings):
    """The points of ``settings``, shuffled and split into training and test points (seeded).

    Parameters
    ----------
    settings : helpers.core.playground.PlaygroundSettings

    Returns
    -------
    x_train, y_train, x_test, y_test : numpy.ndarray
    """
    x, y = make_points(settings)
    return toy_data.train_test_split(x, y, train_fraction(settings, len(x)), seed=settings.seed)
