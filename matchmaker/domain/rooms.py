"""Rooms of online meetings, made in one of two ways a day chooses between. A link template: staff give a link with
placeholders (`{room}`, a fresh random token per meeting; `{meeting}` and `{event}`, their ids), and every meeting
gets its own link from it, e.g. `https://meet.jit.si/kita-{event}-{room}`. Or virtual tables: the rooms an office
owns, typed one a line as `Label | https://link` (`parse_rooms`), handed out by the scheduler as tables are.

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
    # Spaces, line breaks and control characters anywhere are refused: urlsplit would drop some of them silently,
    # and a line break in a link starts a new line of an invite.
    if not is_web_url(longest) or any(c.isspace() for c in longest) or _CONTROL.search(longest):
        raise RoomTemplateError("not_web")
    if len(longest) > MAX_LENGTH:
        raise RoomTemplateError("too_long")


def render(template: str, *, room: str, meeting: int, event: int) -> str:
    """The link of one meeting's room (the template checked first: RoomTemplateError when it is refused)."""
    check_template(template)
    return _fill(_pieces(template), {"room": room, "meeting": str(int(meeting)), "event": str(int(event))})


# --- virtual tables: the rooms an office owns, each with its fixed link -------------------------------------------

LABEL_LENGTH = 40  # the length of a meeting's stored table label
MAX_ROOMS = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class RoomLineError(ValueError):
    """Why one line of the rooms list is refused: `line` (1-based), `kind` one of "no_label", "no_link", "not_web"
    (not an http(s) link, or spaces inside it), "too_long" (a link over MAX_LENGTH), "label_too_long" (a label over
    LABEL_LENGTH), "control" (control characters in the label), "duplicate_label", "duplicate_link" (`other` is
    the label it repeats) and "too_many" (over MAX_ROOMS rooms)."""

    def __init__(self, line: int, kind: str, label: str = "", other: str = ""):
        super().__init__(f"line {line}: {kind}")
        self.line, self.kind, self.label, self.other = line, kind, label, other


def parse_rooms(text: str) -> tuple[list[dict], list[RoomLineError]]:
    """Staff's rooms list, one room a line as `Label | https://link` (blank lines skipped), as
    [{"label", "url"}] and the refusal of every bad line (all of them, so staff fix them in one go)."""
    found: list[dict] = []
    errors: list[RoomLineError] = []
    labels: dict[str, str] = {}
    links: dict[str, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        label, bar, url = (part.strip() for part in line.partition("|"))
        if not bar and is_web_url(label):
            label, url = "", label
        error = _line_error(number, label, url)
        if error is None and label.casefold() in labels:
            error = RoomLineError(number, "duplicate_label", label, labels[label.casefold()])
        if error is None and url in links:
            error = RoomLineError(number, "duplicate_link", label, links[url])
        if error is not None:
            errors.append(error)
            continue
        labels[label.casefold()] = label
        links[url] = label
        found.append({"label": label, "url": url})
    if len(found) > MAX_ROOMS:
        errors.append(RoomLineError(0, "too_many"))
    return found, errors


def _line_error(number: int, label: str, url: str) -> RoomLineError | None:
    if not label:
        return RoomLineError(number, "no_label")
    if _CONTROL.search(label):
        return RoomLineError(number, "control")
    if len(label) > LABEL_LENGTH:
        return RoomLineError(number, "label_too_long", label[:LABEL_LENGTH])
    if not url:
        return RoomLineError(number, "no_link", label)
    if len(url) > MAX_LENGTH:
        return RoomLineError(number, "too_long", label)
    if not is_web_url(url) or any(c.isspace() for c in url) or _CONTROL.search(url):
        return RoomLineError(number, "not_web", label)
    return None


def check_rooms(found) -> list[RoomLineError]:
    """The refusals of a rooms list given as data (a service's caller may not have come through the form)."""
    if found is None:
        return []
    if not isinstance(found, list) or not all(
        isinstance(room, dict) and isinstance(room.get("label"), str) and isinstance(room.get("url"), str)
        for room in found
    ):
        return [RoomLineError(0, "not_web")]
    return parse_rooms(rooms_text(found))[1]


def rooms_text(found: list[dict] | None) -> str:
    """A rooms list as staff type it: `Label | https://link`, one a line."""
    return "\n".join(f"{room['label']} | {room['url']}" for room in found or [])


def room_url(found: list[dict] | None, label: str | None) -> str | None:
    """The link of the room called `label` (None: no such room)."""
    return next((room["url"] for room in found or [] if room["label"] == label), None)
