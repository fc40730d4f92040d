"""``manage.py mdm_generate --size 100000 --seed 1 --out DIR``: synthetic customers with a known ground truth.

Writes ``{system}.jsonl`` for each system, ready for ``mdm_import --system S --entity customer``, and ``truth.csv``
naming the real-world entity behind every (system, local ID). Records are streamed to disk, so a million take a
few minutes and little memory. Needs no database.
"""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching.synth import generate, write


class Command(BaseCommand):
    help = "Write synthetic customers with known duplicates: one JSON Lines file per system and truth.csv."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", type=int, default=100_000, help="records to write (default 100000)")
        parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same files")
        parser.add_argument("--out", required=True, help="directory for the files (created if missing)")
        parser.add_argument(
            "--dup-rate", type=float, default=0.5, help="share of entities held by more than one system"
        )
        parser.add_argument(
            "--intra-system-dupes",
            type=float,
            default=0.0,
            help="chance that a system holds a second record of an entity it already has",
        )
        parser.add_argument(
            "--lookalikes", type=float, default=0.3, help="share of entities made to resemble another one"
        )

    def handle(self, *args, size: int, seed: int, out: str, **options) -> None:
        started = time.perf_counter()
        try:
            records = generate(
                size,
                seed,
                options["dup_rate"],
                intra_system_dupes=options["intra_system_dupes"],
                lookalikes=options["lookalikes"],
            )
            summary = write(records, out)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        total = sum(summary.records.values())
        self.stdout.write(f"wrote {total} records to {out} in {elapsed:.1f} s")
        for system, count in summary.records.items():
            self.stdout.write(f"  {system:<12}{count:>10}")
        self.stdout.write(f"entities      {summary.entities:>10}")
        self.stdout.write(f"pairs to link {summary.pairs:>10}")
