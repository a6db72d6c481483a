"""The one module tortoise discovers: every model of the plugin, area by area."""

from .classroom import Announcement, AnnouncementRead, Briefing, DiscussionPost, DiscussionTopic
from .enrollment import Enrollment
from .homework import Assignment, Attachment, Recommendation, Submission, SubmissionRevision
from .organisation import Person, Region, RoleAssignment, School, Vendor, VendorCity
from .programs import Batch, Program
from .study import OfflineStudyLog, StudyLedgerEntry, StudySession
from .workshops import Resource, Topic, TrainingClass, TutorTeamMember, Workshop

__all__ = [
    "Announcement",
    "AnnouncementRead",
    "Assignment",
    "Attachment",
    "Batch",
    "Briefing",
    "DiscussionPost",
    "DiscussionTopic",
    "Enrollment",
    "OfflineStudyLog",
    "Person",
    "Program",
    "Recommendation",
    "Region",
    "Resource",
    "RoleAssignment",
    "School",
    "StudyLedgerEntry",
    "StudySession",
    "Submission",
    "SubmissionRevision",
    "Topic",
    "TrainingClass",
    "TutorTeamMember",
    "Vendor",
    "VendorCity",
    "Workshop",
]
