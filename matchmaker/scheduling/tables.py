"""Tables are named after solving: the model only keeps their number per slot, because any numbering of the
meetings of one slot is as good as any other. The numbering tries to keep people seated: a meeting takes the
table it had in the previous schedule if it kept its slot, else the table its company (or first participant)
used last, else the first free one."""

from __future__ import annotations

from collections.abc import Mapping

from matchmaker.scheduling.instance import Instance


def table_labels(inst: Instance) -> list[str] | None:
    if inst.table_ids is not None:
        return list(inst.table_ids[: inst.table_capacity])
    if inst.tables is not None:
        return [str(k) for k in range(1, inst.tables + 1)]
    return None  # unlimited room, such as an online day: nothing to name


def assign_tables(
    inst: Instance,
    slot_of: Mapping[int, int],
    previous: Mapping[int, tuple[int, str | None]] | None = None,
) -> dict[int, str]:
    """Meeting index -> table label, for placed meetings that need a table."""
    labels = table_labels(inst)
    if labels is None:
        return {}
    previous = previous or {}
    by_slot: dict[int, list[int]] = {}
    for i, s in slot_of.items():
        if inst.meetings[i].table_needed:
            by_slot.setdefault(s, []).append(i)
    last_table: dict[str, str] = {}
    out: dict[int, str] = {}
    for s in sorted(by_slot):
        free = list(labels)
        todo = sorted(by_slot[s])
        for i in list(todo):  # published meetings that kept their slot keep their table
            prev = previous.get(i)
            if prev and prev[0] == s and prev[1] in free:
                out[i] = prev[1]
                free.remove(prev[1])
                todo.remove(i)
        for i in todo:
            people = sorted(inst.meetings[i].participants, key=lambda p: inst.participant_by_id[p].side != "company")
            wanted = [last_table[p] for p in people if last_table.get(p) in free]
            t = wanted[0] if wanted else free[0]
            out[i] = t
            free.remove(t)
        for i in by_slot[s]:
            for p in inst.meetings[i].participants:
                last_table[p] = out[i]
    return out
