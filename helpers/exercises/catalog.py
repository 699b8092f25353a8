"""Every exercise of the chapter, found by its id, and its reference solution read from a file.

Each notebook's exercises are defined in one module of ``helpers.exercises.topics``
(``NOTEBOOK = "05_dropout"``, ``EXERCISES = (...)``), and their reference solutions in
``helpers/exercises/solutions/<notebook>.py``, one section per exercise, opened by a line
``# %% 05.1``. The solutions live outside the notebooks, so a learner sees one only by
asking for it; the tests, the filled-in notebooks and the instructors' assignments read
the same files.
"""

import functools
import importlib
import pkgutil
import re
from pathlib import Path

TOPICS_PACKAGE = "helpers.exercises.topics"
SOLUTIONS = Path(__file__).resolve().parent / "solutions"
_SECTION = re.compile(r"^# %% (\d\d\.\d+)\s*$", re.M)
_ID = re.compile(r"^\d\d\.\d+$")


class UnknownExercise(KeyError):
    """An exercise id that no notebook defines; the message lists the ones that exist."""

    def __str__(self):
        return self.args[0]


@functools.cache
def topics():
    """Every notebook's exercises (imports the topic modules once).

    Returns
    -------
    dict
        Notebook stem -> tuple of its exercises, in the notebooks' order.
    """
    package = importlib.import_module(TOPICS_PACKAGE)
    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{TOPICS_PACKAGE}.{info.name}")
        found[module.NOTEBOOK] = tuple(module.EXERCISES)
    return dict(sorted(found.items()))


def exercises(notebook=None):
    """All exercises, or those of one notebook, in order.

    Parameters
    ----------
    notebook : str, optional
        A notebook's stem (``"05_dropout"``) or number (``"05"``).

    Returns
    -------
    list

    Raises
    ------
    UnknownExercise
        If no notebook of that name has exercises; the message names those that do.
    """
    chosen = [stem for stem in topics() if notebook is None or stem == notebook or stem[:2] == notebook]
    if notebook is not None and not chosen:
        raise UnknownExercise(f"no notebook {notebook!r} has exercises; these do: {', '.join(topics())}")
    return [exercise for stem in chosen for exercise in topics()[stem]]


def find(exercise_id):
    """The exercise with this id.

    Parameters
    ----------
    exercise_id : str
        Such as ``"05.1"``.

    Returns
    -------
    Exercise

    Raises
    ------
    UnknownExercise
        If there is none; the message names the ids that exist.
    """
    for exercise in exercises():
        if exercise.id == exercise_id:
            return exercise
    if not isinstance(exercise_id, str) or not _ID.match(exercise_id):
        raise UnknownExercise(f'an exercise id is a string like "05.1"; got {exercise_id!r}')
    same_notebook = [exercise.id for exercise in exercises() if exercise.id[:2] == exercise_id[:2]]
    raise UnknownExercise(
        f"there is no exercise {exercise_id}; "
        + (
            f"notebook {exercise_id[:2]} has {', '.join(same_notebook)}"
            if same_notebook
            else f"the exercises are {', '.join(exercise.id for exercise in exercises())}"
        )
    )


def notebook_of(exercise_id):
    """The stem of the notebook that holds an exercise.

    Parameters
    ----------
    exercise_id : str

    Returns
    -------
    str
        Such as ``"05_dropout"``.
    """
    return next(stem for stem, listed in topics().items() if any(item.id == exercise_id for item in listed))


@functools.cache
def _solutions(notebook):
    path = SOLUTIONS / f"{notebook}.py"
    parts = _SECTION.split(path.read_text())
    return {exercise_id: code.strip("\n") + "\n" for exercise_id, code in zip(parts[1::2], parts[2::2])}


def solution_code(exercise_id):
    """The reference solution of an exercise: the code that fills its answer cell.

    Parameters
    ----------
    exercise_id : str

    Returns
    -------
    str

    Raises
    ------
    UnknownExercise
        If the exercise or its section in the solutions file is missing.
    """
    notebook = notebook_of(find(exercise_id).id)
    try:
        return _solutions(notebook)[exercise_id]
    except KeyError:
        raise UnknownExercise(
            f"helpers/exercises/solutions/{notebook}.py has no section `# %% {exercise_id}`"
        ) from None
