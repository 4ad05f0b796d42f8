#!/usr/bin/env python3
"""shell_history.py - a realistic, deterministic shell history for
`tacit shell eval` (tacit's tab-separated format, or zsh/bash files).

    python3 bench/shell_history.py --seed 1 --commands 5000 > hist.tsv
    python3 bench/shell_history.py --seed 1 --format zsh > zsh_history

One simulated developer over several weeks: a handful of projects (a C
library built with make, a Python service with pytest, a JS front end with
npm, a Go tool, dotfiles, an ops folder with docker/kubectl), two terminals
open at once, days split into work sessions. In each project the user runs
the loops people run: edit-build-test with failures and fixes, git
workflows (status, diff, add, commit with a fresh message, push, branches,
rebases), searching, reading logs, one-off commands and typos. Habits (what
this user runs after a failed build, how they commit, which flags they like)
are drawn per seed, so different seeds are different users. Written from how
people work, not from tacit's model; the same file is replayed for tacit and
for the baselines.
"""
import argparse
import random
import sys

WORDS = ("fix parse error handle timeout add retry cache config tests docs refactor logging "
         "cleanup bump deps crash null check cli flag option update readme typo speed up "
         "memory leak race window resize unicode path windows build ci lint format").split()


class User:
    def __init__(self, rng):
        self.rng = rng
        r = rng.random
        # Habits, per user.
        self.after_fail = rng.choice(["vim", "less", "rerun", "vim", "grep"])
        self.commit_style = rng.choice(["-m", "-v", "-am", "-m"])
        self.add_style = rng.choice(["-p", ".", "-p", "file"])
        self.ls = rng.choice(["ls", "ls -la", "ll", "ls -lh"])
        self.status_often = 0.3 + 0.5 * r()
        self.log_style = rng.choice(["git log --oneline -n 10", "git log --oneline --graph", "git lg", "tig"])
        self.editor = rng.choice(["vim", "nvim", "vim", "code"])
        self.test_flags = rng.choice(["-x", "-q", "-x -q", ""])
        self.pull = rng.choice(["git pull --rebase", "git pull", "git fetch && git rebase origin/main"])


def project_defs(rng):
    home = "/home/dev"
    return [
        dict(name="libfoo", kind="c", root=f"{home}/src/libfoo", weight=5,
             dirs=["", "src", "tests"], files=["src/parse.c", "src/lexer.c", "src/util.c", "src/parse.h",
                                               "tests/test_parse.c", "Makefile", "README.md"],
             build="make", test="make test", run="./build/foo --verbose input.txt", fail=0.35),
        dict(name="api", kind="py", root=f"{home}/src/api", weight=4,
             dirs=["", "api", "tests"], files=["api/server.py", "api/models.py", "api/routes.py",
                                               "tests/test_routes.py", "tests/test_models.py", "pyproject.toml"],
             build="python3 -m pytest", test="python3 -m pytest tests/test_routes.py", run="python3 -m api.server --port 8000",
             fail=0.3),
        dict(name="web", kind="js", root=f"{home}/src/web", weight=3,
             dirs=["", "src", "src/components"], files=["src/App.tsx", "src/index.ts", "src/components/Button.tsx",
                                                        "package.json", "src/api.ts"],
             build="npm run build", test="npm test", run="npm run dev", fail=0.25),
        dict(name="gotool", kind="go", root=f"{home}/src/gotool", weight=2,
             dirs=["", "cmd/gotool", "internal/store"], files=["cmd/gotool/main.go", "internal/store/store.go",
                                                                "internal/store/store_test.go", "go.mod"],
             build="go build ./...", test="go test ./...", run="go run ./cmd/gotool serve", fail=0.3),
        dict(name="dotfiles", kind="dot", root=f"{home}/dotfiles", weight=1,
             dirs=[""], files=[".zshrc", ".vimrc", "install.sh", ".gitconfig"],
             build="./install.sh", test="./install.sh --check", run="source ~/.zshrc", fail=0.1),
        dict(name="ops", kind="ops", root=f"{home}/ops", weight=2,
             dirs=["", "k8s", "compose"], files=["k8s/api.yaml", "k8s/web.yaml", "compose/docker-compose.yml"],
             build="docker compose -f compose/docker-compose.yml up -d", test="kubectl get pods -n staging",
             run="kubectl logs -f deploy/api -n staging", fail=0.2),
    ]


class Sim:
    def __init__(self, seed, n):
        self.rng = random.Random(seed)
        self.user = User(self.rng)
        self.projects = project_defs(self.rng)
        self.n = n
        self.out = []
        self.t = 1700000000 + self.rng.randrange(0, 10**7)
        self.sessions = [1000 + self.rng.randrange(1000), 3000 + self.rng.randrange(1000)]
        self.cwd = {s: "/home/dev" for s in self.sessions}
        self.branch = {p["name"]: "main" for p in self.projects}
        self.cur = self.sessions[0]

    def emit(self, cmd, status=0, dur=None, proj=None):
        rng = self.rng
        if dur is None:
            dur = int(rng.expovariate(1 / 300))
        self.t += rng.randrange(2, 90)
        cwd = self.cwd[self.cur]
        repo = proj["root"] if proj and cwd.startswith(proj["root"]) and proj["kind"] != "ops" else ""
        br = self.branch[proj["name"]] if repo else ""
        self.out.append((self.t, dur, status, self.cur, cwd, repo, br, cmd))
        self.t += dur // 1000

    def cd(self, path, proj=None):
        self.cwd[self.cur] = path
        self.emit(f"cd {path.replace('/home/dev', '~')}" if self.rng.random() < 0.6 or proj is None
                  else f"cd {path}", proj=proj)

    def edit(self, p):
        rel = self.rng.choice(p["files"])
        sub = self.cwd[self.cur][len(p["root"]) + 1:] if self.cwd[self.cur] != p["root"] else ""
        if sub and rel.startswith(sub + "/"):
            rel = rel[len(sub) + 1:]
        elif sub:
            rel = "../" * (sub.count("/") + 1) + rel
        self.emit(f"{self.user.editor} {rel}", dur=self.rng.randrange(20000, 900000), proj=p)
        return rel

    def build_loop(self, p):
        u, rng = self.user, self.rng
        cmd = p["build"] if rng.random() < 0.7 else p["test"]
        for _ in range(rng.randrange(1, 5)):
            failed = rng.random() < p["fail"]
            self.emit(cmd, status=(2 if p["kind"] == "c" else 1) if failed else 0,
                      dur=rng.randrange(500, 60000), proj=p)
            if not failed:
                if rng.random() < 0.4:
                    self.emit(p["run"], status=0 if rng.random() < 0.9 else 1, proj=p)
                return
            # The user's habit after a failure, sometimes another reaction.
            habit = u.after_fail if rng.random() < 0.7 else rng.choice(["vim", "less", "rerun", "grep"])
            if habit == "vim":
                self.edit(p)
            elif habit == "less":
                self.emit(f"{cmd} 2>&1 | less", status=0, proj=p)
                self.edit(p)
            elif habit == "grep":
                self.emit(f"grep -rn {rng.choice(WORDS)} .", status=rng.choice([0, 1]), proj=p)
                self.edit(p)
            # rerun: just loop

    def git_flow(self, p):
        u, rng = self.user, self.rng
        if rng.random() < u.status_often:
            self.emit("git status", proj=p)
        if rng.random() < 0.5:
            self.emit("git diff" if rng.random() < 0.8 else "git diff --staged", proj=p)
        if u.add_style == "file":
            self.emit(f"git add {rng.choice(p['files'])}", proj=p)
        else:
            self.emit(f"git add {u.add_style}", proj=p)
        msg = " ".join(rng.sample(WORDS, rng.randrange(2, 5)))
        if u.commit_style == "-v":
            self.emit("git commit -v", dur=rng.randrange(10000, 120000), proj=p)
        elif u.commit_style == "-am":
            self.emit(f'git commit -am "{msg}"', proj=p)
        else:
            self.emit(f'git commit -m "{msg}"', proj=p)
        if rng.random() < 0.4:
            failed = rng.random() < 0.15
            self.emit("git push", status=1 if failed else 0, proj=p)
            if failed:
                self.emit(u.pull, proj=p)
                self.emit("git push", proj=p)

    def branch_flow(self, p):
        rng = self.rng
        r = rng.random()
        if r < 0.4:
            b = f"feature/{rng.choice(WORDS)}-{rng.choice(WORDS)}"
            self.emit(f"git checkout -b {b}", proj=p)
            self.branch[p["name"]] = b
        elif r < 0.7:
            self.emit("git checkout main", proj=p)
            self.branch[p["name"]] = "main"
            self.emit(self.user.pull, proj=p)
        else:
            self.emit(self.user.log_style, proj=p)

    def misc(self, p):
        rng, u = self.rng, self.user
        r = rng.random()
        if r < 0.3:
            self.emit(u.ls, proj=p)
        elif r < 0.45:
            self.emit(f"grep -rn {rng.choice(WORDS)} {rng.choice(['.', 'src', '*.c', 'tests'])}",
                      status=rng.choice([0, 0, 1]), proj=p)
        elif r < 0.55:
            self.emit(rng.choice(["htop", "df -h", "free -m", "uptime", "top"]), proj=p)
        elif r < 0.65:
            self.emit(f"man {rng.choice(['git-rebase', 'find', 'tar', 'rsync', 'jq', 'curl'])}", proj=p)
        elif r < 0.72:
            # typo and its fix
            self.emit(rng.choice(["gti status", "mkae", "sl", "got status", "pyhton3"]), status=127, proj=p)
            self.emit(rng.choice(["git status", "make", "ls", "git status", "python3"]), proj=p)
        elif r < 0.8:
            self.emit(f"ssh {rng.choice(['build01', 'staging', 'db-admin', 'pi'])}", dur=rng.randrange(60000, 3600000), proj=p)
        elif r < 0.9:
            d = rng.choice(p["dirs"])
            self.cwd[self.cur] = p["root"] + ("/" + d if d else "")
            self.emit(f"cd {d}" if d else "cd ..", proj=p)
        else:
            self.emit(f"cat {rng.choice(p['files'])}", proj=p)

    def work_block(self):
        rng = self.rng
        p = rng.choices(self.projects, [q["weight"] for q in self.projects])[0]
        if not self.cwd[self.cur].startswith(p["root"]):
            self.cd(p["root"], p)
            if rng.random() < 0.5:
                self.emit("git status", proj=p)
        for _ in range(rng.randrange(3, 12)):
            r = rng.random()
            if r < 0.45:
                self.edit(p)
                self.build_loop(p)
            elif r < 0.65:
                self.git_flow(p)
            elif r < 0.72:
                self.branch_flow(p)
            else:
                self.misc(p)
            if rng.random() < 0.15:  # switch terminal
                self.cur = self.sessions[1] if self.cur == self.sessions[0] else self.sessions[0]
            if len(self.out) >= self.n:
                return

    def run(self):
        while len(self.out) < self.n:
            self.work_block()
            if self.rng.random() < 0.1:  # a new day: a fresh terminal
                self.t += 50000
                i = self.sessions.index(self.cur)
                self.sessions[i] += 7
                self.cwd[self.sessions[i]] = "/home/dev"
                self.cur = self.sessions[i]
        return self.out[:self.n]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--commands", type=int, default=5000)
    ap.add_argument("--format", choices=["tacit", "zsh", "bash"], default="tacit")
    a = ap.parse_args()
    rows = Sim(a.seed, a.commands).run()
    w = sys.stdout.write
    if a.format == "tacit":
        w("#tacit-shell-history 1\n")
        for r in rows:
            w("\t".join(str(x) for x in r) + "\n")
    elif a.format == "zsh":
        for r in rows:
            w(f": {r[0]}:{r[1] // 1000};{r[7]}\n")
    else:
        for r in rows:
            w(f"#{r[0]}\n{r[7]}\n")


if __name__ == "__main__":
    main()
