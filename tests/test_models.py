import keras
import pytest

from helpers.core import models


def test_book_parameter_counts():
    assert models.mlp(hidden_units=()).count_params() == 7850
    assert models.mlp(hidden_units=(128, 128)).count_params() == 118282


def test_arguments_shape_the_network():
    model = models.mlp(
        hidden_units=(64, 32, 16),
        activation="tanh",
        dropout=0.3,
        initializer="random_normal",
        kernel_regularizer=keras.regularizers.L1L2(l1=1e-4, l2=1e-3),
        activity_regularizer=keras.regularizers.L1(1e-5),
    )
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    dropouts = [layer for layer in model.layers if isinstance(layer, keras.layers.Dropout)]
    assert [layer.units for layer in dense] == [64, 32, 16, 10]
    assert len(dropouts) == 3 and dropouts[0].rate == 0.3
    assert dense[0].activation.__name__ == "tanh" and dense[-1].activation.__name__ == "softmax"
    assert isinstance(dense[0].kernel_initializer, keras.initializers.RandomNormal)
    assert dense[0].kernel_regularizer.get_config() == pytest.approx({"l1": 1e-4, "l2": 1e-3})
    assert dense[-1].kernel_regularizer is dense[0].kernel_regularizer
    assert dense[0].activity_regularizer.get_config() == pytest.approx({"l1": 1e-5})
    assert dense[-1].activity_regularizer is None  # on the hidden layers' outputs only


def test_the_seed_gives_the_weights_of_the_network_written_by_hand():
    """The builder adds the layers notebook 04 writes, in the same order: the same initial weights."""
    keras.utils.set_random_seed(3)
    built = models.mlp(hidden_units=(16, 16), dropout=0.3)
    keras.utils.set_random_seed(3)
    by_hand = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    assert all((a == b).all() for a, b in zip(built.get_weights(), by_hand.get_weights(), strict=True))


@pytest.mark.parametrize("name", models.OPTIMIZER_NAMES)
def test_every_optimizer_name_is_one_keras_knows(name):
    assert keras.optimizers.get(name).__class__.__name__.lower() == name


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"hidden_units": (0,)}, "hidden_units"),
        ({"hidden_units": (2.5,)}, "hidden_units"),
        ({"dropout": 1.0}, "dropout"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        models.mlp(**kwargs)
