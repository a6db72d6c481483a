"""A program's policies (项目政策), one object per area."""
