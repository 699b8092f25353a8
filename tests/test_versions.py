"""The supported version window (helpers.core.versions): the check of installed versions, and the
places that must agree with it (pyproject's dependencies, the oldest and the runtime locks' inputs)."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from helpers.core import versions

ROOT = Path(__file__).resolve().parents[1]
INSIDE = {"python": "3.11.7", "tensorflow": "2.21.0", "keras": "3.15.1", "ipywidgets": "8.1.9"}


def floor(package):
    return next(
        spec.version for spec in Requirement(f"x{versions.SUPPORTED[package]}").specifier if spec.operator == ">="
    )


def test_inside_the_window_there_is_no_problem():
    assert versions.problems(INSIDE) == []


@pytest.mark.parametrize(
    "package, version, side",
    [
        ("keras", "3.13.0", "older than"),
        ("keras", "2.15.0", "older than"),
        ("keras", "4.0.0", "newer than"),
        ("tensorflow", "2.17.1", "older than"),
        ("ipywidgets", "7.7.1", "older than"),
        ("ipywidgets", "9.0.0", "newer than"),
        ("python", "3.10.12", "older than"),
        ("python", "3.14.0", "newer than"),
    ],
)
def test_outside_the_window_one_line_names_package_version_range_and_what_to_do(package, version, side):
    found = versions.problems({**INSIDE, package: version})
    assert [problem.package for problem in found] == [package]
    line = found[0].line
    assert f"{package} {version} is {side} the tested range {versions.SUPPORTED[package]}" in line
    assert "\n" not in line and "make lab" in line
    assert not found[0].breaks_import


def test_on_colab_the_advice_is_a_pip_install_of_the_range_then_a_restart():
    line = versions.problems({**INSIDE, "keras": "3.10.0"}, on_colab=True)[0].line
    assert f'%pip install "keras{versions.SUPPORTED["keras"]}"' in line and "Restart session" in line


def test_the_floor_itself_is_inside_and_just_below_it_is_not():
    for package in versions.SUPPORTED:
        assert versions.problems({**INSIDE, package: floor(package)}) == [], package
        major, minor = (int(part) for part in floor(package).split(".")[:2])
        below = f"{major}.{minor - 1}.99" if minor else f"{major - 1}.99"
        assert [problem.package for problem in versions.problems({**INSIDE, package: below})] == [package]


@pytest.mark.parametrize(
    "version, inside",
    [
        ("2.19.0rc1", True),  # a release candidate of a version inside the window
        ("2.18.0rc0", False),  # comes before 2.18.0, the floor
        ("2.21.0.dev20260101", True),
        ("2.18.0+cu121", True),  # a local build label
        ("3.0.0rc1", False),  # a pre-release of the excluded 3.0
    ],
)
def test_pre_releases_and_development_versions(version, inside):
    found = versions.problems({**INSIDE, "tensorflow": version})
    assert (found == []) is inside, [problem.line for problem in found]


def test_keras_dev_builds_below_the_floor_are_older():
    line = versions.problems({**INSIDE, "keras": "3.9.0.dev2025"})[0].line
    assert "keras 3.9.0.dev2025 is older than" in line


def test_a_missing_package_breaks_import_and_says_what_is_needed():
    found = versions.problems({key: value for key, value in INSIDE.items() if key != "keras"})
    assert [(problem.package, problem.installed, problem.breaks_import) for problem in found] == [("keras", None, True)]
    assert f"keras is not installed; these notebooks need keras{versions.SUPPORTED['keras']}" in found[0].line


def test_a_version_that_is_not_a_version_number_is_named_and_does_not_break():
    found = versions.problems({**INSIDE, "ipywidgets": "unknown"})
    assert len(found) == 1 and not found[0].breaks_import
    assert "ipywidgets reports version 'unknown', which is not a version number" in found[0].line


def test_warn_prints_one_line_per_problem_and_nothing_inside(capsys):
    assert versions.warn_if_unsupported(INSIDE, on_colab=False) is None  # a cell ending with the call shows nothing
    assert capsys.readouterr().out == ""
    outside = {**INSIDE, "keras": "3.10.0", "tensorflow": "2.17.0"}
    versions.warn_if_unsupported(outside, on_colab=False)
    found = versions.problems(outside)
    assert capsys.readouterr().out.splitlines() == [problem.line for problem in found] and len(found) == 2


def test_warn_raises_after_printing_when_a_package_is_missing(capsys):
    with pytest.raises(ImportError, match="tensorflow is not installed"):
        versions.warn_if_unsupported({**INSIDE, "tensorflow": None}, on_colab=False)
    assert "tensorflow is not installed" in capsys.readouterr().out


def test_the_installed_versions_are_read_without_importing_tensorflow_or_keras():
    script = (
        "import sys; from helpers.core import versions; found = versions.installed_versions(); "
        "print(sorted(found) == sorted(versions.SUPPORTED), all(found.values()), "
        "'tensorflow' in sys.modules or 'keras' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "True", "False"]


# --- one window, written once: the places that must agree with versions.SUPPORTED ---------------------


def test_pyproject_requires_the_window():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == versions.SUPPORTED["python"]
    required = {}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        name = {"tensorflow-cpu": "tensorflow"}.get(requirement.name, requirement.name)
        required.setdefault(name, set()).add(str(requirement.specifier))
    expected = {
        name: {str(Requirement(f"x{allowed}").specifier)}
        for name, allowed in versions.SUPPORTED.items()
        if name != "python"
    }
    assert required == expected


def pins(path):
    """Package -> pinned version of a requirements .in file (environment markers ignored)."""
    found = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", line)
        if match:
            found[{"tensorflow-cpu": "tensorflow"}.get(match[1], match[1])] = match[2]
    return found


def test_the_oldest_lock_pins_each_floor():
    oldest = pins(ROOT / "requirements" / "oldest.in")
    for package in ("tensorflow", "keras", "ipywidgets"):
        assert oldest[package].startswith(floor(package) + "."), (package, oldest[package], floor(package))


def test_the_runtime_lock_is_inside_the_window():
    runtime = pins(ROOT / "requirements" / "runtime.in")
    found = versions.problems(
        {"python": "3.11.0", **{package: runtime[package] for package in ("tensorflow", "keras", "ipywidgets")}}
    )
    assert found == [], [problem.line for problem in found]


def test_make_test_oldest_uses_the_floor_python():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(rf"^OLDEST_PYTHON +\?= python{re.escape(floor('python'))}$", makefile, re.M)


def test_the_oldest_lock_holds_its_inputs_pins():
    wanted = pins(ROOT / "requirements" / "oldest.in")
    locked = pins(ROOT / "requirements" / "oldest.txt")
    assert {package: locked.get(package) for package in wanted} == wanted, "run `make lock`"
