"""Reading a YAML file strictly: a key written twice is an error, not a silent overwrite.

Plain YAML keeps the last of two equal keys, so a plan with ``EPOCHS`` written twice would run
with one of them and say nothing. :func:`read_yaml` refuses it, and words every problem (an
unreadable file, bad YAML) as one line with its place in the file.
"""

import yaml


class YamlFileError(ValueError):
    """A YAML file that cannot be read, or is not valid YAML; the message says where and why."""


class StrictLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key written twice (plain YAML keeps the last silently)."""


def _mapping_without_repeats(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            repeated = key in seen
            seen.add(key)
        except TypeError:  # an unhashable key: the constructor reports it
            continue
        if repeated and key != "<<":
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} is written twice", key_node.start_mark
            )
    return loader.construct_mapping(node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_repeats)


def read_yaml(path):
    """The content of a YAML file, read with :class:`StrictLoader`.

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    object
        What the file holds (a dict for a run plan; None for an empty file).

    Raises
    ------
    YamlFileError
        If the file cannot be read, is not text, or is not valid YAML (a key written twice included);
        the message gives the line and column where YAML stopped.
    """
    try:
        text = path.read_text()
    except OSError as error:
        raise YamlFileError(f"cannot read the file: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise YamlFileError(f"not a text file ({error.reason})") from error
    try:
        return yaml.load(text, Loader=StrictLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(error, "problem", None) or str(error)
        raise YamlFileError(f"not valid YAML{where}: {' '.join(str(what).split())}") from error
