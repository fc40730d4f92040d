"""JSON from outside the hub, checked for what the hub cannot store or answer about, naming where it is.

PostgreSQL text and jsonb hold neither NUL nor lone UTF-16 surrogates (valid JSON escapes, not valid Unicode), raw
bodies and import lines are stored as jsonb, and error answers echo keys back; so every string and key is checked
once here rather than by each field. Numbers Python cannot hold (``1e999``, 5,000 digits) and duplicate keys (which
would silently keep the last value) are reported at their path too, and nesting is bounded. Used by the API's parser
and by the importer.
"""

import json
import math
import re

MAX_DEPTH = 32  # canonical bodies are three levels deep
MAX_ERRORS = 20
_TOP_FIELD = re.compile(r"[^.\[]*")


class _OutOfRange:
    """Stands in for a number Python cannot represent, so the walk can say where it was."""


OUT_OF_RANGE = _OutOfRange()


class _DuplicateKeys(dict):
    duplicates: list[str]


def _object(pairs: list[tuple[str, object]]) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        obj = _DuplicateKeys(obj)
        obj.duplicates = [key for key, _ in pairs if key in seen or seen.add(key)]
    return obj


def _int(text: str) -> int | _OutOfRange:
    try:
        return int(text)
    except ValueError:  # more digits than sys.get_int_max_str_digits()
        return OUT_OF_RANGE


def _float(text: str) -> float | _OutOfRange:
    value = float(text)
    return OUT_OF_RANGE if math.isinf(value) else value


def _constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _text_error(text: str) -> str | None:
    if "\x00" in text:
        return "must not contain NUL characters"
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return "must be valid Unicode (it holds a lone surrogate escape)"
    return None


def _segment(key: str) -> str:
    """A key as it may appear in an error's field path: printable, encodable and short."""
    return key.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")[:80]


def _child(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{_segment(key)}" if path else _segment(key)


def body_errors(data: object) -> dict[str, list[str]]:
    """Every place in a parsed body the hub cannot accept whatever the field: {"attributes.name": ["..."]}.

    Iterative, and paths are built only for containers and errors: a 1,000-ID resolve body is on a hot path.
    """
    if not isinstance(data, dict | list):
        error = _text_error(data) if isinstance(data, str) else None
        error = "is a number out of range" if data is OUT_OF_RANGE else error
        return {"body": [error]} if error else {}
    errors: dict[str, list[str]] = {}

    def add(path: str, message: str) -> None:
        if message not in (messages := errors.setdefault(path, [])):
            messages.append(message)

    stack: list[tuple[object, str, int]] = [(data, "", 0)]
    while stack and len(errors) < MAX_ERRORS:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            add(_TOP_FIELD.match(path).group() or "body", f"must not be nested more than {MAX_DEPTH} levels deep")
            continue
        if isinstance(value, dict):
            for key in getattr(value, "duplicates", ()):
                add(_child(path, key), "is given more than once")
            for key in value:
                if error := _text_error(key):
                    add(_child(path, key), f"key {error}")
            children = value.items()
        else:
            children = enumerate(value)
        for key, item in children:
            if type(item) is str:
                if ("\x00" in item or not item.isascii()) and (error := _text_error(item)):  # cheap test first
                    add(_child(path, key), error)
            elif isinstance(item, dict | list):
                stack.append((item, _child(path, key), depth + 1))
            elif item is OUT_OF_RANGE:
                add(_child(path, key), "is a number out of range")
    return errors


def load_json(text: str) -> object:
    """``json.loads`` for untrusted text, marking what :func:`body_errors` reports. ValueError if it is not JSON."""
    try:
        return json.loads(text, object_pairs_hook=_object, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep") from None
