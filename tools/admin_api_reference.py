#!/usr/bin/env python3
"""Writes docs/admin-api-reference.md from the admin API's own OpenAPI document.

    python3 tools/admin_api_reference.py target/debug/hr-sandbox

The document is what the binary serves at `GET /__admin/openapi` (all vendors, seed 42), so the
page lists every mounted admin route with its parameters, body fields and bounds, answers and
rules exactly as the server declares them. CI regenerates it and fails when the committed page
differs (`git diff --exit-code`); run it after changing an admin route. The page is regenerated
whole; edit the route's OpenAPI description, not the page.
"""
import json
import os
import re
import sys

import requests

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "clients"))
import sandbox_server  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PAGE = os.path.join(ROOT, "docs", "admin-api-reference.md")
METHODS = ["get", "put", "post", "delete", "patch", "head", "options"]
# How deep nested object fields are listed (`a.b.c`); deeper ones are summarised by their type.
FIELD_DEPTH = 3


def cell(text):
    """Text for one table cell: one line, pipes escaped outside code spans (Python-Markdown's
    tables leave a pipe inside a code span alone, and would show the backslash)."""
    parts = re.split(r"(``.*?``|`[^`]*`)", " ".join(str(text).split()))
    return "".join(part if part.startswith("`") else part.replace("|", "\\|") for part in parts)


def code(text):
    """`text` as a code span, with a longer fence when the text holds a backtick itself."""
    text = str(text)
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def notes(description, schema):
    """A field's description and its bounds, as one cell."""
    said = [description.strip().rstrip(".")] if description and description.strip() else []
    return cell("; ".join(said + bounds(schema)))


def ref_name(schema):
    return schema["$ref"].rsplit("/", 1)[-1]


def type_of(schema):
    """A schema's type in a few words: `string`, `integer | null`, `array of object`, `Error`."""
    if not isinstance(schema, dict) or not schema:
        return "any"
    if "$ref" in schema:
        return ref_name(schema)
    for combinator in ("oneOf", "anyOf"):
        if combinator in schema and "type" not in schema:
            return " or ".join(dict.fromkeys(type_of(s) for s in schema[combinator]))
    kind = schema.get("type", "object" if "properties" in schema else "any")
    kinds = kind if isinstance(kind, list) else [kind]
    words = []
    for k in kinds:
        if k == "array":
            words.append(f"array of {type_of(schema.get('items', {}))}")
        else:
            words.append(k)
    return " \\| ".join(words)


def bounds(schema):
    """The constraints a schema states, as short phrases."""
    if not isinstance(schema, dict):
        return []
    said = []
    for combinator in ("oneOf", "anyOf"):
        choices = schema.get(combinator, [])
        if choices and all(set(c) == {"required"} for c in choices):
            needs = " or ".join(", ".join(code(name) for name in c["required"]) for c in choices)
            said.append(f"needs {needs}")
    if "enum" in schema:
        said.append("one of " + ", ".join(code(json.dumps(v)) for v in schema["enum"]))
    if "const" in schema:
        said.append(f"always {code(json.dumps(schema['const']))}")
    for key, words in (("minimum", "at least"), ("exclusiveMinimum", "above"), ("maximum", "at most"),
                       ("exclusiveMaximum", "below"), ("minLength", "length at least"),
                       ("maxLength", "length at most"), ("minItems", "items at least"),
                       ("maxItems", "items at most"), ("maxProperties", "keys at most")):
        if key in schema:
            said.append(f"{words} {schema[key]}")
    if "pattern" in schema:
        said.append(f"pattern {code(schema['pattern'])}")
    if "format" in schema:
        said.append(f"format {schema['format']}")
    if "default" in schema:
        said.append(f"default {code(json.dumps(schema['default']))}")
    return said


def field_rows(schema, prefix="", depth=1):
    """Table rows (name, type, required, what it says) for an object schema's properties."""
    rows = []
    if not isinstance(schema, dict):
        return rows
    required = set(schema.get("required", []))
    for name, field in schema.get("properties", {}).items():
        field = field if isinstance(field, dict) else {}
        rows.append(f"| `{prefix}{name}` | {type_of(field)} | {'yes' if name in required else ''} | {notes(field.get('description'), field)} |")
        if depth < FIELD_DEPTH and field.get("properties"):
            rows += field_rows(field, f"{prefix}{name}.", depth + 1)
    return rows


def fields_table(schema):
    rows = field_rows(schema)
    if not rows:
        return []
    extra = schema.get("additionalProperties")
    note = ["", "Other keys are refused."] if extra is False else []
    return ["| field | type | required | notes |", "| --- | --- | --- | --- |", *rows, *note]


def body_lines(content):
    """A request or response body: its media types, type and fields."""
    lines = []
    for media, body in content.items():
        schema = body.get("schema", {})
        said = notes(schema.get("description"), schema)
        lines += ["", f"`{media}` ({type_of(schema)}){': ' + said if said else ''}"]
        table = fields_table(schema)
        if table:
            lines += ["", *table]
    return lines


def operation_lines(path, method, op):
    lines = [f"### `{method.upper()} /__admin{path}`", "", f"{op.get('summary', '')} (`{op.get('operationId', '')}`)."]
    if op.get("description"):
        lines += ["", op["description"]]
    params = op.get("parameters", [])
    if params:
        lines += ["", "| parameter | in | type | required | notes |", "| --- | --- | --- | --- | --- |"]
        for p in params:
            schema = p.get("schema", {})
            lines.append(f"| `{p['name']}` | {p['in']} | {type_of(schema)} | {'yes' if p.get('required') else ''} | {notes(p.get('description'), schema)} |")
    body = op.get("requestBody")
    if body:
        lines += ["", f"**Body**{' (required)' if body.get('required') else ''}:"] + body_lines(body.get("content", {}))
    rules = op.get("x-hr-sandbox-rules", [])
    if rules:
        lines += ["", "Rules a schema cannot state (a body that breaks one gets 400):", ""] + [f"- {r}" for r in rules]
    lines += ["", "| answer | means | body | headers |", "| --- | --- | --- | --- |"]
    for status, answer in op.get("responses", {}).items():
        content = answer.get("content", {})
        kinds = ", ".join(f"`{m}` {type_of(b.get('schema', {}))}" for m, b in content.items()) or "none"
        headers = ", ".join(f"`{h}`" for h in answer.get("headers", {})) or ""
        lines.append(f"| {status} | {cell(answer.get('description', ''))} | {cell(kinds)} | {headers} |")
    success = next((a for s, a in op.get("responses", {}).items() if s.startswith("2")), {})
    for media, body in success.get("content", {}).items():
        table = fields_table(body.get("schema", {}))
        if table:
            lines += ["", f"Fields of the success answer (`{media}`):", "", *table]
    return lines + [""]


def page(document):
    info = document.get("info", {})
    ops = [(path, method, item[method]) for path, item in document.get("paths", {}).items()
           for method in METHODS if method in item]
    lines = [
        "# Admin API reference",
        "",
        "<!-- Generated by `python3 tools/admin_api_reference.py target/debug/hr-sandbox` from",
        "     `GET /__admin/openapi`; CI fails when this page is stale. Do not edit by hand. -->",
        "",
        f"Generated from the admin API's OpenAPI {document.get('openapi', '')} document (`GET /__admin/openapi`,",
        f"`{info.get('title', '')}` {info.get('version', '')}), as the server serves it with every vendor.",
        "The hand-written overview is [The admin API](admin-api.md); the same document is served as YAML",
        "with `?format=yaml` (see [OpenAPI documents](openapi.md)).",
        "",
        info.get("description", ""),
        "",
        "Every route answers errors as `{\"error\": {\"code\": \"...\", \"message\": \"...\"}}` (the `Error`",
        "schema). Every route that concerns state takes `?sandbox=NAME` (default `default`).",
        "",
        f"## Routes ({len(ops)} operations)",
        "",
        "| route | operation | does |",
        "| --- | --- | --- |",
    ]
    for path, method, op in ops:
        lines.append(f"| `{method.upper()} /__admin{path}` | `{op.get('operationId', '')}` | {cell(op.get('summary', ''))} |")
    lines += ["", "## Operations", ""]
    for path, method, op in ops:
        lines += operation_lines(path, method, op)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(binary):
    with sandbox_server.running(binary, "--workers", "1", "--seed", "42") as server:
        document = requests.get(server.root + "/__admin/openapi", timeout=5).json()
    with open(PAGE, "w") as f:
        f.write(page(document))
    print(f"wrote {os.path.relpath(PAGE, ROOT)}: {sum(1 for i in document['paths'].values() for m in METHODS if m in i)} operations")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
