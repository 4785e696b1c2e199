"""One problem+json shape for every error, from one handler."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
from fastapi import FastAPI

from aseankg.api.http.errors import Forbidden, install_error_handlers


def make_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/forbidden")
    async def forbidden() -> None:
        raise Forbidden("no updates here", kind="update-refused", headers={"X-Why": "read-only"})

    @app.get("/bug")
    async def bug() -> None:
        raise RuntimeError("secret internal detail")

    @app.get("/number/{n}")
    async def number(n: int) -> dict[str, int]:
        return {"n": n}

    return app


async def get_all(paths: list[str]) -> dict[str, httpx.Response]:
    transport = httpx.ASGITransport(app=make_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        responses = {path: await client.get(path) for path in paths}
        responses["POST /number/1"] = await client.post("/number/1")
        return responses


def test_every_error_has_the_same_shape() -> None:
    cases = {
        "/forbidden": (403, "update-refused"),
        "/bug": (500, "internal-error"),
        "/number/x": (400, "invalid-parameter"),
        "/nowhere": (404, "not-found"),
    }
    # in a thread of its own: a browser test may hold an event loop in the main thread
    with ThreadPoolExecutor(1) as pool:
        responses = pool.submit(asyncio.run, get_all(list(cases))).result()
    for path, (status, kind) in cases.items():
        response = responses[path]
        assert response.status_code == status, path
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert set(body) == {"type", "title", "status", "detail"}
        assert body["type"] == f"https://w3id.org/aseankg/problems/{kind}"
        assert body["status"] == status
    assert responses["/forbidden"].headers["x-why"] == "read-only"
    assert "secret" not in responses["/bug"].text
    assert responses["POST /number/1"].status_code == 405
    assert responses["POST /number/1"].headers["allow"] == "GET"
