"""Steward views of outbound delivery: subscriptions, the delivery slots (dead letters with reason and payload,
replay), the attempt log, and each system's breaker state."""

from django.contrib import admin, messages

from canonical.models import ChangeLog

from .models import Delivery, DeliveryAttempt, DeliveryState, Subscription, SystemHealth
from .services.outbox import dead_letters_replay


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("system", "entity", "attributes", "enabled")
    list_filter = ("entity", "enabled", "system")


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


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(admin.ModelAdmin):
    list_display = ("created_at", "system_code", "golden_id", "version", "outcome", "status", "latency_ms")
    list_filter = ("outcome", "system_code")
    search_fields = ("golden_id", "correlation_id")
    readonly_fields = [f.name for f in DeliveryAttempt._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SystemHealth)
class SystemHealthAdmin(admin.ModelAdmin):
    list_display = ("system", "circuit", "failures", "paused_until", "delivered_total", "retried_total", "dead_total")
    readonly_fields = [f.name for f in SystemHealth._meta.fields]
