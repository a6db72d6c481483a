"""Downloading a finished export (`GET /exports/{job id}` with the bearer token): the XLSX of a
job the signed-in person asked for, and nothing else."""

import uuid
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from lms_plugin.resolvers.core.exports import export_file
from lms_plugin.schema.core.ids import InvalidId, decode_id

from .clock import Clock
from .http import signed_in_viewer
from .request_parsing import Refusal
from .settings import Settings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Downloads:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock

    async def export(self, request: Request) -> Response:
        try:
            viewer = await signed_in_viewer(
                request.headers, self.settings, self.clock.now(), uuid.uuid4().hex
            )
        except Refusal as refusal:
            return refusal.response()
        if viewer is None:
            return _error(401, "UNAUTHENTICATED", "未登录或登录已失效")
        try:
            type_name, pk = decode_id(request.path_params["job_id"])
        except InvalidId:
            type_name, pk = "", 0
        found = await export_file(viewer, pk) if type_name == "ExportJob" else None
        if found is None:
            return _error(404, "NOT_FOUND", "找不到该导出文件，或尚未完成")
        filename, content = found
        return Response(
            content,
            media_type=XLSX,
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
                "Cache-Control": "private",
                "X-Content-Type-Options": "nosniff",
            },
        )


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status
    )
