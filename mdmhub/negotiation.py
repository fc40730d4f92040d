"""Content negotiation whose refusals name what was refused."""

from django.http import Http404
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class HubContentNegotiation(DefaultContentNegotiation):
    # Imports nothing of mdmhub.problems: DRF imports this class while rest_framework.views, which problems imports,
    # is itself still loading.
    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404:  # DRF's answer to an unknown ?format=
            formats = ", ".join(r.format for r in renderers)
            raise ValidationError({"format": [f"must be one of: {formats}"]}) from None
