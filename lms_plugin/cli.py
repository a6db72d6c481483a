"""The `lms-plugin` command: serve, export-schema, token."""

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from lms_plugin.schema.build import build_schema

from .settings import Settings, SettingsError

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "schema.graphql"
AT_HELP = (
    "run the clock from this instant, e.g. 2012-05-10T09:00 (Asia/Shanghai unless an offset is"
    " given); the demo starts at 2012-04-27T10:00, batch 1 open"
)


def sdl() -> str:
    return build_schema().as_str() + "\n"


def export_schema(path: Path) -> None:
    path.write_text(sdl(), encoding="utf-8")
    print(f"wrote {path}")


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
    import uvicorn

    from .serving import prepare_and_create_app

    settings = _settings()
    app = prepare_and_create_app(
        settings, demo=args.demo, host=args.host, port=args.port, at=args.at
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")


def token(args: argparse.Namespace) -> None:
    from .clock import SystemClock
    from .tokens import mint_token

    settings = _settings()
    now = args.at or SystemClock().now()
    print(mint_token(args.username, settings, now, dt.timedelta(hours=args.hours)))


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
    serve_parser.set_defaults(run=serve)

    export_parser = commands.add_parser("export-schema", help="write the SDL (schema.graphql)")
    export_parser.add_argument("--output", type=Path, default=SCHEMA_PATH)
    export_parser.set_defaults(run=lambda args: export_schema(args.output))

    token_parser = commands.add_parser("token", help="mint a development token for a user name")
    token_parser.add_argument("username")
    token_parser.add_argument("--hours", type=float, default=12)
    token_parser.add_argument(
        "--at", type=instant, help="issue the token at this demo time (as `serve --at`)"
    )
    token_parser.set_defaults(run=token)

    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
