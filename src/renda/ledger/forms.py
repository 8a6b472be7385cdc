from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core import uploads
from renda.core.errors import InvalidInput

MAX_UPLOAD_BYTES = uploads.XLSX_MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("台账工作簿"),
        help_text=gettext_lazy("Excel 工作簿（.xlsx），不超过 20 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )

    def clean_file(self) -> UploadedFile:
        f: UploadedFile = self.cleaned_data["file"]
        if not (f.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 工作簿"))
        if f.size is not None and f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件过大（不超过 20 MB）"))
        # The zip's directory only, before any parser: a bomb is refused here, in milliseconds.
        # The background job checks again (the command-line import too) and reads the rows.
        try:
            uploads.check_xlsx(f)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from exc
        return f
