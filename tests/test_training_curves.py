import io

import keras
import numpy as np
from PIL import Image

from helpers.figures.plotting import figure_png
from helpers.figures.training_curves import LiveCurves


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"), dtype=int)


def book_like_history(epochs, seed=0):
    """Curves shaped like a real run: losses falling towards a floor, accuracies rising, some noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(1, epochs + 1)
    return {
        "loss": 0.1 + 1.5 / t + 0.01 * rng.standard_normal(epochs),
        "val_loss": 0.12 + 1.2 / t + 0.02 * rng.standard_normal(epochs),
        "accuracy": 0.97 - 0.5 / t + 0.003 * rng.standard_normal(epochs),
        "val_accuracy": 0.975 - 0.4 / t + 0.005 * rng.standard_normal(epochs),
    }


def planned(title, epochs):
    """A LiveCurves as ``fit`` hands it a run of ``epochs`` epochs."""
    curves = LiveCurves(title)
    curves.set_params({"epochs": epochs})
    curves.on_train_begin()
    return curves


def grow(curves, history, epochs):
    """Feed ``curves`` the first ``epochs`` epochs of ``history`` one by one, rendering each, as a run does."""
    for n in range(1, epochs + 1):
        curves.update({key: list(values[:n]) for key, values in history.items()})
        curves.png()


def test_fit_draws_every_epoch_on_an_axis_that_spans_the_run():
    x = np.random.default_rng(0).random((64, 4)).astype("float32")
    y = keras.utils.to_categorical(np.arange(64) % 2, 2)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
    curves = LiveCurves("tiny")
    model.fit(x, y, epochs=3, batch_size=16, validation_split=0.25, verbose=0, callbacks=[curves])
    assert curves.draw_count == 3
    assert sorted(curves.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(len(line.get_xdata()) == 3 for line in curves.lines.values())
    assert curves.ax_loss.get_xlim() == (0.5, 3.5)


def test_a_fit_that_carries_on_draws_the_earlier_epochs_first():
    x = np.random.default_rng(0).random((64, 4)).astype("float32")
    y = keras.utils.to_categorical(np.arange(64) % 2, 2)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
    first = model.fit(x, y, epochs=2, batch_size=16, validation_split=0.25, verbose=0)
    curves = LiveCurves("carried on", earlier=first.history)
    more = model.fit(
        x, y, epochs=5, initial_epoch=2, batch_size=16, validation_split=0.25, verbose=0, callbacks=[curves]
    )
    assert curves.draw_count == 3
    assert curves.history == {key: first.history[key] + more.history[key] for key in first.history}
    assert all(list(line.get_xdata()) == [1, 2, 3, 4, 5] for line in curves.lines.values())
    assert curves.ax_loss.get_xlim() == (0.5, 5.5)


def test_drawing_the_curves_over_the_kept_background_gives_the_full_render():
    curves = planned("V3: dropout 0.3, SGD, 40 epochs", 40)
    history = book_like_history(40)
    grow(curves, history, 39)
    backgrounds = curves.background_count
    curves.update({key: list(values) for key, values in history.items()})
    fast = pixels(curves.png())
    assert curves.background_count == backgrounds, "the last epoch should not have needed a new background"
    full = pixels(figure_png(curves.fig))
    assert fast.shape == full.shape
    assert np.array_equal(fast, full)


def test_a_run_that_learns_renders_its_background_once_or_a_few_times():
    short = planned("a panel's 10 epochs", 10)
    grow(short, book_like_history(10), 10)
    assert short.background_count == 1
    curves = planned("250 epochs", 250)
    grow(curves, book_like_history(250), 250)
    assert curves.background_count <= 3
    for ax in (curves.ax_loss, curves.ax_acc):
        bottom, top = ax.get_ylim()
        values = np.concatenate([line.get_ydata() for line in ax.lines])
        assert bottom <= values.min() and values.max() <= top


def test_a_diverging_run_draws_without_error():
    curves = LiveCurves("diverging")
    curves.update({"loss": [2.3, float("nan"), float("inf")], "accuracy": [0.1, 0.1, 0.1]})
    assert curves.png().startswith(b"\x89PNG")


def test_the_curves_carry_a_text_alternative_with_the_last_values():
    import ipywidgets

    output = ipywidgets.Output()
    curves = LiveCurves("SGD", output=output)
    assert curves.description() == "training curves, SGD: no epoch yet"
    curves.set_params({"epochs": 20})
    curves.on_train_begin()
    for epoch, logs in enumerate(
        [
            {"loss": 0.9, "accuracy": 0.7, "val_loss": 0.8, "val_accuracy": 0.75},
            {"loss": 0.41234, "accuracy": 0.8812, "val_loss": 0.398, "val_accuracy": 0.89},
        ]
    ):
        curves.on_epoch_end(epoch, logs)
    text = (
        "training curves, SGD: epoch 2 of 20; loss: training 0.412, validation 0.398; "
        "accuracy: training 88.1%, validation 89.0%"
    )
    assert curves.description() == text
    (shown,) = output.outputs
    assert shown["data"]["text/plain"] == text
    assert shown["data"]["text/html"].startswith('<img src="data:image/png;base64,iVBOR')
    assert f'alt="{text}"' in shown["data"]["text/html"]
    curves_without_validation = LiveCurves()
    curves_without_validation.on_epoch_end(0, {"loss": 1.0})
    assert curves_without_validation.description() == "training curves: epoch 1 of 1; loss: training 1.000"
