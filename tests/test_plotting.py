import numpy as np
import pytest

from helpers.figures import plotting


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
    fig = plotting.plot_sweep(
        [32, 64, 128],
        {
            "accuracy": {"validation": [0.9, 0.92, 0.93], "test": [0.89, 0.91, 0.93]},
            "seconds per epoch": {"": [3.0, 2.0, 1.0]},
        },
        "batch size",
        log_base=2,
    )
    accuracy_axis, seconds_axis = fig.axes
    assert accuracy_axis.get_xscale() == "log" and len(accuracy_axis.get_lines()) == 2
    np.testing.assert_allclose(seconds_axis.get_lines()[0].get_ydata(), [3.0, 2.0, 1.0])
    assert [tick.get_text() for tick in seconds_axis.get_xticklabels()] == ["32", "64", "128"]


def test_show_in_replaces_or_appends():
    import ipywidgets

    output = ipywidgets.Output()
    fig = plotting.plot_histograms({"a": [0.0, 1.0]})
    plotting.show_in(output, fig)
    plotting.show_in(output, fig, append=True)
    assert len(output.outputs) == 2
    plotting.show_in(output, fig)
    (shown,) = output.outputs
    assert shown["data"]["text/html"].startswith('<img src="data:image/png;base64,')
    assert shown["data"]["text/plain"] == fig.axes[0].get_title()  # the figure's caption is its alt text
    plotting.show_in(output, fig, description='weights "after" training')
    assert 'alt="weights &quot;after&quot; training"' in output.outputs[0]["data"]["text/html"]


def test_a_described_png_refuses_what_is_not_a_png_or_has_no_description():
    with pytest.raises(TypeError, match="png must be PNG bytes, got str"):
        plotting.described_png("picture", "a figure")
    with pytest.raises(ValueError, match="needs a text alternative, got ' '"):
        plotting.described_png(b"\x89PNG", " ")


def test_plot_histograms_shares_near_zero_in_titles():
    fig = plotting.plot_histograms({"L1": [0.0, 0.0005, 0.2, -0.3], "none": [0.1, 0.2]}, threshold=1e-3)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["L1\n50.0% within ±0.001", "none\n0.0% within ±0.001"]
    assert fig.axes[0].get_yscale() == "log"


def test_plot_heatmap_writes_values_and_leaves_nan_blank():
    fig = plotting.plot_heatmap(
        [[0.9, float("nan")], [0.5, 0.7]], [32, 256], [0.001, 0.01], "hidden units", "learning rate", fmt=".0%"
    )
    ax = fig.axes[0]
    assert sorted(text.get_text() for text in ax.texts) == ["50%", "70%", "90%"]
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["0.001", "0.01"]
    assert ax.get_ylabel() == "hidden units"


def test_plot_probabilities_marks_true_and_predicted_class():
    probabilities = np.full((2, 10), 0.01)
    probabilities[0, 3], probabilities[1, 5] = 0.91, 0.91
    fig = plotting.plot_probabilities(np.zeros((2, 784)), probabilities, [3, 7])
    titles = [ax.get_title() for ax in fig.axes[:4]]
    assert "true 3, pred 3" in titles and "true 7, pred 5" in titles
    assert len(fig.axes) == 4
