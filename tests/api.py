"""Calling the app over HTTP as a person would: a bearer token, a GraphQL document, JSON back."""

import datetime as dt
from typing import Any

import httpx

from lms_plugin.clock import Clock
from lms_plugin.settings import Settings
from lms_plugin.storage.models import Person
from lms_plugin.tokens import mint_token


class Api:
    def __init__(self, client: httpx.AsyncClient, settings: Settings, clock: Clock) -> None:
        self.client = client
        self.settings = settings
        self.clock = clock

    def token(self, person: Person | str) -> str:
        username = person if isinstance(person, str) else person.username
        return mint_token(username, self.settings, self.clock.now(), dt.timedelta(hours=2))

    def headers(self, person: Person | str | None) -> dict[str, str]:
        return {} if person is None else {"Authorization": f"Bearer {self.token(person)}"}

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: Person | str | None
    ) -> httpx.Response:
        return await self.client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers=self.headers(as_),
        )

    async def gql(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: Person | str | None
    ) -> dict[str, Any]:
        """The JSON body of a GraphQL response (`data`, and `errors` if any) without its
        `extensions` (the cost, test_cost.py), which are kept in `last_extensions`."""
        response = await self.post(query, variables, as_=as_)
        assert response.status_code == 200, response.text
        return self.without_extensions(response.json())

    def without_extensions(self, body: dict[str, Any]) -> dict[str, Any]:
        self.last_extensions = body.pop("extensions", None)
        return body

    async def sign_in(self, person: Person | str) -> None:
        """A first request as `person`: it loads them and their role grants into the app's
        viewer cache, so that the SQL-count tests compare requests that both find them there."""
        await self.data("{ viewer { person { id } roles { role } } }", as_=person)

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: Person | str | None
    ) -> dict[str, Any]:
        """`data` of a response that must have no top-level errors."""
        body = await self.gql(query, variables, as_=as_)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data


def error_codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def refused(object_field: str, code: str, message: str, *path: str) -> dict[str, Any]:
    """A payload refused with one user error: its object null, the error at the input's `path`
    (no field without one)."""
    return {
        object_field: None,
        "userErrors": [
            {"code": code, "field": ["input", *path] if path else None, "message": message}
        ],
    }
