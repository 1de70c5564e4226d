//! A report as a list of blocks, so that `report.md` and `report.html` are
//! two renderings of one content and cannot say different things.
//!
//! Text may carry two marks, as in Markdown: `code` and **strong**.

/// One block of a report.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading of level 2 or 3 (the title is the document's).
    Heading(u8, String),
    Paragraph(String),
    Bullets(Vec<String>),
    Table(Table),
    /// A chart in `charts/`, with the sentence that says what it shows.
    Image {
        file: String,
        caption: String,
    },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub columns: Vec<String>,
    /// Right-aligned (numeric) columns.
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table whose first `text` columns are text and the rest numbers.
    pub fn new(columns: &[&str], text: usize) -> Table {
        Table {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            numeric: (0..columns.len()).map(|i| i >= text).collect(),
            rows: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn new(title: impl Into<String>) -> Document {
        Document {
            title: title.into(),
            blocks: Vec::new(),
        }
    }

    pub fn heading(&mut self, level: u8, text: impl Into<String>) {
        self.blocks.push(Block::Heading(level, text.into()));
    }

    pub fn paragraph(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Paragraph(text.into()));
    }

    pub fn bullets(&mut self, items: Vec<String>) {
        if !items.is_empty() {
            self.blocks.push(Block::Bullets(items));
        }
    }

    pub fn table(&mut self, t: Table) {
        self.blocks.push(Block::Table(t));
    }

    /// The charts a report shows, in the file names they were written under.
    pub fn images(&self) -> impl Iterator<Item = &str> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Image { file, .. } => Some(file.as_str()),
            _ => None,
        })
    }

    pub fn markdown(&self) -> String {
        let mut s = format!("# {}\n", self.title);
        for b in &self.blocks {
            s.push('\n');
            match b {
                Block::Heading(level, text) => {
                    s.push_str(&format!("{} {text}\n", "#".repeat(usize::from(*level))));
                }
                Block::Paragraph(text) => s.push_str(&format!("{text}\n")),
                Block::Bullets(items) => {
                    for i in items {
                        s.push_str(&format!("- {i}\n"));
                    }
                }
                Block::Table(t) => s.push_str(&markdown_table(t)),
                Block::Image { file, caption } => {
                    s.push_str(&format!("![{caption}](charts/{file})\n"));
                }
            }
        }
        s
    }
}

fn markdown_table(t: &Table) -> String {
    let cell = |c: &str| c.replace('|', "\\|");
    let line = |cells: &[String]| {
        let inner: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        format!("| {} |\n", inner.join(" | "))
    };
    let mut s = line(&t.columns);
    let rule: Vec<&str> = t.numeric.iter().map(|&n| if n { "---:" } else { "---" }).collect();
    s.push_str(&format!("|{}|\n", rule.join("|")));
    for r in &t.rows {
        s.push_str(&line(r));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_bars_in_cells_and_aligns_numbers_right() {
        let mut d = Document::new("T");
        let mut t = Table::new(&["name", "value"], 1);
        t.rows.push(vec!["a|b".into(), "1".into()]);
        d.table(t);
        assert_eq!(d.markdown(), "# T\n\n| name | value |\n|---|---:|\n| a\\|b | 1 |\n");
    }
}
