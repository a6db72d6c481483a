"""People, regions and schools; personal data masked."""
