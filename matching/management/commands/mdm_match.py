"""``manage.py mdm_match --entity customer``: learn match weights from the data, then re-match every golden record.

Clear duplicates are merged (the older golden ID survives), probable ones become review tasks. When most stored
records have not been indexed for matching yet, the matching tables' lookup indexes are dropped while indexing
runs and built once afterwards (candidate lookups of concurrent ingests fall back to table scans meanwhile).
Runs in parallel processes (``--workers``), and a crashed run resumes where each process stopped (``--restart``
starts over).
"""

import gc
import multiprocessing
import time
from concurrent import futures

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections, transaction
from django.utils import timezone
from tqdm import tqdm

from canonical.db import tables_analyze
from canonical.models import GOLDEN_MODELS, Conflict, CrossReference, SourceRecord, SourceSystem
from matching.engine import MATCHED_ENTITIES, FeatureCache
from matching.models import MatchRun, NonMatch, ReviewTask
from matching.services.identify import probabilistic
from matching.services.index import (
    blocking_counts_rebuild,
    bulk_indexing_worth_it,
    matching_indexes_drop,
    matching_indexes_ensure,
    records_index_missing,
)
from matching.services.rematch import rematch_chunk
from matching.services.train import match_models_train


def _vacuum(entity: str, indexed: int) -> None:
    """Freshly bulk-written tables get planner statistics (and the matching tables a visibility map), so candidate
    lookups are index-only scans and the walk over live golden records uses the primary key, from the first chunk
    instead of after autovacuum gets round to them. The tables merges read are analysed too: a bulk import may
    have left them without any statistics."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if indexed:
            cursor.execute("VACUUM (ANALYZE) matching_blockingkey, matching_blockingkeycount, matching_recordfeatures")
    tables_analyze([GOLDEN_MODELS[entity], CrossReference, SourceRecord, SourceSystem, Conflict, ReviewTask, NonMatch])


def _processes(count: int) -> futures.ProcessPoolExecutor:
    """Forked worker processes. A worker that dies (killed, out of memory) fails the command with
    BrokenProcessPool instead of leaving it waiting forever; the run resumes from each shard's cursor."""
    return futures.ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("fork"))


def _index(args: tuple[str, int, int]) -> int:
    entity, shard, shards = args
    connections.close_all()
    return records_index_missing(entity=entity, shard=shard, shards=shards)


def _garbage_settle() -> None:
    """Collect the cycles a chunk left, then move every object still alive out of the cyclic collector's sight.
    What survives a chunk is nearly all the FeatureCache's decoded features, which only grow and go by reference
    counting; without this, each full collection walked all of them again (4.0 of a worker's 32.5 s at 100,000
    records, 0.9 s with it)."""
    gc.collect()
    gc.freeze()


def _work(args: tuple[int, int]) -> None:
    run_id, shard = args
    connections.close_all()
    features = FeatureCache()
    finished = False
    while not finished:  # each chunk records its progress in the run row
        finished = rematch_chunk(run_id=run_id, shard=shard, features=features) is None
        _garbage_settle()


class Command(BaseCommand):
    help = "Train the matcher on the stored records and re-match all golden records of an entity."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--entity", required=True, choices=MATCHED_ENTITIES)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--train-only", action="store_true", help="learn weights, do not re-match")
        parser.add_argument("--no-train", action="store_true", help="re-match with the weights already learned")
        parser.add_argument("--sample", type=int, default=100_000, help="records sampled for training")
        parser.add_argument("--restart", action="store_true", help="start a new run instead of resuming")

    def handle(self, *args, entity: str, **options) -> None:
        if not probabilistic(entity):
            raise CommandError(
                f"{entity} is matched on exact identifiers; set its match mode to probabilistic in admin "
                "(Matching > Match settings) first"
            )
        workers = max(1, options["workers"])
        started = time.monotonic()
        matching_indexes_ensure()  # an earlier bulk run that crashed left them out
        bulk = bulk_indexing_worth_it(entity=entity)
        if bulk:
            matching_indexes_drop()
        try:
            connections.close_all()
            with _processes(workers) as pool:
                indexed = sum(pool.map(_index, [(entity, shard, workers) for shard in range(workers)]))
        finally:
            if bulk:
                matching_indexes_ensure()
        if indexed:
            blocking_counts_rebuild(entity=entity)
        _vacuum(entity, indexed)
        if indexed:
            self.stdout.write(f"indexed {indexed:,} stored records for matching in {time.monotonic() - started:.0f} s")
        if not options["no_train"]:
            started = time.monotonic()
            for kind, params in match_models_train(entity=entity, sample_size=options["sample"]).items():
                self.stdout.write(f"trained {entity}/{kind}: prior {params.prior:.4f} over {params.pairs:,} pairs")
            self.stdout.write(f"trained in {time.monotonic() - started:.0f} s")
        if options["train_only"]:
            return
        run = self._run(entity, workers, options["restart"])
        live = GOLDEN_MODELS[entity].objects.filter(merged_into__isnull=True).count()
        bar = tqdm(total=live, unit=" goldens", disable=options["verbosity"] == 0)
        started = time.monotonic()
        bar.update(run.goldens_done)  # resumed: what earlier attempts did
        connections.close_all()
        with _processes(run.shards) as pool:
            shards = [pool.submit(_work, (run.pk, shard)) for shard in range(run.shards)]
            while futures.wait(shards, timeout=1).not_done:
                bar.update(MatchRun.objects.get(pk=run.pk).goldens_done - bar.n)  # the shards' progress
            for shard in shards:
                shard.result()  # a worker's exception, or a worker that died (BrokenProcessPool), surfaces here
        bar.close()
        with transaction.atomic(durable=True):
            run = MatchRun.objects.select_for_update().get(pk=run.pk)
            run.finished_at = timezone.now()
            run.save(update_fields=["finished_at"])
        counts = run.counts
        self.stdout.write(
            f"re-matched {entity}: {counts.get('merged', 0)} merged (automatic links), "
            f"{counts.get('review', 0)} review tasks, {counts.get('kept', 0)} kept apart, "
            f"{counts.get('withdrawn', 0)} open review tasks withdrawn (now under the review threshold); "
            f"{GOLDEN_MODELS[entity].objects.filter(merged_into__isnull=True).count():,} golden records now "
            f"(re-match {time.monotonic() - started:.0f} s)"
        )

    def _run(self, entity: str, workers: int, restart: bool) -> MatchRun:
        run = MatchRun.objects.filter(entity=entity, finished_at__isnull=True).order_by("-started_at").first()
        if run is None or restart:
            return MatchRun.objects.create(entity=entity, shards=workers)
        self.stdout.write(f"resuming the re-match started {run.started_at:%Y-%m-%d %H:%M} ({run.counts})")
        return run
