"""The playground's training step: the losses as the Playground shows them, seeded epoch shuffles."""

import keras
import numpy as np
import pytest

from helpers.core import playground_training

#: The playground trains with TensorFlow whatever Keras' backend (its step is a tf.function).
pytestmark = pytest.mark.tensorflow


def test_log_loss_matches_keras():
    y = np.array([0, 1, 1, 0])
    p = np.array([0.1, 0.8, 0.6, 0.3])
    expected = float(keras.losses.binary_crossentropy(y.astype("float32"), p.astype("float32")))
    assert playground_training.log_loss(y, p) == pytest.approx(expected, rel=1e-5)
    assert playground_training.squared_error([1.0, -1.0], [0.5, 0.0]) == pytest.approx((0.25 + 1) / 2)


def test_epoch_orders_are_seeded_shuffles():
    orders = playground_training.epoch_orders(seed=3, first_epoch=4, epochs=2, samples=10)
    assert orders.shape == (2, 10) and orders.dtype == np.int32
    assert all(sorted(row) == list(range(10)) for row in orders)
    assert np.array_equal(orders[1], playground_training.epoch_orders(3, 5, 1, 10)[0])
    assert not np.array_equal(orders[0], orders[1])
