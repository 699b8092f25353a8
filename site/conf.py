"""Sphinx configuration of the chapter's website (``make site``; scripts/build_site.py runs it).

Sphinx with MyST-NB renders the notebooks that scripts/build_site.py executed with papermill
(``nb_execution_mode = "off"``: never executed again here); sphinx-book-theme gives the book
layout, the search page, the previous/next links and the Binder, Colab and download buttons.
"""

import os
import re

project = "Neural network foundations with Keras 3"
author = "the keras-nn-foundations contributors"
copyright = "the keras-nn-foundations contributors, MIT license"

extensions = ["myst_nb", "sphinx.ext.mathjax"]
root_doc = "00_start_here"  # the landing page: the chapter's map
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

# The notebooks arrive executed (scripts/build_site.py caches them): render, never execute.
nb_execution_mode = "off"
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3  # links to a notebook's heading, e.g. 04_mlp.ipynb#speed-settings
# A panel's output holds its live widget view, which needs a kernel, and its picture
# (helpers/ui/static_view.py): the site shows the picture, never the empty widget.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_merge_streams = True
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header"]

# MathJax 3 from the npm package mathjax, copied into the site (scripts/build_site.py), so the
# maths renders without a CDN. The SVG output needs no font files.
VENDOR_DIR = os.environ.get("NNF_SITE_VENDOR", "")
mathjax_path = "mathjax/tex-svg-full.js"
mathjax3_config = {
    "tex": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]]},
    "options": {"processHtmlClass": "tex2jax_process|mathjax_process|math|output_area"},
}

REPOSITORY = "keras-nn-foundations/keras-nn-foundations"
html_theme = "sphinx_book_theme"
html_title = "Neural network foundations with Keras 3"
# The twins' pictures (data/site/twins/NAME/) land in _static/twins/NAME/.
DATA_DIR = os.environ.get("NNF_SITE_DATA", "../data/site")
html_static_path = ["_static"] + ([VENDOR_DIR] if VENDOR_DIR else []) + [DATA_DIR]
html_extra_path = ["extra"]
html_css_files = ["site.css"]
html_js_files = ["twins.js"]
html_copy_source = True
html_context = {"default_mode": "light"}  # else the theme logs an error on a first visit
html_theme_options = {
    "repository_url": f"https://github.com/{REPOSITORY}",
    "repository_branch": "main",
    "path_to_docs": "notebooks",
    "use_download_button": True,
    "use_repository_button": True,
    "use_fullscreen_button": False,
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",
        "colab_url": "https://colab.research.google.com",
        "notebook_interface": "jupyterlab",
    },
    "show_navbar_depth": 1,
}


def binder_on_head(app, pagename, templatename, context, doctree):
    """Binder's button opens HEAD, as README's badge does (Colab's opens main, as the notebooks' badges do)."""
    pattern = re.compile(rf"(https://mybinder\.org/v2/gh/{re.escape(REPOSITORY)})/main\?")

    def fix(buttons):
        for button in buttons:
            if isinstance(button.get("url"), str):
                button["url"] = pattern.sub(r"\1/HEAD?", button["url"])
            fix(button.get("buttons", []))

    fix(context.get("header_buttons", []))


def setup(app):
    app.connect("html-page-context", binder_on_head, priority=502)
