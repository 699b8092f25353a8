"""What a learner calls at an exercise: check an answer, take a hint, see the solution, see progress.

Every call answers with something the notebook displays (a feedback line, a hint, the
solution's code, a progress table) and prints the same in plain text where there is no
HTML (papermill, a terminal). None of them raises on a learner's answer; an id that does
not exist is the one error, and it names the ids that do.
"""

import dataclasses
import html

from helpers.exercises import catalog, progress_file
from helpers.exercises.exercise import CORRECT, Choice

#: Hints shown so far in this kernel, per exercise: they come one at a time, in order.
_hints_shown = {}


class Note:
    """A short text shown in the notebook: Markdown where it renders, plain text elsewhere."""

    def __init__(self, text, markdown=None):
        self.text, self.markdown = text, markdown or text

    def __repr__(self):
        return self.text

    def _repr_markdown_(self):
        return self.markdown


def check(exercise_id, answer):
    """Check ``answer`` for an exercise, keep the result in the progress file, and show the feedback.

    For a question with choices the feedback shows with the choices as buttons, each answering
    with its own explanation.

    Parameters
    ----------
    exercise_id : str
        Such as ``"05.1"``.
    answer : object
        What the answer cell defined.

    Returns
    -------
    helpers.exercises.exercise.Feedback
        True when correct.
    """
    exercise = catalog.find(exercise_id)
    feedback = exercise.check(answer)
    notes = progress_file.record(exercise.id, feedback.status)
    if notes:
        feedback = dataclasses.replace(feedback, notes=tuple(notes))
    if isinstance(exercise, Choice):
        from helpers.ui.choice_question import ChoiceFeedback  # widgets only where a question shows them

        written = answer.strip().lower() if isinstance(answer, str) else None
        return ChoiceFeedback(
            feedback,
            exercise,
            on_choice=lambda letter: _check_choice(exercise, letter),
            written=written if written in exercise.options else None,
        )
    return feedback


def _check_choice(exercise, letter):
    feedback = exercise.check(letter)
    progress_file.record(exercise.id, feedback.status)
    return feedback


def grade(exercise_id, answer):
    """For an autograder: nothing when ``answer`` is right, else AssertionError with the feedback.

    Unlike :func:`check`, it leaves the progress file alone.

    Parameters
    ----------
    exercise_id : str
    answer : object

    Raises
    ------
    AssertionError
        If the answer is not right; the message is the feedback.
    """
    feedback = catalog.find(exercise_id).check(answer)
    if not feedback.correct:
        raise AssertionError(str(feedback))


def hint(exercise_id):
    """The next hint of an exercise (one more each call), then a pointer to the solution.

    Parameters
    ----------
    exercise_id : str

    Returns
    -------
    Note
        Shown as Markdown in a notebook, as text elsewhere.
    """
    exercise = catalog.find(exercise_id)
    shown = _hints_shown.get(exercise.id, 0)
    if shown >= len(exercise.hints):
        return Note(
            f"Exercise {exercise.id}: that was the last hint ({len(exercise.hints)} of "
            f'{len(exercise.hints)}). exercises.solution("{exercise.id}") shows the answer.'
        )
    _hints_shown[exercise.id] = shown + 1
    progress_file.record(exercise.id, hint=True)
    text = f"Hint {shown + 1} of {len(exercise.hints)} for exercise {exercise.id}: {exercise.hints[shown]}"
    return Note(
        text, f"**Hint {shown + 1} of {len(exercise.hints)}** for exercise {exercise.id}: {exercise.hints[shown]}"
    )


def solution(exercise_id):
    """The reference solution, read from its file (noted in the progress file as seen).

    Parameters
    ----------
    exercise_id : str

    Returns
    -------
    Note
    """
    exercise = catalog.find(exercise_id)
    progress_file.record(exercise.id, solution=True)
    code = catalog.solution_code(exercise.id)
    heading = f"Solution of exercise {exercise.id} ({exercise.title})"
    if isinstance(exercise, Choice):
        text, explanation = exercise.options[exercise.right]
        why = f"The answer is ({exercise.right}) {text}: {explanation}"
        return Note(f"{heading}:\n{code}\n{why}", f"**{heading}**\n\n```python\n{code}```\n\n{why}")
    return Note(f"{heading}:\n{code}", f"**{heading}**, to put in the answer cell:\n\n```python\n{code}```")


class ProgressReport:
    """Which exercises are done, as a table (HTML) or lines (text)."""

    SYMBOLS = {
        "correct": "done",
        "wrong": "tried, not right yet",
        "not done": "not started",
        "not started": "not started",
    }

    def __init__(self, rows, notes, by_notebook):
        self.rows, self.notes, self.by_notebook = rows, notes, by_notebook

    @property
    def done(self):
        """How many of the listed exercises are done."""
        return sum(row["status"] == CORRECT for row in self.rows)

    def summary(self):
        """One line: how many of the listed exercises are done.

        Returns
        -------
        str
        """
        return f"{self.done} of {len(self.rows)} exercises done"

    def __repr__(self):
        if self.by_notebook:
            lines = [f"{stem}: {done} of {total} done" for stem, done, total in self._per_notebook()]
        else:
            lines = [
                f"{row['id']} {row['title']}: {self.SYMBOLS[row['status']]}"
                + (" (solution seen)" if row["solution_seen"] else "")
                for row in self.rows
            ]
        return "\n".join([self.summary(), *lines, *self.notes])

    def _per_notebook(self):
        stems = dict.fromkeys(row["notebook"] for row in self.rows)
        return [
            (
                stem,
                sum(row["status"] == CORRECT for row in self.rows if row["notebook"] == stem),
                sum(row["notebook"] == stem for row in self.rows),
            )
            for stem in stems
        ]

    def _repr_html_(self):
        if self.by_notebook:
            header = "<tr><th scope='col'>notebook</th><th scope='col'>done</th></tr>"
            body = "".join(
                f"<tr><td>{html.escape(stem)}</td><td>{done} of {total}</td></tr>"
                for stem, done, total in self._per_notebook()
            )
        else:
            header = "<tr><th scope='col'>exercise</th><th scope='col'>status</th><th scope='col'>hints</th></tr>"
            body = "".join(
                f"<tr><td>{row['id']} {html.escape(row['title'])}</td><td>{self.SYMBOLS[row['status']]}"
                f"{' (solution seen)' if row['solution_seen'] else ''}</td><td>{row['hints']}</td></tr>"
                for row in self.rows
            )
        notes = "".join(f"<p><em>{html.escape(note)}</em></p>" for note in self.notes)
        return (
            f"<p><strong>{self.summary()}</strong></p><table><caption>Your progress</caption>"
            f"{header}{body}</table>{notes}"
        )


def progress_report(notebook=None):
    """Which exercises are done: of one notebook, or of the whole chapter by notebook.

    Parameters
    ----------
    notebook : str, optional
        A notebook's stem or number (``"05"``); None for all.

    Returns
    -------
    ProgressReport
    """
    entries, notes = progress_file.read_progress()
    rows = []
    for exercise in catalog.exercises(notebook):
        entry = entries.get(exercise.id, {})
        rows.append(
            {
                "id": exercise.id,
                "title": exercise.title,
                "notebook": catalog.notebook_of(exercise.id),
                "status": entry.get("status", "not started"),
                "hints": entry.get("hints", 0),
                "solution_seen": entry.get("solution_seen", False),
            }
        )
    return ProgressReport(rows, notes, by_notebook=notebook is None)
