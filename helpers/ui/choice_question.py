"""A question with choices, as buttons: every choice answers with its own explanation.

The learner's written answer (``answer_05_3 = "b"``) is checked first and its feedback
shown; the choices below it can then be tried one by one, by mouse or keyboard (Tab to
the group, arrow keys between choices, Enter or Space on *Check*). Where no widget can
show (papermill, a terminal, a static page) the feedback is plain text and HTML.
"""

import ipywidgets as w

from helpers.ui.controls import PANEL_CLASS

#: CSS class the browser tests find the question by.
CHOICE_CLASS = "nnf-choice"


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
        """The choices as radio buttons, a *Check* button and the feedback they get."""
        options = [(f"({letter}) {text}", letter) for letter, (text, _) in self.exercise.options.items()]
        written = self.exercise.answer
        current = w.HTML(self.feedback._repr_html_())
        choices = w.RadioButtons(options=options, value=None, layout=w.Layout(width="auto"))
        # The group's accessible name is the question's title; the visible label says it too.
        label = w.HTML(f"<strong>Try the choices</strong> of exercise {self.exercise.id} "
                       f"(arrow keys move between them, then <em>Check</em>):")
        choices.description = f"Exercise {self.exercise.id}: {self.exercise.title}"
        choices.style.description_width = "0px"
        check = w.Button(description="Check", tooltip=f"check the chosen answer of exercise {self.exercise.id}")
        answer = w.HTML("")

        def on_check(_):
            if choices.value is None:
                answer.value = "<div role='status'>Choose one of the answers first.</div>"
                return
            feedback = self.on_choice(choices.value)
            kept = ("" if choices.value == self.written else
                    f"<div>To keep this answer in the notebook, write <code>{written} = "
                    f"\"{choices.value}\"</code> in the answer cell.</div>")
            answer.value = feedback._repr_html_() + kept

        check.on_click(on_check)
        box = w.VBox([current, label, choices, check, answer])
        box.add_class(PANEL_CLASS)
        box.add_class(CHOICE_CLASS)
        return box

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget()._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/plain"] = str(self.feedback)
        bundle["text/html"] = self.feedback._repr_html_()
        return bundle
