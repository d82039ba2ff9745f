"""The web client, served from the gateway's origin: built assets under /assets, and index.html
for every other page path (the client routes itself)."""

from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from meent_shared.errors import NotFound

# The client loads nothing from elsewhere and runs no inline code: say so to the browser.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>meent</title></head>
<body><main><h1>meent</h1><p>The web client is not built yet: run <code>make run</code>
(it runs <code>npm run build</code> in <code>gateway/web</code>).</p></main></body></html>"""


class ImmutableAssets(StaticFiles):
    """Built assets carry a content hash in their names: cache them for good."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def page_headers(tile_url: str) -> dict[str, str]:
    """Security headers for the client's pages; a configured base map's origin may serve images."""
    origin = urlsplit(tile_url)
    tiles = f" {origin.scheme}://{origin.netloc}" if origin.scheme in ("http", "https") else ""
    csp = PAGE_HEADERS["Content-Security-Policy"].replace(
        "img-src 'self' data:", f"img-src 'self' data:{tiles}"
    )
    return {**PAGE_HEADERS, "Content-Security-Policy": csp}


def index_page(index: Path, tile_url: str, attribution: str) -> str:
    """index.html with the configured base map written into its meta tags."""
    html = index.read_text()
    for name, value in (("meent-tile-url", tile_url), ("meent-tile-attribution", attribution)):
        html = html.replace(
            f'<meta name="{name}" content="" />',
            f'<meta name="{name}" content="{escape(value, quote=True)}" />',
        )
    return html


def mount_web_client(app: FastAPI, dist: Path, tile_url: str = "", attribution: str = "") -> None:
    index = dist / "index.html"
    headers = page_headers(tile_url)
    if (dist / "assets").is_dir():
        assets = ImmutableAssets(directory=dist / "assets")
        app.mount("/assets", SecurityHeaders(assets, headers), name="assets")
    router = APIRouter(include_in_schema=False)

    # Every method, so that e.g. POST to an unknown path is a 404 (not a 405 from this route).
    @router.api_route("/{page:path}", methods=ALL_METHODS, response_model=None)
    def page(page: str, request: Request) -> Response:  # plain def: file checks in the thread pool
        if request.method not in ("GET", "HEAD"):
            raise NotFound(f"Nothing at {request.method} /{page}")
        candidate = (dist / page).resolve()
        # Top-level files the build emits (favicon, robots.txt), never outside the folder;
        # index.html itself is the page, with its meta tags filled in, like every other path.
        # (Compared resolved: "index.html/" names it too.)
        top_level = candidate.parent == dist.resolve() and candidate != index.resolve()
        if top_level and candidate.is_file():
            return FileResponse(candidate, headers=headers)
        if not index.is_file():
            return HTMLResponse(NOT_BUILT, headers=headers)
        page_html = index_page(index, tile_url, attribution)
        return HTMLResponse(page_html, headers={"Cache-Control": "no-cache", **headers})

    app.include_router(router)


class SecurityHeaders:
    """The pages' security headers on every answer of a mounted app (the built assets)."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]):
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)
