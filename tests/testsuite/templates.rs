//! Templates: the embedded defaults serve a site without `templates/`; a site's
//! `templates/NAME` replaces the default NAME and sees the documented variables.

use crate::util::Site;

#[test]
fn site_template_replaces_the_default() {
    let site = Site::fixture("basic");
    site.write(
        "templates/entry.html",
        "{% extends \"base.html\" %}{% block main %}<h1 class=\"custom\">{{ entry.title }}</h1><p>{{ entry.when.text }} · {{ entry.status.label }}</p>{% endblock main %}",
    );
    site.build_ok(&[]);
    let html = site.out("entries/office-2020/index.html");
    assert!(html.contains("<h1 class=\"custom\">Regional offices open</h1><p>September – December 2020 · Implemented</p>"), "{html}");
    // Other templates keep their defaults.
    assert!(
        site.out("index.html")
            .contains("class=\"entry-card-title\"")
    );
}

#[test]
fn site_partial_replaces_the_default_partial() {
    let site = Site::fixture("basic");
    site.write(
        "templates/partials/entry_card.html",
        "<li class=\"mine\">{{ e.slug }}</li>",
    );
    site.build_ok(&[]);
    assert_eq!(
        site.out("index.html")
            .matches("<li class=\"mine\">")
            .count(),
        7
    );
}

#[test]
fn front_matter_strings_are_escaped() {
    let site = Site::fixture("basic");
    site.write(
        "content/entries/xss.md",
        "---\ntitle: \"<script>alert(1)</script>\"\ndate: 2021\nstatus: signed\ninstrument: law\nthemes: [ombudsman]\nsummary: \"a & b <b>\"\nsources:\n  - title: \"s\"\n    url: \"https://example.org/s\"\n---\nBody\n",
    );
    site.build_ok(&[]);
    let html = site.out("entries/xss/index.html");
    assert!(!html.contains("<script>alert(1)"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!site.out("atom.xml").contains("<script>"));
}
