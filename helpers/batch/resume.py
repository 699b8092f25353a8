"""What earlier invocations left in a results folder: runs finished, stale, torn or interrupted.

Running the same batch again skips finished runs: :func:`survey` sorts a batch's
runs by what their folders hold (:func:`helpers.batch.records.run_state`) and
by the code version that recorded them (:func:`helpers.batch.code_version.code_version`).
"""

from dataclasses import dataclass, field
from pathlib import Path

from helpers.batch import records
from helpers.batch.code_version import code_version
from helpers.batch.execution import run_name


@dataclass
class Resume:
    """The runs of a batch sorted by what an earlier invocation left of them.

    Attributes
    ----------
    kept : list of Run
        Finished runs that are not run again (stale ones too, unless ``rerun_stale``).
    todo : list of Run
        Runs to execute, in plan order.
    torn : list of (Run, str)
        Runs whose record or metrics are missing, unreadable or incomplete, with why.
    interrupted, changed, stale : list of Run
        Runs left ``running`` by a runner that stopped; finished with other
        parameters; finished by another code version.
    rerun_stale : bool
        True if the stale runs are run again (they are then in ``todo``).
    code_versions : dict
        The current code version of each notebook folder.
    """

    kept: list = field(default_factory=list)
    todo: list = field(default_factory=list)
    torn: list = field(default_factory=list)
    interrupted: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    stale: list = field(default_factory=list)
    rerun_stale: bool = False
    code_versions: dict = field(default_factory=dict)

    def label(self, run):
        """What a resumed batch does with ``run``.

        Parameters
        ----------
        run : helpers.batch.runplan.Run

        Returns
        -------
        str
            ``"done"``, ``"stale"`` (finished by other code, kept) or ``"to run"``.
        """
        if run in self.todo:
            return "to run"
        return "stale" if run in self.stale else "done"

    def notes(self):
        """Lines that say which runs run again and why, and which finished runs are stale.

        Returns
        -------
        list of str
            One line per kind of run (torn, interrupted, changed, stale), naming
            the first few runs; empty if every run is new or finished.
        """
        lines = []
        if self.torn:
            lines.append(
                f"re-running {len(self.torn)} run(s) with torn or unreadable records: "
                + _first_few([f"{run_name(run)} ({why})" for run, why in self.torn])
            )
        if self.interrupted:
            lines.append(
                f"re-running {len(self.interrupted)} run(s) left 'running' by a runner that "
                "stopped or was killed: " + _first_few([run_name(run) for run in self.interrupted])
            )
        if self.changed:
            lines.append(
                f"re-running {len(self.changed)} run(s) whose parameters changed since they ran: "
                + _first_few([run_name(run) for run in self.changed])
            )
        if self.stale:
            plans = {}
            for run in self.stale:
                plans[run.plan] = plans.get(run.plan, 0) + 1
            counts = ", ".join(f"{plan}: {count}" for plan, count in plans.items())
            current = ", ".join(sorted({version for version in self.code_versions.values() if version}))
            if self.rerun_stale:
                lines.append(
                    f"re-running {len(self.stale)} finished run(s) recorded by another code version "
                    f"({counts}; this code is {current}), as --rerun-stale asks"
                )
            else:
                lines.append(
                    f"{len(self.stale)} finished run(s) were recorded by another code version "
                    f"({counts}; this code is {current}); kept: --rerun-stale runs them again"
                )
        return lines


def _first_few(items, limit=5):
    """The first ``limit`` items joined by commas, then "and N more"."""
    text = ", ".join(items[:limit])
    return text + (f" and {len(items) - limit} more" if len(items) > limit else "")


def survey(runs, results_dir, rerun_stale=False):
    """Sort ``runs`` by what the results folder holds of them.

    Parameters
    ----------
    runs : list of helpers.batch.runplan.Run
    results_dir : str or Path
        The results folder (each run's folder is ``<results_dir>/<plan>/<run-id>/``).
    rerun_stale : bool
        Put finished runs recorded by another code version in ``todo`` too.

    Returns
    -------
    Resume
        Which runs are kept, which run (again), and why.
    """
    resume = Resume(rerun_stale=rerun_stale)
    for run in runs:
        state = records.run_state(run.folder(results_dir), run.parameters)
        if state.finished:
            notebook_folder = str(Path(run.notebook).parent)
            if notebook_folder not in resume.code_versions:
                resume.code_versions[notebook_folder] = code_version(notebook_folder)
            current = resume.code_versions[notebook_folder]
            recorded = state.record.get("code_version")
            if recorded and current and recorded != current:
                resume.stale.append(run)
                if rerun_stale:
                    resume.todo.append(run)
                    continue
            resume.kept.append(run)
            continue
        resume.todo.append(run)
        if state.state == records.TORN:
            resume.torn.append((run, state.detail))
        elif state.state == records.INTERRUPTED:
            resume.interrupted.append(run)
        elif state.state == records.CHANGED:
            resume.changed.append(run)
    return resume
