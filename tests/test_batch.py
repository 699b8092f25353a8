"""The batch runner end to end: two notebooks, a failing run, resume, and Dask on loopback.

The end-to-end runs use the MLP notebook with tiny settings and a tiny notebook
under tests/data/batch/ (no TensorFlow), so the whole file takes well under two
minutes on two cores.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.batch import runner as batch, runplan

ROOT = Path(__file__).resolve().parents[1]
SQUARE = ROOT / "tests" / "data" / "batch" / "square.ipynb"
MLP = ROOT / "notebooks" / "04_mlp.ipynb"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plans")
    mlp = write(folder / "mlp.yaml", f"""
notebook: {MLP}
fixed: {{SIMPLE_EPOCHS: 0, EPOCHS: 1, HIDDEN_UNITS: 16, TRAIN_SAMPLES: 1000,
        PANEL_TRAIN_SAMPLES: 1000, LEARNING_RATE: 0.01}}
grid: {{OPTIMIZER: [sgd, adamw]}}   # adamw is not one of the notebook's optimizers: that run fails
weight: EPOCHS
""")
    square = write(folder / "square.yaml", f"notebook: {SQUARE}\ngrid: {{X: [1, 3]}}\nseeds: [0]\n")
    return [str(mlp), str(square)]


def run_cli(*arguments):
    return subprocess.run([sys.executable, "-m", "helpers.batch", *arguments],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)


@pytest.fixture(scope="module")
def first_batch(plans, tmp_path_factory):
    results = tmp_path_factory.mktemp("results")
    process = run_cli(*plans, "--jobs", "2", "--results", str(results))
    return process, results


def test_a_batch_of_two_notebooks_runs_end_to_end(first_batch):
    process, results = first_batch
    mlp_run = results / "mlp" / "optimizersgd"
    metrics = json.loads((mlp_run / batch.METRICS_FILE).read_text())
    assert metrics["epochs"] == 1 and metrics["train_samples"] == 1000 and metrics["hidden_units"] == 16
    assert 0.0 < metrics["test_accuracy"] <= 1.0
    assert (mlp_run / "04_mlp.ipynb").is_file(), "the executed notebook is kept with its figures"
    for x in (1, 3):
        square = json.loads((results / "square" / f"x{x}-seed0" / batch.METRICS_FILE).read_text())
        assert square["square"] == x * x
        assert square["cwd"] == str(SQUARE.parent), "a kernel starts in its notebook's folder"
    record = batch.read_record(mlp_run)
    assert record["status"] == "ok" and record["parameters"]["OPTIMIZER"] == "sgd" and record["seconds"] > 0
    assert record["code_version"], "which code ran: the project's commit (+ uncommitted changes)"
    assert "3 run(s) finished, 0 already done, 1 failed" in process.stderr


def test_a_failing_run_is_reported_and_the_others_finish(first_batch):
    process, results = first_batch
    assert process.returncode == 1, process.stderr
    failed = results / "mlp" / "optimizeradamw"
    report = process.stderr[process.stderr.index("FAILED mlp/optimizeradamw\n"):]
    assert "OPTIMIZER='adamw'" in report
    assert "ValueError: optimizer must be one of sgd, rmsprop, adam, got 'adamw'" in report
    assert f"executed notebook: {failed / '04_mlp.ipynb'}" in report
    assert (failed / "04_mlp.ipynb").is_file() and not (failed / batch.METRICS_FILE).exists()
    assert batch.read_record(failed)["status"] == "failed"
    assert "run the same command again" in process.stderr


def test_a_second_invocation_skips_finished_runs_and_retries_failed_ones(first_batch, plans):
    _, results = first_batch
    finished = [results / "mlp" / "optimizersgd", results / "square" / "x1-seed0", results / "square" / "x3-seed0"]
    started = {folder: batch.read_record(folder)["started"] for folder in finished}
    modified = {folder: (folder / batch.METRICS_FILE).stat().st_mtime for folder in finished}
    process = run_cli(*plans, "--results", str(results))
    assert "4 runs in 2 plan(s): 3 already done, 1 to run" in process.stderr
    assert "0 run(s) finished, 3 already done, 1 failed" in process.stderr
    for folder in finished:
        assert batch.read_record(folder)["started"] == started[folder]
        assert (folder / batch.METRICS_FILE).stat().st_mtime == modified[folder]


def test_runs_go_to_a_dask_cluster_on_loopback(plans, tmp_path):
    distributed = pytest.importorskip("distributed")
    cwd = os.getcwd()
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        code = batch.main([plans[1], "--results", str(tmp_path), "--no-progress",
                           "--scheduler", cluster.scheduler_address])
    assert code == 0
    for x in (1, 3):
        assert json.loads((tmp_path / "square" / f"x{x}-seed0" / batch.METRICS_FILE).read_text())["square"] == x * x
        assert batch.read_record(tmp_path / "square" / f"x{x}-seed0")["status"] == "ok"
    assert os.getcwd() == cwd, "runs in worker threads must not move the process's folder"


def test_bad_plans_stop_everything_before_a_run(tmp_path, capsys):
    good = write(tmp_path / "good.yaml", f"notebook: {SQUARE}\n")
    bad = write(tmp_path / "bad.yaml", f"notebook: {SQUARE}\ngrid: {{X: 3, Y: [1]}}\n")
    code = batch.main([str(good), str(bad), "--results", str(tmp_path / "results")])
    error = capsys.readouterr().err
    assert code == 2
    assert "grid: X must be a non-empty list of values, got 3" in error
    assert "square.ipynb has no parameter 'Y'" in error
    assert not (tmp_path / "results").exists()


def test_two_plans_with_the_same_name_are_refused(tmp_path):
    first = write(tmp_path / "a" / "p.yaml", f"notebook: {SQUARE}\n")
    second = write(tmp_path / "b" / "p.yaml", f"notebook: {SQUARE}\n")
    with pytest.raises(runplan.PlanError, match="two plans are named 'p'"):
        batch.load_runs([first, second])


def test_dry_run_lists_runs_and_their_state(tmp_path, capsys):
    plan = write(tmp_path / "sq.yaml", f"notebook: {SQUARE}\ngrid: {{X: [1, 2]}}\n")
    write(tmp_path / "results" / "sq" / "x1" / batch.METRICS_FILE, "{}")
    assert batch.main([str(plan), "--results", str(tmp_path / "results"), "--dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("done    sq/x1") and lines[1].startswith("to run  sq/x2")


def test_a_run_is_finished_only_with_metrics_and_a_successful_record(tmp_path):
    assert not batch.is_finished(tmp_path)
    write(tmp_path / batch.METRICS_FILE, "{}")
    assert batch.is_finished(tmp_path), "metrics without a record: a notebook run by hand"
    record = {"status": "running", "parameters": {"X": 1}}
    write(tmp_path / batch.RECORD_FILE, json.dumps(record))
    assert not batch.is_finished(tmp_path), "interrupted while running"
    write(tmp_path / batch.RECORD_FILE, json.dumps({**record, "status": "ok"}))
    assert batch.is_finished(tmp_path, {"X": 1})
    assert not batch.is_finished(tmp_path, {"X": 2}), "the plan changed since: run again"


def test_execute_run_reports_a_missing_notebook_without_raising(tmp_path):
    run = runplan.Run(plan="p", run_id="r", notebook=str(tmp_path / "gone.ipynb"), parameters={})
    outcome = batch.execute_run(run, str(tmp_path))
    assert outcome.status == "failed" and "gone.ipynb not found" in outcome.error
    assert batch.read_record(tmp_path / "p" / "r")["status"] == "failed"


def test_time_left_is_extrapolated_from_the_weights_done(monkeypatch):
    runs = [runplan.Run("p", f"r{i}", "n.ipynb", {}, weight=w) for i, w in enumerate([10, 30])]
    progress = batch.Progress(runs, stream=open(os.devnull, "w"), enabled=False)
    assert progress.time_left() is None
    monkeypatch.setattr(batch.time, "perf_counter", lambda: progress.start + 20.0)
    progress.finished(batch.Outcome(runs[0], "ok", seconds=20.0))
    assert progress.time_left() == pytest.approx(60.0)  # 10 units took 20 s: 30 more take 60 s


def test_time_left_counts_a_fixed_cost_per_run(monkeypatch):
    # Runs cost 30 s + 1 s per epoch: once two sizes finished, the estimate knows it.
    runs = [runplan.Run("p", f"r{i}", "n.ipynb", {}, weight=w) for i, w in enumerate([20, 200, 20, 20])]
    progress = batch.Progress(runs, stream=open(os.devnull, "w"), enabled=False)
    monkeypatch.setattr(batch.time, "perf_counter", lambda: progress.start + 280.0)
    progress.finished(batch.Outcome(runs[0], "ok", seconds=50.0))
    progress.finished(batch.Outcome(runs[1], "ok", seconds=230.0))
    assert progress.cost_model() == pytest.approx((30.0, 1.0))
    assert progress.fraction_done() == pytest.approx(280 / 380)
    assert progress.time_left() == pytest.approx(100.0)  # two more 50-s runs


def test_code_version_names_the_commit_and_uncommitted_changes(tmp_path):
    assert batch.code_version(tmp_path) is None, "not a git repository"
    version = batch.code_version(ROOT)
    assert version and len(version.split("+")[0]) == 12
