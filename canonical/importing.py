"""Reading bulk files into batches and validated ingest items. Pure parsing: no database."""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware

from mdmhub.safejson import body_errors, load_json

from .schema import clean_attributes, clean_local_id, clean_references
from .services.ingest import IngestItem


class RawLine(NamedTuple):
    """One record's text (a JSON object) and the line of the file it starts on."""

    line: int
    text: str


@dataclass
class Parsed:
    line: int
    item: IngestItem | None
    errors: dict[str, list[str]] | None
    text: str


def parse_record(entity: str, data: object) -> tuple[IngestItem | None, dict[str, list[str]]]:
    """One record in the ingest API's shape plus ``local_id``; the same checks as the API."""
    if not isinstance(data, dict):
        return None, {"body": ["must be an object"]}
    errors: dict[str, list[str]] = {}
    for key in sorted(set(data) - {"local_id", "attributes", "source_updated_at", "references"}):
        errors[str(key)[:80]] = ["is not a known field"]
    local_id, error = clean_local_id(data.get("local_id"))
    if error or local_id is None:
        errors["local_id"] = [error or "is required"]
    attributes, attr_errors = clean_attributes(entity, data.get("attributes", {}))
    references, ref_errors = clean_references(entity, data.get("references"))
    errors.update(attr_errors)
    errors.update(ref_errors)
    when = None
    if (raw_when := data.get("source_updated_at")) is not None:
        try:
            when = parse_datetime(raw_when) if isinstance(raw_when, str) else None
        except ValueError:
            when = None
        if when is None:
            errors["source_updated_at"] = ["must be an ISO 8601 date-time"]
        elif is_naive(when):
            when = make_aware(when)
    if errors:
        return None, errors
    return IngestItem(local_id, attributes, references, when, raw=data), {}


def parse_lines(entity: str, lines: list[RawLine]) -> list[Parsed]:
    parsed = []
    for line, text in lines:
        try:
            data = load_json(text)
        except ValueError as exc:
            parsed.append(Parsed(line, None, {"body": [f"not JSON: {exc}"[:200]]}, text))
            continue
        if errors := body_errors(data):  # a value no field may hold (NUL, lone surrogate, 1e999, a repeated key)
            parsed.append(Parsed(line, None, errors, text))
            continue
        item, errors = parse_record(entity, data)
        parsed.append(Parsed(line, item, errors or None, text))
    return parsed


def csv_row_to_record(row: dict[str, str]) -> dict:
    """``address.city`` columns become nested parts; ``references.customer`` a reference; empty cells are absent."""
    record: dict = {"attributes": {}}
    for column, value in row.items():
        if column is None or value is None or value == "":
            continue
        if column in {"local_id", "source_updated_at"}:
            record[column] = value
        elif column.startswith("references."):
            record.setdefault("references", {})[column.split(".", 1)[1]] = value
        elif "." in column:
            parent, part = column.split(".", 1)
            record["attributes"].setdefault(parent, {})[part] = value
        else:
            record["attributes"][column] = value
    return record


def read_jsonl(stream: io.BufferedReader) -> Iterator[RawLine]:
    for number, raw in enumerate(stream, start=1):
        text = raw.decode("utf-8", errors="replace").strip()
        if text:
            yield RawLine(number, text)


def read_csv(stream: io.BufferedReader) -> Iterator[RawLine]:
    """Rows as JSON records in the ingest shape; a quoted cell may span lines."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    if "local_id" not in (reader.fieldnames or []):
        raise ValueError("the CSV header needs a local_id column")
    for row in reader:
        if None in row:
            yield RawLine(reader.line_num, json.dumps({"error": "more cells than header columns"}))
            continue
        yield RawLine(reader.line_num, json.dumps(csv_row_to_record(row)))


def batched(lines: Iterator[RawLine], size: int) -> Iterator[tuple[int, list[RawLine]]]:
    """Numbered batches of ``size`` records; numbering depends only on the file and size, so resumes agree."""
    batch: list[RawLine] = []
    number = 0
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield number, batch
            number, batch = number + 1, []
    if batch:
        yield number, batch
