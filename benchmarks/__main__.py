"""``python -m benchmarks``: run the chosen parts, print the table, save JSON and Markdown.

Examples::

    python -m benchmarks                         # speed, backends, floor, latency (minutes)
    python -m benchmarks --parts memory          # every notebook's default run (long)
    python -m benchmarks --parts table           # the book's table, 1 seed per row, on JAX (long)
    python -m benchmarks --parts tests           # the test suite, group by group (long)
    python -m benchmarks --parts all
"""

import argparse
import os
import sys
import time
from pathlib import Path

from benchmarks import report

ROOT = Path(__file__).resolve().parents[1]
QUICK_PARTS = ("speed", "backends", "floor", "latency")
ALL_PARTS = (*QUICK_PARTS, "memory", "table", "tests")


def parse_parts(text):
    """'speed,floor' -> ('speed', 'floor'); 'all' -> every part; unknown names are an error."""
    names = ALL_PARTS if text.strip() == "all" else tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in ALL_PARTS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown part(s) {unknown or text!r}; choose from {', '.join(ALL_PARTS)} or 'all'"
        )
    return names


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--parts",
        type=parse_parts,
        default=QUICK_PARTS,
        help=f"comma-separated, from {', '.join(ALL_PARTS)}, or 'all' (default: {','.join(QUICK_PARTS)})",
    )
    parser.add_argument("--epochs", type=int, default=6, help="epochs per speed run (default 6)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="paired speed runs, book and helpers alternating (default 3)"
    )
    parser.add_argument(
        "--notebooks", default="", help="memory part: only notebooks whose name contains one of these (comma-separated)"
    )
    parser.add_argument(
        "--table-backend",
        default="jax",
        choices=("tensorflow", "jax"),
        help="table part: the Keras backend of its runs (default jax, the fastest path here)",
    )
    parser.add_argument("--readme", action="store_true", help="also write the table into docs/performance.md")
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "build" / "bench" / "results.json",
        help="JSON results; earlier parts in it are kept (default build/bench/results.json)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's start-up lines short

    def log(message):
        print(message, flush=True)

    new = {"context": report.context()}
    for part in args.parts:
        log(f"{part} ...")
        began = time.perf_counter()
        if part == "speed":
            from benchmarks import speed

            new[part] = speed.run(epochs=args.epochs, rounds=args.rounds, log=log)
        elif part == "backends":
            from benchmarks import backends

            new[part] = backends.run(epochs=args.epochs, rounds=max(1, args.rounds - 1), log=log)
        elif part == "floor":
            from benchmarks import floor

            new[part] = floor.run(log=log)
        elif part == "latency":
            from benchmarks import latency

            new[part] = latency.run(log=log)
        elif part == "memory":
            from benchmarks import memory

            names = [name.strip() for name in args.notebooks.split(",") if name.strip()]
            new[part] = memory.run(names, log=log)
        elif part == "table":
            from benchmarks import table

            new[part] = table.run(backend=args.table_backend, log=log)
        elif part == "tests":
            from benchmarks import suite

            new[part] = suite.run(log=log)
        new[part]["measured"] = report.context()  # when, and how busy the machine was
        log(f"{part}: done in {report.seconds(time.perf_counter() - began)}")
    new["context"]["load_average_after"] = report.context()["load_average"]
    results = report.merge_results(args.out, new)
    path = report.save(args.out, results)
    print()
    print(report.render(results))
    print(f"\nSaved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} and {path.with_suffix('.md').name}")
    if args.readme:
        print(f"Updated {report.update_readme(ROOT / 'docs' / 'performance.md', results).name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
