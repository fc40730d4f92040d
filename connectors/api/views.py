"""Deliveries API: dead letters (or any state) with reason and payload, and replay. A system's token sees and
replays only its own deliveries; a steward's session sees all."""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from canonical.api.auth import SystemPrincipal
from canonical.models import ChangeLog, SourceSystem
from mdmhub.problems import InvalidInput

from ..models import Delivery, DeliveryState
from ..services.outbox import dead_letters_replay

MAX_ID = 2**62


def _visible(request: Request) -> QuerySet[Delivery]:
    rows = Delivery.objects.select_related("system")
    if isinstance(request.user, SystemPrincipal):
        rows = rows.filter(system_id=request.user.system_id)
    return rows


def _int(request: Request, name: str, default: int, high: int) -> int:
    raw = request.query_params.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or not 0 <= int(raw) <= high:
        raise InvalidInput(f"{name} must be an integer from 0 to {high}.", errors={name: ["must be a small integer"]})
    return int(raw)


class DeliveryListView(APIView):
    """Delivery slots, dead letters first of all: ?state=dead (default), pending or delivered; ?system=code."""

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=[s.value for s in DeliveryState], description="default dead"),
            OpenApiParameter("system", str),
            OpenApiParameter("after", int, description="id of the last row already read"),
            OpenApiParameter("limit", int, description="1-500, default 100"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        state = request.query_params.get("state", DeliveryState.DEAD)
        if state not in DeliveryState.values:
            raise InvalidInput(
                "Unknown state.", errors={"state": [f"must be one of {', '.join(DeliveryState.values)}"]}
            )
        rows = _visible(request).filter(state=state, pk__gt=_int(request, "after", 0, MAX_ID)).order_by("pk")
        if code := request.query_params.get("system"):
            rows = rows.filter(system__code=code)
        limit = max(1, min(_int(request, "limit", 100, 500), 500))
        page = list(rows[:limit])
        changes = ChangeLog.objects.in_bulk([d.change_id for d in page])
        results = [
            {
                "id": d.pk,
                "system": d.system.code,
                "entity": d.entity,
                "golden_id": d.golden_id,
                "version": d.version,
                "delivered_version": d.delivered_version,
                "state": d.state,
                "attempts": d.attempts,
                "next_attempt_at": d.next_attempt_at,
                "last_status": d.last_status,
                "reason": d.last_error,
                "correlation_id": d.correlation_id,
                "payload": {"action": c.action, "data": c.data} if (c := changes.get(d.change_id)) else None,
            }
            for d in page
        ]
        return Response(
            {"results": results, "next": str(page[-1].pk) if page else None, "has_more": len(page) == limit}
        )


class ReplayView(APIView):
    """Send dead letters again: {"ids": [...]}, {"system": "code"} or {"all": true}. Replaying what is no longer
    dead does nothing, so replaying twice has no second effect."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        body = request.data
        if not isinstance(body, dict):
            raise InvalidInput("The body must be a JSON object.", errors={"body": ["must be an object"]})
        ids, code, everything = body.get("ids"), body.get("system"), body.get("all")
        if sum(x is not None for x in (ids, code, everything)) != 1:
            raise InvalidInput("Give exactly one of ids, system or all.", errors={"body": ["ids, system or all"]})
        scope = _visible(request).filter(state=DeliveryState.DEAD)
        if ids is not None:
            if (
                not isinstance(ids, list)
                or not all(isinstance(i, int) and 0 < i < MAX_ID for i in ids)
                or len(ids) > 1000
            ):
                raise InvalidInput("ids must be a list of up to 1,000 delivery ids.", errors={"ids": ["integers"]})
            scope = scope.filter(pk__in=ids)
        elif code is not None:
            if not isinstance(code, str) or not SourceSystem.objects.filter(code=code).exists():
                raise InvalidInput("Unknown system.", errors={"system": ["unknown system"]})
            scope = scope.filter(system__code=code)
        elif everything is not True:
            raise InvalidInput("all must be true.", errors={"all": ["must be true"]})
        replayed = dead_letters_replay(ids=list(scope.values_list("pk", flat=True)))
        return Response({"replayed": replayed})
