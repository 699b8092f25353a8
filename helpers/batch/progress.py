"""What a batch shows: progress and time left while it runs, a summary and the failures at its end."""

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from helpers.batch import records
from helpers.batch.execution import run_name


class Progress:
    """Progress of a batch: a tqdm bar on a terminal, one line per finished run in a log.

    A run's duration is modelled as ``overhead + rate * weight`` (``weight:`` in
    a plan, e.g. its epochs), fitted to the runs finished so far: a 20-epoch
    run also pays for its kernel start-up and data loading, so it is not a
    tenth of a 200-epoch run. The time left extrapolates the elapsed time by
    the share of that modelled work still to do.

    Parameters
    ----------
    runs : list of helpers.batch.runplan.Run
        The runs to execute.
    stream : file
        Where the bar or the lines go.
    enabled : bool
        False shows nothing (the estimates still work).
    """

    def __init__(self, runs, stream, enabled=True):
        from tqdm.auto import tqdm

        self.stream, self.enabled = stream, enabled
        self.total_runs = len(runs)
        self.pending_weight = sum(run.weight for run in runs)
        self.done = []  # (weight, seconds) of every finished run
        self.start = time.perf_counter()
        self.last_tick = self.start
        interactive = enabled and getattr(stream, "isatty", lambda: False)()
        # A log (nohup, CI) gets whole lines, not carriage-return redraws.
        self.tick_seconds = 1.0 if interactive else 60.0
        self.bar = (
            tqdm(
                total=100,
                file=stream,
                desc=f"0/{self.total_runs} runs",
                postfix="",
                bar_format="{desc} {percentage:3.0f}%|{bar:24}| {elapsed} elapsed{postfix}",
            )
            if interactive
            else None
        )

    def cost_model(self):
        """The cost of a run as ``overhead + rate * weight`` seconds, fitted to the finished runs.

        Returns
        -------
        overhead : float
            Seconds every run costs whatever its weight.
        rate : float
            Seconds per unit of weight. ``(0, 1)`` until two finished runs have different weights.
        """
        if len({weight for weight, _ in self.done}) < 2:
            return 0.0, 1.0
        weights, seconds = np.array(self.done, dtype=float).T
        rate, overhead = np.polyfit(weights, seconds, 1)
        overhead, rate = max(float(overhead), 0.0), max(float(rate), 0.0)
        return (overhead, rate) if overhead or rate else (0.0, 1.0)

    def fraction_done(self):
        """Share of the modelled work that is finished.

        Returns
        -------
        float
            In [0, 1]; 1 when there is nothing to do.
        """
        overhead, rate = self.cost_model()
        done = sum(overhead + rate * weight for weight, _ in self.done)
        pending = overhead * (self.total_runs - len(self.done)) + rate * self.pending_weight
        return done / (done + pending) if done + pending else 1.0

    def time_left(self):
        """Seconds left, from the time spent so far and the share of the work done.

        Returns
        -------
        float or None
            None before the first run ends.
        """
        fraction = self.fraction_done() if self.done else 0.0
        if not fraction:
            return None
        return (time.perf_counter() - self.start) * (1 - fraction) / fraction

    def finished(self, outcome):
        """Count a run that ended and show its line with the time left.

        Parameters
        ----------
        outcome : helpers.batch.execution.Outcome
        """
        self.done.append((outcome.run.weight, outcome.seconds))
        self.pending_weight -= outcome.run.weight
        left = self.time_left()
        left = f"~{_format_duration(left)} left" if left is not None else "? left"
        line = _outcome_line(outcome)
        if self.bar is not None:
            self.bar.n = round(100 * self.fraction_done(), 1)
            self.bar.set_description_str(f"{len(self.done)}/{self.total_runs} runs", refresh=False)
            self.bar.set_postfix_str(left, refresh=False)  # tqdm puts ", " before it
            self.bar.write(line, file=self.stream)
            self.bar.refresh()
        elif self.enabled:
            print(
                f"[{len(self.done)}/{self.total_runs} runs, "
                f"{_format_duration(time.perf_counter() - self.start)} elapsed, {left}] {line}",
                file=self.stream,
                flush=True,
            )

    def tick(self):
        """Redraw the bar (its elapsed time) if ``tick_seconds`` have passed since the last redraw."""
        now = time.perf_counter()
        if self.bar is not None and now - self.last_tick >= self.tick_seconds:
            self.last_tick = now
            self.bar.refresh()

    def close(self):
        """Close the bar, if there is one."""
        if self.bar is not None:
            self.bar.close()


def _outcome_line(outcome):
    """``done   plan/run in 1m05s, test accuracy 97.80%`` or ``FAILED plan/run after ...: error``."""
    run = outcome.run
    if outcome.status == "ok":
        accuracy = outcome.metrics.get("test_accuracy")
        detail = f", test accuracy {accuracy:.2%}" if isinstance(accuracy, (int, float)) else ""
        return f"done   {run_name(run)} in {_format_duration(outcome.seconds)}{detail}"
    return f"FAILED {run_name(run)} after {_format_duration(outcome.seconds)}: {outcome.error}"


@dataclass
class BatchReport:
    """The outcomes of one invocation, with readable summaries.

    Attributes
    ----------
    outcomes : list of helpers.batch.execution.Outcome
        Finished, failed and skipped runs.
    seconds : float
        Wall time of the invocation.
    interrupted : bool
        True if Ctrl-C or SIGTERM stopped it.
    """

    outcomes: list
    seconds: float = 0.0
    interrupted: bool = False

    def with_status(self, status):
        """The outcomes whose status is ``status``.

        Parameters
        ----------
        status : str
            ``"ok"``, ``"failed"`` or ``"skipped"``.

        Returns
        -------
        list
            Those outcomes, in the order the runs ended.
        """
        return [outcome for outcome in self.outcomes if outcome.status == status]

    @property
    def ok(self):
        """True if no run failed and the batch was not interrupted."""
        return not self.with_status("failed") and not self.interrupted

    def summary(self):
        """One line: how many runs finished, were skipped, failed, and the wall time.

        Returns
        -------
        str
        """
        counts = {status: len(self.with_status(status)) for status in ("ok", "skipped", "failed")}
        line = (
            f"{counts['ok']} run(s) finished, {counts['skipped']} already done, "
            f"{counts['failed']} failed, in {_format_duration(self.seconds)}"
        )
        if self.interrupted:
            line += "; interrupted: run the same command again to resume"
        return line

    def failures(self):
        """A paragraph per failed run: which run, its parameters, the error, the executed notebook.

        Returns
        -------
        str
            The paragraphs, one after another; empty when nothing failed.
        """
        paragraphs = []
        for outcome in self.with_status("failed"):
            run = outcome.run
            parameters = ", ".join(f"{name}={value!r}" for name, value in run.parameters.items())
            lines = [f"FAILED {run_name(run)}", f"  parameters: {parameters}", f"  error: {outcome.error}"]
            if outcome.notebook and Path(outcome.notebook).is_file():
                lines.append(f"  executed notebook: {_relative_to_cwd(outcome.notebook)}")
            log = Path(outcome.notebook).parent / records.KERNEL_LOG_FILE if outcome.notebook else None
            if log and log.is_file() and any(word in outcome.error for word in ("Dead", "died", "timed out")):
                lines.append(f"  kernel log: {_relative_to_cwd(log)}")
            paragraphs.append("\n".join(lines))
        return "\n".join(paragraphs)


def _relative_to_cwd(path):
    """``path`` relative to the current folder if it lies inside it, else as it is."""
    try:
        return Path(path).resolve().relative_to(Path.cwd())
    except ValueError:
        return Path(path)


def _format_duration(seconds):
    """``4m05s`` or ``1h02m03s``, to the second."""
    minutes, seconds = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m{seconds:02d}s" if hours else f"{minutes}m{seconds:02d}s"
