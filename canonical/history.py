"""Who a history row is attributed to: the steward behind a request, never a system's token principal."""

from django.contrib.auth import get_user_model


def history_user(instance=None, request=None, **kwargs):
    from simple_history.models import HistoricalRecords

    request = request or getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None) if request is not None else None
    return user if isinstance(user, get_user_model()) and user.is_authenticated else None
