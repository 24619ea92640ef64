"""Demo data: a deterministic, realistic Zhengzhou 2022 data set (`tuijin demo`, DESIGN §7).

* :mod:`tuijin.demo.generate` — pure generation (plain dataclasses, a seeded
  ``random.Random``, no ORM): plan facts in, users and projects out;
* :mod:`tuijin.demo.steps` — the ordered steps of the demo, one module per app beside the
  framework (monthly progress, statistics, deals, bonds …): the demo imports every app, no app
  imports the demo;
* :mod:`tuijin.demo.load` — writes the generated data in bulk, audited;
* :mod:`tuijin.demo.logins` — ``demo_logins()`` and the printable accounts table;
* ``tuijin demo [--reset] [--projects N] [--seed S] [--logins] [--json]`` — the thin command.
"""

from .generate import DEMO_AS_OF, DEMO_PASSWORD, DEMO_SEED

__all__ = ["DEMO_AS_OF", "DEMO_PASSWORD", "DEMO_SEED"]
