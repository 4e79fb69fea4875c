from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import SubmitField

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # some thousand rows with long descriptions fit well within


class UploadForm(FlaskForm):
    file = FileField(_l("File of participants"), validators=[
        FileRequired(_l("Choose a file to upload.")),
        FileAllowed(["xlsx", "csv", "jsonl"],
                    _l("Upload an Excel workbook (.xlsx), a CSV file (.csv) or JSON Lines (.jsonl).")),
        FileSize(MAX_UPLOAD_BYTES, message=_l("The file is larger than %(mb)d MB; split it into smaller files.",
                                              mb=MAX_UPLOAD_BYTES // (1024 * 1024))),
    ], render_kw={"accept": ".xlsx,.csv,.jsonl"})
    submit = SubmitField(_l("Check the file"))
