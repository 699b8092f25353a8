"""A link per exercise: the playground's settings in a URL, read by the panel and by the Voila app.

The unit tests write and read links; the browser test opens the classroom app (served by Voila as
`make app` serves it) with a link and finds the settings it asked for and the controls it hid.
"""

import time
from urllib.parse import quote

import pytest

from helpers.core import checks, playground_links
from helpers.core.playground import PlaygroundSettings
from helpers.core.playground_links import Link, link_query, page_url, parse_link

XOR_NO_HIDDEN = "dataset=xor&hidden_layers=0&hide=hidden_layers,neurons"


def test_a_link_holds_only_what_differs_from_the_defaults():
    values = {
        **PlaygroundSettings(dataset="xor", hidden_layers=0).as_dict(),
        "show_test_data": False,
        "discretize": True,
    }
    values = {name: values[name] for name in playground_links.LINK_SETTINGS + playground_links.VIEW_OPTIONS}
    assert link_query(values, ["hidden_layers", "neurons"]) == (
        "dataset=xor&hidden_layers=0&discretize=1&hide=hidden_layers,neurons"
    )
    assert link_query({"features": ["x1^2", "x2^2"], "learning_rate": 0.1}) == (
        "features=x1%5E2,x2%5E2&learning_rate=0.1"
    )


def test_a_link_reads_back_what_it_wrote():
    values = {
        "dataset": "spiral",
        "features": ["x1", "x2", "sin(x1)", "x1*x2"],
        "hidden_layers": 3,
        "neurons": [8, 6],
        "activation": "relu",
        "learning_rate": 0.003,
        "regularization": "l2",
        "regularization_rate": 0.001,
        "batch_size": 20,
        "noise": 15,
        "train_percent": 70,
        "show_test_data": True,
    }
    assert parse_link(link_query(values, ["features", "code"])) == Link(values, ["features", "code"])


def test_a_whole_url_with_a_token_is_read_and_the_token_ignored():
    link = parse_link("http://127.0.0.1:8866/?token=abc&" + XOR_NO_HIDDEN)
    assert link.values == {"dataset": "xor", "hidden_layers": 0} and link.hidden == ["hidden_layers", "neurons"]
    assert parse_link("") == Link() and parse_link("?") == Link()


@pytest.mark.parametrize(
    "text, message",
    [
        ("colour=red", r"'colour' in a link is not a setting; a link may set dataset, noise"),
        ("dataset=moons", "dataset must be one of 'circle'"),
        ("hidden_layers=two", r"hidden_layers in a link must be a whole number; got 'two'"),
        ("hidden_layers=9", r"hidden_layers must be a whole number in \[0, 6\]; got 9"),
        ("neurons=4,x", r"neurons in a link must be a whole number; got 'x'"),
        ("features=x1,x3", "features must be a non-empty list, each item one of"),
        ("learning_rate=0.2", r"learning_rate in a link must be one of the menu's 1e-05, .*, 10; got 0\.2"),
        ("batch_size=100", r"batch_size in a link must be at most 30"),
        ("discretize=maybe", r"discretize in a link must be 1 or 0 \(true or false\); got 'maybe'"),
        ("hide=features,colour", r"hide names 'colour', which is not a control; it may name dataset"),
    ],
)
def test_a_bad_link_is_refused_naming_the_key_and_what_is_allowed(text, message):
    with pytest.raises(checks.ParameterError, match=message):
        parse_link(text)


def test_page_url_is_the_voila_pages_address_with_its_token():
    environ = {
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8866",
        "SCRIPT_NAME": "/",
        "QUERY_STRING": "token=t0k&dataset=xor",
    }
    assert page_url(environ, "dataset=gauss") == "http://127.0.0.1:8866/?dataset=gauss&token=t0k"
    assert page_url({}, "dataset=gauss") == "?dataset=gauss"


#: The links the README hands out, one per exercise.
README_LINKS = [
    "dataset=xor&hidden_layers=0&hide=hidden_layers,neurons",
    "dataset=circle&features=x1%5E2,x2%5E2&hidden_layers=0&hide=features,hidden_layers,neurons",
    "dataset=spiral&activation=relu&hidden_layers=1&neurons=8&hide=dataset,features",
]


@pytest.mark.parametrize("text", README_LINKS, ids=["xor", "circle", "spiral"])
def test_the_readme_links_are_good_links(text):
    link = parse_link("http://127.0.0.1:8866/?token=t&" + text)
    assert link.values["dataset"] in ("xor", "circle", "spiral") and link.hidden
    PlaygroundSettings(**{name: value for name, value in link.values.items()}).validate()


# --- the panel -------------------------------------------------------------------------------


@pytest.mark.tensorflow
def test_the_panel_opens_a_link_and_copies_its_state():
    from helpers.ui.playground_panel import PlaygroundPanel

    panel = PlaygroundPanel(PlaygroundSettings(samples=100), epochs_per_step=1, resolution=10, map_size=100)
    panel.apply_link("?dataset=circle&features=x1%5E2,x2%5E2&hidden_layers=0&hide=features,hidden_layers,neurons")
    assert panel.settings().features == ["x1^2", "x2^2"] and panel.model.layers[0].units == 1
    assert panel.controls["features"].layout.display == "none" and panel.controls["neurons"].layout.display == "none"
    assert panel.controls["dataset"].layout.display is None
    panel.link_box.copy()
    assert panel.link_box.text.value == "?features=x1%5E2,x2%5E2&hidden_layers=0&hide=features,hidden_layers,neurons"
    panel.link_box.text.value = "dataset=spiral&hidden_layers=7"
    panel.link_box.open_button.click()
    assert "hidden_layers must be a whole number in [0, 6]; got 7" in panel.link_box.status.value
    assert panel.settings().dataset == "circle" and panel.settings().hidden_layers == 0  # nothing changed
    assert panel.link_box.open("dataset=spiral")
    assert panel.settings().dataset == "spiral" and panel.controls["features"].layout.display is None


# --- in the Voila app, in a real browser ---------------------------------------------------------

CIRCLE_SQUARES = "dataset=circle&features=" + quote("x1^2,x2^2", safe=",") + "&hidden_layers=0"
APP_LINK = f"{CIRCLE_SQUARES}&discretize=1&hide=features,hidden_layers,neurons,command"
PAGE_TIMEOUT = 240

# What the playground panel shows: its dataset menu, which labels are visible, the discretize box, the link.
JS_STATE = """(panel) => {
    const visible = (e) => !!e && e.offsetParent !== null && getComputedStyle(e).display !== 'none';
    const labels = [...panel.querySelectorAll('.widget-label, .widget-label-basic, label')]
        .filter(visible).map(e => e.textContent.trim());
    const menu = [...panel.querySelectorAll('.widget-dropdown')]
        .find(e => (e.querySelector('label') || {}).textContent === 'data');
    const box = [...panel.querySelectorAll('.widget-checkbox')].find(e => e.textContent.includes('Discretize'));
    const toggles = [...panel.querySelectorAll('button')].filter(visible).map(b => b.textContent.trim());
    return {dataset: menu ? menu.querySelector('select').value : null, labels, toggles,
            discretize: box ? box.querySelector('input').checked : null,
            numbers: panel.innerText};
}"""


@pytest.mark.browser
def test_the_app_opens_a_link_with_its_settings_and_hidden_controls(chromium, tmp_path):
    from voila_app import OUTPUT, app_in_chromium, screenshot_whole_app, wait_for_panels

    with app_in_chromium(chromium, 0, "voila-links.log", tmp_path) as (server, context):
        page = context.new_page()
        try:
            page.goto(f"{server.url}&{APP_LINK}", wait_until="commit", timeout=PAGE_TIMEOUT * 1000)
            wait_for_panels(page, server, PAGE_TIMEOUT)
            panel = page.locator(".nnf-panel").first.element_handle()
            # The link is read after the panels are shown: wait for its state to arrive.
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                state = page.evaluate(JS_STATE, panel)
                if "features" not in state["labels"] and state["discretize"]:
                    break
                time.sleep(0.5)
            assert state["discretize"] is True, f"the link's discretize=1 did not arrive: {state}"
            assert state["dataset"] == "circle"
            for hidden in ("features", "hidden layers", "neurons per layer"):
                assert hidden not in state["labels"], f"{hidden!r} is shown, the link hid it: {state['labels']}"
            assert "Show batch command" not in state["toggles"]
            for shown in ("data", "learning rate", "activation"):
                assert shown in state["labels"], f"{shown!r} is hidden: {state['labels']}"
            assert "x₁²" in page.evaluate("(p) => p.querySelector('svg').textContent", panel)
            # Copy link: the address of the current state, the same settings and the visitor's token.
            panel.query_selector("button:has-text('Copy link')").click()
            page.wait_for_function(
                "(p) => [...p.querySelectorAll('input[type=text]')].some(e => e.value.includes('hidden_layers=0'))",
                arg=panel,
                timeout=60000,
            )
            link = next(
                e.input_value()
                for e in panel.query_selector_all("input[type=text]")
                if "hidden_layers=0" in e.input_value()
            )
            assert link.startswith(f"http://127.0.0.1:{server.port}/?")
            asked = parse_link(APP_LINK)
            del asked.values["dataset"]  # the circle is the default: a copied link leaves it out
            assert parse_link(link) == asked and f"token={server.token}" in link
            drive_the_tools(page, panel, tmp_path)
        finally:
            screenshot_whole_app(page, OUTPUT / "app-link.png")


def drive_the_tools(page, panel, tmp_path):
    """The other new tools in the browser: Keras code, inside a neuron, your own points (good and bad)."""
    panel.query_selector("button:has-text('Show Keras code')").click()
    page.wait_for_function("(p) => p.innerText.includes('keras.Sequential([')", arg=panel, timeout=60000)
    panel.query_selector("button:has-text('Inside a neuron')").click()
    page.wait_for_function(
        "(p) => p.innerText.includes('sigmoid(z)') && p.innerText.includes('At the point')", arg=panel, timeout=60000
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1,2,1\n1,two,0\n3,3,0\n4,4,1\n")
    good = tmp_path / "mine.csv"
    good.write_text("x1,x2,label\n" + "".join(f"{i % 7 - 3},{i % 5 - 2},{i % 2}\n" for i in range(40)))

    def upload(path):  # the upload button opens the browser's file chooser
        with page.expect_file_chooser() as chooser:
            panel.query_selector("button:has-text('Your points')").click()
        chooser.value.set_files(str(path))

    upload(bad)
    page.wait_for_function(
        "(p) => p.innerText.includes(\"row 3: 'two' in column x2 is not a number\")", arg=panel, timeout=60000
    )
    upload(good)
    page.wait_for_function(
        "(p) => p.innerText.includes('Training on') && p.innerText.includes('40 points')", arg=panel, timeout=60000
    )
    page.wait_for_function("(p) => p.innerText.includes('read_points(')", arg=panel, timeout=60000)
