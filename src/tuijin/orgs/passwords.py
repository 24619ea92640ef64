"""Password rules beyond Django's: character classes (等保 8.1.4.1 身份鉴别) and random passwords."""

from __future__ import annotations

import secrets
import string

from django.core.exceptions import ValidationError

CLASSES = (
    ("lower", str.islower),
    ("upper", str.isupper),
    ("digit", str.isdigit),
    ("symbol", lambda c: not c.isalnum()),
)


class CharacterClassValidator:
    """At least ``min_classes`` of: lower-case letters, upper-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: object = None) -> None:
        found = sum(1 for _name, test in CLASSES if any(test(c) for c in password))
        if found < self.min_classes:
            raise ValidationError(
                f"密码应至少包含大写字母、小写字母、数字、符号中的{self.min_classes}类",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"密码应至少包含大写字母、小写字母、数字、符号中的{self.min_classes}类"


def random_password(length: int = 16) -> str:
    """A random password meeting every rule (all four classes), for new accounts and resets."""
    alphabet = string.ascii_letters + string.digits + "!@#$%^*-_=+"  # nothing HTML would escape
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if all(any(test(c) for c in candidate) for _name, test in CLASSES):
            return candidate
