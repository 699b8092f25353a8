"""Wall time of the book's results table, one seed per row, as ``make reproduce`` runs it.

Runs ``python -m helpers.batch plans/table.yaml --seeds 0 --jobs 2 --backend B``
into a fresh folder under build/bench/ (nothing is skipped as already done),
times the whole command and compares each row's test accuracy with the book's.
"""

import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "plans" / "table.yaml"


def command(results, backend, jobs=2, seed=0):
    """The batch command this part times."""
    return [
        sys.executable,
        "-m",
        "helpers.batch",
        str(PLAN),
        "--seeds",
        str(seed),
        "--jobs",
        str(jobs),
        "--backend",
        backend,
        "--results",
        str(results),
        "--no-progress",
    ]


def run(backend="jax", jobs=2, log=print, out_dir=ROOT / "build" / "bench" / "table"):
    """Run the table once on ``backend``; its wall time and every row against the book."""
    from helpers.batch import results as batch_results

    folder = out_dir / backend
    shutil.rmtree(folder, ignore_errors=True)
    arguments = command(folder, backend, jobs)
    log(f"  table: {' '.join(arguments[1:])} ...")
    began = time.perf_counter()
    finished = subprocess.run(arguments, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    rows = batch_results.compare_with_book(batch_results.load_runs(folder)) if folder.exists() else []
    figures = {
        "backend": backend,
        "jobs": jobs,
        "seconds": seconds,
        "exit_code": finished.returncode,
        "rows": [
            {"variant": row["label"], "book": row["test"], "ours": row["ours_test"], "reproduced": row["reproduced"]}
            for row in rows
        ],
    }
    if finished.returncode:
        figures["error"] = (finished.stderr or finished.stdout)[-1500:]
    log(
        f"  table: {seconds:.0f} s, exit code {finished.returncode}, "
        f"{sum(bool(row['reproduced']) for row in figures['rows'])}/{len(figures['rows'])} rows within ±0.5"
    )
    return figures
