"""The benchmark code's arithmetic and formatting (no timing: nothing here depends on speed)."""

import argparse

import nbformat
import pytest

from benchmarks import flops, memory, report, speed, suite
from benchmarks.__main__ import ALL_PARTS, parse_parts


def test_flops_of_a_tiny_network_by_hand():
    # 2 -> 3 -> 4 on 5 samples: products of 2*3 and 3*4 multiply-adds per sample.
    assert flops.forward_flops((2, 3, 4), 5) == 2 * 5 * (6 + 12)
    # forward + weight gradients + input gradient of the second layer only
    assert flops.training_flops((2, 3, 4), 5) == 2 * 5 * (6 + 12) * 2 + 2 * 5 * 12
    assert flops.epoch_flops((2, 3, 4), 5, 1) == {"training": 480, "validation": 36, "total": 516}


def test_flops_of_the_books_epoch():
    epoch = flops.epoch_flops((784, 128, 128, 10), 48000, 12000)
    assert epoch["training"] == 24_354_816_000
    assert epoch["validation"] == 2_832_384_000


def test_step_shapes_add_up_to_the_training_count():
    shapes = flops.step_matmul_shapes((784, 128, 128, 10), 128)
    assert len(shapes) == 3 + 3 + 2
    assert flops.shapes_flops(shapes) == flops.training_flops((784, 128, 128, 10), 128)


def test_a_network_needs_two_sizes():
    with pytest.raises(ValueError, match="at least an input and an output"):
        flops.layer_pairs((784,))


def test_two_runs_share_their_numbers_when_only_the_validation_loss_differs():
    run = {"loss": [0.5, 0.3], "accuracy": [0.8, 0.9], "val_loss": [0.4, 0.31655848], "val_accuracy": [0.85, 0.91]}
    assert speed.same_numbers(run, {**run, "val_loss": [0.4, 0.31655842]})
    assert not speed.same_numbers(run, {**run, "val_accuracy": [0.85, 0.92]})
    assert not speed.same_numbers(run, {**run, "loss": [0.5, 0.31]})


def test_markdown_table_pads_columns():
    text = report.markdown_table(("a", "bb"), [("xxx", 1), ("y", 22)])
    assert text.splitlines() == ["| a   | bb |", "|-----|----|", "| xxx | 1  |", "| y   | 22 |"]
    with pytest.raises(ValueError, match="one cell per header"):
        report.markdown_table(("a", "b"), [("only one",)])


def test_durations_read_well():
    assert report.seconds(0.4567) == "0.46 s"
    assert report.seconds(125) == "2 min 05 s"
    assert report.seconds(None) == "n/a"


def speed_figures(speedup, accuracy_gap):
    side = {
        "epoch_seconds": 1.0,
        "epoch_cpu_seconds": 1.0,
        "validation_seconds": 0.1,
        "validation_cpu_seconds": 0.1,
        "first_epoch_seconds": 2.0,
        "test_accuracy": 0.97,
    }
    return {
        "train_images": 48000,
        "validation_images": 12000,
        "rounds": 3,
        "epochs": 6,
        "book": side,
        "notebooks": {**side, "epoch_seconds": 1.0 / speedup},
        "speedup": speedup,
        "speedup_cpu": speedup,
        "identical_accuracies": False,
        "accuracy_difference_points": accuracy_gap,
    }


FLOOR = {"floor_seconds": 0.1, "flops": {"total": 27.2e9}, "best_gflops": 272, "best_library": "numpy"}


def test_table_says_which_targets_are_met():
    rows = report.table_rows({"speed": speed_figures(2.0, 0.1)})
    targets = {figure: target for figure, _, target in rows}
    assert targets["speed-up, median of 3 paired runs"] == ">= 2.5x: NOT met"
    assert targets["test accuracy after 6 epochs, plain / notebooks"] == "within 0.3 points: met"
    rows = report.table_rows({"speed": speed_figures(3.0, 0.5), "floor": FLOOR})
    assert ("the notebooks' epoch / floor", "3.3x", "") in rows
    assert "Measured" in report.render({"speed": speed_figures(3.0, 0.5), "parts_run": ["speed"]})


def test_the_live_curves_row_gives_a_runs_first_redraw_and_a_later_one():
    run = {"first_epoch_drawn_seconds": 1.5, "first_epoch_drawn_cpu_seconds": 1.4}
    latency = {
        "first_run": run,
        "later_same_network": {**run, "runs": 3},
        "redraw_seconds": 0.12,
        "later_redraw_seconds": 0.02,
    }
    rows = {figure: measured for figure, measured, _ in report.table_rows({"latency": latency})}
    assert (
        rows["one redraw of the live curves (PNG): a run's first (axes too) / a later one (curves)"]
        == "0.12 s / 0.02 s"
    )


def test_results_of_earlier_parts_are_kept(tmp_path):
    path = tmp_path / "results.json"
    report.save(path, report.merge_results(path, {"floor": FLOOR}))
    merged = report.merge_results(path, {"tests": {"seconds": 1.0}, "context": {}})
    assert set(merged) >= {"floor", "tests"} and merged["parts_run"] == ["floor", "tests"]
    assert path.with_suffix(".md").exists()


def test_parts_are_named():
    assert parse_parts("all") == ALL_PARTS
    assert parse_parts("speed, floor") == ("speed", "floor")
    with pytest.raises(argparse.ArgumentTypeError, match="choose from"):
        parse_parts("speed,fastness")


def test_failed_tests_are_named():
    output = (
        "....F.\n=== short test summary info ===\n"
        "FAILED tests/test_batch.py::test_resume[2] - AssertionError: boom\n"
        "ERROR tests/test_app.py::test_app_opens - TimeoutError\n1 failed, 1 error, 4 passed in 3.0s\n"
    )
    assert suite.failures(output) == ["tests/test_batch.py::test_resume[2]", "tests/test_app.py::test_app_opens"]
    assert suite.failures("6 passed in 3.0s") == []


def test_pytest_summary_is_found():
    output = "....\nSKIPPED [1] x\n3 passed, 1 skipped, 40 deselected in 12.34s\n"
    assert suite.outcome(output) == "3 passed, 1 skipped, 40 deselected in 12.34s"
    assert suite.outcome("== 2 failed, 1 passed in 0.50s ==") == "2 failed, 1 passed in 0.50s"
    assert suite.outcome("no tests ran") == ""


def test_memory_cell_output_is_read_back(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    source = tmp_path / "source.ipynb"
    nbformat.write(notebook, source)
    copy = memory.with_rusage_cell(source, tmp_path / "copy.ipynb")
    executed = nbformat.read(copy, as_version=4)
    assert executed.cells[-1].source == memory.RUSAGE_CELL
    executed.cells[-1].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=memory.MARK + '{"self_kb": 1024, "children_kb": 0}\n')
    ]
    nbformat.write(executed, copy)
    assert memory.read_rusage(copy) == {"self_kb": 1024, "children_kb": 0}


def test_backends_summary_takes_ratios_within_rounds_and_names_the_fastest():
    from benchmarks import backends

    def figures(seconds, accuracy=0.97):
        return {"epoch_seconds": seconds, "first_epoch_seconds": 2 * seconds, "test_accuracy": accuracy}

    runs = {name: [] for name in backends.PATHS}
    for round_, slow in enumerate((2.0, 4.0)):  # the machine was twice as busy in round 2
        for name in backends.PATHS:
            runs[name].append(figures(slow / (4 if name.startswith("jax") else 1)))
    runs[report.LIGHT_PATH][1] = {"error": "boom"}
    summary = backends.summarize(runs, epochs=6, rounds=2)
    assert summary["paths"]["jax, plain fit"]["speedup"] == 4.0
    assert summary["paths"][backends.REFERENCE]["speedup"] == 1.0
    assert summary["paths"][report.LIGHT_PATH]["speedup"] == 1.0  # the good round only
    assert summary["fastest"].startswith("jax")
    report.render({"backends": summary, "context": {}})  # renders without the floor part


def test_the_readme_table_is_replaced_between_its_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{report.README_START}\nold table\n{report.README_END}\nafter\n")
    report.update_readme(readme, {"context": {}, "parts_run": []})
    text = readme.read_text()
    assert "old table" not in text and text.startswith("intro\n") and text.endswith("after\n")
    assert text.count(report.README_START) == 1 and "| figure | measured | target |" in text
    with pytest.raises(ValueError, match="no"):
        report.update_readme(tmp_path / "other.md" if (tmp_path / "other.md").write_text("x") else None, {})


def test_a_run_of_some_parts_keeps_the_tables_other_rows(tmp_path):
    readme = tmp_path / "performance.md"
    earlier = report.markdown_table(
        ("figure", "measured", "target"), [["speed of something", "1.00 s", ""], ["the book's table", "5 min", ""]]
    )
    readme.write_text(f"{report.README_START}\nMeasured 2026-12-01 on 2 CPU(s).\n\n{earlier}\n{report.README_END}\n")
    new = {
        "context": {"date": "2026-12-07"},
        "parts_run": ["tests"],
        "tests": {"seconds": 300, "workers": 3, "outcome": "1 passed", "exit_code": 0},
    }
    assert report.table_rows(new) and all("speed" not in row[0] for row in report.table_rows(new))
    report.update_readme(readme, new)
    text = readme.read_text()
    assert "| speed of something" in text and "| the book's table" in text and "5 min" in text
    assert "kept from the earlier run (2026-12-01 on 2 CPU(s).)" in text
    assert report.table_rows(new)[0][0] in text


def test_xla_pays_after_its_extra_first_epoch_over_its_saving():
    common = {"test_accuracy": 0.97, "speedup": 1.0}
    paths = {
        report.LIGHT_PATH: {"epoch_seconds": 1.2, "first_epoch_seconds": 3.0, **common},
        report.XLA_PATH: {"epoch_seconds": 0.9, "first_epoch_seconds": 4.5, **common},
    }
    pays = report.xla_pays_after(paths)
    assert pays["epochs"] == pytest.approx(5.0) and pays["extra_first_epoch_seconds"] == pytest.approx(1.5)
    slower = report.xla_pays_after({**paths, report.XLA_PATH: {"epoch_seconds": 1.3, "first_epoch_seconds": 4}})
    assert slower["epochs"] is None and slower["saved_per_epoch_seconds"] == pytest.approx(-0.1)
    rows = report.table_rows(
        {
            "backends": {
                "paths": {
                    **paths,
                    report.XLA_PATH: {
                        "epoch_seconds": 1.3,
                        "first_epoch_seconds": 4.0,
                        "test_accuracy": 0.97,
                        "speedup": 1.0,
                    },
                }
            }
        }
    )
    assert any("never pays here" in measured for _, measured, _ in rows)
    assert report.xla_pays_after({report.LIGHT_PATH: {"error": "boom"}}) is None


def test_notebook_time_and_memory_and_suite_time_have_targets():
    rows = report.table_rows(
        {
            "memory": {"notebooks": {"05_dropout": {"peak_rss_gb": 1.1, "seconds": 320, "ok": True}}},
            "tests": {"seconds": 540, "exit_code": 0, "outcome": "500 passed in 540s", "workers": 2},
        }
    )
    targets = {figure: target for figure, _, target in rows}
    assert targets["`05_dropout` with default parameters: kernel's peak RSS, Run All time"] == (
        "<= 1.2 GB: met; <= 5 min: NOT met"
    )
    assert targets["`make test` (2 workers): 500 passed in 540s"] == "< 10 min: met"


def test_the_tables_time_and_rows_have_targets():
    rows_in = [{"variant": f"row {i}", "book": 92.0, "ours": 92.1, "reproduced": True} for i in range(6)]
    table = {"backend": "jax", "jobs": 2, "seconds": 300, "exit_code": 0, "rows": rows_in}
    (row,) = report.table_rows({"table": table})
    assert row[1] == "5 min 00 s; 6 of 6 rows within ±0.5 points"
    assert row[2] == "<= 6 min: met; every row: met"
    table["rows"][0]["reproduced"] = False
    assert report.table_rows({"table": {**table, "seconds": 400}})[0][2] == "<= 6 min: NOT met; every row: NOT met"


def test_a_memory_run_of_some_notebooks_keeps_the_others(tmp_path):
    path = tmp_path / "results.json"
    first = {
        "memory": {
            "notebooks": {
                "04_mlp": {"peak_rss_gb": 1.3, "seconds": 9},
                "05_dropout": {"peak_rss_gb": 1.1, "seconds": 9},
            }
        }
    }
    report.save(path, report.merge_results(path, first))
    merged = report.merge_results(path, {"memory": {"notebooks": {"04_mlp": {"peak_rss_gb": 1.0, "seconds": 8}}}})
    assert merged["memory"]["notebooks"] == {
        "04_mlp": {"peak_rss_gb": 1.0, "seconds": 8},
        "05_dropout": {"peak_rss_gb": 1.1, "seconds": 9},
    }


def test_the_benchmarks_train_with_the_notebooks_speed_setting():
    from benchmarks import backends
    from helpers.core import training

    assert backends.NOTEBOOKS_COMPILE == {"steps_per_execution": training.STEPS_PER_EXECUTION}
