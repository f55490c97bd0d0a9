//! The HTML tokenizer under [`super::html`]: tags with their attributes, character references,
//! and the element lists that decide what is dropped and what breaks a paragraph. It works on
//! the page's own characters, so every position maps back to the original.

/// Elements dropped with everything inside them.
pub(super) const HTML_SKIP: &[&str] = &[
    "script", "style", "head", "noscript", "template", "svg", "iframe", "object", "title",
];

/// Elements that break paragraphs.
pub(super) const HTML_BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "td",
    "th",
    "tfoot",
    "fieldset",
    "legend",
    "blockquote",
    "article",
    "section",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "figure",
    "figcaption",
    "pre",
    "hr",
    "body",
    "html",
    "form",
    "address",
    "caption",
    "details",
    "summary",
    "center",
];

pub(super) struct Tag {
    pub(super) name: String,
    pub(super) closing: bool,
    pub(super) self_closing: bool,
    /// The attributes: from the end of the name to the `>` (or `/>`).
    pub(super) attrs: (usize, usize),
    /// Index just after the `>`.
    pub(super) end: usize,
}

pub(super) fn starts_with_ci(chars: &[char], i: usize, pat: &str) -> bool {
    let mut k = i;
    for p in pat.chars() {
        match chars.get(k) {
            Some(c) if c.eq_ignore_ascii_case(&p) => k += 1,
            _ => return false,
        }
    }
    true
}

pub(super) fn find_ci(chars: &[char], from: usize, pat: &str) -> Option<usize> {
    (from..chars.len()).find(|&k| starts_with_ci(chars, k, pat))
}

/// Parses a tag starting at `chars[i] == '<'`.
pub(super) fn parse_tag(chars: &[char], i: usize) -> Option<Tag> {
    let mut j = i + 1;
    let closing = chars.get(j) == Some(&'/');
    if closing {
        j += 1;
    }
    if !chars.get(j)?.is_ascii_alphabetic() {
        return None;
    }
    let name_start = j;
    while chars
        .get(j)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
    {
        j += 1;
    }
    let name: String = chars[name_start..j]
        .iter()
        .collect::<String>()
        .to_ascii_lowercase();
    let attrs_start = j;
    let mut quote: Option<char> = None;
    while j < chars.len() {
        let c = chars[j];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '>' => {
                let self_closing = chars[j - 1] == '/';
                return Some(Tag {
                    name,
                    closing,
                    self_closing,
                    attrs: (attrs_start, if self_closing { j - 1 } else { j }),
                    end: j + 1,
                });
            }
            None => {}
        }
        j += 1;
    }
    None
}

/// Decodes an entity at `chars[i] == '&'`: the char and the index after the `;`.
pub(super) fn decode_entity(chars: &[char], i: usize) -> Option<(char, usize)> {
    let semi = (i + 1..chars.len().min(i + 12)).find(|&k| chars[k] == ';')?;
    let body: String = chars[i + 1..semi].iter().collect();
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        // Windows-1252 code points that pages send as numeric references.
        match code {
            0x85 => '…',
            0x91 => '‘',
            0x92 => '’',
            0x93 => '“',
            0x94 => '”',
            0x96 => '–',
            0x97 => '—',
            0 => return None,
            _ => char::from_u32(code)?,
        }
    } else {
        named_entity(&body)?
    };
    Some((c, semi + 1))
}

pub(super) fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwj" => '\u{200d}',
        "zwnj" => '\u{200c}',
        "shy" => '\u{ad}',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "laquo" => '«',
        "raquo" => '»',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "mdash" => '—',
        "ndash" => '–',
        "minus" => '−',
        "hellip" => '…',
        "bull" => '•',
        "middot" => '·',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "sect" => '§',
        "para" => '¶',
        "times" => '×',
        "divide" => '÷',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "aacute" => 'á',
        "Aacute" => 'Á',
        "agrave" => 'à',
        "acirc" => 'â',
        "auml" => 'ä',
        "Auml" => 'Ä',
        "aring" => 'å',
        "atilde" => 'ã',
        "ccedil" => 'ç',
        "Ccedil" => 'Ç',
        "eacute" => 'é',
        "Eacute" => 'É',
        "egrave" => 'è',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "iacute" => 'í',
        "igrave" => 'ì',
        "icirc" => 'î',
        "iuml" => 'ï',
        "ntilde" => 'ñ',
        "Ntilde" => 'Ñ',
        "oacute" => 'ó',
        "Oacute" => 'Ó',
        "ograve" => 'ò',
        "ocirc" => 'ô',
        "ouml" => 'ö',
        "Ouml" => 'Ö',
        "otilde" => 'õ',
        "oslash" => 'ø',
        "uacute" => 'ú',
        "ugrave" => 'ù',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "scaron" => 'š',
        "Scaron" => 'Š',
        "zcaron" => 'ž',
        "Zcaron" => 'Ž',
        _ => return None,
    })
}
