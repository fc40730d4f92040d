"""Bulk import: batches of records through the ingest rules. Each batch commits with its own progress row, so an
import that crashed resumes with the batches it had not committed, and batches can run in parallel processes."""

import hashlib
import os
from collections import Counter

from django.db import OperationalError, transaction
from django.utils import timezone

from ..importing import RawLine, parse_lines
from ..models import ImportBatch, ImportJob, SourceSystem
from .ingest import ingest_in_transaction

DEADLOCK_RETRIES = 3


def file_fingerprint(path: str) -> tuple[int, str]:
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)
    return os.path.getsize(path), hashlib.sha256(head).hexdigest()


def import_job_open(
    *, system: SourceSystem, entity: str, path: str, batch_size: int, restart: bool = False
) -> ImportJob:
    """The job for this file: resumed where it stopped, or started over when asked."""
    size, fingerprint = file_fingerprint(path)
    with transaction.atomic(durable=True):
        job, created = ImportJob.objects.select_for_update().get_or_create(
            system=system,
            entity=entity,
            path=os.path.abspath(path),
            fingerprint=fingerprint,
            defaults={"file_size": size, "batch_size": batch_size},
        )
        if restart or (not created and job.file_size != size):
            job.batches.all().delete()
            job.file_size, job.batch_size, job.counts, job.finished_at = size, batch_size, {}, None
            job.save()
    return job


def import_batches_done(*, job: ImportJob) -> set[int]:
    return set(job.batches.values_list("number", flat=True))


def import_batch_ingest(*, job_id: int, number: int, lines: list[RawLine]) -> dict:
    """Parse, validate and ingest one batch and record it as done, atomically. Returns the batch's counts.

    Two batches running at once can wait on each other's locks; PostgreSQL then cancels one, which is retried.
    """
    job = ImportJob.objects.select_related("system").get(pk=job_id)
    parsed = parse_lines(job.entity, lines)
    items = [p.item for p in parsed if p.item is not None]
    rejects = [{"line": p.line, "errors": p.errors, "record": p.text[:2000]} for p in parsed if p.item is None]
    for attempt in range(DEADLOCK_RETRIES + 1):
        try:
            with transaction.atomic(durable=True):
                if ImportBatch.objects.filter(job=job, number=number).exists():
                    return {}  # committed by an earlier run that died before reporting it
                results = ingest_in_transaction(system=job.system, entity=job.entity, items=items)
                counts = Counter(r.outcome for r in results)
                if rejects:
                    counts["rejected"] = len(rejects)
                ImportBatch.objects.create(
                    job=job,
                    number=number,
                    first_line=lines[0].line if lines else 0,
                    last_line=lines[-1].line if lines else 0,
                    counts=dict(counts),
                    rejects=rejects,
                )
            return dict(counts)
        except OperationalError as exc:
            if "deadlock" not in str(exc).lower() or attempt == DEADLOCK_RETRIES:
                raise
    return {}


def import_job_finish(*, job: ImportJob) -> ImportJob:
    with transaction.atomic(durable=True):
        totals: Counter = Counter()
        for counts in job.batches.values_list("counts", flat=True):
            totals.update(counts)
        job.counts = dict(totals)
        job.finished_at = timezone.now()
        job.save(update_fields=["counts", "finished_at", "updated_at"])
    return job


def import_rejects(*, job: ImportJob) -> list[dict]:
    rows = job.batches.exclude(rejects=[]).order_by("number").values_list("rejects", flat=True)
    return [reject for batch in rows for reject in batch]
