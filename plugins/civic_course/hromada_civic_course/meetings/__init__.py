"""Problem-finding meetings: the problems a community finds in its town, region or country, and their priority."""
