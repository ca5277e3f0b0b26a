//! Word tables for the number grammar (all keys lower-case).

use crate::claims::UnitClass;

/// Cardinal words below one hundred.
pub(super) fn small_number(w: &str) -> Option<f64> {
    Some(match w {
        "zero" | "nought" | "naught" => 0.0,
        "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        _ => return None,
    })
}

pub(super) fn tens_word(w: &str) -> Option<f64> {
    Some(match w {
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" | "fourty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        _ => return None,
    })
}

/// Multipliers written as words after a number ("1.2 million", "2.3bn", "13 lakh").
pub(super) fn scale_word(w: &str, attached: bool) -> Option<f64> {
    Some(match w {
        "hundred" => 1e2,
        "thousand" | "k" => 1e3,
        "lakh" | "lakhs" => 1e5,
        "million" | "mn" | "mln" | "mil" | "mio" => 1e6,
        "crore" | "crores" => 1e7,
        "billion" | "bn" | "bln" => 1e9,
        "trillion" | "tn" | "trn" | "tln" => 1e12,
        // single letters only when glued to the digits ("€650m", "1.2b")
        "m" if attached => 1e6,
        "b" if attached => 1e9,
        _ => return None,
    })
}

/// Plural scale words used vaguely: "hundreds", "thousands of", "millions".
pub(super) fn vague_scale(w: &str) -> Option<f64> {
    Some(match w {
        "hundreds" => 1e2,
        "thousands" => 1e3,
        "millions" => 1e6,
        "billions" => 1e9,
        "trillions" => 1e12,
        _ => return None,
    })
}

/// Fraction denominators: "third(s)", "quarter(s)", "fifth(s)" …
pub(super) fn denominator(w: &str) -> Option<f64> {
    let w = w.strip_suffix('s').unwrap_or(w);
    Some(match w {
        "half" | "halve" => 2.0,
        "third" => 3.0,
        "quarter" | "fourth" => 4.0,
        "fifth" => 5.0,
        "sixth" => 6.0,
        "seventh" => 7.0,
        "eighth" => 8.0,
        "ninth" => 9.0,
        "tenth" => 10.0,
        _ => return None,
    })
}

/// Ordinal words (never numbers by themselves).
pub(super) fn is_ordinal_word(w: &str) -> bool {
    matches!(
        w,
        "first"
            | "second"
            | "third"
            | "fourth"
            | "fifth"
            | "sixth"
            | "seventh"
            | "eighth"
            | "ninth"
            | "tenth"
            | "eleventh"
            | "twelfth"
            | "twentieth"
            | "hundredth"
            | "thousandth"
            | "millionth"
    )
}

/// Duration units → (normalised unit, multiplier into that unit).
pub(super) fn duration_unit(w: &str) -> Option<(&'static str, f64)> {
    Some(match w {
        "second" | "seconds" | "sec" | "secs" => ("seconds", 1.0),
        "minute" | "minutes" | "min" | "mins" => ("minutes", 1.0),
        "hour" | "hours" | "hr" | "hrs" => ("hours", 1.0),
        "day" | "days" => ("days", 1.0),
        "week" | "weeks" => ("weeks", 1.0),
        "month" | "months" => ("months", 1.0),
        "year" | "years" | "yr" | "yrs" => ("years", 1.0),
        "decade" | "decades" => ("years", 10.0),
        "century" | "centuries" => ("years", 100.0),
        _ => return None,
    })
}

/// Measurement units → (class, normalised unit).
pub(super) fn measure_unit(w: &str) -> Option<(UnitClass, &'static str)> {
    use UnitClass::{Distance, Weight};
    Some(match w {
        "km" | "kms" | "kilometre" | "kilometres" | "kilometer" | "kilometers" => (Distance, "km"),
        "mile" | "miles" | "mi" => (Distance, "mile"),
        "metre" | "metres" | "meter" | "meters" | "m" => (Distance, "m"),
        "cm" | "centimetre" | "centimetres" | "centimeter" | "centimeters" => (Distance, "cm"),
        "mm" | "millimetre" | "millimetres" | "millimeter" | "millimeters" => (Distance, "mm"),
        "ft" | "foot" | "feet" => (Distance, "ft"),
        "yard" | "yards" | "yd" | "yds" => (Distance, "yd"),
        "inch" | "inches" => (Distance, "in"),
        "kg" | "kgs" | "kilogram" | "kilograms" | "kilogramme" | "kilogrammes" | "kilo"
        | "kilos" => (Weight, "kg"),
        "tonne" | "tonnes" | "ton" | "tons" | "t" => (Weight, "tonne"),
        "g" | "gram" | "grams" | "gramme" | "grammes" => (Weight, "g"),
        "lb" | "lbs" => (Weight, "lb"),
        "ounce" | "ounces" | "oz" => (Weight, "oz"),
        "ml" | "millilitre" | "millilitres" | "milliliter" | "milliliters" => {
            (UnitClass::Other, "ml")
        }
        "l" | "litre" | "litres" | "liter" | "liters" => (UnitClass::Other, "l"),
        "gallon" | "gallons" => (UnitClass::Other, "gallon"),
        "barrel" | "barrels" => (UnitClass::Other, "barrel"),
        "hectare" | "hectares" | "ha" => (UnitClass::Other, "hectare"),
        "acre" | "acres" => (UnitClass::Other, "acre"),
        "mph" => (UnitClass::Other, "mph"),
        "kmh" | "kph" => (UnitClass::Other, "km/h"),
        "mw" | "megawatt" | "megawatts" => (UnitClass::Other, "mw"),
        "gw" | "gigawatt" | "gigawatts" => (UnitClass::Other, "gw"),
        "celsius" | "centigrade" => (UnitClass::Other, "°C"),
        "fahrenheit" => (UnitClass::Other, "°F"),
        _ => return None,
    })
}

/// Currency symbols written before (or after) the figure.
pub(super) fn currency_symbol(c: char) -> Option<&'static str> {
    Some(match c {
        '$' => "USD",
        '€' => "EUR",
        '£' => "GBP",
        '¥' => "JPY",
        '₹' => "INR",
        '₽' => "RUB",
        '₩' => "KRW",
        '₺' => "TRY",
        '₴' => "UAH",
        '₦' => "NGN",
        '₪' => "ILS",
        '₿' => "BTC",
        _ => return None,
    })
}

/// Letters glued before "$": "US$", "C$", "HK$" …
pub(super) fn dollar_prefix(w: &str) -> Option<&'static str> {
    Some(match w {
        "us" | "u.s" | "usd" => "USD",
        "c" | "ca" | "cad" => "CAD",
        "a" | "au" | "aud" => "AUD",
        "hk" | "hkd" => "HKD",
        "nz" | "nzd" => "NZD",
        "s" | "sgd" => "SGD",
        "r" => "BRL",
        "mex" | "mxn" => "MXN",
        _ => return None,
    })
}

/// ISO codes written in capitals ("USD 200", "115 EUR").
pub(super) fn currency_code(w: &str) -> Option<&'static str> {
    Some(match w {
        "USD" => "USD",
        "EUR" => "EUR",
        "GBP" => "GBP",
        "JPY" => "JPY",
        "CNY" | "RMB" => "CNY",
        "INR" => "INR",
        "CHF" => "CHF",
        "AUD" => "AUD",
        "CAD" => "CAD",
        "RUB" => "RUB",
        "HKD" => "HKD",
        "NZD" => "NZD",
        "SEK" => "SEK",
        "NOK" => "NOK",
        "DKK" => "DKK",
        "PLN" => "PLN",
        "TRY" => "TRY",
        "UAH" => "UAH",
        "ZAR" => "ZAR",
        "BRL" => "BRL",
        "MXN" => "MXN",
        "KRW" => "KRW",
        "SGD" => "SGD",
        "ILS" => "ILS",
        "NGN" => "NGN",
        "BTC" => "BTC",
        "Rs" => "INR",
        _ => return None,
    })
}

/// Currency names written after the figure ("5 dollars", "323 million euros").
pub(super) fn currency_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "dollar" | "dollars" => "USD",
        "euro" | "euros" => "EUR",
        "pound" | "pounds" | "sterling" => "GBP",
        "yen" => "JPY",
        "yuan" | "renminbi" | "rmb" => "CNY",
        "rupee" | "rupees" => "INR",
        "rouble" | "roubles" | "ruble" | "rubles" => "RUB",
        "hryvnia" | "hryvnias" | "hryvnas" => "UAH",
        "shekel" | "shekels" => "ILS",
        "lira" | "liras" => "TRY",
        "rand" => "ZAR",
        "naira" => "NGN",
        "dirham" | "dirhams" => "AED",
        "riyal" | "riyals" => "SAR",
        "usd" => "USD",
        "eur" => "EUR",
        "gbp" => "GBP",
        "bitcoin" | "bitcoins" | "btc" => "BTC",
        "franc" | "francs" => "franc",
        "peso" | "pesos" => "peso",
        "cent" | "cents" => "cent",
        "pence" | "penny" => "pence",
        _ => return None,
    })
}

/// A qualifier before "dollars"/"francs" that names the currency.
pub(super) fn currency_qualifier(w: &str, cur: &str) -> Option<&'static str> {
    Some(match (w, cur) {
        ("us" | "american", "USD") => "USD",
        ("canadian", "USD") => "CAD",
        ("australian", "USD") => "AUD",
        ("singapore", "USD") => "SGD",
        ("taiwan", "USD") => "TWD",
        ("zealand", "USD") => "NZD",
        ("kong", "USD") => "HKD",
        ("swiss", "franc") => "CHF",
        ("mexican", "peso") => "MXN",
        ("argentine", "peso") => "ARS",
        ("chinese", "CNY") => "CNY",
        ("japanese", "JPY") => "JPY",
        ("indian", "INR") => "INR",
        ("pakistani", "INR") => "PKR",
        ("turkish", "TRY") => "TRY",
        _ => return None,
    })
}

/// Month names (only capitalised forms count).
pub(super) fn is_month(w: &str) -> bool {
    matches!(
        w,
        "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
    )
}

/// Lower-case words after which a number is a label, not a quantity ("page 5", "flight 370").
pub(super) fn is_label_word(w: &str) -> bool {
    matches!(
        w,
        "page"
            | "pages"
            | "p"
            | "pp"
            | "chapter"
            | "paragraph"
            | "para"
            | "clause"
            | "article"
            | "articles"
            | "section"
            | "sections"
            | "item"
            | "verse"
            | "line"
            | "episode"
            | "volume"
            | "vol"
            | "issue"
            | "no"
            | "nos"
            | "nr"
            | "nrs"
            | "number"
            | "gate"
            | "platform"
            | "terminal"
            | "room"
            | "route"
            | "flight"
            | "highway"
            | "interstate"
            | "resolution"
            | "amendment"
            | "rule"
            | "phase"
            | "stage"
            | "level"
            | "grade"
            | "tier"
            | "category"
            | "class"
            | "type"
            | "model"
            | "version"
            | "channel"
            | "bus"
            | "tram"
            | "exit"
            | "junction"
            | "district"
            | "ward"
            | "precinct"
            | "lot"
            | "unit"
            | "apartment"
            | "apt"
            | "suite"
            | "building"
            | "block"
            | "zone"
            | "sector"
            | "pier"
            | "dock"
            | "figure"
            | "fig"
            | "table"
            | "appendix"
            | "annex"
            | "step"
            | "part"
            | "act"
            | "scene"
            | "game"
            | "round"
            | "week"
            | "day"
            | "group"
            | "pool"
            | "match"
            | "race"
            | "lane"
            | "seat"
            | "row"
            | "bay"
            | "season"
            | "series"
            | "windows"
            | "ios"
            | "android"
            | "covid"
            | "sars"
            | "v"
            | "version."
            | "code"
            | "bill"
            | "law"
            | "order"
            | "case"
            | "ticket"
            | "account"
            | "id"
            | "ref"
            | "reference"
            | "postcode"
            | "zip"
            | "street"
            | "avenue"
            | "road"
            | "tel"
            | "phone"
            | "fax"
            | "ext"
    )
}

/// Words that end a head-noun search: function words, auxiliaries, pronouns.
pub(super) fn is_stop_word(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "of"
            | "in"
            | "on"
            | "at"
            | "to"
            | "for"
            | "with"
            | "by"
            | "from"
            | "and"
            | "or"
            | "but"
            | "nor"
            | "were"
            | "was"
            | "is"
            | "are"
            | "be"
            | "been"
            | "being"
            | "have"
            | "has"
            | "had"
            | "will"
            | "would"
            | "could"
            | "should"
            | "may"
            | "might"
            | "must"
            | "can"
            | "shall"
            | "did"
            | "do"
            | "does"
            | "said"
            | "says"
            | "say"
            | "who"
            | "whom"
            | "whose"
            | "which"
            | "that"
            | "this"
            | "these"
            | "those"
            | "as"
            | "than"
            | "not"
            | "also"
            | "more"
            | "most"
            | "less"
            | "fewer"
            | "per"
            | "each"
            | "every"
            | "it"
            | "its"
            | "they"
            | "them"
            | "their"
            | "he"
            | "she"
            | "his"
            | "her"
            | "we"
            | "our"
            | "you"
            | "your"
            | "i"
            | "me"
            | "my"
            | "so"
            | "if"
            | "when"
            | "while"
            | "after"
            | "before"
            | "since"
            | "until"
            | "during"
            | "into"
            | "over"
            | "under"
            | "about"
            | "around"
            | "across"
            | "between"
            | "against"
            | "among"
            | "through"
            | "up"
            | "down"
            | "out"
            | "off"
            | "ago"
            | "later"
            | "earlier"
            | "already"
            | "still"
            | "just"
            | "only"
            | "all"
            | "both"
            | "either"
            | "other"
            | "another"
            | "such"
            | "there"
            | "here"
            | "then"
            | "now"
            | "yet"
            | "again"
            | "too"
            | "very"
            | "last"
            | "next"
            | "this."
            | "where"
            | "what"
            | "how"
            | "why"
            | "reportedly"
            | "including"
            | "according"
            | "against."
            | "away"
            | "apiece"
            | "each."
            | "times"
            | "time"
            | "percent"
            | "per cent"
    )
}

/// Adjectives that often sit between a number and its noun.
pub(super) fn is_adjective(w: &str) -> bool {
    matches!(
        w,
        "more"
            | "other"
            | "new"
            | "additional"
            | "further"
            | "young"
            | "old"
            | "elderly"
            | "foreign"
            | "local"
            | "armed"
            | "innocent"
            | "unarmed"
            | "senior"
            | "junior"
            | "small"
            | "large"
            | "big"
            | "major"
            | "key"
            | "different"
            | "separate"
            | "individual"
            | "military"
            | "civil"
            | "public"
            | "private"
            | "western"
            | "eastern"
            | "northern"
            | "southern"
            | "top"
            | "high"
            | "low"
            | "former"
            | "current"
            | "serving"
            | "top-level"
            | "full"
            | "full-time"
            | "part-time"
            | "heavy"
            | "light"
            | "regular"
            | "special"
            | "rival"
            | "fellow"
            | "suspected"
            | "alleged"
            | "presumed"
            | "possible"
            | "potential"
            | "likely"
            | "active"
            | "new."
            | "different."
            | "such"
            | "many"
            | "few"
            | "extra"
            | "total"
            | "whole"
            | "entire"
            | "russian"
            | "ukrainian"
            | "american"
            | "british"
            | "european"
            | "african"
            | "asian"
            | "palestinian"
            | "israeli"
            | "chinese"
            | "french"
            | "german"
            | "indian"
    )
}

/// Irregular plurals and collective nouns that count people.
pub(super) fn is_plural_form(w: &str) -> bool {
    matches!(
        w,
        "people"
            | "children"
            | "men"
            | "women"
            | "police"
            | "personnel"
            | "staff"
            | "troops"
            | "crew"
            | "youth"
            | "cattle"
            | "sheep"
            | "fish"
            | "aircraft"
    ) || (w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is"))
}

/// Simple English singular.
pub(super) fn singular(w: &str) -> String {
    match w {
        "people" => return "person".into(),
        "children" => return "child".into(),
        "men" => return "man".into(),
        "women" => return "woman".into(),
        "lives" => return "life".into(),
        "wives" => return "wife".into(),
        "feet" => return "foot".into(),
        "teeth" => return "tooth".into(),
        "mice" => return "mouse".into(),
        "police" | "personnel" | "staff" | "news" | "series" | "species" | "aircraft" => {
            return w.into();
        }
        _ => {}
    }
    if w.len() > 4
        && let Some(s) = w.strip_suffix("ies")
    {
        return format!("{s}y");
    }
    for suf in ["sses", "ches", "shes", "xes", "zes"] {
        if w.ends_with(suf) {
            return w[..w.len() - 2].into();
        }
    }
    if w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") || w.len() < 3 {
        return w.into();
    }
    w.strip_suffix('s').unwrap_or(w).into()
}

/// The class of a (singular) head noun.
pub(super) fn class_of(head: &str) -> UnitClass {
    match head {
        "country" | "nation" | "state" | "delegation" | "ally" | "member state" | "government"
        | "signatory" | "party" | "economy" | "member country" => UnitClass::Party,
        "leader" | "president" | "prime minister" | "minister" | "head of state"
        | "head of government" | "chancellor" | "premier" | "monarch" | "king" | "queen"
        | "foreign minister" => UnitClass::Leader,
        "person" | "civilian" | "soldier" | "child" | "resident" | "passenger" | "worker"
        | "student" | "patient" | "victim" | "migrant" | "protester" | "protestor" | "officer"
        | "police officer" | "police" | "adult" | "man" | "woman" | "refugee" | "troop"
        | "troops" | "fighter" | "militant" | "hostage" | "prisoner" | "detainee" | "casualty"
        | "citizen" | "voter" | "employee" | "staff" | "crew" | "tourist" | "pilgrim"
        | "athlete" | "journalist" | "doctor" | "nurse" | "teacher" | "firefighter" | "rescuer"
        | "survivor" | "inmate" | "demonstrator" | "suspect" | "baby" | "infant" | "girl"
        | "boy" | "teenager" | "pupil" | "volunteer" | "rebel" | "guard" | "personnel"
        | "individual" | "inhabitant" | "evacuee" | "villager" | "miner" | "farmer" | "driver"
        | "delegate" | "official" | "member" | "asylum seeker" | "seeker" | "settler"
        | "combatant" | "gunman" | "attacker" | "spectator" | "fan" | "sailor" | "marine"
        | "pilot" | "diplomat" | "lawmaker" | "legislator" | "mp" | "senator" | "immigrant"
        | "displaced person" | "youth" | "life" | "death" | "fatality" | "injury" | "arrest"
        | "body" | "corpse" => UnitClass::Person,
        _ => UnitClass::Other,
    }
}

/// A role word ("killed", "wounded", "deaths") → the normalised role.
pub(super) fn role_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "killed" | "dead" | "died" | "die" | "deaths" | "death" | "toll" | "killing"
        | "fatalities" | "fatality" | "perished" | "slain" | "kills" | "bodies" => "killed",
        "injured" | "wounded" | "hurt" | "injuries" | "injuring" | "wounding" | "injures" => {
            "injured"
        }
        "arrested" | "detained" | "arrests" | "arresting" | "detaining" | "detentions" => {
            "arrested"
        }
        "missing" | "unaccounted" => "missing",
        "evacuated" | "evacuating" | "evacuations" | "evacuees" => "evacuated",
        "displaced" | "displacing" => "displaced",
        "rescued" | "rescuing" => "rescued",
        "infected" | "infections" | "cases" | "infecting" => "infected",
        "hospitalised" | "hospitalized" => "hospitalised",
        "voted" | "votes" | "voting" => "voted",
        _ => return None,
    })
}

/// Words allowed between a count and the role word that follows it ("were reportedly killed").
pub(super) fn is_role_gap_after(w: &str) -> bool {
    matches!(
        w,
        "were"
            | "was"
            | "are"
            | "is"
            | "have"
            | "has"
            | "had"
            | "been"
            | "being"
            | "be"
            | "reportedly"
            | "also"
            | "later"
            | "confirmed"
            | "now"
            | "feared"
            | "believed"
            | "thought"
            | "to"
            | "presumed"
            | "left"
            | "remain"
            | "remained"
            | "remains"
            | "still"
            | "either"
            | "seriously"
            | "critically"
            | "badly"
            | "fatally"
            | "slightly"
            | "lightly"
            | "who"
            | "reported"
            | "officially"
            | "listed"
            | "as"
            | "all"
            | "been."
            | "allegedly"
            | "already"
    )
}

/// Words allowed between a role word and the count after it ("the death toll rose to 52").
pub(super) fn is_role_gap_before(w: &str) -> bool {
    matches!(
        w,
        "to" | "at"
            | "rose"
            | "risen"
            | "climbed"
            | "reached"
            | "stood"
            | "stands"
            | "now"
            | "has"
            | "had"
            | "have"
            | "is"
            | "was"
            | "of"
            | "number"
            | "the"
            | "total"
            | "a"
            | "rising"
            | "jumped"
            | "increased"
            | "hit"
            | "official"
            | "toll"
            | "were"
            | "are"
            | "been"
            | "reportedly"
            | "another"
            | "by"
    )
}
