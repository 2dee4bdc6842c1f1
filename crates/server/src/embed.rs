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

/// The attributes of an HTML start tag's text (after its name, up to `>`), quoted or not and
/// with or without spaces around `=`, as a minifier or a hand may leave them. Names as written.
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
        if name.is_empty() {
            break;
        }
        rest = rest[end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
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
        out.push((name, value));
        rest = rest.trim_start();
    }
    out
}

/// Finds the widget's script, wasm and stylesheet in Trunk's `index.html`, minified or not.
pub fn assets_from_index(html: &str) -> Option<WidgetAssets> {
    let js = quoted_after(html, "* as bindings from ")?;
    let wasm = quoted_after(html, "module_or_path: ")?;
    // ASCII lower-casing keeps every byte where it was, so positions found in `lower` hold in
    // `html`.
    let lower = html.to_ascii_lowercase();
    let css = lower.match_indices("<link").find_map(|(at, _)| {
        let attrs = attributes(&html[at + "<link".len()..]);
        let value = |n: &str| {
            attrs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| *v)
        };
        value("rel")
            .is_some_and(|rel| {
                rel.split_ascii_whitespace()
                    .any(|t| t.eq_ignore_ascii_case("stylesheet"))
            })
            .then(|| value("href"))
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
        // And as a hand may write it: upper case, spaces around `=`, more than one `rel`.
        let by_hand = html.replace(
            "<link href=/style-50fc.css integrity=sha384-P5+/x= \
             rel=stylesheet>",
            "<LINK REL = 'preload Stylesheet' HREF = \"/style-50fc.css\">",
        );
        assert_ne!(by_hand, html);
        assert_eq!(assets_from_index(&by_hand).unwrap(), a);
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
