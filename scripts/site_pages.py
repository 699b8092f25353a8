"""The website's sources: the executed notebooks, readied for Sphinx and MyST-NB.

From each cached executed notebook (scripts/site_cache.py) a copy is written into the Sphinx source folder:

- a note under the title says which parameters built the page;
- links to another notebook's heading use the site's lower-case anchors;
- the Binder and Colab badges are dropped (every page has those buttons in its header, and the badges'
  pictures live on other hosts);
- the saved widget state is dropped: the site shows each panel's picture (helpers/ui/static_view.py),
  never a widget that would need a kernel;
- the landing page (00) gets the table of contents that makes the navigation, and links in its map;
- after a panel that has a kernel-free twin (data/site/twins/*/twin.json), the twin's slider.

A copy is written only when its content changed, so Sphinx reads again only the pages that changed.
"""

import html
import json
import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
TWINS_DIR = ROOT / "data" / "site" / "twins"
LANDING = "00_start_here"
BADGES = re.compile(r"\[!\[Open in [^\]]*\]\([^)]*\)\]\([^)]*\)[ \t]*")
MAP_ROW = re.compile(r"^\| `(\d\d_[a-z0-9_]+)` \|", re.MULTILINE)
# A link to a heading of another notebook, as JupyterLab names it (the heading's words, case kept).
HEADING_LINK = re.compile(r"(\d\d_[a-z0-9_]+\.ipynb)#([A-Za-z0-9_.-]+)")


def parameters_note(parameters, parameter_set):
    """The note under a page's title that says how it was built (MyST Markdown).

    Parameters
    ----------
    parameters : dict
        What papermill injected.
    parameter_set : str
        ``"reference"`` or ``"test"`` (scripts/site_cache.py).

    Returns
    -------
    str
    """
    if parameters:
        values = ", ".join(f"`{name} = {value!r}`" for name, value in parameters.items())
        how = (
            f"executed with the small {parameter_set} parameters {values}, so its numbers are not the "
            "ones the text discusses"
        )
    else:
        how = "executed with the notebook's own parameters (the ones the text discusses)"
    return (
        "```{note}\n"
        f"This page is the notebook {how}. The panels need a running kernel: here each shows its "
        "picture as the notebook left it; open the notebook on Binder or Colab (buttons at the top) "
        "to use them.\n```"
    )


def load_twins(twins_dir=TWINS_DIR):
    """Every kernel-free twin: the ``twin.json`` manifests under ``twins_dir``, by name.

    Returns
    -------
    dict
        Twin name -> manifest (see scripts/site_twins.py).
    """
    return {path.parent.name: json.loads(path.read_text()) for path in sorted(Path(twins_dir).glob("*/twin.json"))}


def twin_html(name, twin):
    """The HTML of one twin: sliders, its picture and its numbers, with its data inline.

    Parameters
    ----------
    name : str
        The twin's folder name under ``data/site/twins``.
    twin : dict
        Its manifest.

    Returns
    -------
    str
    """
    first = twin["runs"][twin.get("start", 0)]
    data = json.dumps(
        {
            "name": name,
            "dimensions": twin["dimensions"],
            "runs": twin["runs"],
            "start": twin.get("start", 0),
            "base": f"_static/twins/{name}/",
        }
    )
    data = data.replace("</", "<\\/")  # never closes the script element
    return (
        f'<div class="nnf-twin" id="twin-{html.escape(name)}">\n'
        f'<p class="nnf-twin-title"><strong>{html.escape(twin["title"])}</strong></p>\n'
        f'<p class="nnf-twin-about">{html.escape(twin["about"])}</p>\n'
        '<div class="nnf-twin-controls"></div>\n'
        f'<img class="nnf-twin-image" src="_static/twins/{name}/{first["image"]}" '
        f'alt="{html.escape(first["description"])}">\n'
        f'<p class="nnf-twin-numbers" aria-live="polite">{html.escape(first["numbers"])}</p>\n'
        f'<script type="application/json" class="nnf-twin-data">{data}</script>\n'
        "</div>"
    )


def _markdown_cell(source, cell_id):
    """A Markdown cell with a fixed id (a random one would change the page at every build)."""
    cell = nbformat.v4.new_markdown_cell(source)
    cell.id = cell_id
    return cell


def _twin_cell(name, twin):
    return _markdown_cell("```{raw} html\n" + twin_html(name, twin) + "\n```", f"site-twin-{name}")


def site_copy(executed, note, twins=(), toc=None):
    """The page's notebook: the executed one with the changes this module's docstring lists.

    Parameters
    ----------
    executed : nbformat.NotebookNode
        The executed notebook (not changed).
    note : str
        :func:`parameters_note`.
    twins : sequence of (name, manifest)
        The twins shown on this page, each after the first code cell holding its ``after`` text (at the
        end of the page if no cell does).
    toc : list of str or None
        The landing page gets these pages as its table of contents (the site's navigation) and links
        in its map; None for every other page.

    Returns
    -------
    nbformat.NotebookNode
    """
    notebook = nbformat.from_dict(json.loads(json.dumps(executed)))
    notebook.metadata.pop("widgets", None)
    landing = toc is not None
    cells = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = BADGES.sub("", cell.source)
            # MyST names headings in lower case (site/conf.py: myst_heading_anchors)
            cell.source = HEADING_LINK.sub(lambda match: f"{match[1]}#{match[2].lower()}", cell.source)
            if landing:
                cell.source = MAP_ROW.sub(lambda match: f"| [`{match[1]}`]({match[1]}.ipynb) |", cell.source)
        cells.append(cell)
    cells.insert(1, _markdown_cell(note, "site-parameters-note"))
    for name, twin in twins:
        where = next(
            (index for index, cell in enumerate(cells) if cell.cell_type == "code" and twin["after"] in cell.source),
            len(cells) - 1,
        )
        cells.insert(where + 1, _twin_cell(name, twin))
    if landing:
        cells.append(
            _markdown_cell("```{toctree}\n:hidden:\n:maxdepth: 1\n\n" + "\n".join(toc) + "\n```", "site-contents")
        )
    notebook.cells = cells
    return notebook


def write_if_changed(path, text):
    """Write ``text`` to ``path`` unless it already holds exactly that; True if written."""
    path = Path(path)
    if path.exists() and path.read_text() == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return True


def write_sources(executed_dir, source_dir, stems, parameters_by_stem, parameter_set, twins_dir=TWINS_DIR):
    """Write the Sphinx sources: one page per executed notebook, changed pages only.

    Parameters
    ----------
    executed_dir : path-like
        The cache of executed notebooks.
    source_dir : path-like
        Sphinx's source folder.
    stems : list of str
        The notebooks, landing page first.
    parameters_by_stem : dict
        Stem -> the parameters it was executed with.
    parameter_set : str
        ``"reference"`` or ``"test"``.
    twins_dir : path-like
        Where the twins' manifests are.

    Returns
    -------
    list of str
        The stems whose page changed.
    """
    if LANDING not in stems:
        raise ValueError(f"the site needs its landing page {LANDING}.ipynb, got only {', '.join(stems)}")
    toc = [stem for stem in stems if stem != LANDING]
    twins = load_twins(twins_dir)
    changed = []
    for stem in stems:
        executed = nbformat.read(Path(executed_dir) / f"{stem}.ipynb", as_version=4)
        page_twins = [(name, twin) for name, twin in twins.items() if twin["notebook"] == stem]
        page = site_copy(
            executed,
            parameters_note(parameters_by_stem[stem], parameter_set),
            page_twins,
            toc=toc if stem == LANDING else None,
        )
        if write_if_changed(Path(source_dir) / f"{stem}.ipynb", nbformat.writes(page)):
            changed.append(stem)
    return changed
