"""Cover letters in the shapes people write them: the writer, the addressee, the role and the letter's text."""

from __future__ import annotations

import pytest

from pipeline.cover_letter import parse_cover_letter
from pipeline.extract import document_from_text

ENGLISH = """Marta Kowalczyk
marta.kowalczyk@example.org | +1 415 555 0134 | Chicago, IL

3 March 2025

Priya Patel
Head of Engineering
Northwind Logistics
200 W Madison St
Chicago, IL 60606

Re: Application for Senior Backend Engineer (Ref. 2231)

Dear Ms. Patel,

I am writing to apply for the Senior Backend Engineer position at Northwind Logistics. For eight years I
have built routing and billing systems in Python and Go.

At Contoso Freight I led the move to Kubernetes and cut deploy times by 70%.

I would welcome the chance to talk about the role.

Kind regards,

Marta Kowalczyk
"""

GERMAN = """Jonas Müller
Lindenstraße 12, 70173 Stuttgart
jonas.mueller@mailbox.org
+49 711 555 0199

Stuttgart, 14.02.2025

Bosch GmbH
Frau Anna Weber
Personalabteilung

Bewerbung als Entwicklungsingenieur Antriebstechnik

Sehr geehrte Frau Weber,

mit großem Interesse habe ich Ihre Ausschreibung für die Stelle als Entwicklungsingenieur Antriebstechnik bei
der Bosch GmbH gelesen.

Mit freundlichen Grüßen
Jonas Müller
"""

SIGNED_AT_THE_END = """March 10, 2025

Dear Hiring Manager,

I am excited to apply for the role of Data Analyst at Acme Analytics. My background in SQL and Tableau fits
the team's work.

Thank you for your consideration.

Sincerely,
Lena Ortiz
lena.ortiz@example.com
"""

FRENCH = """Claire Dubois
claire.dubois@example.fr
06 12 34 56 78

Objet : Candidature au poste de Responsable service client

Madame, Monsieur,

Je souhaite vous proposer ma candidature au poste de Responsable service client au sein de votre entreprise.

Cordialement,
Claire Dubois
"""


def test_an_english_letter_with_both_address_blocks() -> None:
    letter = parse_cover_letter(document_from_text(ENGLISH))
    assert letter.personal_info.name == "Marta Kowalczyk"
    assert letter.personal_info.email == "marta.kowalczyk@example.org"
    assert letter.personal_info.phone is not None and letter.personal_info.phone.endswith("555 0134")
    assert letter.date == "2025-03-03"
    assert letter.hiring_manager == "Priya Patel"
    assert letter.company == "Northwind Logistics"
    assert letter.role == "Senior Backend Engineer"
    assert letter.salutation == "Dear Ms. Patel,"
    assert letter.closing == "Kind regards,"
    assert letter.letter_text is not None
    assert letter.letter_text.startswith("I am writing to apply")
    assert letter.letter_text.count("\n\n") == 2
    assert "Kind regards" not in letter.letter_text and "Madison" not in letter.letter_text


def test_a_german_letter() -> None:
    letter = parse_cover_letter(document_from_text(GERMAN))
    assert letter.personal_info.name == "Jonas Müller"
    assert letter.personal_info.email == "jonas.mueller@mailbox.org"
    assert letter.date == "2025-02-14"
    assert letter.hiring_manager == "Anna Weber"
    assert letter.company == "Bosch GmbH"
    assert letter.role == "Entwicklungsingenieur Antriebstechnik"
    assert letter.closing == "Mit freundlichen Grüßen"


def test_a_letter_signed_only_at_the_end_takes_the_name_from_the_signature() -> None:
    letter = parse_cover_letter(document_from_text(SIGNED_AT_THE_END))
    assert letter.personal_info.name == "Lena Ortiz"
    assert letter.personal_info.email == "lena.ortiz@example.com"
    assert letter.date == "2025-03-10"
    assert letter.hiring_manager is None
    assert letter.role == "Data Analyst"
    assert letter.company == "Acme Analytics"
    assert letter.closing == "Sincerely,"


def test_a_french_letter() -> None:
    letter = parse_cover_letter(document_from_text(FRENCH))
    assert letter.personal_info.name == "Claire Dubois"
    assert letter.hiring_manager is None
    assert letter.role == "Responsable service client"
    assert letter.closing == "Cordialement,"
    assert letter.letter_text is not None and letter.letter_text.startswith("Je souhaite")


@pytest.mark.parametrize("text", ["", "Just one line", "Dear,\n\nRegards,", "Re:\n\nDear Sir,\nBest,\n"])
def test_letters_with_little_in_them_still_parse(text: str) -> None:
    letter = parse_cover_letter(document_from_text(text))
    assert letter.personal_info is not None
