import re

import numpy as np
import pytest

from helpers.core import toy_data
from helpers.core.playground import Playground, PlaygroundSettings
from helpers.figures import network_diagram

# The playground trains with a compiled TensorFlow loop.
pytestmark = pytest.mark.tensorflow


@pytest.fixture(scope="module")
def trained():
    pg = Playground(PlaygroundSettings(samples=60, features=["x1", "x2", "x1^2"], neurons=[4, 2]), resolution=10)
    pg.train(2)
    return pg


def test_one_map_per_neuron_and_one_edge_per_weight(trained):
    svg = network_diagram.network_svg(trained.snapshot)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    features = len(toy_data.FEATURES)
    assert svg.count("<image") == features + 4 + 2 + 1  # every feature is drawn, used or not
    assert svg.count("<path") == 3 * 4 + 4 * 2 + 2 * 1
    assert svg.count('opacity="0.25"') == features - 3  # the unused features are faded
    weights = [float(w) for w in re.findall(r"<title>weight (-?[0-9.]+)</title>", svg)]
    assert weights[0] == pytest.approx(trained.snapshot.weights[0][0, 0], abs=1e-3)
    assert "4 neurons" in svg and "2 neurons" in svg and "output" in svg and "x₁²" in svg
    assert svg.count("<title>bias") == 2 * (4 + 2 + 1)


def test_edges_show_sign_and_size_of_the_weight():
    assert network_diagram.edge_width(0) == 1 and network_diagram.edge_width(-5) == 10
    assert network_diagram.edge_width(50) == 10
    assert network_diagram.edge_color(3.0) == "#0877bd" and network_diagram.edge_color(-1.0) == "#f59322"
    assert network_diagram.edge_color(0.0) == "#e8eaeb"


def test_neuron_values_on_the_colour_scale():
    assert network_diagram.neuron_values(np.array([0.0, 36.0]), "feature").tolist() == [0, 1]
    assert network_diagram.neuron_values(np.array([0.0, 0.5, 1.0]), "probability").tolist() == [-1, 0, 1]
    assert network_diagram.neuron_values(np.array([3.0]), "value").tolist() == [3.0]
    uri = network_diagram.map_data_uri(np.zeros((50, 50)))
    assert uri.startswith("data:image/png;base64,")


def test_discretize_changes_the_maps_not_the_layout(trained):
    plain = network_diagram.network_svg(trained.snapshot)
    sign = network_diagram.network_svg(trained.snapshot, discretize=True)
    assert plain != sign
    strip = re.compile(r'href="[^"]*"')
    assert strip.sub("", plain) == strip.sub("", sign)


def test_a_deep_network_still_fits_its_width():
    pg = Playground(PlaygroundSettings(samples=40, hidden_layers=6, neurons=[8]), resolution=6)
    svg = network_diagram.network_svg(pg.snapshot, width=620)
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    assert width <= 700 and svg.count("<image") == 7 + 6 * 8 + 1
