"""The data stewards' admin: golden records with their links, lineage and history, what each system sent, conflicts,
source systems and their tokens, and the ownership rules.

Everything the services compute is view-only here. A value typed into a golden record would have no lineage and
would be overwritten by the next survivorship pass, so stewards change outcomes through rules and actions instead.
"""

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from simple_history.admin import SimpleHistoryAdmin

from .choices import ConflictState, SystemKind
from .models import (
    GOLDEN_MODELS,
    ChangeLog,
    Conflict,
    Contact,
    Contract,
    CrossReference,
    Customer,
    Entitlement,
    GoldenRecord,
    ImportJob,
    OwnershipRule,
    PendingReference,
    SourceRecord,
    SourceSystem,
    StaleUpdate,
)
from .schema import attribute_names
from .services.conflicts import conflicts_dismiss
from .services.systems import source_system_token_rotate
from .survivorship import ANY
from .tasks import recompute_entity

NOTHING = "—"


# --- rendering: every value a system sent is escaped; only our own markup is marked safe ----------------------------
def as_text(value: object) -> str:
    """A stored value as a steward reads it: JSON objects and lists compact, absent values as a dash."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return str(value)


def html_table(headers: Sequence[str], rows: Iterable[Sequence[object]], empty: str) -> str:
    """An HTML table with escaped cells; cells that are already safe HTML (our links) are kept."""
    rows = list(rows)
    if not rows:
        return empty
    head = format_html_join("", "<th>{}</th>", ((header,) for header in headers))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((_cell(value),) for value in row)),) for row in rows),
    )
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, body)


def _cell(value: object) -> object:
    return value if isinstance(value, SafeString) else as_text(value)


def pretty_json(value: object) -> str:
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True))


def change_link(model: type[Model], pk: object, text: object) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])
    return format_html('<a href="{}">{}</a>', url, text)


def golden_link(entity: str, golden_id: str) -> str:
    return change_link(GOLDEN_MODELS[entity], golden_id, golden_id)


def record_link(record: SourceRecord) -> str:
    return change_link(SourceRecord, record.pk, f"{record.system.code}:{record.entity}:{record.local_id}")


def _overruled(entries: list[dict]) -> str:
    if not entries:
        return NOTHING
    items = ((e.get("system"), e.get("local_id"), as_text(e.get("value"))) for e in entries)
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{} {}: {}</li>", items))


# --- shared admin behaviour -----------------------------------------------------------------------------------------
class ViewOnly:
    """Rows the hub's services write: stewards look at them and act through admin actions, never by typing."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        # A view-only page shows non-editable fields (IDs, timestamps) and computed ones only when they are listed.
        if self.fieldsets:
            return flatten_fieldsets(self.fieldsets)
        return list(self.fields or [f.name for f in self.model._meta.concrete_fields])


class MergedFilter(admin.SimpleListFilter):
    title = "merged"
    parameter_name = "merged"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Yes (merged away)"), ("no", "No")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() not in ("yes", "no"):
            return queryset
        return queryset.filter(merged_into__isnull=self.value() == "no")


# --- golden records -------------------------------------------------------------------------------------------------
class GoldenAdmin(ViewOnly, SimpleHistoryAdmin):
    """A golden record with where it comes from: its cross-references, each attribute's lineage, open conflicts."""

    list_per_page = 50
    search_help_text = "Golden ID, names, keys, or any system's local ID."

    def get_fieldsets(self, request: HttpRequest, obj: GoldenRecord | None = None) -> list:
        own = [f.name for f in self.model._meta.concrete_fields if f.name != "lineage"]
        return [
            (None, {"fields": own}),
            ("Links", {"fields": ["links_table"]}),
            ("Lineage", {"fields": ["lineage_table"]}),
            ("Open conflicts", {"fields": ["conflicts_table"]}),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: GoldenRecord | None = None) -> list[str]:
        return flatten_fieldsets(self.get_fieldsets(request, obj))

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        # Stewards usually start from a ticket or an invoice, which carries a system's local ID, not the golden ID.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            linked = CrossReference.objects.filter(entity=self.model.ENTITY, local_id=term).values("golden_id")
            results = results | queryset.filter(id__in=linked)
        return results, may_have_duplicates

    @admin.display(description="Cross-references")
    def links_table(self, obj: GoldenRecord) -> str:
        xrefs = (
            CrossReference.objects.filter(entity=obj.ENTITY, golden_id=obj.pk)
            .select_related("system")
            .order_by("system__code", "local_id")
        )
        rows = [
            (
                x.system.code,
                change_link(SourceRecord, x.source_record_id, x.local_id) if x.source_record_id else x.local_id,
                x.method,
                x.score,
                x.decided_by,
                x.created_at,
            )
            for x in xrefs
        ]
        headers = ["System", "Local ID", "Method", "Score", "Decided by", "Linked at"]
        return html_table(headers, rows, empty="No system links this record.")

    @admin.display(description="Attribute lineage")
    def lineage_table(self, obj: GoldenRecord) -> str:
        values = obj.to_attributes()
        order = {name: position for position, name in enumerate(attribute_names(obj.ENTITY))}
        rows = []
        for name in sorted(obj.lineage, key=lambda n: (order.get(n, len(order)), n)):
            entry = obj.lineage[name]
            rows.append(
                (
                    name,
                    values.get(name),
                    entry.get("system"),
                    entry.get("local_id"),
                    entry.get("source_updated_at"),
                    entry.get("rule"),
                    _overruled(entry.get("overruled") or []),
                )
            )
        headers = ["Attribute", "Value", "System", "Local ID", "Source updated at", "Rule", "Overruled"]
        return html_table(headers, rows, empty="No lineage recorded.")

    @admin.display(description="Open conflicts")
    def conflicts_table(self, obj: GoldenRecord) -> str:
        conflicts = (
            Conflict.objects.filter(entity=obj.ENTITY, golden_id=obj.pk, state=ConflictState.OPEN)
            .select_related("source_record__system")
            .order_by("attribute", "id")
        )
        rows = [
            (
                change_link(Conflict, c.pk, c.attribute),
                c.source_record.system.code,
                c.source_record.local_id,
                c.proposed_value,
                c.golden_value,
                c.get_reason_display(),
                c.created_at,
            )
            for c in conflicts
        ]
        headers = ["Attribute", "System", "Local ID", "Proposed", "Golden", "Reason", "Raised at"]
        return html_table(headers, rows, empty="No open conflicts.")


@admin.register(Customer)
class CustomerAdmin(GoldenAdmin):
    list_display = [
        "id",
        "display_name",
        "tax_id",
        "credit_status",
        "status",
        "address_country",
        "version",
        "updated_at",
    ]
    list_filter = ["kind", "status", "credit_status", "address_country", MergedFilter]
    search_fields = ["id", "name", "first_name", "last_name", "email", "tax_id", "phone"]


@admin.register(Contact)
class ContactAdmin(GoldenAdmin):
    list_display = ["id", "__str__", "customer", "email", "phone", "role", "version", "updated_at"]
    list_filter = [MergedFilter]
    list_select_related = ["customer"]
    search_fields = ["id", "first_name", "last_name", "email", "phone", "customer__name"]


@admin.register(Entitlement)
class EntitlementAdmin(GoldenAdmin):
    list_display = ["id", "sku", "serial_number", "kind", "status", "customer", "ends_on", "version", "updated_at"]
    list_filter = ["kind", "status", MergedFilter]
    list_select_related = ["customer"]
    search_fields = ["id", "sku", "serial_number", "customer__name"]


@admin.register(Contract)
class ContractAdmin(GoldenAdmin):
    list_display = ["id", "number", "customer", "sla_level", "status", "ends_on", "value", "currency", "version"]
    list_filter = ["status", "sla_level", MergedFilter]
    list_select_related = ["customer"]
    search_fields = ["id", "number", "customer__name"]


# --- what systems sent, and how it links ----------------------------------------------------------------------------
@admin.register(SourceRecord)
class SourceRecordAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["local_id", "system", "entity", "source_updated_at", "received_at"]
    list_filter = ["system", "entity"]
    list_select_related = ["system"]
    search_fields = ["local_id"]
    ordering = ["-updated_at"]
    fieldsets = [
        (None, {"fields": ["system", "entity", "local_id", "golden"]}),
        ("As sent", {"fields": ["raw_payload", "source_updated_at", "received_at", "updated_at"]}),
        ("As mapped", {"fields": ["canonical_attributes", "local_references", "content_hash"]}),
    ]

    @admin.display(description="Golden record")
    def golden(self, obj: SourceRecord) -> str:
        xref = getattr(obj, "xref", None)  # the reverse one-to-one raises an AttributeError subclass when unlinked
        return golden_link(xref.entity, xref.golden_id) if xref else "Not linked"

    @admin.display(description="Raw payload")
    def raw_payload(self, obj: SourceRecord) -> str:
        return pretty_json(obj.raw)

    @admin.display(description="Attributes (canonical)")
    def canonical_attributes(self, obj: SourceRecord) -> str:
        return pretty_json(obj.attributes)

    @admin.display(description="References (local IDs)")
    def local_references(self, obj: SourceRecord) -> str:
        return pretty_json(obj.references)


@admin.register(CrossReference)
class CrossReferenceAdmin(ViewOnly, SimpleHistoryAdmin):
    list_display = ["local_id", "system", "entity", "golden", "method", "score", "decided_by", "updated_at"]
    list_filter = ["system", "entity", "method"]
    list_select_related = ["system"]
    search_fields = ["local_id", "golden_id"]
    fields = ["system", "entity", "local_id", "golden", "source_record", "method", "score", "decided_by", "created_at"]

    @admin.display(description="Golden record", ordering="golden_id")
    def golden(self, obj: CrossReference) -> str:
        return golden_link(obj.entity, obj.golden_id)


@admin.register(Conflict)
class ConflictAdmin(ViewOnly, admin.ModelAdmin):
    list_display = [
        "golden",
        "entity",
        "attribute",
        "system",
        "proposed",
        "golden_has",
        "reason",
        "state",
        "created_at",
    ]
    list_filter = ["state", "reason", "entity", "attribute"]
    list_select_related = ["source_record__system"]
    search_fields = ["golden_id"]
    ordering = ["-created_at", "-id"]
    actions = ["dismiss_conflicts"]
    fieldsets = [
        (None, {"fields": ["golden", "entity", "attribute", "source", "reason", "created_at"]}),
        ("Values", {"fields": ["proposed", "golden_has"]}),
        ("Decision", {"fields": ["state", "resolved_at", "resolved_by", "note"]}),
    ]

    @admin.display(description="Golden record", ordering="golden_id")
    def golden(self, obj: Conflict) -> str:
        return golden_link(obj.entity, obj.golden_id)

    @admin.display(description="System", ordering="source_record__system__code")
    def system(self, obj: Conflict) -> str:
        return obj.source_record.system.code

    @admin.display(description="Source record")
    def source(self, obj: Conflict) -> str:
        return record_link(obj.source_record)

    @admin.display(description="Proposed value")
    def proposed(self, obj: Conflict) -> str:
        return as_text(obj.proposed_value)

    @admin.display(description="Golden value")
    def golden_has(self, obj: Conflict) -> str:
        return as_text(obj.golden_value)

    def has_dismiss_permission(self, request: HttpRequest) -> bool:
        # Dismissing is the one change a steward makes to a conflict, so it needs the change permission even
        # though the form itself stays read-only.
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.{get_permission_codename('change', opts)}")

    @admin.action(description="Dismiss selected conflicts", permissions=["dismiss"])
    def dismiss_conflicts(self, request: HttpRequest, queryset: QuerySet[Conflict]) -> None:
        ids = list(queryset.values_list("id", flat=True))
        dismissed = conflicts_dismiss(conflict_ids=ids, user=request.user)
        skipped = len(ids) - dismissed
        note = f"; {skipped} were no longer open and were left as they are" if skipped else ""
        self.message_user(request, f"Dismissed {dismissed} conflict(s){note}.", messages.SUCCESS)


# --- systems and rules: what stewards configure ---------------------------------------------------------------------
@admin.register(SourceSystem)
class SourceSystemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "connector_type", "enabled", "trust_rank", "token_hint"]
    list_filter = ["kind", "enabled", "connector_type"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "kind", "connector_type", "settings", "enabled", "trust_rank", "token_hint", "created_at"]
    actions = ["issue_token"]

    def get_readonly_fields(self, request: HttpRequest, obj: SourceSystem | None = None) -> list[str]:
        # Rules, lineage and history name systems by code; renaming one would silently detach them.
        return ["token_hint", "created_at"] + (["code"] if obj else [])

    def has_delete_permission(self, request: HttpRequest, obj: SourceSystem | None = None) -> bool:
        return False  # disable a system instead: its records, links and history must stay explainable

    def save_model(self, request: HttpRequest, obj: SourceSystem, form: forms.ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            request._added_source_system = obj

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None) -> HttpResponse:
        response = super().add_view(request, form_url, extra_context)
        # Issued here, after the admin's own transaction has committed, because the token service opens a durable one.
        system = getattr(request, "_added_source_system", None)
        if system is not None:
            self._issue(request, system)
        return response

    @admin.action(description="Issue a new API token", permissions=["change"])
    def issue_token(self, request: HttpRequest, queryset: QuerySet[SourceSystem]) -> None:
        for system in queryset:
            self._issue(request, system)

    def _issue(self, request: HttpRequest, system: SourceSystem) -> None:
        token = source_system_token_rotate(system=system)
        messages.warning(
            request,
            f"New API token for {system.code}: {token} — copy it now, it is never shown again. "
            f"Any previous token stops working within {settings.MDMHUB_TOKEN_CACHE_SECONDS} seconds.",
        )


def _system_list(value: object) -> list[str]:
    """A rule's systems in rank order: "*", "kind:<kind>" or the code of a known system, each named once."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
        raise ValidationError('Enter a JSON list of strings, e.g. ["kind:erp", "sap"].')
    kinds = [f"kind:{kind}" for kind in SystemKind.values]
    # An unknown code would silently never match, leaving the attribute to fallback values nobody chose.
    known = set(SourceSystem.objects.filter(code__in=value).values_list("code", flat=True))
    unknown = [entry for entry in value if entry != ANY and entry not in kinds and entry not in known]
    if unknown:
        allowed = ", ".join(f'"{entry}"' for entry in [ANY, *kinds])
        raise ValidationError(f"Unknown system or kind: {', '.join(unknown)}. Use {allowed} or a system's code.")
    if len(set(value)) != len(value):
        raise ValidationError("Name each system or kind once.")
    return value


class OwnershipRuleForm(forms.ModelForm):
    class Meta:
        model = OwnershipRule
        fields = [
            "entity",
            "attribute",
            "authoritative",
            "contributors",
            "contributor_action",
            "strategy",
            "fallback_to_any",
            "flag_conflicts",
        ]

    def clean_authoritative(self) -> list[str]:
        return _system_list(self.cleaned_data.get("authoritative"))

    def clean_contributors(self) -> list[str]:
        return _system_list(self.cleaned_data.get("contributors"))

    def clean(self) -> dict:
        cleaned = super().clean()
        entity, attribute = cleaned.get("entity"), cleaned.get("attribute")
        if entity and attribute and attribute not in attribute_names(entity):
            names = ", ".join(attribute_names(entity))
            self.add_error("attribute", f"Not a {entity} attribute. Choose one of: {names}.")
        return cleaned


@admin.register(OwnershipRule)
class OwnershipRuleAdmin(admin.ModelAdmin):
    form = OwnershipRuleForm
    list_display = OwnershipRuleForm.Meta.fields
    list_filter = ["entity"]
    search_fields = ["attribute"]

    def save_model(self, request: HttpRequest, obj: OwnershipRule, form: forms.ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Survivorship reads rules when it runs: recompute existing golden records in the background after commit.
        entity = obj.entity
        transaction.on_commit(lambda: recompute_entity.delay(entity, "", f"rule {obj} changed by {request.user}"))
        self.message_user(request, f"Golden {entity} records are being recomputed with this rule in the background.")


# --- logs the services keep -----------------------------------------------------------------------------------------
@admin.register(ChangeLog)
class ChangeLogAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["id", "entity", "golden", "version", "action", "system", "local_id", "created_at"]
    list_filter = ["entity", "action", "system"]
    search_fields = ["golden_id", "local_id", "correlation_id"]
    ordering = ["-id"]

    @admin.display(description="Golden record", ordering="golden_id")
    def golden(self, obj: ChangeLog) -> str:
        return golden_link(obj.entity, obj.golden_id)


@admin.register(StaleUpdate)
class StaleUpdateAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["id", "record", "source_updated_at", "received_at", "correlation_id"]
    list_filter = ["source_record__system", "source_record__entity"]
    list_select_related = ["source_record__system"]
    search_fields = ["source_record__local_id"]
    ordering = ["-received_at"]

    @admin.display(description="Source record")
    def record(self, obj: StaleUpdate) -> str:
        return record_link(obj.source_record)


@admin.register(PendingReference)
class PendingReferenceAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["id", "record", "system", "entity", "local_id", "created_at"]
    list_filter = ["system", "entity"]
    list_select_related = ["source_record__system", "system"]
    search_fields = ["local_id", "source_record__local_id"]

    @admin.display(description="Waiting record")
    def record(self, obj: PendingReference) -> str:
        return record_link(obj.source_record)


@admin.register(ImportJob)
class ImportJobAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["id", "system", "entity", "path", "batch_size", "finished_at", "started_at", "updated_at"]
    list_filter = ["system", "entity"]
    list_select_related = ["system"]
    search_fields = ["path"]
    ordering = ["-started_at"]
