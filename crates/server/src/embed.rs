//! Embedding on the kommun's pages.
//!
//! - Script embed: `/embed.js`, made from the built widget's `index.html` (Trunk puts content
//!   hashes in the file names), loads the residents' widget from this server into every
//!   `[data-trygghetskarta]` element of the host page. The widget then mounts in a shadow root
//!   with its own stylesheet, so the host's CSS and the widget's never meet.
//! - Iframe embed: `/embed` serves the same widget page; in a frame the widget tells the parent
//!   its height through `postMessage` (see `docs/EMBEDDING.md`).

/// The hashed file names of the residents' widget, as `index.html` references them.
#[derive(Debug, Clone, PartialEq)]
pub struct WidgetAssets {
    pub js: String,
    pub wasm: String,
    pub css: String,
}

fn quoted_after<'a>(html: &'a str, marker: &str) -> Option<&'a str> {
    let rest = &html[html.find(marker)? + marker.len()..];
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let rest = &rest[1..];
    Some(&rest[..rest.find(quote)?])
}

/// The attributes of an HTML start tag's text (after its name, up to `>`), quoted or not, as a
/// minifier may leave them.
fn attributes(tag: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = tag.trim_start();
    while let Some(c) = rest.chars().next() {
        if c == '>' || c == '/' {
            break;
        }
        let end = rest
            .find(|c: char| c == '=' || c == '>' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = &rest[..end];
        rest = &rest[end..];
        let value = if let Some(after) = rest.strip_prefix('=') {
            match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = after[1..].find(q).map_or(after.len(), |i| i + 1);
                    rest = after.get(close + 1..).unwrap_or("");
                    &after[1..close]
                }
                _ => {
                    let end = after
                        .find(|c: char| c == '>' || c.is_whitespace())
                        .unwrap_or(after.len());
                    rest = &after[end..];
                    &after[..end]
                }
            }
        } else {
            ""
        };
        if name.is_empty() {
            break;
        }
        out.push((name, value));
        rest = rest.trim_start();
    }
    out
}

/// Finds the widget's script, wasm and stylesheet in Trunk's `index.html`, minified or not.
pub fn assets_from_index(html: &str) -> Option<WidgetAssets> {
    let js = quoted_after(html, "* as bindings from ")?;
    let wasm = quoted_after(html, "module_or_path: ")?;
    let css = html.split("<link").skip(1).find_map(|tag| {
        let attrs = attributes(tag);
        let has = |n: &str, v: &str| attrs.iter().any(|(k, x)| *k == n && *x == v);
        has("rel", "stylesheet")
            .then(|| attrs.iter().find(|(k, _)| *k == "href").map(|(_, v)| *v))
            .flatten()
    })?;
    Some(WidgetAssets {
        js: js.to_owned(),
        wasm: wasm.to_owned(),
        css: css.to_owned(),
    })
}

/// The loader the host page includes with `<script type="module" src=".../embed.js">`.
pub fn embed_js(a: &WidgetAssets) -> String {
    format!(
        r#"// Trygghetskartan, script embed. On the host page:
//   <div data-trygghetskarta data-lang="sv"></div>
//   <script type="module" src="https://<this server>/embed.js"></script>
// The widget mounts into each [data-trygghetskarta] element, in a shadow root with its own styles.
const origin = new URL(import.meta.url).origin;
for (const host of document.querySelectorAll('[data-trygghetskarta]')) {{
  if (!host.dataset.api) host.dataset.api = origin;
  host.dataset.stylesheet = origin + {css:?};
}}
const {{ default: init }} = await import(origin + {js:?});
await init({{ module_or_path: origin + {wasm:?} }});
"#,
        css = a.css,
        js = a.js,
        wasm = a.wasm
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = r#"<script type="module">
import init, * as bindings from '/trygghetskarta-c409.js';
const wasm = await init({ module_or_path: '/trygghetskarta-c409_bg.wasm' });
</script>
    <link rel="stylesheet" href="/style-50fc.css" integrity="sha384-x"/>"#;

    #[test]
    fn the_hashed_assets_are_found_in_trunks_index() {
        let a = assets_from_index(INDEX).unwrap();
        assert_eq!(a.js, "/trygghetskarta-c409.js");
        assert_eq!(a.wasm, "/trygghetskarta-c409_bg.wasm");
        assert_eq!(a.css, "/style-50fc.css");
        let js = embed_js(&a);
        assert!(
            js.contains(r#"import(origin + "/trygghetskarta-c409.js")"#),
            "{js}"
        );
        assert!(assets_from_index("<html></html>").is_none());
    }

    #[test]
    fn a_minified_index_is_read_the_same() {
        // As Trunk's release build writes it: attributes unquoted and in another order.
        let html = "<!doctype html><html lang=sv><script type=module>import init, * as bindings \
            from '/trygghetskarta-c409.js';\nconst wasm = await init({ module_or_path: \
            '/trygghetskarta-c409_bg.wasm' });</script><link href=\"data:image/svg+xml,%3Csvg \
            x='1'%3E\" rel=icon><link href=/style-50fc.css integrity=sha384-P5+/x= \
            rel=stylesheet><link crossorigin href=/trygghetskarta-c409.js rel=modulepreload>";
        let a = assets_from_index(html).unwrap();
        assert_eq!(
            (a.js.as_str(), a.wasm.as_str(), a.css.as_str()),
            (
                "/trygghetskarta-c409.js",
                "/trygghetskarta-c409_bg.wasm",
                "/style-50fc.css"
            )
        );
    }
}
