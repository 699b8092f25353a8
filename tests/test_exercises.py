"""Every exercise's check: its reference solution passes, the notebook's blank says "not done yet",
and each typical wrong answer of tests/wrong_answers/<notebook>.py gets its own, specific message.

Also: every notebook has its exercises (at least three from 01 on, one a question on an idea), each
with an answer cell and a check line in the notebook, hints and a solution section.
"""

import functools
import re
import subprocess
import sys

import nbformat
import pytest

from helpers import exercises
from helpers.exercises import catalog, notebooks
from helpers.exercises.exercise import CORRECT, NOT_DONE, WRONG, Choice, typical_mistake
from notebook_tools import NOTEBOOKS, ROOT

WRONG_ANSWERS = ROOT / "tests" / "wrong_answers"
_SECTION = re.compile(r"^# %% (given|\d\d\.\d+)(?:: (.+))?$", re.M)
ALL = catalog.exercises()
IDS = [exercise.id for exercise in ALL]


@pytest.fixture(autouse=True)
def progress_file(tmp_path, monkeypatch):
    monkeypatch.setenv("NNF_PROGRESS_FILE", str(tmp_path / "progress.json"))
    return tmp_path / "progress.json"


def sections(notebook):
    """``(given code, [(exercise id, expected words, code), ...])`` of a wrong-answers file."""
    parts = _SECTION.split((WRONG_ANSWERS / f"{notebook}.py").read_text())
    given, wrong = "", []
    for name, words, body in zip(parts[1::3], parts[2::3], parts[3::3]):
        if name == "given":
            given = body
        else:
            wrong.append((name, words, body))
    return given, wrong


@functools.cache
def given_names(notebook):
    """The names a notebook has when its exercises run (made once per notebook: some load MNIST)."""
    namespace = {}
    exec(sections(notebook)[0], namespace)
    return namespace


def answer_from(code, exercise, notebook):
    """Run ``code`` where the notebook's exercise names exist, and return what it set ``exercise.answer`` to."""
    namespace = dict(given_names(notebook))
    exec(code, namespace)
    return namespace[exercise.answer]


def notebook_cells(notebook):
    return nbformat.read(ROOT / "notebooks" / f"{notebook}.ipynb", as_version=4).cells


@pytest.mark.parametrize("exercise", ALL, ids=IDS)
def test_the_reference_solution_is_correct(exercise):
    notebook = catalog.notebook_of(exercise.id)
    feedback = exercise.check(answer_from(catalog.solution_code(exercise.id), exercise, notebook))
    assert feedback.status == CORRECT, str(feedback)


@pytest.mark.parametrize("exercise", ALL, ids=IDS)
def test_the_notebooks_blank_is_not_done_yet(exercise):
    notebook = catalog.notebook_of(exercise.id)
    cells = notebook_cells(notebook)
    index = notebooks.answer_cells({"cells": cells})[exercise.id]
    feedback = exercise.check(answer_from(cells[index].source, exercise, notebook))
    assert feedback.status == NOT_DONE, str(feedback)
    assert "Traceback" not in str(feedback)


WRONG_CASES = [(notebook, *case) for notebook in catalog.topics() for case in sections(notebook)[1]]


@pytest.mark.parametrize(
    "notebook, exercise_id, words, code", WRONG_CASES, ids=[f"{case[1]}-{case[2]}" for case in WRONG_CASES]
)
def test_a_typical_wrong_answer_gets_its_own_message(notebook, exercise_id, words, code):
    exercise = catalog.find(exercise_id)
    feedback = exercise.check(answer_from(code, exercise, notebook))
    assert feedback.status == WRONG, str(feedback)
    assert words.lower() in feedback.message.lower(), f"expected {words!r} in: {feedback}"


@pytest.mark.parametrize("exercise", ALL, ids=IDS)
def test_every_exercise_has_two_wrong_answers_with_different_messages(exercise):
    notebook = catalog.notebook_of(exercise.id)
    messages = {
        exercise.check(answer_from(code, exercise, notebook)).message
        for exercise_id, _, code in sections(notebook)[1]
        if exercise_id == exercise.id
    }
    assert len(messages) >= 2, (
        f"{exercise.id}: tests/wrong_answers/{notebook}.py needs two wrong answers "
        f"with different feedback; found {len(messages)}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_every_notebook_has_checked_exercises_each_with_its_answer_cell_and_check(path):
    listed = catalog.exercises(path.stem[:2]) if path.stem in catalog.topics() else []
    wanted = 1 if path.stem.startswith("00") else 3
    assert len(listed) >= wanted, f"{path.name} has {len(listed)} checked exercises; it needs {wanted} or more"
    if not path.stem.startswith("00"):
        assert any(isinstance(exercise, Choice) for exercise in listed), f"{path.name}: no question on an idea"
    cells = nbformat.read(path, as_version=4).cells
    answers = notebooks.answer_cells({"cells": cells})
    assert list(answers) == [exercise.id for exercise in listed], (
        f"{path.name}: answer cells {list(answers)}, exercises defined {[e.id for e in listed]}"
    )
    for exercise in listed:
        following = notebooks.check_call(cells[answers[exercise.id] + 1])
        assert following == (exercise.id, exercise.answer), (
            f"{path.name}: the cell after exercise {exercise.id}'s answer must be "
            f'exercises.check("{exercise.id}", {exercise.answer})'
        )
        assert exercise.hints, f"exercise {exercise.id} has no hint"
        assert catalog.solution_code(exercise.id).strip()


def test_a_typical_mistake_is_the_first_wrong_result_the_answer_matches():
    mistakes = [(1.0, "one"), (2.0, "two"), (2.0, "two again")]
    assert typical_mistake(2.0 + 1e-12, mistakes, lambda got, value: abs(got - value) < 1e-9) == "two"
    assert typical_mistake(3.0, mistakes, lambda got, value: abs(got - value) < 1e-9) is None


def test_the_ids_are_unique_and_numbered_by_their_notebook():
    assert len(IDS) == len(set(IDS))
    for notebook, listed in catalog.topics().items():
        assert all(exercise.id.startswith(notebook[:3].replace("_", ".")) for exercise in listed), notebook


def test_filling_in_the_solutions_replaces_only_the_answer_cells():
    path = ROOT / "notebooks" / "05_dropout.ipynb"
    notebook = nbformat.read(path, as_version=4)
    filled = notebooks.fill_in_solutions(notebook)
    changed = [index for index, (a, b) in enumerate(zip(notebook.cells, filled.cells)) if a.source != b.source]
    assert changed == list(notebooks.answer_cells(notebook).values())
    assert "h * keep / (1 - rate)" in filled.cells[changed[0]].source
    assert filled.cells[changed[0]].source.startswith("# Your answer to exercise 05.1")


# --- the learner's calls -------------------------------------------------------------------------


def test_check_keeps_the_best_result_in_the_progress_file(progress_file):
    right = answer_from(catalog.solution_code("05.1"), catalog.find("05.1"), "05_dropout")
    assert exercises.check("05.1", right)
    assert not exercises.check("05.1", lambda h, rate, rng: h)
    report = exercises.progress("05")
    assert report.rows[0]["status"] == CORRECT and report.done == 1
    assert "1 of 3 exercises done" in repr(report)
    assert "05_dropout: 1 of" in repr(exercises.progress())


def test_a_damaged_progress_file_is_kept_aside_reported_and_started_again(progress_file):
    progress_file.write_text("{not json")
    feedback = exercises.check("05.3", "b")
    assert feedback.correct
    assert any("damaged" in note for note in feedback.notes)
    assert (progress_file.parent / "progress.json.damaged").read_text() == "{not json"
    assert exercises.progress("05").rows[2]["status"] == CORRECT


def test_an_unwritable_progress_file_is_reported_not_raised(tmp_path, monkeypatch):
    (tmp_path / "blocked").write_text("a file where a folder should be")
    monkeypatch.setenv("NNF_PROGRESS_FILE", str(tmp_path / "blocked" / "progress.json"))
    feedback = exercises.check("05.3", "d")
    assert feedback.status == WRONG and any("could not be saved" in note for note in feedback.notes)


def test_hints_come_one_at_a_time_then_point_to_the_solution():
    exercise = catalog.find("05.2")
    shown = [repr(exercises.hint("05.2")) for _ in range(len(exercise.hints) + 1)]
    for number, text in enumerate(exercise.hints, 1):
        assert f"Hint {number} of {len(exercise.hints)}" in shown[number - 1] and text in shown[number - 1]
    assert 'exercises.solution("05.2")' in shown[-1]


def test_the_solution_is_read_from_its_file_and_noted_as_seen():
    shown = exercises.solution("05.1")
    assert catalog.solution_code("05.1") in repr(shown) and "```python" in shown._repr_markdown_()
    assert exercises.progress("05").rows[0]["solution_seen"]


def test_an_unknown_exercise_names_the_ones_that_exist():
    with pytest.raises(KeyError, match="notebook 05 has 05.1, 05.2, 05.3"):
        exercises.check("05.9", 1)
    with pytest.raises(KeyError, match='like "05.1"'):
        exercises.hint(5.1)


def test_grade_passes_silently_or_fails_with_the_feedback():
    exercises.grade("05.3", "b")
    with pytest.raises(AssertionError, match="overfitting shows the other way round"):
        exercises.grade("05.3", "d")


def test_a_choice_shows_its_options_as_a_widget_and_answers_each_one():
    feedback = exercises.check("05.3", ...)
    assert feedback.status == NOT_DONE
    bundle = feedback._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "Not done yet" in bundle["text/plain"]
    box = feedback.widget()
    buttons = {child.description[1]: child for child in box.children if hasattr(child, "on_click")}
    answer = box.children[-1]
    assert sorted(buttons) == ["a", "b", "c", "d"]
    assert buttons["c"].description.startswith("(c) dropout is also on")
    buttons["c"].click()
    assert "Not yet" in answer.value and "training=False" in answer.value and 'answer_05_3 = "c"' in answer.value
    assert buttons["c"].button_style == "primary" and buttons["b"].button_style == ""
    buttons["b"].click()
    assert "Correct" in answer.value
    assert exercises.progress("05").rows[2]["status"] == CORRECT


def test_the_checks_import_without_ipywidgets():
    script = """
import importlib.abc, sys
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "ipywidgets":
            raise ImportError("no ipywidgets")
sys.meta_path.insert(0, Refuse())
from helpers import exercises
from helpers.exercises import catalog, notebooks
catalog.exercises()
print(exercises.check("05.1", ...))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Not done yet" in result.stdout
