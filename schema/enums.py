"""GraphQL enums: the storage and rule enums, registered once with their descriptions.

Annotate with the classes imported from here (they are the Python enums themselves).
"""

import strawberry

from lms_plugin.resolvers.errors import ErrorCode
from lms_plugin.resolvers.rules import WindowState
from lms_plugin.storage.enums import (
    EnrollmentStatus,
    Post,
    RegionLevel,
    Role,
    Stage,
    TitleRank,
    Track,
)

strawberry.enum(ErrorCode, description="Stable codes of refusals. Front ends switch on these.")
strawberry.enum(Stage, description="学段. VOCATIONAL (职业中学) studies with HIGH workshops.")
strawberry.enum(Track, description="NETWORK 网络学习, TRANSITIONAL 过渡学习.")
strawberry.enum(TitleRank, description="职称: 初级 / 中级 / 高级.")
strawberry.enum(Post, description="岗位.")
strawberry.enum(Role, description="Administrative roles, granted with a scope.")
strawberry.enum(RegionLevel)
strawberry.enum(EnrollmentStatus)
strawberry.enum(WindowState, description="A window relative to the request time.")

__all__ = [
    "EnrollmentStatus",
    "ErrorCode",
    "Post",
    "RegionLevel",
    "Role",
    "Stage",
    "TitleRank",
    "Track",
    "WindowState",
]
