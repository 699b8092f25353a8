"""Widget panels: controls wired to a training function, nothing more.

The logic a panel runs lives elsewhere (``helpers.experiments``) and is tested
without a browser; a panel only turns control values into settings, calls the
run function and shows what comes back. Sliders act on release
(``continuous_update=False``) so a drag starts one run, not fifty.

How a run is scheduled
----------------------
A click or a slider release in a live notebook arrives in the kernel as a
``comm_msg`` from the browser. Runs started that way go to a background thread,
so the kernel keeps answering the widgets: Stop works, the curves grow epoch by
epoch. Runs started by code (a cell, papermill, nbval, a unit test) run right
there and return their numbers, so batch outputs stay complete and
deterministic. :func:`triggered_by_frontend` tells the two apart; a panel's
``background`` argument overrides it.

All panels of a kernel share one queue (:data:`RUNS`): one run at a time, a new
request stops the current run and waits for it, and only the latest waiting
request is kept.
"""

import html
import logging
import shlex
import threading

import ipywidgets as w
from IPython.display import display

# CSS classes the browser tests find panels by: every panel's root widget carries
# PANEL_CLASS, and RUNNING_CLASS while a run is in progress. A panel whose result is not an
# image (a table, say) marks the widget showing it with PLOT_CLASS; otherwise the panel's
# images are its plot.
PANEL_CLASS = "nnf-panel"
RUNNING_CLASS = "nnf-running"
PLOT_CLASS = "nnf-plot"

log = logging.getLogger(__name__)


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


def triggered_by_frontend():
    """True while the kernel handles a message from a live browser (a click, a slider release).

    The kernel records the request it is handling: widget events arrive as
    ``comm_msg``, executed cells as ``execute_request``. Papermill and nbval
    only send the latter, so a headless run never sees True here; neither does
    plain Python.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is None or not hasattr(kernel, "get_parent"):
        return False
    parent = kernel.get_parent("shell") or {}
    return parent.get("header", {}).get("msg_type") == "comm_msg"


class Job:
    """One run for a :class:`RunQueue`.

    Parameters
    ----------
    work : callable
        ``work(stop_event)`` does the run; it should end soon after
        ``stop_event`` (a ``threading.Event``) is set. Its return value is kept
        in ``result``; it must handle its own errors (show them in its panel).
    owner : object, optional
        Who asked (a panel), so a Stop button stops only its own runs.
    on_cancel : callable, optional
        Called if the job is dropped before it starts (a newer request replaced it).
    """

    def __init__(self, work, owner=None, on_cancel=None):
        self.work = work
        self.owner = owner
        self.on_cancel = on_cancel
        self.stop_event = threading.Event()
        self.result = None

    def stop(self):
        self.stop_event.set()

    def cancel(self):
        self.stop_event.set()
        if self.on_cancel is not None:
            self.on_cancel()

    def run(self):
        try:
            self.result = self.work(self.stop_event)
        except Exception:  # the work shows its own errors; this keeps the queue alive
            log.exception("panel run failed")


class RunQueue:
    """Runs jobs one at a time, on one background thread or in the caller's.

    :meth:`submit` stops the running job and queues the new one; a job still
    waiting is replaced (only the latest request survives). Two jobs never run
    at the same time, whichever thread asked.
    """

    def __init__(self):
        self._lock = threading.Lock()      # guards the fields below
        self._run_lock = threading.Lock()  # held while any job runs
        self._current = None
        self._waiting = None
        self._thread = None

    @property
    def busy(self):
        """True while a job runs or waits."""
        return self._current is not None or self._waiting is not None

    def submit(self, job):
        """Run ``job`` on the background thread once the current job has stopped."""
        with self._lock:
            dropped, self._waiting = self._waiting, job
            if self._current is not None:
                self._current.stop()
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="panel-run", daemon=True)
                self._thread.start()
        if dropped is not None:
            dropped.cancel()

    def stop(self, owner=None):
        """Stop the running job and drop the waiting one (only ``owner``'s, if given)."""
        dropped = None
        with self._lock:
            if self._waiting is not None and owner in (None, self._waiting.owner):
                dropped, self._waiting = self._waiting, None
            if self._current is not None and owner in (None, self._current.owner):
                self._current.stop()
        if dropped is not None:
            dropped.cancel()

    def run_here(self, job):
        """Stop any background job, wait for it, then run ``job`` in this thread."""
        if threading.current_thread() is self._thread:
            job.run()  # asked by the running job itself: it already has the queue to itself
            return job.result
        self.stop()
        self.wait()
        with self._run_lock:
            with self._lock:
                self._current = job
            try:
                job.run()
            finally:
                with self._lock:
                    self._current = None
        return job.result

    def wait(self, timeout=None):
        """Wait until the background thread has nothing left to run; False on timeout."""
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def _work(self):
        while True:
            with self._lock:
                job, self._waiting = self._waiting, None
                self._current = job
                if job is None:
                    self._thread = None
                    return
            with self._run_lock:
                job.run()
            with self._lock:
                self._current = None


# The kernel's one queue of panel runs.
RUNS = RunQueue()


class TrainingPanel:
    """Controls, Train and Stop buttons, a live plot and a line of results.

    Parameters
    ----------
    controls : dict
        Setting name -> widget; each widget's ``value`` becomes that setting.
    run : callable
        ``run(settings_dict, output, callbacks)`` trains for real, draws into
        ``output`` (an ``ipywidgets.Output``; draw with
        :func:`helpers.plotting.show_in`, which is safe from a background
        thread), passes ``callbacks`` (Keras callbacks: the Stop button's and
        the status line's) to ``model.fit`` and returns a dict of final numbers
        to show.
    notebook : str, optional
        The notebook this panel lives in, for :meth:`command`.
    to_parameters : callable, optional
        Maps the settings dict to the notebook's papermill parameters.
    retrain_on_change : bool
        Retrain whenever a control changes (the run in progress is stopped
        first). Otherwise a change during a run stops it, and Train starts the
        next one.
    background : bool or None
        Where runs go. None (default): to a background thread when a browser
        event started them, in the caller's thread when code did (see
        :func:`triggered_by_frontend`). True or False forces one or the other.

    Notes
    -----
    Stop ends a run after the current batch (and that epoch's validation); the
    weights, the curves drawn and the returned numbers are kept. An error
    raised by ``run`` is shown in the status line and kept in ``last_error``.
    """

    def __init__(self, controls, run, notebook=None, to_parameters=None,
                 retrain_on_change=False, background=None):
        self.controls = dict(controls)
        self.run_function = run
        self.notebook = notebook
        self.to_parameters = to_parameters or (lambda settings: settings)
        self.retrain_on_change = retrain_on_change
        self.background = background
        self.train_button = w.Button(description="Train", button_style="primary", icon="play")
        self.stop_button = w.Button(description="Stop", icon="stop", disabled=True,
                                    tooltip="End the run after the current batch; keeps what was learned")
        self.command_button = w.Button(description="Show batch command", icon="terminal")
        self.status = w.HTML("Press <b>Train</b> to train the network.")
        self.plot = w.Output(layout={"min_height": "260px"})
        self.command_output = w.Output()
        self.results = []
        self.last_error = None
        self.epochs_done = 0
        self._latest = None                 # this panel's newest job, running or waiting
        self._state_lock = threading.Lock()  # the worker and the kernel both update the widgets
        self._idle = threading.Event()
        self._idle.set()
        self.train_button.on_click(lambda _: self.train())
        self.stop_button.on_click(lambda _: self.stop())
        self.command_button.on_click(lambda _: self._show_command())
        for control in self.controls.values():
            control.observe(self._control_changed, names="value")
        self.widget = w.VBox([
            w.HBox(list(self.controls.values())[:4], layout={"flex_flow": "row wrap"}),
            w.HBox(list(self.controls.values())[4:], layout={"flex_flow": "row wrap"}),
            w.HBox([self.train_button, self.stop_button, self.command_button]),
            self.status, self.plot, self.command_output,
        ])
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
        if self._in_background():
            RUNS.submit(job)
            return None
        return RUNS.run_here(job)

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

        from helpers import training

        callbacks = [keras.callbacks.LambdaCallback(
            on_epoch_end=lambda epoch, logs: self._epoch_done(job, epoch, logs))]
        if stop_event is not None:
            callbacks.insert(0, training.StopOnEvent(stop_event))
        return callbacks

    def command(self):
        """The papermill command that repeats the current settings in batch."""
        return papermill_command(self.notebook or "NOTEBOOK.ipynb", self.to_parameters(self.settings()))

    def _in_background(self):
        return triggered_by_frontend() if self.background is None else bool(self.background)

    def _execute(self, job, settings):
        with self._state_lock:
            if self._latest is job:
                self.epochs_done = 0
                self.status.value = "Training..."
        try:
            numbers = self.run_function(settings, self.plot, self.callbacks(job.stop_event, job))
        except Exception as error:  # shown in the panel, so a learner sees what went wrong
            self.last_error = error
            self._finish(job, "<span style='color:#b00'>Error: "
                              f"{html.escape(type(error).__name__)}: {html.escape(str(error))}</span>")
            return None
        self.last_error = None
        self.results.append(numbers)
        line = " &nbsp; ".join(f"{html.escape(str(key))}: <b>{html.escape(str(value))}</b>"
                               for key, value in (numbers or {}).items())
        if job.stop_event.is_set():
            epochs = f"{self.epochs_done} epoch" + ("" if self.epochs_done == 1 else "s")
            why = f": {html.escape(job.reason)}" if job.reason else ""
            line = f"Stopped after {epochs}{why}. &nbsp; {line}"
        self._finish(job, line)
        return numbers

    def _epoch_done(self, job, epoch, logs):
        with self._state_lock:
            if job is not None and self._latest is not job:
                return
            self.epochs_done = epoch + 1
            total = job.settings.get("epochs") if job is not None else None
            of = f" of {total}" if total else ""
            doing = "Stopping" if job is not None and job.stop_event.is_set() else "Training"
            self.status.value = f"{doing}... epoch {epoch + 1}{of} done"

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
        # Set the outputs directly: safe even while a run draws from another thread.
        self.command_output.outputs = (
            {"output_type": "stream", "name": "stdout", "text": self.command() + "\n"},)

    def _ipython_display_(self):
        display(self.widget)


def _run_mlp_from_panel(settings, output, callbacks):
    from helpers import experiments

    # reuse=True: a repeated Train skips re-tracing the network (same numbers).
    result = experiments.run_mlp(experiments.MLPSettings(**settings), output=output,
                                 callbacks=callbacks, reuse=True)
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
