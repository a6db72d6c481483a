"""The year's assessment of tutors and admins: the GraphQL types and queries."""
