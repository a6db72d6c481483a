"""The year's assessment of tutors and admins (辅导教师、管理员工作考核)."""
