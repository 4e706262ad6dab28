#!/usr/bin/env python3
# SPDX-License-Identifier: BlueOak-1.0.0
"""Run vesper-sim with --caps-dot and --caps, and check what they wrote.

Usage: check_capview.py DOT VESPER_SIM PROGRAM

The DOT file must be accepted by Graphviz (DOT -Tsvg), be one digraph,
hold a cluster for the root domain's CSpace and a node for each boot
capability, and declare every node an edge names (Graphviz would make an
undeclared one silently). The text must show the root domain, its CSpace
and the derivation tree. Exits 77 (skipped) while vesper-sim has no
--caps-dot option.
"""
import os
import re
import subprocess
import sys
import tempfile

# What the root CNode holds at boot (docs/objects/README.md), as the
# view names the types: each must be a node of the DOT.
BOOT_CAPABILITIES = ["cptr 0x1/64\\nDomain", "cptr 0x2/64\\nCNode", "cptr 0x3/64\\nPDom",
                     "cptr 0x5/64\\nFrame4K R---", "cptr 0x6/64\\nIRQControl",
                     "cptr 0x7/64\\nSchedControl"]

NODE = re.compile(r'^\s*(\w+) \[', re.M)
EDGE = re.compile(r'^\s*(\w+) -> (\w+)', re.M)


def fail(why):
    print("capview: " + why, file=sys.stderr)
    sys.exit(1)


def check_dot(dot, path):
    text = open(path).read()
    if not text.startswith("digraph capabilities {") or not text.rstrip().endswith("}"):
        fail("the DOT is not one digraph")
    result = subprocess.run([dot, "-Tsvg", "-o", os.devnull, path], capture_output=True,
                            text=True)
    if result.returncode != 0 or result.stderr:
        fail("dot refused the file: " + result.stderr)
    if "subgraph cluster_domain_" not in text or "(root)" not in text:
        fail("no cluster for the root domain's CSpace")
    for label in BOOT_CAPABILITIES:
        if label not in text:
            fail("no node labelled " + label)
    nodes = set(NODE.findall(text)) - {"node"}
    edges = EDGE.findall(text)
    missing = {n for edge in edges for n in edge} - nodes
    if missing:
        fail("edges name undeclared nodes: " + ", ".join(sorted(missing)[:5]))
    caps = len([n for n in nodes if n.startswith(("slot_", "binding_"))])
    tree = len([e for e in edges if not e[1].startswith("object_")])
    print("capview: %d capabilities, %d objects, %d derivation edges"
          % (caps, len(nodes) - caps, tree))
    if caps < len(BOOT_CAPABILITIES) or tree == 0:
        fail("too few capabilities or derivation edges")


def check_text(path):
    text = open(path).read()
    for wanted in ["(root", "  CSpace (cptr/bits: capability):\n", "    cptr 0x2/64: CNode ",
                   "The derivation tree"]:
        if wanted not in text:
            fail("the text lacks " + repr(wanted))


def main():
    dot, sim, program = sys.argv[1:4]
    usage = subprocess.run([sim, "--help"], capture_output=True, text=True).stdout
    if "--caps-dot" not in usage:
        print("capview: vesper-sim has no --caps-dot yet: skipped")
        sys.exit(77)
    with tempfile.TemporaryDirectory() as folder:
        dot_path = os.path.join(folder, "caps.dot")
        text_path = os.path.join(folder, "caps.txt")
        run = subprocess.run([sim, "--caps-dot=" + dot_path, "--caps=" + text_path, program],
                             capture_output=True, text=True)
        if run.returncode != 0:
            fail("vesper-sim exited with %d: %s" % (run.returncode, run.stderr))
        check_dot(dot, dot_path)
        check_text(text_path)


if __name__ == "__main__":
    main()
