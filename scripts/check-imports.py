#!/usr/bin/env python3
"""Proves the widget's modules import each other one way.

Reads every file under src/ (each file is a module: src/geo/mod.rs is `geo`, src/geo/arboga.rs is
`geo::arboga`), finds the paths it uses (`use crate::…`, `use super::…`, `use child::…` and inline
`crate::a::b(…)`), resolves each to the module that defines it, and then

  1. looks for import cycles among the modules (exit 1 and print each cycle if there is one),
  2. prints the direction between the top-level rooms (roots, components, context, platform glue,
     the pure core) and checks the layering rules below,
  3. checks that the native tests in tests/ import no component module.

Run it from anywhere: `python3 scripts/check-imports.py` (`make check` runs it).
"""

import os
import re
import sys
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
TESTS = os.path.join(ROOT, "tests")

# The rooms, from the top. A room may use rooms below it, never one above it (rule checked in
# main). Every top-level module must be listed here.
LAYERS = [
    ("roots", {"crate", "app", "staff_app"}),
    ("components", {"components"}),
    ("context", {"context"}),
    ("platform", {"api", "dom", "device"}),
    ("pure", {"model", "interaction", "geo", "i18n"}),
]


def module_of(path):
    """src/geo/mod.rs -> ('geo',), src/geo/arboga.rs -> ('geo', 'arboga'), src/lib.rs -> ()."""
    rel = os.path.relpath(path, SRC)[: -len(".rs")].split(os.sep)
    if rel == ["lib"]:
        return ()
    if rel[-1] == "mod":
        rel = rel[:-1]
    return tuple(rel)


def strip(code):
    """Removes comments, string and char literals, so paths in them are not counted."""
    code = re.sub(r"/\*.*?\*/", " ", code, flags=re.S)
    code = re.sub(r"//[^\n]*", " ", code)
    code = re.sub(r'r#*"(?:.|\n)*?"#*', '""', code)
    code = re.sub(r'"(?:\\.|[^"\\])*"', '""', code)
    code = re.sub(r"'(?:\\.|[^'\\\n])'", "' '", code)
    return code


def expand(tree):
    """`a::{b, c::{d, e}}` -> ['a::b', 'a::c::d', 'a::c::e']."""
    tree = re.sub(r"\s+", "", tree)
    depth, start, parts = 0, 0, []
    brace = tree.find("{")
    if brace < 0:
        return [re.sub(r"as\w+$", "", tree)] if tree else []
    prefix, inner = tree[:brace], tree[brace + 1 : tree.rindex("}")]
    for i, ch in enumerate(inner):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    out = []
    for p in parts:
        if p in ("", "self"):
            if prefix:
                out.append(prefix.rstrip(":"))
            continue
        out.extend(prefix + q for q in expand(p))
    return out


def paths_in(code, children):
    """Every path a file refers to: the trees of its `use` items, and inline paths that start at
    `crate::`, `super::`, `self::` or one of the module's own children (`sv::STRINGS`)."""
    out = []
    for m in re.finditer(r"\buse\s+([^;]+);", code):
        out.extend(expand(m.group(1)))
    body = re.sub(r"\buse\s+[^;]+;", " ", code)
    starts = ["crate", "super", "self"] + sorted(children)
    for m in re.finditer(r"(?<![\w:])((?:%s)(?:::\w+)+)" % "|".join(starts), body):
        out.append(m.group(1))
    return out


def resolve(path, here, modules):
    """The module a path points into (the longest known module prefix), or None (another crate)."""
    segs = [s for s in path.split("::") if s]
    if not segs:
        return None
    if segs[0] == "crate":
        base, rest = (), segs[1:]
    elif segs[0] in ("super", "self"):
        base = here
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                base = base[:-1]
            segs = segs[1:]
        rest = segs
    elif here + (segs[0],) in modules:  # a child module, `use child::Item`
        base, rest = here, segs
    else:
        return None
    best = base if base in modules else None
    for i in range(1, len(rest) + 1):
        cand = base + tuple(rest[:i])
        if cand in modules:
            best = cand
        else:
            break
    return best


def name(mod):
    return "::".join(mod) if mod else "crate"


def cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def main():
    files = {}
    for dirpath, _, names in os.walk(SRC):
        if os.path.relpath(dirpath, SRC).split(os.sep)[0] == "bin":
            continue  # the binaries are their own crates and only call `mount`
        for n in names:
            if n.endswith(".rs") and not (dirpath == SRC and n == "main.rs"):
                p = os.path.join(dirpath, n)
                files[module_of(p)] = p
    modules = set(files)

    graph = defaultdict(set)
    for mod, path in files.items():
        graph[mod]
        with open(path, encoding="utf-8") as f:
            code = strip(f.read())
        children = {m[-1] for m in modules if m[:-1] == mod and len(m) == len(mod) + 1}
        for p in paths_in(code, children):
            target = resolve(p, mod, modules)
            if target is not None and target != mod:
                graph[mod].add(target)

    ok = True
    found = cycles(graph)
    if found:
        ok = False
        print("import cycles among src/ modules:")
        for comp in found:
            print("  " + " <-> ".join(name(m) for m in comp))
    else:
        print(f"no import cycle among the {len(modules)} modules in src/")

    top = lambda m: m[0] if m else "crate"  # noqa: E731
    layer_of = {}
    for i, (_, members) in enumerate(LAYERS):
        for t in members:
            layer_of[t] = i
    unknown = sorted({top(m) for m in modules} - set(layer_of))
    if unknown:
        ok = False
        print("top-level modules missing from LAYERS in this script: " + ", ".join(unknown))

    edges = defaultdict(int)
    for a, targets in graph.items():
        for b in targets:
            if top(a) != top(b):
                edges[(top(a), top(b))] += 1
    print("\nmodule-level dependency direction (a -> b: a uses b; count of module pairs):")
    for i, (layer, members) in enumerate(LAYERS):
        for t in sorted(members):
            outs = sorted((b, n) for (a, b), n in edges.items() if a == t)
            listed = ", ".join(f"{b} ({n})" for b, n in outs) or "nothing in the widget"
            print(f"  [{layer}] {t} -> {listed}")
    for (a, b), n in sorted(edges.items()):
        if a in layer_of and b in layer_of and layer_of[a] > layer_of[b]:
            ok = False
            print(f"layering broken: {a} ({LAYERS[layer_of[a]][0]}) uses {b} "
                  f"({LAYERS[layer_of[b]][0]})")
        if layer_of.get(a) == layer_of.get(b) and (b, a) in edges and a < b:
            ok = False
            print(f"two rooms use each other: {a} <-> {b}")

    comp_edges = sorted(
        (name(a), name(b))
        for a, targets in graph.items()
        for b in targets
        if top(a) == "components" and top(b) == "components" and a[:2] != b[:2]
    )
    print("\nbetween components (a -> b):")
    for a, b in comp_edges:
        print(f"  {a} -> {b}")

    bad_tests = []
    for n in sorted(os.listdir(TESTS)):
        if not n.endswith(".rs"):
            continue
        with open(os.path.join(TESTS, n), encoding="utf-8") as f:
            text = f.read()
        if '#![cfg(target_arch = "wasm32")]' in text:
            continue  # browser tests of the components themselves (tests/web.rs)
        if imports_component(strip(text)):
            bad_tests.append(n)
    if bad_tests:
        ok = False
        print("\nnative tests that import a component module: " + ", ".join(bad_tests))
    else:
        print("\nnative tests in tests/ import no component module")

    return 0 if ok else 1


COMPONENT_ROOMS = re.compile(r"^(components|app|staff_app)\b")


def imports_component(text):
    """Whether `text` names a component room through the crate: `trygghetskarta::components::x`,
    or inside a group, `trygghetskarta::{model::y, components::x}` (top-level items only)."""
    for m in re.finditer(r"trygghetskarta::", text):
        rest = text[m.end():]
        if not rest.startswith("{"):
            if COMPONENT_ROOMS.match(rest):
                return True
            continue
        depth, item = 0, ""
        for ch in rest:
            if ch == "{":
                depth += 1
                if depth == 1:
                    continue
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    if COMPONENT_ROOMS.match(item.strip()):
                        return True
                    break
            if depth == 1 and ch == ",":
                if COMPONENT_ROOMS.match(item.strip()):
                    return True
                item = ""
            else:
                item += ch
    return False


if __name__ == "__main__":
    sys.exit(main())
