"""A resume with every section the result has, and personal details a fair-screening reader must not see."""

from __future__ import annotations

NAME = "Ana Lucía Ferreira"
EMAIL = "ana.ferreira@example.com"
PHONE = "+44 20 7946 0958"
SCHOOL = "University of Lisbon"


def rich_resume(name: str = NAME, email: str = EMAIL, phone: str = PHONE, city: str = "London, UK") -> str:
    return "\n".join([
        name,
        "Data Scientist",
        f"{email} | {phone} | {city}",
        "linkedin.com/in/ana-ferreira | github.com/aferreira",
        "Date of birth: 12/03/1990 | Nationality: Portuguese | Marital status: Married",
        "Gender: Female (she/her)",
        "",
        "SUMMARY",
        "Data scientist with seven years of experience in forecasting and experimentation.",
        "",
        "EXPERIENCE",
        "Senior Data Scientist",
        "Monzo Bank, Manchester, UK | Mar 2021 - Present",
        "- Built demand forecasting models in Python and PyTorch",
        "Data Analyst",
        "Sainsbury's, Leeds, UK | 01/2017 - 02/2021",
        "- Automated weekly sales reporting with SQL and Tableau",
        "",
        "VOLUNTEER EXPERIENCE",
        "Mentor",
        "Code First Girls, Bristol, UK | 2019 - 2022",
        "- Taught Python to evening classes",
        "",
        "EDUCATION",
        SCHOOL,
        "MSc in Statistics | 2014 - 2016",
        "GPA: 3.8",
        "",
        "CERTIFICATIONS",
        "AWS Certified Machine Learning – Specialty, Amazon Web Services, 2022",
        "",
        "SKILLS",
        "Python, PyTorch, SQL, Tableau, Statistics",
        "",
        "LANGUAGES",
        "Portuguese (native), English (fluent), Spanish (B1)",
        "",
        "PROJECTS",
        "Open Forecast - an open-source library for hierarchical forecasting",
        "",
        "AWARDS",
        "Best Paper Award, PyData Conference, 2020",
        "",
        "PUBLICATIONS",
        "Forecasting retail demand with hierarchical models, Journal of Forecasting, 2019",
        "",
        "INTERESTS",
        "Climbing, chess",
        "",
        "REFERENCES",
        "Available on request",
        "",
    ])
