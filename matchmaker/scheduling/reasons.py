"""Why a meeting is not in the schedule, in words an organiser can act on.

The reason is derived by looking at the instance and at the schedule that was found, in order: nothing in the
instance allows the meeting at all (availability, session, fixed slot, resources in the slots where the pair
could meet); a participant is at their maximum; every possible slot is taken by one or both participants;
precedence; table or resource capacity; and only if a free slot exists, the solver's own choices (break
fairness, zero weight, time limit).

Each reason is a `Reason`: the organiser's English sentence the CLI prints (`text`, the JSON output's "reason"),
and a `code` with its `params` (participant ids, a resource, a number) for an application to word it in its
readers' languages. The codes are listed in `CODES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from matchmaker.scheduling.instance import Instance

# code: what it means (params)
CODES = {
    "unavailable": "a participant is not available in any slot (participant)",
    "no_common_slot": "no slot where both are available, in the session if any (session)",
    "fixed_slot_unavailable": "the fixed slot is outside a participant's availability (participants, slot)",
    "fixed_slot_session": "the fixed slot is not in the meeting's session (slot, session)",
    "fixed_slot_taken": "its only possible slots are taken by fixed meetings of its participants",
    "no_slot": "no possible slot",
    "no_tables": "the event has no tables",
    "no_interpreter": "no interpreter for the language pair at all (language)",
    "resource_capacity": "needs more of a resource than any slot has (resource, need, capacity)",
    "resource_missing": "the resource is missing in the slots where they could meet (resource, need)",
    "resources_apart": "no slot where they could meet has all the resources at once (resources)",
    "max_meetings": "a participant is at their maximum number of meetings (participant, max)",
    "too_few_slots": "a participant has more meetings than slots where they can meet someone (participant)",
    "overloaded": "a participant's meetings cannot all be fitted together (participant)",
    "fully_booked": "a participant is fully booked in the slots where they could meet (participant)",
    "both_fully_booked": "both are fully booked in the slots where they could meet",
    "booked_in_turn": "each slot where they could meet is taken by one of them",
    "precedence": "must come after a meeting that is unscheduled or too late (after)",
    "tables_full": "all tables are taken in the slots where both are free (tables)",
    "resource_full": "a resource is fully used in the slots where both are free (resource)",
    "time_limit": "not placed (or no schedule found) within the time limit",
    "zero_weight": "weight 0: placing it would only add breaks",
    "break_fairness": "placing it would break the fairness rule (max_break_spread)",
    "priority": "other meetings take priority",
    "not_together": "require_all cannot be met; this meeting has no reason of its own",
}


@dataclass(frozen=True)
class Reason:
    """Why a meeting is left out: `code` (one of `CODES`) and `params` for an application to word, `text` for the
    organiser (the CLI's sentence)."""

    code: str
    text: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return self.text

    def prefixed(self, prefix: str) -> Reason:
        """The same reason, its text after `prefix`."""
        return replace(self, text=prefix + self.text)


def _slots(inst: Instance, idx) -> str:
    ids = [inst.slots[s].id for s in sorted(idx)]
    return ", ".join(ids[:6]) + (f" and {len(ids) - 6} more" if len(ids) > 6 else "")


def _meetable(inst: Instance, i: int) -> set[int]:
    """The slots where meeting i could be on its participants' availability, session and fixed slot alone
    (resources not considered)."""
    m = inst.meetings[i]
    p, q = m.participants
    out = inst.available_slots[p] & inst.available_slots[q]
    if m.session is not None:
        out = {s for s in out if inst.slots[s].session == m.session}
    if m.fixed_slot is not None:
        out &= {inst.slot_index[m.fixed_slot]}
    return out


def _what(r: str, need: int) -> str:
    if r.startswith("interp:") and need == 1:
        return f"an interpreter for {r[len('interp:'):]}"
    return r if need == 1 else f"{need} x {r}"


def domain_reason(inst: Instance, i: int) -> Reason | None:
    """Why meeting i can never be placed, or None if some slot allows it on its own."""
    m = inst.meetings[i]
    p, q = m.participants
    ap, aq = inst.available_slots[p], inst.available_slots[q]
    for who, av in ((p, ap), (q, aq)):
        if not av:
            return Reason("unavailable", f"participant {who} is not available in any slot", {"participant": who})
    common = ap & aq
    if not common:
        return Reason("no_common_slot",
                      f"no slot where both are available ({p}: {_slots(inst, ap)}; {q}: {_slots(inst, aq)})")
    if m.session is not None:
        common = {s for s in common if inst.slots[s].session == m.session}
        if not common:
            return Reason("no_common_slot", f"no slot in session {m.session!r} where both are available",
                          {"session": m.session})
    if m.fixed_slot is not None:
        s = inst.slot_index[m.fixed_slot]
        if s not in common:
            away = [w for w, av in ((p, ap), (q, aq)) if s not in av]
            if away:
                return Reason("fixed_slot_unavailable",
                              f"fixed slot {m.fixed_slot} is outside the availability of {' and '.join(away)}",
                              {"participants": away, "slot": m.fixed_slot})
            return Reason("fixed_slot_session", f"fixed slot {m.fixed_slot} is not in session {m.session!r}",
                          {"slot": m.fixed_slot, "session": m.session})
        common = {s}
    if m.table_needed and inst.table_capacity == 0:
        return Reason("no_tables", "table capacity: the event has no tables")
    for r in sorted(set(m.needs)):
        need, caps = m.needs.count(r), inst.resource_capacity[r]
        most = max(caps, default=0)
        if r.startswith("interp:") and most == 0:
            language = r[len("interp:"):]
            return Reason("no_interpreter",
                          f"needs an interpreter for {language}, and there is none for this language pair",
                          {"language": language})
        if need > most:
            params = {"resource": r, "need": need, "capacity": most}
            if len(set(caps)) == 1:
                return Reason("resource_capacity", f"needs {need} x {r}, but its capacity is {most}", params)
            return Reason("resource_capacity", f"needs {need} x {r}, but its capacity is at most {most} in any slot",
                          params)
        if all(caps[s] < need for s in common):
            # Some slots have it (slot_capacity), but none of those where this pair could meet.
            none = "none" if need == 1 else "not that many"
            where = f"{_slots(inst, common)}, the slots where they could meet"
            return Reason("resource_missing", f"needs {_what(r, need)}, and there is {none} in {where}",
                          {"resource": r, "need": need})
    if not inst.domains[i]:
        names = " and ".join(sorted(set(m.needs)))
        return Reason("resources_apart", f"needs {names}, and no slot where they could meet has all of them at once",
                      {"resources": sorted(set(m.needs))})
    return None


def _lacking(inst: Instance, i: int, busy: Mapping[str, set[int]]) -> str:
    """A note on the slots where both participants are free but a needed resource is not ("" if none)."""
    m = inst.meetings[i]
    p, q = m.participants
    dom = set(inst.domains[i])
    gaps = [s for s in _meetable(inst, i) - dom if s not in busy.get(p, ()) and s not in busy.get(q, ())]
    if not gaps:
        return ""
    names = ", ".join(sorted(set(m.needs)))
    return f"; both are free in {_slots(inst, gaps)}, but there is not enough {names} then"


def participant_overload(inst: Instance, pid: str, domains) -> Reason:
    """Reason for the meetings of a participant whose meetings cannot all be placed together."""
    mine = inst.meetings_of[pid]
    reachable = set().union(*(set(domains[i]) for i in mine)) if mine else set()
    mx = inst.participant_by_id[pid].max_meetings
    if mx is not None and len(mine) > mx:
        return Reason("max_meetings", f"participant {pid} has {len(mine)} meetings but max_meetings {mx}",
                      {"participant": pid, "max": mx})
    if len(mine) > len(reachable):
        return Reason(
            "too_few_slots",
            f"participant {pid} has {len(mine)} meetings but only {len(reachable)} slots where they can meet someone",
            {"participant": pid},
        )
    return Reason(
        "overloaded",
        f"participant {pid}'s {len(mine)} meetings cannot all be fitted into the slots they share with each partner "
        "(and the fixed slots, sessions and precedences)",
        {"participant": pid},
    )


def explain(
    inst: Instance,
    domains,
    slot_of: Mapping[int, int],
    i: int,
    *,
    proven: bool,
) -> Reason:
    """Reason for meeting i being left out of the schedule `slot_of` (meeting index -> slot index)."""
    r = domain_reason(inst, i)
    if r:
        return r
    m = inst.meetings[i]
    p, q = m.participants
    busy: dict[str, set[int]] = {}
    tables = [0] * len(inst.slots)
    resources: dict[tuple[str, int], int] = {}
    for j, s in slot_of.items():
        for x in inst.meetings[j].participants:
            busy.setdefault(x, set()).add(s)
        tables[s] += inst.meetings[j].table_needed
        for res in inst.meetings[j].needs:
            resources[res, s] = resources.get((res, s), 0) + 1
    for who in (p, q):
        mx = inst.participant_by_id[who].max_meetings
        if mx is not None and len(busy.get(who, ())) >= mx:
            return Reason("max_meetings", f"participant {who} already has the maximum of {mx} meetings",
                          {"participant": who, "max": mx})
    dom = list(domains[i]) or list(inst.domains[i])
    free = [s for s in dom if s not in busy.get(p, ()) and s not in busy.get(q, ())]
    if not free:
        p_full = all(s in busy.get(p, ()) for s in dom)
        q_full = all(s in busy.get(q, ()) for s in dom)
        note = _lacking(inst, i, busy)
        if p_full and q_full:
            return Reason("both_fully_booked", "both are fully booked in the slots where they could meet" + note)
        if p_full or q_full:
            who = p if p_full else q
            text = f"participant {who} is fully booked in the slots where they could meet" + note
            return Reason("fully_booked", text, {"participant": who})
        return Reason("booked_in_turn",
                      "both are fully booked: each slot where they could meet is taken by one of them" + note)
    for a in m.after:
        j = inst.meeting_index[a]
        if j not in slot_of:
            text = f"precedence: must come after meeting {a}, which is not scheduled"
            return Reason("precedence", text, {"after": a})
        late = [s for s in free if s <= slot_of[j]]
        if len(late) == len(free):
            return Reason("precedence", (
                f"precedence: must come after meeting {a} (slot {inst.slots[slot_of[j]].id}), "
                "and both are booked in every later slot"
            ), {"after": a})
        free = [s for s in free if s > slot_of[j]]
    cap = inst.table_capacity
    if m.table_needed and cap is not None and all(tables[s] >= cap for s in free):
        return Reason(
            "tables_full",
            f"table capacity: all {cap} tables are taken in {_slots(inst, free)}, the slots where both are free",
            {"tables": cap},
        )
    for res in sorted(set(m.needs)):
        caps = inst.resource_capacity[res]
        full = [s for s in free if resources.get((res, s), 0) + m.needs.count(res) > caps[s]]
        if len(full) == len(free):
            return Reason("resource_full", (
                f"resource {res} is fully used in {_slots(inst, free)}, the slots where both are free"
                + _lacking(inst, i, busy)
            ), {"resource": res})
    if not proven:
        return Reason("time_limit",
                      f"not placed within the time limit (both are free in {_slots(inst, free)}); allow more time")
    if m.weight == 0:
        return Reason("zero_weight", "weight 0: placing it would only add breaks")
    if inst.max_break_spread is not None:
        return Reason("break_fairness", (
            f"placing it would break the fairness rule max_break_spread={inst.max_break_spread} "
            f"(both are free in {_slots(inst, free)})"
        ), {"max_break_spread": inst.max_break_spread})
    return Reason("priority", "other meetings take priority (precedences or capacity elsewhere)")
