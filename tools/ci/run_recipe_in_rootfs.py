#!/usr/bin/python3
"""Runs the steps of tools/ci/leadscore-rules.yml inside a bare Debian 12 root filesystem.

The recipe promises to work in a clean `debian:12` container, so it is tested in one and not
on a developer machine, where every package it forgets is already installed. Make the root
filesystem once (as root; it downloads about 100 MB of Debian packages):

    debootstrap --variant=minbase bookworm /srv/deb12 http://deb.debian.org/debian
    sudo tools/ci/run_recipe_in_rootfs.py /srv/deb12

The script copies the root filesystem's pristine state aside the first time and restores it
before each run, so every run starts clean. It plays the GitHub runner's part: the engine
repository is this checkout (cloned into the root filesystem), the rules repository is
rules/examples, the cache always misses, and the SARIF upload is replaced by a check that
the file is valid JSON. Every `run:` step is executed as written, with `${{ env.X }}` and the
step outputs the recipe uses substituted. Exit status 0 when every step that must pass did.
"""
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORKFLOW = os.path.join(HERE, "leadscore-rules.yml")


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def fresh_rootfs(rootfs):
    """Restores the root filesystem from its pristine copy (made on the first run)."""
    pristine = rootfs.rstrip("/") + ".pristine.tar"
    if not os.path.exists(pristine):
        sh("tar", "-C", rootfs, "-cf", pristine, ".")
    for entry in os.listdir(rootfs):
        path = os.path.join(rootfs, entry)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)
    sh("tar", "-C", rootfs, "-xf", pristine)
    shutil.copy("/etc/resolv.conf", os.path.join(rootfs, "etc/resolv.conf"))


def place_repositories(rootfs):
    """The engine as a git repository and the rules checkout, inside the root filesystem."""
    engine = os.path.join(rootfs, "srv/leadscore.git")
    sh("git", "clone", "-q", "--bare", ROOT, engine)
    workspace = os.path.join(rootfs, "github/workspace")
    shutil.copytree(os.path.join(ROOT, "rules/examples"), os.path.join(workspace, "rules"))
    branch = subprocess.run(["git", "-C", ROOT, "rev-parse", "--abbrev-ref", "HEAD"],
                            check=True, capture_output=True, text=True).stdout.strip()
    return "file:///srv/leadscore.git", branch


def condition_holds(expression, outputs):
    """The few `if:` forms the recipe uses, with the cache always missing."""
    if expression is None:
        return True
    text = expression.strip()
    if text.startswith("${{"):
        text = text[3:-2].strip()
    if "cache-hit" in text:
        hit = outputs.get("cache", {}).get("cache-hit", "false")
        wanted = re.search(r"'(\w+)'", text).group(1)
        return (hit == wanted) == ("==" in text)
    if text.startswith("!cancelled()"):
        return True
    raise SystemExit(f"run_recipe_in_rootfs: unknown condition `{expression}`")


def substitute(text, env, outputs):
    def one(match):
        name = match.group(1).strip()
        if name.startswith("env."):
            return env[name[4:]]
        step_output = re.fullmatch(r"steps\.(\w+)\.outputs\.([\w-]+)", name)
        if step_output:
            return outputs.get(step_output.group(1), {}).get(step_output.group(2), "")
        raise SystemExit(f"run_recipe_in_rootfs: unknown expression `{name}`")

    return re.sub(r"\$\{\{(.*?)\}\}", one, text)


def run_step(rootfs, step, env, outputs, path_entries):
    """One `run:` step in the root filesystem; returns its exit status."""
    scratch = os.path.join(rootfs, "github/step")
    os.makedirs(scratch, exist_ok=True)
    for name in ("output", "path"):
        open(os.path.join(scratch, name), "w").close()
    step_env = dict(env)
    for key, value in (step.get("env") or {}).items():
        step_env[key] = substitute(str(value), env, outputs)
    step_env.update({
        "GITHUB_OUTPUT": "/github/step/output",
        "GITHUB_PATH": "/github/step/path",
        "RUNNER_TEMP": "/github/tmp",
        "HOME": "/root",
        "PATH": ":".join(path_entries + ["/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]),
    })
    script = "set -eo pipefail\ncd /github/workspace\n" + substitute(step["run"], env, outputs)
    status = subprocess.run(["chroot", rootfs, "/bin/bash", "-c", script], env=step_env).returncode
    if step.get("id"):
        for line in open(os.path.join(scratch, "output")):
            if "=" in line:
                key, value = line.rstrip("\n").split("=", 1)
                outputs.setdefault(step["id"], {})[key] = value
    path_entries[:0] = [p for p in open(os.path.join(scratch, "path")).read().split("\n") if p]
    return status


def main():
    if len(sys.argv) != 2 or os.geteuid() != 0:
        raise SystemExit("usage (as root): run_recipe_in_rootfs.py ROOTFS")
    rootfs = os.path.abspath(sys.argv[1])
    fresh_rootfs(rootfs)
    repo, ref = place_repositories(rootfs)
    os.makedirs(os.path.join(rootfs, "github/tmp"), exist_ok=True)
    workflow = yaml.safe_load(open(WORKFLOW))
    env = {k: str(v) for k, v in workflow.get("env", {}).items()}
    env.update({"LEADSCORE_REPO": repo, "LEADSCORE_REF": ref})
    job = next(iter(workflow["jobs"].values()))
    outputs, path_entries, failed = {}, [], []
    mounts = [("proc", "proc"), ("/dev", "dev")]
    for source, target in mounts:
        flags = ["-t", "proc"] if source == "proc" else ["--bind"]
        sh("mount", *flags, source, os.path.join(rootfs, target))
    try:
        for step in job["steps"]:
            name = step.get("name", step.get("uses", "?"))
            if not condition_holds(step.get("if"), outputs):
                print(f"== skipped: {name}", flush=True)
                continue
            uses = step.get("uses", "")
            if uses.startswith("actions/cache"):
                outputs[step.get("id", "cache")] = {"cache-hit": "false"}
                print(f"== {name}: cache miss", flush=True)
                continue
            if uses.startswith("actions/checkout"):
                print(f"== {name}: rules copied from rules/examples", flush=True)
                continue
            if "upload-sarif" in uses:
                sarif = os.path.join(rootfs, "github/workspace", step["with"]["sarif_file"])
                json.load(open(sarif))
                print(f"== {name}: {sarif} is valid JSON (not uploaded)", flush=True)
                continue
            print(f"== {name}", flush=True)
            status = run_step(rootfs, step, env, outputs, path_entries)
            if status != 0:
                print(f"== {name}: exit {status}", flush=True)
                if not step.get("continue-on-error"):
                    failed.append(name)
    finally:
        for _, target in reversed(mounts):
            subprocess.run(["umount", os.path.join(rootfs, target)])
    if failed:
        print("== failed steps: " + ", ".join(failed))
        return 1
    print("== every step passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
