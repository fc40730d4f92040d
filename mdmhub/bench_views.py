"""Baseline view for bench/xref_bench.py, mounted only when MDMHUB_BENCH_VIEWS=1: the single-row cross-reference
query as raw SQL in a plain Django view, without authentication, DRF or problem handling. The API is measured
against it to see what the API layer costs."""

from django.db import connection
from django.http import HttpRequest, JsonResponse


def bare_xref(request: HttpRequest, system: str, entity: str, local_id: str) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT x.golden_id FROM canonical_crossreference x JOIN canonical_sourcesystem s ON s.id = x.system_id"
            " WHERE s.code = %s AND x.entity = %s AND x.local_id = %s",
            [system, entity, local_id],
        )
        row = cursor.fetchone()
    return JsonResponse({"golden_id": row[0] if row else None}, status=200 if row else 404)
