"""Exactly-once Kafka batches: each batch committed to a table records its stream
and batch id in the snapshot summary, in the same commit as its rows. Snapshot
expiry removes old snapshots, so before lakestep expires any (maintenance) it
carries the newest batch id of every stream into a table property, which no
expiry removes; a replayed batch is recognised by either."""
from __future__ import annotations

import hashlib
from typing import Any

STREAM_PROPERTY = "lakestep.stream"
BATCH_PROPERTY = "lakestep.batch-id"
RECORD_PREFIX = "lakestep.batch-id."


def record_key(stream: str) -> str:
    """Table property holding a stream's newest committed batch id (a hash: streams are long URIs)."""
    return RECORD_PREFIX + hashlib.sha256(stream.encode("utf-8")).hexdigest()[:16]


def _recorded(session: Any, target: str, stream: str) -> int:
    props = {r[0]: r[1] for r in session.sql(f"SHOW TBLPROPERTIES {target}").collect()}
    value = props.get(record_key(stream))
    return int(value) if value is not None and str(value).lstrip("-").isdigit() else -1


def last_committed_batch(session: Any, target: str, stream: str) -> int:
    """The highest batch id of `stream` committed to main of `target` (-1: none): from
    the summaries of main's snapshots (a batch left on a kept audit branch does not
    count), or the table property maintenance carried them into."""
    rows = session.sql(
        f"SELECT max(CAST(s.summary['{BATCH_PROPERTY}'] AS BIGINT)) FROM {target}.snapshots s"
        f" JOIN {target}.history h ON s.snapshot_id = h.snapshot_id"
        f" WHERE h.is_current_ancestor AND s.summary['{STREAM_PROPERTY}'] = :stream", args={"stream": stream}).take(1)
    summary = -1 if not rows or rows[0][0] is None else int(rows[0][0])
    return max(summary, _recorded(session, target, stream))


def append_batch(session: Any, target: str, select_sql: str, stream: str, batch_id: int) -> bool:
    """Append the rows of `select_sql` to `target` once per (stream, batch id): a batch
    replayed after a crash between the Iceberg commit and the checkpoint is skipped."""
    if last_committed_batch(session, target, stream) >= batch_id:
        return False
    write_batch(session, target, select_sql, stream, batch_id)
    return True


def write_batch(session: Any, target: str, select_sql: str, stream: str, batch_id: int) -> None:
    (session.sql(select_sql).writeTo(target)
     .option(f"snapshot-property.{STREAM_PROPERTY}", stream)
     .option(f"snapshot-property.{BATCH_PROPERTY}", str(batch_id))
     .append())


def carry_forward(session: Any, target: str) -> dict[str, int]:
    """Copy the newest batch id of every stream in main's snapshots into the table's
    properties (never lowering one), so expiring those snapshots forgets no commit."""
    rows = session.sql(
        f"SELECT s.summary['{STREAM_PROPERTY}'], max(CAST(s.summary['{BATCH_PROPERTY}'] AS BIGINT))"
        f" FROM {target}.snapshots s JOIN {target}.history h ON s.snapshot_id = h.snapshot_id"
        f" WHERE h.is_current_ancestor AND s.summary['{STREAM_PROPERTY}'] IS NOT NULL"
        f" GROUP BY s.summary['{STREAM_PROPERTY}']").collect()
    props = {r[0]: r[1] for r in session.sql(f"SHOW TBLPROPERTIES {target}").collect()}
    newer = {}
    for stream, batch in rows:
        key = record_key(stream)
        old = props.get(key)
        if batch is not None and (old is None or not str(old).lstrip("-").isdigit() or int(old) < int(batch)):
            newer[key] = int(batch)
    if newer:
        # Keys are hashes and values integers: nothing to escape.
        pairs = ", ".join(f"'{k}'='{v}'" for k, v in sorted(newer.items()))
        session.sql(f"ALTER TABLE {target} SET TBLPROPERTIES ({pairs})")
    return newer
