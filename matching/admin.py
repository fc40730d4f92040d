"""Stewards' matching screens: the review queue (side by side, explanation, approve/reject), thresholds, learned
weights, and merges (with undo)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from canonical.models import GOLDEN_MODELS, CrossReference, SourceRecord
from mdmhub.problems import HubError

from .models import MatchModel, MatchSettings, Merge, NonMatch, ReviewState, ReviewTask
from .services.merge import golden_unmerge
from .services.review import review_approve, review_reject


def _flat(attributes: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in (attributes or {}).items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        elif value not in (None, ""):
            out[f"{prefix}{key}"] = str(value)
    return out


class ScoreBand(admin.SimpleListFilter):
    title = "score"
    parameter_name = "band"
    BANDS = {"high": (0.9, 1.01), "mid": (0.7, 0.9), "low": (0.0, 0.7)}

    def lookups(self, request, model_admin):
        return [("high", "0.90 and above"), ("mid", "0.70 to 0.90"), ("low", "below 0.70")]

    def queryset(self, request, queryset):
        if self.value() in self.BANDS:
            low, high = self.BANDS[self.value()]
            return queryset.filter(score__gte=low, score__lt=high)
        return queryset


@admin.register(ReviewTask)
class ReviewTaskAdmin(admin.ModelAdmin):
    list_display = ["id", "entity", "golden_id", "candidate_id", "score", "state", "created_at"]
    list_filter = ["state", "entity", ScoreBand]
    search_fields = ["golden_id", "candidate_id"]
    ordering = ["-score"]
    actions = ["approve", "reject"]
    readonly_fields = ["entity", "golden_id", "candidate_id", "score", "state", "side_by_side", "explanation_table"]
    fields = [*readonly_fields, "note"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="Records side by side")
    def side_by_side(self, task: ReviewTask) -> str:
        record = SourceRecord.objects.filter(pk=task.source_record_id).select_related("system").first()
        mine = _flat(record.attributes) if record else {}
        model = GOLDEN_MODELS[task.entity]
        candidate = model.objects.filter(id=task.candidate_id).first()
        theirs = _flat(candidate.to_attributes()) if candidate else {}
        rows = []
        for key in sorted(mine.keys() | theirs.keys()):
            a, b = mine.get(key, ""), theirs.get(key, "")
            style = "" if a.casefold() == b.casefold() else "background:#fff3cd"
            rows.append((style, key, a, b))
        source = f"{record.system.code} {record.local_id}" if record else "?"
        links = ", ".join(
            f"{code} {lid}"
            for code, lid in CrossReference.objects.filter(golden_id=task.candidate_id).values_list(
                "system__code", "local_id"
            )
        )
        body = format_html_join("", '<tr style="{}"><th>{}</th><td>{}</td><td>{}</td></tr>', rows)
        return format_html(
            "<table><tr><th></th><th>incoming: {}</th><th>candidate {} ({})</th></tr>{}</table>",
            source,
            task.candidate_id,
            links,
            body,
        )

    @admin.display(description="Why the matcher thinks so")
    def explanation_table(self, task: ReviewTask) -> str:
        rows = [
            (e["attribute"], e.get("incoming") or "—", e.get("candidate") or "—", e["comparison"], e["weight"])
            for e in task.explanation
        ]
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        return format_html(
            "<table><tr><th>attribute</th><th>incoming</th><th>candidate</th><th>comparison</th><th>weight</th></tr>"
            "{}</table>",
            body,
        )

    @admin.action(description="Approve: merge into the candidate")
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        ids = list(queryset.filter(state=ReviewState.OPEN).values_list("pk", flat=True))
        try:
            done = review_approve(task_ids=ids, user=request.user)
        except HubError as exc:
            self.message_user(request, exc.detail, messages.ERROR)
            return
        self.message_user(request, f"Merged {done} pair(s).")

    @admin.action(description="Reject: not the same")
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        ids = list(queryset.filter(state=ReviewState.OPEN).values_list("pk", flat=True))
        done = review_reject(task_ids=ids, user=request.user)
        self.message_user(request, f"Rejected {done} pair(s); they will not be proposed again while unchanged.")


@admin.register(MatchSettings)
class MatchSettingsAdmin(admin.ModelAdmin):
    list_display = ["entity", "mode", "auto_threshold", "review_threshold", "max_candidates", "block_cap", "updated_at"]
    list_editable = ["mode", "auto_threshold", "review_threshold"]


@admin.register(MatchModel)
class MatchModelAdmin(admin.ModelAdmin):
    list_display = ["entity", "kind", "trained_at", "decisions_used"]
    readonly_fields = ["entity", "kind", "trained_at", "decisions_used", "weights"]
    exclude = ["params"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="Learned m / u per comparison level")
    def weights(self, obj: MatchModel) -> str:
        rows = []
        for name, ms in obj.params["m"].items():
            for level, (m, u) in enumerate(zip(ms, obj.params["u"][name], strict=True)):
                rows.append((name, level, f"{m:.4f}", f"{u:.4f}"))
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        return format_html(
            "<p>prior {}</p><table><tr><th>attribute</th><th>level</th><th>m</th><th>u</th></tr>{}</table>",
            f"{obj.params['prior']:.4f}",
            body,
        )


@admin.register(Merge)
class MergeAdmin(admin.ModelAdmin):
    list_display = ["id", "entity", "retired_id", "survivor_id", "decided_by", "created_at", "undone_at"]
    list_filter = ["entity"]
    search_fields = ["retired_id", "survivor_id"]
    actions = ["undo"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description="Undo: give the merged-away records their golden record back")
    def undo(self, request: HttpRequest, queryset: QuerySet) -> None:
        for merge in queryset.filter(undone_at__isnull=True):
            records = list(
                CrossReference.objects.filter(pk__in=merge.moved_links).values_list("source_record_id", flat=True)
            )
            try:
                golden_unmerge(entity=merge.entity, golden_id=merge.survivor_id, record_ids=records, user=request.user)
            except HubError as exc:
                self.message_user(request, f"{merge}: {exc.detail}", messages.ERROR)
                continue
            self.message_user(request, f"Restored {merge.retired_id}.")


@admin.register(NonMatch)
class NonMatchAdmin(admin.ModelAdmin):
    list_display = ["golden_a", "golden_b", "entity", "decided_by", "created_at"]
    search_fields = ["golden_a", "golden_b"]
