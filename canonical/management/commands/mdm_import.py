"""``manage.py mdm_import --system sap --entity customer customers.jsonl``: bulk load through the ingest rules."""

import json
import multiprocessing
import os

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from tqdm import tqdm

from canonical.choices import Entity
from canonical.db import tables_analyze
from canonical.importing import batched, read_csv, read_jsonl
from canonical.models import GOLDEN_MODELS, Conflict, CrossReference, PendingReference, SourceRecord, SourceSystem
from canonical.services.imports import (
    import_batch_ingest,
    import_batches_done,
    import_job_finish,
    import_job_open,
    import_rejects,
)


def _run_batch(args: tuple) -> tuple[int, int]:
    job_id, number, lines = args
    import_batch_ingest(job_id=job_id, number=number, lines=lines)
    return number, len(lines)


def _close_connections() -> None:
    # A forked worker must not share the parent's database socket.
    connections.close_all()


class Command(BaseCommand):
    help = "Bulk-load JSON Lines or CSV records of one system and entity, in batches, resumable after a crash."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--system", required=True)
        parser.add_argument("--entity", required=True, choices=Entity.values)
        parser.add_argument("--format", choices=["jsonl", "csv"], help="default: by file extension")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes ingesting batches in parallel; with more than one, records repeated in the file must "
            "carry source_updated_at so their order is kept",
        )
        parser.add_argument("--restart", action="store_true", help="start from the top instead of resuming")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file: str, system: str, entity: str, **options) -> None:
        if not os.path.isfile(file):
            raise CommandError(f"no such file: {file}")
        source = SourceSystem.objects.filter(code=system).first()
        if source is None:
            raise CommandError(f"no source system {system!r} (create it with: manage.py mdm_system add {system} ...)")
        fmt = options["format"] or ("csv" if file.lower().endswith(".csv") else "jsonl")
        job = import_job_open(
            system=source,
            entity=entity,
            path=file,
            batch_size=max(1, options["batch_size"]),
            restart=options["restart"],
        )
        if job.finished_at:
            self.stdout.write(f"{file} was imported already ({job.counts}); use --restart to import it again")
            return
        done = import_batches_done(job=job)
        if done:
            self.stdout.write(f"resuming: {len(done)} batches of {job.batch_size} were committed before")
        with open(file, "rb") as stream:
            lines = read_csv(stream) if fmt == "csv" else read_jsonl(stream)
            todo = ((job.pk, n, batch) for n, batch in batched(lines, job.batch_size) if n not in done)
            try:
                self._run(todo, options, disable=options["no_progress"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        job = import_job_finish(job=job)
        # Later imports and every look-up plan their queries from these statistics (autovacuum may be off or late).
        tables_analyze([GOLDEN_MODELS[entity], SourceRecord, CrossReference, PendingReference, Conflict])
        self._report(file, job)

    def _run(self, todo, options, disable: bool) -> None:
        bar = tqdm(unit=" records", disable=disable)
        workers = max(1, options["workers"])
        if workers == 1:
            for args in todo:
                bar.update(_run_batch(args)[1])
        else:
            _close_connections()
            context = multiprocessing.get_context("fork")
            with context.Pool(workers, initializer=_close_connections) as pool:
                for _, count in pool.imap_unordered(_run_batch, todo, chunksize=1):
                    bar.update(count)
        bar.close()

    def _report(self, file: str, job) -> None:
        summary = ", ".join(f"{k} {v}" for k, v in sorted(job.counts.items())) or "nothing"
        self.stdout.write(f"imported {file}: {summary}")
        rejects = import_rejects(job=job)
        if rejects:
            path = f"{file}.rejects.jsonl"
            with open(path, "w", encoding="utf-8") as out:
                for reject in rejects:
                    out.write(json.dumps(reject) + "\n")
            self.stdout.write(f"{len(rejects)} records were rejected; lines and reasons are in {path}")
