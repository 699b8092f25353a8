"""The palette stays readable in normal vision and for the three kinds of dichromacy.

Colour-vision deficiency is simulated with the matrices of Machado, Oliveira and
Fernandes (2009), "A Physiologically-based Model for Simulation of Color Vision
Deficiency", IEEE TVCG 15(6), severity 1.0 (the full dichromacies, so anything
that passes also passes the milder anomalous trichromacies), applied to linear
sRGB. Distances are CIEDE2000 (Sharma, Wu and Dalal 2005) in CIELAB under D65.

Threshold: 20 CIEDE2000 units. One unit is about a just-noticeable difference
side by side; lines and dots in a plot are small and apart, so colours must be
different categories, not nuances. Matplotlib's default cycle ("tab10") falls to 1.3
between its orange and green for protanopia; the palette's closest pair is about 22.
"""

import itertools
import math
import re
from pathlib import Path

import numpy as np
import pytest

from helpers.figures import palette

MIN_DELTA_E = 20.0

#: Machado et al. (2009), table of severity 1.0, rows applied to linear (R, G, B).
MACHADO_2009 = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
VISIONS = ("normal", *MACHADO_2009)

SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
D65_WHITE = np.array([0.95047, 1.0, 1.08883])


def srgb(color):
    color = color.lstrip("#")
    return np.array([int(color[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def linear(channels):
    return np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)


def encoded(channels):
    channels = np.clip(channels, 0, 1)
    return np.where(channels <= 0.0031308, 12.92 * channels, 1.055 * channels ** (1 / 2.4) - 0.055)


def seen(color, vision):
    """``color`` (``#rrggbb``) as sRGB channels in 0..1, as a viewer with ``vision`` sees it."""
    if vision == "normal":
        return srgb(color)
    return encoded(np.array(MACHADO_2009[vision]) @ linear(srgb(color)))


def cielab(channels):
    xyz = SRGB_TO_XYZ @ linear(np.asarray(channels)) / D65_WHITE
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e_2000(lab1, lab2):
    """CIEDE2000 colour difference, with kL = kC = kH = 1."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360 if c1 else 0.0
    h2 = math.degrees(math.atan2(b2, a2)) % 360 if c2 else 0.0
    dh = 0.0
    if c1 * c2:
        dh = h2 - h1
        dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    d_big_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if not c1 * c2:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    rotation = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(c_mean**7 / (c_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    r_t = -math.sin(math.radians(2 * rotation)) * r_c
    terms = (l2 - l1) / s_l, (c2 - c1) / s_c, d_big_h / s_h
    return math.sqrt(terms[0] ** 2 + terms[1] ** 2 + terms[2] ** 2 + r_t * terms[1] * terms[2])


def closest_pair(colors, vision):
    """(difference, colour, colour) of the two ``colors`` that ``vision`` confuses most."""
    labs = {color: cielab(seen(color, vision)) for color in colors}
    return min((delta_e_2000(labs[a], labs[b]), a, b) for a, b in itertools.combinations(colors, 2))


# Pairs 1, 7 and 17 of Sharma, Wu and Dalal's test data for CIEDE2000.
@pytest.mark.parametrize(
    "lab1, lab2, expected",
    [
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ],
)
def test_delta_e_2000_matches_published_values(lab1, lab2, expected):
    assert delta_e_2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_simulation_keeps_greys_and_merges_red_and_green():
    # Each Machado row sums to 1, so greys are fixed points: a check of the transcription.
    for matrix in MACHADO_2009.values():
        assert np.sum(matrix, axis=1) == pytest.approx([1, 1, 1], abs=1e-3)
    assert seen("#808080", "deuteranopia") == pytest.approx(srgb("#808080"), abs=1e-3)
    # The check can fail: matplotlib's old red and green are nearly one colour for deuteranopes,
    # its orange and green for protanopes.
    assert closest_pair(["#d62728", "#2ca02c"], "deuteranopia")[0] < 5
    assert closest_pair(["#ff7f0e", "#2ca02c"], "protanopia")[0] < 5


@pytest.mark.parametrize("vision", VISIONS)
def test_class_colors_stay_apart(vision):
    difference, first, second = closest_pair(palette.CLASS_COLORS, vision)
    assert difference >= MIN_DELTA_E, f"{first} and {second} differ by {difference:.1f} in {vision}"


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize(
    "pair",
    [
        (palette.BLUE, palette.ORANGE),
        (palette.TRAINING_COLOR, palette.VALIDATION_COLOR),
        (palette.VALIDATION_COLOR, palette.TEST_COLOR),
        (palette.TRAINING_COLOR, palette.TEST_COLOR),
    ],
)
def test_named_pairs_stay_apart(pair, vision):
    difference, _, _ = closest_pair(pair, vision)
    assert difference >= MIN_DELTA_E


def test_playground_pair_is_kept():
    assert (palette.ORANGE, palette.BLUE) == ("#f59322", "#0877bd")


def test_every_class_has_its_own_marker():
    assert len(set(palette.CLASS_MARKERS)) == len(palette.CLASS_MARKERS) == len(palette.CLASS_COLORS)
    assert [palette.class_marker(i) for i in range(7)][-1] == palette.CLASS_MARKERS[0]
    assert palette.class_color(7) == palette.CLASS_COLORS[1]


@pytest.mark.parametrize("bad", [-1, 1.5])
def test_bad_class_index_is_named(bad):
    with pytest.raises(ValueError, match=f"class index must be an integer >= 0, got {bad}"):
        palette.class_color(bad)


def test_figures_use_no_default_cycle_colours():
    root = Path(__file__).resolve().parents[1] / "helpers"
    sources = [*sorted((root / "figures").glob("*.py")), root / "batch" / "results.py"]
    pattern = re.compile(r"""["'](tab:\w+|C\d|red|green)["']|f["']C\{""")
    found = [
        f"{path.name}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert not found, f"default-cycle or ad-hoc colours instead of helpers.figures.palette: {found}"
