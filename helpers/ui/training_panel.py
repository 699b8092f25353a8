"""A training panel: controls, Train and Stop, a live plot and a status line, around one run function.

The logic a panel runs lives in ``helpers.core`` and is tested without a browser;
the panel only turns control values into settings, calls the run function and
shows what comes back. Runs go through the kernel's one queue
(:data:`helpers.ui.runs.RUNS`).
"""

import base64
import html
import re
import threading

import ipywidgets as w

from helpers.core import memory, parameters
from helpers.ui.controls import PANEL_CLASS, PLOT_CLASS, RUNNING_CLASS, error_html
from helpers.ui.runs import RUNS, Job
from helpers.ui.static_view import StaticView

#: A PNG inside an ``<img>`` of an HTML output.
PNG_IN_HTML = re.compile(r'src="data:image/png;base64,([^"]+)"')


def with_memory(line):
    """``line`` followed by the kernel's memory (now and at its peak), as the status line shows it."""
    return f"{line} &nbsp;·&nbsp; <span class='nnf-memory'>{memory.memory_text()}</span>"


class TrainingPanel(StaticView):
    """Controls, Train and Stop buttons, a live plot and a line of results.

    Displayed, it is the live widget and, for pages without a kernel, its plot (or the picture
    in its ``diagram`` attribute, a :class:`helpers.ui.described_image.DescribedImage`, before
    any run) with its settings and status line (:mod:`helpers.ui.static_view`).

    Parameters
    ----------
    controls : dict
        Setting name -> widget; each widget's ``value`` becomes that setting.
    run : callable
        ``run(settings_dict, output, callbacks)`` trains for real, draws into
        ``output`` (an ``ipywidgets.Output``; draw with
        :func:`helpers.figures.plotting.show_in`, which is safe from a background
        thread), passes ``callbacks`` (Keras callbacks: the Stop button's and
        the status line's) to ``model.fit`` and returns a dict of final numbers
        to show.
    notebook : str, optional
        The notebook that repeats this panel's run in batch, for :meth:`command`
        (the notebook that shows the panel tells it which).
    command_settings : callable, optional
        Maps the control values to the settings the command repeats (default:
        the values themselves). Each setting ``name`` becomes the notebook's
        parameter ``NAME`` (see :func:`helpers.core.parameters.settings_to_parameters`).
    setting_defaults : dict, optional
        A setting the notebook has no parameter for may be left out of the
        command only while it equals its value here.
    fixed_parameters : dict, optional
        Parameters the command always sets, e.g. ``{"SIMPLE_EPOCHS": 0}``.
    retrain_on_change : bool
        Retrain whenever a control changes (the run in progress is stopped
        first). Otherwise a change during a run stops it, and Train starts the
        next one.
    background : bool or None
        Where runs go. None (default): to a background thread when a browser
        event started them, in the caller's thread when code did (see
        :func:`helpers.ui.runs.triggered_by_frontend`). True or False forces one or the other.

    Notes
    -----
    Stop ends a run after the current batch, or group of batches when the
    network was compiled with ``steps_per_execution`` (and that epoch's validation); the
    weights, the curves drawn and the returned numbers are kept. An error
    raised by ``run`` is shown in the status line and kept in ``last_error``.
    """

    def __init__(
        self,
        controls,
        run,
        notebook=None,
        command_settings=None,
        setting_defaults=None,
        fixed_parameters=None,
        retrain_on_change=False,
        background=None,
    ):
        self.controls = dict(controls)
        self.run_function = run
        self.notebook = notebook
        self.command_settings = command_settings or dict
        self.setting_defaults = dict(setting_defaults or {})
        self.fixed_parameters = dict(fixed_parameters or {})
        self.retrain_on_change = retrain_on_change
        self.background = background
        self.train_button = w.Button(description="Train", button_style="primary", icon="play")
        self.stop_button = w.Button(
            description="Stop",
            icon="stop",
            disabled=True,
            tooltip="End the run after the current batch; keeps what was learned",
        )
        self.command_button = w.Button(description="Show batch command", icon="terminal")
        self.status = w.HTML("Press <b>Train</b> to train the network.")
        self.plot = w.Output(layout={"min_height": "260px"})
        self.command_output = w.Output()
        self.results = []
        self.last_error = None
        self.epochs_done = 0
        self._latest = None  # this panel's newest job, running or waiting
        self._state_lock = threading.Lock()  # the worker and the kernel both update the widgets
        self._idle = threading.Event()
        self._idle.set()
        self.train_button.on_click(lambda _: self.train())
        self.stop_button.on_click(lambda _: self.stop())
        self.command_button.on_click(lambda _: self._show_command())
        for control in self.controls.values():
            control.observe(self._control_changed, names="value")
        self.widget = w.VBox(
            [
                w.HBox(list(self.controls.values())[:4], layout={"flex_flow": "row wrap"}),
                w.HBox(list(self.controls.values())[4:], layout={"flex_flow": "row wrap"}),
                w.HBox([self.train_button, self.stop_button, self.command_button]),
                self.status,
                self.plot,
                self.command_output,
            ]
        )
        self.widget.add_class(PANEL_CLASS)
        self.plot.add_class(PLOT_CLASS)

    @property
    def running(self):
        """True while a run of this panel is in progress or waiting to start."""
        return self._latest is not None

    def settings(self):
        """The current control values, as a dict of setting name -> value."""
        return {name: control.value for name, control in self.controls.items()}

    def train(self):
        """Train with the current settings.

        Called by code it runs here and returns the numbers (None after an
        error). Called by a click in a live notebook it starts a background run
        (stopping this panel's or another panel's run first) and returns None;
        the status line then follows the run.
        """
        settings = self.settings()
        job = Job(lambda stop_event: self._execute(job, settings), owner=self)
        job.on_cancel = lambda: self._finish(job, "Cancelled: a newer run replaced this one.")
        job.settings, job.reason = settings, ""
        with self._state_lock:
            self._latest = job
            self._idle.clear()
            self._show_busy("Waiting for the previous run to stop..." if RUNS.busy else "Starting...")
        return RUNS.start(job, self.background)

    def stop(self, reason=""):
        """Stop this panel's run after the current batch; what it learned and drew stays.

        ``reason`` is added to the status line ("Stopped after 3 epochs: <reason>").
        """
        with self._state_lock:
            if self._latest is not None:
                self._latest.reason = reason
                self.status.value = "Stopping..."
        RUNS.stop(owner=self)

    def wait(self, timeout=None):
        """Wait until this panel's runs are over; False on timeout."""
        return self._idle.wait(timeout)

    def callbacks(self, stop_event=None, job=None):
        """Keras callbacks every run of this panel passes to ``model.fit``."""
        # Keras is imported on the first run, so panels of NumPy-only notebooks load fast.
        import keras

        from helpers.core import training

        callbacks = [
            keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: self._epoch_done(job, epoch, logs))
        ]
        if stop_event is not None:
            callbacks.insert(0, training.StopOnEvent(stop_event))
        return callbacks

    def command(self):
        """The papermill command that repeats the current settings in batch."""
        if not self.notebook:
            raise ValueError(
                "this panel was not told which notebook repeats its run (pass notebook=... when creating it)"
            )
        settings = self.command_settings(self.settings())
        return parameters.papermill_command(
            self.notebook,
            parameters.settings_to_parameters(self.notebook, settings, self.fixed_parameters, self.setting_defaults),
        )

    def _execute(self, job, settings):
        with self._state_lock:
            if self._latest is job:
                self.epochs_done = 0
                self.status.value = "Training..."
        try:
            numbers = self.run_function(settings, self.plot, self.callbacks(job.stop_event, job))
        except Exception as error:  # shown in the panel, so a learner sees what went wrong
            self.last_error = error
            self._finish(job, error_html(error))
            return None
        except BaseException:  # Kernel -> Interrupt: the panel returns to idle, the cell sees it
            self._finish(job, f"Interrupted after {self._epochs_text()}; press <b>Train</b> to start again.")
            raise
        self.last_error = None
        self.results.append(numbers)
        line = " &nbsp; ".join(
            f"{html.escape(str(key))}: <b>{html.escape(str(value))}</b>" for key, value in (numbers or {}).items()
        )
        if job.stop_event.is_set():
            why = f": {html.escape(job.reason)}" if job.reason else ""
            line = f"Stopped after {self._epochs_text()}{why}. &nbsp; {line}"
        self._finish(job, with_memory(line))
        return numbers

    def _epochs_text(self):
        return f"{self.epochs_done} epoch" + ("" if self.epochs_done == 1 else "s")

    def _epoch_done(self, job, epoch, logs):
        with self._state_lock:
            if job is not None and self._latest is not job:
                return
            self.epochs_done = epoch + 1
            total = job.settings.get("epochs") if job is not None else None
            of = f" of {total}" if total else ""
            doing = "Stopping" if job is not None and job.stop_event.is_set() else "Training"
            self.status.value = with_memory(f"{doing}... epoch {epoch + 1}{of} done")

    def _show_busy(self, message):
        self.status.value = message
        self.train_button.disabled = True
        self.stop_button.disabled = False
        self.widget.add_class(RUNNING_CLASS)

    def _finish(self, job, message):
        with self._state_lock:
            if self._latest is not job:
                return  # a newer run of this panel has taken over the widgets
            self._latest = None
            self.status.value = message
            self.train_button.disabled = False
            self.stop_button.disabled = True
            self.widget.remove_class(RUNNING_CLASS)
            self._idle.set()

    def _control_changed(self, change):
        if self.retrain_on_change:
            self.train()
        elif self.running:
            self.stop("a setting changed, press Train to use it")

    def _show_command(self):
        try:
            text = self.command()
        except ValueError as error:  # a setting the notebook has no parameter for, say
            text = f"No batch command: {error}"
        # Set the outputs directly: safe even while a run draws from another thread.
        self.command_output.outputs = ({"output_type": "stream", "name": "stdout", "text": text + "\n"},)

    def _newest_plot(self):
        """The newest picture in the plot: (PNG bytes, its text), or (None, "")."""
        for output in reversed(self.plot.outputs):
            data = output.get("data", {})
            png = data.get("image/png")
            if not png:  # a described picture (helpers.figures.plotting.described_png): inside the HTML
                found = PNG_IN_HTML.search(data.get("text/html", ""))
                png = found[1] if found else None
            if png:
                return (base64.b64decode(png) if isinstance(png, str) else bytes(png)), data.get("text/plain", "")
        return None, ""

    def static_png(self):
        """The newest PNG the plot shows, else the ``diagram``'s picture, else None."""
        png, _ = self._newest_plot()
        if png:
            return png
        diagram = getattr(self, "diagram", None)
        return (diagram.png or None) if diagram is not None else None

    def static_description(self):
        """The plot's own text alternative, if any, then the settings ("name value" per control)."""
        _, text = self._newest_plot()
        pairs = [f"{control.description or name} {control.value}" for name, control in self.controls.items()]
        return (f"{text}. " if text else "") + "Settings: " + ", ".join(pairs) + "."

    def static_status(self):
        """The status line's HTML once a run ended (before that it only says to press Train)."""
        return self.status.value if self.results or self.last_error else ""
