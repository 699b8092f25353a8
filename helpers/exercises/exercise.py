"""One exercise: what the learner fills in, how it is checked, its hints, and the feedback it gives.

An exercise's check is a plain function of the learner's answer. It returns a sentence
that says what the right answer achieved (with the number it got), or raises
:class:`Mistake` with a sentence that says what is wrong, naming the likely mistake::

    def check_sigmoid_derivative(derivative):
        got = derivative(0.0)
        if np.isclose(got, 0.5):
            raise Mistake("σ'(0) came out 0.5, which is σ(0) itself: the derivative is σ(z)(1 − σ(z))")
        ...
        return f"σ'(0) = {got:.3f}, the slope of the sigmoid at its middle"

:meth:`Exercise.check` turns that into a :class:`Feedback`: correct, wrong, or not done
yet (a blank ``...`` left in place). It never raises: an exception in the learner's
code becomes a wrong answer that names it, without a traceback. Nothing here imports
ipywidgets or TensorFlow.
"""

import html
import types
from dataclasses import dataclass, field
from typing import Callable

#: A Feedback's status.
CORRECT, WRONG, NOT_DONE = "correct", "wrong", "not done"


class Mistake(Exception):
    """Raised by a check: the answer is wrong, and the message says what is wrong."""


class NotDone(Exception):
    """Raised by a check when the answer still holds a blank (``...``) somewhere inside."""


def _blank_function(): ...


def _blank_function_with_pass():
    pass


_BLANK_BODIES = {_blank_function.__code__.co_code, _blank_function_with_pass.__code__.co_code}


def is_blank(answer):
    """Whether an answer is not filled in yet.

    That is ``...`` itself; a tuple, list or dict with ``...`` among its items; or a
    function whose body is only ``...`` or ``pass`` (a docstring is allowed).

    Parameters
    ----------
    answer : object

    Returns
    -------
    bool
    """
    if answer is Ellipsis:
        return True
    if isinstance(answer, (tuple, list)):
        return any(item is Ellipsis for item in answer)
    if isinstance(answer, dict):
        return any(item is Ellipsis for item in answer.values())
    if isinstance(answer, types.FunctionType):
        return answer.__code__.co_code in _BLANK_BODIES
    return False


def call(function, *arguments, name=None):
    """``function(*arguments)``, for a check: a result of ``...`` means the body is still a blank.

    Parameters
    ----------
    function : callable
        The learner's function.
    *arguments
        What to call it with.
    name : str, optional
        Its name in the message (default: ``function.__name__``).

    Returns
    -------
    object
        What it returned.

    Raises
    ------
    NotDone
        If it returned ``...``.
    """
    result = function(*arguments)
    if result is Ellipsis:
        raise NotDone(f"`{name or function.__name__}` still returns `...`: write its body")
    return result


def typical_mistake(got, mistakes, same):
    """What the learner's wrong result means, when it is one of the typical wrong results.

    Parameters
    ----------
    got : object
        The learner's result.
    mistakes : iterable of (object, str)
        Each typical wrong result, with what it means ("that is λw: you forgot the factor 2").
    same : callable
        ``same(got, value)``: whether the learner's result is that value, to the check's tolerance.

    Returns
    -------
    str or None
        The meaning of the first typical wrong result ``got`` is; None if it is none of them.
    """
    return next((meaning for value, meaning in mistakes if same(got, value)), None)


@dataclass(frozen=True)
class Feedback:
    """What a check says: a status (correct, wrong, not done) and one message."""

    exercise_id: str
    title: str
    status: str
    message: str
    notes: tuple = ()  # extra lines, such as a progress file that could not be read

    @property
    def correct(self):
        """True when the answer is right."""
        return self.status == CORRECT

    def __bool__(self):
        return self.correct

    @property
    def heading(self):
        """The feedback's heading: "Correct", "Not yet" or "Not done yet"."""
        return {CORRECT: "Correct", WRONG: "Not yet", NOT_DONE: "Not done yet"}[self.status]

    def __str__(self):
        lines = [f"Exercise {self.exercise_id} ({self.title}): {self.heading}. {self.sentence()}", *self.notes]
        return "\n".join(lines)

    def __repr__(self):
        return str(self)

    def sentence(self):
        """The message as a sentence: capital first letter.

        Returns
        -------
        str
        """
        return self.message[:1].upper() + self.message[1:]

    def _repr_html_(self):
        # The status is said in words, not only in colour; the border is the theme's blue,
        # orange or grey (blue and orange stay apart for colour-blind readers; the fallbacks,
        # for pages without JupyterLab's variables, have 3:1 contrast or more on white), and
        # the text keeps the theme's own colour.
        colour = {
            CORRECT: "var(--jp-brand-color1, #0072b2)",
            WRONG: "var(--jp-warn-color0, #d55e00)",
            NOT_DONE: "var(--jp-ui-font-color2, #767676)",
        }[self.status]
        symbol = {CORRECT: "✔", WRONG: "✘", NOT_DONE: "…"}[self.status]
        notes = "".join(f"<div><em>{html.escape(note)}</em></div>" for note in self.notes)
        return (
            f'<div role="status" style="border-left:4px solid {colour};padding:2px 8px">'
            f"<strong>{symbol} {self.heading}</strong> (exercise {html.escape(self.exercise_id)}, "
            f"{html.escape(self.title)}): {html.escape(self.sentence())}{notes}</div>"
        )


@dataclass(frozen=True)
class Exercise:
    """An exercise whose answer is a value or a function, checked by ``check_answer``.

    Parameters
    ----------
    id : str
        ``"NN.k"``: the notebook's number and the exercise's, as the notebook shows it.
    title : str
        A few words, shown with every feedback.
    answer : str
        The name the learner fills in (``inverted_dropout``, ``answer_05_3``).
    check_answer : callable
        The learner's answer -> a sentence on success; raises :class:`Mistake` when wrong.
    hints : tuple of str
        Shown one at a time, in order.
    points : int
        Its weight when an instructor grades the notebook.
    kind : str
        ``"number"`` (a value checked with a tolerance), ``"code"`` (checked by what it does) or ``"choice"``.
    """

    id: str
    title: str
    answer: str
    check_answer: Callable
    hints: tuple = ()
    points: int = 1
    kind: str = field(default="code")

    KINDS = ("number", "code", "choice")

    def __post_init__(self):
        if self.kind not in self.KINDS:
            raise ValueError(f"exercise {self.id}: kind {self.kind!r} is not one of {', '.join(self.KINDS)}")

    def check(self, answer):
        """The feedback for ``answer``; never raises.

        Parameters
        ----------
        answer : object
            What the learner's answer cell defined.

        Returns
        -------
        Feedback
        """
        if is_blank(answer):
            return self.feedback(
                NOT_DONE,
                f"fill in `{self.answer}` in the cell above (replace the `...`), run it, then run this cell again.",
            )
        try:
            return self.feedback(CORRECT, self.check_answer(answer))
        except NotDone as blank:
            return self.feedback(NOT_DONE, f"{blank}.")
        except Mistake as mistake:
            return self.feedback(WRONG, str(mistake))
        except Exception as error:  # the learner's code failed while being checked
            return self.feedback(WRONG, f"checking your answer raised {type(error).__name__}: {error}")

    def feedback(self, status, message):
        """A :class:`Feedback` of this exercise.

        Parameters
        ----------
        status : str
            ``CORRECT``, ``WRONG`` or ``NOT_DONE``.
        message : str
            What to tell the learner.

        Returns
        -------
        Feedback
        """
        return Feedback(self.id, self.title, status, message)


@dataclass(frozen=True)
class Choice(Exercise):
    """A question on an idea: one letter among choices, each wrong one with its own explanation.

    ``options`` maps a letter to ``(text, explanation)``; ``right`` is the right letter.
    """

    options: dict = field(default_factory=dict)
    right: str = ""
    kind: str = field(default="choice")
    check_answer: Callable = None

    def __post_init__(self):
        super().__post_init__()
        if self.right not in self.options:
            raise ValueError(f"exercise {self.id}: the right answer {self.right!r} is not one of {list(self.options)}")

    def check(self, answer):
        """The feedback for a letter: the chosen option's explanation, right or wrong.

        Parameters
        ----------
        answer : str
            One of the options' letters.

        Returns
        -------
        Feedback
        """
        if is_blank(answer):
            return self.feedback(
                NOT_DONE,
                f"set `{self.answer}` to one of {self.letters()} in the cell above "
                f"(or try the choices below), then run this cell again.",
            )
        letter = answer.strip().lower() if isinstance(answer, str) else answer
        if letter not in self.options:
            return self.feedback(WRONG, f"answer with one letter, {self.letters()}; got {answer!r}.")
        text, explanation = self.options[letter]
        status = CORRECT if letter == self.right else WRONG
        return self.feedback(status, f"({letter}) {text}: {explanation}")

    def letters(self):
        """The options' letters as a phrase: ``"a", "b" or "c"``.

        Returns
        -------
        str
        """
        letters = [f'"{letter}"' for letter in self.options]
        return ", ".join(letters[:-1]) + " or " + letters[-1]
