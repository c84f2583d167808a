pytest_plugins = ["test.fixtures"]
