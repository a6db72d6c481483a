"""Learning-status bulletins (学情通报): frozen, ranked snapshots of the rates below a region."""
