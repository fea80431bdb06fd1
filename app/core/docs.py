"""The interactive API documentation, served whole from this service.

Swagger UI's files come from a Python package installed with the service (fastapi-offline
ships Swagger UI's dist bundle), so /docs works on an intranet with no way out; the page has no
inline script, so it runs under a Content-Security-Policy that allows only 'self'.
"""

import html
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from app.core.errors import NotFound
from app.core.routing import Router

router = Router(include_in_schema=False)

ASSET_PREFIX = "/docs/assets/"
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
# The page's one script of its own: a static file, so no 'unsafe-inline' is needed.
INIT_JS = b"""window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]
  });
});
"""
MEDIA_TYPES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon.png": "image/png",
}
ASSET_CACHE = "public, max-age=86400"


def _bundle() -> Traversable:
    return files("fastapi_offline") / "static"


@cache
def _asset(name: str) -> bytes:
    return (_bundle() / name).read_bytes()


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="icon" type="image/png" href="{assets}favicon.png">
<link rel="stylesheet" href="{assets}swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{assets}swagger-ui-bundle.js"></script>
<script src="{assets}init.js"></script>
</body>
</html>
"""


@router.get("/docs")
async def docs(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    page = PAGE.format(
        title=html.escape(f"{request.app.title} - API documentation"),
        assets=html.escape(root + ASSET_PREFIX),
        openapi=html.escape(root + (request.app.openapi_url or "/openapi.json")),
    )
    return HTMLResponse(page)  # the middleware adds DOCS_CSP to everything under /docs


@router.get(ASSET_PREFIX + "{name}")
async def docs_asset(name: str) -> Response:
    if name == "init.js":
        content = INIT_JS
        media_type = "text/javascript; charset=utf-8"
    elif name in MEDIA_TYPES:
        content = _asset(name)
        media_type = MEDIA_TYPES[name]
    else:
        raise NotFound
    return Response(content, media_type=media_type, headers={"Cache-Control": ASSET_CACHE})
