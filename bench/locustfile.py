"""Month-end burst (issue 9): reporting-unit users read their cockpit, list projects, save progress
rows and submit, against gunicorn + PostgreSQL on loopback. Run it through ``bench/run_load.py``.

Every acknowledged save (HTTP 200) is written to ``$TUIJIN_LOAD_ACKS`` (JSON lines: row id, the version
the server returned, the notes marker sent) so that ``run_load.py`` can check afterwards that each
one is in the database (no lost update). 409 (someone else saved first) and 400 (the unit-period was
submitted meanwhile) are correct refusals, counted apart; anything else is an error.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
import uuid

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("TUIJIN_LOAD_PASSWORD", "Load@Test2022!")
USERS = [u for u in os.environ.get("TUIJIN_LOAD_USERS", "").split(",") if u]
PERIOD = os.environ.get("TUIJIN_LOAD_PERIOD", "2022-07")
ACKS_PATH = os.environ.get("TUIJIN_LOAD_ACKS", "var/load-acks.jsonl")

_lock = threading.Lock()
_acks: list[dict] = []
_next_user = iter(range(10**9))


@events.test_stop.add_listener
def write_acks(**_kwargs) -> None:
    with open(ACKS_PATH, "w", encoding="utf-8") as out:
        for ack in _acks:
            out.write(json.dumps(ack) + "\n")


class UnitUser(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        with _lock:
            self.username = USERS[next(_next_user) % len(USERS)]
        page = self.client.get("/login/", name="/login/ [GET]")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post("/login/", {"username": self.username, "password": PASSWORD,
                                     "csrfmiddlewaretoken": token}, headers={"Referer": self.host + "/login/"},
                         name="/login/ [POST]")
        self.unit = self.username.split("-")[1]  # load-<unit>-<n>
        self.rows: list[dict] = []

    def _csrf(self) -> dict[str, str]:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": self.host + "/"}

    @task(3)
    def cockpit(self) -> None:
        self.client.get("/", name="cockpit /")

    @task(3)
    def project_list(self) -> None:
        self.client.get("/projects/", name="/projects/")

    def _load_rows(self) -> None:
        response = self.client.get(f"/api/v1/progress/?period={PERIOD}&unit={self.unit}&page_size=50",
                                   name="/api/v1/progress/ [list]")
        if response.status_code == 200:
            self.rows = response.json()["results"]

    @task(6)
    def save_progress_row(self) -> None:
        if not self.rows:
            self._load_rows()
        if not self.rows:
            return
        row = random.choice(self.rows)
        current = self.client.get(f"/api/v1/progress/{row['id']}/", name="/api/v1/progress/{id}/ [GET]")
        if current.status_code != 200:
            return
        version = current.json()["version"]
        marker = f"load-{uuid.uuid4().hex[:12]}"
        body = {"version": version, "notes": marker, "month_amount": f"{random.randint(1, 5000)}.0000"}
        with self.client.patch(f"/api/v1/progress/{row['id']}/", json=body, headers=self._csrf(),
                               name="/api/v1/progress/{id}/ [PATCH]", catch_response=True) as response:
            if response.status_code == 200:
                data = response.json()
                with _lock:
                    _acks.append({"id": row["id"], "version": data["version"], "notes": marker})
                response.success()
            elif response.status_code in (400, 409):
                response.success()  # a correct refusal: stale version, or the period was submitted
                events.request.fire(request_type="REFUSED", name=f"save {response.status_code}",
                                    response_time=0, response_length=0, exception=None, context={})
            else:
                response.failure(f"unexpected {response.status_code}")

    @task(1)
    def submit(self) -> None:
        if random.random() > 0.05:  # submitting is rare: once per unit near the end of the month
            return
        with self.client.post(f"/api/v1/periods/{PERIOD}/units/{self.unit}/submit/", json={},
                              headers=self._csrf(), name="/api/v1/periods/…/submit/",
                              catch_response=True) as response:
            if response.status_code in (200, 400, 409):
                response.success()
            else:
                response.failure(f"unexpected {response.status_code}")
