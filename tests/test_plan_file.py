"""A plan file's content checked without running anything: every problem at once, safe folder names."""

from pathlib import Path

from helpers.batch import plan_file

ROOT = Path(__file__).resolve().parents[1]
SQUARE = ROOT / "tests" / "data" / "batch" / "square.ipynb"  # no rules: names are checked, not values


def test_safe_names_are_folder_names_that_are_not_hidden():
    assert not plan_file.is_safe_name("..") and not plan_file.is_safe_name(".hidden")
    assert not plan_file.is_safe_name("a/b") and plan_file.is_safe_name("dropout_adam_20")
    assert not plan_file.is_safe_name(3)


def test_a_good_plan_gives_its_values_and_no_problem(tmp_path):
    path = tmp_path / "plan.yaml"
    values, problems = plan_file.check_plan(path, {"notebook": str(SQUARE), "grid": {"X": [1, 2]}, "seeds": 2})
    assert problems == []
    assert values["notebook"] == SQUARE.resolve() and values["grid"] == {"X": [1, 2]}
    assert values["seeds"] == [0, 1] and values["fixed"] == {} and values["defaults"]["X"] == 2


def test_every_problem_is_returned_at_once_one_line_each(tmp_path):
    path = tmp_path / "plan.yaml"
    content = {"notebook": str(SQUARE), "fixed": {"Y": 1}, "grid": {"X": 3}, "seeds": [1, 1]}
    _, problems = plan_file.check_plan(path, content)
    assert len(problems) == 3 and all(line.startswith(f"{path}: ") for line in problems)
    assert plan_file.check_plan(path, ["a", "list"]) == (
        None,
        [f"{path}: a run plan is a mapping with at least 'notebook:', got a list"],
    )
