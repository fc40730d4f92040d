"""Request middleware: every request gets a correlation ID, taken from X-Correlation-ID or made fresh."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .correlation import accept_correlation_id, set_correlation_id

HEADER = "X-Correlation-ID"


class CorrelationIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        correlation_id = accept_correlation_id(request.headers.get(HEADER))
        set_correlation_id(correlation_id)
        request.correlation_id = correlation_id
        response = self.get_response(request)
        response[HEADER] = correlation_id
        return response
