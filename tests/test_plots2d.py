import numpy as np
import pytest

from helpers.figures import plots2d


def test_line_points_lie_on_the_line():
    for weights, bias in [((1.0, 2.0), -1.0), ((3.0, 0.5), 0.2), ((0.0, 1.0), 1.0), ((1.0, 0.0), -2.0)]:
        points = plots2d.line_points(weights, bias, extent=6.0)
        assert points.shape == (2, 2)
        assert points @ np.array(weights) + bias == pytest.approx([0.0, 0.0], abs=1e-9)
        assert not np.allclose(points[0], points[1])
    assert plots2d.line_points((0.0, 0.0), 1.0) is None


def test_decision_plane_updates_its_artists_in_place():
    plane = plots2d.DecisionPlane(curves=True)
    x = np.array([[0.0, 1.0], [1.0, 0.0], [-1.0, -1.0]])
    plane.show_points(x, [0, 1, 1], x[:1], [1])
    plane.show_line((1.0, 1.0), 0.0)
    plane.show_map(np.linspace(0, 1, 16).reshape(4, 4))
    plane.show_curves([0, 5, 10], [0.7, 0.5, 0.3], [0.7, 0.6, 0.4])
    plane.mark(x[:2])
    assert plane.train_points.get_offsets().shape == (3, 2)
    assert plane.test_points.get_offsets().shape == (1, 2)
    assert len(plane.line.get_xdata()) == 2
    assert plane.map.get_visible() and plane.map.get_array().shape == (4, 4)
    assert list(plane.test_curve.get_ydata()) == [0.7, 0.6, 0.4]
    assert plane.marked.get_offsets().shape == (2, 2)
    plane.show_line((0.0, 0.0), 1.0)  # no line: nothing drawn, no error
    assert len(plane.line.get_xdata()) == 0


def test_planes_can_share_a_figure():
    from matplotlib.figure import Figure

    fig = Figure()
    planes = [plots2d.DecisionPlane(ax=ax, title=str(i)) for i, ax in enumerate(fig.subplots(1, 3))]
    assert all(plane.fig is fig for plane in planes)
    assert [plane.ax.get_title() for plane in planes] == ["0", "1", "2"]
    with pytest.raises(ValueError, match="curves=True needs a figure of its own"):
        plots2d.DecisionPlane(ax=fig.axes[0], curves=True)


def test_colors_follow_the_playgrounds_scale():
    colors = plots2d.color_values([-1.0, 0.0, 1.0, 5.0, -0.2, np.nan])
    assert colors.dtype == np.uint8 and colors.shape == (6, 3)
    assert colors[0].tolist() == [0xF5, 0x93, 0x22] and colors[2].tolist() == [0x08, 0x77, 0xBD]
    assert colors[1].tolist() == [0xE8, 0xEA, 0xEB] and colors[5].tolist() == colors[1].tolist()
    assert colors[3].tolist() == colors[2].tolist()  # clipped at 1
    sign = plots2d.color_values([-0.2, 0.0, 0.3], discretize=True)
    assert sign[0].tolist() == colors[0].tolist() and sign[1].tolist() == sign[2].tolist() == colors[2].tolist()
    faded = plots2d.color_values([1.0], opacity=plots2d.MAP_OPACITY)[0]
    assert (faded > colors[2]).all()  # lighter: painted over white


def test_png_bytes_round_trip():
    from io import BytesIO

    from PIL import Image

    pixels = plots2d.color_values(np.linspace(-1, 1, 12).reshape(3, 4))
    png = plots2d.png_bytes(pixels)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert np.array_equal(np.asarray(Image.open(BytesIO(png))), pixels)


def test_points_land_where_they_are_with_their_edge():
    layer = np.zeros((60, 60, 4), np.float32)
    plots2d.add_points(layer, [[3.0, 3.0]], [[8, 119, 189]], extent=6.0, radius=3.0, edge="black")
    # (3, 3) is three quarters across and a quarter down (row 0 at the top).
    assert layer[15, 45, 3] == pytest.approx(1.0) and layer[15, 45, :3] == pytest.approx([8, 119, 189])
    assert layer[15, 47, :3].max() < 60 and layer[15, 47, 3] > 0.5  # the black edge
    assert layer[45, 15, 3] == 0 and layer[..., 3].sum() < 40
    plots2d.add_points(layer, [[9.0, 0.0]], [[0, 0, 0]], extent=6.0)  # outside: left out
    assert layer[..., 3].sum() < 40


def test_map_image_sends_a_small_background_and_a_points_overlay():
    image = plots2d.MapImage(size=120)
    values = np.zeros((10, 10))
    values[-1] = 1.0  # the top row of the grid (x2 = 6) is blue
    background = image.background(values)
    assert background.shape == (10, 10, 3) and background[0, 0].tolist() != background[-1, 0].tolist()
    assert background[0, 0].tolist() == plots2d.color_values([1.0], opacity=plots2d.MAP_OPACITY)[0].tolist()
    assert image.background_png(values)[:4] == b"\x89PNG"
    empty = image.overlay()
    top, left = image.box
    assert empty.shape == (image.height, image.width, 4)
    assert empty[top + 60, left + 60, 3] == 0  # transparent over the map
    assert empty[image.height - 10, left + 60, 3] > 0  # tick labels below it
    image.set_points([[0.0, 0.0]], [1.0], x_test=[[3.0, 0.0]], test_values=[-1.0])
    overlay = image.overlay()
    assert overlay[top + 60, left + 60, 3] == 255 and overlay[top + 60, left + 90, 3] == 255
    assert overlay[top + 60, left + 90, :3].tolist() == [0xF5, 0x93, 0x22]
    png = image.overlay_png()
    assert image.overlay_png() is png  # encoded once per set of points
    pixels = image.pixels(values)
    assert pixels.shape == (image.height, image.width, 3) and image.render(values)[:4] == b"\x89PNG"


def test_loss_chart_draws_both_curves():
    svg = plots2d.loss_chart_svg([0, 5, 10], [0.7, 0.4, 0.2], [0.7, 0.5, 0.3], width=200, height=50)
    assert svg.startswith("<svg") and svg.count("<polyline") == 2
    assert plots2d.loss_chart_svg([0], [0.7], [0.7]).count("<polyline") == 0  # one point: nothing to draw
