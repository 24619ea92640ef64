"""`tuijin db-grants --role ROLE [--execute]`: the PostgreSQL privileges of the application role.

Run migrations as the owner role; run the application as ROLE, which may read and write the
business tables but only SELECT and INSERT the audit log and its hash chain (no UPDATE, DELETE or
TRUNCATE). Prints the SQL, or runs it with --execute (as the owner).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

AUDIT_TABLES = ("audit_auditentry", "audit_auditchainlink")


def grant_statements(role: str) -> list[str]:
    quoted = connection.ops.quote_name(role)
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
    ]
    for table in AUDIT_TABLES:
        statements.append(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {quoted}")
    return statements


class Command(BaseCommand):
    help = "生成（或执行）PostgreSQL 应用账户的授权语句：审计日志只能查询和追加。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", required=True, help="应用连接数据库所用的角色")
        parser.add_argument("--execute", action="store_true", help="直接执行（以表的所有者身份）")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("仅适用于 PostgreSQL（SQLite 没有角色和授权）")
        statements = grant_statements(options["role"])
        if options["execute"]:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
            self.stdout.write(f"已为角色 {options['role']} 授权 {len(statements)} 条。")
        else:
            self.stdout.write(";\n".join(statements) + ";")
