"""A question with choices, as buttons: every choice answers with its own explanation.

The learner's written answer (``answer_05_3 = "b"``) is checked first and its feedback
shown; the choices below it can then be tried one by one, by mouse or keyboard: each is a
button (Tab to it, Space or Enter to press it). Buttons rather than radio buttons because
JupyterLab's notebook takes the arrow keys, which move between radio buttons, for moving
between cells. Where no widget can show (papermill, a terminal, a static page) the
feedback is plain text and HTML.
"""

import ipywidgets as w

#: CSS class the browser tests find the question by (not a panel: it trains nothing).
CHOICE_CLASS = "nnf-choice"
# ipywidgets cuts a button's text to one line; a choice is a sentence, so it wraps, left-aligned.
_WRAP_BUTTON_TEXT = (
    "<style>.nnf-choice .jupyter-button { white-space: normal; text-align: left; "
    "line-height: 1.4; padding: 4px 8px; }</style>"
)


class ChoiceFeedback:
    """The feedback of a question with choices, displayed with the choices to try.

    Parameters
    ----------
    feedback : Feedback
        The check of the learner's written answer.
    exercise : Choice
        The question: its options (letter -> (text, explanation)).
    on_choice : callable
        letter -> Feedback, called when the learner checks a choice in the widget.
    written : str or None
        The letter of the written answer, if it is one of the choices.
    """

    def __init__(self, feedback, exercise, on_choice, written=None):
        self.feedback, self.exercise, self.on_choice, self.written = feedback, exercise, on_choice, written

    # The feedback's own interface, so that code treats it as the Feedback it wraps.
    def __getattr__(self, name):
        return getattr(self.feedback, name)

    def __bool__(self):
        return bool(self.feedback)

    def __repr__(self):
        return repr(self.feedback)

    def widget(self):
        """One button per choice, each answering with its explanation when pressed, and that answer.

        Returns
        -------
        ipywidgets.VBox
            The current feedback, the buttons and the answer's text.
        """
        exercise = self.exercise
        current = w.HTML(self.feedback._repr_html_())
        label = w.HTML(
            f"<strong>Try the choices</strong> of exercise {exercise.id}: press one (Tab moves "
            f"between them, Space or Enter presses) to read why it is right or wrong."
        )
        answer = w.HTML("")
        answer.add_class("nnf-choice-answer")
        buttons = []
        for letter, (text, _) in exercise.options.items():
            button = w.Button(
                description=f"({letter}) {text}",
                tooltip=f"choose ({letter}) {text}",
                layout=w.Layout(width="auto", height="auto", max_width="100%"),
            )
            button.letter = letter
            button.on_click(lambda pressed: self._answer(pressed, buttons, answer))
            buttons.append(button)
        box = w.VBox([w.HTML(_WRAP_BUTTON_TEXT), current, label, *buttons, answer])
        box.add_class(CHOICE_CLASS)
        return box

    def _answer(self, pressed, buttons, answer):
        for button in buttons:
            # "primary": the theme's blue under white text, 4.6:1 in JupyterLab Light ("info", a cyan, is 3.5:1).
            button.button_style = "primary" if button is pressed else ""
        feedback = self.on_choice(pressed.letter)
        kept = (
            ""
            if pressed.letter == self.written
            else f"<div>To keep this answer in the notebook, write <code>{self.exercise.answer} = "
            f'"{pressed.letter}"</code> in the answer cell.</div>'
        )
        answer.value = feedback._repr_html_() + kept

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget()._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/plain"] = str(self.feedback)
        bundle["text/html"] = self.feedback._repr_html_()
        return bundle
