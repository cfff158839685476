"""Scope: which records a node receives from the hub (decision 0055).

A model declares ``SYNC_SCOPE`` (see ``registry``). A change goes to a node when:
- the node is not a node (the hub receives everything), or the model declares no scope, or the
  change is a tombstone (it names only a record id), or this site does not know the model; or
- one of the record's scope values (township P-code, school, clinic) is in the node's scope; or
- the node made a change to the record, or to the record it ``follows`` (a reply to the node's
  booking goes back to it, whatever the township).
Everything else is *withheld*: its content never leaves the hub for that node (see
``exchange._select`` for how the node still learns that those counters exist).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import models

from pyithu.sync import registry
from pyithu.sync.models import ChangeLog, Peer

Tokens = frozenset[str]


def peer_tokens(peer: Peer) -> set[str]:
    scope = peer.scope or {}
    tokens = {f"{kind}:{value}" for kind in registry.SCOPE_KINDS for value in scope.get(kind, [])}
    return tokens | {f"nodes:{peer.node_id}"}


def record_scopes(
    model: type[models.Model], object_ids: Iterable[str], using: str = "default"
) -> dict[str, tuple[Tokens, str | None]]:
    """For each record id: its scope tokens and the object id of the record it follows."""
    declared = registry.scope_of(model) or {}
    lookup = registry.key_of(model) or "pk"
    paths = {kind: path for kind, path in declared.items() if kind != "follows"}
    follows = declared.get("follows")
    followed_model = model._meta.get_field(follows).related_model if follows else None
    columns = [lookup, *paths.values()]
    if follows:
        columns.append(f"{follows}__{registry.key_of(followed_model) or 'pk'}")
    out: dict[str, tuple[Tokens, str | None]] = {}
    ids = list(object_ids)
    for i in range(0, len(ids), 500):
        rows = model._default_manager.using(using).filter(**{f"{lookup}__in": ids[i : i + 500]})
        for row in rows.values_list(*columns):
            values = row[1 : 1 + len(paths)]
            tokens = frozenset(
                f"{kind}:{value}"
                for kind, value in zip(paths, values, strict=True)
                if value is not None
            )
            parent = row[-1] if follows else None
            out[str(row[0])] = (tokens, None if parent is None else str(parent))
    return out


def followed_label(model: type[models.Model]) -> str | None:
    follows = (registry.scope_of(model) or {}).get("follows")
    if not follows:
        return None
    return model._meta.get_field(follows).related_model._meta.label_lower


def allowed(peer: Peer, changes: list[ChangeLog], using: str = "default") -> set[int]:
    """The ids of those changes whose content may go to ``peer``."""
    if peer.role != Peer.Role.NODE:
        return {c.pk for c in changes}
    mine = peer_tokens(peer)
    ok: set[int] = set()
    by_model: dict[str, list[ChangeLog]] = defaultdict(list)
    for change in changes:
        model = registry.synced_model(change.model) if change.model else None
        if model is None or change.deleted or registry.scope_of(model) is None:
            ok.add(change.pk)
        else:
            by_model[change.model].append(change)
    for label, group in by_model.items():
        model = registry.synced_model(label)
        scopes = record_scopes(model, {c.object_id for c in group}, using)
        ask: dict[str, set[str]] = defaultdict(set)
        for change in group:
            tokens, parent = scopes.get(change.object_id, (frozenset(), None))
            if tokens & mine:
                ok.add(change.pk)
                continue
            ask[label].add(change.object_id)
            if parent is not None:
                ask[followed_label(model)].add(parent)
        touched = _touched_by(peer.node_id, ask, using)
        for change in group:
            if change.pk in ok:
                continue
            _tokens, parent = scopes.get(change.object_id, (frozenset(), None))
            parent_label = followed_label(model)
            if (label, change.object_id) in touched or (parent_label, parent) in touched:
                ok.add(change.pk)
    return ok


def _touched_by(
    origin: str, wanted: dict[str, set[str]], using: str
) -> set[tuple[str | None, str | None]]:
    """(label, object id) pairs among ``wanted`` that ``origin`` made a change to."""
    found: set[tuple[str | None, str | None]] = set()
    for label, ids in wanted.items():
        id_list = sorted(ids)
        for i in range(0, len(id_list), 500):
            found.update(
                ChangeLog.objects.using(using)
                .filter(origin=origin, model=label, object_id__in=id_list[i : i + 500])
                .values_list("model", "object_id")
            )
    return found


def grouping_keys(changes: list[ChangeLog], using: str = "default") -> dict[int, str]:
    """A key per change such that changes with equal keys go to the same nodes: the hub signs
    its own changes in segments of one key, so a node receives whole segments or none."""
    keys: dict[int, str] = {}
    by_model: dict[str, list[ChangeLog]] = defaultdict(list)
    for change in changes:
        model = registry.synced_model(change.model)
        if model is None or change.deleted or registry.scope_of(model) is None:
            keys[change.pk] = ""
        else:
            by_model[change.model].append(change)
    for label, group in by_model.items():
        model = registry.synced_model(label)
        scopes = record_scopes(model, {c.object_id for c in group}, using)
        parent_label = followed_label(model)
        origins = _origins(
            {(label, c.object_id) for c in group}
            | {(parent_label, p) for _t, p in scopes.values() if p is not None},
            using,
        )
        for change in group:
            tokens, parent = scopes.get(change.object_id, (frozenset(), None))
            made_by = origins.get((label, change.object_id), set()) | origins.get(
                (parent_label, parent), set()
            )
            keys[change.pk] = " ".join(sorted(tokens)) + "|" + " ".join(sorted(made_by))
    return keys


def _origins(pairs: set[tuple[str | None, str | None]], using: str) -> dict[tuple, set[str]]:
    by_label: dict[str | None, list[str]] = defaultdict(list)
    for label, object_id in pairs:
        if label is not None and object_id is not None:
            by_label[label].append(object_id)
    out: dict[tuple, set[str]] = defaultdict(set)
    for label, ids in by_label.items():
        for i in range(0, len(ids), 500):
            rows = (
                ChangeLog.objects.using(using)
                .filter(model=label, object_id__in=ids[i : i + 500])
                .values_list("object_id", "origin")
                .distinct()
            )
            for object_id, origin in rows:
                out[(label, object_id)].add(origin)
    return out
