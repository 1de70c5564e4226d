//! `report.html`: the report's blocks as one self-contained page. Charts
//! are embedded as data URIs and the style sheet is inline, so the file can
//! be mailed or opened offline and asks for nothing over a network.

use super::document::{Block, Document, Table};

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;\
max-width:74rem;margin:2rem auto;padding:0 1rem;line-height:1.45}\
h1{font-size:1.7rem;margin-bottom:.3rem}h2{font-size:1.3rem;margin-top:2rem;\
border-bottom:1px solid #ccc}h3{font-size:1.1rem}\
table{border-collapse:collapse;margin:.8rem 0;font-size:.92rem;display:block;overflow-x:auto;max-width:100%}\
th,td{border:1px solid #bbb;padding:.25rem .55rem;vertical-align:top}\
th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}\
figure{margin:1.2rem 0}img{max-width:100%;height:auto;border:1px solid #ddd}\
figcaption{font-size:.9rem;color:#444}code{background:#f3f3f3;padding:0 .2rem}\
@media print{body{max-width:none}figure{break-inside:avoid}}";

/// The page; `image` gives the bytes of a chart (a PNG) by file name.
pub fn render(doc: &Document, mut image: impl FnMut(&str) -> std::io::Result<Vec<u8>>) -> std::io::Result<String> {
    let mut s = String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str(&format!(
        "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&doc.title)
    ));
    s.push_str(&format!("<h1>{}</h1>\n", inline(&doc.title)));
    for b in &doc.blocks {
        match b {
            Block::Heading(level, text) => s.push_str(&format!("<h{level}>{}</h{level}>\n", inline(text))),
            Block::Paragraph(text) => s.push_str(&format!("<p>{}</p>\n", inline(text))),
            Block::Bullets(items) => {
                s.push_str("<ul>\n");
                for i in items {
                    s.push_str(&format!("<li>{}</li>\n", inline(i)));
                }
                s.push_str("</ul>\n");
            }
            Block::Table(t) => s.push_str(&table(t)),
            Block::Image { file, caption } => {
                let png = image(file)?;
                s.push_str(&format!(
                    "<figure><img src=\"data:image/png;base64,{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>\n",
                    base64(&png),
                    escape(caption),
                    inline(caption)
                ));
            }
        }
    }
    s.push_str("</body>\n</html>\n");
    Ok(s)
}

fn table(t: &Table) -> String {
    let mut s = String::from("<table>\n<thead><tr>");
    for c in &t.columns {
        s.push_str(&format!("<th>{}</th>", inline(c)));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        s.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            let class = if t.numeric.get(i).copied().unwrap_or(false) {
                " class=\"n\""
            } else {
                ""
            };
            s.push_str(&format!("<td{class}>{}</td>", inline(c)));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            c => s.push(c),
        }
    }
    s
}

/// Escaped text with its `code` and **strong** marks as elements; a mark
/// left open is written as it stands.
fn inline(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let code = rest.find('`');
        let strong = rest.find("**");
        let (at, mark, tag) = match (code, strong) {
            (Some(c), Some(b)) if b < c => (b, "**", "strong"),
            (Some(c), _) => (c, "`", "code"),
            (None, Some(b)) => (b, "**", "strong"),
            (None, None) => break,
        };
        let after = &rest[at + mark.len()..];
        match after.find(mark) {
            Some(end) => {
                out.push_str(&escape(&rest[..at]));
                out.push_str(&format!("<{tag}>{}</{tag}>", escape(&after[..end])));
                rest = &after[end + mark.len()..];
            }
            None => break,
        }
    }
    out.push_str(&escape(rest));
    out
}

/// Standard base64 with padding (RFC 4648), for the data URIs.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_4648_test_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain:?}");
        }
    }

    #[test]
    fn marks_become_elements_and_text_is_escaped() {
        assert_eq!(
            inline("a `x<y` and **not met** & b"),
            "a <code>x&lt;y</code> and <strong>not met</strong> &amp; b"
        );
        assert_eq!(inline("an open ` mark"), "an open ` mark");
        assert_eq!(inline("<script>"), "&lt;script&gt;");
    }

    #[test]
    fn a_page_embeds_its_charts_and_asks_for_nothing_outside() {
        let mut d = Document::new("T & U");
        d.paragraph("p");
        d.blocks.push(Block::Image {
            file: "a.png".into(),
            caption: "A".into(),
        });
        let page = render(&d, |f| {
            assert_eq!(f, "a.png");
            Ok(b"PNG".to_vec())
        })
        .unwrap();
        assert!(page.contains("<title>T &amp; U</title>"));
        assert!(page.contains("src=\"data:image/png;base64,UE5H\""));
        assert!(!page.contains("http"), "{page}");
    }
}
