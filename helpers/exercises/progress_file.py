"""The learner's progress: which exercises are done, kept in one small file in the user's folder.

The file is ``~/.keras-nn-foundations/progress.json`` (or the path in the environment
variable ``NNF_PROGRESS_FILE``): outside the repository and the notebooks, so it survives
a fresh copy of the notebooks and is never committed. It is written whole or not at all.
A file that cannot be read is moved aside (``progress.json.damaged``), reported, and
progress starts again; a folder that cannot be written is reported. Neither raises.
"""

import json
import os
from datetime import datetime, timezone
from pathlib import Path

from helpers.core.files import write_json_atomically

ENVIRONMENT_VARIABLE = "NNF_PROGRESS_FILE"
FORMAT = 1
#: Statuses, from least to most done; a later attempt never lowers an exercise's best.
RANK = {"not started": 0, "not done": 0, "wrong": 1, "correct": 2}


def progress_path():
    """Where progress is kept: ``$NNF_PROGRESS_FILE``, else ``~/.keras-nn-foundations/progress.json``.

    Returns
    -------
    Path
    """
    configured = os.environ.get(ENVIRONMENT_VARIABLE)
    return Path(configured).expanduser() if configured else Path.home() / ".keras-nn-foundations" / "progress.json"


def read_progress(path=None):
    """The progress file's entries, and sentences about any problem met.

    A damaged file (not JSON, or not this format) is renamed with ``.damaged`` appended,
    so nothing is lost, and reading starts from nothing.

    Parameters
    ----------
    path : str or Path, optional
        The file (default: :func:`progress_path`).

    Returns
    -------
    entries : dict
        Exercise id -> its entry.
    notes : list of str
    """
    path = Path(path) if path else progress_path()
    try:
        text = path.read_text()
    except FileNotFoundError:
        return {}, []
    except OSError as error:
        return {}, [f"Your progress file {path} could not be read ({error.strerror}); progress is not shown."]
    try:
        content = json.loads(text)
        entries = content["exercises"]
        if (
            content.get("format") != FORMAT
            or not isinstance(entries, dict)
            or not all(isinstance(entry, dict) and entry.get("status") in RANK for entry in entries.values())
        ):
            raise ValueError("not a progress file of this project")
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        kept = path.with_name(path.name + ".damaged")
        try:
            os.replace(path, kept)
            where = f"it was kept as {kept}"
        except OSError:
            where = "it could not be moved aside"
        reason = error.args[0] if isinstance(error, ValueError) and error.args else type(error).__name__
        return {}, [f"Your progress file {path} was damaged ({reason}); {where} and progress starts again."]
    return entries, []


def record(exercise_id, status=None, *, hint=False, solution=False, path=None, now=None):
    """Note an attempt (its status), a hint taken or a solution seen.

    The best status is kept (a wrong attempt after a right one leaves the exercise done),
    with the last one and the number of attempts beside it.

    Parameters
    ----------
    exercise_id : str
    status : str, optional
        The attempt's status.
    hint : bool
        A hint was shown.
    solution : bool
        The solution was shown.
    path : str or Path, optional
        The progress file (default: :func:`progress_path`).
    now : datetime.datetime, optional
        The time to record (default: now, in UTC).

    Returns
    -------
    list of str
        Sentences about problems met (an unreadable or unwritable file); empty when none.
    """
    path = Path(path) if path else progress_path()
    entries, notes = read_progress(path)
    entry = entries.setdefault(
        exercise_id, {"status": "not started", "attempts": 0, "hints": 0, "solution_seen": False}
    )
    if status is not None:
        entry["attempts"] = entry.get("attempts", 0) + 1
        entry["last"] = status
        if RANK[status] > RANK[entry["status"]]:
            entry["status"] = status
    entry["hints"] = entry.get("hints", 0) + int(hint)
    entry["solution_seen"] = entry.get("solution_seen", False) or solution
    entry["updated"] = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    try:
        write_json_atomically(path, {"format": FORMAT, "exercises": entries})
    except OSError as error:
        notes.append(
            f"Your progress could not be saved to {path} ({error.strerror or error}); "
            f"set {ENVIRONMENT_VARIABLE} to a file you can write."
        )
    return notes
