from .client import WebhookConnector

__all__ = ["WebhookConnector"]
