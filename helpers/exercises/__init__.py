"""Exercises that answer back: check an answer, take a hint, see the solution, see progress.

At the end of a notebook, each exercise has a cell the learner fills in (a blank ``...``)
and one line that checks it::

    from helpers import exercises

    exercises.check("05.1", inverted_dropout)   # correct (with its number), wrong (and why), or not done yet
    exercises.hint("05.1")                       # the next hint, one at a time
    exercises.solution("05.1")                   # the reference answer, read from a file
    exercises.progress("05")                     # which of 05's exercises are done; progress() for all

The exercises are defined in ``helpers.exercises.topics`` (one module per notebook), their
solutions in ``helpers/exercises/solutions/``. Instructors build graded assignments from
the same definitions with ``make assignments`` (:mod:`helpers.exercises.assignments`).
"""

from helpers.exercises.practice import check, grade, hint, solution
from helpers.exercises.practice import progress_report as progress

__all__ = ["check", "grade", "hint", "progress", "solution"]
