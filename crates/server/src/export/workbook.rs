//! A streaming XLSX writer for our exports: a zip of SpreadsheetML parts, written as the rows
//! arrive, with every part deflated on a second thread while the caller formats the next rows.
//!
//! It writes what our sheets use and nothing else: inline strings, numbers, booleans and
//! date-times; four cell styles (plain, bold, date-time, degrees); column widths, a frozen
//! header row and a filter over the whole table. The parts follow what Excel itself and
//! rust_xlsxwriter write (element order, the `_xHHHH_` escapes, `xml:space="preserve"`), so
//! Excel, LibreOffice, calamine and QGIS read it as they read theirs.
//!
//! Why not rust_xlsxwriter for the pins: at 100 000 pins it spent 2 s on one core (rows into a
//! temporary file, a format lookup per cell, then deflate of the whole sheet at the end); here
//! the formatting and the deflate overlap, and nothing is written twice.

use std::io::{self, Seek, SeekFrom, Write};
use std::sync::mpsc;
use std::thread;

/// The cell styles of our workbooks (indexes into `cellXfs` in [`STYLES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain = 0,
    Bold = 1,
    /// `yyyy-mm-dd hh:mm`, aligned left as the text beside it.
    DateTime = 2,
    /// `0.000000`: coordinates to a decimetre.
    Degrees = 3,
}

/// Deflate level of the parts (1 fastest … 9). Excel writes its own files at about 3.
const LEVEL: u32 = 3;
/// Bytes of XML handed to the deflate thread at a time.
const CHUNK: usize = 1 << 17;
/// The last row Excel can show (1-based).
pub const MAX_ROWS: u32 = 1_048_576;
/// The most characters a cell holds.
pub const MAX_CHARS: usize = 32_767;

/// A workbook being written to `out`. Sheets are written one after the other, each to the end,
/// in the order of the names given to [`Book::new`].
pub struct Book<W: Write + Seek + Send + 'static> {
    zip: Zip<W>,
    names: Vec<String>,
    /// Per written sheet: the filter's last row and column, if it has one.
    filters: Vec<Option<(u32, u16)>>,
}

impl<W: Write + Seek + Send + 'static> Book<W> {
    /// Starts a workbook with these sheets (names as Excel shows them on the tabs).
    pub fn new(out: W, sheet_names: &[&str]) -> io::Result<Self> {
        let mut zip = Zip::new(out);
        let n = sheet_names.len();
        zip.part("[Content_Types].xml", content_types(n).as_bytes())?;
        zip.part("_rels/.rels", ROOT_RELS.as_bytes())?;
        Ok(Book {
            zip,
            names: sheet_names.iter().map(|s| (*s).to_owned()).collect(),
            filters: Vec::new(),
        })
    }

    /// Starts the next sheet: `widths` are (column, width in characters); `freeze_header`
    /// keeps row 1 in view while scrolling.
    pub fn sheet(
        &mut self,
        widths: &[(u16, f64)],
        freeze_header: bool,
    ) -> io::Result<Sheet<'_, W>> {
        let i = self.filters.len();
        if i >= self.names.len() {
            return Err(io::Error::other("more sheets than names"));
        }
        let entry = self
            .zip
            .start(format!("xl/worksheets/sheet{}.xml", i + 1))?;
        let mut sheet = Sheet {
            book: self,
            entry: Some(entry),
            buf: Vec::with_capacity(CHUNK + 4096),
            row: 0,
            in_row: false,
        };
        sheet.head(i == 0, widths, freeze_header);
        Ok(sheet)
    }

    /// Writes the workbook's remaining parts and the zip's directory; gives back `out`.
    pub fn finish(mut self) -> io::Result<W> {
        if self.filters.len() != self.names.len() {
            return Err(io::Error::other("a sheet was named but not written"));
        }
        let workbook = workbook_xml(&self.names, &self.filters);
        self.zip.part("xl/workbook.xml", workbook.as_bytes())?;
        self.zip.part(
            "xl/_rels/workbook.xml.rels",
            workbook_rels(self.names.len()).as_bytes(),
        )?;
        self.zip.part("xl/styles.xml", STYLES.as_bytes())?;
        self.zip.part("xl/theme/theme1.xml", THEME.as_bytes())?;
        self.zip.finish()
    }
}

/// One sheet being written: rows in order, cells in column order within a row.
pub struct Sheet<'b, W: Write + Seek + Send + 'static> {
    book: &'b mut Book<W>,
    entry: Option<Entry<W>>,
    buf: Vec<u8>,
    /// The current row, 1-based (0 before the first).
    row: u32,
    in_row: bool,
}

impl<W: Write + Seek + Send + 'static> Sheet<'_, W> {
    fn head(&mut self, first: bool, widths: &[(u16, f64)], freeze: bool) {
        let b = &mut self.buf;
        b.extend_from_slice(
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetViews><sheetView "#,
        );
        if first {
            b.extend_from_slice(br#"tabSelected="1" "#);
        }
        b.extend_from_slice(br#"workbookViewId="0""#);
        if freeze {
            b.extend_from_slice(
                br#"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView>"#,
            );
        } else {
            b.extend_from_slice(b"/>");
        }
        b.extend_from_slice(br#"</sheetViews><sheetFormatPr defaultRowHeight="15"/>"#);
        if !widths.is_empty() {
            b.extend_from_slice(b"<cols>");
            for &(col, w) in widths {
                let _ = write!(
                    b,
                    r#"<col min="{c}" max="{c}" width="{w}" customWidth="1"/>"#,
                    c = col + 1,
                    w = excel_width(w)
                );
            }
            b.extend_from_slice(b"</cols>");
        }
        b.extend_from_slice(b"<sheetData>");
    }

    /// Starts the next row. Fails past Excel's last row.
    pub fn row(&mut self) -> io::Result<()> {
        self.end_row();
        if self.row >= MAX_ROWS {
            return Err(io::Error::other(format!(
                "more than {MAX_ROWS} rows, the most Excel can open"
            )));
        }
        self.row += 1;
        self.buf.extend_from_slice(b"<row r=\"");
        push_u32(&mut self.buf, self.row);
        self.buf.extend_from_slice(b"\">");
        self.in_row = true;
        Ok(())
    }

    fn end_row(&mut self) {
        if self.in_row {
            self.buf.extend_from_slice(b"</row>");
            self.in_row = false;
        }
    }

    fn cell(&mut self, col: u16, style: Style, kind: &[u8]) {
        let b = &mut self.buf;
        b.extend_from_slice(b"<c r=\"");
        push_column(b, col);
        push_u32(b, self.row);
        b.push(b'"');
        if style != Style::Plain {
            b.extend_from_slice(b" s=\"");
            b.push(b'0' + style as u8);
            b.push(b'"');
        }
        b.extend_from_slice(kind);
    }

    /// A text cell (never a formula: inline strings are shown as they are). An empty text
    /// leaves the cell blank, as Excel does; a text longer than a cell holds is cut to
    /// [`MAX_CHARS`] ending in "…" (Excel would ask to repair the file).
    pub fn string(&mut self, col: u16, s: &str, style: Style) -> io::Result<()> {
        if s.is_empty() {
            return Ok(());
        }
        let cut;
        let s = match s.char_indices().nth(MAX_CHARS) {
            None => s,
            Some(_) => {
                let end = s
                    .char_indices()
                    .nth(MAX_CHARS - 1)
                    .map_or(s.len(), |(i, _)| i);
                cut = format!("{}…", &s[..end]);
                cut.as_str()
            }
        };
        self.cell(col, style, b" t=\"inlineStr\"><is><t");
        if s.starts_with(['\t', '\n', ' ']) || s.ends_with(['\t', '\n', ' ']) {
            self.buf.extend_from_slice(b" xml:space=\"preserve\"");
        }
        self.buf.push(b'>');
        push_text(&mut self.buf, s);
        self.buf.extend_from_slice(b"</t></is></c>");
        self.flush_chunk()
    }

    /// A number cell. NaN and infinities, which Excel cannot hold, are left empty.
    pub fn number(&mut self, col: u16, v: f64, style: Style) -> io::Result<()> {
        if !v.is_finite() {
            return Ok(());
        }
        self.cell(col, style, b"><v>");
        if v.fract() == 0.0 && v.abs() < 1e15 {
            push_i64(&mut self.buf, v as i64);
        } else {
            self.buf
                .extend_from_slice(ryu::Buffer::new().format_finite(v).as_bytes());
        }
        self.buf.extend_from_slice(b"</v></c>");
        self.flush_chunk()
    }

    /// A TRUE/FALSE cell.
    pub fn boolean(&mut self, col: u16, v: bool) -> io::Result<()> {
        self.cell(col, Style::Plain, b" t=\"b\"><v>");
        self.buf.push(if v { b'1' } else { b'0' });
        self.buf.extend_from_slice(b"</v></c>");
        self.flush_chunk()
    }

    /// A date-time cell (a serial day number shown with [`Style::DateTime`]).
    pub fn datetime(&mut self, col: u16, t: jiff::civil::DateTime) -> io::Result<()> {
        self.number(col, excel_serial(t), Style::DateTime)
    }

    fn flush_chunk(&mut self) -> io::Result<()> {
        if self.buf.len() >= CHUNK {
            let full = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK + 4096));
            self.entry
                .as_mut()
                .expect("an open sheet has its entry")
                .send(full)?;
        }
        Ok(())
    }

    /// Ends the sheet, with a filter on every column of the table if `filter_cols` is given
    /// (the number of columns). Returns the rows written, the header included.
    pub fn finish(mut self, filter_cols: Option<u16>) -> io::Result<u32> {
        self.end_row();
        self.buf.extend_from_slice(b"</sheetData>");
        let filter = filter_cols.map(|cols| (self.row.max(2), cols.max(1) - 1));
        if let Some((last_row, last_col)) = filter {
            self.buf.extend_from_slice(b"<autoFilter ref=\"A1:");
            push_column(&mut self.buf, last_col);
            push_u32(&mut self.buf, last_row);
            self.buf.extend_from_slice(b"\"/>");
        }
        self.buf.extend_from_slice(
            br#"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#,
        );
        let mut entry = self.entry.take().expect("an open sheet has its entry");
        entry.send(std::mem::take(&mut self.buf))?;
        self.book.zip.end(entry)?;
        self.book.filters.push(filter);
        Ok(self.row)
    }
}

/// Excel's column width for `chars` characters of the default font (what Excel stores when a
/// width is typed in; rust_xlsxwriter does the same).
fn excel_width(chars: f64) -> f64 {
    let max_digit_width = 7.0_f64;
    let padding = 5.0_f64;
    if chars <= 0.0 {
        return 0.0;
    }
    let pixels = if chars < 1.0 {
        (chars * (max_digit_width + padding)).round()
    } else {
        (chars * max_digit_width).round() + padding
    };
    ((pixels / max_digit_width * 256.0).trunc()) / 256.0
}

/// Days since 1899-12-30 plus the fraction of the day: Excel's date-time number.
fn excel_serial(t: jiff::civil::DateTime) -> f64 {
    let days = jiff::civil::date(1899, 12, 30)
        .until(t.date())
        .map_or(0, |span| span.get_days());
    let secs = i64::from(t.hour()) * 3600 + i64::from(t.minute()) * 60 + i64::from(t.second());
    f64::from(days) + secs as f64 / 86_400.0
}

fn push_u32(b: &mut Vec<u8>, v: u32) {
    b.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

fn push_i64(b: &mut Vec<u8>, v: i64) {
    b.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

/// Column letters: 0 → A, 25 → Z, 26 → AA.
fn push_column(b: &mut Vec<u8>, col: u16) {
    let mut n = u32::from(col) + 1;
    let mut letters = [0u8; 4];
    let mut i = letters.len();
    while n > 0 {
        i -= 1;
        letters[i] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    b.extend_from_slice(&letters[i..]);
}

/// Cell text as Excel writes it: XML escapes for `&<>`, `_xHHHH_` for the control characters
/// XML cannot carry, and a literal `_xHHHH_` in the text kept literal by escaping its `_`.
fn push_text(b: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        let esc: Option<&[u8]> = match c {
            b'&' => Some(b"&amp;"),
            b'<' => Some(b"&lt;"),
            b'>' => Some(b"&gt;"),
            b'\t' | b'\n' => None,
            0..=0x1f => Some(&[]),
            b'_' if is_escape_like(&bytes[i..]) => Some(b"_x005F"),
            0xEF if bytes[i..].starts_with("\u{FFFE}".as_bytes())
                || bytes[i..].starts_with("\u{FFFF}".as_bytes()) =>
            {
                Some(&[])
            }
            _ => None,
        };
        let Some(esc) = esc else { continue };
        b.extend_from_slice(&bytes[start..i]);
        if esc.is_empty() {
            // A control character or U+FFFE/U+FFFF: _xHHHH_ instead of the character.
            let (code, len) = if c == 0xEF {
                (
                    if bytes[i + 2] == 0xBE {
                        0xFFFEu32
                    } else {
                        0xFFFF
                    },
                    3,
                )
            } else {
                (u32::from(c), 1)
            };
            let _ = write!(b, "_x{code:04X}_");
            start = i + len;
        } else {
            b.extend_from_slice(esc);
            // `_x005F` is followed by the original `_xHHHH_`, so the `_` itself is kept.
            start = if c == b'_' { i } else { i + 1 };
        }
    }
    b.extend_from_slice(&bytes[start..]);
}

/// `_xHHHH_` with four hex digits: what a reader would take for an escape.
fn is_escape_like(s: &[u8]) -> bool {
    s.len() >= 7 && s[1] == b'x' && s[2..6].iter().all(u8::is_ascii_hexdigit) && s[6] == b'_'
}

// --- The zip container --------------------------------------------------------------------

/// A zip written front to back; each entry's sizes and CRC are patched into its header once
/// the entry is done, so no data descriptors (which some readers mishandle) are needed.
struct Zip<W: Write + Seek + Send + 'static> {
    out: Option<W>,
    /// Bytes written so far (the next entry's offset).
    pos: u64,
    dir: Vec<DirEntry>,
}

struct DirEntry {
    name: String,
    offset: u32,
    crc: u32,
    compressed: u32,
    size: u32,
}

/// An entry being deflated on its own thread.
struct Entry<W> {
    name: String,
    offset: u64,
    tx: Option<mpsc::SyncSender<Vec<u8>>>,
    done: Option<thread::JoinHandle<io::Result<Deflated<W>>>>,
}

struct Deflated<W> {
    out: W,
    crc: u32,
    compressed: u64,
    size: u64,
}

impl<W> Entry<W> {
    /// Hands `chunk` to the deflate thread. If the thread has stopped (its output failed: a
    /// full disk), its error ends the sheet now rather than after every row is formatted.
    fn send(&mut self, chunk: Vec<u8>) -> io::Result<()> {
        if self.tx.as_ref().is_some_and(|tx| tx.send(chunk).is_ok()) {
            return Ok(());
        }
        self.tx = None;
        match self.done.take().map(thread::JoinHandle::join) {
            Some(Ok(Err(e))) => Err(e),
            Some(Err(_)) => Err(io::Error::other("the deflate thread panicked")),
            _ => Err(io::Error::other("the deflate thread stopped early")),
        }
    }
}

/// Counts what goes through to the file.
struct Counting<W> {
    inner: W,
    n: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.n += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_DIR: u32 = 0x0605_4b50;
/// 1980-01-01 00:00 in MS-DOS form: the files carry no time, so the same data gives the same
/// bytes.
const DOS_DATE: u16 = (1 << 5) | 1;

impl<W: Write + Seek + Send + 'static> Zip<W> {
    fn new(out: W) -> Self {
        Zip {
            out: Some(out),
            pos: 0,
            dir: Vec::new(),
        }
    }

    fn out(&mut self) -> &mut W {
        self.out
            .as_mut()
            .expect("the zip's output is here between entries")
    }

    /// Writes a whole small part.
    fn part(&mut self, name: &str, data: &[u8]) -> io::Result<()> {
        let mut e = self.start(name.to_owned())?;
        e.send(data.to_vec())?;
        self.end(e)
    }

    /// Writes the entry's local header and hands the output to a deflate thread.
    fn start(&mut self, name: String) -> io::Result<Entry<W>> {
        let offset = self.pos;
        let mut h = Vec::with_capacity(30 + name.len());
        h.extend_from_slice(&LOCAL_HEADER.to_le_bytes());
        h.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0 (deflate)
        h.extend_from_slice(&0u16.to_le_bytes()); // flags
        h.extend_from_slice(&8u16.to_le_bytes()); // deflate
        h.extend_from_slice(&0u16.to_le_bytes()); // time
        h.extend_from_slice(&DOS_DATE.to_le_bytes());
        h.extend_from_slice(&[0; 12]); // crc, sizes: patched in `end`
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes()); // extra
        h.extend_from_slice(name.as_bytes());
        self.out().write_all(&h)?;
        self.pos += h.len() as u64;

        let out = self.out.take().expect("one entry at a time");
        let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(4);
        let done = thread::Builder::new()
            .name("tk-xlsx-deflate".into())
            .spawn(move || deflate(rx, out))?;
        Ok(Entry {
            name,
            offset,
            tx: Some(tx),
            done: Some(done),
        })
    }

    /// Waits for the entry's data, then patches its header.
    fn end(&mut self, mut e: Entry<W>) -> io::Result<()> {
        e.tx = None;
        let d = e
            .done
            .take()
            .expect("an entry ends once")
            .join()
            .map_err(|_| io::Error::other("the deflate thread panicked"))??;
        let mut out = d.out;
        let (compressed, size) = match (u32::try_from(d.compressed), u32::try_from(d.size)) {
            (Ok(c), Ok(s)) => (c, s),
            _ => return Err(io::Error::other("a part larger than 4 GiB")),
        };
        let offset = u32::try_from(e.offset).map_err(|_| io::Error::other("zip over 4 GiB"))?;
        let end = self.pos + d.compressed;
        out.seek(SeekFrom::Start(e.offset + 14))?;
        out.write_all(&d.crc.to_le_bytes())?;
        out.write_all(&compressed.to_le_bytes())?;
        out.write_all(&size.to_le_bytes())?;
        out.seek(SeekFrom::Start(end))?;
        self.out = Some(out);
        self.pos = end;
        self.dir.push(DirEntry {
            name: e.name,
            offset,
            crc: d.crc,
            compressed,
            size,
        });
        Ok(())
    }

    fn finish(mut self) -> io::Result<W> {
        let start = self.pos;
        let mut d = Vec::new();
        for e in &self.dir {
            d.extend_from_slice(&CENTRAL_HEADER.to_le_bytes());
            d.extend_from_slice(&20u16.to_le_bytes()); // made by: 2.0, MS-DOS attributes
            d.extend_from_slice(&20u16.to_le_bytes()); // needed
            d.extend_from_slice(&0u16.to_le_bytes()); // flags
            d.extend_from_slice(&8u16.to_le_bytes()); // deflate
            d.extend_from_slice(&0u16.to_le_bytes());
            d.extend_from_slice(&DOS_DATE.to_le_bytes());
            d.extend_from_slice(&e.crc.to_le_bytes());
            d.extend_from_slice(&e.compressed.to_le_bytes());
            d.extend_from_slice(&e.size.to_le_bytes());
            d.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            d.extend_from_slice(&[0; 12]); // extra, comment, disk, internal and external attributes
            d.extend_from_slice(&e.offset.to_le_bytes());
            d.extend_from_slice(e.name.as_bytes());
        }
        let start32 = u32::try_from(start).map_err(|_| io::Error::other("zip over 4 GiB"))?;
        let dir_size = d.len() as u32;
        let count = self.dir.len() as u16;
        d.extend_from_slice(&END_OF_DIR.to_le_bytes());
        d.extend_from_slice(&[0; 4]); // this disk, the directory's disk
        d.extend_from_slice(&count.to_le_bytes());
        d.extend_from_slice(&count.to_le_bytes());
        d.extend_from_slice(&dir_size.to_le_bytes());
        d.extend_from_slice(&start32.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes()); // comment
        let mut out = self.out.take().expect("no entry is open");
        out.write_all(&d)?;
        out.flush()?;
        Ok(out)
    }
}

/// The deflate thread: CRC and raw deflate of every chunk, straight into the output.
fn deflate<W: Write>(rx: mpsc::Receiver<Vec<u8>>, out: W) -> io::Result<Deflated<W>> {
    let mut crc = crc32fast::Hasher::new();
    let mut size = 0u64;
    let mut z = flate2::write::DeflateEncoder::new(
        Counting { inner: out, n: 0 },
        flate2::Compression::new(LEVEL),
    );
    for chunk in rx {
        crc.update(&chunk);
        size += chunk.len() as u64;
        z.write_all(&chunk)?;
    }
    let counted = z.finish()?;
    Ok(Deflated {
        out: counted.inner,
        crc: crc.finalize(),
        compressed: counted.n,
        size,
    })
}

// --- The fixed parts ------------------------------------------------------------------------

const XML_DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
"#;

fn content_types(sheets: usize) -> String {
    let mut s = String::from(XML_DECL);
    s.push_str(
        r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>"#,
    );
    for i in 1..=sheets {
        s.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        ));
    }
    s.push_str(
        r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#,
    );
    s
}

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

fn workbook_rels(sheets: usize) -> String {
    let mut s = String::from(XML_DECL);
    s.push_str(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for i in 1..=sheets {
        s.push_str(&format!(
            r#"<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>"#
        ));
    }
    s.push_str(&format!(
        r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/><Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#,
        sheets + 1,
        sheets + 2
    ));
    s
}

/// `workbook.xml`: the sheets in order and each filter's range (Excel keeps a filter's range
/// as the hidden name `_xlnm._FilterDatabase` of its sheet).
fn workbook_xml(names: &[String], filters: &[Option<(u32, u16)>]) -> String {
    let mut s = String::from(XML_DECL);
    s.push_str(
        r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><fileVersion appName="xl" lastEdited="4" lowestEdited="4" rupBuild="4505"/><workbookPr defaultThemeVersion="124226"/><bookViews><workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews><sheets>"#,
    );
    for (i, name) in names.iter().enumerate() {
        let mut esc = Vec::new();
        push_attr(&mut esc, name);
        s.push_str(&format!(
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            String::from_utf8_lossy(&esc),
            n = i + 1
        ));
    }
    s.push_str("</sheets>");
    if filters.iter().any(Option::is_some) {
        s.push_str("<definedNames>");
        for (i, (name, f)) in names.iter().zip(filters).enumerate() {
            let Some((last_row, last_col)) = f else {
                continue;
            };
            let mut range = Vec::new();
            range.push(b'\'');
            range.extend_from_slice(name.replace('\'', "''").as_bytes());
            range.extend_from_slice(b"'!$A$1:$");
            push_column(&mut range, *last_col);
            range.push(b'$');
            push_u32(&mut range, *last_row);
            let mut esc = Vec::new();
            push_attr(&mut esc, &String::from_utf8_lossy(&range));
            s.push_str(&format!(
                r#"<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">{}</definedName>"#,
                String::from_utf8_lossy(&esc)
            ));
        }
        s.push_str("</definedNames>");
    }
    s.push_str(r#"<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>"#);
    s
}

/// Text in an attribute or element where `"` must be escaped too.
fn push_attr(b: &mut Vec<u8>, s: &str) {
    for c in s.bytes() {
        match c {
            b'&' => b.extend_from_slice(b"&amp;"),
            b'<' => b.extend_from_slice(b"&lt;"),
            b'>' => b.extend_from_slice(b"&gt;"),
            b'"' => b.extend_from_slice(b"&quot;"),
            _ => b.push(c),
        }
    }
}

/// The four cell styles of [`Style`], in its order.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/><numFmt numFmtId="165" formatCode="0.000000"/></numFmts><fonts count="2"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font><font><b/><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment horizontal="left"/></xf><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/></styleSheet>"#;

/// Office's default theme, which the styles' `theme="1"` colour and `minor` font refer to
/// (the 2007 theme as rust_xlsxwriter writes it).
const THEME: &str = include_str!("theme1.xml");

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    #[test]
    fn columns_are_lettered_as_excel_does() {
        let name = |c| {
            let mut b = Vec::new();
            push_column(&mut b, c);
            String::from_utf8(b).unwrap()
        };
        assert_eq!(name(0), "A");
        assert_eq!(name(19), "T");
        assert_eq!(name(25), "Z");
        assert_eq!(name(26), "AA");
        assert_eq!(name(701), "ZZ");
        assert_eq!(name(702), "AAA");
        assert_eq!(name(16_383), "XFD");
    }

    #[test]
    fn text_is_escaped_as_excel_writes_it() {
        let text = |s: &str| {
            let mut b = Vec::new();
            push_text(&mut b, s);
            String::from_utf8(b).unwrap()
        };
        assert_eq!(text("a & b <c>"), "a &amp; b &lt;c&gt;");
        assert_eq!(text("rad 1\nrad 2\t\"x\""), "rad 1\nrad 2\t\"x\"");
        assert_eq!(text("a\u{1}b\rc"), "a_x0001_b_x000D_c");
        assert_eq!(text("_x0041_ and _x12_"), "_x005F_x0041_ and _x12_");
        assert_eq!(text("x\u{FFFF}y\u{FFFE}"), "x_xFFFF_y_xFFFE_");
        assert_eq!(text("Åtgärd 🚌 _"), "Åtgärd 🚌 _");
    }

    #[test]
    fn a_text_longer_than_a_cell_holds_is_cut_with_an_ellipsis() {
        let mut book = Book::new(Cursor::new(Vec::new()), &["Ett"]).unwrap();
        let mut ws = book.sheet(&[], false).unwrap();
        let fits = "å".repeat(MAX_CHARS);
        let long = "å".repeat(MAX_CHARS + 5);
        ws.row().unwrap();
        ws.string(0, &fits, Style::Plain).unwrap();
        ws.string(1, &long, Style::Plain).unwrap();
        ws.finish(None).unwrap();
        let bytes = book.finish().unwrap().into_inner();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut sheet = String::new();
        zip.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut sheet)
            .unwrap();
        let cells: Vec<&str> = sheet
            .split("<t>")
            .skip(1)
            .map(|c| c.split("</t>").next().unwrap())
            .collect();
        assert_eq!(cells[0], fits);
        assert_eq!(cells[1].chars().count(), MAX_CHARS);
        assert!(cells[1].ends_with("åå…"));
    }

    #[test]
    fn date_times_are_excel_serial_days() {
        let t = |y, mo, d, h, mi| jiff::civil::date(y, mo, d).at(h, mi, 0, 0);
        // Excel: 1900-03-01 is 61, 2026-11-26 is 46352.
        assert_eq!(excel_serial(t(1900, 3, 1, 0, 0)), 61.0);
        assert_eq!(excel_serial(t(2026, 11, 26, 18, 0)), 46352.75);
        assert_eq!(excel_serial(t(2024, 2, 29, 6, 0)), 45351.25);
    }

    #[test]
    fn widths_are_stored_as_excel_stores_them() {
        assert_eq!(excel_width(38.0), 38.7109375);
        assert_eq!(excel_width(8.0), 8.7109375);
        assert_eq!(excel_width(24.0), 24.7109375);
    }

    #[test]
    fn the_zip_reads_back_part_by_part_with_its_checksums() {
        let mut book = Book::new(Cursor::new(Vec::new()), &["Ett", "Två's"]).unwrap();
        let mut ws = book.sheet(&[(0, 10.0)], true).unwrap();
        for i in 0..20_000u32 {
            ws.row().unwrap();
            ws.string(0, &format!("rad {i}"), Style::Plain).unwrap();
            ws.number(1, f64::from(i) / 8.0, Style::Degrees).unwrap();
            ws.boolean(2, i % 2 == 0).unwrap();
        }
        assert_eq!(ws.finish(Some(3)).unwrap(), 20_000);
        let ws = book.sheet(&[], false).unwrap();
        assert_eq!(ws.finish(None).unwrap(), 0);
        let bytes = book.finish().unwrap().into_inner();

        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
        names.sort();
        assert_eq!(
            names,
            [
                "[Content_Types].xml",
                "_rels/.rels",
                "xl/_rels/workbook.xml.rels",
                "xl/styles.xml",
                "xl/theme/theme1.xml",
                "xl/workbook.xml",
                "xl/worksheets/sheet1.xml",
                "xl/worksheets/sheet2.xml",
            ]
        );
        let mut read = |name: &str| {
            let mut s = String::new();
            // The zip crate checks each part's CRC-32 as it reads to the end.
            zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
            s
        };
        let sheet = read("xl/worksheets/sheet1.xml");
        assert!(sheet.len() > CHUNK * 4, "the sheet spans many chunks");
        assert!(sheet.contains(r#"<c r="B20000" s="3"><v>2499.875</v></c>"#));
        assert!(sheet.ends_with(r#"<autoFilter ref="A1:C20000"/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#));
        let workbook = read("xl/workbook.xml");
        assert!(workbook.contains(r#"<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'Ett'!$A$1:$C$20000</definedName>"#), "{workbook}");
        assert!(workbook.contains(r#"<sheet name="Två's" sheetId="2" r:id="rId2"/>"#));
        assert!(!workbook.contains("localSheetId=\"1\""));
    }

    /// A file that takes `room` bytes and then fails, as a full disk does.
    struct Full {
        inner: Cursor<Vec<u8>>,
        room: u64,
    }
    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.inner.position() + buf.len() as u64 > self.room {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"));
            }
            self.inner.write(buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    impl Seek for Full {
        fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
            self.inner.seek(to)
        }
    }

    #[test]
    fn a_failing_file_stops_the_sheet_at_once_with_its_own_error() {
        let full = Full {
            inner: Cursor::new(Vec::new()),
            room: 4096,
        };
        let mut book = Book::new(full, &["Ett"]).unwrap();
        let mut ws = book.sheet(&[], false).unwrap();
        let mut rows = 0u32;
        let error = loop {
            let wrote = ws
                .row()
                .and_then(|()| ws.string(0, &format!("rad {rows} med lite text"), Style::Plain));
            match wrote {
                Ok(()) => rows += 1,
                Err(e) => break e,
            }
            assert!(
                rows < 200_000,
                "the failure was not noticed while rows were written"
            );
        };
        assert_eq!(error.kind(), io::ErrorKind::StorageFull, "{error}");
    }

    #[test]
    fn a_sheet_never_named_is_an_error_not_a_broken_file() {
        let book = Book::new(Cursor::new(Vec::new()), &["Ett"]).unwrap();
        assert!(book.finish().is_err());
        let mut book = Book::new(Cursor::new(Vec::new()), &["Ett"]).unwrap();
        book.sheet(&[], false).unwrap().finish(None).unwrap();
        assert!(book.sheet(&[], false).is_err());
    }
}
