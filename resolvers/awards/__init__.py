"""Awards under quotas (R15, seed 003): candidates, nominations, review, and class stars."""
