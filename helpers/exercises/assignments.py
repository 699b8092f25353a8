"""Graded assignments for instructors, built by otter-grader from the exercises' own definitions.

For each notebook, :func:`master_notebook` writes otter-grader's "master" format from the
notebook as it is, its reference solutions (``helpers/exercises/solutions/``) and one test
per exercise that calls the exercise's own check (:func:`helpers.exercises.grade`). So there
is no second copy of the answers or of the checks to keep in step. ``otter assign`` then
makes the student notebook (the answer cells blank, exactly as learners see them) and the
autograder (a zip). ``otter run -a AUTOGRADER.zip SUBMISSION.ipynb`` grades one submission
without Docker, in the current environment; its ``results.json`` lists each exercise's
points and, for a wrong answer, the check's feedback.

Why otter-grader: version 7.0 installs beside the locked JupyterLab (it asks only for wrapt
1.x), and its students need nothing extra (the check cells stay the project's own). nbgrader
0.9.6 installs too, but brings a database, a course folder and a server extension.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from helpers.exercises import catalog, notebooks

CONFIG = """# ASSIGNMENT CONFIG
name: {name}
requirements: null
export_cell: false
init_cell: false
check_all_cell: false
run_tests: false
generate: true
solutions_pdf: false
"""


def question_name(exercise_id):
    """otter-grader's name of an exercise's question: ``"05.1"`` -> ``"q05_1"``.

    Parameters
    ----------
    exercise_id : str

    Returns
    -------
    str
    """
    return "q" + exercise_id.replace(".", "_")


def _answer_cell(cell, exercise_id):
    header, _, blank = cell.source.partition("\n")
    solution = catalog.solution_code(exercise_id).rstrip("\n")
    return nbformat.v4.new_code_cell(
        f'{header}\n""" # BEGIN PROMPT\n{blank.strip(chr(10))}\n""" # END PROMPT\n'
        f"# BEGIN SOLUTION NO PROMPT\n{solution}\n# END SOLUTION"
    )


def master_notebook(notebook, name):
    """otter-grader's master notebook for ``notebook``, whose exercises are defined in the catalog.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A chapter notebook with answer cells.
    name : str
        The assignment's name (otter's configuration cell).

    Returns
    -------
    nbformat.NotebookNode
        The master: each exercise a question with its statement, solution and tests.
    """
    raw = nbformat.v4.new_raw_cell
    cells = [raw(CONFIG.format(name=name))]
    answers = {index: exercise_id for exercise_id, index in notebooks.answer_cells(notebook).items()}
    for index, cell in enumerate(notebook.cells):
        exercise_id = answers.get(index)
        if exercise_id is None:
            if index + 1 in answers and cell.cell_type == "markdown":
                continue  # the exercise's statement goes inside its question, below
            cells.append(cell)
            continue
        exercise = catalog.find(exercise_id)
        cells.append(
            raw(f"# BEGIN QUESTION\nname: {question_name(exercise_id)}\npoints: {exercise.points}\ncheck_cell: false")
        )
        previous = notebook.cells[index - 1]
        if previous.cell_type == "markdown":
            cells.append(previous)
        cells += [
            raw("# BEGIN SOLUTION"),
            _answer_cell(cell, exercise_id),
            raw("# END SOLUTION"),
            raw("# BEGIN TESTS"),
            nbformat.v4.new_code_cell(
                f"from helpers import exercises as graded_exercises\n"
                f'graded_exercises.grade("{exercise_id}", {exercise.answer})'
            ),
            raw("# END TESTS"),
            raw("# END QUESTION"),
        ]
    return nbformat.v4.new_notebook(cells=cells, metadata=notebook.metadata)


def otter():
    """The otter command of this environment (requirements/dev.txt has otter-grader).

    Returns
    -------
    str
        Its path.

    Raises
    ------
    RuntimeError
        If otter-grader is not installed; the message says how to install it.
    """
    path = shutil.which("otter", path=str(Path(sys.executable).parent)) or shutil.which("otter")
    if path is None:
        raise RuntimeError(
            "otter-grader is not installed here: `make assignments` installs the test tools "
            "(requirements/dev.txt), which include it"
        )
    return path


def build(paths, out):
    """Student notebook and autograder zip for each notebook.

    Layout: ``out/<stem>/student/<stem>.ipynb`` and ``out/<stem>/autograder/<stem>-autograder.zip``
    (with the master and its solutions beside it, for the instructor).

    Parameters
    ----------
    paths : iterable of str or Path
        Chapter notebooks; those without exercises are skipped.
    out : str or Path
        The folder that receives one folder per notebook.

    Yields
    ------
    str
        One line per notebook: what was built, or why it was skipped.
    """
    out = Path(out)
    for path in map(Path, paths):
        if path.stem not in catalog.topics():
            yield f"{path.name}: no exercises, skipped"
            continue
        folder = out / path.stem
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        master = folder / "master" / path.name
        master.parent.mkdir()
        nbformat.write(master_notebook(nbformat.read(path, as_version=4), path.stem), master)
        result = subprocess.run([otter(), "assign", str(master), str(folder)], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"otter assign failed on {path.name}:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
        zips = sorted((folder / "autograder").glob("*-autograder_*.zip"))
        zips[-1].rename(folder / "autograder" / f"{path.stem}-autograder.zip")
        points = sum(exercise.points for exercise in catalog.exercises(path.stem[:2]))
        yield (
            f"{path.stem}: student/{path.name}, autograder/{path.stem}-autograder.zip "
            f"({len(catalog.exercises(path.stem[:2]))} exercises, {points} points) in {folder}"
        )


def grade(autograder, submission, out):
    """Grade one submission with ``otter run``.

    Parameters
    ----------
    autograder : str or Path
        The autograder zip :func:`build` made.
    submission : str or Path
        A student's notebook.
    out : str or Path
        Where otter writes its results.

    Returns
    -------
    dict
        Exercise id -> ``(score, max score, feedback)``.

    Raises
    ------
    RuntimeError
        If otter fails; the message holds the end of its output.
    """
    import json

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [otter(), "run", "-a", str(autograder), "-o", str(out), str(submission)], capture_output=True, text=True
    )
    if result.returncode != 0 or not (out / "results.json").exists():
        raise RuntimeError(f"otter run failed on {submission}:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    scores = {}
    for test in json.loads((out / "results.json").read_text())["tests"]:
        if test["name"].startswith("q") and "max_score" in test:
            exercise_id = test["name"][1:].replace("_", ".")
            scores[exercise_id] = (test["score"], test["max_score"], test.get("output", ""))
    return scores
