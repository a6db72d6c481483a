"""The `lms-plugin` command: serve, export-schema, token, clean-uploads, compute-results,
rotate-keys, and for a fresh install load-regions and create-admin."""

import argparse
import asyncio
import datetime as dt
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from lms_plugin.resolvers.core.errors import Refused
from lms_plugin.resolvers.organisation.use_cases import (
    LoadedRegions,
    RegionRowsRefused,
    create_province_admin,
    load_region_rows,
)
from lms_plugin.schema.build import build_schema

from .settings import Settings, SettingsError

if TYPE_CHECKING:
    from lms_plugin.resolvers.assessment.schedule import DueResults

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


def _settings(*, personal_data: bool = True) -> Settings:
    try:
        return Settings.from_env().checked(personal_data=personal_data)
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

    settings = _settings(personal_data=False)
    if not settings.jwt_secret:
        sys.exit("lms-plugin: token signs with LMS_JWT_SECRET (HS256), which is not set")
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
    # Removing files reads no token and no personal data: neither secret nor data keys needed.
    try:
        settings = Settings.from_env().checked(tokens=False, personal_data=False)
    except SettingsError as exc:
        sys.exit(f"lms-plugin: {exc}")
    removed = asyncio.run(clean_uploads_now(settings, args.at))
    hours = settings.upload_unattached_hours
    print(f"removed {removed} uploads not attached to a submission within {hours} h")


@asynccontextmanager
async def _migrated_database(settings: Settings) -> AsyncIterator[None]:
    """The database with every migration applied (as `serve` does), open for the command."""
    from tortoise.context import TortoiseContext

    from lms_plugin.storage.personal_data import use_key_ring

    from .database import migrate_database

    use_key_ring(settings.key_ring())
    await migrate_database(
        settings.database_url, statement_cache_size=settings.db_statement_cache_size
    )
    async with TortoiseContext() as context:
        await context.init(config=settings.database_config())
        yield


def _database_settings() -> Settings:
    # No token is verified here: the settings need no JWT secret, but the data keys.
    try:
        return Settings.from_env().checked(tokens=False)
    except SettingsError as exc:
        sys.exit(f"lms-plugin: {exc}")


async def load_regions_now(settings: Settings, data: bytes, filename: str) -> LoadedRegions:
    """Upserts the file's regions; raises Refused for an unreadable file and RegionRowsRefused
    with every bad row."""
    from .regions import region_rows

    rows = region_rows(data, filename)
    async with _migrated_database(settings):
        return await load_region_rows(rows)


def load_regions(args: argparse.Namespace) -> None:
    from .regions import JIANGXI, jiangxi_csv

    if (args.path is None) == (not args.jiangxi):
        sys.exit("lms-plugin: load-regions takes a PATH or --jiangxi")
    if args.jiangxi:
        data, filename = jiangxi_csv(), JIANGXI
    else:
        try:
            data, filename = args.path.read_bytes(), args.path.name
        except OSError as exc:
            sys.exit(f"lms-plugin: cannot read {args.path}: {exc.strerror}")
    try:
        loaded = asyncio.run(load_regions_now(_database_settings(), data, filename))
    except Refused as refused:
        sys.exit("\n".join(f"lms-plugin: {e.code}: {e.message}" for e in refused.errors))
    except RegionRowsRefused as refused:
        for p in refused.problems:
            column = f", column {p.column}" if p.column else ""
            print(f"row {p.row}{column}: {p.code}: {p.message}", file=sys.stderr)
        sys.exit(f"lms-plugin: {len(refused.problems)} errors, no region loaded")
    print(
        f"regions: {loaded.created} created, {loaded.updated} updated, {loaded.unchanged} unchanged"
    )


async def create_admin_now(
    settings: Settings, username: str, name: str, region_code: str | None
) -> bool:
    async with _migrated_database(settings):
        return await create_province_admin(username, name, region_code)


def create_admin(args: argparse.Namespace) -> None:
    try:
        made = asyncio.run(
            create_admin_now(_database_settings(), args.username, args.name, args.region)
        )
    except Refused as refused:
        sys.exit("\n".join(f"lms-plugin: {e.code}: {e.message}" for e in refused.errors))
    state = "created" if made else "already exists"
    print(f"province admin {args.username}: {state}")


def program_pk(text: str) -> int:
    """A program's global id, as the API shows it, to its key."""
    from lms_plugin.schema.core.ids import InvalidId, decode_id

    try:
        type_name, pk = decode_id(text)
    except InvalidId:
        type_name, pk = "", 0
    if type_name != "Program":
        raise argparse.ArgumentTypeError(f"not a program's id: {text!r}")
    return pk


async def compute_results_now(
    settings: Settings, at: dt.datetime | None, program_id: int | None
) -> "DueResults":
    """Opens the migrated database and runs one pass of the app's scheduled computation."""
    from lms_plugin.resolvers.assessment.schedule import compute_due_results

    from .clock import SystemClock

    async with _migrated_database(settings):
        return await compute_due_results(at or SystemClock().now(), program_id)


def compute_results(args: argparse.Namespace) -> None:
    from .scheduled_results import counts_text

    done = asyncio.run(compute_results_now(_database_settings(), args.at, args.program))
    for summary in done.computed:
        print(f"program {summary.program.name} ({summary.program.year}): {counts_text(summary)}")
    if not done.computed and not done.failed:
        print("no program's assessment window has opened without results")
    if done.failed:
        sys.exit(f"lms-plugin: the results of {len(done.failed)} programs failed (see the log)")


async def rotate_keys_now(settings: Settings, batch_size: int, after_id: int) -> None:
    """Seals every personal value again under the current key, batch by batch, printing each
    batch's progress (the last person id: `--after-id` resumes from it)."""
    from tortoise.context import TortoiseContext

    from lms_plugin.storage.personal_data import Rotation, reseal_batch, use_key_ring

    use_key_ring(settings.key_ring())
    rotation = Rotation(last_id=after_id)
    async with TortoiseContext() as context:
        await context.init(config=settings.database_config())
        while await reseal_batch(rotation, batch_size):
            print(f"… people up to id {rotation.last_id}: {rotation.resealed} values resealed")
    print(
        f"rotated to key {settings.data_key_id!r}: {rotation.rows} people read,"
        f" {rotation.resealed} values resealed, {rotation.current} already under it"
    )


def rotate_keys(args: argparse.Namespace) -> None:
    if args.batch_size < 1:
        sys.exit("lms-plugin: --batch-size must be at least 1")
    asyncio.run(rotate_keys_now(_settings(), args.batch_size, args.after_id))


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

    regions_parser = commands.add_parser(
        "load-regions",
        help="upsert the region tree from a CSV file (UTF-8; headings code,name,level,parent_code;"
        " level PROVINCE, CITY or COUNTY), all rows or none; migrates the database first",
    )
    regions_parser.add_argument("path", nargs="?", type=Path, help="the CSV file")
    regions_parser.add_argument(
        "--jiangxi",
        action="store_true",
        help="load the Jiangxi tree the demo uses (shipped as lms_plugin/data/regions-jiangxi.csv)",
    )
    regions_parser.set_defaults(run=load_regions)

    admin_parser = commands.add_parser(
        "create-admin",
        help="create a province admin (person and grant, each unless it exists); migrates the"
        " database first",
    )
    admin_parser.add_argument("username", help="the user name on the host (the token subject)")
    admin_parser.add_argument("--name", required=True, help="the admin's real name")
    admin_parser.add_argument(
        "--region", help="the province's region code (default: the one root province)"
    )
    admin_parser.set_defaults(run=create_admin)

    results_parser = commands.add_parser(
        "compute-results",
        help="compute the results of every program whose ASSESSMENT phase has begun and that has"
        " none yet, each once however many run it (the app also does it every"
        " LMS_RESULTS_INTERVAL_SECONDS); migrates the database first",
    )
    results_parser.add_argument(
        "--program", type=program_pk, help="only this program (its global id, as the API shows)"
    )
    results_parser.add_argument(
        "--at", type=instant, help="judge the window at this instant (as `serve --at`)"
    )
    results_parser.set_defaults(run=compute_results)

    rotate_parser = commands.add_parser(
        "rotate-keys",
        help="seal every ID number and mobile again under LMS_DATA_KEY_ID (the old keys must"
        " still be in LMS_DATA_KEYS; remove them afterwards); resumable with --after-id",
    )
    rotate_parser.add_argument("--batch-size", type=int, default=1000)
    rotate_parser.add_argument(
        "--after-id", type=int, default=0, help="resume after this person id (printed per batch)"
    )
    rotate_parser.set_defaults(run=rotate_keys)

    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
