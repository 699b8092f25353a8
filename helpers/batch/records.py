"""A run folder's records: the runner's ``run.json`` and the notebook's ``metrics.json``.

Every run of a batch keeps a folder ``RESULTS/<plan>/<run-id>/`` with

- ``run.json``, the runner's record: plan, run id, variant, notebook,
  parameters, ``status`` (``running``, then ``ok`` or ``failed``), host, start
  and end times, wall seconds, error, and the code version that ran;
- ``metrics.json``, the notebook's final numbers (written at ``METRICS_PATH``);
- the executed notebook and ``kernel.log`` (the kernel's own output).

This module is the only one that reads or writes these records: the runner
writes them, :mod:`helpers.batch.results` reads them. A record is written whole
or not at all (a temporary file, then ``os.replace``), so a run killed at any
moment leaves the old record or the new one, never half of one.

A run is finished only when its ``run.json`` is readable and complete, says
``ok``, holds the parameters asked for, and its ``metrics.json`` is readable.
Anything else runs again; :func:`run_state` says why.
"""

import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from helpers.core.files import write_json_atomically

RECORD_FILE = "run.json"
METRICS_FILE = "metrics.json"
#: The kernel's own standard output and error (TensorFlow's C++ log lines, crash messages).
KERNEL_LOG_FILE = "kernel.log"
#: Where the metrics of a failed run are moved, so that it runs again.
INCOMPLETE_METRICS_FILE = "metrics-incomplete.json"
#: What every complete record holds.
RECORD_KEYS = ("status", "parameters")

# The states of a run folder (RunState.state).
FINISHED = "finished"
NEW = "new"  # never started: no record, no metrics
FAILED = "failed"  # the record says it failed
INTERRUPTED = "interrupted"  # the record says "running": its runner stopped or was killed mid-run
CHANGED = "changed"  # finished, with other parameters than the plan's now
TORN = "torn"  # a record or metrics file that is missing, unreadable or incomplete


class RecordError(ValueError):
    """A record file that exists but cannot be read as a JSON object."""


def now():
    """The current UTC time as ISO 8601 text, to the second.

    Returns
    -------
    str
        Such as ``"2026-12-06T23:15:02+00:00"``.
    """
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def read_json(path):
    """The JSON object in ``path``, or ``None`` if there is no such file.

    Parameters
    ----------
    path : str or Path
        The file to read.

    Returns
    -------
    dict or None
        The object the file holds; None when the file does not exist.

    Raises
    ------
    RecordError
        If the file exists but is unreadable, not JSON (for example cut short),
        or not a JSON object.
    """
    path = Path(path)
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise RecordError(f"{path.name} cannot be read ({error})") from error
    try:
        content = json.loads(text)
    except ValueError as error:
        raise RecordError(f"{path.name} is not valid JSON ({error})") from error
    if not isinstance(content, dict):
        raise RecordError(f"{path.name} holds a {type(content).__name__}, not a JSON object")
    return content


def read_record(folder):
    """The runner's record of the run in ``folder``, or ``None`` if absent or unreadable.

    Parameters
    ----------
    folder : str or Path
        The run's folder.

    Returns
    -------
    dict or None
        The content of its ``run.json``.
    """
    try:
        return read_json(Path(folder) / RECORD_FILE)
    except RecordError:
        return None


def same_parameters(recorded, parameters):
    """Whether ``recorded`` (read back from JSON) holds the same parameters as ``parameters``.

    Both are compared as JSON text, so what JSON changes on the way (tuples,
    non-string keys) does not count as a difference.

    Parameters
    ----------
    recorded : dict
        The parameters a run's record holds.
    parameters : dict
        The parameters the plan asks for now.

    Returns
    -------
    bool
    """

    def canonical(value):
        return json.dumps(value, sort_keys=True, default=str)

    return canonical(recorded) == canonical(parameters)


@dataclass(frozen=True)
class RunState:
    """What a run folder holds: its state, why, and the record and metrics when readable.

    Attributes
    ----------
    state : str
        ``finished``, ``new``, ``failed``, ``interrupted``, ``changed`` or ``torn``.
    detail : str
        Why, in words (empty for ``finished`` and ``new``).
    record, metrics : dict or None
    """

    state: str
    detail: str = ""
    record: dict = None
    metrics: dict = None

    @property
    def finished(self):
        """True when the run finished with its metrics written (its state is ``FINISHED``)."""
        return self.state == FINISHED


def run_state(folder, parameters=None):
    """The state of the run in ``folder``: finished, or why it must run (again).

    Parameters
    ----------
    folder : str or Path
    parameters : dict, optional
        The parameters the run should have; a run recorded with others is
        ``changed``. ``None`` accepts any.

    Returns
    -------
    RunState
    """
    folder = Path(folder)
    try:
        record = read_json(folder / RECORD_FILE)
    except RecordError as error:
        return RunState(TORN, str(error))
    if record is None:
        if (folder / METRICS_FILE).exists():
            return RunState(TORN, f"{METRICS_FILE} without a {RECORD_FILE}")
        return RunState(NEW)
    missing = [key for key in RECORD_KEYS if key not in record]
    if missing:
        return RunState(TORN, f"{RECORD_FILE} lacks {', '.join(missing)}", record)
    status = record["status"]
    if status == "running":
        return RunState(INTERRUPTED, f"{RECORD_FILE} says it was still running", record)
    if status != "ok":
        return RunState(FAILED, str(record.get("error", "") or status), record)
    if parameters is not None and not same_parameters(record["parameters"], parameters):
        return RunState(CHANGED, "it ran with other parameters", record)
    try:
        metrics = read_json(folder / METRICS_FILE)
    except RecordError as error:
        return RunState(TORN, str(error), record)
    if metrics is None:
        return RunState(TORN, f"{METRICS_FILE} is missing", record)
    return RunState(FINISHED, "", record, metrics)


def is_finished(folder, parameters=None):
    """Whether the run in ``folder`` finished (see :func:`run_state`).

    Parameters
    ----------
    folder : str or Path
        The run's folder.
    parameters : dict, optional
        The parameters the plan asks for; a run made with others does not count as finished.

    Returns
    -------
    bool
    """
    return run_state(folder, parameters).finished


def write_record(folder, record):
    """Write ``record`` as the folder's ``run.json``, atomically.

    Parameters
    ----------
    folder : str or Path
        The run's folder (created if needed).
    record : dict
        What to record.

    Returns
    -------
    Path
        The file written.
    """
    return write_json_atomically(Path(folder) / RECORD_FILE, record)


def start_record(folder, run, code_version=None):
    """Record that ``run`` starts in ``folder`` and clear what an earlier attempt left.

    The ``running`` record is written first: a run killed from here on is
    never taken for finished.

    Parameters
    ----------
    folder : Path
    run : helpers.batch.runplan.Run
    code_version : str, optional

    Returns
    -------
    dict
        The record, to pass to :func:`finish_record`.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "plan": run.plan,
        "run_id": run.run_id,
        "variant": run.variant,
        "notebook": run.notebook,
        "parameters": run.parameters,
        "status": "running",
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "started": now(),
        "code_version": code_version,
        "backend": os.environ.get("KERAS_BACKEND", "tensorflow"),
    }
    write_record(folder, record)
    for stale in (METRICS_FILE, INCOMPLETE_METRICS_FILE, KERNEL_LOG_FILE):
        (folder / stale).unlink(missing_ok=True)
    return record


def finish_record(folder, record, error, seconds):
    """Record how a run ended; return its metrics (empty if it failed).

    A run that ended without error must have left a readable
    ``metrics.json``, else it failed. A failed run's metrics are moved to
    ``metrics-incomplete.json`` so nothing takes them for a finished run's.

    Parameters
    ----------
    folder : str or Path
        The run's folder.
    record : dict
        The record written when the run started; completed here.
    error : str or None
        What went wrong, or None when the notebook ran to its end.
    seconds : float
        How long the run took.

    Returns
    -------
    tuple
        ``(record, metrics)``: the record as written, the metrics dict.
    """
    folder = Path(folder)
    metrics = {}
    if not error:
        try:
            metrics = read_json(folder / METRICS_FILE)
        except RecordError as problem:
            error = f"the notebook wrote unreadable metrics at METRICS_PATH: {problem}"
        else:
            if metrics is None:
                metrics = {}
                error = f"the notebook ran to its end but wrote no metrics at METRICS_PATH ({folder / METRICS_FILE})"
    if error:
        metrics = {}
        _set_aside_metrics(folder)
    record = {
        **record,
        "status": "failed" if error else "ok",
        "error": error,
        "seconds": round(seconds, 2),
        "finished": now(),
    }
    write_record(folder, record)
    return record, metrics


def mark_failed(folder, run, error, seconds=None):
    """Record that ``run`` failed, from outside the process that ran it.

    For a run whose worker died or was killed: the record it left (``running``)
    is kept and completed; without one, a record is made from ``run``.

    Parameters
    ----------
    folder : str or Path
        The run's folder.
    run : helpers.batch.runplan.Run
        The run.
    error : str
        What went wrong.
    seconds : float, optional
        How long it ran, when known.

    Returns
    -------
    dict
        The record as written.
    """
    folder = Path(folder)
    record = read_record(folder) or {
        "plan": run.plan,
        "run_id": run.run_id,
        "variant": run.variant,
        "notebook": run.notebook,
        "parameters": run.parameters,
        "host": socket.gethostname(),
    }
    _set_aside_metrics(folder)
    record.update(status="failed", error=error, finished=now())
    if seconds is not None:
        record["seconds"] = round(seconds, 2)
    write_record(folder, record)
    return record


def _set_aside_metrics(folder):
    metrics = Path(folder) / METRICS_FILE
    if metrics.exists():
        os.replace(metrics, Path(folder) / INCOMPLETE_METRICS_FILE)
