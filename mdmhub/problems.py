"""One application error type, rendered as RFC 9457 problem+json in one place."""

import logging

from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions as drf_exceptions
from rest_framework.views import exception_handler as drf_default_handler

from .correlation import get_correlation_id

log = logging.getLogger(__name__)
PROBLEM_TYPE = "application/problem+json"


class HubError(Exception):
    """An error a caller can act on: an HTTP status, a title, and the fields it concerns."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, status: int | None = None, title: str | None = None, errors=None) -> None:
        super().__init__(detail)
        self.detail = detail
        if status is not None:
            self.status = status
        if title is not None:
            self.title = title
        # errors: {"field.path": ["message", ...]}
        self.errors = errors or {}


class NotFound(HubError):
    status = 404
    title = "Not found"


class InvalidInput(HubError):
    status = 400
    title = "Invalid input"


class Conflict(HubError):
    status = 409
    title = "Conflict"


def problem_body(status: int, title: str, detail: str, errors: dict | None = None) -> dict:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = [{"field": field, "messages": msgs} for field, msgs in errors.items()]
    body["correlation_id"] = get_correlation_id()
    return body


def problem_response(status: int, title: str, detail: str, errors: dict | None = None) -> JsonResponse:
    return JsonResponse(problem_body(status, title, detail, errors), status=status, content_type=PROBLEM_TYPE)


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail becomes {"attributes.email": ["..."]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key == "non_field_errors":
                path = prefix
            elif isinstance(key, int):  # a list element's error, e.g. local_ids[0]
                path = f"{prefix}[{key}]"
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            out.update(_flatten(value, path))
    elif isinstance(detail, list) and detail and all(not isinstance(d, dict | list) for d in detail):
        out[prefix or "body"] = [str(d) for d in detail]
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            out.update(_flatten(value, f"{prefix}[{index}]"))
    else:
        out[prefix or "body"] = [str(detail)]
    return out


def exception_handler(exc: Exception, context: dict) -> JsonResponse | None:
    """DRF's errors as problems: plain JSON responses, not DRF Responses, so a problem is JSON whatever renderer the
    Accept header negotiated (the browsable API would draw it as HTML under a problem+json Content-Type)."""
    if isinstance(exc, HubError):
        return problem_response(exc.status, exc.title, exc.detail, exc.errors)
    if isinstance(exc, RequestDataTooBig):
        return problem_response(
            413, "Payload too large", "The request body exceeds the allowed size.", {"body": [str(exc)]}
        )
    if isinstance(exc, drf_exceptions.ValidationError):
        errors = _flatten(exc.detail)
        fields = ", ".join(errors)
        return problem_response(400, "Invalid input", f"Invalid value for: {fields}.", errors)
    if isinstance(exc, drf_exceptions.ParseError):
        return problem_response(400, "Malformed body", str(exc.detail), {"body": [str(exc.detail)]})
    if isinstance(exc, Http404):
        return problem_response(404, "Not found", str(exc) or "Not found.")
    response = drf_default_handler(exc, context)
    if response is None:
        return None
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else str(response.data)
    about = next((name for kind, name in _HEADER_OF if isinstance(exc, kind)), None)
    problem = problem_response(
        response.status_code, response.status_text, str(detail), {about: [str(detail)]} if about else None
    )
    for header, value in response.items():
        if header.lower() in {"www-authenticate", "retry-after", "allow"}:
            problem[header] = value
    return problem


# The request header a DRF error is about, named as the problem's field.
_HEADER_OF = (
    (drf_exceptions.NotAuthenticated, "Authorization"),
    (drf_exceptions.AuthenticationFailed, "Authorization"),
    (drf_exceptions.UnsupportedMediaType, "Content-Type"),
    (drf_exceptions.NotAcceptable, "Accept"),
)


def handler404(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return problem_response(404, "Not found", f"No resource at {request.path}.")


def handler400(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    if isinstance(exception, RequestDataTooBig):
        return problem_response(
            413, "Payload too large", "The request body exceeds the allowed size.", {"body": [str(exception)]}
        )
    field = next((name for kind, name in _FIELD_OF_SUSPICIOUS if isinstance(exception, kind)), None)
    errors = {field: [str(exception)]} if field else None
    return problem_response(400, "Bad request", "The request could not be understood.", errors)


# What part of the request Django's own refusals (SuspiciousOperation, answered through handler400) are about.
_FIELD_OF_SUSPICIOUS = ((TooManyFieldsSent, "query"), (TooManyFilesSent, "body"), (DisallowedHost, "Host"))


def handler500(request: HttpRequest) -> JsonResponse:
    return problem_response(500, "Internal error", "The hub failed to answer; the error is logged.")
