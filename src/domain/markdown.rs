//! Admin-written Markdown. Rendered with pulldown-cmark, then cleaned by ammonia's
//! allow-list, so no script, event handler, style or `javascript:` link can reach a page
//! whatever an admin (or someone with their password) types.

use std::fmt;

use serde::Serialize;

/// HTML that is safe to put in a page as it is: escaped text, or Markdown that has been
/// rendered and sanitised. The only values templates print with `|safe`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Html(String);

impl Html {
    /// Plain text, escaped.
    pub fn text(plain: &str) -> Self {
        let mut out = String::with_capacity(plain.len());
        for c in plain.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c => out.push(c),
            }
        }
        Self(out)
    }

    /// Markdown rendered inline: one paragraph's worth of text loses its `<p>` wrapper so it
    /// can sit inside a `<dd>` or `<li>`; longer text keeps its blocks.
    pub fn markdown(source: &str) -> Self {
        let html = sanitise(&render(source));
        let trimmed = html.trim();
        let single = trimmed
            .strip_prefix("<p>")
            .and_then(|rest| rest.strip_suffix("</p>"))
            .filter(|inner| !inner.contains("<p>"));
        Self(single.unwrap_or(trimmed).to_owned())
    }

    /// Markdown rendered as blocks (paragraphs kept), for a place that holds several.
    pub fn blocks(source: &str) -> Self {
        Self(sanitise(&render(source)).trim().to_owned())
    }

    /// Plain text as one escaped paragraph.
    pub fn paragraph(plain: &str) -> Self {
        Self(format!("<p>{}</p>", Self::text(plain).0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES
}

fn render(source: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(source, options());
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}

/// The only tags sanitised Markdown may contain.
pub const ALLOWED_TAGS: &[&str] = &[
    "p",
    "br",
    "strong",
    "em",
    "del",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
];

/// The tags a guide's prose needs, links limited to http, https and mailto and marked
/// `nofollow noopener`; everything else is dropped (scripts and styles with their content).
///
/// The sanitiser is built once: building one fills a dozen hash sets, which cost more than
/// cleaning a paragraph, and a guide cleans about ten.
fn sanitise(html: &str) -> String {
    use std::collections::HashSet;
    static SANITISER: std::sync::LazyLock<ammonia::Builder<'static>> =
        std::sync::LazyLock::new(|| {
            let tags: HashSet<&str> = ALLOWED_TAGS.iter().copied().collect();
            let mut builder = ammonia::Builder::new();
            builder
                .tags(tags)
                .generic_attributes(HashSet::new())
                .tag_attributes(std::iter::once(("a", std::iter::once("href").collect())).collect())
                .url_schemes(["http", "https", "mailto"].into_iter().collect())
                .link_rel(Some("nofollow noopener"));
            builder
        });
    SANITISER.clean(html).to_string()
}

/// The words of some Markdown without its markup, for places that take plain text: meta
/// descriptions, JSON-LD, email.
pub fn to_plain(source: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::with_capacity(source.len());
    for event in Parser::new_ext(source, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_prose_comes_out_unchanged() {
        let text = "You keep systems running & fix what breaks at 3 a.m.";
        assert_eq!(
            Html::markdown(text).as_str(),
            "You keep systems running &amp; fix what breaks at 3 a.m."
        );
        assert_eq!(to_plain(text), text);
    }

    #[test]
    fn markdown_becomes_the_allowed_tags() {
        let html = Html::markdown("**Pay** rises *fast*.\n\n- one\n- two\n\n[NHS](https://nhs.uk)");
        let s = html.as_str();
        assert!(s.contains("<strong>Pay</strong>"), "{s}");
        assert!(s.contains("<em>fast</em>"), "{s}");
        assert!(s.contains("<ul>\n<li>one</li>"), "{s}");
        assert!(
            s.contains(r#"<a href="https://nhs.uk" rel="nofollow noopener">NHS</a>"#),
            "{s}"
        );
        assert_eq!(to_plain("**Pay** rises *fast*."), "Pay rises fast.");
    }

    #[test]
    fn scripts_handlers_and_javascript_links_never_survive() {
        let attacks = [
            "<script>alert(1)</script>hello",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<p onclick=\"alert(1)\">x</p>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<svg><script>alert(1)</script></svg>",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
            "<scr<script>ipt>alert(1)</script>",
            "<style>body{display:none}</style>",
            "<form action=\"https://evil.example\"><input name=x></form>",
        ];
        for attack in attacks {
            let html = Html::markdown(attack).as_str().to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onclick",
                "javascript:",
                "<iframe",
                "style",
                "<svg",
                "data:",
                "<img",
                "<form",
                "<input",
                "<math",
            ] {
                assert!(!html.contains(bad), "{attack:?} gave {html:?}");
            }
        }
    }

    #[test]
    fn escaped_text_is_inert() {
        assert_eq!(
            Html::text("<b>\"x\" & 'y'</b>").as_str(),
            "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;"
        );
    }
}
