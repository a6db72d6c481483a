"""What `lms-plugin serve` does before uvicorn starts: migrate, then build the app."""

import asyncio

from starlette.applications import Starlette

from .app import create_app
from .database import migrate_database
from .settings import Settings


def prepare_and_create_app(settings: Settings, *, demo: bool, host: str, port: int) -> Starlette:
    asyncio.run(migrate_database(settings.database_url))
    print(
        f"lms-plugin: GraphQL at http://{host}:{port}/graphql, study page at http://{host}:{port}/ui/"
    )
    return create_app(settings)
