from growth import experiments_admin  # noqa: F401 (registers the experiments' admins)
