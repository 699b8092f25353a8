"""The batch runner end to end, on tiny notebooks: failures, timeouts, dead workers, resume, lock, Dask.

Every run executes a notebook under tests/data/batch/ (no TensorFlow): square.ipynb (no rules) and
misbehave.ipynb, which can hang, kill its kernel or kill the worker process that runs it. One batch
of seven runs serves most tests, so the file takes a few minutes on two busy cores.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from helpers.batch import cli, execution, local, locking, progress, records, runner, runplan
from helpers.batch.code_version import code_version
from helpers.batch.resume import survey
from waiting import wait_until

ROOT = Path(__file__).resolve().parents[1]
SQUARE = ROOT / "tests" / "data" / "batch" / "square.ipynb"
MISBEHAVE = ROOT / "tests" / "data" / "batch" / "misbehave.ipynb"
#: Long enough for a tiny run on a loaded machine, short enough to wait for the hung one.
TIMEOUT = 40


def write(path, text):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def run_cli(*arguments, timeout=600):
    return subprocess.run(
        [sys.executable, "-m", "helpers.batch", *arguments], capture_output=True, text=True, cwd=ROOT, timeout=timeout
    )


def kernel_pid(folder):
    """The process id the run's kernel wrote next to its metrics (misbehave.ipynb)."""
    return int((Path(folder) / "kernel.pid").read_text())


def gone(pid):
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plans")
    square = write(folder / "square.yaml", f"notebook: {SQUARE}\ngrid: {{X: [1, 3, -1]}}\nseeds: [0]\n")
    misbehave = write(
        folder / "mis.yaml",
        f"""
notebook: {MISBEHAVE}
variants:
  fine:   {{X: 3}}
  hang:   {{SLEEP_SECONDS: 600}}
  kernel: {{EXIT: kernel}}
  worker: {{EXIT: worker}}
""",
    )
    return [str(square), str(misbehave)]


@pytest.fixture(scope="module")
def first_batch(plans, tmp_path_factory):
    results = tmp_path_factory.mktemp("results")
    process = run_cli(*plans, "--jobs", "2", "--timeout", str(TIMEOUT), "--no-progress", "--results", str(results))
    return process, results


def test_a_batch_of_two_notebooks_runs_end_to_end(first_batch):
    process, results = first_batch
    for x in (1, 3):
        folder = results / "square" / f"x{x}-seed0"
        square = json.loads((folder / records.METRICS_FILE).read_text())
        assert square["square"] == x * x
        assert square["cwd"] == str(SQUARE.parent), "a kernel starts in its notebook's folder"
        assert (folder / "square.ipynb").is_file(), "the executed notebook is kept"
        record = records.read_record(folder)
        assert record["status"] == "ok" and record["parameters"] == {"X": x, "SEED": 0} and record["seconds"] > 0
        assert record["code_version"], "which code ran: the project's commit (+ uncommitted changes)"
    assert records.is_finished(results / "mis" / "fine", {"X": 3})
    assert "3 run(s) finished, 0 already done, 4 failed" in process.stderr
    assert "Traceback" not in process.stderr
    assert not (results / locking.LOCK_FILE).exists(), "the lock is released at the end"


def test_a_failing_run_is_reported_and_the_others_finish(first_batch):
    process, results = first_batch
    assert process.returncode == 1, process.stderr
    failed = results / "square" / "x-1-seed0"
    report = process.stderr[process.stderr.index("FAILED square/x-1-seed0\n") :]
    assert "X=-1" in report and "ValueError: X must be >= 0, got -1" in report
    assert "executed notebook:" in report and "square.ipynb" in report
    assert (failed / "square.ipynb").is_file() and not (failed / records.METRICS_FILE).exists()
    assert records.read_record(failed)["status"] == "failed"
    assert "run the same command again" in process.stderr


def test_a_hung_run_is_killed_by_its_timeout_and_the_others_finish(first_batch):
    process, results = first_batch
    folder = results / "mis" / "hang"
    record = records.read_record(folder)
    assert record["status"] == "failed" and record["error"].startswith(f"timed out after {TIMEOUT} s")
    assert TIMEOUT <= record["seconds"] < TIMEOUT + local.KILL_GRACE_SECONDS + 10
    assert f"FAILED mis/hang\n  parameters: SLEEP_SECONDS=600\n  error: timed out after {TIMEOUT} s" in process.stderr
    assert gone(kernel_pid(folder)), "the hung run's kernel is killed too"
    assert records.is_finished(results / "mis" / "fine", {"X": 3})


def test_a_dead_worker_or_kernel_fails_only_its_own_run(first_batch):
    process, results = first_batch
    worker = records.read_record(results / "mis" / "worker")
    assert worker["status"] == "failed"
    assert "the worker process running it died (killed by SIGKILL)" in worker["error"]
    assert gone(kernel_pid(results / "mis" / "worker")), "the dead worker's kernel does not linger"
    kernel = records.read_record(results / "mis" / "kernel")
    assert kernel["status"] == "failed" and "DeadKernelError" in kernel["error"]
    assert "BrokenProcessPool" not in process.stderr
    # The runs started after the deaths still ran.
    assert all(records.is_finished(results / "square" / f"x{x}-seed0") for x in (1, 3))


def test_a_torn_record_or_torn_metrics_run_again_on_resume(first_batch, tmp_path):
    _, first = first_batch
    results = tmp_path / "results"
    for x in (1, 3):
        shutil.copytree(first / "square" / f"x{x}-seed0", results / "square" / f"x{x}-seed0")
    plan = write(tmp_path / "plans" / "square.yaml", f"notebook: {SQUARE}\ngrid: {{X: [1, 3]}}\nseeds: [0]\n")

    process = run_cli(str(plan), "--results", str(results), "--no-progress")
    assert process.returncode == 0, process.stderr
    assert "2 runs in 1 plan(s): 2 already done, 0 to run" in process.stderr

    record = results / "square" / "x1-seed0" / records.RECORD_FILE
    record.write_text(record.read_text()[:40])  # killed while writing, as before writes were atomic
    metrics = results / "square" / "x3-seed0" / records.METRICS_FILE
    metrics.write_text(metrics.read_text()[:10])
    assert not records.is_finished(record.parent) and not records.is_finished(metrics.parent)

    process = run_cli(str(plan), "--results", str(results), "--no-progress", "--dry-run")
    assert (
        "re-running 2 run(s) with torn or unreadable records: square/x1-seed0 (run.json is not valid JSON"
        in process.stderr
    )
    assert "square/x3-seed0 (metrics.json is not valid JSON" in process.stderr
    assert process.stdout.splitlines()[0].startswith("to run  square/x1-seed0")

    process = run_cli(str(plan), "--results", str(results), "--no-progress")
    assert process.returncode == 0, process.stderr
    assert "2 run(s) finished, 0 already done, 0 failed" in process.stderr
    for x in (1, 3):
        assert records.run_state(results / "square" / f"x{x}-seed0", {"X": x, "SEED": 0}).finished


def test_a_second_runner_is_refused_while_the_first_holds_the_folder(tmp_path):
    results = tmp_path / "results"
    plan = write(tmp_path / "slow.yaml", f"notebook: {MISBEHAVE}\nvariants: {{hang: {{SLEEP_SECONDS: 600}}}}\n")
    first = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "helpers.batch",
            str(plan),
            "--results",
            str(results),
            "--no-progress",
            "--timeout",
            "300",
        ],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        pid_file = results / "slow" / "hang" / "kernel.pid"
        wait_until(
            lambda: pid_file.exists() or first.poll() is not None,
            120,
            "the first runner to start its notebook (or to exit)",
            interval=0.5,
        )
        assert pid_file.exists(), "the first runner's notebook started"
        second = run_cli(str(plan), "--results", str(results), "--no-progress")
        assert second.returncode == 2
        assert f"pid {first.pid} on host {socket.gethostname()}" in second.stderr
        assert "in use by another batch runner" in second.stderr and "Traceback" not in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1, second.stderr
    finally:
        first.send_signal(signal.SIGTERM)  # stops like Ctrl-C: worker and kernel killed, lock released
        _, stderr = first.communicate(timeout=60)
    assert first.returncode == 130, stderr
    assert "interrupted: run the same command again to resume" in stderr
    assert not (results / locking.LOCK_FILE).exists()
    assert gone(int(pid_file.read_text())), "the kernel of the stopped run is killed"
    assert records.read_record(pid_file.parent)["status"] == "failed"


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    results = tmp_path / "results"
    plan = write(tmp_path / "sq.yaml", f"notebook: {SQUARE}\ngrid: {{X: [1]}}\n")
    run = runplan.load_plan(plan).runs()[0]
    folder = run.folder(results)
    records.write_record(folder, {"status": "ok", "parameters": run.parameters})
    records.write_json_atomically(folder / records.METRICS_FILE, {"square": 1})
    dead = subprocess.Popen(["true"])
    dead.wait()
    write(
        results / locking.LOCK_FILE,
        json.dumps(
            {"pid": dead.pid, "host": socket.gethostname(), "started": "2026-01-01T00:00:00+00:00", "token": "old"}
        ),
    )
    process = run_cli(str(plan), "--results", str(results), "--no-progress")
    assert process.returncode == 0, process.stderr
    assert f"took over the stale lock {results / locking.LOCK_FILE}: its runner (pid {dead.pid}" in process.stderr
    assert "1 already done" in process.stderr
    assert not (results / locking.LOCK_FILE).exists()


def test_a_lock_held_elsewhere_or_unreadable_is_refused(tmp_path):
    lock = locking.ResultsLock(tmp_path)
    write(lock.path, json.dumps({"pid": 1, "host": "another-host", "started": "today", "token": "t"}))
    with pytest.raises(locking.LockError, match=f"pid 1 on host another-host.*delete {lock.path}"):
        lock.acquire()
    write(lock.path, '{"pid": 12')
    with pytest.raises(locking.LockError, match="cannot be read"):
        lock.acquire()
    lock.path.unlink()
    with locking.ResultsLock(tmp_path), locking.ResultsLock(tmp_path):  # nested in one process
        assert records.read_json(lock.path)["pid"] == os.getpid()
    assert not lock.path.exists()


def test_runs_go_to_a_dask_cluster_on_loopback(tmp_path):
    distributed = pytest.importorskip("distributed")
    plan = write(tmp_path / "plans" / "square.yaml", f"notebook: {SQUARE}\ngrid: {{X: [1, 3]}}\nseeds: [0]\n")
    hang = write(
        tmp_path / "plans" / "hang.yaml", f"notebook: {MISBEHAVE}\nvariants: {{hang: {{SLEEP_SECONDS: 600}}}}\n"
    )
    cwd = os.getcwd()
    # One thread per worker, as the runner documents (`dask worker --nthreads 1`): papermill runs an
    # event loop per execution, and two in one thread pool can collide.
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=None
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        code = cli.main(
            [
                str(plan),
                "--results",
                str(tmp_path / "results"),
                "--no-progress",
                "--scheduler",
                cluster.scheduler_address,
            ]
        )
        assert code == 0
        # A hung run on Dask: its kernel is killed from within the task, the worker lives on.
        code = cli.main(
            [
                str(hang),
                "--results",
                str(tmp_path / "results"),
                "--no-progress",
                "--timeout",
                "5",
                "--scheduler",
                cluster.scheduler_address,
            ]
        )
        assert code == 1
    for x in (1, 3):
        folder = tmp_path / "results" / "square" / f"x{x}-seed0"
        assert json.loads((folder / records.METRICS_FILE).read_text())["square"] == x * x
        assert records.read_record(folder)["status"] == "ok"
    folder = tmp_path / "results" / "hang" / "hang"
    assert records.read_record(folder)["error"] == "timed out after 5 s (its kernel was killed)"
    assert gone(kernel_pid(folder))
    assert os.getcwd() == cwd, "runs in worker threads must not move the process's folder"


def test_an_unreachable_scheduler_is_one_clear_line(tmp_path):
    plan = write(tmp_path / "sq.yaml", f"notebook: {SQUARE}\n")
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = run_cli(str(plan), "--results", str(tmp_path / "results"), "--scheduler", f"tcp://127.0.0.1:{port}")
    assert process.returncode == 2
    assert process.stderr.strip().splitlines() == [process.stderr.strip()], process.stderr
    assert f"cannot use the Dask scheduler at tcp://127.0.0.1:{port}" in process.stderr
    assert not (tmp_path / "results").exists(), "nothing ran, nothing written"


def test_help_documents_timeout_lock_stale_runs_and_dask_safety(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    for words in (
        "--timeout SECONDS",
        "120 s + 30 s per unit",
        "--rerun-stale",
        "batch.lock",
        "--nthreads 1",
        "tls://",
        "SSH tunnel",
        "metrics.json is readable",
    ):
        assert words in text, words
    assert "--nthreads 1" in runner.__doc__ and "SSH tunnel" in runner.__doc__


def test_bad_plans_stop_everything_before_a_run(tmp_path, capsys):
    good = write(tmp_path / "good.yaml", f"notebook: {SQUARE}\n")
    bad = write(tmp_path / "bad.yaml", f"notebook: {SQUARE}\ngrid: {{X: 3, Y: [1]}}\n")
    code = cli.main([str(good), str(bad), "--results", str(tmp_path / "results")])
    error = capsys.readouterr().err
    assert code == 2
    assert f"error: {bad}: grid: X must be a non-empty list of values, got 3" in error
    assert "square.ipynb has no parameter 'Y'" in error
    assert not (tmp_path / "results").exists()


def test_two_plans_with_the_same_name_are_refused(tmp_path):
    first = write(tmp_path / "a" / "p.yaml", f"notebook: {SQUARE}\n")
    second = write(tmp_path / "b" / "p.yaml", f"notebook: {SQUARE}\n")
    with pytest.raises(runplan.PlanError, match="two plans are named 'p'"):
        runner.plan_runs([first, second])


def finished_run(results, run, **record):
    folder = run.folder(results)
    records.write_record(folder, {"status": "ok", "parameters": run.parameters, **record})
    records.write_json_atomically(folder / records.METRICS_FILE, {})
    return folder


def test_dry_run_lists_runs_and_their_state(tmp_path, capsys):
    plan = write(tmp_path / "sq.yaml", f"notebook: {SQUARE}\ngrid: {{X: [1, 2]}}\n")
    finished_run(tmp_path / "results", runplan.load_plan(plan).runs()[0])
    assert cli.main([str(plan), "--results", str(tmp_path / "results"), "--dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("done    sq/x1") and lines[1].startswith("to run  sq/x2")


def test_resume_sorts_runs_by_what_their_folders_hold(tmp_path):
    plan = write(tmp_path / "sq.yaml", f"notebook: {SQUARE}\ngrid: {{X: [1, 2, 3, 4, 5, 6]}}\n")
    runs = runplan.load_plan(plan).runs()
    results = tmp_path / "results"
    current = code_version(SQUARE.parent)
    finished_run(results, runs[0], code_version=current)
    finished_run(results, runs[1], code_version="0123456789ab")  # another code version
    records.write_record(runs[2].folder(results), {"status": "running", "parameters": runs[2].parameters})
    finished_run(results, runs[3], code_version=current)
    records.write_record(runs[3].folder(results), {"status": "ok", "parameters": {"X": 40}})
    write(runs[4].folder(results) / records.RECORD_FILE, "")

    resume = survey(runs, results)
    assert resume.kept == runs[:2] and resume.stale == [runs[1]]
    assert resume.todo == runs[2:]
    assert resume.interrupted == [runs[2]] and resume.changed == [runs[3]]
    assert [run for run, _ in resume.torn] == [runs[4]]
    notes = "\n".join(resume.notes())
    assert "re-running 1 run(s) with torn or unreadable records: sq/x5 (run.json is not valid JSON" in notes
    assert "re-running 1 run(s) left 'running' by a runner that stopped or was killed: sq/x3" in notes
    assert "re-running 1 run(s) whose parameters changed since they ran: sq/x4" in notes
    assert "1 finished run(s) were recorded by another code version (sq: 1;" in notes
    assert "kept: --rerun-stale runs them again" in notes
    assert [resume.label(run) for run in runs[:3]] == ["done", "stale", "to run"]

    rerun = survey(runs, results, rerun_stale=True)
    assert rerun.kept == runs[:1] and rerun.todo == [runs[1]] + runs[2:]
    assert "re-running 1 finished run(s) recorded by another code version" in "\n".join(rerun.notes())


def test_rerun_stale_on_the_command_line(tmp_path):
    plan = write(tmp_path / "sq.yaml", f"notebook: {SQUARE}\ngrid: {{X: [1]}}\n")
    finished_run(tmp_path / "results", runplan.load_plan(plan).runs()[0], code_version="0123456789ab")
    kept = run_cli(str(plan), "--results", str(tmp_path / "results"), "--dry-run")
    assert "1 already done" in kept.stderr and "--rerun-stale runs them again" in kept.stderr
    assert kept.stdout.startswith("stale   sq/x1")
    rerun = run_cli(str(plan), "--results", str(tmp_path / "results"), "--dry-run", "--rerun-stale")
    assert "0 already done, 1 to run" in rerun.stderr and rerun.stdout.startswith("to run  sq/x1")


def test_a_run_is_finished_only_with_a_complete_record_and_readable_metrics(tmp_path):
    assert records.run_state(tmp_path).state == records.NEW
    write(tmp_path / records.METRICS_FILE, "{}")
    assert records.run_state(tmp_path).state == records.TORN, "metrics without a record"
    record = {"status": "running", "parameters": {"X": 1}}
    records.write_record(tmp_path, record)
    assert records.run_state(tmp_path).state == records.INTERRUPTED
    records.write_record(tmp_path, {**record, "status": "failed", "error": "boom"})
    assert records.run_state(tmp_path).state == records.FAILED
    records.write_record(tmp_path, {**record, "status": "ok"})
    assert records.is_finished(tmp_path, {"X": 1})
    assert records.run_state(tmp_path, {"X": 2}).state == records.CHANGED, "the plan changed since"
    records.write_record(tmp_path, {"status": "ok"})
    assert records.run_state(tmp_path).detail == "run.json lacks parameters"
    records.write_record(tmp_path, {**record, "status": "ok"})
    write(tmp_path / records.METRICS_FILE, '{"test_accuracy": 0.9')
    assert records.run_state(tmp_path).state == records.TORN
    (tmp_path / records.METRICS_FILE).unlink()
    assert records.run_state(tmp_path).detail == "metrics.json is missing"
    write(tmp_path / records.RECORD_FILE, "[1, 2]")
    assert records.run_state(tmp_path).detail == "run.json holds a list, not a JSON object"


def test_parameters_compare_as_json_and_records_are_written_whole(tmp_path):
    assert records.same_parameters({"M": {"1": 0.5}}, {"M": {1: 0.5}})
    assert not records.same_parameters({"X": 1}, {"X": 1.5})
    records.write_json_atomically(tmp_path / "a" / "run.json", {"status": "ok"})
    assert [path.name for path in (tmp_path / "a").iterdir()] == ["run.json"], "no temporary file left"
    assert records.read_json(tmp_path / "a" / "run.json") == {"status": "ok"}


def test_default_timeouts_follow_the_weight():
    weighted = runplan.Run("p", "r", "n.ipynb", {}, weight=20, weighted=True)
    assert execution.default_timeout(weighted) == 120 + 30 * 20
    unweighted = runplan.Run("p", "r", "n.ipynb", {})
    assert execution.default_timeout(unweighted) == execution.UNWEIGHTED_TIMEOUT_SECONDS
    assert execution.run_timeout(weighted, 0) is None and execution.run_timeout(weighted, 5) == 5.0
    assert execution.run_timeout(weighted) == 720.0


def test_execute_run_reports_a_missing_notebook_without_raising(tmp_path):
    run = runplan.Run(plan="p", run_id="r", notebook=str(tmp_path / "gone.ipynb"), parameters={})
    outcome = execution.execute_run(run, str(tmp_path))
    assert outcome.status == "failed" and "gone.ipynb not found" in outcome.error
    assert records.read_record(tmp_path / "p" / "r")["status"] == "failed"


def test_time_left_is_extrapolated_from_the_weights_done(monkeypatch):
    runs = [runplan.Run("p", f"r{i}", "n.ipynb", {}, weight=w) for i, w in enumerate([10, 30])]
    meter = progress.Progress(runs, stream=open(os.devnull, "w"), enabled=False)
    assert meter.time_left() is None
    monkeypatch.setattr(progress.time, "perf_counter", lambda: meter.start + 20.0)
    meter.finished(execution.Outcome(runs[0], "ok", seconds=20.0))
    assert meter.time_left() == pytest.approx(60.0)  # 10 units took 20 s: 30 more take 60 s


def test_time_left_counts_a_fixed_cost_per_run(monkeypatch):
    # Runs cost 30 s + 1 s per epoch: once two sizes finished, the estimate knows it.
    runs = [runplan.Run("p", f"r{i}", "n.ipynb", {}, weight=w) for i, w in enumerate([20, 200, 20, 20])]
    meter = progress.Progress(runs, stream=open(os.devnull, "w"), enabled=False)
    monkeypatch.setattr(progress.time, "perf_counter", lambda: meter.start + 280.0)
    meter.finished(execution.Outcome(runs[0], "ok", seconds=50.0))
    meter.finished(execution.Outcome(runs[1], "ok", seconds=230.0))
    assert meter.cost_model() == pytest.approx((30.0, 1.0))
    assert meter.fraction_done() == pytest.approx(280 / 380)
    assert meter.time_left() == pytest.approx(100.0)  # two more 50-s runs


def test_code_version_names_the_commit_and_uncommitted_changes(tmp_path):
    assert code_version(tmp_path) is None, "not a git repository"
    version = code_version(ROOT)
    assert version and len(version.split("+")[0]) == 12


def test_seeds_and_backend_choose_the_runs_and_their_results_folder(tmp_path):
    plan = write(tmp_path / "seeds.yaml", f"notebook: {SQUARE}\ngrid: {{X: [1, 2]}}\nseeds: [0, 1, 2]\n")
    result = run_cli(str(plan), "--dry-run", "--seeds", "0,2", "--backend", "jax", timeout=120)
    assert result.returncode == 0, result.stderr
    listed = [line.split()[2] for line in result.stdout.splitlines() if line.startswith("to run")]
    assert listed == ["seeds/x1-seed0", "seeds/x1-seed2", "seeds/x2-seed0", "seeds/x2-seed2"]
    assert "results in results-jax/" in result.stderr
    refused = run_cli(str(plan), "--dry-run", "--seeds", "one", timeout=120)
    assert refused.returncode == 2 and "--seeds must be whole numbers" in refused.stderr


def test_a_backend_that_is_not_installed_is_refused_before_anything_runs(tmp_path, monkeypatch, capsys):
    plan = write(tmp_path / "one.yaml", f"notebook: {SQUARE}\ngrid: {{X: [1]}}\n")
    monkeypatch.setattr(cli, "missing_backend", lambda backend: backend == "jax")
    with pytest.raises(SystemExit) as exit_info:
        cli.main([str(plan), "--backend", "jax", "--results", str(tmp_path / "results")])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "--backend jax needs the 'jax' package" in error and "`make jax` installs it" in error
    assert not (tmp_path / "results").exists(), "nothing ran"


def test_the_heaviest_runs_start_first_and_ties_keep_the_plan_order(tmp_path):
    path = write(
        tmp_path / "plan.yaml",
        f"notebook: {SQUARE}\nweight: X\nvariants: {{a: {{X: 5}}, b: {{X: 1}}, c: {{X: 5}}, d: {{X: 2}}}}\n",
    )
    runs = runner.plan_runs([path])
    assert [run.variant for run in runner.longest_first(runs)] == ["a", "c", "d", "b"]
