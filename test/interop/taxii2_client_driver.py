"""Drives a live TAXII 2.1 server through the OASIS taxii2-client v2.1 API.

Reads a JSON plan on stdin (written by taxii2-client.test.ts) and prints one JSON document on
stdout: {"steps": {<name>: {"ok": bool, ...observations} }}. It observes and does not judge:
the jest test asserts on what it prints. A step that raises records the error and the HTTP status,
and the steps after it still run.
"""
import datetime
import json
import sys
import traceback

import requests
from taxii2client.common import TokenAuth
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages

TAXII_21 = "application/taxii+json;version=2.1"


def run_step(steps, name, action):
    try:
        steps[name] = {"ok": True, **action()}
    except requests.exceptions.HTTPError as error:
        steps[name] = {"ok": False, "error": str(error), "http_status": error.response.status_code}
    except Exception as error:  # noqa: BLE001 - every failure is reported to the jest test
        steps[name] = {"ok": False, "error": "%s: %s" % (type(error).__name__, error),
                       "trace": traceback.format_exc(limit=4)}


def status_fields(status):
    return {
        "id": status.id, "status": status.status, "total_count": status.total_count,
        "success_count": status.success_count, "failure_count": status.failure_count,
        "pending_count": status.pending_count, "request_timestamp": status.request_timestamp,
        "success_ids": [detail["id"] for detail in status.successes],
        "failures": status.failures,
    }


def ids_of(envelope):
    return [obj["id"] for obj in envelope.get("objects", [])]


def http_status_of(call):
    """Runs a client call that should fail; returns the HTTP status of its HTTPError (None if it succeeded)."""
    try:
        call()
    except requests.exceptions.HTTPError as error:
        return error.response.status_code
    return None


def main():
    plan = json.load(sys.stdin)
    auth = plan["auth"]
    credentials = {"auth": TokenAuth(auth["token"])} if "token" in auth else {"user": auth["user"], "password": auth["password"]}
    steps = {}
    server = Server(plan["discovery_url"], **credentials)
    context = {}

    def discovery():
        return {"title": server.title, "description": server.description, "contact": server.contact,
                "default": server.default.url if server.default else None,
                "api_roots": [root.url for root in server.api_roots]}

    def api_root():
        root = server.default or server.api_roots[0]
        context["root"] = root
        return {"url": root.url, "title": root.title, "versions": root.versions,
                "max_content_length": root.max_content_length}

    def collections():
        found = {}
        for root in server.api_roots:
            found[root.url] = [{"id": c.id, "title": c.title, "alias": c.alias, "can_read": c.can_read,
                                "can_write": c.can_write, "media_types": c.media_types, "url": c.url}
                               for c in root.collections]
        return {"by_root": found}

    def bad_credentials():
        # A wrong password and a made-up token must both be refused before anything is revealed (H-06).
        wrong = http_status_of(lambda: Server(plan["discovery_url"], user="analyst@de-bka", password="wrong").title)
        token = http_status_of(lambda: Server(plan["discovery_url"], auth=TokenAuth("tas_0000000000000000_" + "A" * 43)).title)
        return {"wrong_password": wrong, "unknown_token": token}

    run_step(steps, "bad_credentials", bad_credentials)
    run_step(steps, "server", discovery)
    run_step(steps, "api_root", api_root)
    run_step(steps, "collections", collections)
    if "root" not in context:
        print(json.dumps({"steps": steps}))
        return
    root = context["root"]
    collection = Collection(root.url + "collections/" + plan["collection"] + "/", conn=root._conn)
    objects = plan["objects"]
    ids = [obj["id"] for obj in objects]
    versioned = plan["versioned"]
    versioned_id = versioned[0]["id"]

    def add_objects():
        status = collection.add_objects({"objects": objects})
        context["status_id"] = status.id
        return status_fields(status)

    def get_status():
        return status_fields(root.get_status(context["status_id"]))

    def add_versions():
        return status_fields(collection.add_objects(json.dumps({"objects": versioned})))

    def filters():
        return {
            "type_indicator": ids_of(collection.get_objects(type="indicator", id=ids)),
            "type_two": ids_of(collection.get_objects(type=["malware", "ipv4-addr"], id=ids)),
            "one_id": ids_of(collection.get_objects(id=ids[0])),
            "version_default": [o["modified"] for o in collection.get_objects(id=versioned_id).get("objects", [])],
            "version_all": [o["modified"] for o in collection.get_objects(id=versioned_id, version="all").get("objects", [])],
            "version_first": [o["modified"] for o in collection.get_objects(id=versioned_id, version="first").get("objects", [])],
            "version_exact": [o["modified"] for o in collection.get_objects(id=versioned_id, version=versioned[1]["modified"]).get("objects", [])],
            "nothing": collection.get_objects(id="indicator--00000000-0000-4000-8000-000000000000"),
        }

    def pages(func):
        def action():
            seen, sizes, mores = [], [], []
            for page in as_pages(func, per_request=2, id=ids):
                items = page.get("objects", [])
                seen.extend(item["id"] for item in items)
                sizes.append(len(items))
                mores.append(page.get("more", False))
                if len(sizes) > 3 * len(ids):
                    raise RuntimeError("as_pages does not end: the server keeps answering more=true")
            return {"ids": seen, "sizes": sizes, "mores": mores}
        return action

    def manifest():
        page = collection.get_manifest(id=versioned_id, version="all")
        return {"records": page.get("objects", []), "more": page.get("more")}

    def versions():
        page = collection.object_versions(versioned_id)
        return {"versions": page.get("versions", []), "more": page.get("more")}

    def get_object():
        return {"latest": collection.get_object(versioned_id).get("objects", []),
                "all": [o["modified"] for o in collection.get_object(versioned_id, version="all").get("objects", [])]}

    def added_after():
        # taxii2-client returns bodies only, so the headers are read with its own session.
        response = root._conn.session.get(collection.objects_url, headers={"Accept": TAXII_21},
                                          params={"match[id]": ",".join(ids)})
        response.raise_for_status()
        first = response.headers.get("X-TAXII-Date-Added-First")
        last = response.headers.get("X-TAXII-Date-Added-Last")
        parsed = datetime.datetime.strptime(first, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
        return {
            "header_first": first, "header_last": last, "order": ids_of(response.json()),
            "after_first": ids_of(collection.get_objects(id=ids, added_after=first)),
            # A datetime goes through the client's own formatting (trailing zeros stripped, Q-04).
            "after_first_datetime": ids_of(collection.get_objects(id=ids, added_after=parsed)),
            "after_last": collection.get_objects(id=ids, added_after=last),
        }

    def delete():
        target = ids[-1]
        collection.delete_object(target)
        return {"deleted": target,
                "get_after_delete": http_status_of(lambda: collection.get_object(target)),
                "manifest_after_delete": collection.get_manifest(id=target),
                "delete_again": http_status_of(lambda: collection.delete_object(target))}

    def bundle():
        # What python-stix2's TAXIICollectionSink.add sends: a serialised bundle, not an envelope.
        status = collection.add_objects(json.dumps(plan["bundle"]))
        read = collection.get_object(plan["bundle"]["objects"][0]["id"])
        return {**status_fields(status), "read_back": read.get("objects", [])}

    run_step(steps, "add_objects", add_objects)
    run_step(steps, "get_status", get_status)
    run_step(steps, "add_versions", add_versions)
    run_step(steps, "filters", filters)
    run_step(steps, "objects_pages", pages(collection.get_objects))
    run_step(steps, "manifest_pages", pages(collection.get_manifest))
    run_step(steps, "manifest", manifest)
    run_step(steps, "versions", versions)
    run_step(steps, "get_object", get_object)
    run_step(steps, "added_after", added_after)
    run_step(steps, "delete", delete)
    run_step(steps, "bundle", bundle)

    if plan.get("read_only_collection"):
        def read_only():
            other = Collection(root.url + "collections/" + plan["read_only_collection"] + "/", conn=root._conn)
            return {"can_read": other.can_read, "can_write": other.can_write,
                    "objects": other.get_objects(),
                    # The client gates writes itself (AccessError); the raw POST shows the server's answer.
                    "raw_post_status": root._conn.session.post(
                        other.objects_url, data=json.dumps({"objects": objects[:1]}),
                        headers={"Accept": TAXII_21, "Content-Type": TAXII_21}).status_code}
        run_step(steps, "read_only", read_only)

    if plan.get("write_only_collection"):
        def write_only():
            other = Collection(root.url + "collections/" + plan["write_only_collection"] + "/", conn=root._conn)
            status = other.add_objects({"objects": plan["write_only_objects"]})
            try:
                other.get_objects()
                read = "allowed"
            except Exception as error:  # noqa: BLE001 - the client's own gate raises AccessError
                read = type(error).__name__
            return {"can_read": other.can_read, "can_write": other.can_write, "add": status_fields(status),
                    "client_read": read,
                    # The client lets a writer delete; the server must refuse a write-only partner.
                    "delete_status": http_status_of(lambda: other.delete_object(plan["write_only_objects"][0]["id"]))}
        run_step(steps, "write_only", write_only)

    print(json.dumps({"steps": steps}))


if __name__ == "__main__":
    main()
