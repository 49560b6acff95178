#!/usr/bin/env python3
"""Checks MIAFlow's JSON Schemas, examples and AsyncAPI document against each other.

- every schema in schemas/*.json is a valid draft 2020-12 schema;
- every CloudEvent in schemas/examples/valid/ validates against schemas/cloudevent.json (which
  references the data schemas by $id);
- every example in schemas/examples/invalid/index.json with schemaDetects=true is rejected (a file that
  is not JSON counts as rejected), and every file in that folder is listed in the index;
- schemas/asyncapi.yaml parses and names every topic of Sources/MIAContracts/Topics/TopicRegistry.swift.

Prints a summary and exits non-zero on any mismatch. Needs python3 with jsonschema (>= 4.18, for
`referencing`) and PyYAML.
"""

import json
import re
import sys
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
EXAMPLES = SCHEMAS / "examples"
TOPIC_REGISTRY = ROOT / "Sources" / "MIAContracts" / "Topics" / "TopicRegistry.swift"
ENVELOPE_ID = "https://schemas.mia.se/v1/cloudevent.json"


def load_schemas():
    """All schema files, keyed by file name."""
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(SCHEMAS.glob("*.json"))}


def registry_topics():
    """The topic names spelled in TopicRegistry.swift, plus the dead-letter topic of every worker."""
    source = TOPIC_REGISTRY.read_text(encoding="utf-8")
    topics = set(re.findall(r'"(mia\.[a-z-]+\.v[0-9]+)"', source))
    workers = re.search(r"static let workers = \[([^\]]*)\]", source)
    if workers:
        topics |= {f"mia.dlq.{name}" for name in re.findall(r'"([a-z-]+)"', workers.group(1))}
    return topics


def main():
    failures = []
    schemas = load_schemas()

    for name, schema in schemas.items():
        try:
            Draft202012Validator.check_schema(schema)
        except Exception as error:  # noqa: BLE001 - report every kind of schema error
            failures.append(f"schema {name} is not a valid 2020-12 schema: {error}")
        expected_id = f"https://schemas.mia.se/v1/{name}"
        if schema.get("$id") != expected_id:
            failures.append(f"schema {name} has $id {schema.get('$id')!r}, expected {expected_id!r}")

    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values() if "$id" in schema
    )
    validator = Draft202012Validator(schemas["cloudevent.json"], registry=registry)

    valid_files = sorted((EXAMPLES / "valid").glob("*.json"))
    for path in valid_files:
        errors = sorted(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))), key=str)
        if errors:
            failures.append(f"valid/{path.name} is rejected: {errors[0].message}")

    index = json.loads((EXAMPLES / "invalid" / "index.json").read_text(encoding="utf-8"))
    listed = {entry["file"] for entry in index["examples"]}
    on_disk = {path.name for path in (EXAMPLES / "invalid").glob("*.json")} - {"index.json"}
    for missing in sorted(on_disk - listed):
        failures.append(f"invalid/{missing} is not listed in index.json")
    for absent in sorted(listed - on_disk):
        failures.append(f"index.json lists invalid/{absent}, which does not exist")

    detected = 0
    for entry in index["examples"]:
        path = EXAMPLES / "invalid" / entry["file"]
        if not path.exists():
            continue
        try:
            rejected = not validator.is_valid(json.loads(path.read_text(encoding="utf-8")))
        except json.JSONDecodeError:
            rejected = True
        if rejected:
            detected += 1
        if entry["schemaDetects"] and not rejected:
            failures.append(f"invalid/{entry['file']} should be rejected by the schema ({entry['code']} at {entry['field']})")
        if not entry["schemaDetects"] and rejected:
            failures.append(f"invalid/{entry['file']} is rejected by the schema but index.json says schemaDetects=false")

    asyncapi = yaml.safe_load((SCHEMAS / "asyncapi.yaml").read_text(encoding="utf-8"))
    if not str(asyncapi.get("asyncapi", "")).startswith("3."):
        failures.append("asyncapi.yaml is not an AsyncAPI 3 document")
    addresses = {channel.get("address") for channel in (asyncapi.get("channels") or {}).values()}
    topics = registry_topics()
    for topic in sorted(topics - addresses):
        failures.append(f"asyncapi.yaml has no channel for topic {topic}")
    for address in sorted(addresses - topics):
        failures.append(f"asyncapi.yaml has channel {address}, which TopicRegistry.swift does not define")

    print(f"schemas checked:         {len(schemas)}")
    print(f"valid examples:          {len(valid_files)}")
    print(f"invalid examples:        {len(index['examples'])} ({detected} rejected by JSON Schema)")
    print(f"topics in asyncapi.yaml: {len(addresses & topics)} of {len(topics)}")
    if failures:
        print(f"\n{len(failures)} problem(s):")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
