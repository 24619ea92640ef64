"""A sender added by configuration only (as a WeCom or SMS sender would be)."""

SENT: list[tuple[str, str]] = []


class RecordingSender:
    name = "recording"

    def send(self, notification) -> bool:
        SENT.append((notification.recipient.username, notification.key))
        return True


class BrokenSender:
    name = "broken"

    def send(self, notification) -> bool:
        raise ConnectionError("gateway down")
