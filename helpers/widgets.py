"""Widget panels: controls wired to a training function, nothing more.

The logic a panel runs lives elsewhere (``helpers.experiments``) and is tested
without a browser; a panel only turns control values into settings, calls the
run function and shows what comes back. Sliders act on release
(``continuous_update=False``) so a drag starts one run, not fifty.
"""

import shlex

import ipywidgets as w
from IPython.display import display

from helpers import experiments


def slider(description, value, low, high, step=1, **options):
    """An integer or float slider that only reports its value on release."""
    kind = w.IntSlider if all(isinstance(v, int) for v in (value, low, high, step)) else w.FloatSlider
    return kind(value=value, min=low, max=high, step=step, description=description,
                continuous_update=False, style={"description_width": "initial"}, **options)


def dropdown(description, options, value):
    """A dropdown menu of fixed choices."""
    return w.Dropdown(options=options, value=value, description=description,
                      style={"description_width": "initial"})


def papermill_command(notebook, parameters):
    """The shell command that runs ``notebook`` in batch with ``parameters``."""
    parts = ["papermill", notebook, notebook.replace(".ipynb", "-out.ipynb")]
    for name, value in parameters.items():
        parts += ["-p", name, str(value)]
    return " ".join(shlex.quote(part) for part in parts)


class TrainingPanel:
    """Controls, a Train button, a live plot and a line of results.

    Parameters
    ----------
    controls : dict
        Setting name -> widget; each widget's ``value`` becomes that setting.
    run : callable
        ``run(settings_dict, output, callbacks)`` trains for real, draws into
        ``output`` (an ``ipywidgets.Output``), passes ``callbacks`` (a list of
        Keras callbacks, e.g. the Stop button's) to ``model.fit`` and returns a
        dict of final numbers to show.
    notebook : str, optional
        The notebook this panel lives in, for :meth:`command`.
    to_parameters : callable, optional
        Maps the settings dict to the notebook's papermill parameters.
    """

    def __init__(self, controls, run, notebook=None, to_parameters=None):
        self.controls = dict(controls)
        self.run_function = run
        self.notebook = notebook
        self.to_parameters = to_parameters or (lambda settings: settings)
        self.train_button = w.Button(description="Train", button_style="primary", icon="play")
        self.command_button = w.Button(description="Show batch command", icon="terminal")
        self.status = w.HTML("Press <b>Train</b> to train the network.")
        self.plot = w.Output(layout={"min_height": "260px"})
        self.command_output = w.Output()
        self.results = []
        self.last_error = None
        self.train_button.on_click(lambda _: self.train())
        self.command_button.on_click(lambda _: self._show_command())
        self.widget = w.VBox([
            w.HBox(list(self.controls.values())[:4], layout={"flex_flow": "row wrap"}),
            w.HBox(list(self.controls.values())[4:], layout={"flex_flow": "row wrap"}),
            w.HBox([self.train_button, self.command_button]),
            self.status, self.plot, self.command_output,
        ])

    def settings(self):
        """The current control values, as a dict of setting name -> value."""
        return {name: control.value for name, control in self.controls.items()}

    def train(self):
        """Run one training with the current settings; show and return its numbers."""
        settings = self.settings()
        self.status.value = "Training..."
        self.train_button.disabled = True
        try:
            numbers = self.run_function(settings, self.plot, self.callbacks())
        except Exception as error:  # shown in the panel, so a learner sees what went wrong
            self.last_error = error
            self.status.value = f"<span style='color:#b00'>Error: {type(error).__name__}: {error}</span>"
            return None
        finally:
            self.train_button.disabled = False
        self.last_error = None
        self.results.append(numbers)
        self.status.value = " &nbsp; ".join(f"{key}: <b>{value}</b>" for key, value in numbers.items())
        return numbers

    def callbacks(self):
        """Keras callbacks every run of this panel passes to ``model.fit``."""
        return []

    def command(self):
        """The papermill command that repeats the current settings in batch."""
        return papermill_command(self.notebook or "NOTEBOOK.ipynb", self.to_parameters(self.settings()))

    def _show_command(self):
        self.command_output.clear_output()
        with self.command_output:
            print(self.command())

    def _ipython_display_(self):
        display(self.widget)


def _run_mlp_from_panel(settings, output, callbacks):
    result = experiments.run_mlp(experiments.MLPSettings(**settings), output=output,
                                 callbacks=callbacks)
    metrics = result.metrics()
    return {
        "train acc": f"{metrics['train_accuracy']:.2%}",
        "val acc": f"{metrics['val_accuracy']:.2%}",
        "test acc": f"{metrics['test_accuracy']:.2%}",
        "s/epoch": f"{metrics['seconds_per_epoch']:.2f}",
    }


def mlp_panel(notebook="04_mlp.ipynb", hidden_layers=2, hidden_units=128, activation="relu",
              epochs=5, batch_size=128, train_samples=6000):
    """Panel that retrains an MNIST MLP: layers, units, activation, epochs, batch, samples."""
    controls = {
        "hidden_layers": slider("hidden layers", hidden_layers, 0, 3),
        "hidden_units": slider("units per layer", hidden_units, 8, 512, 8),
        "activation": dropdown("activation", ["relu", "sigmoid", "tanh", "linear"], activation),
        "epochs": slider("epochs", epochs, 1, 50),
        "batch_size": dropdown("batch size", [16, 32, 64, 128, 256, 512], batch_size),
        "train_samples": slider("training images", train_samples, 1000, 60000, 1000),
    }
    to_parameters = lambda s: {key.upper(): value for key, value in s.items()}  # noqa: E731
    return TrainingPanel(controls, _run_mlp_from_panel, notebook, to_parameters)
