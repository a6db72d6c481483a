"""The `lms-plugin` command: serve, export-schema, token, clean-uploads."""

import argparse
import asyncio
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lms_plugin.schema.build import build_schema

from .settings import Settings, SettingsError

PACKAGE_DIR = Path(__file__).resolve().parent
# The committed SDL of a source checkout (the contract test reads it).
SCHEMA_PATH = PACKAGE_DIR.parent / "schema" / "schema.graphql"
AT_HELP = (
    "run the clock from this instant, e.g. 2012-05-10T09:00 (Asia/Shanghai unless an offset is"
    " given); the demo starts at 2012-04-27T10:00, batch 1 open"
)


def sdl() -> str:
    return build_schema().as_str() + "\n"


def checkout_schema_path() -> Path | None:
    """schema/schema.graphql when the package runs from a source checkout, else None.

    Installed from a wheel, the package's parent is site-packages: nothing to write there.
    """
    root = PACKAGE_DIR.parent
    if (root / "pyproject.toml").is_file() and (root / "schema").is_dir():
        return root / "schema" / "schema.graphql"
    return None


def export_schema(path: Path | None) -> None:
    """Writes the SDL to `path`; `-`, or no path outside a checkout, prints it."""
    target = path or checkout_schema_path()
    if target is None or str(target) == "-":
        sys.stdout.write(sdl())
        return
    target.write_text(sdl(), encoding="utf-8")
    print(f"wrote {target}")


def _settings() -> Settings:
    try:
        return Settings.from_env().checked()
    except SettingsError as exc:
        sys.exit(f"lms-plugin: {exc}")


def instant(text: str) -> dt.datetime:
    """An ISO date-time; without an offset it is Asia/Shanghai wall-clock time."""
    try:
        at = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date-time: {text!r}") from exc
    return at if at.tzinfo else at.replace(tzinfo=ZoneInfo("Asia/Shanghai"))


def serve(args: argparse.Namespace) -> None:
    import os

    import uvicorn

    from . import serving

    settings = _settings()
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "log_level": "info",
        "log_config": serving.log_config(),
    }
    where = {"demo": args.demo, "host": args.host, "port": args.port, "at": args.at}
    if args.workers == 1:
        uvicorn.run(serving.prepare_and_create_app(settings, **where), **options)
        return
    clock = serving.prepare(settings, **where)
    if not settings.redis_url:
        print(
            f"lms-plugin: LMS_REDIS_URL is not set: each of the {args.workers} workers keeps"
            " rate-limit buckets of its own",
            file=sys.stderr,
        )
    serving.hand_clock_to_workers(clock, os.environ)
    uvicorn.run(
        serving.WORKER_APP,
        factory=True,
        workers=args.workers,
        # uvicorn kills a worker that does not answer its ping within this many seconds (5 by
        # default): a busy or starting worker on a loaded machine would be killed mid-request.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        **options,
    )


WORKER_HEALTHCHECK_SECONDS = 60


def workers(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1, got {text!r}")
    return count


def token(args: argparse.Namespace) -> None:
    from .clock import SystemClock
    from .tokens import mint_token

    settings = _settings()
    lifetime = dt.timedelta(hours=args.hours)
    if lifetime.total_seconds() > settings.jwt_max_lifetime_seconds:
        # The plugin would refuse such a token.
        sys.exit(
            f"lms-plugin: --hours {args.hours:g} is longer than LMS_JWT_MAX_LIFETIME_SECONDS"
            f" ({settings.jwt_max_lifetime_seconds} s)"
        )
    now = args.at or SystemClock().now()
    print(mint_token(args.username, settings, now, lifetime))


async def clean_uploads_now(settings: Settings, at: dt.datetime | None) -> int:
    """Opens the database, removes the unattached uploads, answers how many."""
    from tortoise.context import TortoiseContext

    from .clock import Clock, FixedClock, SystemClock
    from .uploads import Uploads

    clock: Clock = SystemClock() if at is None else FixedClock(at)
    async with TortoiseContext() as context:
        await context.init(config=settings.database_config())
        return await Uploads(settings, clock).clean()


def clean_uploads(args: argparse.Namespace) -> None:
    # No token is verified here: the settings need no JWT secret.
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        sys.exit(f"lms-plugin: {exc}")
    removed = asyncio.run(clean_uploads_now(settings, args.at))
    hours = settings.upload_unattached_hours
    print(f"removed {removed} uploads not attached to a submission within {hours} h")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="lms-plugin", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser("serve", help="serve the API (migrates the database first)")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000)
    serve_parser.add_argument(
        "--demo", action="store_true", help="load the 2012 reference calendar and demo people"
    )
    serve_parser.add_argument("--at", type=instant, help=AT_HELP)
    serve_parser.add_argument(
        "--workers",
        type=workers,
        default=1,
        help="worker processes (uvicorn's); each has LMS_DB_POOL_SIZE PostgreSQL connections,"
        " and LMS_REDIS_URL shares the rate limits between them (README: Several workers)",
    )
    serve_parser.set_defaults(run=serve)

    export_parser = commands.add_parser(
        "export-schema",
        help="write the SDL: to PATH, else to schema/schema.graphql in a source checkout,"
        " else to stdout",
    )
    export_parser.add_argument("path", nargs="?", type=Path, help="where to write; - for stdout")
    export_parser.add_argument("--output", type=Path, help="the same as PATH")
    export_parser.set_defaults(run=lambda args: export_schema(args.output or args.path))

    token_parser = commands.add_parser("token", help="mint a development token for a user name")
    token_parser.add_argument("username")
    token_parser.add_argument("--hours", type=float, default=12)
    token_parser.add_argument(
        "--at", type=instant, help="issue the token at this demo time (as `serve --at`)"
    )
    token_parser.set_defaults(run=token)

    clean_parser = commands.add_parser(
        "clean-uploads",
        help="remove uploaded files (and their rows) that no submission attached within"
        " LMS_UPLOAD_UNATTACHED_HOURS (the app also does it every"
        " LMS_UPLOAD_CLEANUP_INTERVAL_SECONDS)",
    )
    clean_parser.add_argument(
        "--at", type=instant, help="judge the age at this instant (as `serve --at`)"
    )
    clean_parser.set_defaults(run=clean_uploads)

    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
