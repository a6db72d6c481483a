"""The tutor's desk (辅导教师工作台)."""
