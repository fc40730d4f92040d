"""Manage source systems: ``mdm_system add CODE --kind erp``, ``list``, ``token CODE`` (rotate)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from canonical.choices import SystemKind
from canonical.models import SourceSystem
from canonical.services.systems import source_system_create, source_system_token_rotate


class Command(BaseCommand):
    help = "Add source systems, list them, rotate their API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create a source system and print its API token last")
        add.add_argument("code")
        add.add_argument("--kind", required=True, choices=SystemKind.values)
        add.add_argument("--name", default="")
        add.add_argument("--trust-rank", type=int, default=100)
        sub.add_parser("list", help="list source systems")
        token = sub.add_parser("token", help="issue a new API token (the old one stops working)")
        token.add_argument("code")

    def handle(self, *args, action: str, **options) -> None:
        if action == "add":
            if SourceSystem.objects.filter(code=options["code"]).exists():
                raise CommandError(f"source system {options['code']!r} exists; use 'token' to issue a new token")
            try:
                system, token = source_system_create(
                    code=options["code"], kind=options["kind"], name=options["name"], trust_rank=options["trust_rank"]
                )
            except ValidationError as exc:
                raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
            self.stdout.write(f"created source system {system.code} ({system.kind}); API token:")
            self.stdout.write(token)
        elif action == "list":
            for system in SourceSystem.objects.all():
                state = "enabled" if system.enabled else "disabled"
                self.stdout.write(f"{system.code}\t{system.kind}\t{state}\ttoken {system.token_hint}…")
        else:
            system = SourceSystem.objects.filter(code=options["code"]).first()
            if system is None:
                raise CommandError(f"no source system {options['code']!r}")
            token = source_system_token_rotate(system=system)
            self.stdout.write(f"new API token for {system.code}:")
            self.stdout.write(token)
