import numpy as np
from matplotlib.figure import Figure

from helpers.ui.controls import slider
from helpers.ui.figure_panel import FigurePanel


def make_panel():
    fig = Figure(figsize=(3, 2), dpi=50)
    (line,) = fig.subplots().plot([], [])
    x = np.linspace(-1, 1, 11)

    def update(slope, offset):
        if slope == 0:
            raise ValueError("slope 0 draws nothing")
        line.set_data(x, slope * x + offset)
        return f"slope <b>{slope}</b>"

    controls = {"slope": slider("slope", 1, -3, 3), "offset": slider("offset", 0, -2, 2)}
    return FigurePanel(controls, update, fig), line


def test_a_change_redraws_the_figure_with_all_values():
    panel, line = make_panel()
    first = panel.image.png
    assert panel.draw_count == 1 and first[:4] == b"\x89PNG"
    assert panel.image.layout.width == "150px"  # the figure's own width (3 in at 50 dpi), not the page's
    panel.controls["slope"].value = 2
    panel.controls["offset"].value = 1
    assert panel.draw_count == 3
    assert line.get_ydata()[-1] == 3.0
    assert panel.status.value == "slope <b>2</b>"
    assert panel.image.png != first


def test_an_error_is_shown_and_the_last_figure_kept():
    panel, _ = make_panel()
    image = panel.image.value
    panel.controls["slope"].value = 0
    assert isinstance(panel.last_error, ValueError)
    assert "slope 0 draws nothing" in panel.status.value
    assert panel.image.value == image
