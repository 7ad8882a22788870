"""Read-only access to AWS for ``verify`` and ``cost --live-prices``: the one place that
talks to boto3.

Every call goes through :meth:`AwsAccess.call`, which refuses anything but a
read (Describe*, List*, Get*, and never a secret's value) and turns each
botocore error into a :class:`Problem` that names what to fix, so a check
never sees an exception and the run goes on. boto3 is imported lazily.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from infraplan.errors import UserError

ProblemKind = Literal[
    "not_found", "credentials", "denied", "throttled", "no_endpoint", "unreachable", "error"
]

READ_PREFIXES = ("Describe", "List", "Get")
# Reads that still must never happen: they return secret material.
FORBIDDEN_READS = frozenset(
    {
        "GetSecretValue",
        "BatchGetSecretValue",
        "GetParameter",
        "GetParameters",
        "GetParametersByPath",
        "GetAuthorizationToken",
    }
)

_CREDENTIAL_CODES = frozenset(
    {
        "ExpiredToken",
        "ExpiredTokenException",
        "RequestExpired",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "AuthFailure",
        "InvalidAccessKeyId",
        "IncompleteSignature",
        "MissingAuthenticationToken",
    }
)
_EXPIRED_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired"})
_DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "AuthorizationError",
        "UnauthorizedException",
        "Forbidden",
        "OptInRequired",
    }
)
_THROTTLE_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "SlowDown",
        "ProvisionedThroughputExceededException",
    }
)
_NOT_FOUND_CODES = frozenset({"NoSuchEntity", "ResourceNotFound", "NotFound"})

# IAM actions whose names differ from the API's service:Operation.
_IAM_PREFIX = {"elbv2": "elasticloadbalancing"}
_IAM_ACTION = {"budgets:DescribeBudget": "budgets:ViewBudget"}

CREDENTIALS_HINT = (
    "set AWS_PROFILE or pass --profile, export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
    "or sign in with `aws sso login`"
)


@dataclass(frozen=True)
class Problem:
    """Why a call gave no answer, in words that say what to fix."""

    kind: ProblemKind
    operation: str  # service:Operation, e.g. ecr:DescribeRepositories
    message: str
    code: str = ""


@dataclass(frozen=True)
class Reply:
    """The answer to one call: ``data`` or a ``problem``, never both."""

    data: dict[str, Any] = field(default_factory=dict)
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def not_found(self) -> bool:
        return self.problem is not None and self.problem.kind == "not_found"


def iam_action(operation: str) -> str:
    """The IAM action that allows ``service:Operation`` (what a policy must grant)."""
    if operation in _IAM_ACTION:
        return _IAM_ACTION[operation]
    service, _, name = operation.partition(":")
    return f"{_IAM_PREFIX.get(service, service)}:{name}"


def is_read(operation: str) -> bool:
    """True for an API operation name ``verify`` may call (``DescribeServices``, ...)."""
    return operation.startswith(READ_PREFIXES) and operation not in FORBIDDEN_READS


def open_session(profile: str | None, region: str | None) -> Any:
    """A boto3 session on the standard credential chain; a missing profile is bad input."""
    import boto3
    from botocore.exceptions import ProfileNotFound

    try:
        return boto3.session.Session(profile_name=profile, region_name=region)
    except ProfileNotFound:
        raise UserError(
            f"--profile: AWS profile {profile!r} is not in the AWS config files",
            hint="list profiles with `aws configure list-profiles`, or leave out --profile",
        ) from None


class AwsAccess:
    """Clients for one region (and endpoint), read calls only, errors as data.

    A credentials problem stops every later call at once with the same
    problem: AWS would refuse them all, and asking again only adds waiting.
    """

    def __init__(self, session: Any, region: str, endpoint_url: str | None = None) -> None:
        self.session = session
        self.region = region
        self.endpoint_url = endpoint_url
        self._clients: dict[str, Any] = {}
        self._blocked: Problem | None = None

    def client(self, service: str) -> Any:
        if service not in self._clients:
            from botocore.config import Config

            config = Config(
                retries={"mode": "standard"},
                connect_timeout=10,
                read_timeout=30,
                user_agent_extra="infraplan-verify",
            )
            self._clients[service] = self.session.client(
                service, region_name=self.region, endpoint_url=self.endpoint_url, config=config
            )
        return self._clients[service]

    def call(self, service: str, method: str, /, **params: Any) -> Reply:
        """Call ``client(service).method(**params)``; any failure comes back as a Problem."""
        operation = f"{service}:{_api_name(method)}"
        if not is_read(_api_name(method)):
            # A programming error, caught by the tests: verify never writes.
            raise AssertionError(f"verify must only read; refused {operation}")
        if self._blocked is not None:
            return Reply(problem=self._blocked)
        try:
            client = self.client(service)
            api = client.meta.method_to_api_mapping.get(method)
            operation = f"{service}:{api}" if api else operation
            data = getattr(client, method)(**params)
        except Exception as exc:  # every failure becomes a finding, never a traceback
            problem = describe_problem(exc, operation, self.region, self.session)
            if problem.kind == "credentials":
                self._blocked = problem
            return Reply(problem=problem)
        data.pop("ResponseMetadata", None)
        return Reply(data=data)


def _api_name(method: str) -> str:
    return "".join(part.capitalize() for part in method.split("_"))


def describe_problem(exc: Exception, operation: str, region: str, session: Any) -> Problem:
    """A botocore exception as a Problem naming what to fix."""
    from botocore import exceptions as bx

    if isinstance(exc, bx.ClientError):
        return _client_problem(exc, operation, region, session)
    credential_errors = tuple(
        getattr(bx, name)
        for name in (
            "NoCredentialsError",
            "PartialCredentialsError",
            "CredentialRetrievalError",
            "TokenRetrievalError",
            "SSOTokenLoadError",
            "UnauthorizedSSOTokenError",
            "SSOError",
            "NoAuthTokenError",
        )
        if hasattr(bx, name)
    )
    if isinstance(exc, credential_errors):
        if isinstance(exc, bx.NoCredentialsError):
            text = f"no AWS credentials found: {CREDENTIALS_HINT}"
        else:
            text = f"the AWS credentials could not be loaded ({exc}); {CREDENTIALS_HINT}"
        return Problem("credentials", operation, text)
    service = operation.split(":")[0]
    if isinstance(exc, bx.UnknownEndpointError | bx.EndpointResolutionError):
        return Problem(
            "no_endpoint",
            operation,
            f"{service} has no endpoint in region {region}: the service is not offered there; "
            "check --region (or aws.region in plan.yaml)",
        )
    if isinstance(exc, bx.EndpointConnectionError | bx.ConnectTimeoutError):
        return Problem(
            "unreachable",
            operation,
            f"could not reach {service} in {region} ({exc}): the service may not be offered "
            "in that region, or the network blocks it; check --region and --endpoint-url",
        )
    if isinstance(exc, bx.ReadTimeoutError | bx.ConnectionClosedError):
        return Problem("unreachable", operation, f"{operation} timed out ({exc}); run again")
    return Problem("error", operation, f"{operation} failed: {type(exc).__name__}: {exc}")


def _client_problem(exc: Any, operation: str, region: str, session: Any) -> Problem:
    error = exc.response.get("Error", {})
    code = str(error.get("Code", ""))
    text = str(error.get("Message", "")).strip()
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if code in _CREDENTIAL_CODES:
        if code in _EXPIRED_CODES:
            fix = "refresh them (`aws sso login`, or a new session token) and run again"
            return Problem(
                "credentials",
                operation,
                f"the AWS credentials have expired ({code}): {fix}",
                code,
            )
        profile = getattr(session, "profile_name", None) or "default"
        return Problem(
            "credentials",
            operation,
            f"AWS rejected the credentials ({code}: {text}); check the access key of profile "
            f"{profile!r} or {CREDENTIALS_HINT}",
            code,
        )
    if code in _DENIED_CODES or (status == 403 and code not in _THROTTLE_CODES):
        return Problem(
            "denied",
            operation,
            f"access denied to {operation}: allow {iam_action(operation)} for the identity "
            "you use (docs/verify.md lists the read-only policy verify needs)",
            code,
        )
    if code in _THROTTLE_CODES:
        attempts = exc.response.get("ResponseMetadata", {}).get("RetryAttempts", 0) + 1
        return Problem(
            "throttled",
            operation,
            f"AWS throttled {operation} after {attempts} attempts: run again later, or allow "
            "more retries with AWS_MAX_ATTEMPTS",
            code,
        )
    if code in _NOT_FOUND_CODES or code.endswith(("NotFoundException", "NotFound")):
        return Problem("not_found", operation, text or code, code)
    if code in ("InvalidAction", "UnknownOperationException") or status == 404:
        return Problem(
            "no_endpoint",
            operation,
            f"{operation} is not available in region {region} ({code}); check --region",
            code,
        )
    return Problem("error", operation, f"{operation} failed: {code}: {text}", code)
