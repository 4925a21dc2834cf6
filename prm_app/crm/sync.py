"""Sync and reconciliation runs, worked by the job runner (prm_app.runtime) in batches.

- A **sync** sends each mapped object's records (rules.ORDER: partners before the deals that name them) to the
  CRM, one batch per request (HubSpot batch upsert, Salesforce sObject Collections upsert), keyed by the PRM key so
  a batch sent twice updates what it made. A record whose outgoing values hash as last sent is not sent again.
- A **reconciliation** reads the linked CRM records back in batches and stores each compared field whose values
  differ (CrmDrift), for the page's "23 deals differ on Amount" and its resolve buttons (resolve.py).

Each batch is three short steps: read the PRM (one transaction), call the CRM (no transaction held open), then
write the links and a sync log line naming the batch's last record, with the run's progress, in one transaction.
That log line is the run's cursor: a run resumed after its consumer died goes on after it, and a batch whose CRM
call succeeded but whose write did not is sent again (an upsert by key: the same result).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from prm_app.crm.connectors import Connector, CrmError, connector_for
from prm_app.crm.models import CrmConnection, CrmDrift, CrmLink, CrmSyncLog
from prm_app.crm.records import read_after, read_ids
from prm_app.crm.rules import OBJECTS, ORDER, FieldRule, compared, drifts, outgoing, prm_key, value_hash
from prm_app.crm.service import clear_drift, connection_of, rules_of
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError, NotFound
from prm_app.platform.jobs_progress import (
    Claim,
    JobRun,
    JobStatus,
    RunLost,
    RunProgress,
    advance_run,
    claim_run,
    fail_run,
    finish_run,
    run_progress,
    start_run,
)

log = logging.getLogger("prm_app.jobs")
SYNC, RECONCILE = "crm_sync", "crm_reconcile"
Transaction = Callable[[], AbstractContextManager[Session]]
MakeConnector = Callable[[str, str, str], Connector]


def start_crm_run(session: Session, actor: Actor, provider: str, kind: str) -> int:
    """Queue a sync or a reconciliation of the provider's connection (sent to the job runner once this commits);
    refused while one of the connection is queued or running. Returns the run's id."""
    connection = connection_of(session, actor, provider)
    if kind not in (SYNC, RECONCILE):
        raise DomainError("Choose a sync or a reconciliation.")
    busy = session.exec(
        select(JobRun.id).where(
            col(JobRun.kind).in_((SYNC, RECONCILE)),
            JobRun.subject == str(connection.id),
            col(JobRun.status).in_((JobStatus.QUEUED, JobStatus.RUNNING)),
        )
    ).first()
    if busy is not None:
        raise DomainError("A sync or reconciliation of this CRM is under way: wait for it to finish.")
    run_id = start_run(session, actor, kind, subject=str(connection.id))
    what = "Sync" if kind == SYNC else "Reconciliation"
    session.add(CrmSyncLog(connection_id=saved_id(connection), run_id=run_id, message=f"{what} queued."))
    return run_id


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    differing: int = 0
    seen: int = 0  # records covered by this attempt's batches (the run's progress)


def run_crm_job(run_id: int, transaction: Transaction, make: MakeConnector = connector_for) -> None:
    """Claim the run and work it from its cursor; does nothing when another consumer has it or it is finished.
    A CRM that refuses or cannot be reached fails the run with the reason (in the log and on the page)."""
    with transaction() as session:
        claim = claim_run(session, run_id)
    if claim is None:
        return
    connection_id = int(claim.subject)
    tally = Tally()
    try:
        with transaction() as session:
            connection = session.get(CrmConnection, connection_id)
            if connection is None:
                raise DomainError("The CRM connection was removed.")
            connector = make(connection.provider, connection.base_url, connection.token)
            rules = rules_of(session, connection_id)
            cursor = session.exec(
                select(CrmSyncLog.object_name, CrmSyncLog.after_id)
                .where(CrmSyncLog.run_id == run_id, CrmSyncLog.object_name != "")
                .order_by(col(CrmSyncLog.id).desc())
                .limit(1)
            ).first()
            if cursor is None and claim.kind == RECONCILE:
                clear_drift(session, connection_id)  # a fresh reconciliation replaces the last one's findings
        start = ORDER.index(cursor[0]) if cursor else 0
        for object_name in ORDER[start:]:
            if not rules.get(object_name):
                continue
            after = cursor[1] if cursor and cursor[0] == object_name else 0
            step = _sync_batch if claim.kind == SYNC else _reconcile_batch
            while (after := step(transaction, claim, connector, rules[object_name], object_name, after, tally)) > 0:
                pass
        with transaction() as session:
            summary = _summary(claim.kind, tally)
            session.add(_log(claim, tally, summary))
            finish_run(session, claim, {"created": tally.created, "updated": tally.updated,
                                        "failed": tally.failed, "differing": tally.differing})  # fmt: skip
    except RunLost:
        log.warning("crm run %d was taken over by another consumer; this one stops", run_id)
    except (CrmError, DomainError) as refused:
        _fail(transaction, claim, connection_id, f"Stopped: {refused.message}")
    except Exception:
        log.exception("crm run %d failed", run_id)
        _fail(transaction, claim, connection_id, "Stopped on an unexpected error; the records sent so far stay.")
        raise  # counted as a failed job run


def _summary(kind: str, tally: Tally) -> str:
    if kind == SYNC:
        return (
            f"Sync finished: {tally.created} created, {tally.updated} updated, {tally.unchanged} unchanged, "
            f"{tally.failed} failed."
        )
    return f"Reconciliation finished: {tally.differing} fields differ."


def _log(claim: Claim, tally: Tally, message: str, object_name: str = "", after_id: int = 0) -> CrmSyncLog:
    return CrmSyncLog(
        connection_id=int(claim.subject), run_id=claim.run_id, object_name=object_name, after_id=after_id,
        created=tally.created, updated=tally.updated, unchanged=tally.unchanged, failed=tally.failed, message=message,
    )  # fmt: skip


def _fail(transaction: Transaction, claim: Claim, connection_id: int, message: str) -> None:
    with transaction() as session:
        if fail_run(session, claim, message):
            session.add(CrmSyncLog(connection_id=connection_id, run_id=claim.run_id, message=message))


def _links(session: Session, connection_id: int, object_name: str, entity_ids: list[int]) -> dict[int, CrmLink]:
    rows = session.exec(
        select(CrmLink).where(
            CrmLink.connection_id == connection_id,
            CrmLink.object_name == object_name,
            col(CrmLink.entity_id).in_(entity_ids),
        )
    ).all()
    return {r.entity_id: r for r in rows}


def _sync_batch(
    transaction: Transaction,
    claim: Claim,
    connector: Connector,
    rules: list[FieldRule],
    object_name: str,
    after: int,
    tally: Tally,
) -> int:
    """Send one batch of the object after `after`; returns the batch's last id (0: nothing left)."""
    connection_id = int(claim.subject)
    with transaction() as session:
        batch = read_after(session, object_name, after, connector.batch_size)
        if not batch:
            return 0
        known = {i: (link.hash_out, link.external_id) for i, link in
                 _links(session, connection_id, object_name, [i for i, _ in batch]).items()}  # fmt: skip
    sending, unchanged = [], 0
    for entity_id, values in batch:
        props = outgoing(values, rules, creating=entity_id not in known)
        if entity_id in known and known[entity_id][0] == value_hash(props):
            unchanged += 1
            continue
        sending.append((entity_id, props))
    crm_type = OBJECTS[object_name].crm_type(connector.provider)
    results = connector.upsert(crm_type, [(prm_key(object_name, i), p) for i, p in sending]) if sending else []
    counts, problems = Tally(unchanged=unchanged), []
    with transaction() as session:
        links = _links(session, connection_id, object_name, [i for i, _ in sending])
        for (entity_id, props), result in zip(sending, results, strict=True):
            if result.error:
                counts.failed += 1
                problems.append(f"{prm_key(object_name, entity_id)}: {result.error}")
                continue
            link = links.get(entity_id)
            if link is None:
                link = CrmLink(connection_id=connection_id, object_name=object_name, entity_id=entity_id,
                               external_id=result.external_id)  # fmt: skip
                counts.created += 1
            else:
                counts.updated += 1
            link.external_id, link.hash_out, link.synced_at = result.external_id, value_hash(props), utcnow()
            session.add(link)
        last = batch[-1][0]
        message = "; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
        session.add(_log(claim, counts, message, object_name, last))
        advance_run(session, claim, done=claim.done + tally.seen + len(batch), position=last)
    tally.seen += len(batch)
    tally.created += counts.created
    tally.updated += counts.updated
    tally.unchanged += counts.unchanged
    tally.failed += counts.failed
    return last


def _reconcile_batch(
    transaction: Transaction,
    claim: Claim,
    connector: Connector,
    rules: list[FieldRule],
    object_name: str,
    after: int,
    tally: Tally,
) -> int:
    """Compare one batch of the object's links after link id `after`; returns the batch's last link id."""
    connection_id, obj, checked = int(claim.subject), OBJECTS[object_name], compared(rules)
    if not checked:
        return 0
    with transaction() as session:
        links = session.exec(
            select(CrmLink)
            .where(CrmLink.connection_id == connection_id, CrmLink.object_name == object_name, col(CrmLink.id) > after)
            .order_by(col(CrmLink.id))
            .limit(connector.batch_size)
        ).all()
        if not links:
            return 0
        pairs = [(saved_id(link), link.entity_id, link.external_id) for link in links]
        prm = read_ids(session, object_name, [e for _, e, _ in pairs])
    crm = connector.read(obj.crm_type(connector.provider), [x for _, _, x in pairs], [r.crm_field for r in checked])
    found = 0
    with transaction() as session:
        for link_id, entity_id, external_id in pairs:
            if entity_id not in prm or external_id not in crm:
                continue
            link = session.get(CrmLink, link_id)
            if link is not None:
                link.hash_in = value_hash({r.crm_field: crm[external_id].get(r.crm_field) or "" for r in checked})
                session.add(link)
            # A resumed batch replaces what it found before.
            session.exec(
                delete(CrmDrift).where(
                    col(CrmDrift.connection_id) == connection_id,
                    col(CrmDrift.object_name) == object_name,
                    col(CrmDrift.entity_id) == entity_id,
                )
            )
            for d in drifts(obj, prm[entity_id], crm[external_id], checked):
                found += 1
                session.add(CrmDrift(connection_id=connection_id, object_name=object_name, entity_id=entity_id,
                                     crm_field=d.crm_field, prm_field=d.prm_field, prm_value=d.prm_value,
                                     crm_value=d.crm_value))  # fmt: skip
        last = pairs[-1][0]
        session.add(CrmSyncLog(
            connection_id=connection_id, run_id=claim.run_id, object_name=object_name, after_id=last,
            message=f"Compared {len(pairs)} {obj.plural}: {found} fields differ.",
        ))  # fmt: skip
        advance_run(session, claim, done=claim.done + tally.seen + len(pairs), position=last)
    tally.seen += len(pairs)
    tally.differing += found
    return last


def drift_total(session: Session, connection_id: int) -> int:
    return int(session.exec(select(func.count()).where(CrmDrift.connection_id == connection_id)).one())


def crm_run_progress(session: Session, actor: Actor, run_id: int) -> RunProgress:
    """A sync or reconciliation run as it stands, for the administrator who started it (others: NotFound)."""
    actor.require(Permission.MANAGE_CRM)
    run = run_progress(session, actor, run_id)
    if run.kind not in (SYNC, RECONCILE):
        raise NotFound("CRM run")
    return run
