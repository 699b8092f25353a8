"""Run plans: reading, checking against the notebook, expanding into runs."""

from pathlib import Path

import pytest

from helpers.batch import runplan

ROOT = Path(__file__).resolve().parents[1]
SQUARE = ROOT / "tests" / "data" / "batch" / "square.ipynb"


def write_plan(folder, text, name="plan.yaml"):
    path = Path(folder) / name
    path.write_text(text)
    return path


def test_notebook_parameters_reads_the_parameters_cell():
    assert runplan.notebook_parameters(SQUARE) == {"X": 2, "SEED": 0, "METRICS_PATH": ""}
    values = runplan.notebook_parameters(ROOT / "notebooks" / "04_mlp.ipynb")
    assert values["EPOCHS"] == 20 and "METRICS_PATH" in values


def test_plan_expands_variants_grid_and_seeds_in_order(tmp_path):
    path = write_plan(tmp_path, f"""
notebook: {SQUARE}
fixed: {{X: 1}}
variants:
  small: {{X: 2}}
  large: {{X: 9}}
seeds: [0, 1]
""")
    runs = runplan.load_plan(path).runs()
    assert [run.run_id for run in runs] == ["small-seed0", "small-seed1", "large-seed0", "large-seed1"]
    assert runs[2].parameters == {"X": 9, "SEED": 0}
    assert runs[0].plan == "plan" and runs[0].variant == "small"
    assert runs[0].folder("results") == Path("results/plan/small-seed0")


def test_grid_run_ids_name_the_values_and_weights_follow_a_parameter(tmp_path):
    path = write_plan(tmp_path, f"""
notebook: {SQUARE}
grid: {{X: [1, 0.001, 5]}}
seeds: 2
weight: X
""")
    runs = runplan.load_plan(path).runs()
    assert [run.run_id for run in runs] == ["x1-seed0", "x1-seed1", "x0.001-seed0", "x0.001-seed1",
                                            "x5-seed0", "x5-seed1"]
    assert [run.weight for run in runs][::2] == [1.0, 1.0, 5.0]  # at least 1 per run


def test_relative_notebook_paths_are_taken_from_the_plan_folder(tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "n.ipynb").write_text(SQUARE.read_text())
    path = write_plan(tmp_path / "plans", "notebook: ../notebooks/n.ipynb\n")
    plan = runplan.load_plan(path)
    assert plan.notebook == (tmp_path / "notebooks" / "n.ipynb").resolve()
    assert [run.run_id for run in plan.runs()] == ["run"]


@pytest.mark.parametrize("text, message", [
    ("notebook: missing.ipynb\n", "notebook 'missing.ipynb' not found"),
    (f"notebook: {SQUARE}\nfixed: {{Y: 1}}\n", "fixed: square.ipynb has no parameter 'Y'; its parameters are X, SEED"),
    (f"notebook: {SQUARE}\ngrid: {{X: 3}}\n", "grid: X must be a non-empty list of values, got 3"),
    (f"notebook: {SQUARE}\ngrid: {{Z: [1]}}\n", "grid: square.ipynb has no parameter 'Z'"),
    (f"notebook: {SQUARE}\nvariants: {{a: {{W: 1}}}}\n", "variants: a: square.ipynb has no parameter 'W'"),
    (f"notebook: {SQUARE}\nfixed: {{METRICS_PATH: x.json}}\n", "METRICS_PATH is set by the runner"),
    (f"notebook: {SQUARE}\nseeds: [0, one]\n", "seeds must be a list of whole numbers"),
    (f"notebook: {SQUARE}\nseeds: [1, 1]\n", "seeds are repeated"),
    (f"notebook: {SQUARE}\ngrids: {{X: [1]}}\n", "unknown key(s) ['grids']"),
    (f"notebook: {SQUARE}\nfixed: {{X: 1}}\ngrid: {{X: [1, 2]}}\n", "set both in the grid and in fixed"),
    ("- just\n- a list\n", "a run plan is a mapping"),
])
def test_bad_plans_are_refused_with_a_clear_message(tmp_path, text, message):
    path = write_plan(tmp_path, text)
    with pytest.raises(runplan.PlanError) as error:
        runplan.load_plan(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_every_problem_of_a_plan_is_listed_at_once(tmp_path):
    path = write_plan(tmp_path, f"notebook: {SQUARE}\nfixed: {{Y: 1}}\ngrid: {{X: 3}}\n")
    with pytest.raises(runplan.PlanError) as error:
        runplan.load_plan(path)
    assert "no parameter 'Y'" in str(error.value) and "X must be a non-empty list" in str(error.value)


def test_a_notebook_without_metrics_path_cannot_be_batched(tmp_path):
    notebook = tmp_path / "n.ipynb"
    notebook.write_text(SQUARE.read_text().replace('"METRICS_PATH = \\"\\""', '"Z = 1"'))
    with pytest.raises(runplan.PlanError, match="has no METRICS_PATH parameter"):
        runplan.load_plan(write_plan(tmp_path, f"notebook: {notebook}\n"))


def test_the_project_plans_are_valid():
    plans = sorted((ROOT / "plans").glob("*.yaml"))
    assert {path.stem for path in plans} >= {"table", "dropout", "epochs", "learning_rate",
                                             "hidden_units", "batch_size"}
    for path in plans:
        plan = runplan.load_plan(path)
        assert len(plan.seeds) >= 3, f"{path.name}: the book's numbers are compared over >= 3 seeds"
        assert all(run.parameters["SIMPLE_EPOCHS"] == 0 for run in plan.runs())
