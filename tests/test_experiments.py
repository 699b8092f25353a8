import pytest

from helpers.core import experiments


def test_settings_validation_names_the_setting():
    with pytest.raises(ValueError, match="hidden_layers must be between 0 and 6, got 9"):
        experiments.MLPSettings(hidden_layers=9).validate()
    with pytest.raises(ValueError, match="optimizer must be one of"):
        experiments.MLPSettings(optimizer="adamw").validate()
    assert experiments.MLPSettings().validate().hidden_units == 128
    with pytest.raises(ValueError, match="l1 must be 0 or more"):
        experiments.MLPSettings(l1=-0.1).validate()
    with pytest.raises(ValueError, match="l2 must be 0 or more"):
        experiments.MLPSettings(l2=-1e-4).validate()


def test_penalties_reach_the_model():
    settings = experiments.MLPSettings(hidden_layers=1, hidden_units=8, l1=1e-3, l2=1e-4, epochs=1,
                                       train_samples=100)
    result = experiments.run_mlp(settings, live_plot=False)
    regularizer = result.model.layers[0].kernel_regularizer
    assert (float(regularizer.l1), float(regularizer.l2)) == pytest.approx((1e-3, 1e-4))
    assert result.metrics()["l1"] == 1e-3
    assert experiments.MLPSettings().l1 == experiments.MLPSettings().l2 == 0.0


def test_run_mlp_on_a_small_subset_learns():
    settings = experiments.MLPSettings(hidden_layers=1, hidden_units=32, epochs=2,
                                       train_samples=2000, optimizer="adam", learning_rate=0.001)
    result = experiments.run_mlp(settings, live_plot=False)
    metrics = result.metrics()
    assert metrics["epochs"] == 2 and metrics["train_samples"] == 2000
    assert metrics["test_accuracy"] > 0.6  # 10 classes: chance is 0.1


def test_run_mlp_without_xla_gives_the_same_numbers():
    settings = experiments.MLPSettings(hidden_layers=1, hidden_units=8, epochs=2, train_samples=500,
                                       optimizer="adam", learning_rate=0.001)
    with_xla = experiments.run_mlp(settings, live_plot=False).metrics()
    without = experiments.run_mlp(settings, live_plot=False, fast=False).metrics()
    assert without["test_accuracy"] == pytest.approx(with_xla["test_accuracy"], abs=2e-3)
    assert without["train_loss"] == pytest.approx(with_xla["train_loss"], rel=1e-3)


def test_reused_network_gives_the_numbers_of_a_fresh_one():
    settings = experiments.MLPSettings(hidden_layers=1, hidden_units=8, dropout=0.2, epochs=2,
                                       train_samples=400, optimizer="adam", learning_rate=0.001)
    fresh = experiments.run_mlp(settings, live_plot=False)
    first = experiments.run_mlp(settings, live_plot=False, reuse=True)
    again = experiments.run_mlp(settings, live_plot=False, reuse=True)
    assert again.model is first.model  # compiled once, reset for the second run
    assert first.history.history == again.history.history == fresh.history.history
    assert first.test == again.test == fresh.test
    other = experiments.run_mlp(experiments.MLPSettings(**{**settings.as_dict(), "hidden_units": 4}),
                                live_plot=False, reuse=True)
    assert other.model is not first.model
    slower = experiments.MLPSettings(**{**settings.as_dict(), "learning_rate": 0.01})
    reused = experiments.run_mlp(slower, live_plot=False, reuse=True)
    assert reused.model is first.model  # a new learning rate keeps the network
    assert reused.history.history == experiments.run_mlp(slower, live_plot=False).history.history
    assert experiments.KeptNetworks.key(settings, True) != experiments.KeptNetworks.key(settings, False)
