from helpers import plotting, widgets


def test_sliders_act_on_release():
    assert widgets.slider("x", 1, 0, 3).continuous_update is False
    assert widgets.slider("x", 0.1, 0.0, 1.0, 0.1).continuous_update is False


def test_mlp_panel_trains_with_the_changed_controls(monkeypatch):
    redraws = []
    monkeypatch.setattr(plotting.LiveCurves, "redraw",
                        lambda self: redraws.append(self.lines["loss"].get_ydata().tolist()))
    panel = widgets.mlp_panel(epochs=1, train_samples=1000, hidden_units=16)
    panel.controls["epochs"].value = 2
    panel.controls["hidden_layers"].value = 1
    panel.train_button.click()
    assert panel.last_error is None
    assert len(panel.results) == 1 and len(redraws) == 2  # two epochs, two redraws
    assert "test acc" in panel.status.value
    panel.controls["hidden_units"].value = 32
    panel.train_button.click()
    assert len(panel.results) == 2 and len(redraws) == 4
    assert redraws[1] != redraws[3]


def test_panel_shows_errors_instead_of_losing_them():
    def broken(settings, output, callbacks):
        raise ValueError("batch size must be at least 1")

    panel = widgets.TrainingPanel({"batch_size": widgets.slider("b", 1, 0, 5)}, broken)
    panel.train_button.click()
    assert isinstance(panel.last_error, ValueError)
    assert "batch size must be at least 1" in panel.status.value
    assert not panel.train_button.disabled


def test_panel_prints_the_papermill_command():
    panel = widgets.mlp_panel(notebook="04_mlp.ipynb", epochs=3)
    command = panel.command()
    assert command.startswith("papermill 04_mlp.ipynb 04_mlp-out.ipynb")
    assert "-p EPOCHS 3" in command and "-p ACTIVATION relu" in command
