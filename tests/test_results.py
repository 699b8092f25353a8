"""Loading and aggregating batch results, on tiny synthetic results folders."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.batch import records, results


def make_run(root, plan, run_id, metrics, status="ok", variant="", seconds=10.0):
    folder = Path(root) / plan / run_id
    folder.mkdir(parents=True)
    (folder / records.METRICS_FILE).write_text(json.dumps(metrics))
    (folder / records.RECORD_FILE).write_text(
        json.dumps({"status": status, "variant": variant, "seconds": seconds, "parameters": {}})
    )
    return folder


@pytest.fixture
def folder(tmp_path):
    for seed, test in enumerate([0.9790, 0.9800, 0.9810]):
        make_run(
            tmp_path,
            "table",
            f"dropout_adam_20-seed{seed}",
            {
                "seed": seed,
                "epochs": 20,
                "train_samples": 60000,
                "train_accuracy": 0.98,
                "val_accuracy": 0.979,
                "test_accuracy": test,
                "seconds_per_epoch": 1.0,
            },
            variant="dropout_adam_20",
            seconds=60.0,
        )
    make_run(
        tmp_path,
        "table",
        "dropout_sgd_20-seed0",
        {
            "seed": 0,
            "epochs": 20,
            "train_samples": 60000,
            "train_accuracy": 0.92,
            "val_accuracy": 0.94,
            "test_accuracy": 0.9300,
            "seconds_per_epoch": 1.0,
        },
        variant="dropout_sgd_20",
        seconds=120.0,
    )
    make_run(
        tmp_path, "table", "dropout_sgd_20-seed1", {"test_accuracy": 0.1}, status="failed", variant="dropout_sgd_20"
    )
    for rate, test in [(0.0, 0.975), (0.3, 0.98)]:
        for seed in (0, 1):
            make_run(
                tmp_path,
                "dropout",
                f"dropout{rate}-seed{seed}",
                {
                    "seed": seed,
                    "dropout": rate,
                    "train_accuracy": 0.99,
                    "val_accuracy": test,
                    "test_accuracy": test + seed * 0.002,
                    "seconds_per_epoch": 1.0 + rate,
                },
            )
    return tmp_path


def test_load_runs_keeps_finished_runs_with_their_record(folder):
    runs = results.load_runs(folder)
    assert len(runs) == 8, "the failed run is left out"
    adam = next(run for run in runs if run["run_id"] == "dropout_adam_20-seed1")
    assert adam["plan"] == "table" and adam["variant"] == "dropout_adam_20"
    assert adam["wall_seconds"] == 60.0 and adam["test_accuracy"] == 0.98


def test_load_runs_leaves_out_torn_records_and_metrics(folder):
    torn = make_run(folder, "dropout", "dropout0.5-seed0", {"dropout": 0.5, "test_accuracy": 0.97})
    (torn / records.METRICS_FILE).write_text('{"dropout": 0.5, "test_acc')
    torn_record = make_run(folder, "dropout", "dropout0.5-seed1", {"dropout": 0.5, "test_accuracy": 0.97})
    (torn_record / records.RECORD_FILE).write_text('{"status": "o')
    assert len(results.load_runs(folder)) == 8, "torn runs are left out, not raised"


def test_results_read_records_without_the_runner():
    code = "import sys, helpers.batch.results; print('helpers.batch.runner' in sys.modules)"
    process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert process.stdout.strip() == "False", process.stderr


def test_mean_std_uses_the_sample_deviation():
    mean, std = results.mean_std([1.0, 2.0, 3.0])
    assert (mean, std) == (2.0, 1.0)
    assert math.isnan(results.mean_std([5.0])[1])
    assert math.isnan(results.mean_std([])[0])


def test_aggregate_groups_runs_by_setting(folder):
    rows = results.aggregate([run for run in results.load_runs(folder) if run["plan"] == "dropout"], by=("dropout",))
    assert [row["dropout"] for row in rows] == [0.0, 0.3]
    assert rows[0]["runs"] == 2 and rows[0]["seeds"] == [0, 1]
    assert rows[1]["test_accuracy_mean"] == pytest.approx(0.981)
    assert rows[1]["seconds_per_epoch_mean"] == pytest.approx(1.3)


def test_compare_with_book_gives_mean_std_and_difference_in_points(folder):
    rows = {row["key"]: row for row in results.compare_with_book(results.load_runs(folder))}
    adam = rows["dropout_adam_20"]
    assert adam["runs"] == 3 and adam["seeds"] == [0, 1, 2]
    assert adam["ours_test"] == pytest.approx(98.00)
    assert adam["ours_test_std"] == pytest.approx(0.10)
    assert adam["difference"] == pytest.approx(98.00 - 97.93)
    assert adam["reproduced"] is True and adam["our_epochs"] == [20]
    assert adam["wall_minutes"] == pytest.approx(3.0)
    sgd = rows["dropout_sgd_20"]
    assert sgd["runs"] == 1 and sgd["reproduced"] is False and math.isnan(sgd["ours_test_std"])
    assert rows["simple_sgd_200"]["runs"] == 0 and rows["simple_sgd_200"]["reproduced"] is None


def test_comparison_markdown_has_a_row_per_book_row(folder):
    text = results.comparison_markdown(results.compare_with_book(results.load_runs(folder)))
    lines = text.splitlines()
    assert len(lines) == 2 + len(results.BOOK_TABLE)
    adam = next(line for line in lines if "Adam" in line)
    assert "| 97.93 |" in adam and "98.00 ± 0.10" in adam and "+0.07" in adam and "| yes |" in adam
    assert "no runs" in next(line for line in lines if "784→10" in line)


def test_dropout_effect_sets_each_long_run_beside_its_control(tmp_path):
    for variant, epochs, accuracies in [
        ("hidden_sgd_20", 20, [0.945, 0.947]),
        ("dropout_sgd_20", 20, [0.942]),
        ("hidden_sgd_250", 250, [0.976, 0.978]),
        ("dropout_sgd_250", 250, [0.978, 0.979, 0.980]),
    ]:
        for seed, test in enumerate(accuracies):
            make_run(
                tmp_path,
                "table",
                f"{variant}-seed{seed}",
                {"seed": seed, "epochs": epochs, "test_accuracy": test},
                variant=variant,
            )
    make_run(tmp_path, "other", "hidden_sgd_250-seed9", {"test_accuracy": 0.5}, variant="hidden_sgd_250")
    short, long = results.dropout_effect(results.load_runs(tmp_path))
    assert (short["epochs"], long["epochs"]) == (20, 250)
    assert short["without"] == pytest.approx(94.6) and short["with"] == pytest.approx(94.2)
    assert short["difference"] == pytest.approx(-0.4) and math.isnan(short["with_std"])
    assert long["without"] == pytest.approx(97.7) and long["with"] == pytest.approx(97.9)
    assert long["difference"] == pytest.approx(0.2), "only the table's runs count"
    assert (long["without_runs"], long["with_runs"]) == (2, 3)
    text = results.dropout_effect_markdown([short, long])
    assert "| 250 | 97.70 ± 0.14 | 97.90 ± 0.10 | +0.20 | 2 + 3 |" in text
    assert "| 20 | 94.60 ± 0.14 | 94.20 | -0.40 | 2 + 1 |" in text


def test_dropout_effect_without_the_control_runs_says_so(folder):
    long = results.dropout_effect(results.load_runs(folder))[1]
    assert long["without_runs"] == 0 and math.isnan(long["difference"])
    assert "| 250 | – | – | – | 0 + 0 |" in results.dropout_effect_markdown([long])


def test_the_table_plan_runs_the_books_rows_and_the_controls():
    from helpers.batch import runplan

    plan = runplan.load_plan(results.ROOT / "plans" / "table.yaml")
    assert sorted({run.variant for run in plan.runs()}) == sorted(results.TABLE_VARIANTS)


def test_time_split_sums_wall_time_per_row(folder):
    rows = results.time_split(results.load_runs(folder))
    assert rows[0]["variant"] == "dropout_adam_20" and rows[0]["minutes"] == pytest.approx(3.0)
    assert sum(row["share"] for row in rows) == pytest.approx(1.0)


def test_experiment_rows_and_figure(folder):
    experiment = next(e for e in results.EXPERIMENTS if e.plan == "dropout")
    rows = results.experiment_rows(results.load_runs(folder), experiment)
    assert [row["dropout"] for row in rows] == [0.0, 0.3]
    fig = results.plot_experiment(rows, experiment)
    assert fig.axes[0].get_xlabel() == "dropout rate"
    with_seconds = results.Experiment("dropout", "dropout", "dropout rate", "", show_seconds=True)
    assert len(results.plot_experiment(rows, with_seconds).axes) == 2, "a second axis for seconds per epoch"


def test_resolve_results_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(results, "RESULTS_DIR", tmp_path / "empty")
    monkeypatch.setattr(results, "STORED_RESULTS_DIR", tmp_path / "none")
    monkeypatch.setattr(results, "SAMPLE_RESULTS_DIR", tmp_path / "sample")
    make_run(tmp_path / "sample", "p", "r", {})
    assert results.resolve_results_dir("") == tmp_path / "sample"
    make_run(tmp_path / "empty", "p", "r", {})
    assert results.resolve_results_dir("") == tmp_path / "empty"
    assert results.resolve_results_dir(tmp_path / "sample") == tmp_path / "sample"
    assert results.relative(results.ROOT / "results" / "x") == Path("results/x")
    assert results.relative(tmp_path) == tmp_path
    with pytest.raises(FileNotFoundError, match="run `make reproduce`"):
        results.resolve_results_dir(tmp_path / "nowhere")


def test_comparison_figure_and_experiment_table(folder, capsys):
    runs = results.load_runs(folder)
    fig = results.plot_comparison(results.compare_with_book(runs))
    assert len(fig.axes[0].get_yticklabels()) == len(results.BOOK_TABLE)
    rows = results.show_experiment(runs, "dropout")
    text = capsys.readouterr().out
    assert len(rows) == 2 and "dropout" in text.splitlines()[0]
    assert "98.10 ± 0.14" in text  # 0.980 and 0.982 over two seeds
    assert results.show_experiment(runs, "batch_size") == []
    assert "python -m helpers.batch plans/batch_size.yaml" in capsys.readouterr().out


@pytest.mark.parametrize(
    "run, path",
    [
        ({"backend": "tensorflow", "steps_per_execution": 64}, "tensorflow, 64 steps/call"),
        ({"backend": "jax", "steps_per_execution": 64}, "jax, 64 steps/call, XLA"),
        ({}, "tensorflow"),
    ],
)
def test_compile_path_names_backend_steps_and_xla(run, path):
    assert results.compile_path(run) == path
