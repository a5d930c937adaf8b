"""Scripted repositories and organisations for the app tests (pages, API, identities, recency)."""

from __future__ import annotations

from datetime import UTC, datetime

from pathcraft.code import actions
from pathcraft.code.tests.gitfactory import RepoBuilder
from pathcraft.people.tests.factories import PASSWORD, make_team, small_org

DAY = 86400
BOT = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"


def login(client, person):
    """CLIENT logged in as PERSON (a Person with an account) or as a user name (an admin)."""
    client.logout()
    username = person if isinstance(person, str) else person.email
    assert client.login(username=username, password=PASSWORD)
    return client


def org_with_lead():
    """small_org() with Lee Lead as the lead of team Core, and Lou Lead leading a second team."""
    o = small_org()
    o["team"].lead = o["lead"]
    o["team"].save()
    o["team2"] = make_team(o["org"], "edge")
    o["team2"].lead = o["lead2"]
    o["team2"].save()
    return o


def identities_repo(path, o) -> RepoBuilder:
    """Dee commits under her work email and as "D. Dev" from home; Dan only from a laptop under his own name (a
    same-name proposal); a former contributor; a bot.

    Files: core/a.py, core/b.py (Dee), side/s.py, side/t.py ("D. Dev"), web/x.py (Dan's laptop), tools/t.py (gone).
    Truck factor 2 (Dee 2, "D. Dev" 2, ...: removing Dee leaves 4/6, removing "D. Dev" leaves 2/6); once "D. Dev"
    counts as Dee, 1 (Dee authors 4 of 6: removing her leaves 2/6)."""
    git = RepoBuilder(path)
    git.commit(f"Dee Dev <{o['dev'].email}>", {"core/a.py": "a\n", "core/b.py": "b\n"})
    git.commit("D. Dev <dee@home.example>", {"side/s.py": "s\n", "side/t.py": "t\n"})
    git.commit("Dan Dev <dan@laptop.example>", {"web/x.py": "x\n"})
    git.commit(BOT, {"core/a.py": "a\n# bumped\n"})
    git.commit("Gone Person <gone@old.example>", {"tools/t.py": "t\n"})
    return git


def analysed(team, git, name: str = "svc"):
    repo = actions.register_repository(team, name, str(git.path))
    return actions.run_analysis(repo.pk)


def utc(*args) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


def many_commits(path, count: int, start: int = 0, author: str = "Dee Dev <dee.dev@acme.test>") -> None:
    """COUNT commits (each changing one of ten files) in one `git fast-import` run; appends when START > 0."""
    import subprocess

    if start == 0:
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], check=True)
    stream = bytearray()
    for n in range(start, start + count):
        who = f"{author} {1_600_000_000 + n * 60} +0000\n".encode()
        body = f"line {n}\n".encode()
        stream += b"commit refs/heads/main\nauthor " + who + b"committer " + who + b"data 1\nx\n"
        if n == start > 0:  # appending: continue from the branch's current head
            stream += b"from refs/heads/main^0\n"
        stream += f"M 100644 inline src/f{n % 10}.py\n".encode() + b"data %d\n" % len(body) + body + b"\n"
    subprocess.run(
        ["git", "fast-import", "--quiet"], input=bytes(stream), cwd=path, check=True, capture_output=True
    )
