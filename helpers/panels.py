"""Training panels that vary a few settings of the book's MLP and keep the rest fixed.

:func:`widgets.mlp_panel` varies the architecture; the panels here vary what a
notebook teaches (the dropout rate, the optimizer and its learning rate) on the
book's two hidden layers of 128. Each is a :class:`widgets.TrainingPanel`, so
it trains for real, can be stopped, and prints the papermill command of
``04_mlp.ipynb`` (the notebook that runs one MLP experiment in batch) with the
same settings.
"""

import math

import ipywidgets as w

from helpers import experiments, widgets

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


def mlp_notebook_parameters(settings):
    """Papermill parameters of ``04_mlp.ipynb`` for an :class:`experiments.MLPSettings` dict.

    Raises
    ------
    ValueError
        If a setting the notebook has no parameter for differs from its
        default (the command would not repeat the run).
    """
    complete = experiments.MLPSettings(**settings).as_dict()
    defaults = experiments.MLPSettings().as_dict()
    missing = [name for name in complete
               if name not in MLP_NOTEBOOK_SETTINGS and complete[name] != defaults[name]]
    if missing:
        raise ValueError(f"{MLP_NOTEBOOK} has no parameter for {', '.join(missing)}; "
                         "leave it at its default to get a batch command")
    return {**SKIP_SIMPLE, **{name.upper(): complete[name] for name in MLP_NOTEBOOK_SETTINGS}}


def settings_panel(controls, fixed, notebook=MLP_NOTEBOOK):
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

    Returns
    -------
    widgets.TrainingPanel
    """
    def run(settings, output, callbacks):
        return widgets._run_mlp_from_panel({**fixed, **tidy(settings)}, output, callbacks)

    def to_parameters(settings):
        return mlp_notebook_parameters({**fixed, **tidy(settings)})

    return widgets.TrainingPanel(controls, run, notebook, to_parameters)


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
