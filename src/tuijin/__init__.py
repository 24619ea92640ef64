"""tuijin (推进): the platform on which a city runs its drive to expand effective investment."""
