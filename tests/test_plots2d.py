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
