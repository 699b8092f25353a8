import keras
import pytest

from helpers.core import checks, data, experiments, parameters, traced_gradients


@pytest.mark.parametrize(
    "change, message",
    [
        ({"hidden_layers": 9}, r"hidden_layers must be a whole number in \[0, 6\]; got 9"),
        ({"hidden_layers": 1.5}, r"hidden_layers must be a whole number .* got 1.5"),
        ({"train_samples": 2000.0}, r"train_samples must be a whole number .* got 2000.0"),
        ({"optimizer": "adamw"}, r"optimizer must be one of 'sgd', 'rmsprop', 'adam'"),
        ({"learning_rate": "0.01"}, r"learning_rate must be a number > 0; got '0.01'"),
        ({"l1": -0.1}, r"l1 must be a number >= 0; got -0.1"),
        ({"seed": 1.0}, r"seed must be a whole number >= 0"),
    ],
)
def test_settings_validation_names_the_setting(change, message):
    with pytest.raises(checks.ParameterError, match=message):
        experiments.MLPSettings(**change).validate()


def test_defaults_are_valid_and_title_names_the_network():
    settings = experiments.MLPSettings().validate()
    assert settings.hidden_units == 128 and "2 hidden x 128 relu" in settings.title()


def test_settings_rules_are_the_mlp_notebooks_own():
    """A panel's batch command runs notebook 04 with its settings: the rules must not differ."""
    notebook_rules = parameters.read_rules(parameters.NOTEBOOKS_DIR / "04_mlp.ipynb")
    shared = [name for name in experiments.MLPSettings.RULES if name.upper() in notebook_rules]
    assert len(shared) >= 8
    for name in shared:
        assert experiments.MLPSettings.RULES[name] == notebook_rules[name.upper()], name


def test_penalties_reach_the_model():
    settings = experiments.MLPSettings(hidden_layers=1, hidden_units=8, l1=1e-3, l2=1e-4, epochs=1, train_samples=100)
    result = experiments.run_mlp(settings)
    regularizer = result.model.layers[0].kernel_regularizer
    assert (float(regularizer.l1), float(regularizer.l2)) == pytest.approx((1e-3, 1e-4))
    assert result.metrics()["l1"] == 1e-3


def test_run_mlp_gives_the_numbers_of_the_notebooks_plain_keras_cell():
    """The panels' fast path (64 steps per call, arrays shared in place) changes no number."""
    settings = experiments.MLPSettings(
        hidden_layers=2,
        hidden_units=16,
        dropout=0.3,
        epochs=2,
        train_samples=600,
        optimizer="adam",
        learning_rate=0.001,
        seed=3,
    )
    result = experiments.run_mlp(settings)
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    x = x_train[:600].reshape(-1, 784).astype("float32") / 255
    y = keras.utils.to_categorical(y_train[:600], 10)
    keras.utils.set_random_seed(3)
    model = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(learning_rate=0.001), metrics=["accuracy"]
    )
    history = model.fit(x, y, batch_size=128, epochs=2, validation_split=0.2, verbose=0)
    test_loss, test_accuracy = model.evaluate(
        x_test.reshape(-1, 784).astype("float32") / 255, keras.utils.to_categorical(y_test, 10), verbose=0
    )
    assert result.history.history == history.history
    assert (result.test_loss, result.test_accuracy) == (test_loss, test_accuracy)


def test_a_kept_network_gives_the_numbers_of_a_fresh_one():
    settings = experiments.MLPSettings(
        hidden_layers=1, hidden_units=8, dropout=0.2, epochs=2, train_samples=400, optimizer="adam", learning_rate=0.001
    )
    networks = experiments.CompiledNetworks()
    fresh = experiments.run_mlp(settings)
    first = experiments.run_mlp(settings, networks=networks)
    again = experiments.run_mlp(settings, networks=networks)
    if keras.backend.backend() == "tensorflow":
        assert again.model is first.model  # compiled once, reset for the second run
    assert first.history.history == again.history.history == fresh.history.history
    assert first.test_accuracy == again.test_accuracy == fresh.test_accuracy
    other = experiments.run_mlp(experiments.MLPSettings(**{**settings.as_dict(), "hidden_units": 4}), networks=networks)
    assert other.model is not first.model
    if keras.backend.backend() != "tensorflow":
        return
    slower = experiments.MLPSettings(**{**settings.as_dict(), "learning_rate": 0.01})
    reused = experiments.run_mlp(slower, networks=networks)
    assert reused.model is first.model  # a new learning rate keeps the network
    assert reused.history.history == experiments.run_mlp(slower).history.history


def test_the_cache_keeps_only_its_limit():
    networks = experiments.CompiledNetworks(limit=1)
    for units in (4, 5):
        settings = experiments.MLPSettings(hidden_layers=1, hidden_units=units, epochs=1, train_samples=100)
        with networks.network(settings):
            pass
    assert len(networks._networks) == (1 if keras.backend.backend() == "tensorflow" else 0)


def test_a_dropped_network_takes_its_gradient_registrations_with_it():
    """TensorFlow keeps a traced training step alive through a global registration; dropping the network frees it."""
    if keras.backend.backend() != "tensorflow":
        assert traced_gradients.registered() == frozenset()
        return
    networks = experiments.CompiledNetworks(limit=1)
    before = traced_gradients.registered()
    made = {}
    for units in (4, 5):
        settings = experiments.MLPSettings(hidden_layers=1, hidden_units=units, epochs=1, train_samples=100)
        experiments.run_mlp(settings, networks=networks)
        made[units] = traced_gradients.registered() - before - set().union(*made.values())
    assert made[4] and made[5], "training registers custom gradients: this test checks their release"
    left = traced_gradients.registered()
    assert not made[4] & left, "the dropped network's registrations are gone"
    assert made[5] <= left, "the kept network's registrations stay"
    again = experiments.run_mlp(settings, networks=networks)  # the kept network, its step already traced
    assert again.model is networks._networks[networks.architecture(settings)][0]
    assert traced_gradients.registered() == left, "a kept network's next run registers nothing new"


@pytest.mark.tensorflow  # other backends keep no network, so none is dropped
def test_a_dropped_network_is_freed_at_once():
    """A Keras model lives in reference cycles: without a collection it would outlive its place in the cache."""
    import weakref

    networks = experiments.CompiledNetworks(limit=1)
    models = {}
    for units in (4, 5):
        settings = experiments.MLPSettings(hidden_layers=1, hidden_units=units, epochs=1, train_samples=100)
        models[units] = weakref.ref(experiments.run_mlp(settings, networks=networks).model)
    assert models[4]() is None, "the dropped network is gone"
    assert models[5]() is networks._networks[networks.architecture(settings)][0], "the kept one stays"


def test_releasing_leaves_other_registrations_alone():
    if keras.backend.backend() != "tensorflow":
        return
    from tensorflow.python.framework import ops

    registry = ops._gradient_registry._registry
    ordinary = {name for name in registry if not name.startswith(traced_gradients.PREFIX)}
    traced_gradients.release(ordinary | {"CustomGradient-does-not-exist"})
    assert ordinary <= set(registry), "only custom-gradient registrations are ever removed"
