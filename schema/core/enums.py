"""GraphQL enums: the storage and rule enums, registered once with their descriptions.

Annotate with the classes imported from here (they are the Python enums themselves).
"""

import strawberry

from lms_plugin.resolvers.core.calendar import WindowState
from lms_plugin.resolvers.core.errors import ErrorCode
from lms_plugin.storage.enums import (
    BriefingStatus,
    EnrollmentStatus,
    GradeLevel,
    LedgerKind,
    OfflineKind,
    Post,
    RecommendationLevel,
    RegionLevel,
    ReviewStatus,
    Role,
    SessionEndReason,
    Stage,
    SubmissionStatus,
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
strawberry.enum(BriefingStatus, description="班级简报: DRAFT 草稿, PUBLISHED 已发布 (R11).")
strawberry.enum(WindowState, description="A window relative to the request time.")
strawberry.enum(LedgerKind, description="Why study time was counted or not (R9).")
strawberry.enum(SessionEndReason, description="How a study session ended (R9).")
strawberry.enum(OfflineKind, description="线下研修: 校本研修, 听评课, 作业实践, 反思, 其他.")
strawberry.enum(ReviewStatus, description="An offline log: pending, confirmed or rejected (R8).")
strawberry.enum(SubmissionStatus, description="SUBMITTED 待批改, RETURNED 退回修改, GRADED 已批改.")
strawberry.enum(GradeLevel, description="EXCELLENT 优秀, GOOD 良好, PASS 合格, FAIL 不合格.")
strawberry.enum(
    RecommendationLevel, description="R10 ladder: CLASS 班级 → WORKSHOP 工作室 → HOME 首页."
)

__all__ = [
    "BriefingStatus",
    "EnrollmentStatus",
    "ErrorCode",
    "GradeLevel",
    "LedgerKind",
    "OfflineKind",
    "Post",
    "RecommendationLevel",
    "RegionLevel",
    "ReviewStatus",
    "Role",
    "SessionEndReason",
    "Stage",
    "SubmissionStatus",
    "TitleRank",
    "Track",
    "WindowState",
]
