"""Chapter 1's results table and experiments, as the batch results set our runs beside them.

:data:`BOOK_TABLE` holds the book's numbers (one :class:`BookRow` per row); :data:`EXPERIMENTS` names the
plan of each experiment the book reports in words and figures, the setting it varies and how to draw it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class BookRow:
    """One row of the book's results table (accuracies in percent)."""

    key: str  # the variant's name in plans/table.yaml
    label: str
    epochs: int
    train: float
    validation: float
    test: float


#: Chapter 1's table: MNIST, batch 128, validation split 0.2, all 60,000 training images.
BOOK_TABLE = (
    BookRow("simple_sgd_200", "simple: 784→10 softmax, SGD", 200, 92.36, 92.37, 92.22),
    BookRow("hidden_sgd_20", "two hidden layers of 128 ReLU, SGD", 20, 94.50, 94.63, 94.41),
    BookRow("dropout_sgd_20", "+ dropout 0.3, SGD", 20, 91.54, 94.48, 94.25),
    BookRow("dropout_sgd_250", "+ dropout 0.3, SGD", 250, 98.10, 97.73, 97.70),
    BookRow("dropout_rmsprop_20", "+ dropout 0.3, RMSprop", 20, 97.97, 97.59, 97.84),
    BookRow("dropout_adam_20", "+ dropout 0.3, Adam", 20, 98.28, 98.03, 97.93),
)

#: Runs of the table's plan that the book did not make. V2 (no dropout) trained for 250 epochs, like the
#: book's long dropout run: without it, the long run's gain cannot be split between dropout and epochs.
CONTROL_VARIANTS = ("hidden_sgd_250",)
#: The table's variants in the order the notebooks list them: the book's rows, then the controls.
TABLE_VARIANTS = tuple(row.key for row in BOOK_TABLE) + CONTROL_VARIANTS
#: Epochs -> (variant without dropout, variant with dropout 0.3), both trained with SGD.
DROPOUT_PAIRS = {20: ("hidden_sgd_20", "dropout_sgd_20"), 250: ("hidden_sgd_250", "dropout_sgd_250")}


@dataclass(frozen=True)
class Experiment:
    """One of the book's experiments, drawn from the runs of one plan."""

    plan: str  # the plan file's name in plans/
    x: str  # the varied setting, as the metrics JSON names it
    xlabel: str
    book: str  # what the book reports (its figures have no numbers)
    log_x: bool = False
    show_seconds: bool = False  # also draw seconds per epoch


EXPERIMENTS = (
    Experiment(
        "dropout",
        "dropout",
        "dropout rate",
        "test accuracy against the dropout rate (Adam): a moderate rate helps, a large one hurts",
    ),
    Experiment(
        "epochs", "epochs", "epochs", "200 epochs instead of 20 give no gain, for ten times the time", log_x=True
    ),
    Experiment(
        "learning_rate",
        "learning_rate",
        "learning rate (Adam)",
        "the best learning rate is near 0.001, Adam's default",
        log_x=True,
    ),
    Experiment(
        "hidden_units",
        "hidden_units",
        "hidden units per layer",
        "wider layers: accuracy and seconds per epoch grow, the gains shrink",
        log_x=True,
        show_seconds=True,
    ),
    Experiment("batch_size", "batch_size", "batch size", "the best accuracy is at batch size 128", log_x=True),
)

EXPERIMENTS_BY_PLAN = {experiment.plan: experiment for experiment in EXPERIMENTS}
