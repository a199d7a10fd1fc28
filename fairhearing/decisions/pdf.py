"""The written decision as a PDF (fpdf2, pure Python, core fonts). Text that the core fonts
cannot show is transliterated, so a PDF is always produced; the HTML page carries the exact text."""

from __future__ import annotations

from fpdf import FPDF
from unidecode import unidecode

from fairhearing.decisions.letter import Letter


def _latin1(text: str) -> str:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return unidecode(text)
    return text


def render_decision_pdf(letter: Letter) -> bytes:
    """A PDF of the written decision with the same sections as the HTML page."""
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(letter.title))
    pdf.set_creator("fairhearing")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, _latin1(letter.title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for heading, paragraphs in letter.sections:
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, _latin1(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, _latin1(paragraph), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        pdf.ln(2)
    return bytes(pdf.output())
