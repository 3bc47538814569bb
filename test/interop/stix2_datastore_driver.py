"""Drives a live server through python-stix2's TAXII data store (what OpenCTI-style tooling embeds).

Reads a JSON plan on stdin, prints one JSON document {"steps": {...}}; each step records its own
error so one failure does not hide the others. Assertions live in the jest test.
"""
import json
import sys
import traceback

from stix2 import Filter, Indicator, TAXIICollectionSink, TAXIICollectionSource
from taxii2client.v21 import Collection


def step(steps, name, action):
    try:
        steps[name] = {"ok": True, **action()}
    except Exception as error:  # noqa: BLE001 - every failure is reported, none stops the run
        steps[name] = {"ok": False, "error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()[-800:]}


def main():
    plan = json.load(sys.stdin)
    collection = Collection(plan["collection_url"], user=plan["user"], password=plan["password"])
    sink = TAXIICollectionSink(collection)
    source = TAXIICollectionSource(collection)
    steps = {}
    created = Indicator(
        name="stix2 sink indicator",
        pattern="[ipv4-addr:value = '203.0.113.77']",
        pattern_type="stix",
        valid_from="2024-05-01T00:00:00Z",
    )
    revised = created.new_version(name="stix2 sink indicator, revised")

    step(steps, "sink_add", lambda: (sink.add([created, revised]), {"ids": [created.id]})[1])
    step(steps, "source_get", lambda: {"object": json.loads(source.get(created.id).serialize())})
    step(steps, "source_all_versions", lambda: {"modified": sorted(str(o.modified) for o in source.all_versions(created.id))})
    step(steps, "source_query", lambda: {"ids": sorted(o.id for o in source.query([Filter("type", "=", "indicator")]))})
    print(json.dumps({"steps": steps, "created": json.loads(created.serialize()), "revised": json.loads(revised.serialize())}))


if __name__ == "__main__":
    main()
