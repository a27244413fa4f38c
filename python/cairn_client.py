#!/usr/bin/env python3
"""A client for cairn's inference server that needs nothing beyond the standard library.

As a module:
    client = CairnClient("http://127.0.0.1:8080", token=None)
    answer = client.predict([{"age": 41, "income": 52000, ...}])   # {"predictions": ..., "request_id": ...}
    client.feedback(answer["request_id"], [1])

As a command, replaying a labelled CSV as live traffic (requests of --batch rows,
then the true labels as feedback for each request):
    python3 python/cairn_client.py replay --url http://127.0.0.1:8080 --data traffic.csv --target default
"""

import argparse
import csv
import json
import sys
import urllib.error
import urllib.request


class CairnError(Exception):
    """A non-2xx answer: the status and the server's error code and message."""

    def __init__(self, status, body):
        self.status = status
        try:
            detail = json.loads(body)
        except ValueError:
            detail = {"message": body}
        self.error_code = detail.get("error_code", "")
        super().__init__(f"HTTP {status}: {detail.get('message', body)}")


class CairnClient:
    def __init__(self, url, token=None, timeout=30.0):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _post(self, path, payload, headers=None):
        request = urllib.request.Request(self.url + path, data=json.dumps(payload).encode("utf-8"), method="POST")
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"null"), dict(response.headers)
        except urllib.error.HTTPError as error:
            raise CairnError(error.code, error.read().decode("utf-8", "replace")) from None

    def predict(self, records, request_key=None):
        headers = {"X-Request-Key": request_key} if request_key else None
        body, response_headers = self._post("/invocations", {"dataframe_records": records}, headers)
        request_id = next((v for k, v in response_headers.items() if k.lower() == "x-request-id"), None)
        return {"predictions": body.get("predictions"), "request_id": request_id}

    def feedback(self, request_id, labels):
        body, _ = self._post("/feedback", {"request_id": request_id, "labels": list(labels)})
        return body


def _cell(text):
    """CSV text as JSON: empty is null, numbers are numbers, the rest stays text."""
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number


def replay(args):
    token = open(args.token_file).read().strip() if args.token_file else None
    client = CairnClient(args.url, token)
    with open(args.data, newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows and args.target not in rows[0]:
        sys.exit(f"cairn_client: {args.data}: no column '{args.target}'")
    drop = set(args.drop or [])
    sent = labelled = 0
    for start in range(0, len(rows), args.batch):
        chunk = rows[start:start + args.batch]
        records = [{k: _cell(v) for k, v in row.items() if k != args.target and k not in drop} for row in chunk]
        answer = client.predict(records)
        sent += len(chunk)
        if not args.no_feedback:
            client.feedback(answer["request_id"], [_cell(row[args.target]) for row in chunk])
            labelled += len(chunk)
    print(f"sent {sent} rows in {(len(rows) + args.batch - 1) // args.batch} requests to {args.url}, "
          f"feedback for {labelled}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("replay", help="send a labelled CSV as traffic, with its labels as feedback")
    p.add_argument("--url", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--target", required=True, help="the label column, sent as feedback and not as an input")
    p.add_argument("--drop", nargs="*", help="columns not sent (e.g. identifiers)")
    p.add_argument("--batch", type=int, default=20, help="rows per request")
    p.add_argument("--no-feedback", action="store_true")
    p.add_argument("--token-file")
    args = parser.parse_args(argv)
    try:
        replay(args)
    except CairnError as error:
        sys.exit(f"cairn_client: {error}")


if __name__ == "__main__":
    main()
