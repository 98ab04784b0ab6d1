"""Domain errors. Each has a stable machine-readable `code` and an HTTP status; one handler maps them."""

from __future__ import annotations

from typing import Any, ClassVar


class AppError(Exception):
    code: ClassVar[str] = "INTERNAL_ERROR"
    status: ClassVar[int] = 500

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(AppError):
    code = "NOT_FOUND"
    status = 404


class ThreadNotFound(NotFound):
    code = "THREAD_NOT_FOUND"


class ArtifactNotFound(NotFound):
    code = "ARTIFACT_NOT_FOUND"


class DatasetNotFound(NotFound):
    code = "DATASET_NOT_FOUND"


class FileNotFoundInWorkspace(NotFound):
    code = "FILE_NOT_FOUND"


class Unauthorized(AppError):
    code = "UNAUTHORIZED"
    status = 401


class InvalidToken(Unauthorized):
    """issue 13: a sign-in with a token that is unknown, revoked or of a disabled user."""

    code = "INVALID_TOKEN"


class Forbidden(AppError):
    code = "FORBIDDEN"
    status = 403


class MetricsTokenRequired(Unauthorized):
    """ops (issue 12): METRICS_TOKEN is set and the scrape did not send it."""

    code = "METRICS_TOKEN_REQUIRED"


class MetricsLoopbackOnly(Forbidden):
    """ops (issue 12): METRICS_TOKEN is unset, so only clients on this machine may scrape."""

    code = "METRICS_LOOPBACK_ONLY"


class CsrfFailed(Forbidden):
    """issue 13: a cookie-authenticated change without the matching X-CSRF-Token header."""

    code = "CSRF_FAILED"


class TooManySignIns(AppError):
    code = "TOO_MANY_SIGN_INS"
    status = 429


class InvalidSignature(Forbidden):
    code = "INVALID_SIGNATURE"


class BadRequest(AppError):
    code = "BAD_REQUEST"
    status = 400


class InvalidPath(BadRequest):
    code = "INVALID_PATH"


class InvalidUpload(BadRequest):
    code = "INVALID_UPLOAD"


class InvalidDatasetId(BadRequest):
    code = "INVALID_DATASET_ID"


class Conflict(AppError):
    code = "CONFLICT"
    status = 409


class ObjectArchived(Conflict):
    """deploy (issue 12): the object moved to an archive storage class (Glacier): restore it first."""

    code = "OBJECT_ARCHIVED"


class ObjectExpired(AppError):
    """deploy (issue 12): the object's lifecycle rule deleted it; its record outlived it."""

    code = "OBJECT_EXPIRED"
    status = 410


class ArtifactExpired(ObjectExpired):
    """deploy (issue 12): the artifact's blob is gone from the store (a lifecycle rule deleted it)."""

    code = "ARTIFACT_EXPIRED"


class RunInProgress(Conflict):
    code = "RUN_IN_PROGRESS"


class NoPendingApproval(Conflict):
    """issue 15: a resume for a thread with no report draft waiting for approval."""

    code = "NO_PENDING_APPROVAL"


class AssistantNotFound(NotFound):
    code = "ASSISTANT_NOT_FOUND"


class RunNotFound(NotFound):
    code = "RUN_NOT_FOUND"


class NotSupported(BadRequest):
    """A LangGraph API feature the /langgraph endpoints do not implement (the message names it)."""

    code = "NOT_SUPPORTED"


class ThreadArchived(Conflict):
    code = "THREAD_ARCHIVED"


class InvalidConfig(AppError):
    code = "INVALID_CONFIG"
    status = 422


class PayloadTooLarge(AppError):
    code = "PAYLOAD_TOO_LARGE"
    status = 413


class DatasetNotGeo(Conflict):
    """A map of a dataset that has no geometry (issue 16)."""

    code = "DATASET_NOT_GEO"


class DatasetTooLargeForMap(PayloadTooLarge):
    """A portal dataset with more records than DATASET_BBOX_MAX_RECORDS: not downloaded for a map preview."""

    code = "DATASET_TOO_LARGE_FOR_MAP"


class ServiceUnavailable(AppError):
    code = "SERVICE_UNAVAILABLE"
    status = 503


class DatabaseUnavailable(ServiceUnavailable):
    code = "DATABASE_UNAVAILABLE"


class StorageUnavailable(ServiceUnavailable):
    code = "STORAGE_UNAVAILABLE"


class SandboxUnavailable(ServiceUnavailable):
    code = "SANDBOX_UNAVAILABLE"


class QuotaExceeded(AppError):
    """issue 13: the caller is at one of their limits; the message says which and when it frees up."""

    code = "QUOTA_EXCEEDED"
    status = 429


class SandboxQuotaExceeded(QuotaExceeded, SandboxUnavailable):
    """Every sandbox the caller may hold (SANDBOX_MAX_PER_USER) is busy running code. A SandboxUnavailable
    too, so the agent's tools report it to the model like any sandbox that cannot run the cell now."""

    code = "QUOTA_EXCEEDED"
    status = 429


class OpendataUnavailable(ServiceUnavailable):
    code = "OPENDATA_UNAVAILABLE"


class OpendataTimeout(OpendataUnavailable):
    status = 504


class ModelNotConfigured(ServiceUnavailable):
    code = "MODEL_NOT_CONFIGURED"


class ModelUnavailable(ServiceUnavailable):
    code = "MODEL_UNAVAILABLE"


class ConfigurationError(AppError):
    """A setting is missing or wrong; raised at start-up with the setting's name in the message."""

    code = "CONFIGURATION_ERROR"


# --- issue 13, AUTH_MODE=oidc: why a sign-in through the OpenID Connect provider did not happen ---
class OidcStateMismatch(BadRequest):
    """The callback's state is not the one this browser was sent with (or the sign-in took too long)."""

    code = "OIDC_STATE_MISMATCH"


class OidcSignInFailed(Unauthorized):
    """The provider said no: the user cancelled, or it refused the request or the code."""

    code = "OIDC_SIGN_IN_FAILED"


class OidcTokenInvalid(Unauthorized):
    """The ID token fails validation: signature, issuer, audience, nonce."""

    code = "OIDC_TOKEN_INVALID"


class OidcTokenExpired(OidcTokenInvalid):
    code = "OIDC_TOKEN_EXPIRED"


class EmailNotAllowed(Forbidden):
    """The user is not on OIDC_ALLOWED_EMAILS / OIDC_ALLOWED_DOMAINS (or the address is unverified)."""

    code = "EMAIL_NOT_ALLOWED"


class UserDisabled(Forbidden):
    code = "USER_DISABLED"


class OidcProviderUnavailable(ServiceUnavailable):
    """The provider does not answer, or answers something that is not OpenID Connect."""

    code = "OIDC_PROVIDER_UNAVAILABLE"


class MessageNotFound(NotFound):
    """issue 19: edit or regenerate of a message that is not in the thread."""

    code = "MESSAGE_NOT_FOUND"


class NotLastUserMessage(BadRequest):
    """issue 19: only the thread's last question can be edited and sent again."""

    code = "NOT_LAST_USER_MESSAGE"


class NotLastAnswer(BadRequest):
    """issue 19: only the answer to the thread's last question can be regenerated."""

    code = "NOT_LAST_ANSWER"


class ShareNotFound(NotFound):
    """issue 19: a shared link that was never made (or its thread is gone), or a thread not shared."""

    code = "SHARE_NOT_FOUND"


class ShareRevoked(AppError):
    """issue 19: the owner stopped sharing this conversation."""

    code = "SHARE_REVOKED"
    status = 410


class InvalidProviderKey(AppError):
    """issue 13: a provider key or base URL that cannot be used as given."""

    code = "INVALID_PROVIDER_KEY"
    status = 422


class ProviderKeyNotFound(NotFound):
    code = "PROVIDER_KEY_NOT_FOUND"


class ProviderKeyRequired(Conflict):
    """issue 13, REQUIRE_OWN_PROVIDER_KEY: the user has no key of their own for the run's model provider."""

    code = "PROVIDER_KEY_REQUIRED"


class ProviderKeysUnreadable(ServiceUnavailable):
    """issue 13: a stored key does not decrypt with PROVIDER_KEYS_SECRET (nor a previous secret)."""

    code = "PROVIDER_KEYS_UNREADABLE"
