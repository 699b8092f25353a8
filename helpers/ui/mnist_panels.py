"""Training panels on MNIST: the book's MLP retrained live with the settings a notebook teaches.

:func:`mlp_panel` varies the architecture; :func:`dropout_panel`,
:func:`optimizer_panel` and :func:`regularization_panel` vary what their
notebook teaches on the book's two hidden layers of 128. Each is a
:class:`helpers.ui.training_panel.TrainingPanel` around
:func:`helpers.core.experiments.run_mlp`: it trains for real, can be stopped,
and prints the papermill command of the notebook it is told about
(``notebook=...``) with the same settings.
"""

from helpers.core import data, experiments, regularization
from helpers.figures import descriptions, diagrams, plotting, training_curves
from helpers.ui.controls import dropdown, log_slider, slider
from helpers.ui.described_image import DescribedImage
from helpers.ui.training_panel import TrainingPanel

#: Settings of the book's V3 (two hidden layers of 128 ReLU, dropout 0.3, SGD).
BOOK_V3 = dict(
    hidden_layers=2,
    hidden_units=128,
    activation="relu",
    dropout=0.3,
    optimizer="sgd",
    learning_rate=0.01,
    batch_size=128,
)


def rounded(values):
    """Round floats to 3 significant digits (a log slider's 0.0010000000000000002 is 0.001)."""
    return {name: float(f"{value:.3g}") if isinstance(value, float) else value for name, value in values.items()}


def train_and_report(settings, output, callbacks):
    """Run ``settings`` with live curves in ``output``; the numbers a panel's status line shows.

    Returns the :class:`helpers.core.experiments.RunResult` and a dict of formatted numbers.
    """
    curves = training_curves.LiveCurves(settings.title(), output=output)
    result = experiments.run_mlp(settings, callbacks=[curves, *callbacks], networks=experiments.NETWORKS)
    metrics = result.metrics()
    return result, {
        "train acc": f"{metrics['train_accuracy']:.2%}",
        "val acc": f"{metrics['val_accuracy']:.2%}" if metrics["val_accuracy"] is not None else "-",
        "test acc": f"{metrics['test_accuracy']:.2%}",
        "s/epoch": f"{metrics['seconds_per_epoch']:.2f}",
    }


def settings_panel(controls, fixed, notebook=None, fixed_parameters=None, retrain_on_change=True):
    """A training panel whose controls set some MLP settings; ``fixed`` sets the others.

    Parameters
    ----------
    controls : dict
        :class:`experiments.MLPSettings` field -> widget.
    fixed : dict
        Field -> value for the other settings (a control's value wins over
        the same name here).
    notebook : str, optional
        The notebook that repeats a run in batch (see :meth:`TrainingPanel.command`).
    fixed_parameters : dict, optional
        Parameters of that notebook the command always sets.
    retrain_on_change : bool
        Retrain as soon as a control is released (the run in progress stops
        first), so a slider retrains live; otherwise wait for Train.

    Returns
    -------
    TrainingPanel
    """

    def settings(values):
        return experiments.MLPSettings(**{**fixed, **rounded(values)}).validate()

    def run(values, output, callbacks):
        return train_and_report(settings(values), output, callbacks)[1]

    return _mlp_training_panel(controls, settings, run, notebook, fixed_parameters, retrain_on_change)


def _mlp_training_panel(controls, settings, run, notebook, fixed_parameters, retrain_on_change):
    """A :class:`TrainingPanel` whose controls' values make :class:`experiments.MLPSettings` through ``settings``.

    Its command repeats those settings as the notebook's parameters; a setting the notebook has no
    parameter for must keep its default.
    """
    return TrainingPanel(
        controls,
        run,
        notebook,
        command_settings=lambda values: settings(values).as_dict(),
        setting_defaults=experiments.MLPSettings().as_dict(),
        fixed_parameters=fixed_parameters,
        retrain_on_change=retrain_on_change,
    )


def mlp_panel(
    hidden_layers=2,
    hidden_units=128,
    activation="relu",
    epochs=5,
    batch_size=128,
    train_samples=6000,
    notebook=None,
    fixed_parameters=None,
    **fixed,
):
    """Retrain an MNIST MLP on Train: layers, units, activation, epochs, batch size, images.

    A diagram above the buttons shows the network the next Train builds, and
    follows the layer and unit sliders.
    """
    controls = {
        "hidden_layers": slider("hidden layers", hidden_layers, 0, 3),
        "hidden_units": slider("units per layer", hidden_units, 8, 512, 8),
        "activation": dropdown("activation", ["relu", "sigmoid", "tanh", "linear"], activation),
        "epochs": slider("epochs", epochs, 1, 50),
        "batch_size": dropdown("batch size", [16, 32, 64, 128, 256, 512], batch_size),
        "train_samples": slider("training images", train_samples, 1000, 60000, 1000),
    }
    panel = settings_panel(controls, fixed, notebook, fixed_parameters, retrain_on_change=False)
    diagram = DescribedImage(image_style="width: 100%", layout={"width": "100%", "max_width": "420px"})

    def draw_network(change=None):
        layers = [784] + [controls["hidden_units"].value] * controls["hidden_layers"].value + [10]
        figure = diagrams.mlp_diagram(layers, title=" -> ".join(map(str, layers)))
        diagram.set(plotting.figure_png(figure), descriptions.network_description(layers, controls["activation"].value))

    for name in ("hidden_layers", "hidden_units", "activation"):
        controls[name].observe(draw_network, names="value")
    draw_network()
    panel.diagram = diagram
    children = list(panel.widget.children)
    panel.widget.children = (*children[:2], diagram, *children[2:])
    return panel


def dropout_panel(dropout=0.3, epochs=10, train_samples=6000, notebook=None, fixed_parameters=None, **fixed):
    """Retrain the book's V3 with another dropout rate, epochs or number of images.

    Other :class:`experiments.MLPSettings` fields can be fixed by keyword
    (e.g. ``optimizer="adam", learning_rate=0.001``); the rest are V3's.
    """
    controls = {
        "dropout": slider("dropout rate", dropout, 0.0, 0.8, 0.05),
        **_length_controls(epochs, train_samples),
    }
    return settings_panel(controls, {**BOOK_V3, **fixed}, notebook, fixed_parameters)


def optimizer_panel(
    optimizer="adam", learning_rate=0.001, epochs=10, train_samples=6000, notebook=None, fixed_parameters=None, **fixed
):
    """Retrain the book's V3 network with another optimizer and learning rate (log slider)."""
    controls = {
        "optimizer": dropdown("optimizer", ["sgd", "rmsprop", "adam"], optimizer),
        "learning_rate": log_slider("learning rate", learning_rate, 1e-5, 1.0),
        **_length_controls(epochs, train_samples),
    }
    return settings_panel(controls, {**BOOK_V3, **fixed}, notebook, fixed_parameters)


def _length_controls(epochs, train_samples):
    """How long a run is: epochs and training images."""
    return {
        "epochs": slider("epochs", epochs, 1, 100),
        "train_samples": slider("training images", train_samples, 1000, 60000, 1000),
    }


def regularization_panel(
    kind="L2",
    strength=1e-4,
    l1_ratio=0.5,
    epochs=30,
    train_samples=2000,
    near_zero=1e-3,
    notebook=None,
    fixed_parameters=None,
    **fixed,
):
    """Retrain an MLP with an L1, L2 or elastic-net penalty; every change of a control retrains.

    The curves grow epoch by epoch, then the histogram of the trained weights
    appears below them. The status line compares what a penalty changes: the
    share of weights near zero, the validation cross-entropy (penalty left
    out) and the accuracies.

    Parameters
    ----------
    kind, strength, l1_ratio : str, float, float
        Start values of the penalty controls (see :func:`regularization.penalty_factors`).
    epochs, train_samples : int
        Start values of the length controls.
    near_zero : float
        A weight with ``|w|`` below this counts as near zero.
    notebook, fixed_parameters
        As for :func:`settings_panel`; the command sets the notebook's ``L1``
        and ``L2`` parameters from the penalty.
    **fixed
        Other :class:`experiments.MLPSettings` fields (``hidden_units=512``, ...).
    """
    controls = {
        "kind": dropdown("penalty", list(regularization.KINDS), kind),
        "strength": log_slider("λ", strength, 1e-6, 1e-1, steps_per_decade=4),
        "l1_ratio": slider("L1 share (elastic net)", l1_ratio, 0.0, 1.0, 0.1),
        **_length_controls(epochs, train_samples),
    }

    def settings(values):
        values = rounded(values)
        l1, l2 = regularization.penalty_factors(values.pop("kind"), values.pop("strength"), values.pop("l1_ratio"))
        return experiments.MLPSettings(**{**fixed, **values, "l1": l1, "l2": l2}).validate()

    def run(values, output, callbacks):
        current = settings(values)
        output.outputs = ()  # the last run's histogram goes; its curves are replaced anyway
        result, numbers = train_and_report(current, output, callbacks)
        weights = regularization.kernel_weights(result.model)
        label = f"{values['kind']}, λ={values['strength']:.2g}, L1 {current.l1:.2g}, L2 {current.l2:.2g}"
        plotting.show_in(output, plotting.plot_histograms({label: weights}, threshold=near_zero), append=True)
        report = {
            f"weights |w|<{near_zero:g}": f"{regularization.near_zero_count(weights, near_zero) / weights.size:.1%}"
        }
        dataset = data.prepare_mnist(current.train_samples, current.validation_split)
        if len(dataset.x_val):
            cross_entropy = regularization.data_loss(result.model, dataset.x_val, dataset.y_val)
            report["val cross-entropy"] = f"{cross_entropy:.3f}"
        report.update(numbers)
        return report

    return _mlp_training_panel(controls, settings, run, notebook, fixed_parameters, retrain_on_change=True)
