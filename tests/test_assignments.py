"""The instructors' route end to end: `otter assign` builds the student notebook and the autograder from the
exercises' definitions, and `otter run` grades three submissions of 00_start_here: the reference solutions get
full marks, the blanks get zero, and one typical mistake loses exactly that exercise's points."""

import nbformat
import pytest

from helpers.exercises import assignments, catalog, notebooks
from notebook_tools import ROOT

NOTEBOOK = ROOT / "notebooks" / "00_start_here.ipynb"
EXERCISES = catalog.exercises("00")
FULL_MARKS = sum(exercise.points for exercise in EXERCISES)


@pytest.fixture(scope="module")
def assignment(tmp_path_factory):
    out = tmp_path_factory.mktemp("assignments")
    lines = list(assignments.build([NOTEBOOK], out))
    assert len(lines) == 1 and f"{len(EXERCISES)} exercises" in lines[0], lines
    return out / NOTEBOOK.stem


def test_the_student_notebook_is_the_notebook_with_its_blanks(assignment):
    student = nbformat.read(assignment / "student" / NOTEBOOK.name, as_version=4)
    original = nbformat.read(NOTEBOOK, as_version=4)
    assert [cell.source for cell in student.cells] == [cell.source for cell in original.cells]
    solutions = [catalog.solution_code(exercise.id).strip() for exercise in EXERCISES]
    assert not any(solution in cell.source for cell in student.cells for solution in solutions)


def submit(assignment, tmp_path, change=None):
    """A submission made from the student notebook; ``change(notebook)`` edits it first."""
    notebook = nbformat.read(assignment / "student" / NOTEBOOK.name, as_version=4)
    if change:
        notebook = change(notebook)
    path = tmp_path / "submission" / NOTEBOOK.name
    path.parent.mkdir()
    nbformat.write(notebook, path)
    return assignments.grade(assignment / "autograder" / f"{NOTEBOOK.stem}-autograder.zip", path, tmp_path / "graded")


def one_mistake(notebook):
    filled = notebooks.fill_in_solutions(notebook)
    index = notebooks.answer_cells(filled)["00.1"]
    filled.cells[index].source = filled.cells[index].source.replace("[0])", "[0]) + 1")
    return filled


@pytest.mark.notebook
@pytest.mark.parametrize(
    "submission, expected",
    [
        ("reference solutions", {exercise.id: exercise.points for exercise in EXERCISES}),
        ("blanks", {exercise.id: 0 for exercise in EXERCISES}),
        (
            "one typical mistake",
            {exercise.id: 0 if exercise.id == "00.1" else exercise.points for exercise in EXERCISES},
        ),
    ],
)
def test_otter_grades_a_submission(assignment, tmp_path, submission, expected):
    change = {"reference solutions": notebooks.fill_in_solutions, "blanks": None, "one typical mistake": one_mistake}[
        submission
    ]
    scores = submit(assignment, tmp_path, change)
    assert {exercise_id: score for exercise_id, (score, _, _) in scores.items()} == expected
    assert all(maximum == catalog.find(exercise_id).points for exercise_id, (_, maximum, _) in scores.items())
    if submission == "one typical mistake":
        assert "indexes count from 0" in scores["00.1"][2], "the grade report carries the check's feedback"
