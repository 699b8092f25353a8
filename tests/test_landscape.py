import numpy as np

from helpers.figures import landscape


def quadratic(w):
    return w**2 + 1.0


def bowl(points):
    return points[..., 0] ** 2 + 10 * points[..., 1] ** 2 + 0.1


def test_path_on_curve_draws_the_path_and_drops_a_blow_up():
    figure = landscape.PathOnCurve(quadratic, -3, 3)
    path = np.array([2.0, 1.0, 0.5, np.inf])
    figure.show_path(path, quadratic(path))
    np.testing.assert_allclose(figure.path_line.get_xdata(), [2.0, 1.0, 0.5])
    np.testing.assert_allclose(figure.path_line.get_ydata(), [5.0, 2.0, 1.25])
    np.testing.assert_allclose(figure.end_marker.get_xdata(), [0.5])
    np.testing.assert_allclose(figure.cost_line.get_xdata(), [0, 1, 2])
    assert figure.ax_cost.get_yscale() == "log"
    low, high = figure.ax_cost.get_ylim()
    assert low < 1.25 and high > 5.0


def test_path_on_curve_updates_the_same_artists():
    figure = landscape.PathOnCurve(quadratic, -3, 3)
    lines = len(figure.ax_curve.get_lines())
    for start in (2.0, -1.0):
        figure.show_path(np.array([start, start / 2]), quadratic(np.array([start, start / 2])))
    assert len(figure.ax_curve.get_lines()) == lines
    np.testing.assert_allclose(figure.start_marker.get_xdata(), [-1.0])


def test_paths_on_contour_one_line_per_label_kept_across_updates():
    figure = landscape.PathsOnContour(bowl, (-2, 2), (-1, 1), curve_xlabel="epoch")
    for scale in (1.0, 0.5):
        paths = {
            "full batch": scale * np.array([[1.0, 1.0], [0.5, 0.2], [0.2, 0.0]]),
            "stochastic": scale * np.array([[1.0, 1.0], [np.nan, np.nan]]),
        }
        curves = {label: (np.arange(len(path)), bowl(path)) for label, path in paths.items()}
        figure.show_paths(paths, curves)
    assert sorted(figure.paths) == ["full batch", "stochastic"]
    assert len(figure.ax_map.get_lines()) == 4  # a path and its end marker, per label
    np.testing.assert_allclose(figure.paths["full batch"].get_xdata(), [0.5, 0.25, 0.1])
    np.testing.assert_allclose(figure.paths["stochastic"].get_xdata(), [0.5])  # stops before the nan
    assert len(figure.curves["stochastic"].get_ydata()) == 1
    assert figure.ax_cost.get_xlabel() == "epoch"
