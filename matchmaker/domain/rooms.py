"""Rooms of online meetings made from a link template: staff give a link with placeholders (`{room}`, a fresh
random token per meeting; `{meeting}` and `{event}`, their ids), and every meeting gets its own link from it, e.g.
`https://meet.jit.si/kita-{event}-{room}`.

The template is staff's text: it is read here placeholder by placeholder, never handed to `str.format`, so that
`{room.__class__}`, `{0}`, `{room!r}` or `{room:>999}` are refused as unknown placeholders, not evaluated. Plain
string work, no Flask and no database; the messages for staff are the caller's (`RoomTemplateError.kind`).
"""

import re
import secrets

from matchmaker.domain.links import is_web_url

PLACEHOLDERS = ("room", "meeting", "event")
MAX_LENGTH = 300  # the length of a meeting's stored link
TOKEN_BYTES = 12  # 16 URL-safe characters: 96 random bits, not guessable
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# The longest a rendered link can get: a token and ids of ten digits each.
_LONGEST = {"room": "x" * len(secrets.token_urlsafe(TOKEN_BYTES)), "meeting": "9" * 10, "event": "9" * 10}


class RoomTemplateError(ValueError):
    """Why a template is refused: `kind` is one of "braces" (a `{` or `}` without its pair), "unknown" (`name` is
    the placeholder not known), "no_room" (no `{room}`), "not_web" (not an http(s) link once filled in) and
    "too_long" (over MAX_LENGTH characters once filled in)."""

    def __init__(self, kind: str, name: str | None = None):
        super().__init__(kind if name is None else f"{kind}: {name}")
        self.kind = kind
        self.name = name


def new_token() -> str:
    """A fresh room token: random, URL-safe, unguessable."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def _pieces(template: str) -> list[tuple[str, str | None]]:
    """The template as (literal text, placeholder name or None) pieces; RoomTemplateError for stray braces or a
    placeholder that is not one of PLACEHOLDERS (exactly: no attribute, index, conversion or format spec)."""
    pieces = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        literal = template[position:match.start()]
        if "{" in literal or "}" in literal:
            raise RoomTemplateError("braces")
        name = match.group(1)
        if name not in PLACEHOLDERS:
            raise RoomTemplateError("unknown", "{" + name + "}")
        pieces.append((literal, name))
        position = match.end()
    rest = template[position:]
    if "{" in rest or "}" in rest:
        raise RoomTemplateError("braces")
    pieces.append((rest, None))
    return pieces


def _fill(pieces: list[tuple[str, str | None]], values: dict[str, str]) -> str:
    return "".join(literal + (values[name] if name else "") for literal, name in pieces)


def check_template(template: str) -> None:
    """Raise RoomTemplateError unless the template has `{room}`, only known placeholders and always makes an http(s)
    link of at most MAX_LENGTH characters."""
    pieces = _pieces(template)
    if "room" not in {name for _, name in pieces}:
        raise RoomTemplateError("no_room")
    longest = _fill(pieces, _LONGEST)
    if not is_web_url(longest) or longest != longest.strip():
        raise RoomTemplateError("not_web")
    if len(longest) > MAX_LENGTH:
        raise RoomTemplateError("too_long")


def render(template: str, *, room: str, meeting: int, event: int) -> str:
    """The link of one meeting's room (the template checked first: RoomTemplateError when it is refused)."""
    check_template(template)
    return _fill(_pieces(template), {"room": room, "meeting": str(int(meeting)), "event": str(int(event))})
