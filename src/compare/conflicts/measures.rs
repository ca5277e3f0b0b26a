//! Measurements in one unit per dimension, for comparison across outlets (pure).
//!
//! Outlets give one distance or weight in the units of their own readers: "about 940 miles
//! south of Tehran" / "1,150 kilometers (700 miles)", "fell around 2,000ft" / "fell 700
//! metres", "weighing 130 pounds" / "59 kg". The claims layer keeps each figure in the unit
//! it was written in (a revision from miles to kilometres is a change worth seeing); here a
//! distance becomes metres and a weight kilograms, so such figures meet in one slot and
//! are judged by value. A converted figure was rounded in its own unit, so it becomes a
//! narrow hedge (±1 %) rather than an exact point: "940 miles" and "1,500 km" agree.

use crate::claims::{Claim, Kind, UnitClass, Value};

/// The slot of every distance, in metres.
pub(super) const DISTANCE: &str = "distance (m)";
/// The slot of every weight, in kilograms.
pub(super) const WEIGHT: &str = "weight (kg)";

/// Relative rounding margin given to a converted figure.
const CONVERSION_MARGIN: f64 = 0.01;

/// Metres or kilograms per unit, for the unit names the number reader gives.
fn factor(class: UnitClass, unit: &str) -> Option<(&'static str, f64)> {
    Some(match (class, unit) {
        (UnitClass::Distance, "m") => (DISTANCE, 1.0),
        (UnitClass::Distance, "km") => (DISTANCE, 1000.0),
        (UnitClass::Distance, "mile") => (DISTANCE, 1609.344),
        (UnitClass::Distance, "cm") => (DISTANCE, 0.01),
        (UnitClass::Distance, "mm") => (DISTANCE, 0.001),
        (UnitClass::Distance, "ft") => (DISTANCE, 0.3048),
        (UnitClass::Distance, "yd") => (DISTANCE, 0.9144),
        (UnitClass::Distance, "in") => (DISTANCE, 0.0254),
        (UnitClass::Weight, "kg") => (WEIGHT, 1.0),
        (UnitClass::Weight, "g") => (WEIGHT, 0.001),
        (UnitClass::Weight, "tonne") => (WEIGHT, 1000.0),
        (UnitClass::Weight, "lb") => (WEIGHT, 0.453_592_37),
        (UnitClass::Weight, "oz") => (WEIGHT, 0.028_349_523),
        _ => return None,
    })
}

/// Whether a claim is a physical measurement (a distance or a weight), in any unit.
pub(super) fn is_measurement(c: &Claim) -> bool {
    c.kind == Kind::Quantity && (c.slot == DISTANCE || c.slot == WEIGHT)
}

/// The claim in its dimension's unit: slot [`DISTANCE`] or [`WEIGHT`], value scaled (a
/// converted point widened by the rounding margin). Other claims are returned unchanged.
pub(super) fn normalise(mut c: Claim) -> Claim {
    let Some(class) = c.class else {
        return c;
    };
    if c.kind != Kind::Quantity {
        return c;
    }
    let Some((slot, f)) = factor(class, &c.slot) else {
        return c;
    };
    if let Value::Number { min, max, exact } = c.value {
        // metric prefixes are exact; miles, feet and pounds were rounded in their own unit
        let converted = f.log10().fract().abs() > 1e-9;
        let (mut lo, mut hi) = (min * f, max * f);
        if converted && min == max && min.is_finite() {
            lo *= 1.0 - CONVERSION_MARGIN;
            hi *= 1.0 + CONVERSION_MARGIN;
        }
        c.value = Value::Number {
            min: lo,
            max: hi,
            exact: exact && !converted,
        };
        c.slot = slot.to_string();
    }
    c
}

/// The slot of how many people live in a place, however it is counted.
pub(super) const POPULATION: &str = "population";

/// Nouns that count the people living in a place.
const POPULATION_NOUNS: &[&str] = &["population", "resident", "inhabitant", "people", "person"];

/// A count of the people living somewhere, in one slot: "a population of 120,000", "about
/// 200,000 residents", "home to 200,000 people" (a count of "people" only after "home to":
/// every story counts people for other reasons). `before` is the sentence up to the claim.
pub(super) fn population(mut c: Claim, before: &str) -> Claim {
    if c.kind != Kind::Quantity || !POPULATION_NOUNS.contains(&c.slot.as_str()) {
        return c;
    }
    let people = matches!(c.slot.as_str(), "people" | "person");
    let home_to = before.trim_end().to_lowercase().ends_with("home to");
    if people && !home_to {
        return c;
    }
    c.slot = POPULATION.to_string();
    c.class = Some(crate::claims::UnitClass::Person);
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::extract_claims;

    fn claims(sentence: &str) -> Vec<Claim> {
        let article = crate::extract::Article {
            paragraphs: vec![sentence.to_string()],
            ..Default::default()
        };
        extract_claims(&article, None).claims
    }

    fn measure(sentence: &str) -> Claim {
        let dc = claims(sentence);
        let c = dc
            .into_iter()
            .find(|c| matches!(c.class, Some(UnitClass::Distance | UnitClass::Weight)))
            .unwrap_or_else(|| panic!("no measurement in {sentence:?}"));
        normalise(c)
    }

    fn range(c: &Claim) -> (f64, f64) {
        match c.value {
            Value::Number { min, max, .. } => (min, max),
            _ => panic!("{c:?}"),
        }
    }

    #[test]
    fn miles_and_feet_become_metres() {
        let m = measure("The island lies 940 miles south of the capital.");
        assert_eq!(m.slot, DISTANCE);
        let (lo, hi) = range(&m);
        assert!(
            lo < 1_512_763.0 && hi > 1_512_763.0 && hi - lo < 40_000.0,
            "{lo} {hi}"
        );
        let f = measure("The climber fell 2,000 feet to his death.");
        let (lo, hi) = range(&f);
        assert!(lo < 609.6 && hi > 609.6, "{lo} {hi}");
        let k = measure("The island lies 1,150 kilometers south of the capital.");
        assert_eq!(k.slot, DISTANCE);
        assert_eq!(range(&k), (1_150_000.0, 1_150_000.0));
    }

    #[test]
    fn pounds_of_weight_become_kilograms_and_money_stays() {
        let w = measure("The suspect, weighing 130 pounds, was last seen on foot.");
        assert_eq!(w.slot, WEIGHT);
        let (lo, hi) = range(&w);
        assert!(lo < 58.97 && hi > 58.97, "{lo} {hi}");
        for c in claims("The club paid £130m for the ground.") {
            let n = normalise(c.clone());
            assert_eq!(n, c, "money is no measurement");
        }
    }
}

/// Compass words that may stand between a distance and its reference place ("south of",
/// "north-east of").
const COMPASS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "north-east",
    "north-west",
    "south-east",
    "south-west",
];

/// The place a distance is measured from: "1,500 kilometers south of Tehran", "about 940
/// miles (1,513 km) from Tehran", "20 km away from Kyiv" → the place claim's value. A
/// distance from a named place is a fact about that place and the story's subject, however
/// the outlet phrases the event around it; distances from two different places are two facts.
/// `places` are the sentence's place claims (byte span, canonical name).
pub(super) fn reference_place<'p>(
    sentence: &str,
    claim_end: usize,
    places: &[(std::ops::Range<usize>, &'p str)],
) -> Option<&'p str> {
    let rest = sentence.get(claim_end..)?;
    let mut at = claim_end + (rest.len() - rest.trim_start().len());
    // a conversion in brackets: "1,150 kilometers (700 miles) southeast of Tehran"
    if sentence[at..].starts_with('(') {
        let close = sentence[at..].find(')')?;
        at += close + 1;
        at += sentence[at..].len() - sentence[at..].trim_start().len();
    }
    let mut words = 0;
    loop {
        let rest = &sentence[at..];
        let w: String = rest
            .chars()
            .take_while(|c| c.is_alphabetic() || *c == '-')
            .collect();
        let lw = w.to_lowercase();
        if w.is_empty() || words > 3 {
            return None;
        }
        let step = w.len() + (rest[w.len()..].len() - rest[w.len()..].trim_start().len());
        if lw == "of" || lw == "from" {
            at += step;
            // "from the capital, Tehran" is not handled: the place must follow
            let rest = &sentence[at..];
            if rest.to_lowercase().starts_with("the ") {
                at += 4;
            }
            return places.iter().find(|(r, _)| r.start == at).map(|(_, p)| *p);
        }
        if !(COMPASS.contains(&lw.as_str()) || lw == "away" || lw == "due") {
            return None;
        }
        at += step;
        words += 1;
    }
}

#[cfg(test)]
mod reference_tests {
    use super::*;

    fn refp(s: &str, after: &str, place: &str) -> Option<String> {
        let end = s.find(after).unwrap() + after.len();
        let p = s.find(place).unwrap();
        reference_place(s, end, &[(p..p + place.len(), place)]).map(str::to_string)
    }

    #[test]
    fn the_place_a_distance_is_measured_from() {
        let s = "The island lies 1,500 kilometers south of Tehran.";
        assert_eq!(
            refp(s, "1,500 kilometers", "Tehran").as_deref(),
            Some("Tehran")
        );
        let s = "It is 1,150 kilometers (700 miles) southeast of Tehran.";
        assert_eq!(
            refp(s, "1,150 kilometers", "Tehran").as_deref(),
            Some("Tehran")
        );
        let s = "a village 20 km away from Kyiv";
        assert_eq!(refp(s, "20 km", "Kyiv").as_deref(), Some("Kyiv"));
        let s = "about 940 miles south-east of the Tehran area";
        assert_eq!(refp(s, "940 miles", "Tehran").as_deref(), Some("Tehran"));
    }

    #[test]
    fn a_distance_travelled_or_fallen_has_no_reference_place() {
        let s = "He fell 700 metres near Christchurch.";
        assert_eq!(refp(s, "700 metres", "Christchurch"), None);
        let s = "They walked 20 km to Kyiv.";
        assert_eq!(refp(s, "20 km", "Kyiv"), None);
        let s = "the 20 km of road from Kyiv";
        assert_eq!(refp(s, "20 km", "Kyiv"), None);
    }
}
