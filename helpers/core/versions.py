"""The versions of Python, TensorFlow, Keras and ipywidgets the notebooks are tested with, and a check of them.

:data:`SUPPORTED` is the one place the window is written: pyproject.toml's
dependencies, requirements/oldest.in (the floor, tested by ``make test-oldest``)
and requirements/runtime.in (the newest, tested by ``make test``) are tied to it
by tests/test_versions.py. The first cell of every notebook calls
:func:`warn_if_unsupported`, which reads the installed versions from the
packages' metadata (nothing is imported, so it costs milliseconds) and prints
one line per package outside the window. Colab, for one, upgrades its packages
under the notebooks.
"""

import platform
import sys
from dataclasses import dataclass
from importlib import metadata

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

#: Package -> the versions the notebooks run with and teach the same lessons (PEP 440 ranges).
#: Each floor is the oldest version run with the unit tests and every notebook that `make test-oldest`
#: keeps testing; README, "Supported versions", says what was run below them and what failed.
SUPPORTED = {
    "python": ">=3.11,<3.14",
    "tensorflow": ">=2.18,<3",
    "keras": ">=3.14,<4",
    "ipywidgets": ">=8.1,<9",
}

#: The distributions that install a package: TensorFlow's CPU-only build has a name of its own.
DISTRIBUTIONS = {"tensorflow": ("tensorflow", "tensorflow-cpu")}


@dataclass(frozen=True)
class Problem:
    """A package outside the supported window: what is installed, what is supported, what to do."""

    package: str
    installed: str | None  # None: not installed
    supported: str
    line: str  # the one line shown to the learner
    breaks_import: bool  # the notebook's imports will fail (the package is missing)


def installed_versions():
    """The installed version of Python and of each package of :data:`SUPPORTED`.

    Read from the packages' metadata: nothing is imported. Of a package installed
    under several names (``tensorflow``, ``tensorflow-cpu``), the first one found.

    Returns
    -------
    dict
        ``"python"`` and each package -> its version text, None when missing.
    """
    found = {"python": platform.python_version()}
    for package in SUPPORTED:
        if package == "python":
            continue
        found[package] = None
        for distribution in DISTRIBUTIONS.get(package, (package,)):
            try:
                found[package] = metadata.version(distribution)
                break
            except metadata.PackageNotFoundError:
                continue
    return found


def _advice(package, supported, on_colab):
    if package == "python":
        if on_colab:
            return "Colab's Python cannot be changed; the notebooks may fail"
        return "make the environment again with a supported Python: rm -rf .venv, then make lab PYTHON=python3.12"
    if on_colab:
        return f'run %pip install "{package}{supported}" in a cell, then Runtime > Restart session and run again'
    return "start JupyterLab with make lab in the project folder: its .venv holds the tested versions"


def problems(installed, supported=None, on_colab=False):
    """The packages of ``installed`` whose version is outside ``supported`` (default :data:`SUPPORTED`).

    Parameters
    ----------
    installed : dict
        Package name -> installed version string, or None when the package is missing
        (as :func:`installed_versions` returns). Versions compare as PEP 440 orders
        them: ``2.19.0rc1`` is inside ``>=2.18,<3``; ``2.18.0rc0`` and, against
        ``>=3.14``, ``3.9.0.dev2025`` are below.
    supported : dict, optional
        Package name -> PEP 440 range such as ``">=3.14,<4"``.
    on_colab : bool
        Whether the advice is for Colab (``%pip install``) or a local checkout (``make lab``).

    Returns
    -------
    list of Problem
        One per package that is missing, outside its range, or has a version that cannot
        be read; empty when everything is inside the window. Packages of ``supported``
        absent from ``installed`` count as missing.
    """
    supported = SUPPORTED if supported is None else supported
    found = []
    for package, allowed in supported.items():
        version = installed.get(package)
        advice = _advice(package, allowed, on_colab)
        if version is None:
            found.append(
                Problem(
                    package,
                    None,
                    allowed,
                    f"{package} is not installed; these notebooks need {package}{allowed}: {advice}.",
                    breaks_import=True,
                )
            )
            continue
        try:
            parsed = Version(version)
        except InvalidVersion:
            found.append(
                Problem(
                    package,
                    version,
                    allowed,
                    f"{package} reports version {version!r}, which is not a version number, so it "
                    f"cannot be checked against the tested range {allowed}: {advice}.",
                    breaks_import=False,
                )
            )
            continue
        if not SpecifierSet(allowed).contains(parsed, prereleases=True):
            found.append(
                Problem(
                    package,
                    version,
                    allowed,
                    f"{package} {version} is {_side(parsed, allowed)} the tested range {allowed}: {advice}.",
                    breaks_import=False,
                )
            )
    return found


def _side(version, allowed):
    """ "older than" or "newer than" the range ``allowed``, or "outside" it (an excluded version)."""

    def fails(operators):
        return any(
            not spec.contains(version, prereleases=True) for spec in SpecifierSet(allowed) if spec.operator in operators
        )

    if fails((">=", ">")):
        return "older than"
    return "newer than" if fails(("<", "<=")) else "outside"


def warn_if_unsupported(installed=None, on_colab=None):
    """Print one line per package outside the tested window; nothing when all are inside.

    Parameters
    ----------
    installed : dict, optional
        Package name -> version (default: :func:`installed_versions`).
    on_colab : bool, optional
        Whether to advise for Colab (default: whether ``google.colab`` is imported).

    Returns
    -------
    None
        Nothing, so that a notebook cell ending with the call shows nothing either.

    Raises
    ------
    ImportError
        After printing, when a package is missing: the notebook's imports would fail anyway.
    """
    installed = installed_versions() if installed is None else installed
    on_colab = "google.colab" in sys.modules if on_colab is None else on_colab
    found = problems(installed, on_colab=on_colab)
    for problem in found:
        print(problem.line)
    missing = [problem.line for problem in found if problem.breaks_import]
    if missing:
        raise ImportError("\n".join(missing))
