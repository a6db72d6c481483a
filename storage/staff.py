"""The year's assessment of tutors and admins (辅导教师、管理员工作考核, seed 002 §五(一): tutoring
and management are paid "经工作考核合格后"; seed 003 §一(三)1: 优秀辅导教师 are tutors "考核合格"):
the weights of each component out of 100, the counts that earn a component in full, and the
pass mark. The seeds give no numbers; the defaults below are stated in the API's descriptions."""

from tortoise import fields

from .programs import Program
from .tracking import Tracked


class StaffAssessmentPolicy(Tracked):
    """Staff assessment policy of a program. A tutor is judged on seed 003 §一(三)3: briefings
    on time, grading done, announcements, discussions led or replied, and the class's rates; an
    admin on seed 003 §一(二)3: the rates of their region and its learning-status bulletins."""

    id = fields.IntField(primary_key=True)
    program: fields.OneToOneRelation[Program] = fields.OneToOneField(
        "models.Program", related_name="staff_assessment_policy", on_delete=fields.CASCADE
    )
    program_id: int
    # A tutor's weights (sum 100) and what earns each component in full, per class tutored.
    tutor_briefing_weight = fields.IntField(default=20)
    tutor_grading_weight = fields.IntField(default=20)
    tutor_announcement_weight = fields.IntField(default=15)
    tutor_discussion_weight = fields.IntField(default=15)
    tutor_participation_weight = fields.IntField(default=15)
    tutor_passing_weight = fields.IntField(default=15)
    briefings_per_class = fields.IntField(default=1)
    announcements_per_class = fields.IntField(default=1)
    discussions_per_class = fields.IntField(default=1)
    tutor_pass_mark = fields.IntField(default=60)
    # An admin's weights (sum 100), the bulletins of their region that earn that part in full.
    admin_participation_weight = fields.IntField(default=40)
    admin_passing_weight = fields.IntField(default=40)
    admin_bulletin_weight = fields.IntField(default=20)
    bulletins_expected = fields.IntField(default=1)
    admin_pass_mark = fields.IntField(default=60)

    class Meta:
        table = "staff_assessment_policy"
