"""Downloading a finished export (`GET /exports/{job id}` with the bearer token): the XLSX of a
job the signed-in person asked for, and nothing else."""

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from lms_plugin.resolvers.core.exports import export_file
from lms_plugin.schema.core.ids import InvalidId, decode_id

from .clock import Clock
from .http import json_error, route_viewer
from .settings import Settings
from .tokens import TokenVerifier
from .viewers import ViewerCache

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Downloads:
    def __init__(
        self, settings: Settings, clock: Clock, viewers: ViewerCache, verifier: TokenVerifier
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.viewers = viewers
        self.verifier = verifier

    async def export(self, request: Request) -> Response:
        viewer = await route_viewer(request, self.verifier, self.clock.now(), self.viewers)
        if isinstance(viewer, Response):
            return viewer
        try:
            type_name, pk = decode_id(request.path_params["job_id"])
        except InvalidId:
            type_name, pk = "", 0
        found = await export_file(viewer, pk) if type_name == "ExportJob" else None
        if found is None:
            return json_error(404, "NOT_FOUND", "找不到该导出文件，或尚未完成")
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
