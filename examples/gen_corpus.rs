//! Writes a deterministic annals site of N entries for benchmarks, and optionally the same
//! entries as a Hugo site with equivalent templates (bench/README.md explains the choices).
//!
//! ```text
//! cargo run --release --example gen_corpus -- --entries 10000 --out DIR [--hugo DIR2]
//! ```
//!
//! Everything comes from a seeded SplitMix64 generator: the same arguments give
//! byte-identical files. No clock, no `rand`. An output directory must be missing, empty, or
//! made by an earlier run (marked with a `.gen-corpus` file); it is then replaced.

// A benchmark tool: printing its figures is its job (the crate denies print macros).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use clap::Parser;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(about = "Write a deterministic annals corpus (and optionally its Hugo twin)")]
struct Args {
    /// Number of entries to generate.
    #[arg(long, default_value_t = 10_000)]
    entries: usize,
    /// Where to write the annals site (site.yaml, content/).
    #[arg(long)]
    out: PathBuf,
    /// Also write the same entries as a Hugo site here.
    #[arg(long)]
    hugo: Option<PathBuf>,
    /// Seed of the pseudo-random generator.
    #[arg(long, default_value_t = 2003)]
    seed: u64,
}

const MARKER: &str = ".gen-corpus";

// ---------------------------------------------------------------------------------------
// Pseudo-random numbers: SplitMix64.

struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p` percent.
    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn word(&mut self, words: &[&'static str]) -> &'static str {
        words[self.below(words.len())]
    }
}

// ---------------------------------------------------------------------------------------
// Partial dates, as annals reads them.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PDate {
    y: i32,
    m: Option<u32>,
    d: Option<u32>,
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl PDate {
    fn day(y: i32, m: u32, d: u32) -> PDate {
        PDate {
            y,
            m: Some(m),
            d: Some(d),
        }
    }

    /// 0 year, 1 month, 2 day.
    fn precision(&self) -> u8 {
        match (self.m, self.d) {
            (Some(_), Some(_)) => 2,
            (Some(_), None) => 1,
            _ => 0,
        }
    }

    fn first_day(&self) -> (i32, u32, u32) {
        (self.y, self.m.unwrap_or(1), self.d.unwrap_or(1))
    }

    fn iso(&self) -> String {
        match (self.m, self.d) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.y),
            (Some(m), None) => format!("{:04}-{m:02}", self.y),
            _ => format!("{:04}", self.y),
        }
    }

    /// The first day, `YYYY-MM-DD` (Hugo's `date`).
    fn first_day_iso(&self) -> String {
        let (y, m, d) = self.first_day();
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// "on 9 June 2021", "in September 2020", "in 2003".
    fn when_phrase(&self) -> String {
        match self.d {
            Some(_) => format!("on {}", self.display()),
            None => format!("in {}", self.display()),
        }
    }

    /// As annals shows it ("9 June 2021"), by annals' own code.
    fn display(&self) -> String {
        annals::date::PartialDate::parse(&self.iso())
            .expect("generated dates are valid")
            .display()
    }

    fn random(rng: &mut Rng, years: (i32, i32), precision: u8) -> PDate {
        let y = rng.between(years.0 as usize, years.1 as usize) as i32;
        let m = rng.between(1, 12) as u32;
        let d = rng.between(1, days_in_month(y, m) as usize) as u32;
        match precision {
            0 => PDate {
                y,
                m: None,
                d: None,
            },
            1 => PDate {
                y,
                m: Some(m),
                d: None,
            },
            _ => PDate::day(y, m, d),
        }
    }

    /// A date `months` later than this one's first month, at `precision`; never covering
    /// an earlier day than `self` starts.
    fn later(&self, rng: &mut Rng, months: u32, precision: u8) -> PDate {
        let (y, m, _) = self.first_day();
        let total = (y as u32) * 12 + (m - 1) + months;
        let (y2, m2) = ((total / 12) as i32, total % 12 + 1);
        match precision {
            0 => PDate {
                y: y2.max(y + 1),
                m: None,
                d: None,
            },
            1 => PDate {
                y: y2,
                m: Some(m2),
                d: None,
            },
            _ => PDate::day(
                y2,
                m2,
                rng.between(1, days_in_month(y2, m2) as usize) as u32,
            ),
        }
    }
}

fn random_precision(rng: &mut Rng) -> u8 {
    match rng.below(100) {
        0..=9 => 0,
        10..=34 => 1,
        _ => 2,
    }
}

// ---------------------------------------------------------------------------------------
// Vocabulary.

struct ThemeDef {
    id: &'static str,
    name: &'static str,
    description: &'static str,
    subjects: &'static [&'static str],
    /// The subject as it appears in a Russian law title ("по вопросам …").
    ru: &'static str,
    /// The subject in Kazakh.
    kk: &'static str,
}

const THEMES: &[ThemeDef] = &[
    ThemeDef {
        id: "death-penalty",
        name: "Death penalty",
        description: "From the moratorium on executions to abolition in the Criminal Code and the Constitution.",
        subjects: &[
            "the moratorium on executions",
            "abolition of the death penalty",
            "life imprisonment as the alternative sentence",
            "the Second Optional Protocol to the ICCPR",
            "the wartime exception",
            "commutation of death sentences",
        ],
        ru: "отмены смертной казни",
        kk: "өлім жазасын жою",
    },
    ThemeDef {
        id: "torture",
        name: "Torture",
        description: "Liability for torture, investigation of complaints and the national preventive mechanism.",
        subjects: &[
            "liability for torture",
            "the national preventive mechanism",
            "investigation of torture complaints",
            "compensation for victims of torture",
            "video recording in detention facilities",
            "medical examination of detainees",
        ],
        ru: "противодействия пыткам",
        kk: "азаптауға қарсы іс-қимыл",
    },
    ThemeDef {
        id: "ombudsman",
        name: "Commissioner for Human Rights",
        description: "The Ombudsman's office, its statutory basis, powers and regional representatives.",
        subjects: &[
            "the Commissioner for Human Rights",
            "regional ombudsman offices",
            "the powers of the Ombudsman",
            "the National Human Rights Centre",
            "the Ombudsman's annual report",
            "access of the Ombudsman to places of detention",
        ],
        ru: "деятельности Уполномоченного по правам человека",
        kk: "Адам құқықтары жөніндегі уәкілдің қызметі",
    },
    ThemeDef {
        id: "childrens-rights",
        name: "Children's rights",
        description: "Protection of children, remedies for children and juvenile justice.",
        subjects: &[
            "the rights of the child",
            "protection of children online",
            "juvenile justice",
            "the Children's Ombudsman",
            "foster care and adoption",
            "bullying in schools",
        ],
        ru: "защиты прав ребёнка",
        kk: "бала құқықтарын қорғау",
    },
    ThemeDef {
        id: "violence-against-women",
        name: "Violence against women",
        description: "Domestic violence, protective orders and penalties for violent crimes.",
        subjects: &[
            "domestic violence",
            "protective orders",
            "crisis centres for women",
            "liability for battery",
            "sexual harassment at work",
            "reconciliation in violence cases",
        ],
        ru: "противодействия бытовому насилию",
        kk: "тұрмыстық зорлық-зомбылыққа қарсы іс-қимыл",
    },
    ThemeDef {
        id: "disability",
        name: "Disability",
        description: "The CRPD, accessibility, inclusive education and employment.",
        subjects: &[
            "the rights of persons with disabilities",
            "accessible public transport",
            "inclusive education",
            "sign language interpretation",
            "employment quotas for persons with disabilities",
            "the Optional Protocol to the CRPD",
        ],
        ru: "социальной защиты лиц с инвалидностью",
        kk: "мүгедектігі бар адамдарды әлеуметтік қорғау",
    },
    ThemeDef {
        id: "civil-liberties",
        name: "Civil liberties",
        description: "Association, religion, privacy and access to information.",
        subjects: &[
            "freedom of association",
            "registration of non-profit organisations",
            "personal data protection",
            "freedom of religion",
            "access to information",
            "freedom of movement",
        ],
        ru: "гражданских свобод",
        kk: "азаматтық бостандықтар",
    },
    ThemeDef {
        id: "constitutional-reform",
        name: "Constitutional reform",
        description: "Amendments to the Constitution, the Constitutional Court and the balance of powers.",
        subjects: &[
            "the Constitutional Court",
            "the powers of Parliament",
            "the single presidential term",
            "direct elections of akims",
            "the composition of the Senate",
            "constitutional review",
        ],
        ru: "конституционной реформы",
        kk: "конституциялық реформа",
    },
    ThemeDef {
        id: "judicial-reform",
        name: "Judicial reform",
        description: "Courts, judges, juries and access to justice.",
        subjects: &[
            "jury trials",
            "the independence of judges",
            "administrative justice",
            "the Supreme Judicial Council",
            "appeals in criminal cases",
            "state-guaranteed legal aid",
        ],
        ru: "совершенствования судебной системы",
        kk: "сот жүйесін жетілдіру",
    },
    ThemeDef {
        id: "freedom-of-expression",
        name: "Freedom of expression",
        description: "Defamation, media regulation and online speech.",
        subjects: &[
            "criminal defamation",
            "the mass media law",
            "online platforms",
            "the status of journalists",
            "false information offences",
            "broadcasting licences",
        ],
        ru: "средств массовой информации",
        kk: "бұқаралық ақпарат құралдары",
    },
    ThemeDef {
        id: "freedom-of-assembly",
        name: "Freedom of assembly",
        description: "Notification of rallies, venues and the policing of demonstrations.",
        subjects: &[
            "peaceful assemblies",
            "notification of rallies",
            "designated protest venues",
            "the policing of demonstrations",
            "spontaneous assemblies",
        ],
        ru: "организации и проведения мирных собраний",
        kk: "бейбіт жиналыстарды ұйымдастыру және өткізу",
    },
    ThemeDef {
        id: "labour-rights",
        name: "Labour rights",
        description: "Trade unions, strikes, wages and safe work.",
        subjects: &[
            "trade unions",
            "the minimum wage",
            "the right to strike",
            "occupational safety",
            "labour migrants",
            "forced labour",
        ],
        ru: "трудовых отношений",
        kk: "еңбек қатынастары",
    },
    ThemeDef {
        id: "language-policy",
        name: "Language policy",
        description: "The state language, the alphabet and languages in education and the media.",
        subjects: &[
            "the state language",
            "the Latin-script alphabet",
            "language requirements for officials",
            "Russian-language media",
            "multilingual education",
        ],
        ru: "языковой политики",
        kk: "тіл саясаты",
    },
    ThemeDef {
        id: "human-rights-policy",
        name: "Human-rights decrees and plans",
        description: "Presidential decrees, government plans and reporting to UN bodies.",
        subjects: &[
            "human rights and the rule of law",
            "the human-rights action plan",
            "the UN Human Rights Council term",
            "the universal periodic review",
            "cooperation with UN special procedures",
        ],
        ru: "прав человека и верховенства закона",
        kk: "адам құқықтары және заң үстемдігі",
    },
];

// annals' default statuses and instruments (id, label), taken from annals itself so that
// the corpus always exercises exactly the defaults.
use annals::config::{DEFAULT_INSTRUMENTS as INSTRUMENTS, DEFAULT_STATUSES as STATUSES};

/// Title patterns per instrument (same order as INSTRUMENTS); `{s}` is the subject.
const TITLES: &[&[&str]] = &[
    &[
        "State-of-the-Nation Address calls for changes to {s}",
        "President's address announces reforms of {s}",
        "Address to the National Council of Public Trust on {s}",
    ],
    &[
        "President signs a decree on {s}",
        "Decree on {s} is amended",
        "Presidential decree sets tasks on {s}",
    ],
    &[
        "Law on {s} is signed",
        "Parliament adopts the law on {s}",
        "Amendments on {s} enter the Criminal Code",
    ],
    &[
        "Constitutional law on {s} is signed",
        "Constitutional law sets out {s}",
    ],
    &[
        "Constitutional amendment on {s} takes effect",
        "Amendment to the Constitution concerning {s}",
    ],
    &[
        "Kazakhstan ratifies the protocol on {s}",
        "Kazakhstan signs the convention on {s}",
        "Instrument of accession on {s} is deposited",
    ],
    &[
        "Government approves an action plan on {s}",
        "Road map on {s} is adopted",
    ],
    &[
        "A national body for {s} is created",
        "Regional offices for {s} open",
    ],
    &[
        "Referendum on {s}",
        "Voters approve constitutional changes on {s}",
    ],
    &[
        "Senate votes on {s}",
        "Mazhilis approves the bill on {s} in first reading",
        "Mazhilis rejects amendments on {s}",
    ],
];

const ACTORS: &[&str] = &[
    "Parliament",
    "the Mazhilis",
    "the Senate",
    "the President",
    "the Government",
    "the Constitutional Court",
    "the Supreme Court",
    "the Ministry of Justice",
    "the Prosecutor General's Office",
    "the Commissioner for Human Rights",
];

/// (publisher, domain, path prefix)
const PUBLISHERS: &[(&str, &str, &str)] = &[
    (
        "Adilet legal information system",
        "adilet.zan.kz",
        "eng/docs",
    ),
    (
        "Official website of the President",
        "www.akorda.kz",
        "en/events",
    ),
    ("Kazinform", "www.inform.kz", "en/news"),
    ("Tengrinews", "tengrinews.kz", "kazakhstan_news"),
    ("UN OHCHR", "www.ohchr.org", "en/press-releases"),
    ("Human Rights Watch", "www.hrw.org", "news"),
    ("Amnesty International", "www.amnesty.org", "en/latest/news"),
    ("OSCE/ODIHR", "www.osce.org", "odihr"),
    ("Kursiv", "kz.kursiv.media", "en"),
    ("Vlast.kz", "vlast.kz", "novosti"),
    ("The Astana Times", "astanatimes.com", "news"),
    (
        "Parliament of Kazakhstan",
        "www.parlam.kz",
        "en/mazhilis/news",
    ),
];

const ORGS: &[&str] = &[
    "Human Rights Watch",
    "Amnesty International",
    "the Kazakhstan International Bureau for Human Rights",
    "the OSCE Office for Democratic Institutions and Human Rights",
    "the UN Human Rights Committee",
    "Adilet legal clinic",
    "the Bar Association",
];

const SENTENCES: &[&str] = &[
    "{When} {actor} took the step described here, which concerned {subject}.",
    "The change had been discussed for {small} months before it reached {actor}.",
    "Rights groups, including {org}, said the measure on {subject} was *a step forward* but asked for more.",
    "Under the new rules, {subject} falls within the remit of {actor}, which must report on it every year.",
    "Officials said {n} cases had been reviewed in the first year.",
    "The text was published in the official gazette and entered into force ten days later.",
    "Critics argued that the wording left \"too much discretion\" to officials, a point raised again in {year2}.",
    "The reform built on earlier work on {subject2}.",
    "According to {org}, the number of complaints rose by {n}% in the following year.",
    "The text did not settle every question: implementing regulations were still pending at the end of {year}.",
    "A working group of {small} members, including lawyers and representatives of civil society, prepared the draft.",
    "The UN treaty bodies had recommended this change in their concluding observations.",
    "It is one of several measures on {subject} recorded in this chronicle.",
    "Parliament's committee on legislation held {small} hearings on the draft.",
    "The Government's explanatory note put the cost at {n} million tenge.",
    "Regional authorities were given {small} months to bring their rules into line.",
    "Some provisions applied only to cases opened after the law took effect.",
    "The **final text** differed from the draft in several respects, notably on {subject2}.",
    "Observers noted that it was the first time the question of {subject} had reached {actor2}.",
    "Implementation was reviewed by the Prosecutor General's Office in {year2}.",
    "In {year2} the Ombudsman's report described the practice as \"uneven across the regions\".",
    "The measure was later cited in Kazakhstan's national report to the universal periodic review.",
    "Earlier drafts had gone further; the ~~criminal penalty~~ was dropped before the final reading.",
    "Lawyers pointed out that the courts would have to interpret the new term \"{subject}\" themselves.",
];

const LIST_ITEMS: &[&str] = &[
    "a definition of {subject}",
    "new duties for {actor}",
    "a deadline of {small} months for implementing regulations",
    "annual reporting to Parliament",
    "penalties of up to {n} monthly calculation indices",
    "the right to appeal to a court",
    "a register of cases kept by the Ministry of Justice",
    "training for judges, prosecutors and police officers",
    "public consultation on secondary legislation",
    "cooperation with {org}",
];

const STEPS: &[&str] = &[
    "a complaint is filed with {actor}",
    "the case is registered within {small} days",
    "an investigator is appointed",
    "the parties are heard",
    "the decision is published",
    "an appeal may be brought within {small} days",
];

const HEADINGS: &[&str] = &[
    "What it changed",
    "Background",
    "Reactions",
    "Implementation",
    "Dates in the sources {#dates}",
    "Official text",
    "Официальный текст",
    "Figures",
    "What came next",
];

const LINK_SENTENCES: &[&str] = &[
    "It followed [{title}]({slug}.md).",
    "See also [the {label} of {ydisp}]({slug}.md), which dealt with a related question.",
    "The next step came with [{title}]({slug}.md).",
    "This entry should be read together with [{title}]({slug}.md).",
    "The background is set out in [the entry on {ydisp}]({slug}.md).",
];

// ---------------------------------------------------------------------------------------
// The corpus model.

struct Source {
    title: String,
    url: String,
    publisher: Option<&'static str>,
    date: Option<PDate>,
}

struct Entry {
    slug: String,
    title: String,
    date: PDate,
    end: Option<PDate>,
    updated: Option<PDate>,
    status: usize,
    instrument: usize,
    jurisdiction: Option<&'static str>,
    themes: Vec<usize>,
    summary: String,
    sources: Vec<Source>,
    related: Vec<usize>,
    extra: bool,
    body: String,
    /// Entries this entry's body links to (for backlinks on the Hugo side).
    links: Vec<usize>,
}

fn slug_words(subject: &str) -> String {
    const STOP: &[&str] = &[
        "the", "of", "on", "for", "to", "a", "an", "in", "and", "by", "with",
    ];
    subject
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_ascii_lowercase)
        .filter(|w| !w.is_empty() && !STOP.contains(&w.as_str()))
        .take(2)
        .collect::<Vec<_>>()
        .join("-")
}

fn instrument_slug(id: &str) -> &str {
    match id {
        "constitutional-law" => "const-law",
        "constitutional-amendment" => "amendment",
        "parliamentary-vote" => "vote",
        other => other,
    }
}

fn with_article(noun: &str) -> String {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Fills `{subject}`-style placeholders.
struct Filler<'a> {
    rng: &'a mut Rng,
    theme: &'a ThemeDef,
    subject: &'a str,
    date: PDate,
}

impl Filler<'_> {
    /// Appends a paragraph of `n` sentences.
    fn paragraph(&mut self, n: usize, out: &mut String) {
        let para: Vec<String> = (0..n)
            .map(|_| {
                let s = *self.rng.pick(SENTENCES);
                self.fill(s)
            })
            .collect();
        out.push_str(&para.join(" "));
        out.push_str("\n\n");
    }

    fn fill(&mut self, pattern: &str) -> String {
        let mut out = String::with_capacity(pattern.len() + 40);
        let mut rest = pattern;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let Some(j) = after.find('}') else {
                out.push_str(&rest[i..]);
                return out;
            };
            let key = &after[..j];
            match key {
                "subject" => out.push_str(self.subject),
                "subject2" => out.push_str(self.rng.word(self.theme.subjects)),
                "actor" => out.push_str(self.rng.word(ACTORS)),
                "actor2" => out.push_str(self.rng.word(ACTORS)),
                "org" => out.push_str(self.rng.word(ORGS)),
                "date" => out.push_str(&self.date.display()),
                "When" => out.push_str(&capitalise(&self.date.when_phrase())),
                "small" => {
                    let _ = write!(out, "{}", self.rng.between(2, 36));
                }
                "year" => {
                    let _ = write!(out, "{}", self.date.y);
                }
                "year2" => {
                    let later = self.date.y + self.rng.between(1, 4) as i32;
                    let _ = write!(out, "{}", later.min(2025));
                }
                "n" => {
                    let _ = write!(out, "{}", self.rng.between(2, 480));
                }
                // `{#dates}` and anything else is literal text.
                _ => {
                    out.push('{');
                    out.push_str(key);
                    out.push('}');
                }
            }
            rest = &after[j + 1..];
        }
        out.push_str(rest);
        out
    }
}

struct Generator {
    rng: Rng,
    entries: Vec<Entry>,
    /// For each theme, the entries whose first theme it is.
    by_theme: Vec<Vec<usize>>,
}

impl Generator {
    fn new(seed: u64) -> Generator {
        Generator {
            rng: Rng(seed ^ 0xA11A_15A1_1A15_0000),
            entries: Vec::new(),
            by_theme: vec![Vec::new(); THEMES.len()],
        }
    }

    /// First pass: everything but related entries and bodies.
    fn metadata(&mut self, n: usize) {
        let mut used: HashMap<String, u32> = HashMap::new();
        for i in 0..n {
            let rng = &mut self.rng;
            // The first entries cover every status, instrument, theme and precision, so
            // that even a tiny corpus exercises them all.
            let status = if i < STATUSES.len() {
                i
            } else {
                rng.below(STATUSES.len())
            };
            let instrument = if i < INSTRUMENTS.len() {
                i
            } else {
                rng.below(INSTRUMENTS.len())
            };
            let first_theme = if i < THEMES.len() {
                i
            } else {
                rng.below(THEMES.len())
            };
            let mut themes = vec![first_theme];
            let extra_themes = match rng.below(10) {
                0..=5 => 0,
                6..=8 => 1,
                _ => 2,
            };
            for _ in 0..extra_themes {
                let t = rng.below(THEMES.len());
                if !themes.contains(&t) {
                    themes.push(t);
                }
            }
            let precision = if i < 3 {
                i as u8
            } else {
                random_precision(rng)
            };
            let date = PDate::random(rng, (1990, 2025), precision);
            let end = rng.percent(15).then(|| {
                let months = rng.between(1, 60) as u32;
                let p = random_precision(rng);
                date.later(rng, months, p)
            });
            let updated = rng.percent(10).then(|| PDate::random(rng, (2024, 2025), 2));
            let theme = &THEMES[first_theme];
            let subject: &'static str = rng.word(theme.subjects);
            let title = if rng.percent(3) {
                format!("Закон по вопросам {} подписан", theme.ru)
            } else {
                capitalise(&rng.pick(TITLES[instrument]).replace("{s}", subject))
            };
            let base = format!(
                "{}-{}-{}",
                slug_words(subject),
                instrument_slug(INSTRUMENTS[instrument].0),
                date.y
            );
            let count = used.entry(base.clone()).or_insert(0);
            *count += 1;
            let slug = if *count == 1 {
                base
            } else {
                format!("{base}-{count}")
            };
            let actor = rng.word(ACTORS);
            let summary = format!(
                "{} {} {} concerning {subject} {}. {}",
                capitalise(actor),
                match STATUSES[status].0 {
                    "announced" => "announced",
                    "proposed" => "proposed",
                    "repealed" => "repealed",
                    "in-force" | "implemented" => "put into effect",
                    _ => "approved",
                },
                with_article(&INSTRUMENTS[instrument].1.to_lowercase()),
                date.when_phrase(),
                rng.pick(&[
                    "It is part of a longer series of reforms.",
                    "Rights groups welcomed it with reservations.",
                    "Implementing rules followed within a year.",
                    "The change was criticised as incomplete.",
                    "It replaced rules dating from the 1990s.",
                ]),
            );
            let n_sources = match rng.below(10) {
                0..=3 => 1,
                4..=7 => 2,
                _ => 3,
            };
            let mut sources = Vec::with_capacity(n_sources);
            for k in 0..n_sources {
                let (publisher, domain, prefix) = *rng.pick(PUBLISHERS);
                let id = rng.between(100, 999_999);
                let url = if rng.percent(20) {
                    format!("https://{domain}/{prefix}/?id={id}&lang=en")
                } else {
                    format!("https://{domain}/{prefix}/{}-{id}", slug_words(subject))
                };
                let title = match k {
                    0 => format!(
                        "{} No. {}-{} on {subject}",
                        INSTRUMENTS[instrument].1,
                        rng.between(1, 999),
                        ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"][rng.below(8)]
                    ),
                    1 => format!("Report on {subject}"),
                    _ => format!("«О вопросах {}»: official text in Russian", theme.ru),
                };
                sources.push(Source {
                    title,
                    url,
                    publisher: rng.percent(80).then_some(publisher),
                    date: rng.percent(70).then(|| {
                        let p = random_precision(rng);
                        PDate::random(rng, (date.y, (date.y + 2).min(2025)), p)
                    }),
                });
            }
            let jurisdiction = rng
                .percent(5)
                .then(|| *rng.pick(&["Almaty", "Astana", "Shymkent", "Karaganda Region"]));
            let extra = rng.percent(2);
            self.by_theme[first_theme].push(i);
            self.entries.push(Entry {
                slug,
                title,
                date,
                end,
                updated,
                status,
                instrument,
                jurisdiction,
                themes,
                summary,
                sources,
                related: Vec::new(),
                extra,
                body: String::new(),
                links: Vec::new(),
            });
        }
    }

    /// Another entry, usually of the same first theme.
    fn other(&mut self, i: usize) -> Option<usize> {
        let n = self.entries.len();
        if n < 2 {
            return None;
        }
        let pool = &self.by_theme[self.entries[i].themes[0]];
        let j = if pool.len() > 1 && self.rng.percent(70) {
            pool[self.rng.below(pool.len())]
        } else {
            self.rng.below(n)
        };
        (j != i).then_some(j)
    }

    fn related(&mut self) {
        for i in 0..self.entries.len() {
            let k = match self.rng.below(10) {
                0..=3 => 0,
                4..=6 => 1,
                7..=8 => 2,
                _ => 3,
            };
            let mut rel = Vec::new();
            for _ in 0..k {
                if let Some(j) = self.other(i)
                    && !rel.contains(&j)
                {
                    rel.push(j);
                }
            }
            self.entries[i].related = rel;
        }
    }

    fn link_sentence(&mut self, i: usize) -> String {
        let Some(j) = self.other(i) else {
            return String::new();
        };
        self.entries[i].links.push(j);
        let t = &self.entries[j];
        let pattern = *self.rng.pick(LINK_SENTENCES);
        pattern
            .replace("{title}", &lower_first(&t.title))
            .replace("{slug}", &t.slug)
            .replace("{label}", &INSTRUMENTS[t.instrument].1.to_lowercase())
            .replace("{ydisp}", &t.date.display())
    }

    fn bodies(&mut self) {
        for i in 0..self.entries.len() {
            let mut front = String::new();
            common_front_matter(&mut front, &self.entries, &self.entries[i], false);
            // The whole file (front matter, fences, body) is 2–6 KB.
            let target = self.rng.between(2150, 5400).saturating_sub(front.len() + 8);
            let body = self.body(i, target.max(600));
            self.entries[i].body = body;
        }
    }

    fn body(&mut self, i: usize, target: usize) -> String {
        let e = &self.entries[i];
        let theme = &THEMES[e.themes[0]];
        let date = e.date;
        let subject: &str = {
            let words = e.title.to_lowercase();
            theme
                .subjects
                .iter()
                .find(|s| words.contains(&s.to_lowercase()))
                .copied()
                .unwrap_or(theme.subjects[0])
        };
        let mut out = String::with_capacity(target + 1024);
        let mut footnotes: Vec<String> = Vec::new();
        let mut headings: Vec<&str> = Vec::new();

        // Lead paragraph.
        let lead_n = self.rng.between(2, 4);
        let mut lead = Vec::new();
        {
            let mut f = Filler {
                rng: &mut self.rng,
                theme,
                subject,
                date,
            };
            lead.push(f.fill(SENTENCES[0]));
            for _ in 1..lead_n {
                let s = *f.rng.pick(SENTENCES);
                lead.push(f.fill(s));
            }
        }
        if self.rng.percent(60) {
            let s = self.link_sentence(i);
            lead.push(s);
        }
        if self.rng.percent(25) {
            let n = footnotes.len() + 1;
            lead.push(format!("The sources disagree on the exact date.[^{n}]"));
            let other = PDate::random(&mut self.rng, (date.y, date.y), 2);
            footnotes.push(format!(
                "[^{n}]: {} gives {}; the official gazette gives {}.",
                capitalise(self.rng.word(ORGS)),
                other.display(),
                date.display()
            ));
        }
        out.push_str(&lead.join(" "));
        out.push_str("\n\n");

        if self.rng.percent(15) {
            let _ = write!(
                out,
                "The official Russian title is «Закон Республики Казахстан „О внесении изменений и дополнений в некоторые законодательные акты Республики Казахстан по вопросам {}“», and the Kazakh title is «Қазақстан Республикасының кейбір заңнамалық актілеріне {} мәселелері бойынша өзгерістер мен толықтырулар енгізу туралы Заңы».\n\n",
                theme.ru, theme.kk
            );
        }

        loop {
            let used = out.len() + footnotes.iter().map(|f| f.len() + 1).sum::<usize>();
            if used >= target {
                break;
            }
            let remaining = target - used;
            // Near the target, only short paragraphs, so files stay under 6 KB.
            let roll = if remaining < 300 {
                0
            } else {
                self.rng.below(100)
            };
            let mut f = Filler {
                rng: &mut self.rng,
                theme,
                subject,
                date,
            };
            match roll {
                0..=34 => {
                    let n = f.rng.between(2, 5).min(1 + remaining / 150);
                    f.paragraph(n, &mut out);
                }
                35..=54 => {
                    let h = *f.rng.pick(HEADINGS);
                    if !headings.contains(&h) {
                        headings.push(h);
                        let _ = write!(out, "## {h}\n\n");
                    }
                    let n = f.rng.between(2, 4).min(1 + remaining / 150);
                    f.paragraph(n, &mut out);
                }
                55..=66 => {
                    if f.rng.percent(60) {
                        out.push_str("The main provisions were:\n\n");
                        for _ in 0..f.rng.between(3, 6) {
                            let s = *f.rng.pick(LIST_ITEMS);
                            let item = f.fill(s);
                            let _ = writeln!(out, "- {item}");
                        }
                    } else {
                        out.push_str("The procedure has these stages:\n\n");
                        let k = f.rng.between(3, STEPS.len());
                        for (n, s) in STEPS.iter().take(k).enumerate() {
                            let _ = writeln!(out, "{}. {}", n + 1, capitalise(&f.fill(s)));
                        }
                    }
                    out.push('\n');
                }
                67..=74 => {
                    if f.rng.percent(50) {
                        out.push_str("| Stage | Date | Body |\n|---|---|---|\n");
                        let stages = [
                            "Draft published",
                            "First reading",
                            "Second reading",
                            "Senate approval",
                            "Signature",
                        ];
                        let k = f.rng.between(3, 5);
                        let mut days: Vec<PDate> = (0..k)
                            .map(|_| PDate::random(f.rng, (date.y, date.y), 2))
                            .collect();
                        days.sort_by_key(PDate::first_day);
                        for (s, d) in stages.iter().zip(&days) {
                            let body = capitalise(f.rng.word(ACTORS));
                            let _ = writeln!(out, "| {s} | {} | {body} |", d.display());
                        }
                    } else {
                        out.push_str("| Year | Complaints | Cases opened | Convictions |\n|---:|---:|---:|---:|\n");
                        for y in 0..f.rng.between(3, 6) {
                            let a = f.rng.between(100, 5000);
                            let b = f.rng.between(10, a);
                            let c = f.rng.between(0, b);
                            let _ = writeln!(out, "| {} | {a} | {b} | {c} |", date.y + y as i32);
                        }
                    }
                    out.push('\n');
                }
                75..=89 => {
                    let s = *f.rng.pick(SENTENCES);
                    let mut para = f.fill(s);
                    for _ in 0..self.rng.between(1, 2) {
                        para.push(' ');
                        let l = self.link_sentence(i);
                        para.push_str(&l);
                    }
                    out.push_str(&para);
                    out.push_str("\n\n");
                }
                90..=94 => {
                    let s = *f.rng.pick(SENTENCES);
                    let q = f.fill(s);
                    let _ = write!(out, "> {q}\n>\n> — {}\n\n", capitalise(f.rng.word(ORGS)));
                }
                _ => {
                    let (publisher, domain, prefix) = *f.rng.pick(PUBLISHERS);
                    let id = f.rng.between(1000, 99999);
                    let _ = write!(
                        out,
                        "The full text is available from [{publisher}](https://{domain}/{prefix}/{id}); an unofficial English translation was published by {}.\n\n",
                        f.rng.word(ORGS)
                    );
                    if f.rng.percent(20) {
                        out.push_str("How dates are recorded is explained on [the about page](../pages/about.md#how-dates-are-recorded).\n\n");
                    }
                }
            }
        }
        for f in footnotes {
            out.push_str(&f);
            out.push('\n');
        }
        out
    }

    /// Entry indices in annals' time order: first day, coarser precision first, slug.
    fn chronological(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.entries.len()).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&self.entries[a], &self.entries[b]);
            (x.date.first_day(), x.date.precision(), &x.slug).cmp(&(
                y.date.first_day(),
                y.date.precision(),
                &y.slug,
            ))
        });
        order
    }
}

fn lower_first(s: &str) -> String {
    // Keep proper nouns ("Parliament", "Kazakhstan") as they are.
    const KEEP: &[&str] = &[
        "Parliament",
        "Kazakhstan",
        "President's",
        "State-of-the-Nation",
        "Senate",
        "Mazhilis",
        "Government",
        "Voters",
        "Regional",
        "Referendum",
        "Road",
        "Law",
        "Constitutional",
        "Decree",
        "Presidential",
        "Amendment",
        "Amendments",
        "Address",
        "Instrument",
        "Закон",
    ];
    match s.split(' ').next() {
        Some(first) if KEEP.contains(&first) => s.to_string(),
        _ => {
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_lowercase().chain(c).collect(),
                None => String::new(),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Writing.

/// A YAML double-quoted string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const SITE_TITLE: &str = "Reform chronicle (benchmark corpus)";
const SITE_DESCRIPTION: &str = "A generated chronicle of human-rights reforms, 1990–2025, used to benchmark annals against Hugo. The entries are synthetic.";
const BASE_URL: &str = "https://example.org/";
const JURISDICTION: &str = "Kazakhstan";
const AUTHOR: &str = "annals contributors";

const ABOUT_BODY: &str = "This chronicle is **generated**: every entry is synthetic, written by `gen_corpus` from a fixed seed so that benchmarks are repeatable. It looks like a real chronicle — dated entries, sources, related entries and links between entries — so that the generator does realistic work.\n\n## What it covers\n\nFourteen themes, from the death penalty to language policy, between 1990 and 2025. Some entries quote official titles in Russian and Kazakh: «Қазақстан Республикасының Конституциясы».\n\n## How dates are recorded\n\nA date is a year, a month or a day, as precise as the sources allow. An entry that lasts has an end date. {example}\n\n## Using the data\n\n| Field | Meaning |\n|---|---|\n| title | The headline |\n| date | When it happened |\n| status | How far it went |\n\nThe data may be reused freely.[^1]\n\n[^1]: It is generated, so there is nothing to cite.\n";

fn about_body(g: &Generator) -> String {
    let example = match g.entries.first() {
        Some(e) => format!(
            "See [the first entry](../entries/{}.md) for an example.",
            e.slug
        ),
        None => String::new(),
    };
    ABOUT_BODY.replace("{example}", &example)
}

fn site_yaml() -> String {
    let mut s = String::new();
    let _ = writeln!(s, "title: {}", q(SITE_TITLE));
    let _ = writeln!(s, "description: {}", q(SITE_DESCRIPTION));
    let _ = writeln!(s, "base_url: {}", q(BASE_URL));
    s.push_str("language: en\n");
    let _ = writeln!(s, "jurisdiction: {JURISDICTION}");
    let _ = writeln!(s, "author:\n  name: {}", q(AUTHOR));
    s.push_str("timeline:\n  order: newest\nfeed:\n  limit: 50\nthemes:\n");
    for t in THEMES {
        let _ = writeln!(
            s,
            "  {}:\n    name: {}\n    description: {}",
            t.id,
            q(t.name),
            q(t.description)
        );
    }
    s
}

fn slug_list(entries: &[Entry], list: &[usize]) -> String {
    let slugs: Vec<&str> = list.iter().map(|&j| entries[j].slug.as_str()).collect();
    format!("[{}]", slugs.join(", "))
}

/// The front-matter lines both sites share (annals' fields; dates as annals writes them,
/// quoted on the Hugo side so that Hugo keeps them as text).
fn common_front_matter(out: &mut String, entries: &[Entry], e: &Entry, hugo: bool) {
    let date = |d: &PDate| if hugo { q(&d.iso()) } else { d.iso() };
    let _ = writeln!(out, "title: {}", q(&e.title));
    if hugo {
        let _ = writeln!(out, "when: {}", date(&e.date));
    } else {
        let _ = writeln!(out, "date: {}", date(&e.date));
    }
    if let Some(end) = &e.end {
        let _ = writeln!(out, "end: {}", date(end));
    }
    let _ = writeln!(out, "status: {}", STATUSES[e.status].0);
    let _ = writeln!(out, "instrument: {}", INSTRUMENTS[e.instrument].0);
    if let Some(j) = e.jurisdiction {
        let _ = writeln!(out, "jurisdiction: {}", q(j));
    }
    let themes: Vec<&str> = e.themes.iter().map(|&t| THEMES[t].id).collect();
    let _ = writeln!(out, "themes: [{}]", themes.join(", "));
    let _ = writeln!(out, "summary: {}", q(&e.summary));
    out.push_str("sources:\n");
    for s in &e.sources {
        let _ = writeln!(out, "  - title: {}", q(&s.title));
        let _ = writeln!(out, "    url: {}", q(&s.url));
        if let Some(p) = s.publisher {
            let _ = writeln!(out, "    publisher: {}", q(p));
        }
        if let Some(d) = &s.date {
            let _ = writeln!(out, "    date: {}", date(d));
        }
    }
    if !e.related.is_empty() {
        let _ = writeln!(out, "related: {}", slug_list(entries, &e.related));
    }
    if let Some(u) = &e.updated {
        let _ = writeln!(out, "updated: {}", date(u));
    }
    if e.extra && !hugo {
        out.push_str("extra:\n  gazette: \"Kazakhstanskaya Pravda\"\n  pages: 12\n");
    }
}

fn annals_entry(entries: &[Entry], e: &Entry) -> String {
    let mut out = String::with_capacity(e.body.len() + 1024);
    out.push_str("---\n");
    common_front_matter(&mut out, entries, e, false);
    out.push_str("---\n");
    out.push_str(&e.body);
    out
}

/// Hugo's version: the same fields, plus what Hugo needs to produce the same pages without
/// an O(n²) template scan — its own `date` and `weight` (annals' time order), the year
/// (a taxonomy, for the year pages), the related entries declared either way and the
/// backlinks, both in time order (annals derives these while linking).
fn hugo_entry(
    entries: &[Entry],
    e: &Entry,
    weight: usize,
    related_all: &[usize],
    backlinks: &[usize],
) -> String {
    let mut out = String::with_capacity(e.body.len() + 1280);
    out.push_str("---\n");
    common_front_matter(&mut out, entries, e, true);
    let _ = writeln!(out, "date: {}", e.date.first_day_iso());
    if let Some(u) = &e.updated {
        let _ = writeln!(out, "lastmod: {}", u.first_day_iso());
    }
    let _ = writeln!(out, "weight: {weight}");
    let _ = writeln!(out, "years: [\"{:04}\"]", e.date.y);
    if !related_all.is_empty() {
        let _ = writeln!(out, "related_all: {}", slug_list(entries, related_all));
    }
    if !backlinks.is_empty() {
        let _ = writeln!(out, "backlinks: {}", slug_list(entries, backlinks));
    }
    out.push_str("---\n");
    out.push_str(&e.body);
    out
}

/// The Hugo templates, kept as files under scripts/hugo/layouts.
const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        include_str!("../scripts/hugo/layouts/_default/baseof.html"),
    ),
    (
        "_default/single.html",
        include_str!("../scripts/hugo/layouts/_default/single.html"),
    ),
    (
        "_default/list.html",
        include_str!("../scripts/hugo/layouts/_default/list.html"),
    ),
    (
        "_default/_markup/render-link.html",
        include_str!("../scripts/hugo/layouts/_default/_markup/render-link.html"),
    ),
    (
        "pages/single.html",
        include_str!("../scripts/hugo/layouts/pages/single.html"),
    ),
    (
        "index.html",
        include_str!("../scripts/hugo/layouts/index.html"),
    ),
    (
        "index.atom.xml",
        include_str!("../scripts/hugo/layouts/index.atom.xml"),
    ),
    (
        "themes/taxonomy.html",
        include_str!("../scripts/hugo/layouts/themes/taxonomy.html"),
    ),
    (
        "themes/term.html",
        include_str!("../scripts/hugo/layouts/themes/term.html"),
    ),
    (
        "years/term.html",
        include_str!("../scripts/hugo/layouts/years/term.html"),
    ),
    ("404.html", include_str!("../scripts/hugo/layouts/404.html")),
    (
        "robots.txt",
        include_str!("../scripts/hugo/layouts/robots.txt"),
    ),
    (
        "index.timelinejson.json",
        include_str!("../scripts/hugo/layouts/index.timelinejson.json"),
    ),
    (
        "index.timelinejs.json",
        include_str!("../scripts/hugo/layouts/index.timelinejs.json"),
    ),
    (
        "index.timelinecsv.csv",
        include_str!("../scripts/hugo/layouts/index.timelinecsv.csv"),
    ),
    (
        "themes/term.atom.xml",
        include_str!("../scripts/hugo/layouts/themes/term.atom.xml"),
    ),
    (
        "partials/atom.xml",
        include_str!("../scripts/hugo/layouts/partials/atom.xml"),
    ),
    (
        "_default/search.html",
        include_str!("../scripts/hugo/layouts/_default/search.html"),
    ),
    (
        "partials/overview.html",
        include_str!("../scripts/hugo/layouts/partials/overview.html"),
    ),
    (
        "partials/search_index.html",
        include_str!("../scripts/hugo/layouts/partials/search_index.html"),
    ),
    (
        "index.searchindex.json",
        include_str!("../scripts/hugo/layouts/index.searchindex.json"),
    ),
    (
        "index.searchmeta.json",
        include_str!("../scripts/hugo/layouts/index.searchmeta.json"),
    ),
    (
        "index.searchtext.json",
        include_str!("../scripts/hugo/layouts/index.searchtext.json"),
    ),
    (
        "partials/tl_date.html",
        include_str!("../scripts/hugo/layouts/partials/tl_date.html"),
    ),
    (
        "partials/entry_card.html",
        include_str!("../scripts/hugo/layouts/partials/entry_card.html"),
    ),
    (
        "partials/when.html",
        include_str!("../scripts/hugo/layouts/partials/when.html"),
    ),
    (
        "partials/when_parts.html",
        include_str!("../scripts/hugo/layouts/partials/when_parts.html"),
    ),
    (
        "partials/date_display.html",
        include_str!("../scripts/hugo/layouts/partials/date_display.html"),
    ),
    (
        "partials/tags.html",
        include_str!("../scripts/hugo/layouts/partials/tags.html"),
    ),
    (
        "partials/entry_link.html",
        include_str!("../scripts/hugo/layouts/partials/entry_link.html"),
    ),
];

fn hugo_config() -> String {
    let mut s = String::new();
    let _ = writeln!(s, "baseURL: {}", q(BASE_URL));
    s.push_str("languageCode: en\n");
    let _ = writeln!(s, "title: {}", q(SITE_TITLE));
    s.push_str(include_str!("../scripts/hugo/config-common.yaml"));
    s.push_str("params:\n");
    let _ = writeln!(s, "  description: {}", q(SITE_DESCRIPTION));
    let _ = writeln!(s, "  jurisdiction: {}", q(JURISDICTION));
    let _ = writeln!(s, "  author: {}", q(AUTHOR));
    s.push_str("  statuses:\n");
    for (id, label) in STATUSES {
        let _ = writeln!(s, "    {id}: {}", q(label));
    }
    s.push_str("  instruments:\n");
    for (id, label) in INSTRUMENTS {
        let _ = writeln!(s, "    {id}: {}", q(label));
    }
    // The same, in site.yaml's order (for lists and facets).
    s.push_str("  status_list:\n");
    for (id, label) in STATUSES {
        let _ = writeln!(s, "    - {{id: {id}, label: {}}}", q(label));
    }
    s.push_str("  instrument_list:\n");
    for (id, label) in INSTRUMENTS {
        let _ = writeln!(s, "    - {{id: {id}, label: {}}}", q(label));
    }
    s
}

/// Makes `dir` ready: missing, empty, or made by gen_corpus (then emptied).
fn prepare_dir(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty {
            if !dir.join(MARKER).is_file() {
                return Err(format!(
                    "{} is not empty and was not made by gen_corpus (no {MARKER} file); refusing to replace it",
                    dir.display()
                ));
            }
            fs::remove_dir_all(dir).map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
        }
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    write(
        &dir.join(MARKER),
        "Generated by examples/gen_corpus.rs; replaced on every run.\n",
    )
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn write_annals(dir: &Path, g: &Generator) -> Result<(), String> {
    prepare_dir(dir)?;
    write(&dir.join("site.yaml"), &site_yaml())?;
    let entries_dir = dir.join("content/entries");
    fs::create_dir_all(&entries_dir).map_err(|e| e.to_string())?;
    for e in &g.entries {
        write(
            &entries_dir.join(format!("{}.md", e.slug)),
            &annals_entry(&g.entries, e),
        )?;
    }
    let about = format!(
        "---\ntitle: \"About this chronicle\"\nsummary: \"What this generated chronicle is and how to read it.\"\nmenu: 1\n---\n{}",
        about_body(g)
    );
    write(&dir.join("content/pages/about.md"), &about)
}

fn write_hugo(dir: &Path, g: &Generator) -> Result<(), String> {
    prepare_dir(dir)?;
    write(&dir.join("hugo.yaml"), &hugo_config())?;
    for (name, text) in HUGO_LAYOUTS {
        write(&dir.join("layouts").join(name), text)?;
    }
    // annals' default static files (it writes them unless the site has its own).
    for name in ["style.css", "annals.js"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("static")
            .join(name);
        if let Ok(text) = fs::read_to_string(&path) {
            write(&dir.join("static").join(name), &text)?;
        }
    }
    write(
        &dir.join("content/search.md"),
        "---\ntitle: \"Search\"\nlayout: search\nkind: search\nurl: /search/\n_build:\n  list: never\n---\n",
    )?;

    // Section and taxonomy list pages annals does not have are not rendered.
    let hidden = "---\n_build:\n  render: never\n---\n";
    write(&dir.join("content/entries/_index.md"), hidden)?;
    write(&dir.join("content/pages/_index.md"), hidden)?;
    write(&dir.join("content/years/_index.md"), hidden)?;
    write(
        &dir.join("content/themes/_index.md"),
        &format!(
            "---\ntitle: \"Themes\"\ndescription: {}\n---\n",
            q(&format!("The themes of {SITE_TITLE}"))
        ),
    )?;
    for (k, t) in THEMES.iter().enumerate() {
        write(
            &dir.join(format!("content/themes/{}/_index.md", t.id)),
            &format!(
                "---\ntitle: {}\ndescription: {}\nweight: {}\noutputs: [HTML, Atom]\n---\n",
                q(t.name),
                q(t.description),
                k + 1
            ),
        )?;
    }

    let order = g.chronological();
    let n = g.entries.len();
    let mut rank = vec![0; n];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    let mut related_all: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut backlinks: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in g.entries.iter().enumerate() {
        for &j in &e.related {
            related_all[i].push(j);
            related_all[j].push(i);
        }
        for &j in &e.links {
            if j != i {
                backlinks[j].push(i);
            }
        }
    }
    for list in related_all.iter_mut().chain(backlinks.iter_mut()) {
        list.sort_by_key(|&j| rank[j]);
        list.dedup();
    }
    let entries_dir = dir.join("content/entries");
    for (i, e) in g.entries.iter().enumerate() {
        write(
            &entries_dir.join(format!("{}.md", e.slug)),
            &hugo_entry(&g.entries, e, rank[i] + 1, &related_all[i], &backlinks[i]),
        )?;
    }
    let about = format!(
        "---\ntitle: \"About this chronicle\"\nsummary: \"What this generated chronicle is and how to read it.\"\nmenu:\n  main:\n    weight: 1\n---\n{}",
        about_body(g)
    );
    write(&dir.join("content/pages/about.md"), &about)
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut g = Generator::new(args.seed);
    g.metadata(args.entries);
    g.related();
    g.bodies();
    let result = write_annals(&args.out, &g).and_then(|()| match &args.hugo {
        Some(h) => write_hugo(h, &g),
        None => Ok(()),
    });
    match result {
        Ok(()) => {
            let bytes: usize = g.entries.iter().map(|e| e.body.len()).sum();
            println!(
                "Wrote {} entries ({} KB of Markdown bodies) to {}{}",
                g.entries.len(),
                bytes / 1024,
                args.out.display(),
                args.hugo
                    .as_ref()
                    .map(|h| format!(" and its Hugo twin to {}", h.display()))
                    .unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
