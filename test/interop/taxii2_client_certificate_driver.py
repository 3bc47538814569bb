"""Logs in to a live TAXII 2.1 server with a TLS client certificate through taxii2-client's `cert=`.

Reads a JSON plan on stdin (written by taxii2-client-certificate.test.ts): discovery_url, collection,
cert and key (PEM files). Prints one JSON document on stdout with what it saw; the jest test judges.
The server's own certificate is self-signed for the test; `server_ca` names it, to verify it by.
"""
import json
import os
import sys

import requests
from taxii2client.v21 import Collection, Server


def main():
    plan = json.load(sys.stdin)
    # requests lets these variables override a session's own `verify`, which is how taxii2-client passes it.
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        os.environ.pop(name, None)
    cert = (plan["cert"], plan["key"])
    result = {}
    try:
        server = Server(plan["discovery_url"], cert=cert, verify=plan["server_ca"])
        result["title"] = server.title
        root = server.api_roots[0]
        collection = Collection(root.url + "collections/" + plan["collection"] + "/", conn=root._conn)
        result["object_ids"] = sorted(obj["id"] for obj in collection.get_objects().get("objects", []))
    except requests.exceptions.HTTPError as error:
        result["http_status"] = error.response.status_code
    print(json.dumps(result))


if __name__ == "__main__":
    main()
