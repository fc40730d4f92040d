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
    """One bulk import of one file; its batches are recorded as they commit, so a crashed import resumes."""

    system = models.ForeignKey(SourceSystem, on_delete=models.CASCADE)
    entity = models.CharField(max_length=20)
    path = models.CharField(max_length=1024)
    file_size = models.BigIntegerField()
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the file's first MiB.")
    batch_size = models.PositiveIntegerField(help_text="Fixed for the job so batch numbers mean the same on resume.")
    counts = models.JSONField(default=dict, help_text="Outcomes of the whole file, when finished.")
    finished_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["system", "entity", "path", "fingerprint"], name="uniq_import_job")
        ]

    def __str__(self) -> str:
        return f"{self.path} ({self.system_id}/{self.entity})"


class ImportBatch(models.Model):
    """One committed batch of an import: written in the same transaction as the records it ingested."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveIntegerField()
    first_line = models.PositiveBigIntegerField()
    last_line = models.PositiveBigIntegerField()
    counts = models.JSONField(default=dict)
    rejects = models.JSONField(default=list, help_text="Lines that failed validation, with the reasons.")
    committed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="uniq_import_batch")]
