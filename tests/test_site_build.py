"""The website's build steps on tiny inputs (no execution, no Sphinx): the cache key and the pages' sources.

The built site itself is checked in tests/test_site.py (`make test-site`).
"""

import json
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import site_cache  # noqa: E402  (scripts/ is not a package)
import site_pages  # noqa: E402

TWIN = {
    "notebook": "04_mlp",
    "after": "make_panel(",
    "title": "Units, without a kernel",
    "about": "5 epochs.",
    "start": 1,
    "dimensions": [{"name": "UNITS", "label": "units", "values": [8, 16]}],
    "runs": [
        {"values": {"UNITS": 8}, "image": "a.png", "description": "curves of 8", "numbers": "n8"},
        {"values": {"UNITS": 16}, "image": "b.png", "description": "curves of 16", "numbers": "n16"},
    ],
}


def _notebook(*markdown_then_code):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(markdown_then_code[0]),
        *[nbformat.v4.new_code_cell(source) for source in markdown_then_code[1:]],
    ]
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return notebook


def test_cache_key_follows_the_notebook_the_parameters_and_the_dependencies(tmp_path):
    notebook = tmp_path / "01_x.ipynb"
    notebook.write_text("{}")
    key = site_cache.cache_key(notebook, {"EPOCHS": 2}, "deps")
    assert key == site_cache.cache_key(notebook, {"EPOCHS": 2}, "deps")
    assert key != site_cache.cache_key(notebook, {"EPOCHS": 3}, "deps")
    assert key != site_cache.cache_key(notebook, {"EPOCHS": 2}, "other deps")
    notebook.write_text("{ }")
    assert key != site_cache.cache_key(notebook, {"EPOCHS": 2}, "deps")


def test_dependencies_digest_changes_with_any_helper_file_and_the_lock(tmp_path):
    helpers, lock = tmp_path / "helpers", tmp_path / "runtime.txt"
    (helpers / "core").mkdir(parents=True)
    (helpers / "core" / "a.py").write_text("A = 1\n")
    lock.write_text("keras==3\n")
    first = site_cache.dependencies_digest(helpers, lock)
    (helpers / "core" / "__pycache__").mkdir()
    (helpers / "core" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    assert site_cache.dependencies_digest(helpers, lock) == first, "byte code is not a dependency"
    (helpers / "core" / "a.py").write_text("A = 2\n")
    second = site_cache.dependencies_digest(helpers, lock)
    assert second != first
    lock.write_text("keras==4\n")
    assert site_cache.dependencies_digest(helpers, lock) != second


def test_cached_needs_the_executed_notebook_and_the_same_key(tmp_path):
    notebook = tmp_path / "02_y.ipynb"
    assert not site_cache.cached(notebook, tmp_path / "cache", "k")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "02_y.ipynb").write_text("{}")
    (tmp_path / "cache" / "02_y.key").write_text("k\n")
    assert site_cache.cached(notebook, tmp_path / "cache", "k")
    assert not site_cache.cached(notebook, tmp_path / "cache", "other")


def test_parameters_are_the_notebooks_own_or_the_test_files():
    assert site_cache.notebook_parameters(ROOT / "notebooks" / "04_mlp.ipynb", "reference") == {}
    assert site_cache.notebook_parameters(ROOT / "notebooks" / "04_mlp.ipynb", "test")["EPOCHS"] >= 1
    with pytest.raises(ValueError, match="parameter set 'fast' is not one of reference, test"):
        site_cache.notebook_parameters(ROOT / "notebooks" / "04_mlp.ipynb", "fast")


def test_site_copy_adds_note_twin_and_contents_and_drops_badges_and_widget_state():
    badge = "[![Open in Binder](https://x/badge.svg)](https://x/v2)"
    executed = _notebook(
        f"# 04 · MLP\n\n{badge} see [speed](04_mlp.ipynb#Speed-settings)\n\n| `05_dropout` | x |",
        "panel = make_panel(3)",
        "print(1)",
    )
    page = site_pages.site_copy(executed, "NOTE", [("units", TWIN)], toc=["05_dropout"])
    sources = [cell.source for cell in page.cells]
    assert "widgets" not in page.metadata and "widgets" in executed.metadata
    assert "badge.svg" not in sources[0] and "04_mlp.ipynb#speed-settings" in sources[0]
    assert "| [`05_dropout`](05_dropout.ipynb) |" in sources[0]
    assert sources[1] == "NOTE"
    assert sources[2] == "panel = make_panel(3)" and 'id="twin-units"' in sources[3]
    assert "b.png" in sources[3] and 'alt="curves of 16"' in sources[3], "the twin starts at its start run"
    assert sources[-1].startswith("```{toctree}") and "05_dropout" in sources[-1]
    again = site_pages.site_copy(executed, "NOTE", [("units", TWIN)], toc=["05_dropout"])
    assert nbformat.writes(again) == nbformat.writes(page), "the same input gives the same page"


def test_twin_data_cannot_close_its_script_element():
    twin = json.loads(json.dumps(TWIN))
    twin["runs"][1]["description"] = "</script><b>"
    markup = site_pages.twin_html("units", twin)
    script = markup.split('class="nnf-twin-data">', 1)[1]
    assert script.count("</script>") == 1


def test_parameters_note_says_which_parameters_built_the_page():
    assert "own parameters" in site_pages.parameters_note({}, "reference")
    note = site_pages.parameters_note({"EPOCHS": 2}, "test")
    assert "small test parameters `EPOCHS = 2`" in note and note.startswith("```{note}")


def test_write_sources_needs_the_landing_page(tmp_path):
    with pytest.raises(ValueError, match="landing page 00_start_here.ipynb, got only 04_mlp"):
        site_pages.write_sources(tmp_path, tmp_path / "source", ["04_mlp"], {"04_mlp": {}}, "test")
