"""The instance's JSON form: reading it (with a one-line error for anything invalid) and writing it.

One backward-compatible extension of shared/formats/schedule-instance.md: a resource may carry
`"slot_capacity": {slot id: capacity}`, its capacity in those slots instead of `capacity` (interpreters who
are not there all day). Without the key a resource has `capacity` in every slot, as the format says.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from matchmaker.scheduling.instance import (
    INSTANCE_FORMAT,
    Instance,
    InvalidInstance,
    Meeting,
    Participant,
    Resource,
    Slot,
    Window,
)


def instance_to_dict(inst: Instance) -> dict:
    """The JSON form of an instance (the inverse of parse_instance)."""

    def iso(t):
        return None if t is None else t.isoformat()

    out = {
        "format": "matchmaker.schedule-instance.v1",
        "name": inst.name,
        "timezone": inst.timezone,
        "slots": [
            {
                k: v
                for k, v in {"id": s.id, "session": s.session, "start": iso(s.start), "end": iso(s.end)}.items()
                if v is not None
            }
            for s in inst.slots
        ],
        "tables": inst.tables,
        "resources": [_resource_dict(r) for r in inst.resources],
        "require_all": inst.require_all,
        "max_break_spread": inst.max_break_spread,
        "participants": [],
        "meetings": [],
    }
    if inst.table_ids is not None:
        out["table_ids"] = list(inst.table_ids)
    for p in inst.participants:
        d = {"id": p.id}
        if p.side:
            d["side"] = p.side
        if p.timezone:
            d["timezone"] = p.timezone
        if p.unavailable_slots:
            d["unavailable_slots"] = sorted(p.unavailable_slots)
        if p.available is not None:
            d["available"] = [{"start": iso(w.start), "end": iso(w.end)} for w in p.available]
        if p.max_meetings is not None:
            d["max_meetings"] = p.max_meetings
        out["participants"].append(d)
    for m in inst.meetings:
        d = {"id": m.id, "participants": list(m.participants), "weight": m.weight}
        if m.session:
            d["session"] = m.session
        if m.fixed_slot:
            d["fixed_slot"] = m.fixed_slot
        if m.after:
            d["after"] = list(m.after)
        if not m.table_needed:
            d["table_needed"] = False
        if m.needs:
            d["needs"] = list(m.needs)
        out["meetings"].append(d)
    return out


def _resource_dict(r: Resource) -> dict:
    d = {"id": r.id, "capacity": r.capacity}
    if r.slot_capacity:
        d["slot_capacity"] = dict(r.slot_capacity)
    return d


def load_instance(path) -> Instance:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except json.JSONDecodeError as e:
        raise InvalidInstance(f"not valid JSON: {e}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InvalidInstance(f"cannot read {path}: {e}") from None
    return parse_instance(data)


def parse_instance(data) -> Instance:
    """Build an Instance from the decoded JSON object; raise InvalidInstance on any problem."""
    try:
        return _parse(data)
    except InvalidInstance:
        raise
    except (TypeError, ValueError, KeyError, AttributeError) as e:  # shapes we did not foresee
        raise InvalidInstance(f"malformed instance: {e}") from None


def _parse(data) -> Instance:
    obj = _obj(data, "instance")
    fmt = obj.get("format")
    if fmt is not None and fmt != INSTANCE_FORMAT:
        raise InvalidInstance(f"format is {fmt!r}, expected {INSTANCE_FORMAT!r}")
    _zone(obj.get("timezone"), "instance timezone")
    slots = tuple(_slot(s) for s in _list(obj.get("slots"), "slots", required=True))
    tables = _int(obj.get("tables"), "tables")
    table_ids = obj.get("table_ids")
    if table_ids is not None:
        table_ids = tuple(_str(t, "table id") for t in _list(table_ids, "table_ids"))
    resources = tuple(_resource(r) for r in _list(obj.get("resources"), "resources"))
    return Instance(
        name=str(obj.get("name") or ""),
        timezone=obj.get("timezone"),
        slots=slots,
        tables=tables,
        table_ids=table_ids,
        resources=resources,
        require_all=_bool(obj.get("require_all"), "require_all", False),
        max_break_spread=_int(obj.get("max_break_spread"), "max_break_spread"),
        participants=tuple(_participant(p) for p in _list(obj.get("participants"), "participants", required=True)),
        meetings=tuple(_meeting(m) for m in _list(obj.get("meetings"), "meetings", required=True)),
    )


def _slot(d) -> Slot:
    d = _obj(d, "slot")
    sid = _str(d.get("id"), "slot id")
    session = d.get("session")
    return Slot(
        id=sid,
        session=None if session is None else _str(session, f"slot {sid!r} session"),
        start=_time(d.get("start"), f"slot {sid!r} start"),
        end=_time(d.get("end"), f"slot {sid!r} end"),
    )


def _resource(d) -> Resource:
    d = _obj(d, "resource")
    rid = _str(d.get("id"), "resource id")
    per_slot = d.get("slot_capacity")
    per_slot = {} if per_slot is None else _obj(per_slot, f"resource {rid!r} slot_capacity")
    return Resource(
        id=rid,
        capacity=_int(d.get("capacity"), f"resource {rid!r} capacity", req=True),
        slot_capacity={
            _str(sid, "slot id"): _int(cap, f"resource {rid!r} capacity in slot {sid!r}", req=True)
            for sid, cap in per_slot.items()
        },
    )


def _participant(d) -> Participant:
    d = _obj(d, "participant")
    pid = _str(d.get("id"), "participant id")
    available = d.get("available")
    if available is not None:
        available = tuple(
            Window(
                _time(_obj(w, "window").get("start"), f"participant {pid!r} window start", req=True),
                _time(w.get("end"), f"participant {pid!r} window end", req=True),
            )
            for w in _list(available, f"participant {pid!r} available")
        )
    side = d.get("side")
    return Participant(
        id=pid,
        side=None if side is None else _str(side, f"participant {pid!r} side"),
        timezone=_zone(d.get("timezone"), f"participant {pid!r} timezone"),
        unavailable_slots=frozenset(
            _str(s, "slot id") for s in _list(d.get("unavailable_slots"), f"participant {pid!r} unavailable_slots")
        ),
        available=available,
        max_meetings=_int(d.get("max_meetings"), f"participant {pid!r} max_meetings"),
    )


def _meeting(d) -> Meeting:
    d = _obj(d, "meeting")
    mid = _str(d.get("id"), "meeting id")
    people = tuple(_str(p, "participant id") for p in _list(d.get("participants"), f"meeting {mid!r} participants"))
    weight = d.get("weight", 1)
    if weight is None:
        weight = 1
    if isinstance(weight, bool) or not isinstance(weight, int | float):
        raise InvalidInstance(f"meeting {mid!r}: weight must be a number")
    session, fixed = d.get("session"), d.get("fixed_slot")
    return Meeting(
        id=mid,
        participants=people,
        weight=weight,
        session=None if session is None else _str(session, f"meeting {mid!r} session"),
        fixed_slot=None if fixed is None else _str(fixed, f"meeting {mid!r} fixed_slot"),
        after=tuple(_str(a, "meeting id") for a in _list(d.get("after"), f"meeting {mid!r} after")),
        table_needed=_bool(d.get("table_needed"), f"meeting {mid!r} table_needed", True),
        needs=tuple(_str(r, "resource id") for r in _list(d.get("needs"), f"meeting {mid!r} needs")),
    )


def _obj(v, what) -> Mapping:
    if not isinstance(v, Mapping):
        raise InvalidInstance(f"{what} must be a JSON object")
    return v


def _list(v, what, required=False) -> list:
    if v is None and not required:
        return []
    if not isinstance(v, list):
        raise InvalidInstance(f"{what} must be a list")
    return v


def _str(v, what) -> str:
    # Ids are strings in the format; whole numbers are accepted and read as their decimal text.
    if isinstance(v, str) and v != "":
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    raise InvalidInstance(f"{what} must be a non-empty string, got {v!r}")


def _int(v, what, req=False) -> int | None:
    if v is None and not req:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise InvalidInstance(f"{what} must be an integer, got {v!r}")
    return v


def _bool(v, what, default) -> bool:
    if v is None:
        return default
    if not isinstance(v, bool):
        raise InvalidInstance(f"{what} must be true or false, got {v!r}")
    return v


def _time(v, what, req=False) -> datetime | None:
    if v is None and not req:
        return None
    try:
        t = datetime.fromisoformat(v)
    except (TypeError, ValueError):
        raise InvalidInstance(f"{what} is not an ISO 8601 date-time: {v!r}") from None
    if t.utcoffset() is None:
        # Without an offset the instant is ambiguous across the participants' time zones.
        raise InvalidInstance(f"{what} needs a UTC offset: {v!r}")
    return t


def _zone(v, what) -> str | None:
    if v is None:
        return None
    try:
        ZoneInfo(_str(v, what))
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInstance(f"{what}: unknown IANA time zone {v!r}") from None
    return v
