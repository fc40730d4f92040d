from django.db import models

from .systems import SourceSystem


class IdempotencyKey(models.Model):
    """The answer given to one Idempotency-Key, so a retried request gets the same answer without a second effect."""

    system = models.ForeignKey(SourceSystem, on_delete=models.CASCADE)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["system", "key"], name="uniq_idempotency_key")]


class ImportJob(models.Model):
    """Progress of one bulk import file, committed with each batch so a crashed import resumes where it stopped."""

    system = models.ForeignKey(SourceSystem, on_delete=models.CASCADE)
    entity = models.CharField(max_length=20)
    path = models.CharField(max_length=1024)
    file_size = models.BigIntegerField()
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the file's first MiB.")
    offset = models.BigIntegerField(default=0, help_text="Byte offset after the last committed batch.")
    line = models.BigIntegerField(default=0)
    counts = models.JSONField(default=dict)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["system", "entity", "path", "fingerprint"], name="uniq_import_job")
        ]
