"""The playground's network as Keras code: the code shown builds the same network and reaches the same loss."""

import keras
import pytest

from helpers.core import playground, playground_code, playground_points
from helpers.core.playground import Playground, PlaygroundSettings

# The code is compared with the playground's network, which trains with a compiled TensorFlow loop.
pytestmark = pytest.mark.tensorflow


def run_code(code):
    namespace = {}
    exec(compile(code, "<keras code>", "exec"), namespace)
    return namespace


def architecture(model):
    return [
        (
            layer.units,
            layer.activation.__name__,
            None if layer.kernel_regularizer is None else layer.kernel_regularizer.get_config(),
        )
        for layer in model.layers
    ]


@pytest.mark.parametrize(
    "settings",
    [
        PlaygroundSettings(),
        PlaygroundSettings(
            dataset="xor",
            features=["x1", "x2", "x1*x2", "sin(x1)"],
            hidden_layers=1,
            neurons=[3],
            activation="relu",
            learning_rate=0.1,
            regularization="l2",
            regularization_rate=0.003,
            batch_size=7,
            train_percent=30,
            noise=10,
            samples=200,
        ),
        PlaygroundSettings(
            dataset="plane",
            features=["x1^2", "x2^2"],
            hidden_layers=0,
            regularization="l1",
            regularization_rate=0.01,
            learning_rate=0.001,
            seed=3,
        ),
    ],
    ids=["defaults", "xor-relu-l2", "plane-no-hidden-l1"],
)
def test_the_code_builds_the_same_network_and_reaches_the_same_first_epoch_loss(settings, capsys):
    code = playground_code.keras_code(settings, epochs=1)
    for line in (
        "keras.Sequential([",
        "model.compile(",
        "model.fit(",
        f"batch_size={settings.batch_size}",
        f"learning_rate={settings.learning_rate!r}",
    ):
        assert line in code
    reference = Playground(settings)
    reference.train(1)
    shown = run_code(code)
    model = shown["model"]
    assert architecture(model) == architecture(reference.model)
    assert model.inputs[0].shape[-1] == len(settings.features)
    assert float(model.optimizer.learning_rate) == pytest.approx(settings.learning_rate)
    assert shown["loss"] == pytest.approx(reference.history["loss"][1], rel=1e-5, abs=1e-6)
    assert f"training loss after 1 epochs: {shown['loss']:.3f}" in capsys.readouterr().out


def test_the_code_of_several_epochs_follows_the_panels_training():
    settings = PlaygroundSettings(samples=100, hidden_layers=1, neurons=[2])
    reference = Playground(settings)
    reference.train(3)
    shown = run_code(playground_code.keras_code(settings, epochs=3))
    assert shown["loss"] == pytest.approx(reference.history["loss"][1], rel=1e-5)


def test_the_code_reads_your_points_from_their_file(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        playground_points.points_csv([[1, 1], [-1, -1], [2, 1], [-2, -1], [1, 2], [-1, -2]], [1, 0, 1, 0, 1, 0])
    )
    settings = PlaygroundSettings(data_file=str(path), hidden_layers=1, neurons=[2])
    code = playground_code.keras_code(settings)
    assert f'playground_points.read_points("{path}")' in code and "make_dataset" not in code
    reference = Playground(settings)
    reference.train(1)
    assert run_code(code)["loss"] == pytest.approx(reference.history["loss"][1], rel=1e-5)


def test_bad_settings_and_epochs_are_refused():
    with pytest.raises(ValueError, match="activation must be one of"):
        playground_code.keras_code(PlaygroundSettings(activation="softmax"))
    with pytest.raises(ValueError, match="epochs must be a whole number >= 0, got -1"):
        playground_code.keras_code(PlaygroundSettings(), epochs=-1)


def test_every_feature_has_its_numpy_line():
    assert set(playground_code.FEATURE_CODE) == set(playground.FEATURES)
    assert keras.backend.backend() == "tensorflow"
