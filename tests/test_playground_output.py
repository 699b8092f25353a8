"""The playground panel's OUTPUT column drawn from a Playground, without the panel around it."""

import pytest

from helpers.core import checks
from helpers.core.playground import Playground, PlaygroundSettings
from helpers.ui.playground_output import OutputView

# The playground trains with a compiled TensorFlow loop.
pytestmark = pytest.mark.tensorflow


def test_the_column_shows_what_the_playground_computed():
    pg = Playground(PlaygroundSettings(samples=60, hidden_layers=1, neurons=[2]), resolution=10)
    output = OutputView(map_size=100)
    output.show_points(pg)
    output.draw(pg)
    assert output.image.description_text.startswith("decision map before training")
    pg.train(2)
    output.draw(pg, step_seconds=0.25)
    assert "epoch <b>2</b>" in output.numbers.value and "(0.25 s per step)" in output.numbers.value
    assert "after 2 epochs" in output.image.description_text
    assert output.chart.value.count("<polyline") == 2
    overlay = output.overlay.value
    output.view_controls["show_test_data"].value = True
    output.show_points(pg)
    output.draw(pg)
    assert output.overlay.value != overlay and "s per step" not in output.numbers.value
    assert output.view() == {"show_test_data": True, "discretize": False}
    assert len(output.figure(pg).axes[0].collections[1].get_offsets()) == len(pg.x_test)


def test_bad_display_options_are_named():
    with pytest.raises(checks.ParameterError, match="discretize must be True or False; got 'yes'"):
        OutputView(discretize="yes")
