"""The panels' kernel-free picture (helpers.ui.static_view) beside their live widget."""

import base64

import ipywidgets as w
import pytest
from matplotlib.figure import Figure

from helpers.ui import controls, figure_panel, static_view, training_panel

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_html_to_text_drops_tags_and_decodes_entities():
    assert static_view.html_to_text("<b>loss</b>: 0.5 &nbsp;&middot; <span>ok</span>") == "loss : 0.5 · ok"


def test_bundle_keeps_the_widget_view_and_adds_picture_and_words():
    png = b"\x89PNG fake"
    bundle = static_view.static_bundle(w.HTML("x"), png, "a curve", "accuracy: <b>0.9</b>")
    assert WIDGET_VIEW in bundle
    assert base64.b64decode(bundle["image/png"]) == png
    assert 'alt="a curve"' in bundle["text/html"] and "accuracy: 0.9" in bundle["text/html"]
    assert static_view.STATIC_CLASS in bundle["text/html"]
    assert bundle["text/plain"].splitlines() == [static_view.NEEDS_KERNEL, "a curve", "accuracy: 0.9"]


def test_bundle_without_picture_has_words_only():
    bundle = static_view.static_bundle(w.HTML("x"), None, "", "Press <b>Train</b>")
    assert "image/png" not in bundle and "<img" not in bundle["text/html"]
    assert "Press Train" in bundle["text/plain"]


def test_bundle_refuses_a_picture_that_is_not_bytes():
    with pytest.raises(TypeError, match="png must be PNG bytes or None, got str"):
        static_view.static_bundle(w.HTML("x"), "picture.png")


def test_figure_panel_displays_its_current_figure():
    fig = Figure(figsize=(2, 2), dpi=50)
    ax = fig.subplots()
    (line,) = ax.plot([0, 1], [0, 0])
    slope = controls.slider("slope", 1.0, -2.0, 2.0, 0.5)

    def update(slope):
        line.set_ydata([0, slope])
        return f"slope <b>{slope}</b>"

    panel = figure_panel.FigurePanel({"slope": slope}, update, fig, caption="a line")
    first = panel._repr_mimebundle_()
    assert WIDGET_VIEW in first and "slope 1.0" in first["text/plain"]
    assert base64.b64decode(first["image/png"]).startswith(b"\x89PNG")
    slope.value = -2.0
    second = panel._repr_mimebundle_()
    assert "slope -2.0" in second["text/plain"] and second["image/png"] != first["image/png"]


def test_training_panel_shows_its_newest_plot_and_its_settings():
    epochs = controls.slider("epochs", 3, 1, 10)
    panel = training_panel.TrainingPanel({"epochs": epochs}, lambda settings, output, callbacks: {"done": 1})
    before = panel._repr_mimebundle_()
    assert "image/png" not in before and "epochs 3" in before["text/plain"]
    png = base64.b64encode(b"\x89PNG curves").decode("ascii")
    panel.plot.outputs = (
        {"output_type": "display_data", "data": {"image/png": png, "text/plain": "x"}, "metadata": {}},
    )
    after = panel._repr_mimebundle_()
    assert after["image/png"] == png and WIDGET_VIEW in after


def test_training_panel_finds_a_picture_given_as_html_with_its_text():
    panel = training_panel.TrainingPanel(
        {"epochs": controls.slider("epochs", 3, 1, 10)}, lambda settings, output, callbacks: {}
    )
    png = base64.b64encode(b"\x89PNG curves").decode("ascii")
    panel.plot.outputs = (
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {
                "text/html": f'<img src="data:image/png;base64,{png}" alt="curves">',
                "text/plain": "training curves: epoch 3 of 3",
            },
        },
    )
    bundle = panel._repr_mimebundle_()
    assert bundle["image/png"] == png
    assert "training curves: epoch 3 of 3. Settings: epochs 3." in bundle["text/plain"]


@pytest.mark.tensorflow  # the playground trains with a compiled TensorFlow loop
def test_the_playground_leaves_its_decision_map_and_numbers():
    from helpers.ui.playground_panel import PlaygroundPanel

    panel = PlaygroundPanel(background=False)
    panel.step()
    bundle = panel._repr_mimebundle_()
    assert WIDGET_VIEW in bundle and base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert f"decision map after {panel.playground.epoch} epochs" in bundle["text/plain"]
    assert 'alt="decision map after' in bundle["text/html"]
