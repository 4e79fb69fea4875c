"""Forms of the participant import: the upload (with the text encoding of a CSV file) and reading a previewed
CSV file again in another encoding."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import SelectField, SubmitField

from matchmaker.domain.text_encodings import AUTO, ENCODINGS
from matchmaker.fields import options
from matchmaker.services.import_messages import ENCODING_LABELS

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # some thousand rows with long descriptions fit well within


def _encoding_field():
    return SelectField(_l("Text encoding of a CSV file"), default=AUTO,
                       choices=options((code, ENCODING_LABELS[code]) for code in (AUTO, *ENCODINGS)))


class UploadForm(FlaskForm):
    file = FileField(_l("File of participants"), validators=[
        FileRequired(_l("Choose a file to upload.")),
        FileAllowed(["xlsx", "csv", "jsonl"],
                    _l("Upload an Excel workbook (.xlsx), a CSV file (.csv) or JSON Lines (.jsonl).")),
        FileSize(MAX_UPLOAD_BYTES, message=_l("The file is larger than %(mb)d MB; split it into smaller files.",
                                              mb=MAX_UPLOAD_BYTES // (1024 * 1024))),
    ], render_kw={"accept": ".xlsx,.csv,.jsonl"})
    encoding = _encoding_field()
    submit = SubmitField(_l("Check the file"))


class EncodingForm(FlaskForm):
    encoding = _encoding_field()
    submit = SubmitField(_l("Read the file again"))
