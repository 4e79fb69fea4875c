"""Independent checker: does a schedule obey every hard rule of its instance?

It shares no code with the model on purpose (only the break arithmetic), so that the tests compare two
readings of the format. The web app can use it on schedules edited by hand.
"""

from __future__ import annotations

from collections import Counter

from matchmaker.scheduling.instance import Instance
from matchmaker.scheduling.schedule import STATUSES, Schedule, breaks_by_participant, total_weight


def validate(inst: Instance, schedule: Schedule | dict) -> list[str]:
    """Every broken rule, as one line each; an empty list means the schedule is valid."""
    data = schedule.to_dict() if isinstance(schedule, Schedule) else schedule
    problems: list[str] = []
    status = data.get("status")
    if status not in STATUSES:
        problems.append(f"unknown status {status!r}")
    slot_of: dict[str, str] = {}
    table_of: dict[str, str | None] = {}
    for a in data.get("assignments", []):
        mid, sid = a.get("meeting"), a.get("slot")
        if mid not in inst.meeting_by_id:
            problems.append(f"assignment of unknown meeting {mid!r}")
            continue
        if sid not in inst.slot_index:
            problems.append(f"meeting {mid}: unknown slot {sid!r}")
            continue
        if mid in slot_of:
            problems.append(f"meeting {mid} is assigned twice")
        slot_of[mid] = sid
        table_of[mid] = a.get("table")
    if status in ("infeasible", "unknown") and slot_of:
        problems.append(f"status {status} but there are assignments")

    listed = Counter(u.get("meeting") for u in data.get("unscheduled", []))
    for mid in inst.meeting_by_id:
        placed = mid in slot_of
        if placed and listed[mid]:
            problems.append(f"meeting {mid} is both assigned and unscheduled")
        if not placed and listed[mid] != 1:
            problems.append(f"meeting {mid} is neither assigned nor listed once in unscheduled")
    for u in data.get("unscheduled", []):
        if not u.get("reason"):
            problems.append(f"unscheduled meeting {u.get('meeting')} has no reason")
    if inst.require_all and status in ("optimal", "feasible") and len(slot_of) != len(inst.meetings):
        problems.append("require_all, but not every meeting is placed")

    idx = inst.slot_index
    people: dict[tuple[str, str], str] = {}
    labels = None
    if inst.table_ids is not None:
        labels = set(inst.table_ids)
    elif inst.tables is not None:
        labels = {str(k) for k in range(1, inst.tables + 1)}
    tables_in_slot: Counter = Counter()
    table_names: dict[tuple[str, str], str] = {}
    resource_use: Counter = Counter()
    per_person: Counter = Counter()
    for mid, sid in slot_of.items():
        m = inst.meeting_by_id[mid]
        s = idx[sid]
        for p in m.participants:
            if s not in inst.available_slots[p]:
                problems.append(f"meeting {mid}: {p} is not available in slot {sid}")
            if (p, sid) in people:
                problems.append(f"{p} is double-booked in slot {sid} ({people[p, sid]} and {mid})")
            people[p, sid] = mid
            per_person[p] += 1
        if m.session is not None and inst.slots[s].session != m.session:
            problems.append(f"meeting {mid}: slot {sid} is not in session {m.session!r}")
        if m.fixed_slot is not None and sid != m.fixed_slot:
            problems.append(f"meeting {mid}: fixed to slot {m.fixed_slot}, placed in {sid}")
        for a in m.after:
            if a not in slot_of:
                problems.append(f"meeting {mid}: must come after {a}, which is not placed")
            elif idx[slot_of[a]] >= s:
                problems.append(f"meeting {mid}: must come after {a} but is in slot {sid}")
        if m.table_needed:
            tables_in_slot[sid] += 1
            t = table_of.get(mid)
            if labels is not None:
                if t not in labels:
                    problems.append(f"meeting {mid}: table {t!r} is not one of the event's tables")
                elif (sid, t) in table_names:
                    problems.append(f"slot {sid}: table {t} given to {table_names[sid, t]} and {mid}")
                else:
                    table_names[sid, t] = mid
        for r in m.needs:
            resource_use[r, sid] += 1
    cap = inst.table_capacity
    if cap is not None:
        for sid, n in tables_in_slot.items():
            if n > cap:
                problems.append(f"slot {sid}: {n} meetings need a table, only {cap} tables")
    resources = {r.id: r for r in inst.resources}
    for (r, sid), n in sorted(resource_use.items()):
        # Read from the resource itself, not from the solver's derived per-slot table.
        cap = resources[r].slot_capacity.get(sid, resources[r].capacity)
        if n > cap:
            where = " in this slot" if sid in resources[r].slot_capacity else ""
            problems.append(f"slot {sid}: resource {r} used {n} times, capacity {cap}{where}")
    for p in inst.participants:
        if p.max_meetings is not None and per_person[p.id] > p.max_meetings:
            problems.append(f"{p.id} has {per_person[p.id]} meetings, max_meetings {p.max_meetings}")

    breaks = breaks_by_participant(inst, slot_of)
    if inst.max_break_spread is not None and breaks:
        if max(breaks.values()) - min(breaks.values()) > inst.max_break_spread:
            problems.append(
                f"break counts range from {min(breaks.values())} to {max(breaks.values())}, "
                f"more than max_break_spread {inst.max_break_spread}"
            )
    objective = data.get("objective", {})
    expected = {
        "scheduled": len(slot_of),
        "weight": total_weight(inst, slot_of),
        "breaks": sum(breaks.values()),
        "max_breaks": max(breaks.values(), default=0),
    }
    for k, v in expected.items():
        if k in objective and abs(objective[k] - v) > 1e-6:
            problems.append(f"objective {k} is {objective[k]}, the assignments give {v}")
    bound = data.get("bound", {}).get("breaks")
    if bound is not None and slot_of and bound > expected["breaks"]:
        problems.append(f"bound {bound} is above the breaks found {expected['breaks']}")
    return problems
