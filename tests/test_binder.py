"""Binder's 2 GB: binder/postBuild puts two settings where Jupyter reads them (kernels shut down with
their notebook's tab, idle kernels without a tab culled), and a real Jupyter server and JupyterLab
started on that prefix have them."""

import os
import subprocess
import sys

import pytest

from browser_lab import JupyterLab
from notebook_tools import ROOT


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    """An environment prefix filled by binder/postBuild, run with a stand-in `python` on PATH."""
    work = tmp_path_factory.mktemp("binder")
    prefix, bin_dir = work / "prefix", work / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "python"
    fake.write_text(f'#!/bin/sh\nif [ "$1" = "-c" ]; then echo "{prefix}"; fi\n')  # pip install: nothing
    fake.chmod(0o755)
    subprocess.run(
        [str(ROOT / "binder" / "postBuild")],
        cwd=ROOT,
        check=True,
        env=dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}"),
    )
    return prefix


def test_postbuild_installs_the_server_and_lab_settings(prefix):
    assert (prefix / "etc" / "jupyter" / "jupyter_server_config.json").read_text() == (
        ROOT / "binder" / "jupyter_server_config.json"
    ).read_text()
    assert (prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json").read_text() == (
        ROOT / "binder" / "overrides.json"
    ).read_text()


def test_jupyterlab_reads_them_from_the_prefix(prefix, tmp_path):
    """The server's kernel culling and the notebook's kernel shutdown on close, as a running JupyterLab has them."""
    shown = subprocess.run(
        [sys.executable, "-m", "jupyter_server", "--show-config", "--allow-root"],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, JUPYTER_CONFIG_PATH=str(prefix / "etc" / "jupyter")),
    )
    assert "cull_idle_timeout = 600" in shown.stdout and "cull_connected = False" in shown.stdout, shown.stdout
    (tmp_path / "root").mkdir()
    lab = JupyterLab(
        tmp_path / "root",
        tmp_path,
        tmp_path / "lab.log",
        options=[f"--LabApp.app_settings_dir={prefix / 'share' / 'jupyter' / 'lab' / 'settings'}"],
        environment={"JUPYTER_CONFIG_PATH": str(prefix / "etc" / "jupyter")},
    )
    try:
        tracker = lab.api("/lab/api/settings/@jupyterlab/notebook-extension:tracker")
        # JupyterLab applies overrides.json as the schema's defaults.
        assert tracker["schema"]["properties"]["kernelShutdown"]["default"] is True
    finally:
        lab.stop()


def test_the_binder_budget_benchmark_installs_what_postbuild_installs(prefix, tmp_path):
    """benchmarks/binder_budget.py measures Binder's 2 GB with binder/'s settings, put where postBuild puts them."""
    from benchmarks import binder_budget

    settings = {path.name for path in (ROOT / "binder").glob("*.json")}
    assert set(binder_budget.BINDER_SETTINGS) == settings
    options, environment = binder_budget.install_binder_settings(tmp_path)
    for name, relative in binder_budget.BINDER_SETTINGS.items():
        assert (
            (tmp_path / relative).read_text() == (prefix / relative).read_text() == (ROOT / "binder" / name).read_text()
        )
    assert environment["JUPYTER_CONFIG_PATH"] == str(tmp_path / "etc" / "jupyter")
    assert options == [f"--LabApp.app_settings_dir={tmp_path / 'share' / 'jupyter' / 'lab' / 'settings'}"]
