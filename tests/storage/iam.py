"""A small IAM policy evaluator for the S3 statements in deploy/aws/, and a recorder of the S3 calls a
client makes, so tests can ask: would AWS have allowed every request the app just made?

Evaluation as AWS does it for identity policies: an explicit Deny wins, else any Allow, else denied.
Actions and resource ARNs match with `*` and `?` wildcards (actions case-insensitively); the only condition
key the policies use is `aws:SecureTransport` (Bool)."""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# S3 API operation → the IAM action(s) it needs, and whether on the bucket or the object ARN
OPERATIONS: dict[str, tuple[str, str]] = {
    "HeadBucket": ("s3:ListBucket", "bucket"),
    "ListObjectsV2": ("s3:ListBucket", "bucket"),
    "GetBucketLocation": ("s3:GetBucketLocation", "bucket"),
    "HeadObject": ("s3:GetObject", "object"),
    "GetObject": ("s3:GetObject", "object"),
    "PutObject": ("s3:PutObject", "object"),
    "CopyObject": ("s3:PutObject", "object"),
    "CreateMultipartUpload": ("s3:PutObject", "object"),
    "UploadPart": ("s3:PutObject", "object"),
    "CompleteMultipartUpload": ("s3:PutObject", "object"),
    "AbortMultipartUpload": ("s3:AbortMultipartUpload", "object"),
    "ListParts": ("s3:ListMultipartUploadParts", "object"),
    "DeleteObject": ("s3:DeleteObject", "object"),
}


def load_policy(name: str, bucket: str) -> dict[str, Any]:
    text = (ROOT / "deploy/aws" / name).read_text().replace("LGURBAN_BUCKET", bucket)
    return dict(json.loads(text))


def _list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _conditions_hold(statement: dict[str, Any], secure: bool) -> bool:
    for operator, checks in (statement.get("Condition") or {}).items():
        for key, wanted in checks.items():
            assert operator == "Bool" and key == "aws:SecureTransport", f"unsupported condition {operator}"
            if str(secure).lower() not in [str(w).lower() for w in _list(wanted)]:
                return False
    return True


def _matches(statement: dict[str, Any], action: str, resource: str) -> bool:
    actions = _list(statement.get("Action", []))
    if not any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in actions):
        return False
    return any(fnmatch.fnmatchcase(resource, r) for r in _list(statement.get("Resource", [])))


def allowed(policy: dict[str, Any], action: str, resource: str, *, secure: bool = True) -> bool:
    applicable = [
        s for s in policy["Statement"] if _matches(s, action, resource) and _conditions_hold(s, secure)
    ]
    if any(s["Effect"] == "Deny" for s in applicable):
        return False
    return any(s["Effect"] == "Allow" for s in applicable)


@dataclass(frozen=True)
class Request:
    operation: str
    bucket: str
    key: str | None

    @property
    def action(self) -> str:
        return OPERATIONS[self.operation][0]

    @property
    def arn(self) -> str:
        on = OPERATIONS[self.operation][1]
        return f"arn:aws:s3:::{self.bucket}" + (f"/{self.key}" if on == "object" else "")


class Recorder:
    """Every S3 request a boto3 client sends (before it is signed), with its bucket and key."""

    def __init__(self) -> None:
        self.requests: list[Request] = []

    def attach(self, client: Any) -> None:
        client.meta.events.register("before-parameter-build.s3", self._record)

    def _record(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name in OPERATIONS:
            self.requests.append(Request(model.name, params["Bucket"], params.get("Key")))
        if model.name == "CopyObject":  # reading the source needs GetObject on it
            source = params["CopySource"]
            self.requests.append(Request("GetObject", source["Bucket"], source["Key"]))

    def denied(self, policy: dict[str, Any]) -> list[Request]:
        return [r for r in self.requests if not allowed(policy, r.action, r.arn)]
