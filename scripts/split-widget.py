#!/usr/bin/env python3
"""Splits the residents' widget into its first screen and the parts loaded when opened.

Trunk's post_build hook (Trunk.toml). Trunk 0.21 cannot run a step between `cargo build` and
`wasm-bindgen` (its issue #1022), so this redoes that part the way cargo-leptos `--split` does,
from the wasm cargo built for Trunk (index.html, bin trygghetskarta):

1. `wasm-split-cli` (crate wasm_split_cli_support, installed by scripts/setup.sh) cuts the wasm at
   the `wasm_split` points (`components::lazy`): a main module and one module per part (plus
   chunks of code two parts share), and `__wasm_split.js`, which fetches a part when it is first
   called. The build needs `-Clink-args=--emit-relocs` (scripts/build-widget.sh sets it).
2. `wasm-bindgen --keep-lld-exports` on the main module (the parts link to its exports).
3. `wasm-opt -Oz` on every module (release).
4. Into Trunk's staging dir, under Trunk's hashed name `trygghetskarta-HASH`: the JS and wasm
   Trunk wrote are replaced, the parts are `trygghetskarta-HASH-split_NAME.wasm` and the loader
   `trygghetskarta-HASH-split.js` (so a page never mixes parts of two builds), and the
   integrity values in index.html are those of the new files.

For staff.html (bin trygghetskarta-staff, not split) the relocations are dropped from cargo's
wasm and it gets the same wasm-bindgen and wasm-opt, so it is as small as before the split.
Trunk's own wasm-opt is off (`data-wasm-opt="0"`): this hook runs it on what is served.

Run it through scripts/build-widget.sh (or `trunk build` with the same RUSTFLAGS).
"""

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BINS = {"index.html": "trygghetskarta", "staff.html": "trygghetskarta-staff"}


def sri(path: Path) -> str:
    digest = hashlib.sha384(path.read_bytes()).digest()
    return "sha384-" + base64.b64encode(digest).decode()


def has_relocs(wasm: bytes) -> bool:
    # A custom section named "reloc.CODE" is what --emit-relocs leaves.
    return b"reloc.CODE" in wasm


def run(*args: str) -> None:
    subprocess.run(args, check=True)


def uleb(data: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def without_relocs(wasm: bytes) -> bytes:
    """The module without the custom sections --emit-relocs adds (reloc.*, linking)."""
    out, i = bytearray(wasm[:8]), 8
    while i < len(wasm):
        start = i
        section_id = wasm[i]
        size, body = uleb(wasm, i + 1)
        i = body + size
        if section_id == 0:
            name_len, name_at = uleb(wasm, body)
            name = wasm[name_at : name_at + name_len]
            if name.startswith(b"reloc.") or name == b"linking":
                continue
        out += wasm[start:i]
    return bytes(out)


def main() -> int:
    html_file = Path(os.environ.get("TRUNK_HTML_FILE", ""))
    if html_file.name not in BINS:
        return 0
    name = BINS[html_file.name]
    split = html_file.name == "index.html"
    staging = Path(os.environ["TRUNK_STAGING_DIR"])
    profile = os.environ.get("TRUNK_PROFILE", "release")
    # Trunk's release build compiles the widget with the `wasm-release` cargo profile
    # (`data-cargo-profile-release` in the HTML; the server keeps `release`).
    cargo_profile = "wasm-release" if profile == "release" else profile
    source = Path(os.environ.get("TRUNK_SOURCE_DIR", "."))
    target_dir = Path(os.environ.get("CARGO_TARGET_DIR", source / "target"))
    wasm = target_dir / "wasm32-unknown-unknown" / cargo_profile / f"{name}.wasm"
    if split and not has_relocs(wasm.read_bytes()):
        sys.exit(
            f"split-widget: {wasm} has no relocations; build with scripts/build-widget.sh "
            "(RUSTFLAGS must contain -Clink-args=--emit-relocs)"
        )
    if split and b"__wasm_split_00" not in wasm.read_bytes():
        sys.exit(f"split-widget: {wasm} has no parts; index.html builds it with the `parts` feature")

    index = staging / "index.html"
    html = index.read_text()
    found = re.search(rf"/({name}-[0-9a-f]+)\.js", html)
    if not found:
        sys.exit(f"split-widget: no {name}-HASH.js in {index}")
    hashed = found.group(1)
    js_out, wasm_out = staging / f"{hashed}.js", staging / f"{hashed}_bg.wasm"
    old_sri = {p: sri(p) for p in (js_out, wasm_out)}
    loader = f"{hashed}-split.js"

    with tempfile.TemporaryDirectory(prefix="split-widget-") as tmp:
        tmp = Path(tmp)
        split_dir, bindgen_dir = tmp / "split", tmp / "bindgen"
        split_dir.mkdir()
        if split:
            run("wasm-split-cli", str(wasm), str(split_dir), "--target", "web", "--out-name", name)
            bindgen = ["--keep-lld-exports"]
        else:
            (split_dir / f"{name}.wasm").write_bytes(without_relocs(wasm.read_bytes()))
            bindgen = []
        # TK_WASM_NAMES=1 keeps function names (a bigger wasm, for bench/profile.mjs's
        # PROFILE_CPU=1); never for a build that is served.
        names = os.environ.get("TK_WASM_NAMES") == "1"
        if names:
            print("split-widget: TK_WASM_NAMES=1, function names kept: a diagnostic build, do not serve it")
        run(
            "wasm-bindgen", "--target", "web", *bindgen, *(["--keep-debug"] if names else []),
            "--no-typescript",
            f"--out-dir={bindgen_dir}", f"--out-name={name}", str(split_dir / f"{name}.wasm"),
        )
        parts = sorted(p for p in split_dir.glob("*.wasm") if p.name != f"{name}.wasm")
        modules = [bindgen_dir / f"{name}_bg.wasm", *parts]
        if profile == "release":
            for module in modules:
                run("wasm-opt", "-Oz", *(["-g"] if names else []), str(module), "-o", str(module))

        js = (bindgen_dir / f"{name}.js").read_text()
        if split:
            # The loader: parts under hashed names, and the main JS under Trunk's name.
            link = (split_dir / "__wasm_split.js").read_text()
            for part in parts:
                link = link.replace(f'"./{part.name}"', f'"./{hashed}-{part.name}"')
                shutil.copyfile(part, staging / f"{hashed}-{part.name}")
            link = link.replace(f'"./{name}.js"', f'"./{hashed}.js"')
            (staging / loader).write_text(link)
            # Only the JS imports name the file; the wasm's import module stays "./__wasm_split.js".
            imports = re.compile(r"""(\bfrom\s*)(["'])\./__wasm_split\.js\2""")
            js, n = imports.subn(lambda m: f"{m.group(1)}{m.group(2)}./{loader}{m.group(2)}", js)
            if n == 0:
                sys.exit("split-widget: the main module does not import ./__wasm_split.js")
        js = js.replace(f"'{name}_bg.wasm'", f"'{hashed}_bg.wasm'")
        js_out.write_text(js)
        shutil.copyfile(bindgen_dir / f"{name}_bg.wasm", wasm_out)

    if profile == "release":
        # Trunk's own JS minification ran on the JS this hook has just replaced.
        terser = Path(source / "scripts/tools/node_modules/terser/bin/terser")
        for path in [js_out, *([staging / loader] if split else [])]:
            run("node", str(terser), str(path), "--module", "--compress", "--mangle", "-o", str(path))

    for path, old in old_sri.items():
        if old not in html:
            sys.exit(f"split-widget: the integrity of {path.name} is not in {index}")
        html = html.replace(old, sri(path))
    if split:
        # The main JS imports the loader; preload it with it rather than one round trip later.
        public = os.environ.get("TRUNK_PUBLIC_URL", "/")
        preload = (
            f'<link rel="modulepreload" href="{public}{loader}" crossorigin="anonymous" '
            f'integrity="{sri(staging / loader)}">'
        )
        html = html.replace("</head>", f"{preload}</head>", 1)
    index.write_text(html)
    sizes = ", ".join(f"{p.name} {p.stat().st_size}" for p in sorted(staging.glob(f"{hashed}*")))
    print(f"split-widget: {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
