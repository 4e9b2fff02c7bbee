"""Drives the service's Open311 endpoint with the georeport client (GeoReport v2, PyPI), in JSON and XML.

Usage: open311_client.py BASE_URL API_KEY FORMAT. Prints one JSON object with what the client saw;
the jest test (open311-client.test.ts) checks it. georeport reads (services, definitions, requests,
one request); it cannot create requests, so the POST, discovery and tokens go through `requests`,
the HTTP library georeport itself uses.
"""
import json
import sys

import requests
import xmltodict
from georeport import GeoReport

base, api_key, fmt = sys.argv[1], sys.argv[2], sys.argv[3]
client = GeoReport(base, api_key=api_key, output_format=fmt)


def parse(res):
    return res.json() if fmt == "json" else xmltodict.parse(res.content)


services = client.get_service_list()
code = services[0]["service_code"]
definition = client.get_service_definition(code)

form = {
    "api_key": api_key,
    "service_code": code,
    "lat": "29.8735",
    "long": "121.5604",
    "address_string": "柳岸路 8 号",
    "description": "python georeport client " + fmt + " " + "长" * 1000,
    "email": "resident@example.com",
}
created_res = requests.post(f"{base}/requests.{fmt}", data=form, timeout=10)
created_res.raise_for_status()
created = parse(created_res)
created = created[0] if fmt == "json" else created["service_requests"]["request"]
rid = created["service_request_id"]

address_only = requests.post(
    f"{base}/requests.{fmt}",
    params={"api_key": api_key},
    data={"service_code": code, "address_string": "望湖社区东门", "description": "只有地址"},
    timeout=10,
)

one = client.get_service_request(rid)
listed = client.get_service_requests(service_code=code, status="open,closed")
# xmltodict gives a dict, not a list, when there is one element
listed = listed if isinstance(listed, list) else [listed]
by_ids = client.get_service_requests(service_request_id=f"{rid},T000000AAAAAA")
by_ids = by_ids if isinstance(by_ids, list) else [by_ids]

missing = requests.get(f"{base}/requests/123456.{fmt}", timeout=10)
discovery = requests.get(f"{base}/discovery.{fmt}", timeout=10)
token = requests.get(f"{base}/tokens/{created['token']}.{fmt}", timeout=10)

print(json.dumps({
    "services": len(services),
    "first_code": code,
    "definition_code": definition["service_code"],
    "created": rid,
    "created_type": created_res.headers.get("content-type"),
    "address_only_status": address_only.status_code,
    "one": {k: one.get(k) for k in ("service_request_id", "status", "service_code", "address", "lat", "long")},
    "one_description_length": len(one["description"]),
    "listed_contains": any(r["service_request_id"] == rid for r in listed),
    "by_ids": [r["service_request_id"] for r in by_ids],
    "missing_status": missing.status_code,
    "missing_body": missing.text,
    "discovery_status": discovery.status_code,
    "discovery_has_endpoint": "GeoReport_v2" in discovery.text,
    "token_status": token.status_code,
    "token_has_id": rid in token.text,
}, ensure_ascii=False))
