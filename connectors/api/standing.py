"""Account standing and entitlement validation for support agents' systems:

- ``GET /api/v1/customers/{golden_id}/standing`` or ``GET /api/v1/standing?system=&local_id=`` (``?live=1`` asks
  the owning ERP directly, falling back to stored facts marked stale);
- ``POST /api/v1/entitlements/validate`` with a customer, a SKU and/or serial number, and a date.
"""

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from canonical.schema import clean_local_id
from mdmhub.problems import InvalidInput, NotFound

from ..services.standing import UnknownCustomer, coverage_of, customer_resolve, standing_of

LIVE = OpenApiParameter("live", bool, description="ask the owning ERP now (short timeout; stored facts if it fails)")


def _live(request: Request) -> bool:
    raw = request.query_params.get("live", "0").lower()
    if raw not in ("0", "1", "true", "false", ""):
        raise InvalidInput("live must be 1 or 0.", errors={"live": ["must be 1 or 0"]})
    return raw in ("1", "true")


def _customer(**named):
    try:
        return customer_resolve(**named)
    except UnknownCustomer:
        raise NotFound(
            "No such customer.", errors={"customer": ["is not a known golden ID or linked local ID"]}
        ) from None


class StandingView(APIView):
    """A customer's standing by golden ID."""

    @extend_schema(parameters=[LIVE], responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, golden_id: str) -> Response:
        if len(golden_id) > 32:
            raise NotFound("No such customer.", errors={"golden_id": ["unknown"]})
        return Response(standing_of(_customer(golden_id=golden_id), live=_live(request)))


class StandingByLocalIdView(APIView):
    """A customer's standing by any system's local ID (through the cross-reference)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("system", str, required=True),
            OpenApiParameter("local_id", str, required=True),
            LIVE,
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        system, local_id = request.query_params.get("system", ""), request.query_params.get("local_id")
        errors = {}
        if not system:
            errors["system"] = ["is required"]
        cleaned, error = clean_local_id(local_id)
        if error or cleaned is None:
            errors["local_id"] = [error or "is required"]
        if errors:
            raise InvalidInput("Name the customer by system and local_id.", errors=errors)
        return Response(standing_of(_customer(system=system, local_id=cleaned), live=_live(request)))


class EntitlementValidateView(APIView):
    """Is this product covered for this customer on this date, by what, or why not."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        body = request.data if isinstance(request.data, dict) else None
        if body is None:
            raise InvalidInput("The body must be a JSON object.", errors={"body": ["must be an object"]})
        errors: dict[str, list[str]] = {}
        customer_ref = body.get("customer")
        named: dict = {}
        if isinstance(customer_ref, str) and customer_ref:
            named = {"golden_id": customer_ref[:64]}
        elif isinstance(customer_ref, dict) and isinstance(customer_ref.get("system"), str):
            local_id, error = clean_local_id(customer_ref.get("local_id"))
            if error or local_id is None:
                errors["customer.local_id"] = [error or "is required"]
            named = {"system": customer_ref["system"], "local_id": local_id}
        else:
            errors["customer"] = ['is required: a golden ID, or {"system": ..., "local_id": ...}']
        sku, serial = body.get("sku"), body.get("serial_number")
        for name, value in (("sku", sku), ("serial_number", serial)):
            if value is not None and (not isinstance(value, str) or not value.strip() or len(value) > 120):
                errors[name] = ["must be a non-empty string of at most 120 characters"]
        if not sku and not serial:
            errors["sku"] = ["give a sku, a serial_number, or both"]
        day = date.today()
        if (raw := body.get("date")) is not None:
            try:
                day = date.fromisoformat(raw) if isinstance(raw, str) else None
            except ValueError:
                day = None
            if day is None:
                errors["date"] = ["must be a date (YYYY-MM-DD)"]
        unknown = set(body) - {"customer", "sku", "serial_number", "date"}
        for key in sorted(unknown):
            errors[str(key)[:80]] = ["is not a known field"]
        if errors:
            raise InvalidInput("The validation request is invalid.", errors=errors)
        customer = _customer(**named)
        return Response(
            coverage_of(
                customer, sku=(sku or "").strip() or None, serial_number=(serial or "").strip() or None, day=day
            )
        )
