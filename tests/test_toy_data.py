import numpy as np
import pytest

from helpers.core import toy_data


@pytest.mark.parametrize("name", toy_data.DATASETS)
def test_every_data_set_is_seeded_balanced_and_in_the_plot(name):
    x, y = toy_data.make_dataset(name, samples=200, noise=0.0, seed=3)
    again_x, again_y = toy_data.make_dataset(name, samples=200, noise=0.0, seed=3)
    other_x, _ = toy_data.make_dataset(name, samples=200, noise=0.1, seed=4)  # the spiral needs noise to vary
    assert x.shape == (200, 2) and y.shape == (200,) and x.dtype == np.float32
    assert np.array_equal(x, again_x) and np.array_equal(y, again_y)
    assert not np.array_equal(x, other_x)
    assert set(np.unique(y)) == {0, 1}
    assert 0.3 < y.mean() < 0.7
    assert np.abs(x).max() <= toy_data.EXTENT


def test_labels_follow_the_rule_of_each_set_without_noise():
    x, y = toy_data.circle(300)
    assert np.array_equal(y, (np.hypot(x[:, 0], x[:, 1]) < 2.5).astype(int))
    x, y = toy_data.xor(300)
    assert np.array_equal(y, (x[:, 0] * x[:, 1] >= 0).astype(int))
    assert np.abs(x).min() >= 0.3  # the gap along the axes
    x, y = toy_data.gauss(300)
    assert np.mean((x.sum(axis=1) > 0) == y) > 0.97  # two blobs on either side of x1 + x2 = 0
    x, y = toy_data.spiral(300)
    assert y[:150].all() and not y[150:].any()


def test_noise_flips_labels_of_the_circle_but_not_its_points():
    clean_x, clean_y = toy_data.circle(400, noise=0.0, seed=1)
    noisy_x, noisy_y = toy_data.circle(400, noise=0.5, seed=1)
    assert np.array_equal(clean_x, noisy_x)
    assert 0 < np.sum(clean_y != noisy_y) < 200


def test_noise_widens_the_gaussians():
    narrow, _ = toy_data.gauss(2000, noise=0.0)
    wide, _ = toy_data.gauss(2000, noise=0.5)
    assert np.std(narrow[:1000], axis=0) == pytest.approx([0.5**0.5] * 2, rel=0.1)
    assert np.std(wide[:1000], axis=0) == pytest.approx([2.0] * 2, rel=0.1)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": "moons"}, "unknown data set 'moons'"),
        ({"name": "circle", "noise": 0.7}, "noise must be between 0 and 0.5"),
        ({"name": "circle", "samples": 1}, "samples must be at least 2"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        toy_data.make_dataset(**kwargs)


def test_linearly_separable_points_keep_their_margin():
    x, y = toy_data.linearly_separable(50, weights=(1.0, 2.0), bias=-1.0, margin=0.5, seed=2)
    distance = (x @ np.array([1.0, 2.0]) - 1.0) / np.sqrt(5)
    assert x.shape == (50, 2)
    assert np.abs(distance).min() >= 0.5
    assert np.array_equal(y, (distance > 0).astype(int))
    with pytest.raises(ValueError, match="weights must not both be zero"):
        toy_data.linearly_separable(10, weights=(0, 0))


def test_split_keeps_every_example_once():
    x = np.arange(20, dtype=float).reshape(10, 2)
    y = np.arange(10)
    x_train, y_train, x_test, y_test = toy_data.train_test_split(x, y, 0.7, seed=0)
    assert len(y_train) == 7 and len(y_test) == 3
    assert sorted(np.concatenate([y_train, y_test])) == list(range(10))
    assert np.array_equal(x_train[:, 0], 2 * y_train)  # rows stay with their labels
    with pytest.raises(ValueError, match="train_fraction"):
        toy_data.train_test_split(x, y, 1.0)


def test_grid_is_row_by_row_from_the_bottom():
    points = toy_data.grid(extent=1.0, resolution=3)
    assert points.shape == (9, 2)
    assert points[0].tolist() == [-1.0, -1.0] and points[2].tolist() == [1.0, -1.0]
    assert points[-1].tolist() == [1.0, 1.0]
    image = toy_data.on_grid(lambda p: p[:, 0] + 10 * p[:, 1], extent=1.0, resolution=3)
    assert image.shape == (3, 3)
    assert image[0, 2] == pytest.approx(1 - 10)  # row = x2 from the bottom, column = x1
    assert image[2, 0] == pytest.approx(-1 + 10)


@pytest.mark.parametrize("name", toy_data.REGRESSION_DATASETS)
def test_regression_sets_are_seeded_numbers_in_the_plot(name):
    x, y = toy_data.make_dataset(name, samples=300, noise=0.0, seed=1)
    again_x, again_y = toy_data.make_dataset(name, samples=300, noise=0.0, seed=1)
    assert x.shape == (300, 2) and y.shape == (300,) and y.dtype == np.float32
    assert np.array_equal(x, again_x) and np.array_equal(y, again_y)
    assert np.abs(x).max() <= toy_data.EXTENT
    assert np.abs(y).max() <= 1.2 and len(np.unique(y)) > 100  # numbers, not two classes
    assert toy_data.is_regression(name) and not toy_data.is_regression("circle")
    assert name in toy_data.ALL_DATASETS and name not in toy_data.DATASETS


def test_regression_targets_follow_the_playgrounds_rules():
    x, y = toy_data.plane(200)
    assert y == pytest.approx((x[:, 0] + x[:, 1]) / 10, abs=1e-6)
    centres = np.array([[cx, cy] for cx, cy, _ in toy_data.BUMPS], dtype=float)
    signs = [sign for _, _, sign in toy_data.BUMPS]
    x, y = toy_data.multigauss(2000)
    for centre, sign in zip(centres, signs):
        near = np.hypot(*(x - centre).T) < 0.5
        assert near.any() and (np.sign(y[near]) == sign).all() and (np.abs(y[near]) > 0.7).all()
    far = np.min(np.hypot(x[:, None, 0] - centres[:, 0], x[:, None, 1] - centres[:, 1]), axis=1) > 2
    assert (y[far] == 0).all()
    clean_x, clean_y = toy_data.plane(200, noise=0.0, seed=3)
    noisy_x, noisy_y = toy_data.plane(200, noise=0.5, seed=3)
    assert np.array_equal(clean_x, noisy_x) and not np.allclose(clean_y, noisy_y)  # noise moves targets


def test_input_features_are_the_playgrounds():
    points = np.array([[2.0, -3.0], [0.5, 1.0]])
    every = toy_data.input_features(points, list(toy_data.FEATURES))
    assert every.shape == (2, 7) and every.dtype == np.float32
    assert every[0] == pytest.approx([2, -3, 4, 9, -6, np.sin(2), np.sin(-3)])
    chosen = toy_data.input_features(points, ["x2^2", "x1"])
    assert chosen[:, 0] == pytest.approx([9, 1]) and chosen[:, 1] == pytest.approx([2, 0.5])
    with pytest.raises(ValueError, match="unknown feature 'x3'"):
        toy_data.input_features(points, ["x1", "x3"])


def test_unknown_data_set_lists_every_choice():
    with pytest.raises(ValueError, match="choose one of circle, xor, gauss, spiral, plane, multigauss"):
        toy_data.make_dataset("moons")
