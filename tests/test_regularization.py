import keras
import numpy as np
import pytest

from helpers.core import regularization


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("none", (0.0, 0.0)),
        ("L1", (1e-3, 0.0)),
        ("L2", (0.0, 1e-3)),
        ("elastic net", (2.5e-4, 7.5e-4)),
    ],
)
def test_penalty_factors(kind, expected):
    assert regularization.penalty_factors(kind, 1e-3, l1_ratio=0.25) == pytest.approx(expected)


def test_penalty_factors_reject_bad_values():
    with pytest.raises(ValueError, match="unknown penalty 'L3'"):
        regularization.penalty_factors("L3", 1e-3)
    with pytest.raises(ValueError, match="strength must be 0 or more"):
        regularization.penalty_factors("L1", -1.0)
    with pytest.raises(ValueError, match="l1_ratio must be between 0 and 1"):
        regularization.penalty_factors("elastic net", 1e-3, l1_ratio=1.5)


def tiny_model(**regularizers):
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(2, **regularizers), keras.layers.Dense(2, activation="softmax")]
    )


def test_kernel_weights_and_near_zero_count():
    model = tiny_model()
    weights = regularization.kernel_weights(model)
    assert weights.shape == (3 * 2 + 2 * 2,)  # biases are not included
    model.layers[0].kernel.assign(np.zeros((3, 2)))
    assert regularization.near_zero_count(regularization.kernel_weights(model)) >= 6
    assert regularization.near_zero_count([0.0, 5e-4, -5e-4, 0.01]) == 3
    assert regularization.near_zero_count([0.0, 0.05, 0.2], threshold=0.1) == 2
    with pytest.raises(ValueError, match="threshold must be greater than 0"):
        regularization.near_zero_count([1.0], threshold=0)
    with pytest.raises(ValueError, match="has no layer with a kernel"):
        regularization.kernel_weights(keras.Sequential([keras.Input((2,)), keras.layers.ReLU()]))


def test_penalty_is_what_keras_adds_and_data_loss_leaves_it_out():
    model = tiny_model(kernel_regularizer=keras.regularizers.L2(0.1))
    kernel = np.asarray(model.layers[0].kernel)
    assert regularization.penalty(model) == pytest.approx(0.1 * np.sum(kernel**2), rel=1e-5)
    assert regularization.penalty(tiny_model()) == 0.0
    model.compile(loss="categorical_crossentropy")
    x = np.random.default_rng(0).random((50, 3)).astype("float32")
    y = keras.utils.to_categorical(np.arange(50) % 2, 2)
    probabilities = model.predict(x, verbose=0)
    cross_entropy = -np.mean(np.sum(y * np.log(probabilities), axis=1))
    assert regularization.data_loss(model, x, y, batch_size=16) == pytest.approx(cross_entropy, rel=1e-4)
    assert model.evaluate(x, y, verbose=0) > cross_entropy + 0.01  # Keras' loss includes the penalty
