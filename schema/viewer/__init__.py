"""The signed-in viewer and teacher rosters."""
