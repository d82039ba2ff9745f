"""Calls from the gateway to the services, on behalf of the caller (whose token goes along: the
services check authorization themselves)."""

import json as jsonlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx

# Query parameters the gateway fills from arguments of other names: `limit` and `offset` come
# from `first` and `after` in every connection.
PAGE_PARAMETERS = {"limit": "first", "offset": "after"}


class ServiceError(Exception):
    """A service refused the request (4xx) with the one error shape."""

    def __init__(
        self,
        status: int,
        detail: list[dict[str, Any]],
        body: Any = None,
        arguments: Mapping[str, str] | None = None,
    ):
        super().__init__(str(detail[0].get("msg", "")) if detail else f"HTTP {status}")
        self.status = status
        self.detail = detail
        self.body = body  # the whole answer, for refusals that carry more (an import's report)
        self.arguments = {**PAGE_PARAMETERS, **(arguments or {})}

    @property
    def code(self) -> str:
        return str(self.detail[0].get("type", f"http_{self.status}")) if self.detail else ""

    @property
    def argument(self) -> str | None:
        """The GraphQL argument the refused query or path parameter came from, if it names one."""
        loc = self.detail[0].get("loc") if self.detail else None
        if not isinstance(loc, list) or len(loc) < 2 or loc[0] not in ("query", "path"):
            return None
        name = str(loc[1])
        return self.arguments.get(name) or camel_case(name)


def camel_case(name: str) -> str:
    """A service's snake_case name as GraphQL spells it (`site_id` → `siteId`)."""
    first, *rest = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


# JSON variables may carry half of a UTF-16 pair ("\ud800"); no UTF-8 text, hence no request
# to a service, can hold one.
LONE_SURROGATE = "Text must not contain a lone surrogate (an unpaired \\ud800-\\udfff escape)"


def path_segment(value: object, name: str) -> str:
    """A value as one path segment: `/`, `?`, `#`, `..` and control characters cannot change
    which resource is asked for, nor make the address invalid. `name` is the path parameter's."""
    if str(value) == "":
        problem = {"msg": "must not be empty", "type": "missing", "loc": ["path", name]}
        raise ServiceError(422, [problem])
    try:
        return quote(str(value), safe="")
    except UnicodeEncodeError:
        problem = {"msg": LONE_SURROGATE, "type": "lone_surrogate", "loc": ["path", name]}
        raise ServiceError(422, [problem]) from None


class ServiceUnavailable(Exception):
    """A service did not answer in time (`reason` "timeout") or could not be reached
    ("unreachable"): neither the caller's fault nor a bug, and worth trying again later, so the
    caller is told (SERVICE_UNAVAILABLE). `sent`: whether the request may have reached the
    service — for a write, whether it may have been applied."""

    def __init__(
        self,
        service: str,
        reason: str,
        *,
        sent: bool,
        seconds: float,
        retry_after: int | None = None,
    ):
        said = {
            "timeout": f"did not answer within {seconds:g} s",
            "overloaded": "is busy (it sheds load rather than slow down for everyone)",
        }
        super().__init__(f"{service} {said.get(reason, 'cannot be reached')}")
        self.service = service
        self.reason = reason
        self.sent = sent
        self.retry_after = retry_after


class AnswerTooLarge(Exception):
    """A service's answer to a read is larger than the gateway passes on: parsing it and writing
    it out again would hold up every other request. The caller is told to ask for less."""

    def __init__(self, service: str, max_bytes: int):
        super().__init__(
            f"The answer from {service} is larger than the {max_bytes / 2**20:g} MiB the gateway "
            "passes on: ask for less (a smaller bbox, limit or page; for a map of many sites, "
            "the vector tiles at /tiles)"
        )
        self.service = service


class ServiceFault(Exception):
    """A service failed (5xx): a fault like a bug of ours — masked in GraphQL, logged with the
    request id."""


# Failures before the request left the gateway: a write was certainly not applied.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def unavailable(service: str, error: httpx.TransportError, seconds: float) -> ServiceUnavailable:
    reason = "timeout" if isinstance(error, httpx.TimeoutException) else "unreachable"
    sent = not isinstance(error, NOT_SENT)
    return ServiceUnavailable(service, reason, sent=sent, seconds=seconds)


def encoded(body: Any) -> bytes:
    """JSON for a service, whatever a GraphQL variable held: a lone surrogate ("\\ud800") or a
    number too large for a float (1e400 reads as Infinity) is sent escaped or as Python writes
    it, for the service to refuse by name; httpx's own encoder would fail the request instead."""
    return jsonlib.dumps(body, ensure_ascii=True, separators=(",", ":")).encode("ascii")


class ServiceClients:
    def __init__(
        self,
        http: httpx.AsyncClient,
        urls: dict[str, str],
        *,
        token: str | None,
        request_id: str | None,
        timeout: float,
        max_answer_bytes: int,
    ):
        self.http = http
        self.urls = urls
        self.token = token
        self.request_id = request_id
        self.timeout = timeout
        self.max_answer_bytes = max_answer_bytes

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.request_id:
            headers["X-Request-ID"] = self.request_id
        return headers

    async def get(
        self,
        service: str,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        arguments: Mapping[str, str] | None = None,
    ) -> Any:
        """`arguments` names the GraphQL argument behind a query parameter of another name, so
        a refusal can say which argument was wrong."""
        return await self._send("GET", service, path, params=params, arguments=arguments)

    async def post(
        self, service: str, path: str, json: Any = None, *, headers: Mapping[str, str] | None = None
    ) -> Any:
        """`headers`: more of them for the service (an `Idempotency-Key`)."""
        return await self._send("POST", service, path, json=json, extra_headers=headers)

    async def patch(self, service: str, path: str, json: Any = None) -> Any:
        return await self._send("PATCH", service, path, json=json)

    async def post_with_params(
        self, service: str, path: str, json: Any, params: dict[str, Any], *, seconds: float
    ) -> Any:
        return await self._send("POST", service, path, json=json, params=params, seconds=seconds)

    async def put(self, service: str, path: str, json: Any = None) -> Any:
        return await self._send("PUT", service, path, json=json)

    async def delete(self, service: str, path: str) -> Any:
        return await self._send("DELETE", service, path)

    async def _send(
        self,
        method: str,
        service: str,
        path: str,
        seconds: float | None = None,
        arguments: Mapping[str, str] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> Any:
        url = f"{self.urls[service]}{path}"
        headers = {**self._headers(), **(extra_headers or {})}
        payload = kwargs.pop("json", None)
        if payload is not None:
            kwargs["content"] = encoded(payload)
            headers["Content-Type"] = "application/json"
        timeout = seconds or self.timeout
        # A write's answer is about as large as what the caller sent (a bounded body); a read's
        # may be far larger than the request that asked for it.
        max_bytes = self.max_answer_bytes if method == "GET" else None
        try:
            request = self.http.build_request(
                method, url, headers=headers, timeout=timeout, **kwargs
            )
            answer = await self.http.send(request, stream=True)
            try:
                content = await _read_at_most(answer, max_bytes, service)
            finally:
                await answer.aclose()
        except httpx.TransportError as exc:
            raise unavailable(service, exc, timeout) from exc
        except UnicodeEncodeError:
            problem = {"msg": LONE_SURROGATE, "type": "lone_surrogate", "loc": ["body"]}
            raise ServiceError(422, [problem], arguments=arguments) from None
        if answer.status_code == 503 and _shed(content):
            # Turned away before it ran (shared ConcurrencyLimitMiddleware): nothing was applied,
            # and the caller may try again after Retry-After — not a fault to mask.
            retry_after = answer.headers.get("retry-after", "")
            raise ServiceUnavailable(
                service,
                "overloaded",
                sent=False,
                seconds=timeout,
                retry_after=int(retry_after) if retry_after.isdigit() else 1,
            )
        if answer.status_code >= 500:
            raise ServiceFault(f"{service} answered {answer.status_code} to {method} {path}")
        if answer.status_code >= 400:
            raise refusal(answer.status_code, content, arguments)
        return jsonlib.loads(content) if content else None


async def _read_at_most(answer: httpx.Response, max_bytes: int | None, service: str) -> bytes:
    """The answer's body, refused (AnswerTooLarge) as soon as it is known to be over
    `max_bytes` — by its Content-Length, or while it arrives — so it is never read whole."""
    if max_bytes is None:
        return await answer.aread()
    if int(answer.headers.get("content-length") or 0) > max_bytes:
        raise AnswerTooLarge(service, max_bytes)
    chunks, size = [], 0
    async for chunk in answer.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise AnswerTooLarge(service, max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _shed(content: bytes) -> bool:
    """Whether a 503's body is the load-shedding middleware's `overloaded` refusal."""
    try:
        detail = jsonlib.loads(content).get("detail")
        return any(item.get("type") == "overloaded" for item in detail)
    except (ValueError, AttributeError, TypeError):
        return False


def refusal(status: int, content: bytes, arguments: Mapping[str, str] | None) -> ServiceError:
    """A service's 4xx as a ServiceError, whatever shape its body has."""
    try:
        body = jsonlib.loads(content)
        detail = body.get("detail", [])
    except (ValueError, AttributeError):
        body, detail = None, []
    if not isinstance(detail, list):
        detail = [{"msg": str(detail), "type": f"http_{status}"}]
    detail = [item if isinstance(item, dict) else {"msg": str(item)} for item in detail]
    return ServiceError(status, detail, body, arguments)
