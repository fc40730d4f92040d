"""REST API v1. Views parse input, call one service or selector, and render the answer."""

from functools import cache

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound as DrfNotFound
from rest_framework.generics import ListAPIView
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from matching.normalize import code_key, email_key, tax_id_key
from mdmhub.problems import HubError, InvalidInput, NotFound

from .. import selectors
from ..choices import Entity
from ..models import GOLDEN_MODELS, GoldenRecord, SourceSystem
from ..models.systems import code_validator
from ..schema import clean_local_id
from ..services.put import request_fingerprint, source_record_put
from .serializers import GoldenSerializer, IngestBody, IngestResultSerializer, ResolveBody, XrefSerializer

PLURALS = {
    "customers": Entity.CUSTOMER,
    "contacts": Entity.CONTACT,
    "entitlements": Entity.ENTITLEMENT,
    "contracts": Entity.CONTRACT,
}
ENTITIES = frozenset(Entity.values)


def _entity(value: str) -> str:
    if value not in ENTITIES:
        raise NotFound(f"Unknown entity {value[:40]!r}.", errors={"entity": [f"must be one of {', '.join(Entity)}"]})
    return value


def _system(code: str) -> SourceSystem:
    system = selectors.system_get(code) if code_validator.regex.match(code) else None
    if system is None:
        raise NotFound(f"Unknown source system {code[:40]!r}.", errors={"system": ["no such source system"]})
    return system


def _local_id(value: str) -> str:
    local_id, error = clean_local_id(value)
    if error:
        raise InvalidInput(f"Invalid local ID: {error}.", errors={"local_id": [error]})
    return local_id


def _may_write(request: Request, system: SourceSystem) -> None:
    user = request.user
    if getattr(user, "is_staff", False):
        return
    if getattr(user, "system_id", None) != system.pk:
        raise HubError(
            "A system may write only its own records.", status=403, title="Forbidden", errors={"system": ["not yours"]}
        )


class IngestView(APIView):
    """Ingest one record of a source system."""

    @extend_schema(request=IngestBody, responses={200: IngestResultSerializer, 201: IngestResultSerializer})
    def put(self, request: Request, system: str, entity: str, local_id: str) -> Response:
        entity = _entity(entity)
        source = _system(system)
        _may_write(request, source)
        local_id = _local_id(local_id)
        body = IngestBody(data=request.data, context={"entity": entity})
        body.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 255 or "\x00" in key:
            raise InvalidInput(
                "Idempotency-Key is invalid.", errors={"Idempotency-Key": ["at most 255 characters, no NUL"]}
            )
        status, answer = source_record_put(
            system=source,
            entity=entity,
            item=body.to_item(local_id, request.data),
            idempotency_key=key,
            fingerprint=request_fingerprint(system, entity, local_id, request.data),
        )
        return Response(answer, status=status)


class XrefView(APIView):
    """The golden ID one system's local ID names, and every other system's ID for it."""

    @extend_schema(responses=XrefSerializer)
    def get(self, request: Request, system: str, entity: str, local_id: str) -> Response:
        entity = _entity(entity)
        local_id = _local_id(local_id)
        golden_id, links = selectors.xref_lookup(system, entity, local_id)
        if golden_id is None:
            _system(system)
            raise NotFound(f"{system}/{entity}/{local_id[:80]} is not linked.", errors={"local_id": ["unknown"]})
        return Response(
            {
                "system": system,
                "entity": entity,
                "local_id": local_id,
                "golden_id": golden_id,
                "links": [{"system": code, "local_id": lid} for code, lid in links],
            }
        )


class XrefResolveView(APIView):
    """Resolve up to 1,000 local IDs of one system at once."""

    @extend_schema(request=ResolveBody, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        body = ResolveBody(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        system = _system(data["system"])
        found = selectors.xref_resolve(system, data["entity"], data["local_ids"])
        results = []
        for local_id in data["local_ids"]:
            golden_id, links = found.get(local_id, (None, []))
            results.append(
                {
                    "local_id": local_id,
                    "golden_id": golden_id,
                    "links": [{"system": code, "local_id": lid} for code, lid in links],
                }
            )
        return Response({"system": system.code, "entity": data["entity"], "results": results})


def golden_payload(record: GoldenRecord, links: list[dict], requested_id: str | None = None) -> dict:
    payload = {
        "id": record.id,
        "entity": record.ENTITY,
        "version": record.version,
        "attributes": record.to_attributes(),
        "lineage": record.lineage,
        "links": links,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }
    if requested_id and requested_id != record.id:
        payload["requested_id"] = requested_id
        payload["merged_into"] = record.id
    return payload


def is_golden_id(value: str) -> bool:
    return len(value) <= 32 and value.isascii() and value.replace("_", "").isalnum()


class GoldenPagination(CursorPagination):
    """Cursor pages whose bad ?limit= or ?cursor= is refused by name, not ignored or answered 404."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 500

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
        return parameters

    def get_page_size(self, request: Request) -> int:
        return _int_param(request, self.page_size_query_param, self.page_size, 1, self.max_page_size)

    def decode_cursor(self, request: Request) -> Cursor | None:
        try:
            cursor = super().decode_cursor(request)
        except DrfNotFound:
            cursor = None
        else:
            # The position is compared with golden IDs in SQL, so it must look like one.
            if cursor is None or cursor.position is None or is_golden_id(cursor.position):
                return cursor
        raise InvalidInput("Invalid cursor.", errors={"cursor": ["is not a cursor this API gave out"]})


GOLDEN_FILTERS = {
    "kind": "kind",
    "status": "status",
    "credit_status": "credit_status",
    "country": "address_country__iexact",
    "tax_id": "tax_key",
    "email": "email_key",
    "customer": "customer_id",
    "sku": "sku__iexact",
    "number": "number_key",
}
KEYED_FILTERS = {"tax_id": tax_id_key, "email": email_key, "number": code_key}


@cache
def entity_filters(entity: str) -> list[str]:
    """The GOLDEN_FILTERS names an entity's model has the field for."""
    fields = GOLDEN_MODELS[entity]._meta.concrete_fields
    names = {f.name for f in fields} | {f.attname for f in fields}
    return [name for name, lookup in GOLDEN_FILTERS.items() if lookup.split("__")[0] in names]


SEARCH_FIELDS = {
    Entity.CUSTOMER: ["name", "first_name", "last_name", "email", "tax_id"],
    Entity.CONTACT: ["first_name", "last_name", "email"],
    Entity.ENTITLEMENT: ["sku", "serial_number"],
    Entity.CONTRACT: ["number", "sla_level"],
}


class GoldenListSchema(AutoSchema):
    """Documents only the filters the view's entity has: the published contract is what the view accepts."""

    def get_override_parameters(self) -> list[OpenApiParameter]:
        text = {"type": "string", "maxLength": 255}
        return [
            *(
                OpenApiParameter(name, text, description=f"filter on {GOLDEN_FILTERS[name]}")
                for name in entity_filters(self.view.entity)
            ),
            OpenApiParameter("q", {"type": "string", "maxLength": 200}, description="search in names, e-mail, IDs"),
            OpenApiParameter("updated_since", OpenApiTypes.DATETIME),
        ]


class GoldenListView(ListAPIView):
    """Golden records of one entity: filter by field, search with ?q=, page with the cursor in 'next'."""

    pagination_class = GoldenPagination
    serializer_class = GoldenSerializer
    schema = GoldenListSchema()
    entity: str = Entity.CUSTOMER

    def get_queryset(self):
        model = GOLDEN_MODELS[self.entity]
        qs = model.objects.filter(merged_into__isnull=True)
        params = self.request.query_params
        for name, lookup in GOLDEN_FILTERS.items():
            value = params.get(name)
            if value is None:
                continue
            if name not in entity_filters(self.entity):
                raise InvalidInput(f"{self.entity} cannot be filtered by {name}.", errors={name: ["unknown filter"]})
            if "\x00" in value or len(value) > 255:
                raise InvalidInput(f"Invalid filter {name}.", errors={name: ["invalid value"]})
            if name in KEYED_FILTERS:
                value = KEYED_FILTERS[name](value)
                if not value:  # an empty key would match every record that has none
                    raise InvalidInput(f"Invalid filter {name}.", errors={name: ["must contain letters or digits"]})
            qs = qs.filter(**{lookup: value})
        if since := params.get("updated_since"):
            try:
                when = parse_datetime(since)
            except ValueError:
                when = None
            if when is None:
                raise InvalidInput(
                    "updated_since must be an ISO 8601 date-time.", errors={"updated_since": ["invalid"]}
                )
            qs = qs.filter(updated_at__gte=when)
        if q := params.get("q", "").strip():
            if "\x00" in q or len(q) > 200:
                raise InvalidInput("Search text is invalid.", errors={"q": ["at most 200 characters, no NUL"]})
            condition = Q()
            for field in SEARCH_FIELDS[self.entity]:
                condition |= Q(**{f"{field}__icontains": q})
            qs = qs.filter(condition)
        return qs

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        links = selectors.golden_links([r.id for r in page])
        results = []
        for record in page:
            results.append(golden_payload(record, links[record.id]))
        return self.get_paginated_response(results)


class GoldenDetailView(APIView):
    """One golden record with its lineage and links; a merged-away ID answers with its survivor."""

    entity: str = Entity.CUSTOMER

    @extend_schema(responses=GoldenSerializer)
    def get(self, request: Request, golden_id: str) -> Response:
        if not is_golden_id(golden_id):
            raise NotFound(f"No {self.entity} {golden_id[:64]!r}.", errors={"golden_id": ["unknown"]})
        record = selectors.golden_get(self.entity, golden_id)
        if record is None:
            raise NotFound(f"No {self.entity} {golden_id[:64]!r}.", errors={"golden_id": ["unknown"]})
        links = selectors.golden_links([record.id])[record.id]
        return Response(golden_payload(record, links, golden_id))


MAX_CHANGE_CURSOR = 2**62


class ChangeFeedView(APIView):
    """Applied golden changes in commit order. Pass the last 'cursor' you saw as ?after= to continue."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "after",
                {"type": "integer", "minimum": 0, "maximum": MAX_CHANGE_CURSOR},
                description="cursor of the last change already read; 0 for the start",
            ),
            OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": 1000}, description="default 100"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        after = _int_param(request, "after", 0, 0, MAX_CHANGE_CURSOR)
        limit = _int_param(request, "limit", 100, 1, 1000)
        rows = list(selectors.changes_after(after, limit))
        results = [
            {
                "cursor": str(row.id),
                "entity": row.entity,
                "golden_id": row.golden_id,
                "version": row.version,
                "action": row.action,
                "changed": row.changed,
                "data": row.data,
                "system": row.system,
                "local_id": row.local_id,
                "correlation_id": row.correlation_id,
                "created_at": row.created_at,
            }
            for row in rows
        ]
        next_cursor = results[-1]["cursor"] if results else str(after)
        return Response({"results": results, "next": next_cursor, "has_more": len(results) == limit})


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(f"{name} must be an integer.", errors={name: ["must be an integer"]}) from None
    if not low <= value <= high:
        raise InvalidInput(f"{name} must be between {low} and {high}.", errors={name: ["out of range"]})
    return value
