"""Play / Pause / Step / Reset buttons that drive any step function.

A :class:`Player` knows nothing about what a step does (one epoch of the
perceptron rule, a few epochs of a Keras net): it calls ``step()`` then
``redraw()``, one at a time. **Play** runs a bounded number of steps and checks
a pause flag before every step. Pressed in a live notebook, it runs them in the
background, in the kernel's one queue of panel runs (:data:`helpers.ui.runs.RUNS`),
so the kernel stays free (Pause works, other cells run) and two panels never
train at the same time. Called from code (papermill, nbval, a unit test) it
steps right there, so batch runs stay deterministic; :meth:`Player.run` always
does.
"""

import threading

import ipywidgets as w
from IPython.display import display

from helpers.ui import controls, runs


class Player:
    """Buttons and a loop around ``step`` and ``redraw`` functions.

    Parameters
    ----------
    step : callable
        ``step()`` does one chunk of work (no drawing).
    redraw : callable, optional
        ``redraw()`` shows the current state; called after every step and reset.
    reset : callable, optional
        ``reset()`` returns to the initial state (the Reset button).
    max_steps : int
        Play stops by itself after this many steps, so a forgotten panel does
        not keep a core busy for ever.
    interval : float
        Seconds to wait between steps while playing (0: as fast as possible);
        a pause interrupts the wait at once.
    interval_control : bool
        Add a slider that sets ``interval`` (for steps quick enough to need slowing down).
    background : bool or None
        Where Play runs its steps. None (default): in the background when a
        click in the browser asked, in the caller's thread when code did (see
        :func:`helpers.ui.runs.triggered_by_frontend`). True or False forces one
        or the other.
    """

    def __init__(
        self, step, redraw=None, reset=None, max_steps=500, interval=0.0, background=None, interval_control=False
    ):
        self.step_function = step
        self.redraw_function = redraw
        self.reset_function = reset
        self.max_steps = int(max_steps)
        self.interval = float(interval)
        self.background = background
        self.steps = 0
        self.last_error = None
        self._lock = threading.RLock()  # one step, redraw or reset at a time
        self._job = None
        self._idle = threading.Event()
        self._idle.set()
        self._playing = False
        self._label_held = False  # set by restart(): the button keeps showing Pause
        self.play_button = w.Button(description="Play", icon="play", button_style="primary", layout={"width": "90px"})
        self.step_button = w.Button(description="Step", icon="step-forward", layout={"width": "90px"})
        self.reset_button = w.Button(description="Reset", icon="undo", layout={"width": "90px"})
        self.status = w.HTML()
        self.play_button.on_click(lambda _: self.toggle())
        self.step_button.on_click(lambda _: self._queued(lambda: self._guarded(self.step)))
        self.reset_button.on_click(lambda _: self._guarded(self.reset))
        buttons = [self.play_button, self.step_button, self.reset_button]
        if interval_control:
            self.interval_slider = controls.slider("seconds between steps", self.interval, 0.0, 2.0, 0.1)
            self.interval_slider.observe(lambda change: setattr(self, "interval", change["new"]), names="value")
            buttons.append(self.interval_slider)
        self.widget = w.HBox([*buttons, self.status], layout={"flex_flow": "row wrap"})

    @property
    def playing(self):
        """True while Play is running steps."""
        return self._playing

    def step(self):
        """Do one step and redraw (synchronously)."""
        with self._lock:
            self.step_function()
            self.steps += 1
            self.redraw()

    def redraw(self):
        """Show the current state."""
        if self.redraw_function is not None:
            with self._lock:
                self.redraw_function()

    def run(self, steps):
        """Do ``steps`` steps synchronously (what a batch run calls instead of Play).

        Parameters
        ----------
        steps : int
        """
        for _ in range(int(steps)):
            self.step()

    def play(self, steps=None):
        """Run up to ``steps`` steps, until paused.

        Does nothing if already playing. In the background or not: see ``background``.

        Parameters
        ----------
        steps : int, optional
            Default: ``max_steps``.
        """
        if self._job is not None:
            return
        limit = self.max_steps if steps is None else int(steps)
        self._idle.clear()
        self._set_playing(True)
        job = runs.Job(
            lambda stop_event: self._loop(job, limit, stop_event), owner=self, on_cancel=lambda: self._stopped(job)
        )
        self._job = job
        runs.RUNS.start(job, self.background)

    def pause(self):
        """Ask Play to stop before its next step (returns at once; see :meth:`wait`)."""
        if self._job is not None:
            runs.RUNS.stop(owner=self)

    def wait(self, timeout=None):
        """Wait until Play has stopped.

        Parameters
        ----------
        timeout : float, optional
            Seconds; None waits as long as it takes.

        Returns
        -------
        bool
            False on timeout.
        """
        return self._idle.wait(timeout)

    def toggle(self):
        """What the Play/Pause button does."""
        if self._job is not None:
            self.pause()
        else:
            self.play()

    def reset(self):
        """Pause, wait for the current step to end, reset and redraw.

        The reset runs in the kernel's one queue of runs (it may rebuild and
        seed a network), after any other panel's run has stopped.
        """
        self.pause()
        self.wait()
        runs.RUNS.run_here(runs.Job(lambda stop_event: self._reset_now(), owner=self))

    def restart(self):
        """Reset; if Play was on, play on from the new state.

        What a changed setting does while playing. The button shows Pause throughout, not Play for the
        moment between the old run's end and the new one's start. The new run goes to the background
        either way: the caller (a control's observer) must return.
        """
        playing = self._job is not None
        self._label_held = playing
        try:
            self.reset()
            if playing:
                background, self.background = self.background, True
                try:
                    self.play()
                finally:
                    self.background = background
        finally:
            self._label_held = False
            self._show_playing()

    def _reset_now(self):
        with self._lock:
            if self.reset_function is not None:
                self.reset_function()
            self.steps = 0
            self.redraw()

    def _queued(self, action):
        """Run ``action`` as a job of the kernel's one queue: in the background when a click asked."""
        runs.RUNS.start(runs.Job(lambda stop_event: action(), owner=self), self.background)

    def _loop(self, job, limit, stop_event):
        try:
            for _ in range(limit):
                if stop_event.is_set():
                    break
                self.step()
                if self.interval and stop_event.wait(self.interval):
                    break
        except Exception as error:  # a background run's exception would vanish silently
            self.show_error(error)
        finally:
            self._stopped(job)

    def _stopped(self, job):
        """``job`` has ended or was dropped: back to idle, unless a newer Play has taken over."""
        if self._job is not job:
            return
        self._job = None
        self._set_playing(False)
        self._idle.set()

    def _guarded(self, action):
        try:
            action()
        except Exception as error:  # shown in the panel, like a playing loop's errors
            self.show_error(error)
        else:
            self.last_error = None
            self.status.value = ""

    def show_error(self, error):
        """Show ``error`` in the status line, and keep it in ``last_error``.

        Parameters
        ----------
        error : Exception
        """
        self.last_error = error
        self.status.value = controls.error_html(error)

    def _set_playing(self, playing):
        self._playing = playing
        if not self._label_held:
            self._show_playing()

    def _show_playing(self):
        self.play_button.description = "Pause" if self._playing else "Play"
        self.play_button.icon = "pause" if self._playing else "play"
        self.step_button.disabled = self._playing

    def _ipython_display_(self):
        display(self.widget)
