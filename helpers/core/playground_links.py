"""The playground's state as a link: settings in a URL's query string, and controls to hide.

``?dataset=xor&hidden_layers=0&features=x1,x2&hide=hidden_layers,neurons`` opens
the playground on XOR without a hidden layer, with the controls of the layers
hidden: a teacher hands out one link per exercise. Only the settings that differ
from the defaults are written; lists are comma-separated. :func:`parse_link`
reads such a string back (the part after ``?``, or the whole URL), checking
every value with the settings' own rules, so a mistyped link is refused with a
message naming the key, the value and what is allowed.
"""

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlsplit

from helpers.core import checks, playground

#: The settings a link may set, with the menu of choices a panel offers for some of them.
LINK_SETTINGS = (
    "dataset",
    "noise",
    "train_percent",
    "features",
    "hidden_layers",
    "neurons",
    "activation",
    "learning_rate",
    "regularization",
    "regularization_rate",
    "batch_size",
    "data_file",
)
#: The panel's display options a link may set.
VIEW_OPTIONS = ("show_test_data", "discretize")
#: What ``hide=`` may name: any setting or display option, and the panel's tools.
TOOLS = ("epochs_per_step", "code", "neuron", "points", "link", "command")
HIDEABLE = LINK_SETTINGS + VIEW_OPTIONS + TOOLS
#: Keys of the page's own URL that are not the playground's (Voila's login token, its page template and theme).
IGNORED = ("token", "template", "theme")
#: Values that only a menu's choices allow (a panel's menus hold no others).
MENUS = {"learning_rate": playground.LEARNING_RATES, "regularization_rate": playground.REGULARIZATION_RATES}
#: The panel's batch size slider goes up to this.
MAX_BATCH_SIZE = 30
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@dataclass
class Link:
    """What a link asks for (see :func:`parse_link`).

    Attributes
    ----------
    values : dict
        Settings and display options by name, typed (lists as lists).
    hidden : list of str
        Controls to hide (names of :data:`HIDEABLE`).
    """

    values: dict = field(default_factory=dict)
    hidden: list = field(default_factory=list)


def _text(value):
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def link_query(values, hidden=()):
    """The query string (without ``?``) for ``values`` (settings and display options) and ``hidden``.

    Settings equal to :class:`PlaygroundSettings`' defaults and display
    options that are off are left out, so links stay short.

    Parameters
    ----------
    values : dict
        Settings and display options by name (others are refused).
    hidden : sequence of str
        Controls to hide.

    Returns
    -------
    str
    """
    defaults = playground.PlaygroundSettings().as_dict()
    unknown = sorted(set(values) - set(LINK_SETTINGS) - set(VIEW_OPTIONS))
    if unknown:
        raise ValueError(f"a link cannot hold {', '.join(unknown)}; it holds {', '.join(LINK_SETTINGS + VIEW_OPTIONS)}")
    parts = []
    for name in LINK_SETTINGS + VIEW_OPTIONS:
        if name not in values:
            continue
        value = values[name]
        if name in VIEW_OPTIONS and not value or name in defaults and defaults[name] == value:
            continue
        parts.append(f"{name}={quote(_text(value), safe=',*()')}")
    if hidden:
        _check_hidden(list(hidden))
        parts.append("hide=" + ",".join(hidden))
    return "&".join(parts)


def _check_hidden(names):
    unknown = [name for name in names if name not in HIDEABLE]
    if unknown:
        raise checks.ParameterError(
            f"hide names {unknown[0]!r}, which is not a control; it may name {', '.join(HIDEABLE)}"
        )


def _typed(name, text):
    """The value of ``name`` written as ``text`` in a link, with the type its rule asks for."""
    rule = playground.PlaygroundSettings.RULES.get(name, "bool")
    if rule == "bool":
        if text.lower() in _TRUE + _FALSE:
            return text.lower() in _TRUE
        raise checks.ParameterError(f"{name} in a link must be 1 or 0 (true or false); got {text!r}")
    if rule.startswith("list of "):
        items = [item.strip() for item in text.split(",") if item.strip()]
        return [_number(name, item, "int") if "int" in rule else item for item in items]
    kind = rule.split()[0]
    return _number(name, text, kind) if kind in ("int", "float") else text


def _number(name, text, kind):
    try:
        return int(text) if kind == "int" else float(text)
    except ValueError:
        raise checks.ParameterError(f"{name} in a link must be {checks.describe(kind)}; got {text!r}") from None


def parse_link(text):
    """Read a link's settings, display options and hidden controls.

    Parameters
    ----------
    text : str
        A query string (``dataset=xor&hide=features``, with or without the
        ``?``) or a whole URL; empty gives an empty :class:`Link`.

    Returns
    -------
    Link

    Raises
    ------
    helpers.core.checks.ParameterError
        For a key that is not a setting, a value its rule or the panel's menu
        does not allow, or a ``hide`` naming no control.
    """
    text = (text or "").strip()
    if "?" in text or "://" in text:
        text = urlsplit(text).query
    link = Link()
    for key, value in parse_qsl(text.lstrip("?"), keep_blank_values=True):
        if key in IGNORED:
            continue
        if key == "hide":
            link.hidden += [name.strip() for name in value.split(",") if name.strip()]
            continue
        if key not in LINK_SETTINGS + VIEW_OPTIONS:
            raise checks.ParameterError(
                f"{key!r} in a link is not a setting; a link may set "
                f"{', '.join(LINK_SETTINGS + VIEW_OPTIONS)} and hide=..."
            )
        link.values[key] = _typed(key, value)
    _check_hidden(link.hidden)
    settings = {name: value for name, value in link.values.items() if name in LINK_SETTINGS}
    if settings:
        checks.check_values(settings, {name: playground.PlaygroundSettings.RULES[name] for name in settings})
    for name, choices in MENUS.items():
        if name in settings and settings[name] not in choices:
            raise checks.ParameterError(
                f"{name} in a link must be one of the menu's "
                f"{', '.join(f'{choice:g}' for choice in choices)}; got {settings[name]:g}"
            )
    if settings.get("batch_size", 1) > MAX_BATCH_SIZE:
        raise checks.ParameterError(
            f"batch_size in a link must be at most {MAX_BATCH_SIZE} (the slider's "
            f"largest); got {settings['batch_size']}"
        )
    return link


def page_url(environ, query=""):
    """The address of the page a Voila kernel serves, from the request Voila passes to the kernel.

    Parameters
    ----------
    environ : mapping
        The kernel's environment (``os.environ``): Voila sets ``SERVER_NAME``,
        ``SERVER_PORT``, ``SCRIPT_NAME`` and ``QUERY_STRING``.
    query : str
        The query string to put in the address.

    Returns
    -------
    str
        ``http://host:port/path?query`` (with the page's own ``token``, if it
        had one); without ``SERVER_NAME`` (JupyterLab), only ``?query``.
    """
    kept = [
        f"{key}={quote(value)}" for key, value in parse_qsl(environ.get("QUERY_STRING", "")) if key in IGNORED
    ]  # the visitor's token and page options, so the link opens the page as theirs did
    query = "&".join([part for part in [query] if part] + kept)
    host = environ.get("SERVER_NAME", "")
    if not host:
        return "?" + query
    port = environ.get("SERVER_PORT", "")
    return f"http://{host}{':' + port if port else ''}{environ.get('SCRIPT_NAME', '/')}?{query}"
