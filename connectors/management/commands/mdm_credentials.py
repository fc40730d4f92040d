"""Credential keys: ``newkey`` prints a fresh key; ``rotate`` re-encrypts every system's credentials with the first
key of MDMHUB_CREDENTIAL_KEYS (run after putting a new key first; then the old key can be removed)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from canonical.models import SourceSystem
from connectors.credentials import CredentialError, new_key, rotate


class Command(BaseCommand):
    help = "Generate a credential key, or re-encrypt stored credentials with the newest key."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["newkey", "rotate"])

    def handle(self, *args, action: str, **options) -> None:
        if action == "newkey":
            self.stdout.write(new_key())
            return
        done = 0
        with transaction.atomic(durable=True):
            for system in SourceSystem.objects.select_for_update().exclude(credentials_encrypted=""):
                try:
                    system.credentials_encrypted = rotate(system.credentials_encrypted)
                except CredentialError as exc:
                    raise CommandError(f"{system.code}: credentials do not decrypt with the configured keys") from exc
                system.save(update_fields=["credentials_encrypted"])
                done += 1
        self.stdout.write(f"re-encrypted the credentials of {done} system(s) with the first key")
