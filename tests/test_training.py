import json

import numpy as np
import pytest

from helpers.core import data, models, training
from helpers.figures import plotting


def tiny_dataset(n=256, seed=0):
    """Random 784-d inputs with learnable labels (label = argmax of 10 fixed projections)."""
    rng = np.random.default_rng(seed)
    x = rng.random((n + 64 + 64, 784), dtype=np.float32)
    labels = (x @ rng.standard_normal((784, 10)).astype(np.float32)).argmax(axis=1)
    y = data.one_hot(labels)
    return data.PreparedMNIST(x[:n], y[:n], x[n:n + 64], y[n:n + 64],
                              x[n + 64:], y[n + 64:], labels[n + 64:])


def train_once(dataset, seed=7, live_plot=False):
    training.seed_everything(seed)
    model = models.build_classifier(hidden_units=(16,), dropout=0.2, optimizer="adam")
    return training.fit(model, dataset, epochs=3, batch_size=32, seed=seed, live_plot=live_plot)


def test_same_seed_same_history():
    dataset = tiny_dataset()
    first, second = train_once(dataset).history, train_once(dataset).history
    assert first == second
    assert set(first) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(first["loss"]) == 3


def test_different_seed_different_history():
    dataset = tiny_dataset()
    assert train_once(dataset, seed=1).history != train_once(dataset, seed=2).history


def test_live_plot_redraws_every_epoch(monkeypatch):
    drawn = []
    monkeypatch.setattr(plotting.LiveCurves, "redraw", lambda self: drawn.append(
        {key: line.get_ydata().tolist() for key, line in self.lines.items()}))
    history = train_once(tiny_dataset(), live_plot=True)
    assert len(drawn) == 3
    assert drawn[-1]["loss"] == pytest.approx(history.history["loss"])
    assert len(drawn[0]["val_accuracy"]) == 1


def test_summary_and_metrics_json(tmp_path):
    dataset = tiny_dataset()
    history = train_once(dataset)
    model_metrics = training.summarize(history, {"test_loss": 1.0, "test_accuracy": 0.5}, seed=7)
    assert model_metrics["epochs"] == 3 and model_metrics["seed"] == 7
    assert model_metrics["train_accuracy"] == history.history["accuracy"][-1]
    assert model_metrics["seconds_per_epoch"] > 0
    path = training.write_metrics(tmp_path / "out" / "metrics.json", model_metrics)
    assert json.loads(path.read_text())["test_accuracy"] == 0.5
    assert training.write_metrics("", model_metrics) is None


@pytest.mark.parametrize("epochs", [0, -1, 2.5, True])
def test_bad_epochs_rejected(epochs):
    with pytest.raises(ValueError, match="epochs must be a positive whole number"):
        training.fit(None, tiny_dataset(), epochs=epochs)


def test_shared_tensor_reads_aligned_arrays_in_place():
    array = data.flatten_and_scale(np.zeros((4, 28, 28), dtype=np.uint8))
    tensor = training.shared_tensor(array)
    array[0, 0] = 0.5  # the tensor sees the change: no copy was made
    assert float(tensor[0, 0]) == 0.5 and tuple(tensor.shape) == (4, 784)
    unaligned = np.zeros(785, dtype=np.float32)[1:]
    assert training.shared_tensor(unaligned) is unaligned  # Keras will copy it as usual
    assert training.shared_tensor([1, 2]) == [1, 2]
