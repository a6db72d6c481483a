"""The one module tortoise discovers: every model of the plugin, area by area."""

from .awards import AwardPolicy, ClassStar, Nomination, TrainingGrade
from .bulletins import Bulletin, BulletinEntry, ReportPolicy
from .classroom import (
    Announcement,
    AnnouncementRead,
    Briefing,
    BriefingPolicy,
    DiscussionPost,
    DiscussionTopic,
)
from .enrollment import Enrollment, HourPolicy
from .exports import ExportJob
from .fees import FeePolicy
from .homework import Assignment, Attachment, Recommendation, Submission, SubmissionRevision
from .organisation import Person, Region, RoleAssignment, School, Vendor, VendorCity
from .programs import Batch, BatchPolicy, Program, RegistrationPolicy
from .study import OfflineStudyLog, StudyLedgerEntry, StudySession, StudyTimerPolicy
from .workshops import (
    Resource,
    Topic,
    TrainingClass,
    TutorTeamMember,
    TutorTeamPolicy,
    Workshop,
)

__all__ = [
    "Announcement",
    "AnnouncementRead",
    "Assignment",
    "Attachment",
    "AwardPolicy",
    "Batch",
    "BatchPolicy",
    "Briefing",
    "BriefingPolicy",
    "Bulletin",
    "BulletinEntry",
    "ClassStar",
    "DiscussionPost",
    "DiscussionTopic",
    "Enrollment",
    "ExportJob",
    "FeePolicy",
    "HourPolicy",
    "Nomination",
    "OfflineStudyLog",
    "Person",
    "Program",
    "Recommendation",
    "Region",
    "RegistrationPolicy",
    "ReportPolicy",
    "Resource",
    "RoleAssignment",
    "School",
    "StudyLedgerEntry",
    "StudySession",
    "StudyTimerPolicy",
    "Submission",
    "SubmissionRevision",
    "Topic",
    "TrainingClass",
    "TrainingGrade",
    "TutorTeamMember",
    "TutorTeamPolicy",
    "Vendor",
    "VendorCity",
    "Workshop",
]
