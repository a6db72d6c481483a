"""The one module tortoise discovers: every model of the plugin, area by area."""

from .assessment import (
    AssessmentPolicy,
    AssessmentResult,
    Certificate,
    Course,
    CourseProgress,
    ExamResult,
    ExternalHours,
    ResultChange,
    StudyWriting,
    TownshipSession,
)
from .audit import AuditEntry
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
from .programs import Batch, BatchPolicy, Program, ProgramPhase, RegistrationPolicy
from .result_runs import ResultRun
from .roster import (
    GroupRegistration,
    GroupRegistrationEntry,
    GroupRegistrationStep,
    ImportJob,
    ImportRowError,
)
from .staff import StaffAssessmentPolicy
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
    "AssessmentPolicy",
    "AssessmentResult",
    "Assignment",
    "Attachment",
    "AuditEntry",
    "AwardPolicy",
    "Batch",
    "BatchPolicy",
    "Briefing",
    "BriefingPolicy",
    "Bulletin",
    "BulletinEntry",
    "Certificate",
    "ClassStar",
    "Course",
    "CourseProgress",
    "DiscussionPost",
    "DiscussionTopic",
    "Enrollment",
    "ExamResult",
    "ExportJob",
    "ExternalHours",
    "FeePolicy",
    "GroupRegistration",
    "GroupRegistrationEntry",
    "GroupRegistrationStep",
    "HourPolicy",
    "ImportJob",
    "ImportRowError",
    "Nomination",
    "OfflineStudyLog",
    "Person",
    "Program",
    "ProgramPhase",
    "Recommendation",
    "Region",
    "RegistrationPolicy",
    "ReportPolicy",
    "Resource",
    "ResultChange",
    "ResultRun",
    "RoleAssignment",
    "School",
    "StaffAssessmentPolicy",
    "StudyLedgerEntry",
    "StudySession",
    "StudyTimerPolicy",
    "StudyWriting",
    "Submission",
    "SubmissionRevision",
    "Topic",
    "TownshipSession",
    "TrainingClass",
    "TrainingGrade",
    "TutorTeamMember",
    "TutorTeamPolicy",
    "Vendor",
    "VendorCity",
    "Workshop",
]
