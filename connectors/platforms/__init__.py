"""One module per platform; each registers its Connector class with connectors.base.register."""
