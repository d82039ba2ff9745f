"""Calls from the gateway to the services, on behalf of the caller (whose token goes along: the
services check authorization themselves)."""

import json as jsonlib
from typing import Any

import httpx


class ServiceError(Exception):
    """A service refused the request (4xx) with the one error shape."""

    def __init__(self, status: int, detail: list[dict[str, Any]], body: Any = None):
        super().__init__(detail[0]["msg"] if detail else f"HTTP {status}")
        self.status = status
        self.detail = detail
        self.body = body  # the whole answer, for refusals that carry more (an import's report)

    @property
    def code(self) -> str:
        return str(self.detail[0].get("type", f"http_{self.status}")) if self.detail else ""


class ServiceUnavailable(Exception):
    """A service did not answer, or failed (5xx). Masked in GraphQL; logged with the request id."""


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
    ):
        self.http = http
        self.urls = urls
        self.token = token
        self.request_id = request_id
        self.timeout = timeout

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.request_id:
            headers["X-Request-ID"] = self.request_id
        return headers

    async def get(self, service: str, path: str, params: dict[str, Any] | None = None) -> Any:
        return await self._send("GET", service, path, params=params)

    async def post(self, service: str, path: str, json: Any = None) -> Any:
        return await self._send("POST", service, path, json=json)

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
        self, method: str, service: str, path: str, seconds: float | None = None, **kwargs: Any
    ) -> Any:
        url = f"{self.urls[service]}{path}"
        headers = self._headers()
        payload = kwargs.pop("json", None)
        if payload is not None:
            kwargs["content"] = encoded(payload)
            headers["Content-Type"] = "application/json"
        try:
            answer = await self.http.request(
                method, url, headers=headers, timeout=seconds or self.timeout, **kwargs
            )
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(f"{service} did not answer: {exc!r}") from exc
        if answer.status_code >= 500:
            raise ServiceUnavailable(f"{service} answered {answer.status_code} to {method} {path}")
        if answer.status_code >= 400:
            try:
                body = answer.json()
                detail = body.get("detail", [])
            except (ValueError, AttributeError):
                body, detail = None, []
            if not isinstance(detail, list):
                detail = [{"msg": str(detail), "type": f"http_{answer.status_code}"}]
            raise ServiceError(answer.status_code, detail, body)
        return answer.json() if answer.content else None
