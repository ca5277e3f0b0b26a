//! Word tokens and the small word lists shared by the quote, person and place recognisers.

/// One token of a sentence: a word (letters/digits with inner `.`, `-`, `'`, `’`, and the
/// final dot of abbreviations such as "U.S." or "Dr.") or a single punctuation character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub word: bool,
}

impl Tok {
    pub fn text<'a>(&self, s: &'a str) -> &'a str {
        &s[self.start..self.end]
    }
}

const ABBREV: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Gen", "Sen", "Rep", "Col", "Lt", "Sgt", "Gov", "Prof", "St", "Capt",
    "Adm", "Maj", "Rev", "Jr", "Sr", "Cmdr", "Brig", "Amb",
];

pub(crate) fn tokens(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (b, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let mut j = i + 1;
            while j < chars.len() {
                let cj = chars[j].1;
                if cj.is_alphanumeric() {
                    j += 1;
                } else if matches!(cj, '.' | '-' | '\'' | '’' | '‑')
                    && j + 1 < chars.len()
                    && chars[j + 1].1.is_alphanumeric()
                {
                    j += 2;
                } else {
                    break;
                }
            }
            let mut end = if j < chars.len() { chars[j].0 } else { s.len() };
            // Trailing dot of an abbreviation ("Dr.", "U.S.").
            if j < chars.len() && chars[j].1 == '.' {
                let w = &s[b..end];
                if ABBREV.contains(&w)
                    || (w.contains('.') && w.chars().all(|c| c.is_uppercase() || c == '.'))
                {
                    end += 1;
                    j += 1;
                }
            }
            out.push(Tok {
                start: b,
                end,
                word: true,
            });
            i = j;
        } else {
            out.push(Tok {
                start: b,
                end: b + c.len_utf8(),
                word: false,
            });
            i += 1;
        }
    }
    out
}

pub(crate) fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// "Zelensky’s" → "Zelensky"; other words unchanged.
pub(crate) fn strip_possessive(w: &str) -> &str {
    for suf in ["’s", "'s", "’", "'"] {
        if let Some(stem) = w.strip_suffix(suf)
            && !stem.is_empty()
        {
            return stem;
        }
    }
    w
}

pub(crate) fn has_possessive(w: &str) -> bool {
    strip_possessive(w).len() != w.len()
}

/// Verbs that introduce or follow a quotation (lower-case).
pub(crate) const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "wrote",
    "writes",
    "warned",
    "warns",
    "insisted",
    "insists",
    "claimed",
    "claims",
    "stated",
    "states",
    "explained",
    "explains",
    "noted",
    "notes",
    "asked",
    "asks",
    "replied",
    "replies",
    "tweeted",
    "tweets",
    "posted",
    "declared",
    "declares",
    "announced",
    "argued",
    "argues",
    "stressed",
    "stresses",
    "emphasised",
    "emphasized",
    "acknowledged",
    "admitted",
    "recalled",
    "continued",
    "concluded",
    "suggested",
    "urged",
    "urges",
    "vowed",
    "pledged",
    "promised",
    "confirmed",
    "denied",
    "remarked",
    "commented",
    "observed",
    "responded",
    "testified",
    "cautioned",
    "predicted",
    "added",
    "answered",
    "shouted",
    "quipped",
    "conceded",
    "agreed",
    "reiterated",
];

pub(crate) fn is_speech_verb(w: &str) -> bool {
    SPEECH_VERBS.contains(&w.to_lowercase().as_str())
}

/// Words that may stand between a speaker and the speech verb ("Lee also said").
pub(crate) const VERB_FILLERS: &[&str] = &[
    "also",
    "later",
    "earlier",
    "previously",
    "has",
    "have",
    "had",
    "then",
    "again",
    "once",
    "repeatedly",
    "separately",
    "further",
    "publicly",
    "recently",
    "reportedly",
    "would",
    "will",
    "had",
    "was",
    "is",
    "just",
    "simply",
    "flatly",
    "bluntly",
    "told",
    "on",
];

pub(crate) const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
];
pub(crate) const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Capitalised words that are never part of a person's name.
pub(crate) const NOT_NAME: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "But",
    "And",
    "Or",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "As",
    "For",
    "From",
    "To",
    "With",
    "Without",
    "Of",
    "By",
    "This",
    "That",
    "These",
    "Those",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Their",
    "Our",
    "My",
    "Its",
    "There",
    "Here",
    "What",
    "Who",
    "Why",
    "How",
    "Where",
    "Since",
    "So",
    "Yet",
    "Also",
    "However",
    "Meanwhile",
    "Ministry",
    "Council",
    "Union",
    "Party",
    "Agency",
    "Committee",
    "Commission",
    "Government",
    "Office",
    "Department",
    "House",
    "Senate",
    "Congress",
    "Parliament",
    "Court",
    "Bank",
    "Group",
    "News",
    "Times",
    "Post",
    "Reuters",
    "Associated",
    "Press",
    "University",
    "Institute",
    "Army",
    "Forces",
    "Force",
    "Navy",
    "NATO",
    "EU",
    "UN",
    "Coalition",
    "Willing",
    "Kremlin",
    "White",
    "Palace",
    "Elysee",
    "Élysée",
    "Foundation",
    "Company",
    "Inc",
    "Ltd",
    "Corp",
    "Club",
    "Airlines",
    "Airport",
    "Embassy",
    "Police",
    "Service",
    "Security",
    "Staff",
    "Defence",
    "Defense",
    "Foreign",
    "Affairs",
    "Interior",
    "Justice",
    "Finance",
    "State",
    "States",
    "United",
    "European",
    "Republican",
    "Democrat",
    "Democrats",
    "Republicans",
    "Christmas",
    "Easter",
    "God",
    "Internet",
    "Today",
    "Yesterday",
    "Tomorrow",
    "According",
    "Show",
    "More",
    "Related",
    "Articles",
    "Read",
    "Back",
    "Top",
    "Verified",
    "Policy",
    "Share",
    "Subscribe",
    "Photo",
    "Video",
    "Image",
    "Getty",
    "AFP",
    "AP",
    "BBC",
    "CNN",
    "FAQ",
    "Q",
    "Some",
    "Many",
    "All",
    "Both",
    "Each",
    "Every",
    "No",
    "Not",
    "Now",
    "Then",
    "Only",
    "Even",
    "Still",
    "Just",
    // titles and honorifics: they introduce a name but are not part of it
    "President",
    "Vice",
    "Prime",
    "Minister",
    "Chancellor",
    "Mayor",
    "Governor",
    "Senator",
    "Secretary",
    "General",
    "Gen.",
    "Sen.",
    "Rep.",
    "Gov.",
    "Col.",
    "Lt.",
    "Dr",
    "Dr.",
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Prof.",
    "Professor",
    "King",
    "Queen",
    "Prince",
    "Pope",
    "Ambassador",
    "Envoy",
    "Judge",
    "Commissioner",
    "Admiral",
    "Colonel",
    "Chief",
    "Deputy",
    "Spokesperson",
    "Spokesman",
    "Spokeswoman",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
];

pub(crate) fn never_name(w: &str) -> bool {
    NOT_NAME.contains(&w) || MONTHS.contains(&w) || WEEKDAYS.contains(&w)
}

/// Person pronouns resolved to the last person mentioned.
pub(crate) fn is_pronoun(w: &str) -> bool {
    matches!(w.to_lowercase().as_str(), "he" | "she" | "they")
}
