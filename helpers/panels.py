"""Training panels that vary a few settings of the book's MLP and keep the rest fixed.

:func:`widgets.mlp_panel` varies the architecture; the panels here vary what a
notebook teaches (the dropout rate, the optimizer and its learning rate) on the
book's two hidden layers of 128. Each is a :class:`widgets.TrainingPanel`, so
it trains for real (as soon as a control is released), can be stopped, and
prints the papermill command of
``04_mlp.ipynb`` (the notebook that runs one MLP experiment in batch) with the
same settings.
"""

import math

import ipywidgets as w

from helpers import data, experiments, plotting, regularization, widgets

#: Settings of the book's V3 (two hidden layers of 128 ReLU, dropout 0.3, SGD).
BOOK_V3 = dict(hidden_layers=2, hidden_units=128, activation="relu", dropout=0.3,
               optimizer="sgd", learning_rate=0.01, batch_size=128)
#: The notebook whose parameters describe one MLP run, and the parameter that
#: turns off its 200-epoch softmax-only warm-up.
MLP_NOTEBOOK = "04_mlp.ipynb"
SKIP_SIMPLE = {"SIMPLE_EPOCHS": 0}
#: The settings that notebook takes as parameters (upper-cased).
MLP_NOTEBOOK_SETTINGS = ("hidden_layers", "hidden_units", "activation", "dropout", "optimizer",
                         "learning_rate", "epochs", "batch_size", "train_samples", "seed")


def log_slider(description, value, low, high, steps_per_decade=10):
    """A slider on a log scale (for learning rates), reporting on release.

    Parameters
    ----------
    description : str
    value, low, high : float
        Start value and range; all > 0.
    steps_per_decade : int
        Positions between one power of ten and the next.
    """
    if not 0 < low <= value <= high:
        raise ValueError(f"need 0 < low <= value <= high, got low={low}, value={value}, high={high}")
    return w.FloatLogSlider(value=value, base=10, min=math.log10(low), max=math.log10(high),
                            step=1 / steps_per_decade, description=description,
                            readout_format=".2g", continuous_update=False,
                            style={"description_width": "initial"})


def tidy(settings):
    """Round floats to 3 significant digits (a log slider's 0.0010000000000000002 is 0.001)."""
    return {name: float(f"{value:.3g}") if isinstance(value, float) else value
            for name, value in settings.items()}


def mlp_notebook_parameters(settings, names=MLP_NOTEBOOK_SETTINGS, notebook=MLP_NOTEBOOK,
                            extra=SKIP_SIMPLE):
    """Papermill parameters of ``04_mlp.ipynb`` for an :class:`experiments.MLPSettings` dict.

    ``names`` are the settings the notebook takes as (upper-cased) parameters,
    ``extra`` parameters are added as they are; other notebooks that describe
    one MLP run pass their own.

    Raises
    ------
    ValueError
        If a setting the notebook has no parameter for differs from its
        default (the command would not repeat the run).
    """
    complete = experiments.MLPSettings(**settings).as_dict()
    defaults = experiments.MLPSettings().as_dict()
    missing = [name for name in complete if name not in names and complete[name] != defaults[name]]
    if missing:
        raise ValueError(f"{notebook} has no parameter for {', '.join(missing)}; "
                         "leave it at its default to get a batch command")
    return {**(extra or {}), **{name.upper(): complete[name] for name in names}}


def settings_panel(controls, fixed, notebook=MLP_NOTEBOOK, retrain_on_change=True):
    """A training panel whose controls set some MLP settings; ``fixed`` sets the others.

    Parameters
    ----------
    controls : dict
        :class:`experiments.MLPSettings` field -> widget.
    fixed : dict
        Field -> value for the other settings (a control's value wins over
        the same name here).
    notebook : str
        The notebook :meth:`TrainingPanel.command` names.
    retrain_on_change : bool
        Retrain as soon as a control is released (the run in progress stops
        first), so a slider retrains live; otherwise wait for Train.

    Returns
    -------
    widgets.TrainingPanel
    """
    def run(settings, output, callbacks):
        return widgets._run_mlp_from_panel({**fixed, **tidy(settings)}, output, callbacks)

    def to_parameters(settings):
        return mlp_notebook_parameters({**fixed, **tidy(settings)})

    return widgets.TrainingPanel(controls, run, notebook, to_parameters,
                                 retrain_on_change=retrain_on_change)


def dropout_panel(dropout=0.3, epochs=10, train_samples=6000, seed=0, **fixed):
    """Retrain the book's V3 with another dropout rate, epochs or number of images.

    Other :class:`experiments.MLPSettings` fields can be fixed by keyword
    (e.g. ``optimizer="adam", learning_rate=0.001``); the rest are V3's.
    """
    controls = {
        "dropout": widgets.slider("dropout rate", dropout, 0.0, 0.8, 0.05),
        **_length_controls(epochs, train_samples),
    }
    return settings_panel(controls, {**BOOK_V3, "seed": seed, **fixed})


def optimizer_panel(optimizer="adam", learning_rate=0.001, epochs=10, train_samples=6000,
                    seed=0, **fixed):
    """Retrain the book's V3 network with another optimizer and learning rate (log slider)."""
    controls = {
        "optimizer": widgets.dropdown("optimizer", ["sgd", "rmsprop", "adam"], optimizer),
        "learning_rate": log_slider("learning rate", learning_rate, 1e-5, 1.0),
        **_length_controls(epochs, train_samples),
    }
    return settings_panel(controls, {**BOOK_V3, "seed": seed, **fixed})


def _length_controls(epochs, train_samples):
    """How long a run is: epochs and training images."""
    return {
        "epochs": widgets.slider("epochs", epochs, 1, 100),
        "train_samples": widgets.slider("training images", train_samples, 1000, 60000, 1000),
    }


#: The notebook whose parameters describe one regularized run, and the settings it takes.
REGULARIZATION_NOTEBOOK = "07_regularization.ipynb"
REGULARIZATION_SETTINGS = ("hidden_layers", "hidden_units", "optimizer", "learning_rate", "l1", "l2",
                           "epochs", "batch_size", "train_samples", "validation_split", "seed")


def regularization_panel(kind="L2", strength=1e-4, l1_ratio=0.5, epochs=30, train_samples=2000,
                         near_zero=1e-3, notebook=REGULARIZATION_NOTEBOOK, **fixed):
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
    notebook : str
        The notebook :meth:`TrainingPanel.command` names; it takes the
        settings in :data:`REGULARIZATION_SETTINGS` as upper-cased parameters.
    **fixed
        Other :class:`experiments.MLPSettings` fields (``hidden_units=512``, ...).
    """
    controls = {
        "kind": widgets.dropdown("penalty", list(regularization.KINDS), kind),
        "strength": log_slider("λ", strength, 1e-6, 1e-1, steps_per_decade=4),
        "l1_ratio": widgets.slider("L1 share (elastic net)", l1_ratio, 0.0, 1.0, 0.1),
        **_length_controls(epochs, train_samples),
    }
    prepared = {}  # the data of the last run, reused while the sample size stays

    def mlp_settings(values):
        values = tidy(values)
        l1, l2 = regularization.penalty_factors(values.pop("kind"), values.pop("strength"),
                                                values.pop("l1_ratio"))
        return experiments.MLPSettings(**{**fixed, **values, "l1": l1, "l2": l2}).validate()

    def run(values, output, callbacks):
        settings = mlp_settings(values)
        key = (settings.train_samples, settings.validation_split, settings.seed)
        if key not in prepared:
            prepared.clear()
            prepared[key] = data.prepare_mnist(*key)
        output.outputs = ()  # the last run's histogram goes; its curves are replaced anyway
        result = experiments.run_mlp(settings, output=output, callbacks=callbacks, dataset=prepared[key])
        weights = regularization.kernel_weights(result.model)
        label = f"{values['kind']}, λ={values['strength']:.2g}, L1 {settings.l1:.2g}, L2 {settings.l2:.2g}"
        plotting.show_in(output, plotting.plot_histograms({label: weights}, threshold=near_zero),
                         append=True)
        metrics, dataset = result.metrics(), prepared[key]
        numbers = {f"weights |w|<{near_zero:g}":
                   f"{regularization.near_zero_count(weights, near_zero) / weights.size:.1%}"}
        if len(dataset.x_val):
            cross_entropy = regularization.data_loss(result.model, dataset.x_val, dataset.y_val)
            numbers.update({"val cross-entropy": f"{cross_entropy:.3f}",
                            "val acc": f"{metrics['val_accuracy']:.2%}"})
        numbers.update({"test acc": f"{metrics['test_accuracy']:.2%}",
                        "s/epoch": f"{metrics['seconds_per_epoch']:.2f}"})
        return numbers

    def to_parameters(values):
        return mlp_notebook_parameters(mlp_settings(values).as_dict(), REGULARIZATION_SETTINGS,
                                       notebook, extra={})

    return widgets.TrainingPanel(controls, run, notebook, to_parameters, retrain_on_change=True)
