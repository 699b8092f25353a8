"""The release of TensorFlow's leftover gradient registrations, as a callback of ``fit``."""

import keras
import numpy as np

from helpers.core import traced_gradients


def fit_small_network(callbacks):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input(shape=(8,)),
            keras.layers.Dense(4, activation="relu"),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"], steps_per_execution=4)
    rng = np.random.default_rng(0)
    x, y = rng.random((64, 8), dtype=np.float32), keras.utils.to_categorical(rng.integers(0, 3, 64), 3)
    history = model.fit(x, y, batch_size=8, epochs=2, validation_split=0.25, verbose=0, callbacks=callbacks)
    return model, history


def test_release_at_fit_end_frees_what_the_fit_registered_and_changes_no_number():
    before = traced_gradients.registered()
    kept, kept_history = fit_small_network([])
    made = traced_gradients.registered() - before
    if keras.backend.backend() == "tensorflow":
        assert made, "training registers custom gradients: this test checks their release"
    released, released_history = fit_small_network([traced_gradients.ReleaseAtFitEnd()])
    assert traced_gradients.registered() == before | made, "only the second fit's registrations are gone"
    assert released_history.history == kept_history.history
    assert all(np.array_equal(a, b) for a, b in zip(kept.get_weights(), released.get_weights()))
    again = released.fit(
        np.ones((16, 8), dtype=np.float32),
        keras.utils.to_categorical(np.zeros(16), 3),
        batch_size=8,
        epochs=1,
        verbose=0,
    )  # its step is traced: training on needs nothing
    assert np.isfinite(again.history["loss"][0])


class RegisterDuringSecondEpoch(keras.callbacks.Callback):
    """Stands for another network traced while this fit runs: a registration made after the first epoch."""

    name = traced_gradients.PREFIX + "made-elsewhere"

    def on_epoch_begin(self, epoch, logs=None):
        registry = traced_gradients._registry()
        if epoch == 1 and registry is not None:
            registry[self.name] = {"type": None, "location": None}


def test_release_at_fit_end_leaves_what_appeared_after_the_first_epoch():
    if keras.backend.backend() != "tensorflow":
        return
    before = traced_gradients.registered()
    fit_small_network([traced_gradients.ReleaseAtFitEnd(), RegisterDuringSecondEpoch()])
    try:
        assert traced_gradients.registered() == before | {RegisterDuringSecondEpoch.name}
    finally:
        traced_gradients.release({RegisterDuringSecondEpoch.name})
