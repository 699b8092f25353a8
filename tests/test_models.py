import keras
import pytest

from helpers.core import models


def test_book_parameter_counts():
    assert models.mlp(hidden_units=()).count_params() == 7850
    assert models.mlp(hidden_units=(128, 128)).count_params() == 118282


def test_arguments_shape_the_network():
    model = models.mlp(hidden_units=(64, 32, 16), activation="tanh", dropout=0.3,
                       initializer="random_normal", l1=1e-4, l2=1e-3)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    dropouts = [layer for layer in model.layers if isinstance(layer, keras.layers.Dropout)]
    assert [layer.units for layer in dense] == [64, 32, 16, 10]
    assert len(dropouts) == 3 and dropouts[0].rate == 0.3
    assert dense[0].activation.__name__ == "tanh" and dense[-1].activation.__name__ == "softmax"
    assert isinstance(dense[0].kernel_initializer, keras.initializers.RandomNormal)
    assert dense[0].kernel_regularizer.get_config() == pytest.approx({"l1": 1e-4, "l2": 1e-3})


@pytest.mark.parametrize("name, rate", [("sgd", 0.01), ("rmsprop", 0.001), ("adam", 0.001)])
def test_optimizers_by_name_with_book_defaults(name, rate):
    optimizer = models.make_optimizer(name)
    assert float(optimizer.learning_rate) == pytest.approx(rate)
    assert float(models.make_optimizer(name, 0.5).learning_rate) == pytest.approx(0.5)


@pytest.mark.parametrize("kwargs, message", [
    ({"hidden_units": (0,)}, "hidden_units"),
    ({"hidden_units": (2.5,)}, "hidden_units"),
    ({"dropout": 1.0}, "dropout"),
    ({"l2": -1}, "l2"),
])
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        models.mlp(**kwargs)


def test_unknown_optimizer_lists_choices():
    with pytest.raises(ValueError, match="adam"):
        models.make_optimizer("adagradx")
