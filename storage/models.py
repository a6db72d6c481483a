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
)
from .audit import AuditEntry
from .classroom import (
    Announcement,
    AnnouncementRead,
    Briefing,
    BriefingPolicy,
    DiscussionPost,
    DiscussionTopic,
)
from .enrollment import Enrollment, HourPolicy
from .homework import Assignment, Attachment, Recommendation, Submission, SubmissionRevision
from .organisation import Person, Region, RoleAssignment, School, Vendor, VendorCity
from .programs import Batch, BatchPolicy, Program, ProgramPhase, RegistrationPolicy
from .roster import (
    GroupRegistration,
    GroupRegistrationEntry,
    GroupRegistrationStep,
    ImportJob,
    ImportRowError,
)
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
    "Batch",
    "BatchPolicy",
    "Briefing",
    "BriefingPolicy",
    "Certificate",
    "Course",
    "CourseProgress",
    "DiscussionPost",
    "DiscussionTopic",
    "Enrollment",
    "ExamResult",
    "ExternalHours",
    "GroupRegistration",
    "GroupRegistrationEntry",
    "GroupRegistrationStep",
    "HourPolicy",
    "ImportJob",
    "ImportRowError",
    "OfflineStudyLog",
    "Person",
    "Program",
    "ProgramPhase",
    "Recommendation",
    "Region",
    "RegistrationPolicy",
    "Resource",
    "ResultChange",
    "RoleAssignment",
    "School",
    "StudyLedgerEntry",
    "StudySession",
    "StudyTimerPolicy",
    "StudyWriting",
    "Submission",
    "SubmissionRevision",
    "Topic",
    "TrainingClass",
    "TutorTeamMember",
    "TutorTeamPolicy",
    "Vendor",
    "VendorCity",
    "Workshop",
]
