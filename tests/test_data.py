import hashlib

import numpy as np
import pytest

from helpers.core import data

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_vendored_file_has_recorded_checksum():
    digest = hashlib.sha256(data.MNIST_PATH.read_bytes()).hexdigest()
    assert digest == data.MNIST_SHA256


def test_load_mnist_matches_keras_layout_and_counts():
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype("uint8")}
    assert np.bincount(y_train).tolist() == TRAIN_COUNTS
    assert np.bincount(y_test).tolist() == TEST_COUNTS
    assert x_train.mean() == pytest.approx(33.318, abs=1e-3)


def test_load_mnist_returns_copies():
    (x_train, _), _ = data.load_mnist()
    x_train[0] = 255
    (again, _), _ = data.load_mnist()
    assert again[0].max() < 255 or again[0].min() < 255


def test_missing_file_names_file_and_rebuild_command(tmp_path):
    missing = tmp_path / "mnist.npz"
    with pytest.raises(data.DataFileError, match="make data") as error:
        data.load_mnist(missing)
    assert str(missing) in str(error.value)


def test_corrupt_file_is_detected(tmp_path):
    corrupt = tmp_path / "mnist.npz"
    corrupt.write_bytes(data.MNIST_PATH.read_bytes()[:1000])
    with pytest.raises(data.DataFileError, match="corrupt"):
        data.load_mnist(corrupt)
    with pytest.raises(data.DataFileError, match="cannot be read"):
        data.load_mnist(corrupt, expected_sha256=None)


def test_preparation_as_the_book():
    x = np.full((5, 28, 28), 255, dtype=np.uint8)
    flat = data.flatten_and_scale(x)
    assert flat.shape == (5, 784) and flat.dtype == np.float32 and flat.max() == 1.0
    assert data.one_hot([3, 0]).tolist()[0] == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert data.one_hot([3, 0]).dtype == np.float32
    images = np.random.default_rng(0).integers(0, 256, (7, 28, 28), dtype=np.uint8)
    scaled = data.flatten_and_scale(images)
    assert np.array_equal(scaled, images.reshape(7, -1).astype("float32") / 255.0)
    assert scaled.ctypes.data % data.ALIGNMENT == 0  # so Keras can train on it without a copy


def test_prepare_mnist_splits_as_keras_validation_split_does():
    full = data.prepare_mnist()
    assert full.summary()["x_train"] == (48000, 784) and full.summary()["x_val"] == (12000, 784)
    small = data.prepare_mnist(train_samples=1001)
    (x_train, y_train), _ = data.load_mnist()
    assert small.x_train.shape == (800, 784) and small.x_val.shape == (201, 784)  # floor(1001 * 0.8)
    assert np.array_equal(small.x_val[-1], x_train[1000].reshape(-1) / np.float32(255))
    assert small.x_test.shape == (10000, 784)
    assert data.prepare_mnist(train_samples=1001) is small  # the one cache of prepared data


@pytest.mark.parametrize("size", [0, 1, 60001, 2.5, "100"])
def test_prepare_mnist_rejects_impossible_sizes(size):
    with pytest.raises(ValueError, match="train_samples must be a whole number in \\[2, 60000\\]"):
        data.prepare_mnist(size)


@pytest.mark.tensorflow  # on other backends as_tensor hands the NumPy arrays on unchanged
def test_as_tensor_reads_aligned_arrays_in_place_and_converts_others_once():
    import keras

    array = data.flatten_and_scale(np.zeros((4, 28, 28), dtype=np.uint8))
    tensor = data.as_tensor(array)
    array[0, 0] = 0.5  # the tensor sees the change: no copy was made
    assert float(tensor[0, 0]) == 0.5 and tuple(tensor.shape) == (4, 784)
    unaligned = np.arange(785, dtype=np.float32)[1:]
    copied = data.as_tensor(unaligned)
    unaligned[0] = -1.0  # a copy, made once: the tensor keeps the values it was given
    assert keras.ops.is_tensor(copied) and float(copied[0]) == 1.0 and float(copied[-1]) == 784.0
    assert tuple(data.as_tensor(np.ones((3, 5), dtype=np.float64)[:, ::2]).shape) == (3, 3)  # not contiguous
    assert data.as_tensor([1, 2]) == [1, 2]


@pytest.mark.tensorflow  # on other backends as_tensor hands the NumPy arrays on unchanged
def test_mnist_tensors_are_the_books_preparation():
    import keras

    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    (X_train, Y_train), (X_test, Y_test) = data.mnist_tensors(300)
    assert keras.ops.is_tensor(X_train) and tuple(X_train.shape) == (300, 784)
    assert tuple(X_test.shape) == (10000, 784) and tuple(Y_test.shape) == (10000, 10)
    expected = x_train[:300].reshape(-1, 784).astype("float32") / 255
    assert np.array_equal(keras.ops.convert_to_numpy(X_train), expected)
    assert np.array_equal(keras.ops.convert_to_numpy(Y_train), keras.utils.to_categorical(y_train[:300], 10))
    assert np.array_equal(keras.ops.convert_to_numpy(Y_test).argmax(axis=1), y_test)
