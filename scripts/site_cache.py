"""The website's executed notebooks, cached: a notebook runs again only when what it depends on changed.

Each notebook is executed by papermill into ``CACHE/<stem>.ipynb`` with ``CACHE/<stem>.key`` beside it.
The key is a SHA-256 over the notebook's bytes, every file of ``helpers/`` (the package the notebooks
import), the runtime lock (the versions they run on) and the parameters. ``make site`` after editing one
notebook therefore executes that one; after editing ``helpers/`` or the lock, all of them.
"""

import hashlib
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = ROOT / "notebooks"
HELPERS_DIR = ROOT / "helpers"
RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
TEST_PARAMETERS_DIR = ROOT / "tests" / "notebook_parameters"
#: The parameter sets a site can be built with.
PARAMETER_SETS = ("reference", "test")
#: Changes when the way notebooks are executed changes, so old cache entries stop matching.
EXECUTOR_VERSION = "1"


def chapter_notebooks(folder=NOTEBOOKS_DIR):
    """The chapter's notebooks, ``NN_topic.ipynb``, in order.

    Parameters
    ----------
    folder : path-like
        Where they are.

    Returns
    -------
    list of pathlib.Path
    """
    return sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))


def notebook_parameters(notebook, parameter_set):
    """The parameters a notebook is executed with for the site.

    Parameters
    ----------
    notebook : path-like
        The notebook.
    parameter_set : str
        ``"reference"``: none (the notebook's own defaults, which the text describes); ``"test"``: the small
        ones of ``tests/notebook_parameters/<stem>.yaml`` (none when the notebook has no such file).

    Returns
    -------
    dict
        Parameter name -> value.
    """
    if parameter_set not in PARAMETER_SETS:
        raise ValueError(f"parameter set {parameter_set!r} is not one of {', '.join(PARAMETER_SETS)}")
    if parameter_set == "reference":
        return {}
    path = TEST_PARAMETERS_DIR / f"{Path(notebook).stem}.yaml"
    return (yaml.safe_load(path.read_text()) or {}) if path.exists() else {}


def _digest_files(digest, paths, root):
    for path in paths:
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")


def dependencies_digest(helpers_dir=HELPERS_DIR, lock=RUNTIME_LOCK):
    """SHA-256 of every file of ``helpers/`` (no byte code) and of the runtime lock.

    Parameters
    ----------
    helpers_dir : path-like
        The package the notebooks import.
    lock : path-like
        The lock file of the versions they run on.

    Returns
    -------
    str
        Hex digest.
    """
    helpers_dir, lock = Path(helpers_dir), Path(lock)
    files = sorted(
        path
        for path in helpers_dir.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )
    digest = hashlib.sha256()
    _digest_files(digest, files, helpers_dir.parent)
    digest.update(lock.read_bytes())
    return digest.hexdigest()


def cache_key(notebook, parameters, dependencies):
    """The key of one executed notebook: its bytes, its parameters and :func:`dependencies_digest`.

    Parameters
    ----------
    notebook : path-like
        The notebook's source.
    parameters : dict
        What papermill injects.
    dependencies : str
        :func:`dependencies_digest`.

    Returns
    -------
    str
        Hex digest.
    """
    digest = hashlib.sha256(EXECUTOR_VERSION.encode() + b"\0")
    digest.update(Path(notebook).read_bytes() + b"\0")
    digest.update(json.dumps(parameters, sort_keys=True).encode() + b"\0")
    digest.update(dependencies.encode())
    return digest.hexdigest()


def cached(notebook, cache_dir, key):
    """True if ``cache_dir`` holds ``notebook`` executed under ``key``."""
    stem = Path(notebook).stem
    key_file, executed = Path(cache_dir) / f"{stem}.key", Path(cache_dir) / f"{stem}.ipynb"
    return executed.exists() and key_file.exists() and key_file.read_text().strip() == key


def execute(notebook, cache_dir, parameters, key):
    """Execute one notebook with papermill into the cache; the key is written last, on success.

    Parameters
    ----------
    notebook : path-like
        The notebook's source.
    cache_dir : path-like
        The cache folder.
    parameters : dict
        Injected by papermill.
    key : str
        :func:`cache_key`, written beside the executed notebook once it ran to the end.

    Returns
    -------
    float
        Wall seconds.
    """
    import papermill

    notebook, cache_dir = Path(notebook), Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    key_file, partial = cache_dir / f"{notebook.stem}.key", cache_dir / f"{notebook.stem}.partial.ipynb"
    key_file.unlink(missing_ok=True)
    start = time.monotonic()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    papermill.execute_notebook(
        str(notebook),
        str(partial),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(notebook.parent),
    )
    os.replace(partial, cache_dir / f"{notebook.stem}.ipynb")
    key_file.write_text(key + "\n")
    return time.monotonic() - start


def execute_changed(notebooks, cache_dir, parameter_set, jobs=1, say=print):
    """Execute the notebooks whose cache entry is missing or stale, ``jobs`` at a time.

    Parameters
    ----------
    notebooks : list of path-like
        The notebooks of the site.
    cache_dir : path-like
        The cache folder (one per parameter set).
    parameter_set : str
        One of :data:`PARAMETER_SETS`.
    jobs : int
        Notebooks executed at once, each in its own process (and kernel).
    say : callable
        Where progress lines go.

    Returns
    -------
    dict
        Stem -> seconds spent executing it (only the notebooks that ran).

    Raises
    ------
    RuntimeError
        If a notebook failed; names it and papermill's error. The others still finish.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be a whole number >= 1, got {jobs!r}")
    dependencies = dependencies_digest()
    todo = []
    for notebook in notebooks:
        parameters = notebook_parameters(notebook, parameter_set)
        key = cache_key(notebook, parameters, dependencies)
        if cached(notebook, cache_dir, key):
            say(f"cached   {Path(notebook).name}")
        else:
            todo.append((notebook, parameters, key))
    timings, failures = {}, []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {
            Path(notebook).stem: pool.submit(execute, notebook, cache_dir, parameters, key)
            for notebook, parameters, key in todo
        }
        for stem, future in futures.items():
            try:
                timings[stem] = future.result()
                say(f"executed {stem}.ipynb in {timings[stem]:.0f} s")
            except Exception as error:  # a failing cell: name the notebook, finish the others
                failures.append(f"{stem}.ipynb: {type(error).__name__}: {error}")
    if failures:
        raise RuntimeError(
            "notebooks that failed (their partial output is in "
            f"{cache_dir}/<name>.partial.ipynb):\n" + "\n".join(failures)
        )
    return timings
