import pytest

from helpers import experiments


def test_settings_validation_names_the_setting():
    with pytest.raises(ValueError, match="hidden_layers must be between 0 and 6, got 9"):
        experiments.MLPSettings(hidden_layers=9).validate()
    with pytest.raises(ValueError, match="optimizer must be one of"):
        experiments.MLPSettings(optimizer="adamw").validate()
    assert experiments.MLPSettings().validate().hidden_units == 128


def test_run_mlp_on_a_small_subset_learns():
    settings = experiments.MLPSettings(hidden_layers=1, hidden_units=32, epochs=2,
                                       train_samples=2000, optimizer="adam", learning_rate=0.001)
    result = experiments.run_mlp(settings, live_plot=False)
    metrics = result.metrics()
    assert metrics["epochs"] == 2 and metrics["train_samples"] == 2000
    assert metrics["test_accuracy"] > 0.6  # 10 classes: chance is 0.1
