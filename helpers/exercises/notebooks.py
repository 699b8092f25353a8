"""The exercises' cells in a notebook: find each answer cell, and fill it with its reference solution.

An answer cell starts with the line ``# Your answer to exercise 05.1``; the line after
the cell checks it (``exercises.check("05.1", ...)``). Filling a notebook replaces each
answer cell's body with the solution of ``helpers/exercises/solutions/``: CI runs the
filled notebooks (every check must then pass) and the instructors' assignments start
from them.
"""

import copy
import re

from helpers.exercises import catalog

ANSWER_HEADER = "# Your answer to exercise {id}"
_ANSWER = re.compile(r"^# Your answer to exercise (\d\d\.\d+)\b.*$")
_CHECK = re.compile(r"""^exercises\.check\(\s*["'](\d\d\.\d+)["']\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$""")


def answer_id(cell):
    """The exercise id of an answer cell.

    Parameters
    ----------
    cell : dict
        A notebook cell.

    Returns
    -------
    str or None
        None when the cell is not an answer cell.
    """
    if cell.get("cell_type") != "code":
        return None
    first = cell["source"].lstrip().split("\n", 1)[0]
    match = _ANSWER.match(first)
    return match.group(1) if match else None


def check_call(cell):
    """The exercise id and answer name of a cell that is one check line.

    Parameters
    ----------
    cell : dict
        A notebook cell.

    Returns
    -------
    tuple of str or None
        ``(exercise id, answer name)``; None for any other cell.
    """
    if cell.get("cell_type") != "code":
        return None
    match = _CHECK.match(cell["source"].strip())
    return match.groups() if match else None


def answer_cells(notebook):
    """Where each exercise's answer cell is.

    Parameters
    ----------
    notebook : dict
        A notebook (its ``cells``).

    Returns
    -------
    dict
        Exercise id -> index of its answer cell, in the notebook's order.
    """
    return {answer_id(cell): index for index, cell in enumerate(notebook["cells"]) if answer_id(cell)}


def fill_in_solutions(notebook):
    """A copy of ``notebook`` with every answer cell holding its reference solution.

    Parameters
    ----------
    notebook : nbformat.NotebookNode

    Returns
    -------
    nbformat.NotebookNode
    """
    filled = copy.deepcopy(notebook)
    for exercise_id, index in answer_cells(filled).items():
        header = filled["cells"][index]["source"].lstrip().split("\n", 1)[0]
        filled["cells"][index]["source"] = header + "\n" + catalog.solution_code(exercise_id).rstrip("\n")
    return filled
