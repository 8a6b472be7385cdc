"""Attachments of any app (suggestions, petitions): storing checked uploads, the download
response and the form field. The checks by content are in ``core.uploads``; the row is a
``core.models.AttachmentBase``; who may attach or download, and what is audited, is decided by
the app's services (a petition's attachment is a reveal of personal data, ``core.privacy``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django import forms
from django.core.files import File
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

from renda.core.downloads import attach
from renda.core.errors import InvalidInput
from renda.core.models import AttachmentBase
from renda.core.services import full_clean
from renda.core.uploads import Checked, check_files

A = TypeVar("A", bound=AttachmentBase)


# --- storing --------------------------------------------------------------------------------


def store(checked: Sequence[Checked], build: Callable[[Checked], A]) -> list[A]:
    """Save each checked upload under a random name (``attachment_upload_to``) and insert its row
    (``build(c)``: the unsaved row, without its file). When one fails, the files already written
    are deleted again: nothing is left half-stored on disk when an upload is refused."""
    saved: list[A] = []
    try:
        for c in checked:
            att = build(c)
            att.file.save(c.name, File(c.file), save=False)
            saved.append(att)
            full_clean(att)
            att.save(force_insert=True)
    except BaseException:
        for att in saved:
            att.file.delete(save=False)
        raise
    return saved


def listing(saved: Sequence[AttachmentBase]) -> list[dict[str, Any]]:
    """The stored files as the audit event names them: never their content."""
    return [
        {"id": a.pk, "name": a.original_name, "content_type": a.content_type, "size": a.size, "sha256": a.sha256}
        for a in saved
    ]


# --- downloading ----------------------------------------------------------------------------


def attachment_response(att: AttachmentBase) -> FileResponse:
    """The stored file with its sniffed type, always as a download under the name the user gave,
    never interpreted by the browser (nosniff, sandboxed)."""
    try:
        handle = att.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=att.original_name, content_type=att.content_type)
    attach(response, att.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the form field -------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input (images and PDF), each checked by its content (``core.uploads``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("附件"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("可选，PNG、JPEG 图片或 PDF 文件，每个不超过 10 MB，最多 9 个"))
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".png,.jpg,.jpeg,.pdf,image/png,image/jpeg,application/pdf"})
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [super(AttachmentsField, self).clean(f, initial) for f in items]
        files = [f for f in files if f]
        try:
            check_files(files)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from exc
        return files
