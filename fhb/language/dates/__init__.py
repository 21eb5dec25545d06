"""Norwegian date/time "wish" parser for FHB-bot (standard library only).

Turns free text such as "Hei, kunne dere kommet neste tirsdag på formiddagen?",
"uke 50 etter kl 12" or "til våren" (bokmål or nynorsk, with or without æøå) into a
`TimeWish`, and answers "when should a later visit be offered?" with
`parse_later_when`. `wish_in_request` keeps only the time wish of a booking request's
first message, `later_when_expression` only the words of a later-contact time, and
`choose_offered` reads "den første" or "torsdag passer" as one of the times shown.

Interpretation choices (Norwegian usage is ambiguous; these are deliberate):

* A weekday on its own, with "på", "neste", "kommende" or "denne" ("tirsdag",
  "neste tirsdag") is the first such day strictly after today, never today.
  "tirsdag neste uke" / "tirsdag i neste uke" is that weekday in the next ISO week.
  Plural or indefinite ("tirsdager", "en tirsdag", "alle tirsdager") is a weekday
  filter from today on with an open end. "onsdag eller torsdag" is the span from
  the first to the last of those next occurrences, filtered to those weekdays.
* "ikke (på) mandag" excludes that weekday (filter of the other days).
* A message is read clause by clause (split at , ; ! ? a full stop, "men", "fordi").
  A clause with "ikke"/"ikkje" or "travelt", "opptatt", "bortreist" ... is negated:
  "jeg kan ikke i dag", "mandag passer ikke", "før jul er det så travelt" leave those
  days out ("ikke før jul" starts on 24 Dec, "ikke neste uke" is an excluded week
  inside an open range), "etter kl 14 går ikke" ends at 14:00 and "ikke på
  formiddagen" starts at 12:00. "ikke" right before an expression negates only that
  kind ("tirsdag passer ikke på formiddagen" is Tuesday from 12:00). A clause opening
  "Kan dere ikke ...?" is a polite request, and "har ikke noe på tirsdag" means free.
* When dates contradict, a clause with "helst", "gjerne", "heller" or "best" wins:
  "helst etter jul, før jul er det så travelt" is after Christmas.
* "ikke for tidlig" / "ikkje tidleg" start at 10:00; "kl 10 er for tidlig" starts at
  10:30, "kl 14 er for sent" ends at 13:30.
* A weekday together with an explicit date is only kept when it agrees with it.
* "i morgen" is tomorrow; "God morgen" is a greeting; "morgen" is the part of day
  only as "morgenen", "om/på morgenen" or right after a weekday ("tirsdag morgen").
* Hours 1-6 without a leading zero mean the afternoon (13-18); with a part of day
  ("kl 7 i kveld", "kl 6 om morgenen") the part of day decides am/pm.
  "halv to" is 13:30, "kvart over ti" 10:15, "kvart på to" 13:45.
* A bare number is a time only after "kl"/"klokka", "etter/før/fra/mellom/rundt/ca",
  as "13:30", as "13.30" (when it is not a valid day.month) or as "13-tiden";
  "10.12" without "kl" is the 10th of December. A bare number is a day only when a
  month follows ("15. desember") or after "den" ("den 15."). So street numbers,
  phone numbers and birth years are never read as dates or times.
* Dates without a year that already passed this year mean next year; dates written
  with a year that is in the past (e.g. a birth date "22.11.1948") are ignored.
* One exact clock time wins over a part of day ("kl 10 på formiddagen" -> exact
  10:00); two or more clock times ("kl 10 eller kl 13") become an earliest/latest
  window.
* "til våren/sommeren/høsten/vinteren" and "neste vår" mean the next season that
  has not started yet; "i vår/høst/vinter", "på våren", "våren" mean the current
  season (from today) when we are in it, else the next one. Seasons are
  meteorological: spring Mar-May, summer Jun-Aug, autumn Sep-Nov, winter Dec-Feb.
  "etter/over sommeren" starts the day after that season; "før sommeren" ends the
  day before the next one.
* "før jul" ends 23 Dec; "etter jul/nyttår", "over nyttår", "etter juleferien" start
  on the next 2 Jan on or after today; "i romjula" is 27-31 Dec; "etter påske"
  starts the Tuesday after Easter Monday; "før påske" ends the Wednesday before
  Maundy Thursday.
* "i slutten av januar" is 20th-end, "i begynnelsen av" 1st-10th, "midten av"
  10th-20th. "tidlig i (neste) uke" is Mon-Wed, "midt i uka" Tue-Thu, "i slutten av
  uka" Thu-Sun.
* "om to uker" is the whole ISO week two weeks ahead; "om tre dager" that exact day;
  "om tre måneder"/"om et halvår"/"om et år" start then and are open-ended;
  "etter to uker" starts then, "innen to uker" ends then.
* "neste år" is the whole next year, and moves months/dates in the same text to it
  ("i mars neste år").
* Date prefixes: "fra (og med) X" starts at X, "etter/over X" starts the day after X,
  "før X" ends the day before X, "innen/senest/til og med X" ends on X.
* Contradicting date phrases are intersected; when that is empty the text is read as
  alternatives if it contains "eller" (union), otherwise the first phrase wins.
"""

from fhb.language.dates.calendar import easter_sunday
from fhb.language.dates.choice import choose_offered
from fhb.language.dates.expressions import later_when_expression, wish_in_request
from fhb.language.dates.wish import TimeWish, parse_later_when, parse_time_wish

__all__ = [
    "TimeWish",
    "choose_offered",
    "easter_sunday",
    "later_when_expression",
    "parse_later_when",
    "parse_time_wish",
    "wish_in_request",
]
