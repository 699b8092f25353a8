import json
import threading

import keras
import numpy as np

from helpers.core import data, training


def tiny_data(n=320, seed=0):
    """Random 784-d inputs with learnable labels (label = argmax of 10 fixed projections)."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 784), dtype=np.float32)
    labels = (x @ rng.standard_normal((784, 10)).astype(np.float32)).argmax(axis=1)
    return x, data.one_hot(labels)


def small_model(seed=7):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def test_epoch_timer_times_every_epoch_and_summary_reads_it(tmp_path):
    x, y = tiny_data()
    timer = training.EpochTimer()
    model = small_model()
    history = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.2, verbose=0, callbacks=[timer])
    assert len(timer.seconds) == 3 and all(seconds > 0 for seconds in timer.seconds)
    metrics = training.summarize(history, 1.0, 0.5, timer.seconds, seed=7)
    assert metrics["epochs"] == 3 and metrics["seed"] == 7 and metrics["test_accuracy"] == 0.5
    assert metrics["train_accuracy"] == history.history["accuracy"][-1]
    assert metrics["seconds_per_epoch"] == sum(timer.seconds[1:]) / 2
    assert metrics["first_epoch_seconds"] == timer.seconds[0]
    path = training.write_metrics(tmp_path / "out" / "metrics.json", metrics)
    assert json.loads(path.read_text())["test_accuracy"] == 0.5
    assert training.write_metrics("", metrics) is None
    assert [p.name for p in path.parent.iterdir()] == ["metrics.json"]  # no temporary file left


def test_stop_on_event_ends_fit_early_and_keeps_the_history():
    x, y = tiny_data()
    event = threading.Event()
    stopper = training.StopOnEvent(event)
    stop_after_first = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: event.set())
    model = small_model()
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"], steps_per_execution=4)
    history = model.fit(x, y, epochs=50, batch_size=32, verbose=0, callbacks=[stop_after_first, stopper])
    assert stopper.requested and len(history.history["loss"]) <= 2


def test_stop_is_honoured_at_the_next_group_of_64_batches():
    """With steps_per_execution=64 a Stop ends fit after at most one more group of 64 batches."""
    rng = np.random.default_rng(0)
    x = rng.random((128 * 640, 20), dtype=np.float32)
    y = data.one_hot(rng.integers(0, 10, len(x)))
    event = threading.Event()
    seen = []
    ask_to_stop = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: (seen.append(batch), event.set())
    )
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(20,)), keras.layers.Dense(10, activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer="sgd", steps_per_execution=64)
    history = model.fit(x, y, batch_size=128, epochs=5, verbose=0, callbacks=[ask_to_stop, training.StopOnEvent(event)])
    assert seen == [63]  # 64 of the epoch's 640 batches ran, then fit returned
    assert len(history.history["loss"]) == 1
