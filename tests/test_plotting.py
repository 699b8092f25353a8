import numpy as np

from helpers import plotting


def test_compare_histories_draws_training_and_validation_per_run():
    histories = {
        "sgd": {"loss": [2.0, 1.0], "val_loss": [2.1, 1.2], "accuracy": [0.5, 0.7], "val_accuracy": [0.5, 0.6]},
        "adam": {"loss": [1.0, 0.5, 0.2], "accuracy": [0.7, 0.8, 0.9]},  # no validation
    }
    fig = plotting.compare_histories(histories, title="optimizers")
    loss_axis, accuracy_axis = fig.axes
    labels = [line.get_label() for line in loss_axis.get_lines()]
    assert labels == ["sgd, training", "sgd, validation", "adam, training"]
    np.testing.assert_allclose(accuracy_axis.get_lines()[2].get_ydata(), [0.7, 0.8, 0.9])
    np.testing.assert_allclose(accuracy_axis.get_lines()[2].get_xdata(), [1, 2, 3])
    # the same run keeps its colour in every panel
    assert loss_axis.get_lines()[1].get_color() == accuracy_axis.get_lines()[1].get_color()


def test_compare_histories_accepts_a_keras_history_like_object():
    class History:
        history = {"accuracy": [0.1, 0.2]}

    fig = plotting.compare_histories({"run": History()}, metrics=("accuracy",))
    assert len(fig.axes) == 1 and len(fig.axes[0].get_lines()) == 1


def test_plot_sweep_one_panel_per_quantity_on_a_log_axis():
    fig = plotting.plot_sweep([32, 64, 128], {
        "accuracy": {"validation": [0.9, 0.92, 0.93], "test": [0.89, 0.91, 0.93]},
        "seconds per epoch": {"": [3.0, 2.0, 1.0]},
    }, "batch size", log_base=2)
    accuracy_axis, seconds_axis = fig.axes
    assert accuracy_axis.get_xscale() == "log" and len(accuracy_axis.get_lines()) == 2
    np.testing.assert_allclose(seconds_axis.get_lines()[0].get_ydata(), [3.0, 2.0, 1.0])
    assert [tick.get_text() for tick in seconds_axis.get_xticklabels()] == ["32", "64", "128"]
