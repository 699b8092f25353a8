"""The environment: one list of pins, locks compiled from it, and every way of installing them.

requirements/runtime.in (direct runtime dependencies), cluster.in, dev.in and jax.in (on top) are
the inputs; `make lock` compiles them into requirements/runtime.txt, cluster.txt, dev.txt and
jax.txt, each with every transitive pin, for Linux, macOS and Windows at once. `make lab`, Binder
and environment.yml install the runtime lock; `make test` adds the dev lock; whatever runs on
Keras' JAX backend adds the jax lock.

Offline, the tests check that each lock holds its inputs' pins (so a pin edited without
`make lock` fails), that each lock keeps the pins of the one below, and that the running
environment is the locked one. With the package index reachable (CI reaches it), they also
compile the locks again and compare, and check that every pin has a wheel on the platforms CI
does not run on (macOS arm64, Linux aarch64, Windows). Without the index those skip, saying so.
"""

import os
import re
import shutil
import subprocess
import sys
import tomllib
import urllib.request
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
import yaml
from packaging.markers import Marker, default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements"
#: Each lock and the input it is compiled from, from the bottom up. The oldest lock is dev.in's packages
#: with oldest.in's pins in their place (`make lock`'s --override): oldest.in's pins are what it must hold.
LOCKS = {
    "runtime.txt": "runtime.in",
    "cluster.txt": "cluster.in",
    "dev.txt": "dev.in",
    "jax.txt": "jax.in",
    "site.txt": "site.in",
    "oldest.txt": "oldest.in",
}
SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13")


# --- reading the files ---------------------------------------------------------------------------


def read_inputs(path):
    """The requirements of an input file and of the files it includes with ``-r``."""
    found = []
    for line in Path(path).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            found += read_inputs(Path(path).parent / line[3:].strip())
        elif line:
            found.append(Requirement(line))
    return found


def read_lock(path):
    """``[(name, version, marker or None)]`` of a lock's ``name==version ; marker`` lines."""
    entries = []
    for line in Path(path).read_text().splitlines():
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._\-]*)==(\S+?)\s*(?:;\s*(.+))?", line.strip())
        if match and not line.startswith((" ", "#")):
            entries.append((canonicalize_name(match.group(1)), match.group(2), match.group(3)))
    return entries


#: A recent release of each supported Python (markers and Requires-Python may name patch releases).
FULL_VERSIONS = {"3.11": "3.11.9", "3.12": "3.12.8", "3.13": "3.13.1"}


def environment(system, machine, python):
    """Marker values of a CPython ``python`` ("3.12") on a platform."""
    full = FULL_VERSIONS[python]
    sys_platform = {"Linux": "linux", "Darwin": "darwin", "Windows": "win32"}[system]
    return {
        "sys_platform": sys_platform,
        "platform_system": system,
        "platform_machine": machine,
        "os_name": "nt" if system == "Windows" else "posix",
        "python_version": python,
        "python_full_version": full,
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_version": "",
        "implementation_version": full,
    }


#: Where learners are: the platforms TensorFlow 2.21 has wheels for.
PLATFORMS = {
    "Linux x86-64": ("Linux", "x86_64"),
    "Linux aarch64": ("Linux", "aarch64"),
    "macOS arm64": ("Darwin", "arm64"),
    "Windows x86-64": ("Windows", "AMD64"),
}
ENVIRONMENTS = {
    f"{name}, Python {python}": environment(*platform, python)
    for name, platform in PLATFORMS.items()
    for python in SUPPORTED_PYTHONS
}


def applies(marker, env):
    return marker is None or Marker(marker).evaluate(env)


def locked_versions(entries, env):
    """name -> version of the lock entries that apply in ``env``."""
    chosen = {}
    for name, pinned, marker in entries:
        if applies(marker, env):
            assert name not in chosen, f"{name} is locked twice for {env['sys_platform']} {env['python_full_version']}"
            chosen[name] = pinned
    return chosen


# --- the locks hold their inputs -----------------------------------------------------------------


@pytest.mark.parametrize("lock", LOCKS)
def test_every_direct_pin_is_in_its_lock_on_every_platform(lock):
    requirements = read_inputs(REQUIREMENTS / LOCKS[lock])
    entries = read_lock(REQUIREMENTS / lock)
    assert entries, f"requirements/{lock} pins nothing"
    for requirement in requirements:
        specifiers = list(requirement.specifier)
        assert len(specifiers) == 1 and specifiers[0].operator == "==", (
            f"requirements/{LOCKS[lock]}: pin {requirement.name} exactly (name==version)"
        )
        name, pinned = canonicalize_name(requirement.name), specifiers[0].version
        for label, env in ENVIRONMENTS.items():
            locked = locked_versions(entries, env).get(name)
            wanted = pinned if requirement.marker is None or requirement.marker.evaluate(env) else None
            if wanted is not None:
                assert locked == wanted, (
                    f"requirements/{lock} has {name} {locked} for {label}, but "
                    f"requirements/{LOCKS[lock]} pins {pinned}: run `make lock`"
                )


def test_tensorflow_is_the_cpu_build_where_there_is_one():
    entries = read_lock(REQUIREMENTS / "runtime.txt")
    for label, env in ENVIRONMENTS.items():
        locked = locked_versions(entries, env)
        build = "tensorflow-cpu" if label.startswith(("Linux x86-64", "Windows")) else "tensorflow"
        other = ({"tensorflow", "tensorflow-cpu"} - {build}).pop()
        assert locked.get(build) == "2.21.0" and other not in locked, (
            f"{label}: expected {build} 2.21.0 only, locked {build}={locked.get(build)} {other}={locked.get(other)}"
        )


@pytest.mark.parametrize("lower, upper", [("runtime.txt", "cluster.txt"), ("cluster.txt", "dev.txt")])
def test_each_lock_keeps_the_pins_of_the_lock_below(lower, upper):
    below = set(read_lock(REQUIREMENTS / lower))
    missing = below - set(read_lock(REQUIREMENTS / upper))
    assert not missing, f"requirements/{upper} changes pins of requirements/{lower}: {sorted(missing)[:5]}"


@pytest.mark.parametrize("label, env", ENVIRONMENTS.items(), ids=list(ENVIRONMENTS))
def test_the_jax_lock_installs_on_top_of_the_dev_environment(label, env):
    """Every package both locks name has one version: `make test-jax` adds jax.txt to the dev environment."""
    dev = locked_versions(read_lock(REQUIREMENTS / "dev.txt"), env)
    jax = locked_versions(read_lock(REQUIREMENTS / "jax.txt"), env)
    differ = {name: (dev[name], jax[name]) for name in dev.keys() & jax.keys() if dev[name] != jax[name]}
    assert not differ, f"{label}: dev.txt and jax.txt disagree (dev, jax): {differ}"
    assert {"jax", "jaxlib"} <= jax.keys(), f"{label}: the jax lock has no JAX"


def test_jax_is_only_in_the_jax_lock():
    """TensorFlow imports JAX whenever it is installed: the runtime (and the tests' environment) stays without it."""
    for lock in ("runtime.txt", "cluster.txt", "dev.txt"):
        names = {name for name, _, _ in read_lock(REQUIREMENTS / lock)}
        assert not {"jax", "jaxlib"} & names, f"requirements/{lock} installs JAX: it belongs in requirements/jax.in"


def test_dask_is_only_in_the_cluster_and_dev_locks():
    runtime = {name for name, _, _ in read_lock(REQUIREMENTS / "runtime.txt")}
    cluster = {name for name, _, _ in read_lock(REQUIREMENTS / "cluster.txt")}
    assert not {"dask", "distributed"} & runtime, "the runtime needs no Dask: it is the cluster extra"
    assert {"dask", "distributed"} <= cluster


def test_no_test_tool_in_the_runtime_lock():
    runtime = {name for name, _, _ in read_lock(REQUIREMENTS / "runtime.txt")}
    tools = {canonicalize_name(r.name) for r in read_inputs(REQUIREMENTS / "dev.in")} - {
        canonicalize_name(r.name) for r in read_inputs(REQUIREMENTS / "cluster.in")
    }
    assert tools and not tools & runtime, f"test tools in the runtime lock: {sorted(tools & runtime)}"


def test_python_versions_agree():
    """pyproject's requires-python, the Makefile's choice of interpreter and Binder's Python."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11,<3.14"
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^SUPPORTED_PYTHONS := 3\.11 3\.12 3\.13$", makefile, re.M)
    assert re.search(r"^PYTHON_CANDIDATES := python3\.11 ", makefile, re.M), "Python 3.11 stays the default"
    assert "--python-version 3.11" in makefile, "the locks are compiled from the lowest supported Python"
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


# --- every way of installing takes the locks -----------------------------------------------------


def test_binder_and_conda_install_the_runtime_lock():
    binder = [
        line
        for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert binder == ["-r ../requirements/runtime.txt"], "Binder installs the runtime lock, nothing else"
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    assert "python=3.11" in conda and "pip" in conda
    assert next(item["pip"] for item in conda if isinstance(item, dict)) == ["-r requirements/runtime.txt"]


def test_make_installs_the_locks_and_nothing_else():
    makefile = (ROOT / "Makefile").read_text()
    locks = dict(re.findall(r"^([A-Z]+_LOCK) *:= *requirements/(\S+)$", makefile, re.M))
    assert set(locks.values()) == set(LOCKS), f"the Makefile's locks {locks} are not the locks {sorted(LOCKS)}"
    installs = re.findall(r"pip install [^\n]*", makefile)
    for line in installs:
        lock = re.search(r"--no-deps -r \$\(([A-Z]+_LOCK)\)", line)
        assert (lock and lock.group(1) in locks) or re.search(
            r"--no-deps --no-build-isolation -e \.|--upgrade pip", line
        ), f"the Makefile installs something unlocked: {line}"
    assert not (ROOT / "requirements-dev.txt").exists(), "requirements/dev.in replaced requirements-dev.txt"


def test_installed_versions_are_the_locked_ones():
    """The environment running the tests is the dev lock, on this platform and Python."""
    env = default_environment()
    wrong = []
    for name, pinned in locked_versions(read_lock(REQUIREMENTS / "dev.txt"), env).items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            wrong.append(f"{name}: installed {installed}, locked {pinned}")
    assert not wrong, "not the locked environment (`make test` reinstalls it):\n" + "\n".join(wrong)


# --- with the package index ----------------------------------------------------------------------

#: The index uv asks (its default unless the environment names another).
INDEX = (os.environ.get("UV_DEFAULT_INDEX") or os.environ.get("UV_INDEX_URL") or "https://pypi.org/simple").rstrip("/")


def index_reachable():
    try:
        with urllib.request.urlopen(f"{INDEX}/pip/", timeout=15) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def package_index():
    if not index_reachable():
        pytest.skip(f"the package index ({INDEX}) is unreachable: these checks need it (CI reaches it)")
    return INDEX


NETWORK_FAILURE = re.compile(
    r"failed to fetch|error sending request|dns error|timed out|connection (refused|reset)"
    r"|network|could not connect",
    re.I,
)


@pytest.mark.network
def test_locks_are_what_make_lock_compiles(package_index, uv, tmp_path):
    """`make lock` in a copy gives the committed locks, byte for byte.

    Only releases published before the Makefile's LOCK_DATE count, so a release since then
    changes nothing; a release yanked since, or an edited input, does (then run `make lock`).
    """
    (tmp_path / "requirements").mkdir()
    for path in REQUIREMENTS.glob("*.in"):
        shutil.copy(path, tmp_path / "requirements" / path.name)
    result = subprocess.run(
        ["make", "-s", "-C", str(tmp_path), "-f", str(ROOT / "Makefile"), "lock-files", f"UV={uv}"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0 and NETWORK_FAILURE.search(result.stderr):
        pytest.skip(f"the package index did not answer uv: {result.stderr.strip()[-300:]}")
    assert result.returncode == 0, f"make lock-files failed:\n{result.stdout}\n{result.stderr[-3000:]}"
    changed = []
    for lock in LOCKS:
        compiled = (tmp_path / "requirements" / lock).read_text()
        if compiled != (REQUIREMENTS / lock).read_text():
            moved = upstream_changes(REQUIREMENTS / lock, tmp_path / "requirements" / lock)
            changed.append(f"requirements/{lock}: " + (moved or "same pins, other text"))
    assert not changed, (
        "the package index now compiles other locks (run `make lock` and commit, or keep "
        "the locks if they still install):\n" + "\n".join(changed)
    )


def upstream_changes(committed, compiled):
    """'name committed -> compiled' for every pin that differs between two lock files."""

    def pins(path):
        return dict(re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", path.read_text(), re.M))

    old, new = pins(committed), pins(compiled)
    return ", ".join(
        f"{name} {old.get(name, '(absent)')} -> {new.get(name, '(absent)')}"
        for name in sorted(old.keys() | new.keys())
        if old.get(name) != new.get(name)
    )


#: uv's names for the platforms learners use.
UV_PLATFORMS = {
    "macOS arm64": "aarch64-apple-darwin",
    "Linux aarch64": "aarch64-manylinux_2_28",
    "Windows x86-64": "x86_64-pc-windows-msvc",
    "Linux x86-64": "x86_64-manylinux_2_28",
}


@pytest.fixture(scope="module")
def uv():
    path = shutil.which("uv", path=str(Path(sys.executable).parent))
    if path is None:
        pytest.skip("uv is not installed in this environment (requirements/dev.txt has it)")
    return path


@pytest.mark.network
@pytest.mark.parametrize("python", SUPPORTED_PYTHONS)
@pytest.mark.parametrize("platform", UV_PLATFORMS)
def test_every_pin_has_a_wheel_on(platform, python, package_index, uv, tmp_path):
    """Every package of the dev and jax locks (supersets of the runtime lock) has a wheel there.

    uv resolves the lock's pins for that platform (macOS 13 or later, glibc 2.28 or later) and
    CPython version without building anything: a pin without a wheel fails, named.
    """
    system, machine = PLATFORMS[platform]
    pins = {}
    for lock in ("dev.txt", "jax.txt"):
        pins.update(locked_versions(read_lock(REQUIREMENTS / lock), environment(system, machine, python)))

    def dry_run(requirements):
        return subprocess.run(
            [
                uv,
                "pip",
                "install",
                "--dry-run",
                "--no-deps",
                "--only-binary",
                ":all:",
                "--python-platform",
                UV_PLATFORMS[platform],
                "--python-version",
                FULL_VERSIONS[python],
                "--target",
                str(tmp_path / "target"),
                "--quiet",
                *requirements,
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )

    (tmp_path / "pins.txt").write_text("".join(f"{name}=={pinned}\n" for name, pinned in sorted(pins.items())))
    result = dry_run(["-r", str(tmp_path / "pins.txt")])
    if result.returncode == 0:
        return
    if NETWORK_FAILURE.search(result.stderr) and "matching platform tag" not in result.stderr:
        pytest.skip(f"the package index did not answer uv: {result.stderr.strip()[-300:]}")
    # uv stops at the first package without a wheel: ask for each one to name them all.
    missing = [
        f"{name}=={pinned}" for name, pinned in sorted(pins.items()) if dry_run([f"{name}=={pinned}"]).returncode != 0
    ]
    assert not missing, f"{platform}, Python {python}: no wheel for {', '.join(missing)}"
    pytest.fail(f"uv failed for {platform}, Python {python}:\n{result.stderr[-3000:]}")
