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
    ({"hidden_units": (0,)}, "at least 1 unit"),
    ({"dropout": 1.0}, "dropout"),
    ({"l2": -1}, "l1 and l2"),
])
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        models.mlp(**kwargs)


def test_unknown_optimizer_lists_choices():
    with pytest.raises(ValueError, match="adam"):
        models.make_optimizer("adagradx")


def test_fast_compile_gives_exactly_the_numbers_of_a_plain_compile():
    """fast=True only changes how often Keras returns to Python, not the arithmetic."""
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.random((300, 784), dtype=np.float32)
    y = keras.utils.to_categorical(rng.integers(0, 10, 300), 10)

    def history(fast):
        keras.utils.set_random_seed(1)
        model = models.build_classifier(hidden_units=(16,), dropout=0.2, optimizer="adam", fast=fast)
        return model.fit(x, y, batch_size=32, epochs=2, validation_split=0.2, verbose=0).history

    assert history(fast=True) == history(fast=False)
    assert models.build_classifier(fast=True).steps_per_execution == models.STEPS_PER_EXECUTION
