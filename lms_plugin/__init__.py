"""lms-plugin: a GraphQL learning-management plugin for province-wide remote teacher training."""
