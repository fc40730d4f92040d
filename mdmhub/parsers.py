"""The API's JSON parser: refuses, by path, what the hub could not store or answer about (see mdmhub.safejson)."""

import codecs

from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser, get_encoding

from .safejson import body_errors, load_json


class HubJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        try:
            data = load_json(codecs.getreader(encoding)(stream).read())
        except ValueError as exc:  # also UnicodeDecodeError: the body is not in its declared charset
            raise ParseError(f"JSON parse error - {exc}") from None
        if errors := body_errors(data):
            raise ValidationError(errors)
        return data
