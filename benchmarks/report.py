"""The benchmark table: figures from the parts' results, formatted as Markdown, saved as JSON.

Each part returns a plain dict; :func:`merge_results` keeps the parts of earlier
runs in the JSON file, so ``make bench PARTS=memory`` adds its figures to those
of the last ``make bench``, and :func:`table_rows` builds one table from
whatever parts are there.
"""

import json
import platform
import time
from pathlib import Path

from benchmarks import backends

#: The targets the figures are compared with (see docs/performance.md).
TARGETS = {
    "speedup": 2.5,  # the notebooks' epoch at least this many times faster than plain fit
    "accuracy_points": 0.3,  # test accuracies within this many percentage points
    "later_latency_s": 1.0,  # Train -> first epoch drawn, after the first run
    "kernel_memory_gb": 1.2,  # peak memory of a notebook's kernel (Binder gives 2 GB)
    "notebook_minutes": 5.0,  # a notebook's Run All with its default parameters
    "floor_ratio": 4.0,  # fastest path's epoch at most this many times the arithmetic floor
    "playground_redraws": 10.0,  # redraws per second while the playground plays
    "playground_change_s": 0.5,  # a changed control to the new network on screen
    "test_minutes": 10.0,  # make test
    "table_minutes": 6.0,  # the book's table, one seed per row, on the fastest path
    "table_points": 0.5,  # each row's test accuracy within this many points of the book's
}

#: The two TensorFlow paths whose difference says when XLA pays (see :mod:`benchmarks.backends`).
LIGHT_PATH = f"tensorflow, {backends.NOTEBOOKS}"
XLA_PATH = f"tensorflow, {backends.NOTEBOOKS}, jit_compile"


def verdict(met):
    """'met' / 'not met' for a target (None: not measured)."""
    return "" if met is None else ("met" if met else "NOT met")


def markdown_table(headers, rows):
    """A Markdown table with columns padded to their widest cell."""
    cells = [[str(cell) for cell in headers]] + [[str(cell) for cell in row] for row in rows]
    if any(len(row) != len(headers) for row in cells):
        raise ValueError("every row needs one cell per header")
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row):
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths)) + " |"

    return "\n".join(
        [line(cells[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *(line(row) for row in cells[1:])]
    )


def seconds(value, digits=2):
    """A duration for the table: '1.23 s', '2 min 05 s' above two minutes."""
    if value is None:
        return "n/a"
    if value >= 120:
        minutes, rest = divmod(round(value), 60)
        return f"{minutes} min {rest:02d} s"
    return f"{value:.{digits}f} s"


def table_rows(results):
    """(figure, measured, target) rows for every part present in ``results``."""
    rows = []
    speed, floor = results.get("speed"), results.get("floor")
    latency, memory, tests = results.get("latency"), results.get("memory"), results.get("tests")
    if speed:
        book, ours = speed["book"], speed["notebooks"]
        images = f"{speed['train_images']:,} images"
        rows += [
            (
                f"Book's net ({images}), s/epoch: plain `model.fit`",
                f"{seconds(book['epoch_seconds'])} (CPU {seconds(book['epoch_cpu_seconds'])})",
                "",
            ),
            (
                "same net as the notebooks and panels train it (`steps_per_execution=64`)",
                f"{seconds(ours['epoch_seconds'])} (CPU {seconds(ours['epoch_cpu_seconds'])})",
                "",
            ),
            (
                f"speed-up, median of {speed['rounds']} paired runs",
                f"{speed['speedup']:.2f}x (CPU time {speed['speedup_cpu']:.2f}x)",
                f">= {TARGETS['speedup']}x: {verdict(speed['speedup'] >= TARGETS['speedup'])}",
            ),
            (
                f"test accuracy after {speed['epochs']} epochs, plain / notebooks",
                f"{100 * book['test_accuracy']:.2f}% / {100 * ours['test_accuracy']:.2f}%"
                + (" (identical training losses and all accuracies)" if speed.get("identical_accuracies") else ""),
                f"within {TARGETS['accuracy_points']} points: "
                + verdict(speed["accuracy_difference_points"] <= TARGETS["accuracy_points"]),
            ),
            (
                f"validation ({speed['validation_images']:,} images) within each epoch, plain / notebooks",
                f"{seconds(book['validation_seconds'])} / {seconds(ours['validation_seconds'])} "
                f"(CPU {seconds(book['validation_cpu_seconds'])} / {seconds(ours['validation_cpu_seconds'])})",
                "",
            ),
            (
                "first epoch (includes tracing and compiling the step), plain / notebooks",
                f"{seconds(book['first_epoch_seconds'])} / {seconds(ours['first_epoch_seconds'])}"
                + (
                    f" (CPU {seconds(book['first_epoch_cpu_seconds'])} / {seconds(ours['first_epoch_cpu_seconds'])})"
                    if "first_epoch_cpu_seconds" in book
                    else ""
                ),
                "",
            ),
        ]
    backends = results.get("backends")
    if backends:
        for name, figures in backends["paths"].items():
            if "error" in figures:
                rows.append((f"{name}: s/epoch", "failed (see JSON)", ""))
                continue
            target = ""
            if name == backends.get("fastest"):
                target = "the fastest path"
            rows.append(
                (
                    f"{name}: s/epoch (first epoch), test accuracy",
                    f"{seconds(figures['epoch_seconds'])} ({seconds(figures['first_epoch_seconds'], 1)}), "
                    f"{100 * figures['test_accuracy']:.2f}%: {figures['speedup']:.2f}x plain fit",
                    target,
                )
            )
        pays = xla_pays_after(backends["paths"])
        if pays:
            saved = pays["saved_per_epoch_seconds"]
            rows.append(
                (
                    "XLA on TensorFlow (`jit_compile`): extra first-epoch seconds; seconds saved per later epoch",
                    f"{seconds(pays['extra_first_epoch_seconds'])}; {seconds(saved)}: "
                    + (
                        f"pays after {pays['epochs']:.0f} epochs"
                        if pays["epochs"] is not None
                        else "slower per epoch too, never pays here"
                    ),
                    "decides `jit_compile` for the notebooks",
                )
            )
        fastest = backends["paths"].get(backends.get("fastest"), {})
        if floor and fastest:
            rows.append(
                (
                    "fastest path's epoch / arithmetic floor",
                    f"{fastest['epoch_seconds'] / floor['floor_seconds']:.1f}x",
                    f"<= {TARGETS['floor_ratio']:g}x: "
                    + verdict(fastest["epoch_seconds"] / floor["floor_seconds"] <= TARGETS["floor_ratio"]),
                )
            )
    if floor:
        per_core = floor.get("per_core_gflops", {}).get(floor["best_library"])
        rate = (
            f"{floor['cores']} cores x {per_core:.0f} GFLOP/s ({floor['best_library']})"
            if per_core
            else f"{floor['best_gflops']:.0f} GFLOP/s ({floor['best_library']})"
        )
        rows.append(
            (
                "arithmetic floor of that epoch (matrix products only)",
                f"{seconds(floor['floor_seconds'], 3)}: {floor['flops']['total'] / 1e9:.1f} GFLOP at {rate}",
                "",
            )
        )
        if speed:
            rows.append(
                (
                    "the notebooks' epoch / floor",
                    f"{speed['notebooks']['epoch_seconds'] / floor['floor_seconds']:.1f}x",
                    "",
                )
            )
    if latency:
        first, later, new = latency["first_run"], latency["later_same_network"], latency.get("new_network")

        def drawn(figures):
            return (
                f"{seconds(figures['first_epoch_drawn_seconds'])} "
                f"(CPU {seconds(figures['first_epoch_drawn_cpu_seconds'])})"
            )

        rows += [
            ("panel (`mlp_panel` defaults): Train -> first epoch drawn, first run", drawn(first), ""),
            (
                f"Train again, same network (median of {later['runs']})",
                drawn(later),
                f"<= {TARGETS['later_latency_s']:g} s: "
                + verdict(later["first_epoch_drawn_seconds"] <= TARGETS["later_latency_s"]),
            ),
        ]
        if new:
            rows.append(("Train after changing the units (a new network)", drawn(new), ""))
        if latency.get("redraw_seconds"):
            later_redraw = latency.get("later_redraw_seconds")
            rows.append(
                (
                    "one redraw of the live curves (PNG): a run's first (axes too) / a later one (curves)",
                    seconds(latency["redraw_seconds"]) + (f" / {seconds(later_redraw)}" if later_redraw else ""),
                    "",
                )
            )
        playground = latency.get("playground")
        if playground:
            rows += [
                (
                    f"playground, defaults ({playground['epochs_per_step']} epochs per step): redraws per second "
                    "while playing (headless)",
                    f"{playground['redraws_per_second']:.1f}",
                    f">= {TARGETS['playground_redraws']:g}: "
                    + verdict(playground["redraws_per_second"] >= TARGETS["playground_redraws"]),
                ),
                (
                    "playground: changed control -> new network on screen (reset + first step, headless)",
                    seconds(playground["change_to_screen_seconds"]),
                    f"<= {TARGETS['playground_change_s']:g} s: "
                    + verdict(playground["change_to_screen_seconds"] <= TARGETS["playground_change_s"]),
                ),
            ]
    if memory:
        for stem, figures in sorted(memory["notebooks"].items()):
            peak = figures.get("peak_rss_gb")
            state = "" if figures.get("ok") else " (failed: see JSON)"
            if figures.get("jax_installed"):
                state += " (JAX installed, which TensorFlow then imports too)"
            minutes = figures["seconds"] / 60
            rows.append(
                (
                    f"`{stem}` with default parameters: kernel's peak RSS, Run All time",
                    (f"{peak:.2f} GB" if peak is not None else "n/a") + f", {seconds(figures['seconds'])}" + state,
                    f"<= {TARGETS['kernel_memory_gb']} GB: "
                    + verdict(None if peak is None else peak <= TARGETS["kernel_memory_gb"])
                    + f"; <= {TARGETS['notebook_minutes']:g} min: "
                    + verdict(minutes <= TARGETS["notebook_minutes"]),
                )
            )
    table = results.get("table")
    if table:
        rows_in = sum(bool(row["reproduced"]) for row in table["rows"])
        rows.append(
            (
                f"the book's table, 1 seed per row, {table['backend']}, {table['jobs']} runs at a time "
                "(`make reproduce`)",
                f"{seconds(table['seconds'])}; {rows_in} of {len(table['rows'])} rows within "
                f"±{TARGETS['table_points']:g} points",
                f"<= {TARGETS['table_minutes']:g} min: "
                + verdict(table["exit_code"] == 0 and table["seconds"] <= 60 * TARGETS["table_minutes"])
                + "; every row: "
                + verdict(bool(table["rows"]) and rows_in == len(table["rows"])),
            )
        )
    if tests:
        rows.append(
            (
                f"`make test` ({tests['workers']} workers): {tests['outcome'] or 'no summary'}",
                seconds(tests["seconds"]),
                f"< {TARGETS['test_minutes']:g} min: "
                + verdict(tests["exit_code"] == 0 and tests["seconds"] < 60 * TARGETS["test_minutes"]),
            )
        )
    return rows


def xla_pays_after(paths):
    """When XLA's compile is won back on TensorFlow: its extra first-epoch seconds, the
    seconds it saves per later epoch (negative: it costs) and after how many epochs it
    pays (None: never). None if either path is missing."""
    light, xla = paths.get(LIGHT_PATH, {}), paths.get(XLA_PATH, {})
    if "epoch_seconds" not in light or "epoch_seconds" not in xla:
        return None
    extra = xla["first_epoch_seconds"] - light["first_epoch_seconds"]
    saved = light["epoch_seconds"] - xla["epoch_seconds"]
    return {
        "extra_first_epoch_seconds": extra,
        "saved_per_epoch_seconds": saved,
        "epochs": max(extra, 0) / saved if saved > 0 else None,
    }


def render(results):
    """The whole table as Markdown, with a line on when and where it was measured."""
    context = results.get("context", {})
    load = context.get("load_average")
    busy = f", load average {load[0]:.1f} at the start of the last run" if load else ""
    dates = sorted(
        results[part]["measured"]["date"]
        for part in results.get("parts_run", [])
        if isinstance(results.get(part), dict) and "date" in results[part].get("measured", {})
    )
    when = f"{dates[0]} to {dates[-1]}" if len(set(dates)) > 1 else context.get("date", "?")
    head = (
        f"Measured {when} on {context.get('cpus', '?')} CPU(s), "
        f"{context.get('machine', '?')}{busy}; parts: {', '.join(sorted(results.get('parts_run', [])))}. "
        "Seconds are wall-clock unless marked CPU (CPU seconds of the process, all threads)."
    )
    return head + "\n\n" + markdown_table(("figure", "measured", "target"), table_rows(results))


def context():
    """Where and when: enough to tell two result files apart."""
    import os

    return {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
        "machine": f"{platform.machine()} {platform.processor() or platform.system()}".strip(),
        "python": platform.python_version(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def merge_results(path, new_parts):
    """Results of earlier runs at ``path`` updated with ``new_parts`` (a dict part -> figures)."""
    path = Path(path)
    results = json.loads(path.read_text()) if path.exists() else {}
    if "notebooks" in new_parts.get("memory", {}):
        # A memory run of some notebooks (--notebooks) updates theirs and keeps the others'.
        earlier = results.get("memory", {}).get("notebooks", {})
        new_parts = {
            **new_parts,
            "memory": {**new_parts["memory"], "notebooks": {**earlier, **new_parts["memory"]["notebooks"]}},
        }
    results.update(new_parts)
    results["parts_run"] = sorted(set(results.get("parts_run", [])) | set(new_parts) - {"context"})
    return results


def save(path, results):
    """Write the results as JSON and the table next to them as Markdown."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    path.with_suffix(".md").write_text(render(results) + "\n")
    return path


#: The lines of README.md between which ``python -m benchmarks --readme`` writes the table.
README_START = "<!-- make bench: start -->"
README_END = "<!-- make bench: end -->"


def update_readme(path, results):
    """Write ``results``' table between :data:`README_START` and :data:`README_END` in ``path``.

    A run of some parts (``--parts memory``) replaces the rows it measured and keeps the
    table's other rows, under a line that says they come from the earlier run.

    Raises
    ------
    ValueError
        If ``path`` has no such section.
    """
    path = Path(path)
    text = path.read_text()
    if README_START not in text or README_END not in text:
        raise ValueError(f"{path} has no {README_START} ... {README_END} section to fill")
    head, rest = text.split(README_START, 1)
    old_section, tail = rest.split(README_END, 1)
    new_rows = table_rows(results)
    measured = {row[0] for row in new_rows}
    kept = [row for row in _table_rows_of(old_section) if row[0] not in measured]
    section = render(results)
    if kept:
        old_head = next((line for line in old_section.splitlines() if line.startswith("Measured ")), "")
        section = (
            section.split("\n\n", 1)[0]
            + (
                f" The rows of other parts are kept from the earlier run ({old_head[len('Measured ') :]})"
                if old_head
                else ""
            )
            + "\n\n"
            + markdown_table(("figure", "measured", "target"), [*new_rows, *kept])
        )
    path.write_text(f"{head}{README_START}\n{section}\n{README_END}{tail}")
    return path


def _table_rows_of(section):
    """The body rows of the Markdown table in ``section``: lists of stripped cells."""
    lines = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[2:]]
