"""Matching state: per-entity thresholds, learned weights, each record's normalised features and blocking keys,
steward review tasks, remembered non-matches and merges (so they can be undone)."""

from django.conf import settings
from django.db import models

from canonical.choices import Entity


class MatchMode(models.TextChoices):
    EXACT = "exact", "Exact identifiers only"
    PROBABILISTIC = "probabilistic", "Probabilistic (Fellegi-Sunter) with steward review"


class MatchSettings(models.Model):
    """How one entity type is matched. Probabilistic: at or above ``auto`` link; between, ask a steward; below, a
    new golden record."""

    entity = models.CharField(max_length=20, choices=Entity.choices, unique=True)
    mode = models.CharField(
        max_length=20,
        choices=MatchMode.choices,
        default=MatchMode.EXACT,
        help_text="Probabilistic matching is opt-in until its measured precision meets the target "
        "(docs/benchmarks.md); run mdm_match after switching, to index and re-match stored records.",
    )
    auto_threshold = models.FloatField(default=0.97, help_text="Match probability at or above which records link.")
    review_threshold = models.FloatField(default=0.5, help_text="Probability at or above which a steward decides.")
    max_candidates = models.PositiveIntegerField(default=20)
    block_cap = models.PositiveIntegerField(
        default=150, help_text="A blocking key shared by more records than this stops proposing candidates."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "match settings"

    def __str__(self) -> str:
        return f"{self.entity}: link ≥ {self.auto_threshold}, review ≥ {self.review_threshold}"


class MatchModel(models.Model):
    """Learned Fellegi-Sunter parameters (m, u, prior) for one entity and kind of party."""

    entity = models.CharField(max_length=20, choices=Entity.choices)
    kind = models.CharField(max_length=20)
    params = models.JSONField()
    trained_at = models.DateTimeField(auto_now=True)
    decisions_used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entity", "kind"], name="uniq_match_model")]

    def __str__(self) -> str:
        return f"{self.entity}/{self.kind}"


class RecordFeatures(models.Model):
    """One source record's normalised values, kept so matching never re-normalises the records it compares to."""

    source_record = models.OneToOneField("canonical.SourceRecord", primary_key=True, on_delete=models.CASCADE)
    entity = models.CharField(max_length=20, choices=Entity.choices)
    golden_id = models.CharField(max_length=32)
    features = models.JSONField()

    class Meta:
        # Covering: a golden record's record IDs come from the index alone (their features mostly from the batch
        # re-match's cache), not from a heap page per record.
        indexes = [models.Index(fields=["golden_id"], include=["source_record"], name="features_by_golden")]


class BlockingKey(models.Model):
    """One blocking key of one source record; records sharing a key are compared."""

    entity = models.CharField(max_length=20, choices=Entity.choices)
    key = models.CharField(max_length=300)
    source_record = models.ForeignKey("canonical.SourceRecord", on_delete=models.CASCADE, related_name="+")
    golden_id = models.CharField(max_length=32)

    class Meta:
        # Covering: candidate lookups read (key, golden ID) from the index alone.
        indexes = [models.Index(fields=["entity", "key"], include=["golden_id"], name="blocking_lookup")]


class BlockingKeyCount(models.Model):
    """How many records share a blocking key; a key above the entity's cap stops proposing candidates."""

    entity = models.CharField(max_length=20, choices=Entity.choices)
    key = models.CharField(max_length=300)
    records = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entity", "key"], name="uniq_blocking_key_count")]


class ReviewState(models.TextChoices):
    OPEN = "open", "Open"
    APPROVED = "approved", "Approved (merged)"
    REJECTED = "rejected", "Rejected (not the same)"
    OBSOLETE = "obsolete", "Obsolete"


class ReviewTask(models.Model):
    """A probable duplicate a steward must decide: merge the record's golden record into the candidate or not."""

    entity = models.CharField(max_length=20, choices=Entity.choices)
    source_record = models.ForeignKey("canonical.SourceRecord", on_delete=models.CASCADE, related_name="+")
    golden_id = models.CharField(max_length=32, help_text="The golden record the incoming record was given.")
    candidate_id = models.CharField(max_length=32, help_text="The golden record it probably is.")
    score = models.FloatField()
    explanation = models.JSONField(default=list)
    state = models.CharField(max_length=20, choices=ReviewState.choices, default=ReviewState.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["golden_id", "candidate_id"], condition=models.Q(state="open"), name="uniq_open_review"
            )
        ]
        indexes = [
            models.Index(fields=["state", "entity", "score"], name="review_queue"),
            # With the unique index above, finds the open tasks naming a golden record on either side (merges).
            models.Index(fields=["candidate_id"], condition=models.Q(state="open"), name="open_review_candidate"),
        ]

    def __str__(self) -> str:
        return f"{self.golden_id} ~ {self.candidate_id} ({self.score:.2f})"


class NonMatch(models.Model):
    """Two golden records a steward said are different; not proposed again while their records stay as they were."""

    entity = models.CharField(max_length=20, choices=Entity.choices)
    golden_a = models.CharField(max_length=32)
    golden_b = models.CharField(max_length=32)
    fingerprint = models.CharField(max_length=64, help_text="Hash of both sides' record contents when decided.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["golden_a", "golden_b"], name="uniq_non_match")]


class Merge(models.Model):
    """One merge: which golden record survived, which retired, and which links moved, so it can be undone."""

    entity = models.CharField(max_length=20, choices=Entity.choices)
    survivor_id = models.CharField(max_length=32, db_index=True)
    retired_id = models.CharField(max_length=32, db_index=True)
    moved_links = models.JSONField(help_text="IDs of the cross-references that moved to the survivor.")
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.retired_id} → {self.survivor_id}"


class MatchRun(models.Model):
    """One batch re-match (manage.py mdm_match): how far each shard got, so a crashed run resumes there."""

    entity = models.CharField(max_length=20, choices=Entity.choices)
    shards = models.PositiveIntegerField(default=1)
    cursors = models.JSONField(default=dict, help_text="Last golden ID done, per shard.")
    counts = models.JSONField(default=dict)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.entity} re-match {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def goldens_done(self) -> int:
        """Golden records re-matched so far: each ends merged, review or kept (``withdrawn`` counts review tasks)."""
        return sum(self.counts.get(outcome, 0) for outcome in ("merged", "review", "kept"))
