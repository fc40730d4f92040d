"""Inbound webhooks: ``POST /api/v1/webhooks/{system}/``. The platform's own signature is the authentication (no
hub token); the verified raw event is stored, answered 202, and applied by a Celery task after commit."""

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from canonical.models import SourceSystem
from mdmhub.problems import HubError, NotFound

from ..base import ConnectorNotCapable, connector_for
from ..services.sync import BadSignature, webhook_receive


class WebhookView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={202: OpenApiTypes.OBJECT})
    def post(self, request: Request, system: str) -> Response:
        from ..tasks import webhook_process

        target = SourceSystem.objects.filter(code=system, enabled=True).first()
        if target is None:
            raise NotFound(f"No enabled system {system!r} receives webhooks.", errors={"system": ["is not known"]})
        body = request.body
        if len(body) > settings.MDMHUB_WEBHOOK_MAX_BYTES:
            raise HubError(
                "The event is too large.", status=413, title="Payload too large", errors={"body": ["too large"]}
            )
        headers = {k.lower(): v for k, v in request.headers.items()}
        try:
            event, created = webhook_receive(target, headers, body)
        except BadSignature:
            raise HubError(
                "The webhook signature does not verify.",
                status=401,
                title="Unauthorized",
                errors={"signature": ["does not match the body and the system's secret, or is outside its window"]},
            ) from None
        except ConnectorNotCapable as exc:
            raise HubError(str(exc), status=404, title="Not found", errors={"system": [str(exc)]}) from None
        if created:
            transaction.on_commit(lambda: webhook_process.delay(event.pk), robust=True)
        status = 202 if created else 200
        if answer := connector_for(target).webhook_answer():  # a platform that wants its own receipt (SOAP)
            body, content_type = answer
            return HttpResponse(body, status=status, content_type=content_type)
        return Response({"id": event.pk, "duplicate": not created}, status=status)
