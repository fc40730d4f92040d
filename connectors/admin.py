"""Steward views of outbound delivery: subscriptions, the delivery slots (dead letters with reason and payload,
replay), the attempt log, and each system's breaker state."""

import json

from django import forms
from django.contrib import admin, messages

from canonical.admin import SourceSystemAdmin
from canonical.models import ChangeLog, SourceSystem

from .base import PLATFORMS, connector_for
from .models import Delivery, DeliveryAttempt, DeliveryState, Subscription, SyncCursor, SystemHealth, WebhookEvent
from .services.outbox import dead_letters_replay, deliveries_open


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("system", "entity", "attributes", "enabled")
    list_filter = ("entity", "enabled", "system")

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            opened = deliveries_open(system_id=obj.system_id, entity=obj.entity)
            messages.info(request, f"{obj}: {opened} golden records queued for the initial sync.")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("golden_id", "system", "entity", "version", "delivered_version", "state", "attempts",
                    "next_attempt_at", "last_status", "short_error")  # fmt: skip
    list_filter = ("state", "system", "entity")
    search_fields = ("golden_id", "correlation_id")
    actions = ("replay",)
    readonly_fields = [f.name for f in Delivery._meta.fields] + ["payload"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="reason")
    def short_error(self, obj: Delivery) -> str:
        return obj.last_error[:80]

    @admin.display(description="payload (newest state)")
    def payload(self, obj: Delivery) -> dict | None:
        change = ChangeLog.objects.filter(pk=obj.change_id).first()
        return {"action": change.action, "data": change.data} if change else None

    @admin.action(description="Replay the selected dead letters")
    def replay(self, request, queryset) -> None:
        ids = list(queryset.filter(state=DeliveryState.DEAD).values_list("pk", flat=True))
        count = dead_letters_replay(ids=ids)
        self.message_user(request, f"{count} dead letter(s) queued again.", messages.SUCCESS)


class RecordAdmin(admin.ModelAdmin):
    """A record of what happened (an attempt, an inbound event): shown whole, never added or edited by hand."""

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(RecordAdmin):
    list_display = ("created_at", "system_code", "golden_id", "version", "outcome", "status", "latency_ms")
    list_filter = ("outcome", "system_code")
    search_fields = ("golden_id", "correlation_id")


@admin.register(SystemHealth)
class SystemHealthAdmin(admin.ModelAdmin):
    list_display = ("system", "circuit", "failures", "paused_until", "delivered_total", "retried_total", "dead_total")
    readonly_fields = [f.name for f in SystemHealth._meta.fields]


# --- source systems: the connector settings, extended here so canonical does not depend on connectors ------------
class CredentialsField(forms.CharField):
    """Write-only: the stored credentials are never rendered; entering JSON replaces them, leaving it empty keeps
    them."""

    widget = forms.Textarea(
        attrs={"rows": 3, "autocomplete": "off", "placeholder": '{"email": "...", "api_token": "..."}'}
    )

    def clean(self, value: str) -> dict | None:
        value = super().clean(value)
        if not value or not value.strip():
            return None
        try:
            parsed = json.loads(value)
        except ValueError as exc:
            raise forms.ValidationError("Enter the credentials as a JSON object.") from exc
        if not isinstance(parsed, dict) or not all(isinstance(v, str | int | float | bool) for v in parsed.values()):
            raise forms.ValidationError(
                'Enter a flat JSON object, e.g. {"email": "agent@example.com", "api_token": "…"}.'
            )
        return parsed


class SourceSystemForm(forms.ModelForm):
    new_credentials = CredentialsField(
        required=False,
        label="Credentials",
        help_text="JSON object; stored encrypted and never shown again. Leave empty to keep the stored ones.",
    )
    base_url = forms.URLField(required=False, assume_scheme="https", max_length=300)
    connector_type = forms.ChoiceField(
        choices=[("api", "api (the system calls the hub)")] + [(p, p) for p in PLATFORMS]
    )

    class Meta:
        model = SourceSystem
        fields = ["code", "name", "kind", "connector_type", "base_url", "pull_interval_seconds", "mapping", "settings",
                  "enabled", "trust_rank"]  # fmt: skip

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("connector_type") not in (None, "api", "webhook") and not cleaned.get("base_url"):
            self.add_error("base_url", "A platform connector needs the platform's base URL.")
        return cleaned

    def save(self, commit: bool = True) -> SourceSystem:
        system = super().save(commit=False)
        if self.cleaned_data.get("new_credentials") is not None:
            system.credentials = self.cleaned_data["new_credentials"]
        if commit:
            system.save()
        return system


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    help_text = "A new subscription sends the system every live golden record of the entity."


class SyncCursorInline(admin.TabularInline):
    model = SyncCursor
    extra = 0
    fields = ("entity", "cursor", "last_pull_at", "next_pull_at", "pulled_total", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ConnectedSourceSystemAdmin(SourceSystemAdmin):
    form = SourceSystemForm
    inlines = [SubscriptionInline, SyncCursorInline]
    fields = [
        "code", "name", "kind", "connector_type", "base_url", "new_credentials", "credentials_state",
        "pull_interval_seconds", "mapping", "settings", "enabled", "trust_rank", "token_hint", "created_at",
    ]  # fmt: skip
    actions = [*SourceSystemAdmin.actions, "pull_now"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "credentials_state"]

    def save_formset(self, request, form, formset, change) -> None:
        added = [obj for obj in formset.save(commit=False) if obj.pk is None]
        super().save_formset(request, form, formset, change)
        for subscription in added:
            if isinstance(subscription, Subscription):
                opened = deliveries_open(system_id=subscription.system_id, entity=subscription.entity)
                messages.info(request, f"{subscription}: {opened} golden records queued for the initial sync.")

    @admin.display(description="stored credentials")
    def credentials_state(self, obj: SourceSystem) -> str:
        return "stored, encrypted" if obj and obj.credentials_encrypted else "none"

    @admin.action(description="Read the change feed now", permissions=["change"])
    def pull_now(self, request, queryset) -> None:
        from .tasks import system_pull_run

        for system in queryset.exclude(connector_type__in=["api", "webhook"]):
            connector = connector_for(system)
            for entity in connector.entities() if connector else []:
                system_pull_run.delay(system.pk, entity)
            messages.info(request, f"Pull of {system.code} queued.")


admin.site.unregister(SourceSystem)
admin.site.register(SourceSystem, ConnectedSourceSystemAdmin)


@admin.register(WebhookEvent)
class WebhookEventAdmin(RecordAdmin):
    list_display = ("id", "system", "key", "state", "attempts", "received_at", "processed_at")
    list_filter = ("state", "system")
    search_fields = ("key", "correlation_id")
