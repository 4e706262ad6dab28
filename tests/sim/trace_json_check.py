#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""Run vesper-sim with --trace-json and check the document it writes: that
it parses as Chrome Trace Event JSON and holds the events a program must
give.

    trace_json_check.py [--tracks N] [--flows N] [--slice NAME]...
                        [--instant CATEGORY]... -- VESPER_SIM [ARG]...

--tracks: at least N domain tracks, each named by a thread_name record;
--flows: at least N IPC flow arrows, each start met by its finish;
--slice: a complete ("X") event of that name (a syscall) on a domain track;
--instant: an instant ("i") event of that category (fault, irq, sched).
Every event must have the fields its phase needs, and the run slices of
each track ("B"/"E") must nest.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

PHASE_FIELDS = {
    "M": ("pid", "tid", "name", "args"),
    "X": ("pid", "tid", "ts", "dur", "name", "args"),
    "B": ("pid", "tid", "ts", "name"),
    "E": ("pid", "tid", "ts"),
    "i": ("pid", "tid", "ts", "name", "s"),
    "s": ("pid", "tid", "ts", "id", "name"),
    "f": ("pid", "tid", "ts", "id", "name"),
}


def problems_of(events, wanted):
    problems = []
    tracks = {e["tid"]: e["args"]["name"] for e in events
              if e.get("ph") == "M" and e.get("name") == "thread_name"}
    domains = [name for name in tracks.values() if name.startswith("domain 0x")]
    if len(domains) < wanted.tracks:
        problems.append(f"{len(domains)} domain tracks, wanted {wanted.tracks}")
    for e in events:
        fields = PHASE_FIELDS.get(e.get("ph"))
        if fields is None:
            problems.append(f"an event of unknown phase: {e}")
        elif any(f not in e for f in fields):
            problems.append(f"an event lacks one of {fields}: {e}")
        elif e["ph"] != "M" and e["tid"] not in tracks:
            problems.append(f"an event on a track with no name: {e}")
    starts = {e["id"] for e in events if e.get("ph") == "s"}
    finishes = {e["id"] for e in events if e.get("ph") == "f"}
    if starts != finishes:
        problems.append(f"{len(starts ^ finishes)} flows without both ends")
    if len(starts) < wanted.flows:
        problems.append(f"{len(starts)} flows, wanted {wanted.flows}")
    depth = {}
    for e in events:
        if e.get("ph") == "B":
            depth[e["tid"]] = depth.get(e["tid"], 0) + 1
        elif e.get("ph") == "E":
            depth[e["tid"]] = depth.get(e["tid"], 0) - 1
            if depth[e["tid"]] < 0:
                problems.append(f"a run slice ends on track {e['tid']} before it began")
                break
    slices = {e["name"] for e in events if e.get("ph") == "X"}
    for name in wanted.slice:
        if name not in slices:
            problems.append(f"no '{name}' slice (have {sorted(slices)})")
    instants = {e.get("cat") for e in events if e.get("ph") == "i"}
    for category in wanted.instant:
        if category not in instants:
            problems.append(f"no '{category}' instant (have {sorted(instants)})")
    return problems


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=1)
    parser.add_argument("--flows", type=int, default=0)
    parser.add_argument("--slice", action="append", default=[])
    parser.add_argument("--instant", action="append", default=[])
    parser.add_argument("command", nargs=argparse.REMAINDER)
    wanted = parser.parse_args(argv)
    command = wanted.command[1:] if wanted.command[:1] == ["--"] else wanted.command
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "trace.json")
        run = subprocess.run([command[0], "--trace-json=" + path] + command[1:],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120,
                             check=False)
        if run.returncode != 0:
            print(run.stdout.decode(errors="replace"))
            print(f"vesper-sim exited {run.returncode}")
            return 1
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
    events = document.get("traceEvents")
    if not isinstance(events, list) or not events:
        print("no traceEvents list")
        return 1
    problems = problems_of(events, wanted)
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"{len(events)} events; the trace holds what was asked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
