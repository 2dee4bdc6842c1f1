//! Precompressed widget files: Brotli at quality 11 and gzip at level 9, made once at build
//! time beside each file (`app.wasm.br`, `app.wasm.gz`), so the server never compresses them per
//! request and a phone gets the smallest form its browser takes.

use std::io::Write;
use std::path::Path;

/// File endings worth compressing (text and wasm; images are compressed already).
const ENDINGS: [&str; 8] = ["wasm", "js", "css", "html", "geojson", "json", "svg", "tkb"];

/// What [`dir`] did: files and bytes before, and the totals of each variant.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Done {
    pub files: usize,
    pub bytes: u64,
    pub br: u64,
    pub gzip: u64,
}

pub fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        w.write_all(data).expect("writing to memory");
    }
    out
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(data).expect("writing to memory");
    gz.finish().expect("writing to memory")
}

/// Compresses every file under `root` (recursively) with a compressible ending.
pub fn dir(root: &Path) -> Result<Done, String> {
    let mut done = Done::default();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default();
            if !ENDINGS.contains(&ext) {
                continue;
            }
            let data = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let (br, gz) = (brotli(&data), gzip(&data));
            let with = |suffix: &str| {
                let mut name = path.clone().into_os_string();
                name.push(suffix);
                name
            };
            std::fs::write(with(".br"), &br).map_err(|e| e.to_string())?;
            std::fs::write(with(".gz"), &gz).map_err(|e| e.to_string())?;
            done.files += 1;
            done.bytes += data.len() as u64;
            done.br += br.len() as u64;
            done.gzip += gz.len() as u64;
        }
    }
    Ok(done)
}
