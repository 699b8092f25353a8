"""The points of a playground experiment: generated or from a file, split with a point on each side."""

import numpy as np

from helpers.core import playground_data
from helpers.core.playground import PlaygroundSettings


def test_the_split_follows_train_percent_and_the_seed():
    settings = PlaygroundSettings(samples=100, train_percent=30, seed=4)
    x_train, y_train, x_test, y_test = playground_data.split_points(settings)
    assert len(x_train) == len(y_train) == 30 and len(x_test) == len(y_test) == 70
    again = playground_data.split_points(settings)
    assert np.array_equal(x_train, again[0]) and np.array_equal(y_test, again[3])


def test_each_side_keeps_at_least_one_point():
    settings = PlaygroundSettings(train_percent=10)
    assert playground_data.train_fraction(settings, 4) == 0.25
    assert playground_data.train_fraction(PlaygroundSettings(train_percent=90), 4) == 0.75


def test_a_file_of_points_replaces_the_generated_ones(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("x1,x2,label\n1,2,1\n-1,-2,0\n3,0.5,1\n-3,-0.5,0\n")
    x, y = playground_data.make_points(PlaygroundSettings(data_file=str(path), dataset="spiral"))
    np.testing.assert_allclose(x, [[1, 2], [-1, -2], [3, 0.5], [-3, -0.5]])
    assert y.tolist() == [1, 0, 1, 0]
